"""How ``cluster_stories`` puts the steps together: units, features, graph, similarity, shared
neighbours, linkage and labels (the package docstring says what each does and costs).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from copydesk.article import Article
from copydesk.stories.features import UnitVectors, unit_vectors
from copydesk.stories.graph import candidate_edges, date_factor
from copydesk.stories.labels import story_labels
from copydesk.stories.linkage import average_linkage
from copydesk.stories.params import StoryParams
from copydesk.stories.semantic import embed_articles
from copydesk.stories.shared_neighbours import shared_neighbour_weights


@dataclass(frozen=True)
class Story:
    """One story: its id, member article ids (sorted), a short label and the span of its dates."""

    story: str
    articles: tuple[str, ...]
    size: int
    label: str
    first_date: str | None
    last_date: str | None

    def to_record(self) -> dict[str, object]:
        """The ``stories.jsonl`` record."""
        return {
            "story": self.story,
            "articles": list(self.articles),
            "size": self.size,
            "label": self.label,
            "first_date": self.first_date,
            "last_date": self.last_date,
        }


def cluster_stories(
    articles: Sequence[Article],
    copy_clusters: Sequence[Sequence[str]] = (),
    params: StoryParams | None = None,
    embeddings: np.ndarray | None = None,
) -> list[Story]:
    """Group ``articles`` into stories; every article lands in exactly one (singletons included).

    ``copy_clusters`` (lists of article ids) are kept whole inside one story; ids not among the
    articles are ignored. ``embeddings`` (optional, one row per article in the order given, e.g.
    from ``embed_articles``) add a semantic cosine to the lexical one; without them,
    ``params.embedding_model`` (when set) computes them. Stories are sorted by
    their first article id and numbered ``s00000``, ``s00001``, ...
    """
    params = params or StoryParams()
    order = sorted(range(len(articles)), key=lambda i: articles[i].id)
    ordered = [articles[i] for i in order]
    _check_ids(ordered)
    if not ordered:
        return []
    if embeddings is None and params.embedding_model:
        embeddings = embed_articles(articles, params.embedding_model)
    unit_of, n_units = units(ordered, copy_clusters)
    vectors = unit_vectors(ordered, unit_of, n_units, params)
    days = unit_days(ordered, unit_of, n_units)
    a, b, sim = candidate_edges(vectors, days, params)
    if embeddings is not None:
        sim = _with_semantics(sim, a, b, _unit_embeddings(np.asarray(embeddings)[order], unit_of, n_units), params)
    sim = sim * date_factor(days, a, b, params)
    if params.shared_neighbours:
        sim = shared_neighbour_weights(n_units, a, b, sim, params.shared_neighbours, params.shared_floor)
    cluster = average_linkage(n_units, a, b, sim, params.threshold)
    return _stories(ordered, unit_of, cluster, vectors, params)


def units(articles: Sequence[Article], copy_clusters: Sequence[Sequence[str]]) -> tuple[np.ndarray, int]:
    """Unit index of each article (copy clusters joined, overlapping ones too), numbered by first member."""
    index = {a.id: i for i, a in enumerate(articles)}
    parent = list(range(len(articles)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for cluster in copy_clusters:
        members = sorted(index[i] for i in cluster if i in index)
        for other in members[1:]:
            root, other_root = find(members[0]), find(other)
            parent[max(root, other_root)] = min(root, other_root)
    roots = np.array([find(i) for i in range(len(articles))], dtype=np.int64)
    _, unit_of = np.unique(roots, return_inverse=True)
    return unit_of.astype(np.int64), int(unit_of.max()) + 1 if len(unit_of) else 0


def unit_days(articles: Sequence[Article], unit_of: np.ndarray, n_units: int) -> np.ndarray:
    """``(first, last)`` day number of each unit's dated members; NaN for a unit with none."""
    day = np.array([_day(a.date) for a in articles], dtype=np.float64)
    days = np.full((n_units, 2), np.nan)
    dated = ~np.isnan(day)
    first = np.full(n_units, np.inf)
    last = np.full(n_units, -np.inf)
    np.minimum.at(first, unit_of[dated], day[dated])
    np.maximum.at(last, unit_of[dated], day[dated])
    has = np.isfinite(first)
    days[has, 0], days[has, 1] = first[has], last[has]
    return days


def _day(value: str | None) -> float:
    """Day number of an ISO date or timestamp (its first 10 characters); NaN when absent or unreadable."""
    if not value:
        return float("nan")
    try:
        return float(date.fromisoformat(value[:10]).toordinal())
    except ValueError:
        return float("nan")


def _check_ids(articles: Sequence[Article]) -> None:
    """Refuse duplicate ids: a story lists ids, so they must name one article each."""
    for x, y in itertools.pairwise(articles):
        if x.id == y.id:
            raise ValueError(f"duplicate article id {x.id!r}")


def _unit_embeddings(rows: np.ndarray, unit_of: np.ndarray, n_units: int) -> np.ndarray:
    """Each unit's embedding: the normalised mean of its members' normalised embeddings."""
    if rows.ndim != 2 or len(rows) != len(unit_of):
        raise ValueError(f"embeddings must have one row per article ({len(unit_of)}), got shape {rows.shape}")
    rows = rows.astype(np.float64)
    rows /= np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    sums = np.zeros((n_units, rows.shape[1]))
    np.add.at(sums, unit_of, rows)
    return sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)


def _with_semantics(
    lexical: np.ndarray, a: np.ndarray, b: np.ndarray, unit_emb: np.ndarray, params: StoryParams
) -> np.ndarray:
    """Mix the lexical cosine with the embedding cosine rescaled from [semantic_floor, 1] to [0, 1]."""
    cosine = np.einsum("ij,ij->i", unit_emb[a], unit_emb[b]) if len(a) else np.zeros(0)
    semantic = ((cosine - params.semantic_floor) / (1 - params.semantic_floor)).clip(0.0, 1.0)
    return (1 - params.semantic_weight) * lexical + params.semantic_weight * semantic


def _stories(
    articles: Sequence[Article], unit_of: np.ndarray, cluster: np.ndarray, vectors: UnitVectors, params: StoryParams
) -> list[Story]:
    """Stories from each unit's cluster, sorted by first article id (articles are sorted by id already)."""
    story_key = cluster[unit_of]
    first_article: dict[int, int] = {}
    for i, key in enumerate(story_key.tolist()):
        first_article.setdefault(key, i)
    number = {key: n for n, key in enumerate(sorted(first_article, key=first_article.__getitem__))}
    members: list[list[Article]] = [[] for _ in number]
    for article, key in zip(articles, story_key.tolist(), strict=True):
        members[number[key]].append(article)
    story_of_unit = np.array([number[k] for k in cluster.tolist()], dtype=np.int64)
    labels = story_labels(vectors, story_of_unit, len(members), members, params.label_terms)
    width = max(5, len(str(len(members) - 1)))
    stories = []
    for n, group in enumerate(members):
        dates = sorted(a.date for a in group if a.date)
        stories.append(
            Story(
                story=f"s{n:0{width}d}",
                articles=tuple(a.id for a in group),
                size=len(group),
                label=labels[n],
                first_date=dates[0] if dates else None,
                last_date=dates[-1] if dates else None,
            )
        )
    return stories
