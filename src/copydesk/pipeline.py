"""The pipeline on one machine: read, sketch, find copies, then the stages that need the text.

The command line and the Python API both call these; each step is one stage function, so an
engine (local or Spark) only changes how the steps are spread, never what they compute.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from copydesk.config import Config
from copydesk.copies import CopyResult, containment_matrix, find_copies
from copydesk.engines.local import sketch_articles
from copydesk.ingest import Corpus
from copydesk.lineage import Edge, SourceVerdict, attach_versions, pick_source
from copydesk.passages import AlignedPair, align_articles
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
    return find_copies([a.id for a in corpus.articles], sketches, config.candidates, config.verify)


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


def run(corpus: Corpus, config: Config, progress: Progress | None = None) -> Results:
    """The whole pipeline over a corpus already read."""
    sketches = sketch_corpus(corpus, config, progress)
    copies = find_copies([a.id for a in corpus.articles], sketches, config.candidates, config.verify)
    lineage = trace_lineage(corpus, sketches, copies, config)
    passages = align_articles(corpus.articles, copies.pairs.pairs, config.align)
    stories = cluster_stories(corpus.articles, copies.clusters, config.stories)
    return Results(corpus, copies, lineage, passages, stories)
