"""The local engine: stages over batches, the compiled ones spread over worker processes.

Batches are cut in input order and their results joined in that order, so the output is the
same for any number of workers.

Two ways in: ``sketch_articles`` sketches articles already read (``copydesk run`` keeps their
text for later stages); ``sketch_inputs`` has each worker read its own part of the input files
and hand back only ids, dates and sketches, so the text never crosses a pipe and memory grows
with the sketches, not the corpus (``copydesk dedup``).
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from copydesk.article import Article
from copydesk.errors import Problem, Problems
from copydesk.ingest import ArticleCore, FieldNames, part_cores, unique_ids
from copydesk.ingest.files import InputFile
from copydesk.ingest.parts import PART_BYTES, Part, split_inputs
from copydesk.sketch import SketchBuilder, Sketches, SketchParams, reorder, sketch_texts

Batch = tuple[list[str], list[tuple[int, int]]]
Progress = Callable[[int], None]


def sketch_batch(batch: Batch, params: SketchParams) -> Sketches:
    """Tokenise and sketch one batch of (texts, body spans)."""
    texts, spans = batch
    return sketch_texts(texts, spans, params)


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
    progress: Progress | None = None,
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


@dataclass(slots=True)
class Entry:
    """An article without its text: its id, where it was read, its date, and its row as read."""

    id: str
    path: str
    line: int | None
    date: str | None
    row: int = -1

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path


@dataclass(frozen=True)
class Sketched:
    """Every article of the inputs, sorted by id, and their sketches (row ``i`` is ``entries[i]``)."""

    entries: list[Entry]
    sketches: Sketches

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.entries]


@dataclass(frozen=True)
class _PartJob:
    parts: list[Part]
    fields: FieldNames
    params: SketchParams
    strict: bool
    batch_size: int


def sketch_inputs(
    files: list[InputFile],
    fields: FieldNames,
    params: SketchParams,
    problems: Problems,
    *,
    workers: int = 1,
    batch_size: int = 2048,
    dedupe_ids: bool = False,
    progress: Progress | None = None,
) -> Sketched:
    """Read and sketch ``files`` with ``workers`` processes; the same result for any number of them.

    One worker reads each file whole, as it comes: cutting a large JSON Lines file into parts
    for several workers takes a pass over it to count the lines before each cut.
    """
    parts = split_inputs(files) if workers > 1 else [Part(file) for file in files]
    jobs = [_PartJob(group, fields, params, problems.strict, batch_size) for group in _groups(parts)]
    total_bytes = sum(p.size for p in parts)
    builder = SketchBuilder(params.permutations, expected_shingles=total_bytes // 2 + 1)
    entries: list[Entry] = []
    read_bytes = 0
    for found, sketches, found_problems, size in _run(jobs, workers):
        for p in found_problems:
            problems.add(p.where, p.reason, p.kind, skipped=p.skipped)
        if not entries and found and read_bytes + size < total_bytes:  # expect as many docs per byte
            builder.reserve(int(len(found) * total_bytes / (read_bytes + size) * 1.1) + 1, 0)
        for entry in found:
            entry.row = len(entries)
            entries.append(entry)
        builder.add(sketches)
        read_bytes += size
        if progress:
            progress(size)
    ordered = unique_ids(entries, dedupe_ids)
    ordered.sort(key=lambda e: e.id)
    order = np.fromiter((e.row for e in ordered), dtype=np.int64, count=len(ordered))
    sketched = builder.build()
    if np.any(order != np.arange(len(order))):
        sketched = reorder(sketched, order)
    return Sketched(ordered, sketched)


def _groups(parts: list[Part]) -> Iterator[list[Part]]:
    """Consecutive parts gathered into jobs of about ``PART_BYTES`` (many small files go together)."""
    group: list[Part] = []
    size = 0
    for part in parts:
        group.append(part)
        size += part.size
        if size >= PART_BYTES or len(group) >= 512:
            yield group
            group, size = [], 0
    if group:
        yield group


Chunk = tuple[list[Entry], Sketches, list[Problem], int]
"""What reading and sketching hands back: entries, their sketches, problems met, bytes read."""


def _run(jobs: list[_PartJob], workers: int) -> Iterator[Chunk]:
    if workers == 1 or len(jobs) == 1:
        for job in jobs:
            yield from _sketched_chunks(job, PART_BYTES)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_sketch_parts, jobs, chunksize=1)


def _sketch_parts(job: _PartJob) -> Chunk:
    """Read and sketch one job's parts in a worker, handed back at once (a job is a part's worth)."""
    (whole,) = _sketched_chunks(job, chunk_bytes=None)
    return whole


def _sketched_chunks(job: _PartJob, chunk_bytes: int | None) -> Iterator[Chunk]:
    """Read and sketch one job's parts, handing back what was read every ``chunk_bytes`` of input
    (at a batch's end; None: once, at the end), so that a whole file read by one process never
    holds more than a chunk of sketches twice.
    """
    problems = Problems(strict=job.strict)
    entries: list[Entry] = []
    done: list[Sketches] = []
    batch: list[ArticleCore] = []
    left = sum(p.size for p in job.parts)  # bytes still to report: the chunks add up to the parts' sizes
    read = handed = 0

    def count(n: int) -> None:
        nonlocal read
        read += n

    def flush() -> None:
        spans = [(a.meta.body_start, a.meta.body_end) for a in batch]
        done.append(sketch_texts([a.text for a in batch], spans, job.params))
        batch.clear()

    def chunk(size: int) -> Chunk:
        nonlocal entries, done, read, handed, left
        out = (entries, Sketches.concat(done, job.params.permutations), problems.items[handed:], size)
        entries, done, read, handed, left = [], [], 0, len(problems.items), left - size
        return out

    for part in job.parts:
        for article in part_cores(part, job.fields, problems, count):
            entries.append(Entry(article.id, sys.intern(article.path), article.line, article.date))
            batch.append(article)
            if len(batch) == job.batch_size:
                flush()
                if chunk_bytes is not None and read >= chunk_bytes:
                    yield chunk(min(read, left))
    if batch:
        flush()
    yield chunk(left)
