"""Arrow columns as the compiled stages' arrays: shingle lists as CSR, uint32 kept bit for bit in int32.

Spark has no unsigned types, so shingles (uint32) travel as int32 with the same bits; a view
turns them back without copying.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

SHINGLE_LIST = pa.list_(pa.int32())


def csr(column: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """``(ptr, values)`` of a list<int32> column: row ``i`` is ``values[ptr[i]:ptr[i + 1]]`` as uint32."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    offsets = column.offsets.to_numpy().astype(np.int64)
    values = column.flatten().to_numpy(zero_copy_only=False).astype(np.int32, copy=False).view(np.uint32)
    return offsets - offsets[0], values


def shingle_lists(ptr: np.ndarray, values: np.ndarray) -> pa.ListArray:
    """A list<int32> column from CSR arrays of uint32 values."""
    return pa.ListArray.from_arrays(
        pa.array(ptr.astype(np.int32)), pa.array(np.ascontiguousarray(values, dtype=np.uint32).view(np.int32))
    )


def counts_in(ptr: np.ndarray, values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Per row, how many of its values are in ``sorted_set``."""
    if len(sorted_set) == 0 or len(values) == 0:
        return np.zeros(len(ptr) - 1, dtype=np.int64)
    hits = np.concatenate([[0], np.cumsum(np.isin(values, sorted_set), dtype=np.int64)])
    return hits[ptr[1:]] - hits[ptr[:-1]]
