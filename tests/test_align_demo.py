"""Issue 4 acceptance on the demo corpus: every outlet version aligned to the version it was made from.

truth.json says, per version, which parent paragraphs it cut, which paragraphs it added and which
house-style substitutions and insertions it made; the alignment must show exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conftest import DEMO
from copydesk.align import Edit, Passage
from copydesk.article import Article
from copydesk.ingest import read_corpus
from copydesk.passages import align_articles
from demo_truth import truth

VERSIONS = sorted(truth()["versions"])


@dataclass(frozen=True)
class Oriented:
    """An alignment seen from the parent (p) to the child (c), whatever the id order."""

    parent: Article
    child: Article
    spans: list[tuple[int, int, int, int]]  # parent start, end, child start, end
    edits: list[tuple[str, str, str, int, int]]  # op (parent -> child), parent text, child text, offsets


def orient(passages: tuple[Passage, ...], parent_is_a: bool) -> tuple[list[tuple[int, int, int, int]], list]:
    flip = {"insert": "delete", "delete": "insert", "substitute": "substitute"}
    spans, edits = [], []
    for p in passages:
        spans.append(
            (p.a_start, p.a_end, p.b_start, p.b_end) if parent_is_a else (p.b_start, p.b_end, p.a_start, p.a_end)
        )
        for e in p.edits:
            edits.append(_edit(e) if parent_is_a else (flip[e.op], e.b_text, e.a_text, e.b_start, e.a_start))
    return spans, edits


def _edit(e: Edit) -> tuple[str, str, str, int, int]:
    return (e.op, e.a_text, e.b_text, e.a_start, e.b_start)


@pytest.fixture(scope="module")
def aligned() -> dict[str, Oriented]:
    corpus = read_corpus([DEMO / "articles.jsonl"])
    row = {a.id: i for i, a in enumerate(corpus.articles)}
    pairs = [(row[truth()["versions"][c]["parent"]], row[c]) for c in VERSIONS]
    out = {}
    for child, found in zip(VERSIONS, align_articles(corpus.articles, pairs), strict=True):
        parent = truth()["versions"][child]["parent"]
        spans, edits = orient(found.alignment.passages, found.a == parent)
        out[child] = Oriented(corpus.articles[row[parent]], corpus.articles[row[child]], spans, edits)
    return out


def paragraphs(article: Article) -> list[tuple[int, int]]:
    """Spans of the article's paragraphs (blank-line separated), without the outlet footer or credit line."""
    footers = set(truth()["boilerplate"].values())
    credits = {v["credit_line"] for v in truth()["versions"].values()}
    spans, pos = [], 0
    for part in article.text.split("\n\n"):
        if part.strip() and part.strip() not in footers and part.strip() not in credits:
            spans.append((pos, pos + len(part)))
        pos += len(part) + 2
    return spans


def opening(text: str, span: tuple[int, int]) -> str:
    return " ".join(text[span[0] : span[1]].split()[:6])


def covered(span: tuple[int, int], spans: list[tuple[int, int]]) -> int:
    """Characters of ``span`` inside the union of ``spans``."""
    return sum(max(0, min(span[1], hi) - max(span[0], lo)) for lo, hi in spans)


@pytest.mark.parametrize("child", VERSIONS)
def test_cut_paragraphs_are_absent_and_kept_ones_aligned(aligned: dict[str, Oriented], child: str) -> None:
    version = truth()["versions"][child]
    o = aligned[child]
    in_parent = [(s[0], s[1]) for s in o.spans]
    cut = set(version["cut_paragraphs"])
    paras = paragraphs(o.parent)
    kept = [p for p in paras if opening(o.parent.text, p) not in cut]
    if version["rewritten_lede"]:
        kept = kept[1:]
    assert len(kept) == version["kept_paragraphs"], "the test's paragraph split disagrees with truth.json"
    for span in paras:
        if opening(o.parent.text, span) in cut:
            assert covered(span, in_parent) == 0, f"cut paragraph {opening(o.parent.text, span)!r} is aligned"
    for span in kept:
        share = covered(span, in_parent) / (span[1] - span[0])
        assert share >= 0.8, f"kept paragraph {opening(o.parent.text, span)!r} only {share:.0%} aligned"


@pytest.mark.parametrize("child", VERSIONS)
def test_added_paragraphs_are_unaligned(aligned: dict[str, Oriented], child: str) -> None:
    o = aligned[child]
    in_child = [(s[2], s[3]) for s in o.spans]
    added = set(truth()["versions"][child]["added_paragraphs"])
    found = [p for p in paragraphs(o.child) if opening(o.child.text, p) in added]
    assert len(found) == len(added)
    for span in found:
        assert covered(span, in_child) == 0


def _agrees(edit_text: str, truth_text: str) -> bool:
    """An edit names the truth's words, give or take context words or a possessive around them."""
    return bool(edit_text) and (edit_text in truth_text or truth_text in edit_text)


@pytest.mark.parametrize("child", VERSIONS)
def test_house_style_substitutions_are_listed(aligned: dict[str, Oriented], child: str) -> None:
    subs = [e for e in aligned[child].edits if e[0] == "substitute"]
    for before, after, count in truth()["versions"][child]["substitutions"]:
        hits = [e for e in subs if _agrees(e[1], before) and _agrees(e[2], after)]
        assert len(hits) == count, f"{before!r} -> {after!r}: {len(hits)} edits, expected {count}; all: {subs}"


@pytest.mark.parametrize("child", VERSIONS)
def test_insertions_are_listed_and_nothing_else_is_one_sided(aligned: dict[str, Oriented], child: str) -> None:
    o = aligned[child]
    expected = truth()["versions"][child]["insertions"]
    inserted = [e for e in o.edits if e[0] == "insert"]
    assert len(inserted) == len(expected)
    for text in expected:
        assert any(text.startswith(e[2]) and len(e[2]) >= 0.9 * len(text) for e in inserted), (text, inserted)
        edit = next(e for e in inserted if text.startswith(e[2]))
        assert o.child.text[edit[4] : edit[4] + len(edit[2])] == edit[2]
    assert not [e for e in o.edits if e[0] == "delete"]


def test_second_generation_copy_also_aligns_to_the_agency_original() -> None:
    corpus = read_corpus([DEMO / "articles.jsonl"])
    row = {a.id: i for i, a in enumerate(corpus.articles)}
    [found] = align_articles(
        corpus.articles, [(row["afp-original-velstria-dam-20240514"], row["coastalpost-velstria-dam-20240515"])]
    )
    assert sum(p.words for p in found.alignment.passages) > 250
    assert any(e.op == "substitute" and e.a_text == "United States" for p in found.alignment.passages for e in p.edits)
