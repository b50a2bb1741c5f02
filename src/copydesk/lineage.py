"""Lineage: which version of a copy cluster is the source, and which version each came from.

Every verdict comes with the evidence a person can check:

- the agency's own feed (the record's outlet is an agency) or an agency dateline or credit;
- the earliest date, when at least two versions are dated (undated versions neither win nor lose);
- containment asymmetry: the source holds most of what every other version carries, while a
  derived version holds a subset of its parent plus additions of its own;
- completeness: the longest version.

A version attaches to the earlier version that holds most of its text; another outlet's edit
wins over the source only when it holds clearly more (it kept that outlet's own changes).

    >>> verdict = pick_source(members, containment)            # doctest: +SKIP
    >>> verdict.source, verdict.reasons[0]                    # doctest: +SKIP
    ('001_bf15a51c4cba013e', 'agency dateline or credit: AFP')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from copydesk.article import Article
from copydesk.ingest.metadata import canonical_agency


@dataclass(frozen=True)
class LineageParams:
    agency_feed_weight: float = 2.0
    """The agency's own feed is the strongest evidence of a source."""
    agency_credit_weight: float = 0.75
    """A dateline or credit naming an agency: outlets keep these too, so weaker."""
    earliest_weight: float = 1.0
    """Published first among dated versions."""
    holds_others_weight: float = 2.0
    """Mean share of the other versions' text found in this one."""
    completeness_weight: float = 0.5
    """Length relative to the longest version."""
    parent_margin: float = 0.05
    """Another version beats the source as parent only by holding this much more of the child."""


@dataclass(frozen=True)
class SourceVerdict:
    source: str
    confidence: float
    reasons: list[str]


@dataclass(frozen=True)
class Edge:
    """The child version came from the parent; ``changes`` summarises what the child changed."""

    parent: str
    child: str
    confidence: float
    changes: dict[str, Any] | None = None


def pick_source(
    members: Sequence[Article], containment: np.ndarray, params: LineageParams = LineageParams()
) -> SourceVerdict:
    """The most likely source of a cluster; ``containment[i, j]`` = share of i's shingles found in j."""
    n = len(members)
    scores = np.zeros(n)
    feed = np.array([_is_agency_feed(a) for a in members])
    credit = np.array([a.agency is not None for a in members])
    earliest = _earliest(members)
    others = containment.sum(axis=0) - np.diag(containment)
    holds = others / max(n - 1, 1)
    words = np.array([a.n_words for a in members], dtype=float)
    complete = words / words.max() if words.max() > 0 else np.zeros(n)
    scores = (
        params.agency_feed_weight * feed
        + params.agency_credit_weight * credit
        + params.earliest_weight * earliest
        + params.holds_others_weight * holds
        + params.completeness_weight * complete
    )
    order = sorted(range(n), key=lambda i: (-scores[i], members[i].id))
    best = order[0]
    runner_up = scores[order[1]] if n > 1 else 0.0
    confidence = float(scores[best] / (scores[best] + runner_up)) if scores[best] > 0 else 1.0 / n
    article = members[best]
    reasons = []
    if feed[best]:
        reasons.append(f"published by the agency itself: {article.source}")
    elif credit[best]:
        reasons.append(f"agency dateline or credit: {article.agency}")
    if earliest[best]:
        reasons.append(f"earliest date: {article.date}")
    if n > 1:
        rank = int((holds > holds[best]).sum()) + 1
        reasons.append(f"holds {holds[best]:.0%} of the other versions' text on average (rank {rank} of {n})")
    if words[best] == words.max():
        reasons.append(f"longest version: {article.n_words} words")
    return SourceVerdict(article.id, round(confidence, 3), reasons)


def attach_versions(
    members: Sequence[Article], containment: np.ndarray, source: str, params: LineageParams = LineageParams()
) -> list[Edge]:
    """(parent, child) edges attaching every version to the version it most likely came from.

    Versions are placed earliest first, and among equals those holding most of the source first
    (a derived version can only lose source text); each picks a parent among those placed.
    """
    index = {a.id: i for i, a in enumerate(members)}
    root = index[source]
    placed = [root]
    pending = [i for i in range(len(members)) if i != root]
    pending.sort(key=lambda i: (_date_key(members[i]), -containment[root, i], members[i].id))
    edges = []
    for child in pending:
        allowed = [p for p in placed if _not_later(members[p], members[child])] or placed
        held = {p: containment[child, p] for p in allowed}
        best = max(allowed, key=lambda p: (held[p], p == root, -p))
        if best != root and root in held and held[best] < held[root] + params.parent_margin:
            best = root
        rest = sorted((v for p, v in held.items() if p != best), reverse=True)
        second = rest[0] if rest else 0.0
        confidence = held[best] / (held[best] + second) if held[best] > 0 else 0.0
        edges.append(Edge(members[best].id, members[child].id, round(float(confidence), 3)))
        placed.append(child)
    return edges


def _is_agency_feed(article: Article) -> bool:
    return article.source is not None and canonical_agency(article.source) not in (None, "Agencies")


def _earliest(members: Sequence[Article]) -> np.ndarray:
    dates = [a.date for a in members]
    dated = [d for d in dates if d]
    if len(dated) < 2 or len(set(dated)) == 1:
        return np.zeros(len(members))
    first = min(dated)
    return np.array([1.0 if d == first else 0.0 for d in dates])


def _date_key(article: Article) -> str:
    return article.date or "9999"


def _not_later(parent: Article, child: Article) -> bool:
    return not (parent.date and child.date and parent.date > child.date)
