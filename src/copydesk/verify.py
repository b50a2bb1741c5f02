"""Verification: the true overlap of each candidate pair, with outlet boilerplate discounted.

Overlap is exact over the shingle sets: Jaccard and containment in each direction. A condensed
version has a low Jaccard against its source but a high containment in it, so the decision uses
the larger of Jaccard and the containment of the smaller document in the larger (``overlap``).

Boilerplate (footers, newsletter prompts, copyright lines) is found from corpus statistics, not
from a list. Shingles shared by candidate pairs are grouped into *blocks*: shingles held by
exactly the same documents. A block is boilerplate when it is short (``boilerplate_max_block``
shingles), sits in at least ``boilerplate_spread`` documents, and those documents, each with
text of its own, share nothing else: an outlet's footer sits under every story it runs, while
wire copy reprinted by many outlets comes with the rest of the story. Boilerplate shingles are
left out of every score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from copydesk.sketch import Sketches


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


def overlaps(sketches: Sketches, pairs: np.ndarray, boilerplate: np.ndarray | None = None) -> Overlaps:
    """Exact shared-shingle counts of ``pairs``; shingles in the sorted ``boilerplate`` array don't count."""
    bp = boilerplate if boilerplate is not None else np.zeros(0, dtype=np.uint32)
    shared, size_a, size_b = _overlaps(sketches.ptr, sketches.shingles, pairs, bp)
    return Overlaps(pairs, shared, size_a, size_b)


def find_boilerplate(sketches: Sketches, pairs: np.ndarray, params: VerifyParams) -> np.ndarray:
    """Sorted boilerplate shingles among those shared by candidate pairs (see the module docstring).

    Only shingles shared by a candidate pair can change a score, and only documents in a
    candidate pair are scanned: the cost follows the candidates, not the corpus.
    """
    shared = _shared_shingles(sketches.ptr, sketches.shingles, pairs)
    if len(shared) == 0:
        return shared
    watched = np.unique(shared)
    docs = np.unique(pairs)
    entries_w, entries_d = _postings(sketches.ptr, sketches.shingles, docs, watched)
    order = np.argsort(entries_w, kind="stable")
    entries_w, entries_d = entries_w[order], entries_d[order]
    post_ptr = np.zeros(len(watched) + 1, dtype=np.int64)
    np.cumsum(np.bincount(entries_w, minlength=len(watched)), out=post_ptr[1:])
    keys = _posting_keys(post_ptr, entries_d)
    _, block_of = np.unique(keys, return_inverse=True)
    flags = _judge_blocks(
        sketches.ptr,
        sketches.shingles,
        watched,
        block_of.astype(np.int64),
        post_ptr,
        entries_d,
        params.boilerplate_spread,
        params.boilerplate_max_block,
    )
    return watched[flags]


@njit(cache=True, nogil=True)
def _contains(sorted_values, x):  # type: ignore[no-untyped-def]
    i = np.searchsorted(sorted_values, x)
    return i < len(sorted_values) and sorted_values[i] == x


@njit(cache=True, nogil=True)
def _overlaps(ptr, shingles, pairs, bp):  # type: ignore[no-untyped-def]
    n = len(pairs)
    shared = np.zeros(n, dtype=np.int64)
    size_a = np.zeros(n, dtype=np.int64)
    size_b = np.zeros(n, dtype=np.int64)
    use_bp = len(bp) > 0
    for p in range(n):
        a0, a1 = ptr[pairs[p, 0]], ptr[pairs[p, 0] + 1]
        b0, b1 = ptr[pairs[p, 1]], ptr[pairs[p, 1] + 1]
        na = a1 - a0
        nb = b1 - b0
        if use_bp:
            for i in range(a0, a1):
                if _contains(bp, shingles[i]):
                    na -= 1
            for j in range(b0, b1):
                if _contains(bp, shingles[j]):
                    nb -= 1
        i, j, c = a0, b0, 0
        while i < a1 and j < b1:
            x, y = shingles[i], shingles[j]
            if x < y:
                i += 1
            elif y < x:
                j += 1
            else:
                if not use_bp or not _contains(bp, x):
                    c += 1
                i += 1
                j += 1
        shared[p] = c
        size_a[p] = na
        size_b[p] = nb
    return shared, size_a, size_b


@njit(cache=True, nogil=True)
def _shared_shingles(ptr, shingles, pairs):  # type: ignore[no-untyped-def]
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


@njit(cache=True, nogil=True)
def _postings(ptr, shingles, docs, watched):  # type: ignore[no-untyped-def]
    """(watched index, document) for every watched shingle in ``docs``, in document order."""
    total = 0
    for d in docs:
        for i in range(ptr[d], ptr[d + 1]):
            if _contains(watched, shingles[i]):
                total += 1
    ws = np.empty(total, dtype=np.int64)
    ds = np.empty(total, dtype=np.int64)
    t = 0
    for d in docs:
        for i in range(ptr[d], ptr[d + 1]):
            w = np.searchsorted(watched, shingles[i])
            if w < len(watched) and watched[w] == shingles[i]:
                ws[t] = w
                ds[t] = d
                t += 1
    return ws, ds


@njit(cache=True, nogil=True)
def _posting_keys(post_ptr, docs):  # type: ignore[no-untyped-def]
    """A hash of each watched shingle's document list: equal lists, equal keys."""
    n = len(post_ptr) - 1
    keys = np.empty(n, dtype=np.uint64)
    for w in range(n):
        h = np.uint64(0xCBF29CE484222325)
        for k in range(post_ptr[w], post_ptr[w + 1]):
            h = (h ^ np.uint64(docs[k])) * np.uint64(0x100000001B3)
        keys[w] = h ^ np.uint64(post_ptr[w + 1] - post_ptr[w])
    return keys


@njit(cache=True, nogil=True)
def _outside_block_overlap(ptr, shingles, a, b, block):  # type: ignore[no-untyped-def]
    """Shared shingles of documents a and b outside ``block``, and each one's size outside it."""
    i, a1 = ptr[a], ptr[a + 1]
    j, b1 = ptr[b], ptr[b + 1]
    na = (a1 - i) - len(block)
    nb = (b1 - j) - len(block)
    c = 0
    while i < a1 and j < b1:
        x, y = shingles[i], shingles[j]
        if x < y:
            i += 1
        elif y < x:
            j += 1
        else:
            if not _contains(block, x):
                c += 1
            i += 1
            j += 1
    return c, na, nb


@njit(cache=True, nogil=True)
def _judge_blocks(ptr, shingles, watched, block_of, post_ptr, post_docs, spread, max_block):  # type: ignore[no-untyped-def]
    """Per watched shingle: does its block look like boilerplate?"""
    n_blocks = block_of.max() + 1 if len(block_of) else 0
    size = np.zeros(n_blocks, dtype=np.int64)
    first = np.full(n_blocks, -1, dtype=np.int64)
    for w in range(len(block_of)):
        size[block_of[w]] += 1
        if first[block_of[w]] < 0:
            first[block_of[w]] = w
    verdict = np.zeros(n_blocks, dtype=np.bool_)
    members = np.empty(len(block_of), dtype=np.uint32)
    for blk in range(n_blocks):
        w0 = first[blk]
        df = post_ptr[w0 + 1] - post_ptr[w0]
        if df < spread or size[blk] > max_block:
            continue
        m = 0
        for w in range(len(block_of)):
            if block_of[w] == blk:
                members[m] = watched[w]
                m += 1
        block = members[:m]  # watched is sorted, so the block is too
        docs = post_docs[post_ptr[w0] : post_ptr[w0 + 1]]
        independent = 0
        evidence = 0
        for k in range(min(len(docs) - 1, 16)):
            c, na, nb = _outside_block_overlap(ptr, shingles, docs[k], docs[k + 1], block)
            if min(na, nb) < 5:
                continue  # a document that is all block is a copy of it, no evidence either way
            evidence += 1
            if c * 10 <= min(na, nb):
                independent += 1
        verdict[blk] = evidence > 0 and independent * 2 > evidence and independent >= spread - 1
    out = np.zeros(len(block_of), dtype=np.bool_)
    for w in range(len(block_of)):
        out[w] = verdict[block_of[w]]
    return out
