"""The pipeline on one machine: read, sketch, find copies, then the stages that need the text.

The command line and the Python API both call these; each step is one stage function, so an
engine (local or Spark) only changes how the steps are spread, never what they compute.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from copydesk.changes import NotMaterial, outlet_lines, with_changes
from copydesk.config import Config
from copydesk.copies import CopyResult, containment_matrix, find_copies
from copydesk.engines.local import sketch_articles
from copydesk.ingest import Corpus
from copydesk.lineage import Edge, SourceVerdict, attach_versions, pick_source
from copydesk.passages import AlignedPair, align_shared_copy
from copydesk.reuse import reuse_candidates
from copydesk.sketch import Sketches
from copydesk.stories import Story, cluster_stories

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ClusterLineage:
    """Source and derivation edges of one copy cluster."""

    verdict: SourceVerdict
    edges: list[Edge]


@dataclass
class Results:
    """Everything one run found; the output module writes it."""

    corpus: Corpus
    copies: CopyResult
    lineage: list[ClusterLineage] = field(default_factory=list)
    passages: list[AlignedPair] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)


def sketch_corpus(corpus: Corpus, config: Config, progress: Progress | None = None) -> Sketches:
    """Sketches of every article; fills each article's ``n_words`` from the same tokenising pass."""
    sketches = sketch_articles(
        corpus.articles, config.sketch, workers=config.workers, batch_size=config.batch_size, progress=progress
    )
    for article, words in zip(corpus.articles, sketches.words.tolist(), strict=True):
        article.n_words = words
    return sketches


def detect_copies(corpus: Corpus, config: Config, progress: Progress | None = None) -> CopyResult:
    """Sketch every article and find the copy pairs and clusters."""
    sketches = sketch_corpus(corpus, config, progress)
    return find_copies([a.id for a in corpus.articles], sketches, config.candidates, config.verify, config.workers)


def trace_lineage(corpus: Corpus, sketches: Sketches, copies: CopyResult, config: Config) -> list[ClusterLineage]:
    """Source and edges of every copy cluster, from exact containment between its versions."""
    row = {a.id: i for i, a in enumerate(corpus.articles)}
    found = []
    for members in copies.clusters:
        rows = [row[m] for m in members]
        containment = containment_matrix(sketches, rows, copies.boilerplate)
        articles = [corpus.articles[r] for r in rows]
        verdict = pick_source(articles, containment, config.lineage)
        found.append(ClusterLineage(verdict, attach_versions(articles, containment, verdict.source, config.lineage)))
    return found


def align_copy(corpus: Corpus, copies: CopyResult, lineage: list[ClusterLineage], config: Config) -> list[AlignedPair]:
    """Passages of the copy pairs, the lineage edges and the partial-reuse candidates (rare long n-grams)."""
    row = {a.id: i for i, a in enumerate(corpus.articles)}
    edges = [(row[e.parent], row[e.child]) for cl in lineage for e in cl.edges]
    required = np.concatenate([copies.pairs.pairs.reshape(-1, 2), np.array(edges, dtype=np.int64).reshape(-1, 2)])
    partial = reuse_candidates(
        corpus.articles, config.reuse, copies.pairs.pairs, copies.boilerplate, config.sketch.shingle
    )
    return align_shared_copy(corpus.articles, required, partial, config.align)


def describe_changes(
    corpus: Corpus, copies: CopyResult, lineage: list[ClusterLineage], passages: list[AlignedPair], config: Config
) -> list[ClusterLineage]:
    """Each lineage edge with the summary of what the child changed against its parent."""
    articles = corpus.by_id()
    alignments = {(p.a, p.b): p.alignment for p in passages}
    outlets = {articles[m].source for members in copies.clusters for m in members}
    lines = outlet_lines(a for a in corpus.articles if a.source in outlets)
    skip = NotMaterial(copies.boilerplate, config.sketch.shingle, lines)
    return [ClusterLineage(cl.verdict, with_changes(cl.edges, articles, alignments, skip)) for cl in lineage]


def run(corpus: Corpus, config: Config, progress: Progress | None = None) -> Results:
    """The whole pipeline over a corpus already read."""
    sketches = sketch_corpus(corpus, config, progress)
    copies = find_copies(
        [a.id for a in corpus.articles],
        sketches,
        config.candidates,
        config.verify,
        config.workers,
        release_signatures=True,  # lineage reads the shingle sets only
    )
    return after_copies(corpus, copies, trace_lineage(corpus, sketches, copies, config), config)


def after_copies(corpus: Corpus, copies: CopyResult, lineage: list[ClusterLineage], config: Config) -> Results:
    """The stages that follow the copies (passages, change summaries, stories); every engine ends here."""
    passages = align_copy(corpus, copies, lineage, config)
    lineage = describe_changes(corpus, copies, lineage, passages, config)
    stories = cluster_stories(corpus.articles, copies.clusters, config.stories)
    return Results(corpus, copies, lineage, passages, stories)
