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

from copydesk.candidates import pack_pairs, stable_argsort_into
from copydesk.sketch import Sketches
from copydesk.threads import chunks, thread_map

# Shingle occurrences sorted at once in the boilerplate stage; more are taken in several passes.
PARTITION_OCCURRENCES = 1 << 24


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


def find_boilerplate(sketches: Sketches, scored: Overlaps, params: VerifyParams, workers: int = 1) -> np.ndarray:
    """Sorted boilerplate shingles among those shared by candidate pairs (see the module docstring).

    ``scored`` holds the candidate pairs' overlaps counting every shingle. Only shingles shared
    by a candidate pair can change a score, and only documents in a candidate pair are scanned:
    the cost follows the candidates, not the corpus.
    """
    pairs = scored.pairs
    docs = np.unique(pairs)
    watched, lengths, list_keys = _watched_shingles(sketches.ptr, sketches.shingles, docs, pairs, params, workers)
    if len(watched) == 0:
        return np.zeros(0, dtype=np.uint32)
    # watched indexes grouped by block, ascending in each (32-bit: memory peaks here at scale)
    members = np.arange(len(list_keys), dtype=np.uint32)
    members = stable_argsort_into(list_keys, members, np.empty_like(members))
    block_ptr = _run_starts(list_keys, members)
    del list_keys
    judged = _judged_blocks(members, block_ptr, lengths, params.boilerplate_spread, params.boilerplate_max_block)
    first_docs, counts = _first_postings(sketches.ptr, sketches.shingles, docs, watched[members[block_ptr[judged]]])
    pair_keys = pack_pairs(pairs)  # sorted: pairs are sorted and unique
    df = lengths[members[block_ptr[judged]]]

    def judge(span: tuple[int, int]) -> np.ndarray:
        lo, hi = span
        return _judge_blocks(
            sketches.ptr,
            sketches.shingles,
            pair_keys,
            scored.shared,
            block_ptr,
            judged[lo:hi],
            df[lo:hi],
            first_docs[lo:hi],
            counts[lo:hi],
            params.boilerplate_spread,
        )

    flags = np.concatenate(thread_map(judge, chunks(len(judged), workers), workers))
    return np.sort(watched[members[_block_rows(block_ptr, judged[flags])]])


def _watched_shingles(
    ptr: np.ndarray, shingles: np.ndarray, docs: np.ndarray, pairs: np.ndarray, params: VerifyParams, workers: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The shingles shared by a candidate pair and held by at least ``boilerplate_spread`` of
    ``docs`` (those in a pair): their values, document frequencies and a hash of their posting
    lists (equal lists, equal hashes), never the lists themselves.

    Every shingle position that a candidate pair shares is marked in a bitmap; the (shingle,
    document, marked) occurrences of ``docs`` are then sorted by shingle, a range of shingle
    values at a time so that memory stays bounded, and read run by run. Sequential passes only;
    ``workers`` threads take ranges side by side, each range 1/``workers`` the size.
    """
    marked = _mark_shared(ptr, shingles, pairs)
    occurrences = int(np.sum(ptr[docs + 1] - ptr[docs]))
    bits = 0
    while (occurrences >> bits) > PARTITION_OCCURRENCES // workers and bits < 8:
        bits += 1
    width = 1 << (32 - bits)
    sizes = _range_sizes(ptr, shingles, docs, 32 - bits)
    found = thread_map(
        lambda p: _range_postings(
            ptr, shingles, docs, marked, p * width, (p + 1) * width, sizes[p], params.boilerplate_spread
        ),
        range(1 << bits),
        workers,
    )
    watched, lengths, hashes = (np.concatenate([f[k] for f in found]) for k in range(3))
    return watched, lengths, hashes


@njit(cache=True, nogil=True)
def _mark_shared(ptr, shingles, pairs):  # type: ignore[no-untyped-def]
    """Bitmap over ``shingles``: the positions whose shingle the other side of some pair also holds."""
    marked = np.zeros((len(shingles) + 7) // 8, dtype=np.uint8)
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
                marked[i >> 3] |= np.uint8(1 << (i & 7))
                marked[j >> 3] |= np.uint8(1 << (j & 7))
                i += 1
                j += 1
    return marked


@njit(cache=True, nogil=True)
def _range_sizes(ptr, shingles, docs, shift):  # type: ignore[no-untyped-def]
    """How many shingle occurrences of ``docs`` fall in each range of values (``value >> shift``)."""
    sizes = np.zeros(1 << (32 - shift), dtype=np.int64)
    for d in docs:
        for i in range(ptr[d], ptr[d + 1]):
            sizes[shingles[i] >> shift] += 1
    return sizes


@njit(cache=True, nogil=True)
def _range_postings(ptr, shingles, docs, marked, lo, hi, total, spread):  # type: ignore[no-untyped-def]
    """``_watched_shingles`` for the ``total`` occurrences of values in ``[lo, hi)``: (shingles,
    document frequencies, posting-list hashes).
    """
    occ = np.empty(total, dtype=np.uint64)  # shingle << 32 | document << 1 | marked
    t = 0
    for d in docs:  # ascending, and the sort is stable: each posting list comes out ascending
        i, end = _lower_bound(shingles, ptr[d], ptr[d + 1], lo), ptr[d + 1]  # a document's set is sorted
        while i < end and shingles[i] < hi:
            mark = (marked[i >> 3] >> (i & 7)) & 1
            occ[t] = (np.uint64(shingles[i]) << np.uint64(32)) | (np.uint64(d) << np.uint64(1)) | np.uint64(mark)
            t += 1
            i += 1
    occ = _sort_by_high_half(occ, np.empty(total, dtype=np.uint64))
    keys = np.empty(total // spread + 1, dtype=np.uint32)
    lengths = np.empty(total // spread + 1, dtype=np.int32)
    hashes = np.empty(total // spread + 1, dtype=np.uint64)
    n_keys = i = 0
    while i < total:
        key = occ[i] >> np.uint64(32)
        shared = occ[i] & np.uint64(1)
        j = i + 1
        while j < total and (occ[j] >> np.uint64(32)) == key:
            shared |= occ[j] & np.uint64(1)
            j += 1
        if j - i >= spread and shared:
            keys[n_keys] = key
            lengths[n_keys] = j - i
            h = np.uint64(0xCBF29CE484222325)
            for k in range(i, j):
                h = (h ^ ((occ[k] & np.uint64(0xFFFFFFFF)) >> np.uint64(1))) * np.uint64(0x100000001B3)
            hashes[n_keys] = h ^ np.uint64(j - i)
            n_keys += 1
        i = j
    return keys[:n_keys].copy(), lengths[:n_keys].copy(), hashes[:n_keys].copy()


@njit(cache=True, nogil=True)
def _lower_bound(values, lo, hi, x):  # type: ignore[no-untyped-def]
    """The first index in ``[lo, hi)`` of the sorted ``values`` whose value is at least ``x``."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if values[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True, nogil=True)
def _sort_by_high_half(values, scratch):  # type: ignore[no-untyped-def]
    """``values`` (uint64) stably sorted by their upper 32 bits, in three 11-bit passes."""
    n = len(values)
    src, dst = values, scratch
    for shift in (32, 43, 54):
        counts = np.zeros(2049, dtype=np.int64)
        for i in range(n):
            counts[((src[i] >> np.uint64(shift)) & np.uint64(0x7FF)) + 1] += 1
        for b in range(2048):
            counts[b + 1] += counts[b]
        for i in range(n):
            b = (src[i] >> np.uint64(shift)) & np.uint64(0x7FF)
            dst[counts[b]] = src[i]
            counts[b] += 1
        src, dst = dst, src
    return src


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


@njit(cache=True, nogil=True)
def _run_starts(keys, order):  # type: ignore[no-untyped-def]
    """CSR pointers of the runs of equal ``keys[order[i]]`` (``order`` sorts ``keys``)."""
    n = len(order)
    ptr = np.empty(n + 1, dtype=np.int64)
    ptr[0] = 0
    t = 1
    for i in range(1, n):
        if keys[order[i]] != keys[order[i - 1]]:
            ptr[t] = i
            t += 1
    ptr[t] = n
    return ptr[: t + 1].copy()


JUDGED_DOCS = 17
"""A block is judged on the first 16 consecutive pairs of its documents (the Spark engine's too)."""


@njit(cache=True, nogil=True)
def _judged_blocks(members, block_ptr, lengths, spread, max_block):  # type: ignore[no-untyped-def]
    """Blocks worth judging: in ``spread`` documents or more, of ``max_block`` shingles or fewer."""
    out = np.empty(len(block_ptr) - 1, dtype=np.int64)
    n = 0
    for blk in range(len(block_ptr) - 1):
        lo, hi = block_ptr[blk], block_ptr[blk + 1]
        if lengths[members[lo]] >= spread and hi - lo <= max_block:
            out[n] = blk
            n += 1
    return out[:n].copy()


@njit(cache=True, nogil=True)
def _first_postings(ptr, shingles, docs, values):  # type: ignore[no-untyped-def]
    """The first ``JUDGED_DOCS`` documents (ascending, among ``docs``) holding each of ``values``
    (distinct).

    Returns an (n, JUDGED_DOCS) matrix and how many documents hold each value. One pass over the
    occurrences, each looked up in an open-addressing table at most half full (shingle values are
    hashes: their low bits place them, their top bits fill a bitset in front of it).
    """
    size = 16
    while size < 2 * len(values):
        size *= 2
    mask = size - 1
    slot_value = np.zeros(size, dtype=np.uint32)
    slot_row = np.full(size, -1, dtype=np.int64)
    for r in range(len(values)):
        k = np.int64(values[r]) & mask
        while slot_row[k] >= 0:
            k = (k + 1) & mask
        slot_value[k] = values[r]
        slot_row[k] = r
    # A 2 MB bitset on the top 24 bits turns most absent values away before the table is probed.
    present = np.zeros(1 << 18, dtype=np.uint64)
    for x in values:
        present[x >> 14] |= np.uint64(1) << np.uint64((x >> 8) & 63)
    first = np.zeros((len(values), JUDGED_DOCS), dtype=np.int32)
    counts = np.zeros(len(values), dtype=np.int64)
    for d in docs:
        for i in range(ptr[d], ptr[d + 1]):
            x = shingles[i]
            if not (present[x >> 14] >> np.uint64((x >> 8) & 63)) & np.uint64(1):
                continue
            k = np.int64(x) & mask
            while slot_row[k] >= 0 and slot_value[k] != x:
                k = (k + 1) & mask
            r = slot_row[k]
            if r >= 0:
                if counts[r] < JUDGED_DOCS:
                    first[r, counts[r]] = d
                counts[r] += 1
    return first, counts


@njit(cache=True, nogil=True)
def _block_rows(block_ptr, blocks):  # type: ignore[no-untyped-def]
    """Positions in ``members`` of every shingle of ``blocks``."""
    total = 0
    for blk in blocks:
        total += block_ptr[blk + 1] - block_ptr[blk]
    out = np.empty(total, dtype=np.int64)
    t = 0
    for blk in blocks:
        for m in range(block_ptr[blk], block_ptr[blk + 1]):
            out[t] = m
            t += 1
    return out


@njit(cache=True, nogil=True)
def _shared_count(ptr, shingles, pair_keys, pair_shared, a, b):  # type: ignore[no-untyped-def]
    """Shingles documents a < b share: from the candidate overlaps, else counted."""
    key = (np.int64(a) << np.int64(32)) | np.int64(b)
    k = np.searchsorted(pair_keys, key)
    if k < len(pair_keys) and pair_keys[k] == key:
        return pair_shared[k]
    i, a1 = ptr[a], ptr[a + 1]
    j, b1 = ptr[b], ptr[b + 1]
    c = 0
    while i < a1 and j < b1:
        if shingles[i] < shingles[j]:
            i += 1
        elif shingles[j] < shingles[i]:
            j += 1
        else:
            c += 1
            i += 1
            j += 1
    return c


@njit(cache=True, nogil=True)
def _judge_blocks(  # type: ignore[no-untyped-def]
    ptr, shingles, pair_keys, pair_shared, block_ptr, judged, df, first_docs, counts, spread
):
    """Per judged block (``judged[r]``, in ``df[r]`` documents, the first of them ``first_docs[r]``):
    does it look like boilerplate?

    Every document of a block's posting list holds the whole block, so two of them share
    ``shared - len(block)`` shingles outside it.
    """
    out = np.zeros(len(judged), dtype=np.bool_)
    for r in range(len(judged)):
        blk = judged[r]
        size = block_ptr[blk + 1] - block_ptr[blk]
        docs = first_docs[r, : min(counts[r], JUDGED_DOCS)]
        independent = 0
        evidence = 0
        for k in range(min(df[r] - 1, JUDGED_DOCS - 1)):
            a, b = docs[k], docs[k + 1]
            na = ptr[a + 1] - ptr[a] - size
            nb = ptr[b + 1] - ptr[b] - size
            if min(na, nb) < 5:
                continue  # a document that is all block is a copy of it, no evidence either way
            evidence += 1
            outside = _shared_count(ptr, shingles, pair_keys, pair_shared, a, b) - size
            if outside * 10 <= min(na, nb):
                independent += 1
        out[r] = evidence > 0 and independent * 2 > evidence and independent >= spread - 1
    return out
