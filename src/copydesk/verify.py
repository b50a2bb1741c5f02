"""Verification: the true overlap of each candidate pair, with outlet boilerplate discounted.

Overlap is exact over the shingle sets: Jaccard and containment in each direction. A condensed
version has a low Jaccard against its source but a high containment in it, so the decision uses
the larger of Jaccard and the containment of the smaller document in the larger (``overlap``).

Boilerplate shingles (``boilerplate.find_boilerplate``) are left out of every score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from copydesk.sketch import Sketches
from copydesk.threads import chunks, thread_map


@dataclass(frozen=True)
class VerifyParams:
    threshold: float = 0.5
    """A pair is a copy when its measure reaches this."""
    measure: str = "overlap"
    """'overlap' = max(jaccard, containment of the smaller in the larger); or 'jaccard', 'containment'."""
    boilerplate_spread: int = 3
    """A block of shingles in this many otherwise unrelated documents is boilerplate."""
    boilerplate_max_block: int = 80
    """Longer repeated blocks (about 80 words) are reused copy, not a footer or a prompt."""
    min_shared: int = 3
    """Fewer shared shingles than this is never a copy, whatever the ratio (two one-line texts)."""

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        if self.measure not in ("overlap", "jaccard", "containment"):
            raise ValueError("measure must be 'overlap', 'jaccard' or 'containment'")
        if self.boilerplate_spread < 2:
            raise ValueError("boilerplate_spread must be at least 2")


@dataclass(frozen=True)
class Overlaps:
    """Per candidate pair: shared shingles and each side's size, boilerplate left out."""

    pairs: np.ndarray
    shared: np.ndarray
    size_a: np.ndarray
    size_b: np.ndarray

    @property
    def jaccard(self) -> np.ndarray:
        union = self.size_a + self.size_b - self.shared
        return np.divide(self.shared, union, out=np.zeros(len(self.shared)), where=union > 0)

    @property
    def containment_a_in_b(self) -> np.ndarray:
        return np.divide(self.shared, self.size_a, out=np.zeros(len(self.shared)), where=self.size_a > 0)

    @property
    def containment_b_in_a(self) -> np.ndarray:
        return np.divide(self.shared, self.size_b, out=np.zeros(len(self.shared)), where=self.size_b > 0)

    def measure(self, name: str) -> np.ndarray:
        if name == "jaccard":
            return self.jaccard
        smaller_in_larger = np.maximum(self.containment_a_in_b, self.containment_b_in_a)
        if name == "containment":
            return smaller_in_larger
        return np.maximum(self.jaccard, smaller_in_larger)

    def copies(self, params: VerifyParams) -> np.ndarray:
        """Mask of the pairs that are copies."""
        return (self.measure(params.measure) >= params.threshold) & (self.shared >= params.min_shared)

    def select(self, mask: np.ndarray) -> Overlaps:
        return Overlaps(self.pairs[mask], self.shared[mask], self.size_a[mask], self.size_b[mask])


def overlaps(
    sketches: Sketches, pairs: np.ndarray, boilerplate: np.ndarray | None = None, workers: int = 1
) -> Overlaps:
    """Exact shared-shingle counts of ``pairs`` (on ``workers`` threads); shingles in the sorted
    ``boilerplate`` array don't count.
    """
    bp = boilerplate if boilerplate is not None else np.zeros(0, dtype=np.uint32)
    parts = thread_map(
        lambda span: _overlaps(sketches.ptr, sketches.shingles, pairs[span[0] : span[1]], bp),
        chunks(len(pairs), workers),
        workers,
    )
    shared, size_a, size_b = (np.concatenate([part[k] for part in parts]) for k in range(3))
    return Overlaps(pairs, shared, size_a, size_b)


@njit(cache=True, nogil=True)
def contains(sorted_values, x):  # type: ignore[no-untyped-def]
    """Whether ``x`` is in the sorted array ``sorted_values``."""
    i = np.searchsorted(sorted_values, x)
    return i < len(sorted_values) and sorted_values[i] == x


@njit(cache=True, nogil=True)
def _overlaps(ptr, shingles, pairs, bp):  # type: ignore[no-untyped-def]
    n = len(pairs)
    shared = np.zeros(n, dtype=np.int64)
    size_a = np.zeros(n, dtype=np.int64)
    size_b = np.zeros(n, dtype=np.int64)
    use_bp = len(bp) > 0
    # A filter on 16 bits of the hash answers most lookups without a binary search, and each
    # document's boilerplate is counted once, not once per pair it is in.
    bp_filter = np.zeros(1 << 16, dtype=np.bool_)
    for x in bp:
        bp_filter[x & 0xFFFF] = True
    bp_count = np.full(len(ptr) - 1 if use_bp else 0, -1, dtype=np.int64)
    for p in range(n):
        a, b = pairs[p, 0], pairs[p, 1]
        a0, a1 = ptr[a], ptr[a + 1]
        b0, b1 = ptr[b], ptr[b + 1]
        na = a1 - a0
        nb = b1 - b0
        if use_bp:
            na -= _boilerplate_count(shingles, a0, a1, bp, bp_filter, bp_count, a)
            nb -= _boilerplate_count(shingles, b0, b1, bp, bp_filter, bp_count, b)
        i, j, c = a0, b0, 0
        while i < a1 and j < b1:
            x, y = shingles[i], shingles[j]
            if x < y:
                i += 1
            elif y < x:
                j += 1
            else:
                if not use_bp or not (bp_filter[x & 0xFFFF] and contains(bp, x)):
                    c += 1
                i += 1
                j += 1
        shared[p] = c
        size_a[p] = na
        size_b[p] = nb
    return shared, size_a, size_b


@njit(cache=True, nogil=True)
def _boilerplate_count(shingles, lo, hi, bp, bp_filter, counts, d):  # type: ignore[no-untyped-def]
    """Boilerplate shingles of document ``d`` (``shingles[lo:hi]``), counted on first use."""
    if counts[d] < 0:
        c = 0
        for i in range(lo, hi):
            x = shingles[i]
            if bp_filter[x & 0xFFFF] and contains(bp, x):
                c += 1
        counts[d] = c
    return counts[d]


@njit(cache=True, nogil=True)
def _shared_shingles(ptr, shingles, pairs):  # type: ignore[no-untyped-def]
    """Every shingle each pair shares, pair after pair (the Spark engine scores with it)."""
    total = 0
    for p in range(len(pairs)):
        total += min(ptr[pairs[p, 0] + 1] - ptr[pairs[p, 0]], ptr[pairs[p, 1] + 1] - ptr[pairs[p, 1]])
    out = np.empty(total, dtype=np.uint32)
    t = 0
    for p in range(len(pairs)):
        i, a1 = ptr[pairs[p, 0]], ptr[pairs[p, 0] + 1]
        j, b1 = ptr[pairs[p, 1]], ptr[pairs[p, 1] + 1]
        while i < a1 and j < b1:
            x, y = shingles[i], shingles[j]
            if x < y:
                i += 1
            elif y < x:
                j += 1
            else:
                out[t] = x
                t += 1
                i += 1
                j += 1
    return out[:t]
