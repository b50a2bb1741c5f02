"""Change summaries (issue 6 point 2): what each version changed against its parent."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import DEMO, SEED_FULL, SEED_SHORT
from copydesk.article import Article
from copydesk.changes import NotMaterial, outlet_lines, summarize_changes
from copydesk.config import Config
from copydesk.ingest import read_corpus
from copydesk.passages import align_articles
from copydesk.pipeline import run
from demo_truth import truth

CONTRACT_KEYS = {
    "words_kept", "words_added", "words_cut", "paragraphs_cut", "paragraphs_added", "sentences_rewritten",
    "substitutions", "insertions", "deletions", "quotes_altered",
}  # fmt: skip


@pytest.fixture(scope="module")
def seed_changes() -> tuple[dict[str, Any], dict[str, Article]]:
    from conftest import shared_path

    corpus = read_corpus([shared_path("seeds")])
    results = run(corpus, Config())
    [cluster] = results.lineage
    [edge] = cluster.edges
    assert (cluster.verdict.source, edge.parent, edge.child) == (SEED_FULL, SEED_FULL, SEED_SHORT)
    assert edge.changes is not None
    return edge.changes, corpus.by_id()


def test_seed_summary_has_every_contract_field(seed_changes: tuple[dict[str, Any], dict[str, Article]]) -> None:
    changes, _ = seed_changes
    assert set(changes) == CONTRACT_KEYS
    assert changes["words_kept"] > 250 and changes["words_cut"] > changes["words_added"] > 0


def test_seed_summary_lists_the_new_paragraph(seed_changes: tuple[dict[str, Any], dict[str, Article]]) -> None:
    changes, articles = seed_changes
    child = articles[SEED_SHORT].text
    added = [p for p in changes["paragraphs_added"] if p["preview"].startswith("Blinken said that the US was")]
    assert len(added) == 1
    assert child[added[0]["start"] : added[0]["end"]].startswith("Blinken said that the US was “determined")
    assert child[added[0]["end"] - len("influence.") : added[0]["end"]] == "influence."


def test_seed_summary_lists_cut_paragraphs(seed_changes: tuple[dict[str, Any], dict[str, Article]]) -> None:
    changes, articles = seed_changes
    parent = articles[SEED_FULL].text
    previews = [p["preview"] for p in changes["paragraphs_cut"]]
    assert any(p.startswith("A recent study by the European Bank") for p in previews)
    assert any(p.startswith("Tokayev said, without explanation") for p in previews)
    for p in changes["paragraphs_cut"]:
        assert parent[p["start"] : p["end"]].split()[:3] == p["preview"].split()[:3]
    # paragraphs the short version kept are not cut
    assert not any(p.startswith(("All five Central Asian", "Kazakhstan, which has")) for p in previews)


def test_seed_summary_groups_house_style(seed_changes: tuple[dict[str, Any], dict[str, Article]]) -> None:
    changes, articles = seed_changes
    assert {"from": "United States", "to": "US", "count": 3} in changes["substitutions"]
    assert changes["substitutions"][0]["count"] == 3  # the most frequent first
    [deleted] = [d for d in changes["deletions"] if "7,644" in d["text"]]
    assert deleted["text"] == "at 7,644 kilometres (4,750 miles)"
    assert articles[SEED_FULL].text[deleted["start"] :].startswith(deleted["text"])
    assert changes["quotes_altered"] >= 1  # "the United States strongly supports" inside Blinken's quote


@pytest.fixture(scope="module")
def demo_changes() -> dict[str, dict[str, Any]]:
    corpus = read_corpus([DEMO / "articles.jsonl"])
    row = {a.id: i for i, a in enumerate(corpus.articles)}
    versions = truth()["versions"]
    children = sorted(versions)
    found = align_articles(corpus.articles, [(row[versions[c]["parent"]], row[c]) for c in children])
    skip = NotMaterial(lines=outlet_lines(corpus.articles))
    out = {}
    for child, pair in zip(children, found, strict=True):
        parent = corpus.articles[row[versions[child]["parent"]]]
        out[child] = summarize_changes(parent, corpus.articles[row[child]], pair.alignment, pair.a == parent.id, skip)
    return out


def six(preview: str) -> str:
    return " ".join(preview.split()[:6])


@pytest.mark.parametrize("child", sorted(truth()["versions"]))
def test_demo_paragraphs_cut_and_added_match_truth(demo_changes: dict[str, dict[str, Any]], child: str) -> None:
    changes, version = demo_changes[child], truth()["versions"][child]
    assert [six(p["preview"]) for p in changes["paragraphs_cut"]] == version["cut_paragraphs"]
    assert [six(p["preview"]) for p in changes["paragraphs_added"]] == version["added_paragraphs"]
    assert changes["sentences_rewritten"] >= (1 if version["rewritten_lede"] else 0)


@pytest.mark.parametrize("child", sorted(truth()["versions"]))
def test_demo_substitutions_and_insertions_match_truth(demo_changes: dict[str, dict[str, Any]], child: str) -> None:
    changes, version = demo_changes[child], truth()["versions"][child]

    def agrees(edit: str, expected: str) -> bool:
        return edit in expected or expected in edit

    for before, after, count in version["substitutions"]:
        groups = [s for s in changes["substitutions"] if agrees(s["from"], before) and agrees(s["to"], after)]
        assert sum(s["count"] for s in groups) == count, (before, after, changes["substitutions"])
    assert len(changes["insertions"]) == len(version["insertions"])
    for text, found in zip(version["insertions"], changes["insertions"], strict=True):
        assert text.startswith(found["text"]) and len(found["text"]) >= 0.9 * len(text)


def test_outlet_lines_are_footers_not_shared_copy() -> None:
    corpus = read_corpus([DEMO / "articles.jsonl"])
    lines = outlet_lines(corpus.articles)
    assert set(truth()["boilerplate"].values()) <= lines
    assert not any("Kamenets" in line for line in lines)  # the wire copy runs in several outlets


def test_run_fills_changes_on_every_demo_edge() -> None:
    results = run(read_corpus([DEMO / "articles.jsonl"]), Config())
    edges = [e for cl in results.lineage for e in cl.edges]
    assert len(edges) == 7
    assert all(e.changes is not None and set(e.changes) == CONTRACT_KEYS for e in edges)
