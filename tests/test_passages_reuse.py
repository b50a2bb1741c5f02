"""Partial reuse (issue 4 point 2): an article quoting two wire paragraphs inside its own reporting."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import DEMO
from copydesk.article import Article
from copydesk.config import Config
from copydesk.ingest import read_corpus
from copydesk.passages import align_shared_copy
from copydesk.pipeline import Results, run
from copydesk.reuse import ReuseParams, reuse_candidates

AFP = "afp-original-velstria-dam-20240514"
ANALYSIS = "riverwatch-dams-analysis-20240520"

# The analysis's own reporting (written for this test); {critics} and {loans} stand for the two wire
# paragraphs it quotes, taken verbatim from the AFP original of the demo corpus.
OWN_REPORTING = "\n\n".join(
    [
        (
            "Six days after the Kamenets disaster, engineers across the region are asking the same question: how "
            "many other reservoirs are one storm away from failure?"
        ),
        (
            "Riverwatch spent the week visiting four older dams along the upper Seret and its tributaries, "
            "speaking to hydrologists, farmers and the night-shift operators who keep the spillways clear."
        ),
        (
            "At the Halden barrage, a rusting control gate has been jammed half-open since the spring thaw. The "
            "operator on duty, who asked not to be named, showed us a logbook full of repair requests that were "
            "never answered."
        ),
        "Background from the agency report that first broke the story puts the warnings in context:",
        "{critics}",
        "{loans}",
        (
            "Independent engineers we consulted were blunter. One retired inspector said the region's reservoirs "
            "were designed for a climate that no longer exists, and that spillway capacity should be doubled "
            "before the autumn rains."
        ),
        (
            "Farmers downstream of Halden told us they now sleep with a packed bag by the door. Several have "
            "moved livestock to higher pastures and say they will not bring them back until an independent survey"
            " is published."
        ),
        (
            "The ministry did not answer our questions about inspection budgets by the time of publication. "
            "Riverwatch will keep following the story in the weeks ahead."
        ),
    ]
)


def demo_paragraphs() -> tuple[str, str]:
    afp = next(
        json.loads(line) for line in (DEMO / "articles.jsonl").read_text(encoding="utf-8").splitlines()
        if json.loads(line)["id"] == AFP
    )  # fmt: skip
    paragraphs = afp["text"].split("\n\n")
    critics = next(p for p in paragraphs if p.startswith("Critics have warned"))
    loans = next(p for p in paragraphs if p.startswith("Velstria, a country of nine million"))
    return critics, loans


@pytest.fixture(scope="module")
def with_analysis(tmp_path_factory: pytest.TempPathFactory) -> tuple[Results, str]:
    critics, loans = demo_paragraphs()
    text = OWN_REPORTING.format(critics=critics, loans=loans)
    folder = tmp_path_factory.mktemp("reuse")
    corpus_file = folder / "articles.jsonl"
    record = {"id": ANALYSIS, "source": "Riverwatch", "date": "2024-05-20", "title": "Dams at risk", "text": text}
    corpus_file.write_text(
        (DEMO / "articles.jsonl").read_text(encoding="utf-8").rstrip("\n") + "\n" + json.dumps(record) + "\n",
        encoding="utf-8",
    )
    return run(read_corpus([corpus_file]), Config()), text


def test_quoting_article_is_no_near_duplicate(with_analysis: tuple[Results, str]) -> None:
    results, _ = with_analysis
    assert not any(ANALYSIS in members for members in results.copies.clusters)


def test_quoted_paragraphs_are_found_and_only_they(with_analysis: tuple[Results, str]) -> None:
    results, text = with_analysis
    critics, loans = demo_paragraphs()
    [pair] = [p for p in results.passages if {p.a, p.b} == {AFP, ANALYSIS}]
    own_side = [(p.b_start, p.b_end) if pair.b == ANALYSIS else (p.a_start, p.a_end) for p in pair.alignment.passages]
    quoted = [
        (text.index(critics), text.index(critics) + len(critics)),
        (text.index(loans), text.index(loans) + len(loans)),
    ]
    for lo, hi in quoted:
        assert any(s <= lo + 1 and hi - 1 <= e for s, e in own_side), f"quoted paragraph at {lo} not aligned"
    covered = sum(e - s for s, e in own_side)
    assert covered <= sum(hi - lo for lo, hi in quoted)  # none of the article's own reporting
    assert all(p.identity == 1.0 for p in pair.alignment.passages)


def test_versions_keeping_a_quoted_paragraph_are_found_too(with_analysis: tuple[Results, str]) -> None:
    results, _ = with_analysis
    partners = {p.a if p.b == ANALYSIS else p.b for p in results.passages if ANALYSIS in (p.a, p.b)}
    # every version kept "Critics have warned" except the Valley Herald, which cut it
    assert {AFP, "harbourtimes-velstria-dam-20240514", "northernledger-velstria-dam-20240514"} <= partners
    assert "valleyherald-velstria-dam-20240514" not in partners
    assert all(p.alignment.passages for p in results.passages if ANALYSIS in (p.a, p.b))


def _article(id_: str, source: str, text: str) -> Article:
    return Article(id=id_, text=text, path=f"{id_}.txt", source=source)


FOOTER = (
    "Read more local news from across the valley at our website and follow us on social media for breaking"
    " updates every single day of the week."
)


def test_outlet_footer_alone_makes_no_candidate() -> None:
    articles = [
        _article(
            "a1", "Valley", "The council met on Monday to approve the new library budget for the year.\n\n" + FOOTER
        ),
        _article("a2", "Valley", "The football club won its third match in a row on Saturday afternoon.\n\n" + FOOTER),
        _article("a3", "Other", "A different outlet printed the same closing lines by chance today.\n\n" + FOOTER),
    ]
    assert reuse_candidates(articles[:2], ReuseParams(sample_mod=1)).tolist() == []
    # once another outlet prints the same lines, they are shared copy
    pairs = reuse_candidates(articles, ReuseParams(sample_mod=1)).tolist()
    assert [0, 2] in pairs and [1, 2] in pairs


def test_excluded_pairs_and_short_overlaps_are_dropped() -> None:
    shared = " ".join(f"word{i}" for i in range(40))
    articles = [
        _article("x", "A", "alpha beta gamma. " + shared),
        _article("y", "B", "delta epsilon. " + shared + " zeta"),
        _article("z", "C", "Only " + " ".join(f"word{i}" for i in range(10)) + " here, nothing else in common."),
    ]
    pairs = reuse_candidates(articles, ReuseParams(sample_mod=1))
    assert pairs.tolist() == [[0, 1], [0, 2], [1, 2]]
    assert reuse_candidates(articles, ReuseParams(sample_mod=1), exclude=np.array([[1, 0]])).tolist() == [
        [0, 2],
        [1, 2],
    ]
    kept = align_shared_copy(articles, np.zeros((0, 2), dtype=np.int64), pairs)
    assert [(p.a, p.b) for p in kept] == [("x", "y")]  # the 10-word overlap is below min_words
    required = align_shared_copy(articles, [(0, 2)], pairs)
    assert {(p.a, p.b) for p in required} == {("x", "y"), ("x", "z")}


def test_reuse_params_are_checked() -> None:
    with pytest.raises(ValueError):
        ReuseParams(max_df=1)
    with pytest.raises(ValueError):
        ReuseParams(ngram=0)
