"""Verification: the true overlap of each candidate pair, with outlet boilerplate discounted.

Overlap is exact over the shingle sets: Jaccard and containment in each direction. A condensed
version has a low Jaccard against its source but a high containment in it, so the decision uses
the larger of Jaccard and the containment of the smaller document in the larger (``overlap``).

Boilerplate shingles (``boilerplate.find_boilerplate``) are left out of every score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from copydesk.kernels import njit
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
    scored, _ = _merge_pairs(sketches, pairs, workers, mark=False)
    return scored if boilerplate is None else without_boilerplate(sketches, scored, boilerplate, workers)


def overlaps_and_shared(sketches: Sketches, pairs: np.ndarray, workers: int = 1) -> tuple[Overlaps, np.ndarray]:
    """``overlaps`` counting every shingle, and a bitmap over ``sketches.shingles`` of the positions
    whose shingle the other side of some pair also holds (what boilerplate detection reads), found
    in the same merge of each pair's sets.
    """
    return _merge_pairs(sketches, pairs, workers, mark=True)


def without_boilerplate(sketches: Sketches, scored: Overlaps, boilerplate: np.ndarray, workers: int = 1) -> Overlaps:
    """``scored`` with the sorted ``boilerplate`` shingles left out: the counts ``overlaps`` would
    give, from each document's few boilerplate shingles instead of a second merge of every pair.
    """
    if len(boilerplate) == 0 or len(scored.pairs) == 0:
        return scored
    docs = np.unique(scored.pairs)
    found = thread_map(
        lambda span: _boilerplate_of(sketches.ptr, sketches.shingles, docs[span[0] : span[1]], boilerplate),
        chunks(len(docs), workers),
        workers,
    )
    counts = np.zeros(len(sketches), dtype=np.int64)
    counts[docs] = np.concatenate([f[0] for f in found])
    bp_ptr = np.zeros(len(sketches) + 1, dtype=np.int64)
    np.cumsum(counts, out=bp_ptr[1:])
    bp_values = np.concatenate([f[1] for f in found])  # docs ascending: laid out as bp_ptr says
    parts = thread_map(
        lambda span: _discount(scored.pairs[span[0] : span[1]], bp_ptr, bp_values),
        chunks(len(scored.pairs), workers),
        workers,
    )
    in_both, in_a, in_b = (np.concatenate([part[k] for part in parts]) for k in range(3))
    return Overlaps(scored.pairs, scored.shared - in_both, scored.size_a - in_a, scored.size_b - in_b)


def _merge_pairs(sketches: Sketches, pairs: np.ndarray, workers: int, mark: bool) -> tuple[Overlaps, np.ndarray]:
    """Each thread merges a chunk of the pairs, marking in a bitmap of its own; the bitmaps are OR-ed."""
    bitmap_bytes = (len(sketches.shingles) + 7) // 8 if mark else 0
    parts = thread_map(
        lambda span: _overlaps(
            sketches.ptr, sketches.shingles, pairs[span[0] : span[1]], np.zeros(bitmap_bytes, dtype=np.uint8)
        ),
        chunks(len(pairs), workers),
        workers,
    )
    shared, size_a, size_b = (np.concatenate([part[k] for part in parts]) for k in range(3))
    marked = parts[0][3]
    for part in parts[1:]:
        np.bitwise_or(marked, part[3], out=marked)
    return Overlaps(pairs, shared, size_a, size_b), marked


@njit(cache=True, nogil=True)
def contains(sorted_values, x):  # type: ignore[no-untyped-def]
    """Whether ``x`` is in the sorted array ``sorted_values``."""
    i = np.searchsorted(sorted_values, x)
    return i < len(sorted_values) and sorted_values[i] == x


@njit(cache=True, nogil=True)
def _overlaps(ptr, shingles, pairs, marked):  # type: ignore[no-untyped-def]
    """Shared shingles and sizes of ``pairs``; with a non-empty ``marked``, shared positions set in it."""
    n = len(pairs)
    shared = np.zeros(n, dtype=np.int64)
    size_a = np.zeros(n, dtype=np.int64)
    size_b = np.zeros(n, dtype=np.int64)
    mark = len(marked) > 0
    for p in range(n):
        a, b = pairs[p, 0], pairs[p, 1]
        i, a1 = ptr[a], ptr[a + 1]
        j, b1 = ptr[b], ptr[b + 1]
        size_a[p] = a1 - i
        size_b[p] = b1 - j
        c = 0
        while i < a1 and j < b1:
            x, y = shingles[i], shingles[j]
            if x == y:
                c += 1
                if mark:
                    marked[i >> 3] |= np.uint8(1 << (i & 7))
                    marked[j >> 3] |= np.uint8(1 << (j & 7))
            i += x <= y  # branch-free steps: which side advances is a coin toss between texts
            j += y <= x
        shared[p] = c
    return shared, size_a, size_b, marked


@njit(cache=True, nogil=True)
def _boilerplate_of(ptr, shingles, docs, bp):  # type: ignore[no-untyped-def]
    """How many of the sorted ``bp`` shingles each of ``docs`` holds, and which (document after document)."""
    # A filter on 16 bits of the hash answers most lookups without a binary search.
    bp_filter = np.zeros(1 << 16, dtype=np.bool_)
    for x in bp:
        bp_filter[x & 0xFFFF] = True
    counts = np.zeros(len(docs), dtype=np.int64)
    for k in range(len(docs)):
        for i in range(ptr[docs[k]], ptr[docs[k] + 1]):
            x = shingles[i]
            if bp_filter[x & 0xFFFF] and contains(bp, x):
                counts[k] += 1
    values = np.empty(counts.sum(), dtype=np.uint32)
    t = 0
    for k in range(len(docs)):
        for i in range(ptr[docs[k]], ptr[docs[k] + 1]):
            x = shingles[i]
            if bp_filter[x & 0xFFFF] and contains(bp, x):
                values[t] = x
                t += 1
    return counts, values


@njit(cache=True, nogil=True)
def _discount(pairs, bp_ptr, bp_values):  # type: ignore[no-untyped-def]
    """Per pair: boilerplate shingles both sides hold, and each side's own (sorted lists, merged)."""
    n = len(pairs)
    in_both = np.zeros(n, dtype=np.int64)
    in_a = np.zeros(n, dtype=np.int64)
    in_b = np.zeros(n, dtype=np.int64)
    for p in range(n):
        i, a1 = bp_ptr[pairs[p, 0]], bp_ptr[pairs[p, 0] + 1]
        j, b1 = bp_ptr[pairs[p, 1]], bp_ptr[pairs[p, 1] + 1]
        in_a[p] = a1 - i
        in_b[p] = b1 - j
        c = 0
        while i < a1 and j < b1:
            x, y = bp_values[i], bp_values[j]
            c += x == y
            i += x <= y
            j += y <= x
        in_both[p] = c
    return in_both, in_a, in_b


@njit(cache=True, nogil=True)
def shared_shingle_lists(ptr, shingles, pairs):  # type: ignore[no-untyped-def]
    """Every shingle each pair shares, pair after pair, and how many each pair shares: the
    Spark engine's scores and the lists its boilerplate statistics read, from one merge per pair.
    """
    total = 0
    for p in range(len(pairs)):
        total += min(ptr[pairs[p, 0] + 1] - ptr[pairs[p, 0]], ptr[pairs[p, 1] + 1] - ptr[pairs[p, 1]])
    out = np.empty(total, dtype=np.uint32)
    counts = np.zeros(len(pairs), dtype=np.int64)
    t = 0
    for p in range(len(pairs)):
        first = t
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
        counts[p] = t - first
    return counts, out[:t]
