"""Boilerplate: text repeated across otherwise unrelated articles, found from corpus statistics.

Footers, newsletter prompts and copyright lines are found from shingle document frequency, not
from a list. Shingles shared by candidate pairs are grouped into *blocks*: shingles held by
exactly the same documents. A block is boilerplate when it is short (``boilerplate_max_block``
shingles), sits in at least ``boilerplate_spread`` documents, and those documents, each with
text of its own, share nothing else: an outlet's footer sits under every story it runs, while
wire copy reprinted by many outlets comes with the rest of the story. Boilerplate shingles are
left out of every score.

Only shingles shared by a candidate pair can change a score, and only documents in a candidate
pair are scanned: the cost follows the candidates, not the corpus.
"""

from __future__ import annotations

import numpy as np

from copydesk.candidates import pack_pairs, stable_argsort_into
from copydesk.kernels import njit
from copydesk.sketch import Sketches
from copydesk.threads import chunks, thread_map
from copydesk.verify import Overlaps, VerifyParams, overlaps_and_shared

# Shingle occurrences sorted at once in the boilerplate stage; more are taken in several passes.
PARTITION_OCCURRENCES = 1 << 24


JUDGED_DOCS = 17
"""A block is judged on the first 16 consecutive pairs of its documents (the Spark engine's too)."""


def find_boilerplate(
    sketches: Sketches, candidates: np.ndarray, params: VerifyParams, workers: int = 1
) -> tuple[np.ndarray, Overlaps]:
    """Sorted boilerplate shingles among those shared by ``candidates`` pairs (see the module
    docstring), and the candidates' overlaps counting every shingle, which finding them takes.

    The bitmap of shared positions that comes with the overlaps lives only until the watched
    shingles are read: at scale, memory peaks later, when the blocks are grouped.
    """
    scored, marked = overlaps_and_shared(sketches, candidates, workers)
    docs = np.unique(candidates)
    watched, lengths, list_keys = _watched_shingles(sketches.ptr, sketches.shingles, docs, marked, params, workers)
    del marked
    if len(watched) == 0:
        return np.zeros(0, dtype=np.uint32), scored
    # watched indexes grouped by block, ascending in each (32-bit: memory peaks here at scale)
    members = np.arange(len(list_keys), dtype=np.uint32)
    members = stable_argsort_into(list_keys, members, np.empty_like(members))
    block_ptr = _run_starts(list_keys, members)
    del list_keys
    judged = _judged_blocks(members, block_ptr, lengths, params.boilerplate_spread, params.boilerplate_max_block)
    representatives = members[block_ptr[judged]]  # a block's shingles share one posting list
    first_docs, counts = _first_postings(sketches.ptr, sketches.shingles, docs, watched[representatives])
    df = lengths[representatives]
    pair_keys = pack_pairs(candidates)  # sorted: candidates are sorted and unique

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
    return np.sort(watched[members[_block_rows(block_ptr, judged[flags])]]), scored


def _watched_shingles(
    ptr: np.ndarray, shingles: np.ndarray, docs: np.ndarray, marked: np.ndarray, params: VerifyParams, workers: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The shingles shared by a candidate pair and held by at least ``boilerplate_spread`` of
    ``docs`` (those in a pair): their values, document frequencies and a hash of their posting
    lists (equal lists, equal hashes), never the lists themselves.

    ``marked`` is the bitmap of shingle positions that a candidate pair shares; the (shingle,
    document, marked) occurrences of ``docs`` are sorted by shingle, a range of shingle
    values at a time so that memory stays bounded (each document's sorted set gives up its part of
    a range by binary search), and read run by run. ``workers`` threads take ranges side by
    side, each range 1/``workers`` the size.
    """
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
