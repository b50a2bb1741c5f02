"""Output records on Spark: the local engine's record code run per partition, and sorted JSONL out.

``pairs.jsonl`` and ``passages.jsonl`` can be as large as the corpus. They are sorted by Spark
and streamed to the driver one partition at a time (``toLocalIterator``), so the driver holds
one partition, never the whole file, and writes the same bytes as the local engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from copydesk.copies import CopyResult
from copydesk.errors import CopydeskError
from copydesk.verify import Overlaps

PAIR_FIELDS = pa.schema(
    [
        ("a", pa.string()),
        ("b", pa.string()),
        ("jaccard", pa.float64()),
        ("containment_a_in_b", pa.float64()),
        ("containment_b_in_a", pa.float64()),
        ("shared_shingles", pa.int64()),
        ("exact", pa.bool_()),
    ]
)
PAIR_SCHEMA = (
    "a string, b string, jaccard double, containment_a_in_b double, containment_b_in_a double, "
    "shared_shingles long, exact boolean"
)


def pair_records(copies: DataFrame) -> DataFrame:
    """pairs.jsonl's fields of each verified copy pair, from ``CopyResult.pair_records``."""
    return copies.mapInArrow(_pair_partition, PAIR_SCHEMA)


def _pair_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        n = batch.num_rows
        sides = zip(batch.column("id_a").to_pylist(), batch.column("id_b").to_pylist(), strict=True)
        ids = [x for pair in sides for x in pair]
        pairs = np.arange(2 * n, dtype=np.int64).reshape(-1, 2)
        shared, size_a, size_b = (batch.column(c).to_numpy() for c in ("shared", "size_a", "size_b"))
        exact = batch.column("exact").to_numpy(zero_copy_only=False)
        result = CopyResult(ids, Overlaps(pairs, shared, size_a, size_b), exact, [], np.zeros(0, np.uint32), 0)
        yield pa.RecordBatch.from_pylist(list(result.pair_records()), schema=PAIR_FIELDS)


def with_dense_index(spark: SparkSession, ordered: DataFrame, name: str) -> DataFrame:
    """``ordered`` with ``name`` = 0, 1, 2, ... in its sort order, without a single-partition window.

    Rows are tagged with their partition and position; the partition sizes (one number per
    partition) come to the driver and turn positions into global indexes.
    """
    tagged = ordered.select(
        F.spark_partition_id().alias("_part"), F.monotonically_increasing_id().alias("_pos"), "*"
    ).localCheckpoint()
    sizes: dict[int, int] = {r["_part"]: r["count"] for r in tagged.groupBy("_part").count().collect()}
    offsets, total = [], 0
    for part in sorted(sizes):
        offsets += [F.lit(part), F.lit(total)]
        total += sizes[part]
    start = F.create_map(*offsets)[F.col("_part")] if offsets else F.lit(0)
    first_pos = F.col("_part").cast("long") * (1 << 33)  # monotonically_increasing_id: partition in the top bits
    return tagged.select((F.col("_pos") - first_pos + start).alias(name), "*").drop("_part", "_pos")


def jsonl_lines(records: DataFrame, drop: tuple[str, ...] = ()) -> DataFrame:
    """One ``line`` per record: its columns (less ``drop``) as JSON with sorted keys, as ``output.write_jsonl``."""
    return records.mapInArrow(lambda batches: _line_partition(batches, drop), "line string")


def _line_partition(batches: Iterator[pa.RecordBatch], drop: tuple[str, ...]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        lines = [_dumps({k: v for k, v in rec.items() if k not in drop}) for rec in batch.to_pylist()]
        yield pa.RecordBatch.from_arrays([pa.array(lines, pa.string())], names=["line"])


def _dumps(record: dict[str, Any]) -> str:
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY).decode()


def write_lines(lines: DataFrame, path: Path) -> int:
    """Stream the ``line`` column, in its order, into ``path``; returns how many lines."""
    n = 0
    try:
        with open(path, "wb") as handle:
            for row in lines.toLocalIterator(prefetchPartitions=True):
                handle.write(row.line.encode())
                handle.write(b"\n")
                n += 1
    except OSError as err:
        raise CopydeskError(f"{path}: cannot write ({err.strerror or err})") from err
    return n
