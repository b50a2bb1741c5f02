"""Passages stage: align every pair of articles that shares copy, in one compiled batch.

The pairs are the verified copy pairs; partial reuse (an article quoting a few paragraphs of a
wire story) adds pairs from shared rare long n-grams. Texts are tokenised over their body span
only, so headlines and metadata lines never anchor an alignment, and offsets index the original.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from copydesk.align import AlignParams, PairAlignment, align_pairs
from copydesk.article import Article
from copydesk.text import tokenize


@dataclass(frozen=True)
class AlignedPair:
    """The alignment of articles ``a`` and ``b`` (ids, ``a`` < ``b``)."""

    a: str
    b: str
    alignment: PairAlignment


def align_articles(
    articles: Sequence[Article], pairs: np.ndarray | Sequence[tuple[int, int]], params: AlignParams = AlignParams()
) -> list[AlignedPair]:
    """Align each pair ``(i, j)`` of rows of ``articles``; a is the one with the smaller id."""
    rows = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if not len(rows):
        return []
    ordered = np.where(
        np.array([articles[i].id < articles[j].id for i, j in rows.tolist()])[:, None], rows, rows[:, ::-1]
    )
    used = np.unique(ordered)
    local = {int(r): k for k, r in enumerate(used.tolist())}
    chosen = [articles[r] for r in used.tolist()]
    texts = [a.text for a in chosen]
    tokens = tokenize(texts, [(a.body_start, a.body_end) for a in chosen])
    local_pairs = np.array([[local[i], local[j]] for i, j in ordered.tolist()], dtype=np.int64)
    found = align_pairs(texts, tokens, local_pairs, params)
    return [
        AlignedPair(articles[i].id, articles[j].id, alignment)
        for (i, j), alignment in zip(ordered.tolist(), found, strict=True)
    ]


def align_shared_copy(
    articles: Sequence[Article],
    required: np.ndarray | Sequence[tuple[int, int]],
    candidates: np.ndarray | Sequence[tuple[int, int]] = (),
    params: AlignParams = AlignParams(),
) -> list[AlignedPair]:
    """Align the ``required`` pairs (copy pairs, lineage edges) and the partial-reuse ``candidates``.

    Every required pair is returned; a candidate only when at least one passage survives.
    """
    need = _keys(articles, required)
    pairs = np.unique(np.concatenate([_rows(required), _rows(candidates)]), axis=0)
    found = align_articles(articles, pairs, params)
    return [p for p in found if p.alignment.passages or (p.a, p.b) in need]


def _rows(pairs: np.ndarray | Sequence[tuple[int, int]]) -> np.ndarray:
    """Pairs as sorted ``(min, max)`` rows of an ``(n, 2)`` int64 array."""
    rows = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    return np.sort(rows, axis=1)


def _keys(articles: Sequence[Article], pairs: np.ndarray | Sequence[tuple[int, int]]) -> set[tuple[str, str]]:
    """``(a, b)`` id pairs, ``a < b``."""
    out = set()
    for i, j in _rows(pairs).tolist():
        x, y = articles[i].id, articles[j].id
        out.add((x, y) if x < y else (y, x))
    return out


def passage_records(aligned: Sequence[AlignedPair]) -> Iterator[dict[str, Any]]:
    """passages.jsonl: one record per passage, pairs in id order, passages in the order of a."""
    for pair in sorted(aligned, key=lambda p: (p.a, p.b)):
        for passage in pair.alignment.passages:
            yield {
                "a": pair.a,
                "b": pair.b,
                "a_start": passage.a_start,
                "a_end": passage.a_end,
                "b_start": passage.b_start,
                "b_end": passage.b_end,
                "words": passage.words,
                "identity": round(passage.identity, 4),
                "edits": [
                    {"op": e.op, "a_text": e.a_text, "b_text": e.b_text, "a_start": e.a_start, "b_start": e.b_start}
                    for e in passage.edits
                ],
            }
