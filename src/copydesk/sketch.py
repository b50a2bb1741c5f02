"""Shingles and signatures: the compiled hot path of near-duplicate detection.

A document becomes the sorted set of 32-bit hashes of its word n-grams (its *shingles*), kept
for exact verification, and a one-permutation MinHash signature (OPH with densification): each
shingle is hashed once, falls into one of ``k`` bins by its top bits, and each bin keeps its
minimum. That is ``k`` times less hashing than classic MinHash with ``k`` permutations, with
the same collision probability (Jaccard) per bin.

    >>> from copydesk.text import tokenize
    >>> sk = sketch_tokens(tokenize(["a b c d e f", "a b c d e g"]), SketchParams(shingle=3))
    >>> sk.sizes().tolist()
    [4, 4]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from copydesk.text import Tokens, finish_hash

EMPTY_BIN = np.uint32(0xFFFFFFFF)


@dataclass(frozen=True)
class SketchParams:
    """How documents are sketched."""

    shingle: int = 5
    """Words per shingle: 5 keeps chance matches between unrelated news rare, yet survives edits."""
    permutations: int = 128
    """Signature bins: more bins, better Jaccard estimates for LSH; 128 is the usual trade-off."""

    def __post_init__(self) -> None:
        if self.shingle < 1:
            raise ValueError("shingle size must be at least 1")
        if self.permutations < 8 or self.permutations & (self.permutations - 1):
            raise ValueError("permutations must be a power of two, at least 8")


@dataclass(frozen=True)
class Sketches:
    """Shingle sets (CSR: doc ``i`` owns ``shingles[ptr[i]:ptr[i+1]]``, sorted, unique) and signatures."""

    ptr: np.ndarray
    shingles: np.ndarray
    signatures: np.ndarray
    words: np.ndarray
    """Word tokens per document (its ``n_words``), a by-product of tokenising."""

    def __len__(self) -> int:
        return len(self.ptr) - 1

    def sizes(self) -> np.ndarray:
        return np.diff(self.ptr)

    def doc(self, i: int) -> np.ndarray:
        return self.shingles[self.ptr[i] : self.ptr[i + 1]]

    @staticmethod
    def concat(parts: list[Sketches], permutations: int) -> Sketches:
        """Join sketches of consecutive batches into one."""
        if not parts:
            return Sketches(
                np.zeros(1, np.int64),
                np.zeros(0, np.uint32),
                np.zeros((0, permutations), np.uint32),
                np.zeros(0, np.int64),
            )
        sizes = np.concatenate([p.sizes() for p in parts])
        ptr = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=ptr[1:])
        return Sketches(
            ptr,
            np.concatenate([p.shingles for p in parts]),
            np.concatenate([p.signatures for p in parts]),
            np.concatenate([p.words for p in parts]),
        )


def sketch_tokens(tokens: Tokens, params: SketchParams = SketchParams()) -> Sketches:
    """Shingle sets and OPH signatures of every document of a tokenised batch."""
    n_docs = len(tokens)
    capacity = max(0, len(tokens.hashes))
    ptr = np.zeros(n_docs + 1, dtype=np.int64)
    shingles = np.empty(capacity, dtype=np.uint32)
    signatures = np.empty((n_docs, params.permutations), dtype=np.uint32)
    _sketch(tokens.doc_ptr, tokens.hashes, params.shingle, params.permutations, ptr, shingles, signatures)
    return Sketches(ptr, shingles[: ptr[n_docs]].copy(), signatures, tokens.counts())


@njit(cache=True, nogil=True)
def shingle_hash(words, i, n):  # type: ignore[no-untyped-def]
    """The 64-bit hash of the n words starting at ``i`` (order-sensitive)."""
    h = np.uint64(0x9E3779B97F4A7C15)
    for k in range(n):
        h = (h ^ words[i + k]) * np.uint64(0x100000001B3)
        h ^= h >> np.uint64(29)
    return finish_hash(h)


@njit(cache=True, nogil=True)
def _sketch(doc_ptr, words, n, k, ptr, out, signatures):  # type: ignore[no-untyped-def]
    shift = np.uint64(64 - int(np.log2(k)))
    buf = np.empty(0, dtype=np.uint64)
    for d in range(len(doc_ptr) - 1):
        lo = doc_ptr[d]
        m = doc_ptr[d + 1] - lo
        count = m - n + 1
        if 0 < m < n:
            count = 1  # a text shorter than one shingle is one shingle of all its words
        if count < 0:
            count = 0
        if len(buf) < count:
            buf = np.empty(count * 2, dtype=np.uint64)
        for i in range(count):
            buf[i] = shingle_hash(words, lo + i, min(n, m))
        sig = signatures[d]
        sig[:] = EMPTY_BIN
        for i in range(count):
            h = buf[i]
            b = h >> shift
            v = np.uint32(h & np.uint64(0xFFFFFFFF))
            if v < sig[b]:
                sig[b] = v
        _densify(sig)
        # the shingle set: low 32 bits, sorted and unique
        s = np.sort((buf[:count] & np.uint64(0xFFFFFFFF)).astype(np.uint32))
        start = ptr[d]
        j = start
        for i in range(count):
            if i == 0 or s[i] != s[i - 1]:
                out[j] = s[i]
                j += 1
        ptr[d + 1] = j


@njit(cache=True, nogil=True)
def _densify(sig):  # type: ignore[no-untyped-def]
    """Fill empty bins from a non-empty bin chosen by a fixed probe sequence per bin.

    The probe sequence depends only on the bin index, so two documents with the same non-empty
    bins fill their empty bins identically (optimal densification, Shrivastava 2017).
    """
    k = len(sig)
    filled = 0
    for b in range(k):
        if sig[b] != EMPTY_BIN:
            filled += 1
    if filled == 0 or filled == k:
        return
    source = sig.copy()
    for b in range(k):
        if source[b] != EMPTY_BIN:
            continue
        attempt = np.uint64(1)
        while True:
            probe = finish_hash(np.uint64(b) * np.uint64(0x9E3779B97F4A7C15) + attempt) % np.uint64(k)
            if source[probe] != EMPTY_BIN:
                sig[b] = source[probe]
                break
            attempt += np.uint64(1)
