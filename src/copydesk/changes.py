"""Change summaries: what a version changed against the version it came from (its lineage parent).

Read off the passage alignment of parent and child:

- kept words are matched words inside passages; added and cut words are the rest of each side;
- a paragraph is cut (parent) or added (child) when less than half of its words are accounted for,
  i.e. lie in a passage or in a rewritten sentence;
- a sentence is rewritten when it is mostly unaligned but shares a good part of its vocabulary
  (Dice >= 0.35: a rewritten lede scores ~0.4, an unrelated sentence of the same story ~0.25)
  with a mostly unaligned sentence of the other side, or when it holds a long substitution;
- an outlet's footer, an agency credit line ("(AFP)", "–Agencies") and boilerplate are never
  listed as added or cut paragraphs: they are no new material;
- substitutions of a few words are house style ("United States" -> "US") and are grouped with a
  count; insertions and deletions are the one-sided edits inside passages;
- a quotation is altered when an edit falls inside quotation marks on either side.

The result is the ``changes`` object of docs/output-contract.md.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from copydesk.align import PairAlignment
from copydesk.article import Article
from copydesk.ingest.metadata import canonical_agency
from copydesk.kernels import njit
from copydesk.lineage import Edge
from copydesk.sketch import shingle_hash
from copydesk.text import tokenize

# A substitution longer than this many words on either side is a rewrite, not house style.
HOUSE_STYLE_WORDS = 3
# A paragraph (or sentence) with less than this share of its words accounted for is new or cut.
ACCOUNTED_SHARE = 0.5
# Two mostly unaligned sentences sharing at least this share of their words (Dice) are one rewritten.
REWRITE_DICE = 0.35
# A paragraph with at least this share of boilerplate shingles is a footer, never listed.
BOILERPLATE_SHARE = 0.5
PREVIEW_WORDS = 8
# Lines at each end of an article where an outlet's footer or standing line can be.
EDGE_LINES = 4

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)")
_LINE_BREAK = re.compile(r"[\r\n\u2029]+")
_QUOTATION = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"")


@dataclass(frozen=True)
class _Side:
    """One text's words with their paragraph and sentence numbers and what the alignment says of them."""

    text: str
    starts: np.ndarray
    ends: np.ndarray
    hashes: np.ndarray
    paragraph: np.ndarray
    sentence: np.ndarray
    in_passage: np.ndarray
    kept: np.ndarray
    quotes: list[tuple[int, int]]


@dataclass(frozen=True)
class _Edit:
    """An edit from parent to child: op, texts and starts on each side."""

    op: str
    parent_text: str
    child_text: str
    parent_start: int
    child_start: int


@dataclass(frozen=True)
class NotMaterial:
    """What is never a cut or added paragraph: boilerplate shingles (``CopyResult.boilerplate``, of
    ``shingle`` words) and lines an outlet repeats in several articles (``outlet_lines``)."""

    boilerplate: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))
    shingle: int = 5
    lines: frozenset[str] = frozenset()


def summarize_changes(
    parent: Article,
    child: Article,
    alignment: PairAlignment,
    parent_is_a: bool,
    skip: NotMaterial | None = None,
) -> dict[str, Any]:
    """The ``changes`` object of ``child`` against ``parent`` from their alignment (a = parent when ``parent_is_a``)."""
    skip = skip or NotMaterial()
    spans_p, spans_c, edits = _orient(alignment, parent_is_a)
    p = _side(parent, spans_p, [(e.parent_start, e.parent_start + len(e.parent_text)) for e in edits])
    c = _side(child, spans_c, [(e.child_start, e.child_start + len(e.child_text)) for e in edits])
    rewritten_c, rewritten_p = _rewritten_sentences(p, c)
    long_subs = [e for e in edits if e.op == "substitute" and not _house_style(e)]
    for e in long_subs:
        k = int(np.searchsorted(c.starts, e.child_start, side="right")) - 1
        if k >= 0:
            rewritten_c.add(int(c.sentence[k]))
    subs = Counter((e.parent_text, e.child_text) for e in edits if e.op == "substitute" and _house_style(e))
    words_kept = int(c.kept.sum())
    return {
        "words_kept": words_kept,
        "words_added": len(c.starts) - words_kept,
        "words_cut": len(p.starts) - int(p.kept.sum()),
        "paragraphs_cut": _unaccounted_paragraphs(p, rewritten_p, skip),
        "paragraphs_added": _unaccounted_paragraphs(c, rewritten_c, skip),
        "sentences_rewritten": len(rewritten_c),
        "substitutions": [
            {"from": before, "to": after, "count": n}
            for (before, after), n in sorted(subs.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "insertions": [{"text": e.child_text, "start": e.child_start} for e in edits if e.op == "insert"],
        "deletions": [{"text": e.parent_text, "start": e.parent_start} for e in edits if e.op == "delete"],
        "quotes_altered": sum(
            1 for e in edits if _inside(p.quotes, e.parent_start) or _inside(c.quotes, e.child_start)
        ),
    }


def _orient(
    alignment: PairAlignment, parent_is_a: bool
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[_Edit]]:
    """Passage spans on the parent and child sides, and the edits read from parent to child."""
    flip = {"insert": "delete", "delete": "insert", "substitute": "substitute"}
    spans_p, spans_c, edits = [], [], []
    for passage in alignment.passages:
        a, b = (passage.a_start, passage.a_end), (passage.b_start, passage.b_end)
        spans_p.append(a if parent_is_a else b)
        spans_c.append(b if parent_is_a else a)
        for e in passage.edits:
            if parent_is_a:
                edits.append(_Edit(e.op, e.a_text, e.b_text, e.a_start, e.b_start))
            else:
                edits.append(_Edit(flip[e.op], e.b_text, e.a_text, e.b_start, e.a_start))
    return spans_p, spans_c, edits


def _side(article: Article, passages: list[tuple[int, int]], edited: list[tuple[int, int]]) -> _Side:
    # to the end of the text: a closing line such as "(Reporting by ...)" is the parent's own paragraph
    toks = tokenize([article.text], [(article.body_start, len(article.text))])
    starts, ends = toks.starts.astype(np.int64), toks.ends.astype(np.int64)
    text = article.text
    breaks = np.array([m.start() for m in _LINE_BREAK.finditer(text)], dtype=np.int64)
    ends_of_sentences = np.array([m.start() for m in _SENTENCE_END.finditer(text)], dtype=np.int64)
    paragraph = np.searchsorted(breaks, starts)
    sentence = np.searchsorted(np.sort(np.concatenate([breaks, ends_of_sentences])), starts)
    in_passage = _within(starts, passages)
    kept = in_passage & ~_within(starts, [s for s in edited if s[1] > s[0]])
    quotes = [(m.start(), m.end()) for m in _QUOTATION.finditer(text)]
    return _Side(text, starts, ends, toks.hashes, paragraph, sentence, in_passage, kept, quotes)


def _within(starts: np.ndarray, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """Whether each word start lies inside one of ``spans`` (end exclusive)."""
    inside = np.zeros(len(starts), dtype=bool)
    for lo, hi in spans:
        inside[np.searchsorted(starts, lo) : np.searchsorted(starts, hi)] = True
    return inside


def _house_style(edit: _Edit) -> bool:
    return max(len(edit.parent_text.split()), len(edit.child_text.split())) <= HOUSE_STYLE_WORDS


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(lo < pos < hi for lo, hi in spans)


def _runs(groups: np.ndarray) -> list[tuple[int, int, int]]:
    """``(group, lo, hi)`` for each run of equal values of the non-decreasing ``groups``."""
    if not len(groups):
        return []
    cuts = np.flatnonzero(np.diff(groups)) + 1
    los = np.concatenate([[0], cuts]).tolist()
    his = np.concatenate([cuts, [len(groups)]]).tolist()
    return [(int(groups[lo]), lo, hi) for lo, hi in zip(los, his, strict=True)]


def _loose_sentences(side: _Side) -> dict[int, set[int]]:
    """Sentences with less than half their words kept: their word-hash sets, by sentence number."""
    kept = np.concatenate([[0], np.cumsum(side.kept)])
    return {
        s: set(side.hashes[lo:hi].tolist())
        for s, lo, hi in _runs(side.sentence)
        if hi - lo >= 3 and kept[hi] - kept[lo] < ACCOUNTED_SHARE * (hi - lo)
    }


def _rewritten_sentences(parent: _Side, child: _Side) -> tuple[set[int], set[int]]:
    """Child and parent sentence numbers paired as rewrites of each other (greedy, best match first)."""
    loose_c, loose_p = _loose_sentences(child), _loose_sentences(parent)
    scored = []
    for sc, wc in loose_c.items():
        for sp, wp in loose_p.items():
            dice = 2 * len(wc & wp) / (len(wc) + len(wp))
            if dice >= REWRITE_DICE:
                scored.append((-dice, sc, sp))
    done_c: set[int] = set()
    done_p: set[int] = set()
    for _, sc, sp in sorted(scored):
        if sc not in done_c and sp not in done_p:
            done_c.add(sc)
            done_p.add(sp)
    return done_c, done_p


def _unaccounted_paragraphs(side: _Side, rewritten: set[int], skip: NotMaterial) -> list[dict[str, Any]]:
    """Paragraphs with less than half their words in a passage or a rewritten sentence (material only)."""
    accounted = side.in_passage | np.isin(side.sentence, np.fromiter(rewritten, dtype=np.int64, count=len(rewritten)))
    done = np.concatenate([[0], np.cumsum(accounted)])
    out = []
    for _, lo, hi in _runs(side.paragraph):
        if done[hi] - done[lo] >= ACCOUNTED_SHARE * (hi - lo):
            continue
        idx = np.arange(lo, hi)
        start, end = _with_quotes(side.text, int(side.starts[idx[0]]), int(side.ends[idx[-1]]))
        line_start = max(side.text.rfind("\n", 0, start), side.text.rfind("\r", 0, start)) + 1
        line_end = _LINE_BREAK.search(side.text, end)
        line = side.text[line_start : line_end.start() if line_end else len(side.text)]
        if _not_material(line, side.hashes[idx], skip):
            continue
        out.append({"start": start, "end": end, "preview": " ".join(side.text[start:end].split()[:PREVIEW_WORDS])})
    return out


def _with_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    """A words' span widened to the opening quote before it and the punctuation and closing quote after."""
    while start > 0 and text[start - 1] in "\"“‘'(":
        start -= 1
    while end < len(text) and text[end] in ".!?\"'”’)]":
        end += 1
    return start, end


def _not_material(text: str, words: np.ndarray, skip: NotMaterial) -> bool:
    """A credit line, a line the outlet repeats, or boilerplate."""
    line = " ".join(text.split())
    if canonical_agency(line.strip("()[]–—-: ")) is not None or line in skip.lines:
        return True
    return _is_boilerplate(words, skip.boilerplate, skip.shingle)


def outlet_lines(articles: Iterable[Article], min_articles: int = 2) -> frozenset[str]:
    """Lines (whitespace-normalised) that one outlet prints in ``min_articles`` or more of its articles
    and no other outlet prints: its footer, its standing lines (looked for among each article's
    first and last ``EDGE_LINES`` lines)."""
    seen: dict[str, set[str]] = defaultdict(set)
    count: Counter[str] = Counter()
    for article in articles:
        if not article.source:
            continue
        lines = article.text.splitlines()
        # footers and standing lines sit at either end of an article
        for line in set(lines[:EDGE_LINES] + lines[-EDGE_LINES:]):
            key = " ".join(line.split())
            if key:
                seen[key].add(article.source)
                count[key] += 1
    return frozenset(k for k, n in count.items() if n >= min_articles and len(seen[k]) == 1)


def _is_boilerplate(words: np.ndarray, boilerplate: np.ndarray, shingle: int) -> bool:
    if not len(boilerplate) or len(words) < shingle:
        return False
    low = _shingle_lows(words, shingle)
    k = np.searchsorted(boilerplate, low).clip(max=len(boilerplate) - 1)
    return bool((boilerplate[k] == low).mean() >= BOILERPLATE_SHARE)


@njit(cache=True, nogil=True)
def _shingle_lows(words, n):  # type: ignore[no-untyped-def]
    """The 32-bit shingle hashes (as the sketches keep them) of every ``n`` consecutive words."""
    out = np.empty(len(words) - n + 1, dtype=np.uint32)
    for i in range(len(out)):
        out[i] = np.uint32(shingle_hash(words, i, n) & np.uint64(0xFFFFFFFF))
    return out


def with_changes(
    edges: Sequence[Edge],
    articles: dict[str, Article],
    alignments: dict[tuple[str, str], PairAlignment],
    skip: NotMaterial | None = None,
) -> list[Edge]:
    """``edges`` with their ``changes`` filled in from the alignment of each (parent, child) pair.

    ``alignments`` is keyed by ``(a, b)`` ids with ``a < b``; an edge without one is left as it is.
    """
    out = []
    for edge in edges:
        key = (min(edge.parent, edge.child), max(edge.parent, edge.child))
        alignment = alignments.get(key)
        if alignment is None:
            out.append(edge)
            continue
        changes = summarize_changes(articles[edge.parent], articles[edge.child], alignment, key[0] == edge.parent, skip)
        out.append(replace(edge, changes=changes))
    return out
