"""The report's payload: an output directory's JSONL files read into one compact JSON object.

The page embeds this object and renders it in the browser. Files are read in the order that lets
each later file keep only what the page can show, so memory follows the report, not the corpus:

>>> payload = load_payload(Path("out/demo"), title="demo")      # doctest: +SKIP
>>> payload["counts"]["clusters"], [f["state"] for f in payload["files"]][:2]   # doctest: +SKIP
(2, ['ok', 'ok'])

What is embedded: every copy cluster with its lineage; the passages of every lineage edge and of
the cluster's root against each member the lineage leaves out (other pairs within a budget); the
texts and articles those need; multi-article stories (largest first, within a budget).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copydesk.output import ARTICLES, COPIES, PAIRS, PASSAGES, SCHEMA_VERSION, STORIES, TEXTS
from copydesk.report.records import (
    FileStatus,
    PairKey,
    Record,
    article_row,
    cluster_entry,
    flip_passage,
    pair_key,
    pair_row,
    passage_row,
    read_records,
    repair_edits,
    story_entry,
    text_row,
)

FILES = (ARTICLES, TEXTS, PAIRS, COPIES, PASSAGES, STORIES)

# Passages of pairs that are neither a lineage edge nor the root against an unplaced member are
# embedded only up to this many: a cluster of n copies has n(n-1)/2 pairs, the page needs n - 1.
MAX_EXTRA_PASSAGES = 50_000
# Verified pairs beyond those the page shows passages for; each costs about 80 bytes of page.
MAX_EXTRA_PAIRS = 100_000
# Multi-article stories listed (largest first): a crawl can hold far more than anyone scrolls.
MAX_STORIES = 20_000


@dataclass
class Passages:
    """Passages grouped by unordered pair, each group in the orientation of its first passage."""

    groups: dict[PairKey, tuple[str, str, list[list[Any]]]] = field(default_factory=dict)
    total: int = 0

    def add(self, a: str, b: str, row: list[Any]) -> None:
        """Add one passage row of pair (a, b), flipped when the group was first seen as (b, a)."""
        key = pair_key(a, b)
        group = self.groups.setdefault(key, (a, b, []))
        group[2].append(row if group[0] == a else flip_passage(row))
        self.total += 1


def load_payload(out_dir: Path, *, title: str = "copydesk report") -> Record:
    """Read every output file of ``out_dir`` (each may be missing or empty) into the page's payload."""
    files = {name: FileStatus(name) for name in FILES}
    clusters = load_clusters(out_dir, files[COPIES])
    primary = primary_pairs(clusters)
    passages = load_passages(out_dir, files[PASSAGES])
    shown = select_passage_pairs(passages, primary)
    pairs = load_pairs(out_dir, files[PAIRS], primary | set(shown))
    needed = {article for cluster in clusters for article in cluster["articles"]}
    needed.update(article for a, b, _ in shown.values() for article in (a, b))
    texts = load_texts(out_dir, files[TEXTS], needed)
    for a, b, rows in shown.values():
        for row in rows:
            repair_edits(texts.get(a), texts.get(b), row)
    stories, n_stories, n_single = load_stories(out_dir, files[STORIES], needed)
    needed.update(article for story in stories for article in story["articles"])
    articles, n_articles = load_articles(out_dir, files[ARTICLES], needed)
    read = {name: status.state in ("ok", "partial") for name, status in files.items()}
    return {
        "schema": SCHEMA_VERSION,
        "title": title,
        "files": [status.as_json() for status in files.values()],
        "counts": {
            "articles": n_articles if read[ARTICLES] else None,
            "clusters": len(clusters) if read[COPIES] else None,
            "clustered_articles": len({a for c in clusters for a in c["articles"]}) if read[COPIES] else None,
            "pairs": files[PAIRS].records if read[PAIRS] else None,
            "passages": passages.total if read[PASSAGES] else None,
            "stories": n_stories if read[STORIES] else None,
        },
        "shown": {
            "pairs": len(pairs),
            "passages": sum(len(rows) for _, _, rows in shown.values()),
            "stories": len(stories),
            "single_stories": n_single,
        },
        "articles": articles,
        "texts": [[article, text] for article, text in texts.items()],
        "clusters": clusters,
        "pairs": pairs,
        "passages": [[a, b, rows] for a, b, rows in shown.values()],
        "stories": stories,
    }


def load_clusters(out_dir: Path, status: FileStatus) -> list[Record]:
    """copies.jsonl as cluster entries, in file order (the contract sorts them by cluster id)."""
    clusters = []
    for index, record in enumerate(read_records(out_dir, status)):
        entry = cluster_entry(record, index)
        if entry is None:
            status.skipped += 1
        else:
            clusters.append(entry)
    return clusters


def cluster_root(cluster: Record) -> str:
    """The article a cluster's tree hangs from: its source when it is a member, else its first article."""
    source = cluster["source"]
    return source if source in cluster["articles"] else cluster["articles"][0]


def primary_pairs(clusters: list[Record]) -> set[PairKey]:
    """The pairs the page compares by default: each lineage edge, and the root against each member
    that no edge reaches (all members, when a cluster has no lineage)."""
    pairs: set[PairKey] = set()
    for cluster in clusters:
        root = cluster_root(cluster)
        placed = {root}
        for edge in cluster["lineage"]:
            pairs.add(pair_key(edge["parent"], edge["child"]))
            placed.add(edge["child"])
        pairs.update(pair_key(root, article) for article in cluster["articles"] if article not in placed)
    return pairs


def load_passages(out_dir: Path, status: FileStatus) -> Passages:
    """passages.jsonl grouped by pair."""
    passages = Passages()
    for record in read_records(out_dir, status):
        row = passage_row(record)
        if row is None:
            status.skipped += 1
        else:
            passages.add(*row)
    return passages


def select_passage_pairs(passages: Passages, primary: set[PairKey]) -> dict[PairKey, tuple[str, str, list[Any]]]:
    """The pairs whose passages the page embeds: all primary pairs, then others in pair order while
    they fit in ``MAX_EXTRA_PASSAGES`` (whole pairs only: half a pair's passages would mislead)."""
    shown = {}
    budget = MAX_EXTRA_PASSAGES
    for key in sorted(passages.groups):
        group = passages.groups[key]
        if key in primary:
            shown[key] = group
        elif len(group[2]) <= budget:
            shown[key] = group
            budget -= len(group[2])
    return shown


def load_pairs(out_dir: Path, status: FileStatus, wanted: set[PairKey]) -> list[list[Any]]:
    """pairs.jsonl rows: every wanted pair, and others while they fit in ``MAX_EXTRA_PAIRS``."""
    rows = {}
    budget = MAX_EXTRA_PAIRS
    for record in read_records(out_dir, status):
        found = pair_row(record)
        if found is None:
            status.skipped += 1
        elif found[0] in wanted or budget > 0:
            budget -= found[0] not in wanted
            rows[found[0]] = found[1]
    return [rows[key] for key in sorted(rows)]


def load_texts(out_dir: Path, status: FileStatus, needed: set[str]) -> dict[str, str]:
    """texts.jsonl, only the texts of articles the page can show."""
    texts = {}
    for record in read_records(out_dir, status):
        found = text_row(record)
        if found is None:
            status.skipped += 1
        elif found[0] in needed:
            texts[found[0]] = found[1]
    return texts


def load_stories(out_dir: Path, status: FileStatus, clustered: set[str]) -> tuple[list[Record], int, int]:
    """Stories worth listing (2+ articles, or holding a copy), largest first, at most ``MAX_STORIES``.

    Returns them with the number of stories read and of single-article stories left out.
    """
    stories, total, single = [], 0, 0
    for index, record in enumerate(read_records(out_dir, status)):
        entry = story_entry(record, index)
        if entry is None:
            status.skipped += 1
            continue
        total += 1
        if len(entry["articles"]) > 1 or any(article in clustered for article in entry["articles"]):
            stories.append(entry)
        else:
            single += 1
    stories.sort(key=lambda story: (-len(story["articles"]), story["id"]))
    return stories[:MAX_STORIES], total, single


def load_articles(out_dir: Path, status: FileStatus, needed: set[str]) -> tuple[list[list[Any]], int]:
    """articles.jsonl rows of the articles the page shows, and the number of articles read."""
    rows, total = [], 0
    for record in read_records(out_dir, status):
        row = article_row(record)
        if row is None:
            status.skipped += 1
            continue
        total += 1
        if row[0] in needed:
            rows.append(row)
    return rows, total
