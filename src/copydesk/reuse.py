"""Partial reuse: pairs that share a few long passages but are no near-duplicates.

An article that quotes two paragraphs of a wire story inside its own reporting shares too little
overall for the near-duplicate stage, yet both share long word n-grams that almost no other
article holds. Candidates are the pairs sharing at least ``min_shared`` such rare n-grams
(document frequency at most ``max_df``), sampled by hash so the index stays small; the aligner
then decides whether a passage of ``min_words`` survives.

An n-gram held only by articles of one outlet is that outlet's footer or stock line, not reuse;
n-grams overlapping the boilerplate found by the near-duplicate stage are skipped as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from copydesk.article import Article
from copydesk.candidates import pack_pairs, runs_of_at_least, unique_pairs, unpack_pairs
from copydesk.kernels import njit
from copydesk.sketch import shingle_hash
from copydesk.text import finish_hash, tokenize
from copydesk.verify import contains


@dataclass(frozen=True)
class ReuseParams:
    """How partial-reuse candidates are found."""

    ngram: int = 8
    """Words per n-gram: eight words in the same order are almost never shared by chance."""
    sample_mod: int = 3
    """Keep the n-grams whose hash is 0 mod this: a 15-word passage has 8 n-grams, ~2.7 kept."""
    max_df: int = 16
    """An n-gram in more articles than this is a stock phrase or quotation everyone runs."""
    min_shared: int = 2
    """Sampled rare n-grams two articles must share to be aligned (one can be a stock phrase)."""

    def __post_init__(self) -> None:
        if self.ngram < 1 or self.sample_mod < 1:
            raise ValueError("ngram and sample_mod must be at least 1")
        if self.max_df < 2 or self.min_shared < 1:
            raise ValueError("max_df must be at least 2 and min_shared at least 1")


def reuse_candidates(
    articles: Sequence[Article],
    params: ReuseParams = ReuseParams(),
    exclude: np.ndarray | None = None,
    boilerplate: np.ndarray | None = None,
    shingle: int = 5,
) -> np.ndarray:
    """Row pairs ``(i, j)``, ``i < j``, sharing rare long n-grams, minus the pairs in ``exclude``.

    ``boilerplate``: sorted 32-bit shingle hashes (``CopyResult.boilerplate``, shingles of
    ``shingle`` words) whose n-grams are left out.
    """
    if len(articles) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    tokens = tokenize([a.text for a in articles], [(a.body_start, a.body_end) for a in articles])
    bp = np.zeros(0, dtype=np.uint32) if boilerplate is None else np.asarray(boilerplate, dtype=np.uint32)
    values, docs = _sampled_ngrams(
        tokens.doc_ptr, tokens.hashes, params.ngram, params.sample_mod, bp, min(shingle, params.ngram)
    )
    order = np.lexsort((docs, values))
    values, docs = values[order], docs[order]
    first = np.ones(len(values), dtype=bool)
    first[1:] = (values[1:] != values[:-1]) | (docs[1:] != docs[:-1])
    values, docs = values[first], docs[first]
    outlets = _outlet_codes(articles)
    pairs = _posting_pairs(values, docs, outlets, params.max_df)
    if len(pairs) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    keys = pack_pairs(pairs)
    keys.sort()
    hits = runs_of_at_least(keys, params.min_shared)
    if exclude is not None and len(exclude):
        ex = np.sort(np.asarray(exclude, dtype=np.int64).reshape(-1, 2), axis=1)
        hits = np.setdiff1d(hits, pack_pairs(ex))
    return unique_pairs(unpack_pairs(hits))


def _outlet_codes(articles: Sequence[Article]) -> np.ndarray:
    """A small integer per outlet name (-1: unknown outlet, never grouped)."""
    codes: dict[str, int] = {}
    return np.array([codes.setdefault(a.source, len(codes)) if a.source else -1 for a in articles], dtype=np.int64)


@njit(cache=True, nogil=True)
def _sampled_ngrams(doc_ptr, words, n, mod, boilerplate, shingle):  # type: ignore[no-untyped-def]
    """``(hash, document)`` of every sampled n-gram whose first and last shingles are not boilerplate."""
    total = 0
    for d in range(len(doc_ptr) - 1):
        total += max(0, doc_ptr[d + 1] - doc_ptr[d] - n + 1)
    values = np.empty(total, dtype=np.uint64)
    docs = np.empty(total, dtype=np.int64)
    count = 0
    modulus = np.uint64(mod)
    low = np.uint64(0xFFFFFFFF)
    for d in range(len(doc_ptr) - 1):
        lo = doc_ptr[d]
        for i in range(lo, doc_ptr[d + 1] - n + 1):
            g = np.uint64(n)
            for t in range(n):
                g = ((g << np.uint64(13)) | (g >> np.uint64(51))) ^ words[i + t]
            g = finish_hash(g)
            if g % modulus != 0:
                continue
            if len(boilerplate):  # the stored shingles are the low 32 bits of the shingle hashes
                first = np.uint32(shingle_hash(words, i, shingle) & low)
                last = np.uint32(shingle_hash(words, i + n - shingle, shingle) & low)
                if contains(boilerplate, first) or contains(boilerplate, last):
                    continue
            values[count] = g
            docs[count] = d
            count += 1
    return values[:count], docs[:count]


@njit(cache=True, nogil=True)
def _posting_pairs(values, docs, outlets, max_df):  # type: ignore[no-untyped-def]
    """Pairs of documents in each run of equal values of 2 to ``max_df`` documents, not all of one outlet."""
    n = len(values)
    total = 0
    start = 0
    for i in range(1, n + 1):
        if i == n or values[i] != values[start]:
            size = i - start
            if 2 <= size <= max_df:
                total += size * (size - 1) // 2
            start = i
    out = np.empty((total, 2), dtype=np.int64)
    t = 0
    start = 0
    for i in range(1, n + 1):
        if i == n or values[i] != values[start]:
            size = i - start
            if 2 <= size <= max_df and not _one_outlet(docs, outlets, start, i):
                for x in range(start, i):
                    for y in range(x + 1, i):
                        a, b = docs[x], docs[y]
                        out[t, 0] = min(a, b)
                        out[t, 1] = max(a, b)
                        t += 1
            start = i
    return out[:t]


@njit(cache=True, nogil=True)
def _one_outlet(docs, outlets, lo, hi):  # type: ignore[no-untyped-def]
    """Whether documents ``docs[lo:hi]`` all come from the same known outlet."""
    first = outlets[docs[lo]]
    if first < 0:
        return False
    for x in range(lo + 1, hi):  # noqa: SIM110 (numba compiles no generator)
        if outlets[docs[x]] != first:
            return False
    return True
