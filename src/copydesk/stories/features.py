"""Lexical features of story units: TF-IDF vectors over normalised words, names and numbers weighted up.

A *unit* is one piece of reporting: a copy cluster (its members are one text, reprinted) or a
lone article. Units, not articles, are what IDF counts and what stories are made of, so a wire
story printed by 500 outlets neither makes its own words look common nor outvotes the one
independent report of the same event.

Per unit, a term's weight is ``(1 + log tf) * idf * boost``: ``tf`` the largest count in any
member, ``idf = log(units / df)``, ``boost`` ``1 + name_boost * r`` for a word capitalised mid-
sentence in a share ``r`` of its mid-sentence uses across the corpus (names, places), ``1 +
number_boost`` for a number, and ``bigram_weight * (1 + name_boost)`` for two adjacent
capitalised words ("Betty Ford"). Rows are L2-normalised, so a dot product is a cosine.

An outlet's paragraph that it printed in ``boilerplate_units`` different units (a footer, a
newsletter plug) is left out. Everything is O(total tokens) time; memory holds one row per
distinct term of each article.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from copydesk.article import Article
from copydesk.kernels import njit
from copydesk.stories.params import StoryParams
from copydesk.text import DIGIT, Tokens, char_tables, finish_hash, tokenize

# Token flags.
CAP, INITIAL, HAS_DIGIT, TITLE = 1, 2, 4, 8
_BATCH = 2048
_BIGRAM_MIX = np.uint64(0x9E3779B97F4A7C15)
# Text before a token that ends a sentence: the next capitalised word proves nothing.
_SENTENCE_END = ".!?:;\n\r"


@dataclass(frozen=True)
class UnitVectors:
    """L2-normalised TF-IDF rows of the units, in CSR form, with the vocabulary behind the term ids.

    Row ``u`` is ``terms[indptr[u]:indptr[u + 1]]`` (sorted term ids) with ``weights`` alike;
    ``vocab[t]`` is the 64-bit hash of term ``t`` (a word as ``tokenize`` hashes it, or a bigram);
    ``df[t]`` the number of units holding it; ``boost[t]`` its name/number weight (labels reuse it).
    """

    indptr: np.ndarray
    terms: np.ndarray
    weights: np.ndarray
    vocab: np.ndarray
    df: np.ndarray
    boost: np.ndarray

    @property
    def n_units(self) -> int:
        return len(self.indptr) - 1


@dataclass
class _Rows:
    """Per (article, term) rows gathered from one batch of articles."""

    doc: np.ndarray
    hash: np.ndarray
    tf: np.ndarray
    cap: np.ndarray
    mid: np.ndarray
    kind: np.ndarray  # 0 word, 1 number, 2 bigram


def feature_text(article: Article) -> tuple[str, int]:
    """The text whose words describe the article: title (when not already in the body) and body.

    Returns the text and where its body starts (title words are in title case: no name evidence).
    """
    body = article.text[article.body_start : article.body_end]
    title = (article.title or "").strip()
    if not title or title in body:
        return body, 0
    return f"{title}\n{body}", len(title) + 1


def unit_vectors(articles: Sequence[Article], unit_of: np.ndarray, n_units: int, params: StoryParams) -> UnitVectors:
    """TF-IDF rows of the units; ``unit_of[i]`` is the unit of ``articles[i]``."""
    boiler = boilerplate_lines(articles, unit_of, params.boilerplate_units)
    batches = [_batch_rows(articles[lo : lo + _BATCH], lo, boiler) for lo in range(0, len(articles), _BATCH)]
    rows = _Rows(*(np.concatenate([getattr(b, f) for b in batches]) for f in _Rows.__dataclass_fields__))
    vocab, term = np.unique(rows.hash, return_inverse=True)
    n_terms = len(vocab)
    cap_share = np.bincount(term, rows.cap, n_terms) / np.maximum(np.bincount(term, rows.mid, n_terms), 1)
    kind = np.zeros(n_terms, dtype=np.int8)
    kind[term] = rows.kind
    unit, term, tf = _max_per_unit(unit_of[rows.doc], term, rows.tf)
    df = np.bincount(term, minlength=n_terms)
    idf = np.log(max(n_units, 1) / np.maximum(df, 1))
    idf[df > max(params.max_df * n_units, 2.0)] = 0.0
    boost = np.where(kind == 1, 1 + params.number_boost, 1 + params.name_boost * cap_share)
    boost[kind == 2] = params.bigram_weight * (1 + params.name_boost)
    weight = (1 + np.log(tf)) * (idf * boost)[term]
    keep = weight > 0
    unit, term, weight = unit[keep], term[keep], weight[keep]
    indptr = np.zeros(n_units + 1, dtype=np.int64)
    np.cumsum(np.bincount(unit, minlength=n_units), out=indptr[1:])
    norms = np.sqrt(np.add.reduceat(weight * weight, indptr[:-1])) if len(weight) else np.zeros(0)
    sizes = np.diff(indptr)
    norms = np.where(sizes > 0, norms if len(norms) else 0.0, 1.0)
    weight = weight / np.repeat(norms, sizes)
    return UnitVectors(indptr, term.astype(np.int64), weight, vocab, df, boost)


def _max_per_unit(unit: np.ndarray, term: np.ndarray, tf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Collapse (article, term) rows to (unit, term) rows with the largest tf, sorted by unit then term."""
    order = np.lexsort((term, unit))
    unit, term, tf = unit[order], term[order], tf[order]
    if len(unit) == 0:
        return unit, term, tf.astype(np.float64)
    starts = np.flatnonzero(np.r_[True, (unit[1:] != unit[:-1]) | (term[1:] != term[:-1])])
    return unit[starts], term[starts], np.maximum.reduceat(tf, starts).astype(np.float64)


def boilerplate_lines(articles: Sequence[Article], unit_of: np.ndarray, min_units: int) -> set[tuple[str, int]]:
    """(source, line hash) of each paragraph that one outlet printed in ``min_units`` or more units."""
    if min_units < 2 or not any(a.source for a in articles):
        return set()
    seen: dict[tuple[str, int], set[int]] = {}
    for lo in range(0, len(articles), _BATCH):
        chunk = articles[lo : lo + _BATCH]
        toks, _, lines, _ = _scan_batch(chunk)
        for i, article in enumerate(chunk):
            if not article.source:
                continue
            a, b = int(toks.doc_ptr[i]), int(toks.doc_ptr[i + 1])
            for line_hash in np.unique(lines[a:b]).tolist():
                seen.setdefault((article.source, line_hash), set()).add(int(unit_of[lo + i]))
    return {key for key, units in seen.items() if len(units) >= min_units}


def _batch_rows(chunk: Sequence[Article], first: int, boiler: set[tuple[str, int]]) -> _Rows:
    """(article, term) rows of one batch: term counts, mid-sentence capitalised uses, kind."""
    toks, flags, lines, joined = _scan_batch(chunk)
    doc = np.repeat(np.arange(first, first + len(chunk), dtype=np.int64), toks.counts())
    keep = np.ones(len(doc), dtype=bool)
    if boiler:
        for i, article in enumerate(chunk):
            a, b = int(toks.doc_ptr[i]), int(toks.doc_ptr[i + 1])
            if article.source:
                keep[a:b] = [(article.source, h) not in boiler for h in lines[a:b].tolist()]
    mid = (flags & (INITIAL | TITLE)) == 0
    cap = mid & ((flags & CAP) != 0)
    number = (flags & HAS_DIGIT) != 0
    capital = (flags & CAP) != 0
    pair = joined & np.r_[False, capital[:-1]] & capital & ~number & np.r_[False, ~number[:-1]]
    pair &= keep & np.r_[False, keep[:-1]]
    pair_idx = np.flatnonzero(pair)
    pair_hash = finish_hash_array(toks.hashes[pair_idx - 1] * _BIGRAM_MIX + toks.hashes[pair_idx])
    hashes = np.concatenate([toks.hashes[keep], pair_hash])
    docs = np.concatenate([doc[keep], doc[pair_idx]])
    kinds = np.concatenate([number[keep].astype(np.int8), np.full(len(pair_idx), 2, dtype=np.int8)])
    caps = np.concatenate([cap[keep], np.ones(len(pair_idx), dtype=bool)]).astype(np.float64)
    mids = np.concatenate([mid[keep], np.ones(len(pair_idx), dtype=bool)]).astype(np.float64)
    order = np.lexsort((hashes, docs))
    docs, hashes, kinds, caps, mids = docs[order], hashes[order], kinds[order], caps[order], mids[order]
    if len(docs) == 0:
        return _Rows(docs, hashes, np.zeros(0, np.int64), caps, mids, kinds)
    starts = np.flatnonzero(np.r_[True, (docs[1:] != docs[:-1]) | (hashes[1:] != hashes[:-1])])
    return _Rows(
        doc=docs[starts],
        hash=hashes[starts],
        tf=np.diff(np.r_[starts, len(docs)]),
        cap=np.add.reduceat(caps, starts),
        mid=np.add.reduceat(mids, starts),
        kind=kinds[starts],
    )


def finish_hash_array(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser over an array (the same mix ``tokenize`` uses)."""
    return _finish_all(np.ascontiguousarray(h, dtype=np.uint64))


@njit(cache=True)
def _finish_all(h):  # type: ignore[no-untyped-def]
    out = np.empty_like(h)
    for i in range(len(h)):
        out[i] = finish_hash(h[i])
    return out


def _scan_batch(chunk: Sequence[Article]) -> tuple[Tokens, np.ndarray, np.ndarray, np.ndarray]:
    """Tokens of a batch with per-token flags, line hashes and 'follows the previous word after a space'."""
    texts, body_at = zip(*(feature_text(a) for a in chunk), strict=True) if chunk else ((), ())
    toks = tokenize(list(texts))
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    text_ptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in texts], out=text_ptr[1:])
    upper, sentence_end = _case_tables()
    kind = char_tables()[0]
    flags, lines, joined = _token_flags(
        codes, text_ptr, toks.doc_ptr, toks.starts, toks.ends, toks.hashes,
        np.asarray(body_at, dtype=np.int64), upper, sentence_end, kind,
    )  # fmt: skip
    return toks, flags, lines, joined


@functools.cache
def _case_tables() -> tuple[np.ndarray, np.ndarray]:
    """Per code point: is it an upper- or title-case letter; does it end a sentence."""
    limit = len(char_tables()[0])
    upper = np.fromiter((chr(c).isupper() or chr(c).istitle() for c in range(limit)), dtype=np.bool_, count=limit)
    ends = np.zeros(limit, dtype=np.bool_)
    ends[[ord(c) for c in _SENTENCE_END]] = True
    return upper, ends


@njit(cache=True)
def _token_flags(codes, text_ptr, doc_ptr, starts, ends, hashes, body_at, upper, sentence_end, kind):  # type: ignore[no-untyped-def]
    """Flags (CAP, INITIAL, HAS_DIGIT, TITLE), the hash of each token's line and space-only joins."""
    n = len(starts)
    limit = len(upper)
    flags = np.zeros(n, dtype=np.uint8)
    lines = np.zeros(n, dtype=np.uint64)
    joined = np.zeros(n, dtype=np.bool_)
    for d in range(len(doc_ptr) - 1):
        base = text_ptr[d]
        line_start = doc_ptr[d]
        h = np.uint64(0)
        for t in range(doc_ptr[d], doc_ptr[d + 1]):
            s = starts[t]
            f = 0
            c = codes[base + s]
            if c < limit and upper[c]:
                f |= CAP
            for p in range(s, ends[t]):
                c = codes[base + p]
                if c < limit and kind[c] == DIGIT:
                    f |= HAS_DIGIT
                    break
            if s < body_at[d]:
                f |= TITLE
            gap_from = ends[t - 1] if t > doc_ptr[d] else 0
            initial = t == doc_ptr[d] or s == body_at[d]
            newline = False
            spaces_only = t > doc_ptr[d]
            for p in range(gap_from, s):
                c = codes[base + p]
                if c < limit and sentence_end[c]:
                    initial = True
                if c == 10 or c == 13:
                    newline = True
                if c != 32:
                    spaces_only = False
            if initial:
                f |= INITIAL
            joined[t] = spaces_only
            flags[t] = f
            if newline:
                for u in range(line_start, t):
                    lines[u] = h
                line_start = t
                h = np.uint64(0)
            h = finish_hash(h ^ hashes[t])
        for u in range(line_start, doc_ptr[d + 1]):
            lines[u] = h
    return flags, lines, joined
