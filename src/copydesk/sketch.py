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

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from copydesk.kernels import njit
from copydesk.text import Tokens, char_tables, finish_hash, scan_text, span_array, to_utf8

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


@dataclass
class Sketches:
    """Shingle sets (CSR: doc ``i`` owns ``shingles[ptr[i]:ptr[i+1]]``, sorted, unique) and signatures.

    Only candidate generation reads the signatures; ``release_signatures`` lets it free them
    (0.5 GB at a million articles) before the later stages reach their memory peaks.
    """

    ptr: np.ndarray
    shingles: np.ndarray
    signatures: np.ndarray
    words: np.ndarray
    """Word tokens per document (its ``n_words``), a by-product of tokenising."""
    digests: np.ndarray
    """64-bit hash of each document's normalised word sequence: equal digests, the same text up
    to case, quotes, spacing and punctuation (an exact duplicate)."""

    def __len__(self) -> int:
        return len(self.ptr) - 1

    def sizes(self) -> np.ndarray:
        return np.diff(self.ptr)

    def release_signatures(self) -> None:
        """Drop the signatures: a later use finds no bins and says so (``find_candidates`` raises)."""
        self.signatures = np.zeros((len(self), 0), dtype=np.uint32)

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
                np.zeros(0, np.uint64),
            )
        sizes = np.concatenate([p.sizes() for p in parts])
        ptr = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=ptr[1:])
        return Sketches(
            ptr,
            np.concatenate([p.shingles for p in parts]),
            np.concatenate([p.signatures for p in parts]),
            np.concatenate([p.words for p in parts]),
            np.concatenate([p.digests for p in parts]),
        )


class SketchBuilder:
    """Sketches of consecutive batches, appended into arrays that grow, so the whole is never held twice.

    ``expected_shingles`` may be far above what comes (such as the input bytes / 2): memory that
    is reserved but never written costs nothing.
    """

    def __init__(self, permutations: int, expected_docs: int = 4096, expected_shingles: int = 1 << 20) -> None:
        self.permutations = permutations
        self.docs = 0
        self.ptr = np.zeros(expected_docs + 1, dtype=np.int64)
        self.shingles = np.empty(expected_shingles, dtype=np.uint32)
        self.signatures = np.empty((expected_docs, permutations), dtype=np.uint32)
        self.words = np.empty(expected_docs, dtype=np.int64)
        self.digests = np.empty(expected_docs, dtype=np.uint64)

    def reserve(self, docs: int, shingles: int) -> None:
        """Room for ``docs`` documents and ``shingles`` shingles in all."""
        if docs > len(self.words):
            self.ptr = _grown(self.ptr, docs + 1, self.docs + 1)
            self.signatures = _grown(self.signatures, docs, self.docs)
            self.words = _grown(self.words, docs, self.docs)
            self.digests = _grown(self.digests, docs, self.docs)
        if shingles > len(self.shingles):
            self.shingles = _grown(self.shingles, shingles, int(self.ptr[self.docs]))

    def add(self, part: Sketches) -> None:
        n, lo = len(part), int(self.ptr[self.docs])
        hi = lo + len(part.shingles)
        if self.docs + n > len(self.words):
            self.reserve(2 * (self.docs + n), 0)
        if hi > len(self.shingles):
            self.reserve(0, 2 * hi)
        self.shingles[lo:hi] = part.shingles
        self.ptr[self.docs + 1 : self.docs + n + 1] = part.ptr[1:] + lo
        self.signatures[self.docs : self.docs + n] = part.signatures
        self.words[self.docs : self.docs + n] = part.words
        self.digests[self.docs : self.docs + n] = part.digests
        self.docs += n

    def build(self) -> Sketches:
        """The sketches so far (views of the builder's arrays, not copies)."""
        n = self.docs
        return Sketches(
            self.ptr[: n + 1], self.shingles[: self.ptr[n]], self.signatures[:n], self.words[:n], self.digests[:n]
        )


def _grown(array: np.ndarray, length: int, used: int) -> np.ndarray:
    """``array`` with room for ``length`` items; only the ``used`` ones are copied (and so touched)."""
    bigger = np.empty((length, *array.shape[1:]), dtype=array.dtype)
    bigger[:used] = array[:used]
    return bigger


def reorder(sketches: Sketches, order: np.ndarray) -> Sketches:
    """The sketches with row ``i`` taken from row ``order[i]``."""
    sizes = sketches.sizes()[order]
    ptr = np.zeros(len(order) + 1, dtype=np.int64)
    np.cumsum(sizes, out=ptr[1:])
    shingles = np.empty(int(ptr[-1]), dtype=np.uint32)
    _gather(sketches.ptr, sketches.shingles, order, ptr, shingles)
    return Sketches(ptr, shingles, sketches.signatures[order], sketches.words[order], sketches.digests[order])


@njit(cache=True, nogil=True)
def _gather(ptr, shingles, order, new_ptr, out):  # type: ignore[no-untyped-def]
    for r in range(len(order)):
        d = order[r]
        out[new_ptr[r] : new_ptr[r + 1]] = shingles[ptr[d] : ptr[d + 1]]


def sketch_texts(
    texts: Sequence[str], spans: Sequence[tuple[int, int]] | None = None, params: SketchParams = SketchParams()
) -> Sketches:
    """Sketches of ``texts`` (only ``spans[i]`` of text ``i``), tokenised on the way; as
    ``sketch_tokens(tokenize(texts, spans))`` without materialising the tokens.
    """
    data, byte_starts = to_utf8(texts)
    n_docs = len(texts)
    span_arr = span_array(n_docs, spans)
    ptr = np.zeros(n_docs + 1, dtype=np.int64)
    shingles = np.empty(len(data) // 2 + n_docs, dtype=np.uint32)  # at most a shingle per word
    signatures = np.empty((n_docs, params.permutations), dtype=np.uint32)
    words = np.zeros(n_docs, dtype=np.int64)
    digests = np.empty(n_docs, dtype=np.uint64)
    tables = char_tables()
    _sketch_texts(data, byte_starts, span_arr, *tables, params.shingle, ptr, shingles, signatures, words, digests)
    return Sketches(ptr, shingles[: ptr[n_docs]].copy(), signatures, words, digests)


def sketch_tokens(tokens: Tokens, params: SketchParams = SketchParams()) -> Sketches:
    """Shingle sets and OPH signatures of every document of a tokenised batch."""
    n_docs = len(tokens)
    capacity = max(0, len(tokens.hashes))
    ptr = np.zeros(n_docs + 1, dtype=np.int64)
    shingles = np.empty(capacity, dtype=np.uint32)
    signatures = np.empty((n_docs, params.permutations), dtype=np.uint32)
    digests = np.empty(n_docs, dtype=np.uint64)
    _sketch(tokens.doc_ptr, tokens.hashes, params.shingle, ptr, shingles, signatures, digests)
    return Sketches(ptr, shingles[: ptr[n_docs]].copy(), signatures, tokens.counts(), digests)


@njit(cache=True, nogil=True)
def shingle_hash(words, i, n):  # type: ignore[no-untyped-def]
    """The 64-bit hash of the n words starting at ``i`` (order-sensitive)."""
    h = np.uint64(0x9E3779B97F4A7C15)
    for k in range(n):
        h = (h ^ words[i + k]) * np.uint64(0x100000001B3)
        h ^= h >> np.uint64(29)
    return finish_hash(h)


@njit(cache=True, nogil=True)
def _sketch(doc_ptr, words, n, ptr, out, signatures, digests):  # type: ignore[no-untyped-def]
    longest = 1
    for d in range(len(doc_ptr) - 1):
        longest = max(longest, doc_ptr[d + 1] - doc_ptr[d])
    low = np.empty(longest, dtype=np.uint32)
    scratch = np.empty(longest, dtype=np.uint32)
    for d in range(len(doc_ptr) - 1):
        sketch_doc(words[doc_ptr[d] : doc_ptr[d + 1]], n, low, scratch, signatures[d], out, ptr, d)
        digests[d] = shingle_hash(words, doc_ptr[d], doc_ptr[d + 1] - doc_ptr[d])  # the whole text as one n-gram


@njit(cache=True, nogil=True)
def _sketch_texts(data, byte_starts, spans, kind, fold_ptr, fold_data, n, ptr, out, signatures, words, digests):  # type: ignore[no-untyped-def]
    """Tokenise and sketch in one pass: a document's words never leave small reused buffers."""
    size = 0
    starts = np.empty(size, dtype=np.int32)
    ends = np.empty(size, dtype=np.int32)
    hashes = np.empty(size, dtype=np.uint64)
    low = np.empty(size, dtype=np.uint32)
    scratch = np.empty(size, dtype=np.uint32)
    for d in range(len(spans)):
        lo, hi = byte_starts[d], byte_starts[d + 1]
        if hi - lo + 1 > size:  # a text has fewer words than half its bytes, plus one
            size = 2 * (hi - lo + 1)
            starts = np.empty(size, dtype=np.int32)
            ends = np.empty(size, dtype=np.int32)
            hashes = np.empty(size, dtype=np.uint64)
            low = np.empty(size, dtype=np.uint32)
            scratch = np.empty(size, dtype=np.uint32)
        m = scan_text(data, lo, hi, spans[d, 0], spans[d, 1], kind, fold_ptr, fold_data, starts, ends, hashes, 0)
        words[d] = m
        sketch_doc(hashes[:m], n, low, scratch, signatures[d], out, ptr, d)
        digests[d] = shingle_hash(hashes, 0, m)  # the whole text as one n-gram


@njit(cache=True, nogil=True)
def sketch_doc(words, n, low, scratch, sig, out, ptr, d):  # type: ignore[no-untyped-def]
    """Sketch document ``d`` from its word hashes: its signature into ``sig``, its sorted unique
    shingles into ``out`` from ``ptr[d]`` (setting ``ptr[d + 1]``).

    ``low`` and ``scratch`` are work space with room for ``max(len(words), 1)`` values.
    """
    shift = np.uint64(64 - int(np.log2(len(sig))))
    m = len(words)
    count = m - n + 1
    if 0 < m < n:
        count = 1  # a text shorter than one shingle is one shingle of all its words
    if count < 0:
        count = 0
    sig[:] = EMPTY_BIN
    for i in range(count):
        h = shingle_hash(words, i, min(n, m))
        b = h >> shift
        v = np.uint32(h & np.uint64(0xFFFFFFFF))
        low[i] = v
        sig[b] = min(sig[b], v)  # branch-free: a compare-and-store mispredicts about every other time
    _densify(sig)
    # the shingle set: low 32 bits, sorted and unique
    s = radix_sort(low[:count], scratch)
    j = ptr[d]
    for i in range(count):
        if i == 0 or s[i] != s[i - 1]:
            out[j] = s[i]
            j += 1
    ptr[d + 1] = j


@njit(cache=True, nogil=True)
def radix_sort(values, scratch):  # type: ignore[no-untyped-def]
    """``values`` (uint32) sorted, in four 8-bit passes between ``values`` and ``scratch``.

    Returns whichever of the two holds the result (a view of ``len(values)`` items); several
    times faster than a comparison sort for the few hundred shingles of an article.
    """
    n = len(values)
    counts = np.zeros((4, 257), dtype=np.int64)
    for i in range(n):
        v = values[i]
        counts[0, (v & 0xFF) + 1] += 1
        counts[1, ((v >> 8) & 0xFF) + 1] += 1
        counts[2, ((v >> 16) & 0xFF) + 1] += 1
        counts[3, (v >> 24) + 1] += 1
    for p in range(4):
        for b in range(256):
            counts[p, b + 1] += counts[p, b]
    src, dst = values, scratch[:n]
    for p in range(4):
        shift = np.uint32(8 * p)
        for i in range(n):
            v = src[i]
            b = (v >> shift) & 0xFF
            dst[counts[p, b]] = v
            counts[p, b] += 1
        src, dst = dst, src
    return src


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
