"""The local engine: stages over batches, the compiled ones spread over worker processes.

Batches are cut in input order and their results joined in that order, so the output is the
same for any number of workers.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Sequence

from copydesk.article import Article
from copydesk.sketch import Sketches, SketchParams, sketch_tokens
from copydesk.text import tokenize

Batch = tuple[list[str], list[tuple[int, int]]]


def sketch_batch(batch: Batch, params: SketchParams) -> Sketches:
    """Tokenise and sketch one batch of (texts, body spans)."""
    texts, spans = batch
    return sketch_tokens(tokenize(texts, spans), params)


def _sketch_job(job: tuple[Batch, SketchParams]) -> Sketches:
    return sketch_batch(*job)


def batches(articles: Sequence[Article], size: int) -> Iterable[Batch]:
    for lo in range(0, len(articles), size):
        chunk = articles[lo : lo + size]
        yield [a.text for a in chunk], [(a.body_start, a.body_end) for a in chunk]


def sketch_articles(
    articles: Sequence[Article],
    params: SketchParams,
    *,
    workers: int = 1,
    batch_size: int = 2048,
    progress: Callable[[int], None] | None = None,
) -> Sketches:
    """Sketches of ``articles``, in their order, computed by ``workers`` processes."""
    jobs = ((batch, params) for batch in batches(articles, batch_size))
    parts: list[Sketches] = []
    if workers == 1 or len(articles) <= batch_size:
        for job in jobs:
            parts.append(_sketch_job(job))
            if progress:
                progress(len(job[0][0]))
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for part in pool.imap(_sketch_job, jobs, chunksize=1):
                parts.append(part)
                if progress:
                    progress(len(part))
    return Sketches.concat(parts, params.permutations)
