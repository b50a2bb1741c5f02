"""Source detection and lineage on the seeds and the demo corpus."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from conftest import SEED_FULL, SEED_SHORT
from copydesk.article import Article
from copydesk.config import Config
from copydesk.ingest import read_corpus
from copydesk.lineage import attach_versions, pick_source
from copydesk.pipeline import run
from demo_truth import truth


def test_seed_source_is_the_fuller_afp_version_with_reasons(seeds_dir: Path) -> None:
    (traced,) = run(read_corpus([seeds_dir]), Config()).lineage
    assert traced.verdict.source == SEED_FULL
    assert any("AFP" in r for r in traced.verdict.reasons)
    assert any("longest" in r for r in traced.verdict.reasons)
    assert [(e.parent, e.child) for e in traced.edges] == [(SEED_FULL, SEED_SHORT)]


def test_demo_sources_and_lineage_follow_how_the_versions_were_written(demo_articles: Path) -> None:
    results = run(read_corpus([demo_articles]), Config())
    found = {
        tuple(sorted(members)): traced for members, traced in zip(results.copies.clusters, results.lineage, strict=True)
    }
    for cluster in truth()["copy_clusters"]:
        traced = found[tuple(sorted(cluster["articles"]))]
        assert traced.verdict.source == cluster["source"]
        assert sorted((e.parent, e.child) for e in traced.edges) == sorted(map(tuple, cluster["lineage"]))


def _article(id_: str, date: str | None = None, source: str | None = None, words: int = 100) -> Article:
    return Article(id=id_, text="x", path="mem", date=date, source=source, n_words=words)


def test_earliest_date_counts_only_when_two_versions_are_dated() -> None:
    containment = np.array([[1.0, 0.5], [0.5, 1.0]])
    one_dated = [_article("a", "2024-01-02"), _article("b")]
    assert not any("earliest" in r for r in pick_source(one_dated, containment).reasons)
    both = [_article("a", "2024-01-02"), _article("b", "2024-01-01")]
    verdict = pick_source(both, containment)
    assert verdict.source == "b" and "earliest date: 2024-01-01" in verdict.reasons


def test_a_later_version_is_never_the_parent_of_an_earlier_one() -> None:
    members = [_article("src", "2024-01-01"), _article("early", "2024-01-02"), _article("late", "2024-01-03")]
    # "early" holds more of "late" than the reverse would suggest, but dates decide the direction.
    containment = np.array([[1.0, 0.6, 0.6], [0.7, 1.0, 0.95], [0.7, 0.9, 1.0]])
    edges = attach_versions(members, containment, "src")
    assert ("early", "late") in [(e.parent, e.child) for e in edges]
    assert ("late", "early") not in [(e.parent, e.child) for e in edges]
