"""A compiled open-addressing hash table from 32-bit shingles to dense indexes.

Binary search over a million sorted shingles misses the cache at every step; this table
answers in about one probe, and each slot holds both the key and its index so a probe touches
one cache line. Keys get indexes 0, 1, 2, ... in the order they are first added, so the result
is deterministic for a deterministic insertion order.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def new_table(expected):  # type: ignore[no-untyped-def]
    """Empty table for about ``expected`` keys: (slots, keys by index).

    A slot is 0 when empty, else ``key << 32 | (index + 1)``.
    """
    capacity = 16
    while capacity < 2 * expected:
        capacity *= 2
    return np.zeros(capacity, dtype=np.uint64), np.empty(max(expected, 1), dtype=np.uint32)


@njit(cache=True, nogil=True)
def _slot(slots, key):  # type: ignore[no-untyped-def]
    mask = len(slots) - 1
    mixed = (np.uint64(key) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32)
    s = np.int64(mixed) & mask
    while slots[s] != 0 and (slots[s] >> np.uint64(32)) != key:
        s = (s + 1) & mask
    return s


@njit(cache=True, nogil=True)
def add_all(values, expected):  # type: ignore[no-untyped-def]
    """Table of the distinct ``values``; returns (slots, keys, count).

    ``expected`` is a first guess of the distinct count; the table doubles whenever it is half
    full, so memory follows the distinct values, not ``len(values)``.
    """
    slots, keys = new_table(expected)
    n = 0
    for v in values:
        s = _slot(slots, v)
        if slots[s] == 0:
            if n == len(keys):
                grown = np.empty(2 * len(keys), dtype=np.uint32)
                grown[:n] = keys
                keys = grown
            keys[n] = v
            n += 1
            slots[s] = (np.uint64(v) << np.uint64(32)) | np.uint64(n)
            if 2 * n > len(slots):
                slots = _rehash(keys, n, 2 * len(slots))
    return slots, keys, n


@njit(cache=True, nogil=True)
def _rehash(keys, n, capacity):  # type: ignore[no-untyped-def]
    """Slots of ``capacity`` holding ``keys[:n]`` at their indexes."""
    slots = np.zeros(capacity, dtype=np.uint64)
    for i in range(n):
        s = _slot(slots, keys[i])
        slots[s] = (np.uint64(keys[i]) << np.uint64(32)) | np.uint64(i + 1)
    return slots


@njit(cache=True, nogil=True)
def index_of(slots, key):  # type: ignore[no-untyped-def]
    """The index of ``key``, or -1."""
    return np.int64(slots[_slot(slots, key)] & np.uint64(0xFFFFFFFF)) - 1
