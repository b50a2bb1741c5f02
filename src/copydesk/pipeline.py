"""The pipeline on one machine: read, sketch, find copies, then the stages that need the text.

The command line and the Python API both call these; each step is one stage function, so an
engine (local or Spark) only changes how the steps are spread, never what they compute.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from copydesk.config import Config
from copydesk.copies import CopyResult, find_copies
from copydesk.engines.local import sketch_articles
from copydesk.ingest import Corpus

Progress = Callable[[int], None]


@dataclass
class Results:
    """Everything one run found; the output module writes it."""

    corpus: Corpus
    copies: CopyResult


def detect_copies(corpus: Corpus, config: Config, progress: Progress | None = None) -> CopyResult:
    """Sketch every article and find the copy pairs and clusters."""
    articles = corpus.articles
    sketches = sketch_articles(
        articles, config.sketch, workers=config.workers, batch_size=config.batch_size, progress=progress
    )
    return find_copies([a.id for a in articles], sketches, config.candidates, config.verify)


def run(corpus: Corpus, config: Config, progress: Progress | None = None) -> Results:
    """The whole pipeline over a corpus already read."""
    return Results(corpus, detect_copies(corpus, config, progress))
