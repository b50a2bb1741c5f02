"""Candidate pairs: documents that may share copy, found without comparing all pairs.

Three sources, each cheap and each catching what the others miss:

- LSH bands over the signatures find near-duplicates (high Jaccard), however common their text;
- shared rare shingles (a deterministic sample of shingles whose document frequency is below a
  limit) find condensed versions and partial reuse, whose Jaccard is low but whose shared
  passages are long;
- exact duplicates (the same normalised text) share a digest of their word sequence, used as
  one more band, so they are paired however short the text and however their signatures fare.

Pairs are ``(i, j)`` row indexes with ``i < j``, unique, sorted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from copydesk.kernels import njit
from copydesk.sketch import Sketches
from copydesk.threads import thread_map


@dataclass(frozen=True)
class CandidateParams:
    bands: int = 42
    """LSH bands; with ``rows`` per band, 42 x 3 of 128 bins catches a Jaccard-0.5 pair with p = 0.996."""
    rows: int = 3
    """Bins per band."""
    sample_mod: int = 8
    """Rare-shingle index keeps shingles whose hash is 0 mod this: 1/8 of them, enough for any long passage."""
    max_df: int = 64
    """A sampled shingle in more documents than this is common text, not evidence of reuse."""
    min_shared: int = 2
    """Sampled shingles two documents must share to become a pair (one can be chance)."""
    max_bucket: int = 2000
    """An LSH bucket larger than this links its members to its first member only (no quadratic blow-up)."""

    def __post_init__(self) -> None:
        if self.bands < 1 or self.rows < 1:
            raise ValueError("bands and rows must be at least 1")


def find_candidates(
    sketches: Sketches, params: CandidateParams = CandidateParams(), workers: int = 1, *, release: bool = False
) -> np.ndarray:
    """All candidate pairs as an (n, 2) int64 array, sorted and unique; LSH bands on ``workers`` threads.

    ``release``: free the signatures once the LSH pairs are found (``Sketches.release_signatures``),
    for a caller that needs them no more.
    """
    if params.bands * params.rows > sketches.signatures.shape[1]:
        raise ValueError(
            f"bands x rows = {params.bands * params.rows} exceeds {sketches.signatures.shape[1]} signature bins"
        )
    lsh = lsh_pairs(sketches, params, workers)
    if release:
        sketches.release_signatures()
    rare = rare_shingle_pairs(sketches, params.sample_mod, params.max_df, params.min_shared)
    return unique_pairs(np.concatenate([lsh, rare]))


def unique_pairs(pairs: np.ndarray) -> np.ndarray:
    """Sorted unique rows of an (n, 2) array of pairs with i < j."""
    if len(pairs) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    return unpack_pairs(np.unique(pack_pairs(pairs)))


def pack_pairs(pairs: np.ndarray) -> np.ndarray:
    """Row pairs ``(i, j)`` as int64 keys ``i << 32 | j``: sorted keys, pairs sorted by (i, j)."""
    return pairs[:, 0].astype(np.int64) << np.int64(32) | pairs[:, 1].astype(np.int64)


def unpack_pairs(keys: np.ndarray) -> np.ndarray:
    """The (n, 2) row pairs of ``pack_pairs`` keys."""
    return np.stack([keys >> np.int64(32), keys & np.int64(0xFFFFFFFF)], axis=1)


def band_keys(sketches: Sketches, params: CandidateParams) -> np.ndarray:
    """(documents, bands + 1) uint64 bucket keys: one per LSH band of the signature, and last
    the text digest, the band on which exact duplicates meet.
    """
    keys = np.empty((len(sketches), params.bands + 1), dtype=np.uint64)
    for b in range(params.bands + 1):
        keys[:, b] = _band_column(sketches.signatures, sketches.digests, b, params.bands, params.rows)
    return keys


def lsh_pairs(sketches: Sketches, params: CandidateParams, workers: int = 1) -> np.ndarray:
    """Pairs of documents that share a bucket key in at least one band (``band_keys``' columns),
    computed one band at a time (per thread): a million documents never hold all their keys at once.
    """
    if len(sketches) < 2:
        return np.zeros((0, 2), dtype=np.int64)

    def band_pairs(b: int) -> np.ndarray:
        keys = _band_column(sketches.signatures, sketches.digests, b, params.bands, params.rows)
        order = stable_argsort(keys)
        return _bucket_pairs(keys[order], order, params.max_bucket)

    return np.concatenate(thread_map(band_pairs, range(params.bands + 1), workers))


@njit(cache=True, nogil=True)
def _band_column(signatures, digests, b, bands, rows):  # type: ignore[no-untyped-def]
    """Every document's key in band ``b``: a hash of its ``rows`` signature bins, or for
    ``b == bands`` its text digest.
    """
    if b == bands:
        return digests.copy()
    keys = np.empty(signatures.shape[0], dtype=np.uint64)
    for i in range(signatures.shape[0]):
        h = np.uint64(0xCBF29CE484222325) ^ np.uint64(b)
        for r in range(rows):
            h = (h ^ np.uint64(signatures[i, b * rows + r])) * np.uint64(0x100000001B3)
        keys[i] = h
    return keys


@njit(cache=True, nogil=True)
def stable_argsort(keys):  # type: ignore[no-untyped-def]
    """``np.argsort(keys, kind="stable")`` for uint64 ``keys``: six 11-bit radix passes, no comparisons."""
    n = len(keys)
    return stable_argsort_into(keys, np.arange(n, dtype=np.int64), np.empty(n, dtype=np.int64))


@njit(cache=True, nogil=True)
def stable_argsort_into(keys, order, scratch):  # type: ignore[no-untyped-def]
    """``stable_argsort`` in the caller's arrays (``order`` = 0..n-1 on entry, of any integer type
    that holds n, such as uint32 to halve the memory); returns whichever of the two holds the result.
    """
    n = len(keys)
    for shift in range(0, 64, 11):
        counts = np.zeros(2049, dtype=np.int64)
        for i in range(n):
            counts[((keys[i] >> np.uint64(shift)) & np.uint64(0x7FF)) + 1] += 1
        for b in range(2048):
            counts[b + 1] += counts[b]
        for i in range(n):
            o = order[i]
            b = (keys[o] >> np.uint64(shift)) & np.uint64(0x7FF)
            scratch[counts[b]] = o
            counts[b] += 1
        order, scratch = scratch, order
    return order


@njit(cache=True, nogil=True)
def _bucket_pairs(sorted_keys, members, max_bucket):  # type: ignore[no-untyped-def]
    """Pairs within runs of equal keys; a run over ``max_bucket`` becomes a star on its first member."""
    n = len(sorted_keys)
    total = 0
    start = 0
    for i in range(1, n + 1):
        if i == n or sorted_keys[i] != sorted_keys[start]:
            size = i - start
            total += size * (size - 1) // 2 if size <= max_bucket else size - 1
            start = i
    out = np.empty((total, 2), dtype=np.int64)
    t = 0
    start = 0
    for i in range(1, n + 1):
        if i == n or sorted_keys[i] != sorted_keys[start]:
            size = i - start
            if size <= max_bucket:
                for x in range(start, i):
                    for y in range(x + 1, i):
                        a, b = members[x], members[y]
                        out[t, 0] = min(a, b)
                        out[t, 1] = max(a, b)
                        t += 1
            else:
                first = members[start]
                for y in range(start + 1, i):
                    b = members[y]
                    out[t, 0] = min(first, b)
                    out[t, 1] = max(first, b)
                    t += 1
            start = i
    return out


def rare_shingle_pairs(sketches: Sketches, sample_mod: int, max_df: int, min_shared: int) -> np.ndarray:
    """Pairs sharing at least ``min_shared`` sampled shingles whose document frequency is at most ``max_df``."""
    postings = _sample(sketches.ptr, sketches.shingles, sample_mod)
    postings.sort()  # by shingle, then document: one packed key, sorted in place
    keys = _posting_pair_keys(postings, max_df)
    del postings
    keys.sort()  # packed pairs, sorted in place: half the memory of an (n, 2) array and its np.unique
    return unpack_pairs(runs_of_at_least(keys, min_shared))


@njit(cache=True, nogil=True)
def _sample(ptr, shingles, sample_mod):  # type: ignore[no-untyped-def]
    """The sampled shingles (0 mod ``sample_mod``) of every document, as ``shingle << 32 | document``."""
    # A power of two is tested with a mask: a division per shingle is most of this kernel's time.
    mask = np.uint32(sample_mod - 1) if (sample_mod & (sample_mod - 1)) == 0 else np.uint32(0)
    modulus = np.uint32(sample_mod)
    total = 0
    for x in shingles:
        if ((x & mask) == 0) if mask else (x % modulus == 0):
            total += 1
    out = np.empty(total, dtype=np.uint64)
    t = 0
    for d in range(len(ptr) - 1):
        for i in range(ptr[d], ptr[d + 1]):
            x = shingles[i]
            if ((x & mask) == 0) if mask else (x % modulus == 0):
                out[t] = (np.uint64(shingles[i]) << np.uint64(32)) | np.uint64(d)
                t += 1
    return out


@njit(cache=True, nogil=True)
def _posting_pair_keys(postings, max_df):  # type: ignore[no-untyped-def]
    """Document pairs within each run of one shingle in the sorted ``shingle << 32 | document`` keys,
    packed as ``a << 32 | b`` with ``a < b``.
    """
    n = len(postings)
    high = np.uint64(32)
    low = np.uint64(0xFFFFFFFF)
    total = 0
    start = 0
    for i in range(1, n + 1):
        if i == n or postings[i] >> high != postings[start] >> high:
            size = i - start
            if 2 <= size <= max_df:
                total += size * (size - 1) // 2
            start = i
    out = np.empty(total, dtype=np.int64)
    t = 0
    start = 0
    for i in range(1, n + 1):
        if i == n or postings[i] >> high != postings[start] >> high:
            size = i - start
            if 2 <= size <= max_df:
                for x in range(start, i):
                    for y in range(x + 1, i):
                        a, b = np.int64(postings[x] & low), np.int64(postings[y] & low)
                        if a != b:
                            out[t] = (min(a, b) << np.int64(32)) | max(a, b)
                            t += 1
            start = i
    return out[:t]


@njit(cache=True, nogil=True)
def runs_of_at_least(sorted_keys, count):  # type: ignore[no-untyped-def]
    """The distinct values of ``sorted_keys`` that occur at least ``count`` times, ascending."""
    n = len(sorted_keys)
    out = np.empty(n // max(count, 1) + 1, dtype=np.int64)
    t = 0
    start = 0
    for i in range(1, n + 1):
        if i == n or sorted_keys[i] != sorted_keys[start]:
            if i - start >= count:
                out[t] = sorted_keys[start]
                t += 1
            start = i
    return out[:t].copy()
