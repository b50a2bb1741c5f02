"""A compiled open-addressing hash table from 32-bit shingles to dense indexes.

Binary search over a million sorted shingles misses the cache at every step; this table
answers in about one probe. Keys get indexes 0, 1, 2, ... in the order they are first added,
so the result is deterministic for a deterministic insertion order.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def new_table(expected):  # type: ignore[no-untyped-def]
    """Empty table for about ``expected`` keys: (slots holding index + 1 or 0, keys by index)."""
    capacity = 16
    while capacity < 2 * expected:
        capacity *= 2
    return np.zeros(capacity, dtype=np.int64), np.empty(max(expected, 1), dtype=np.uint32)


@njit(cache=True, nogil=True)
def _slot(slots, keys, key):  # type: ignore[no-untyped-def]
    mask = len(slots) - 1
    mixed = (np.uint64(key) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32)
    s = np.int64(mixed) & mask
    while slots[s] != 0 and keys[slots[s] - 1] != key:
        s = (s + 1) & mask
    return s


@njit(cache=True, nogil=True)
def add_all(values, expected):  # type: ignore[no-untyped-def]
    """Table of the distinct ``values``; returns (slots, keys, count)."""
    slots, keys = new_table(expected)
    n = 0
    for v in values:
        s = _slot(slots, keys, v)
        if slots[s] == 0:
            keys[n] = v
            n += 1
            slots[s] = n
    return slots, keys, n


@njit(cache=True, nogil=True)
def index_of(slots, keys, key):  # type: ignore[no-untyped-def]
    """The index of ``key``, or -1."""
    s = _slot(slots, keys, key)
    return slots[s] - 1
