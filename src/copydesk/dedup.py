"""``copydesk dedup`` as a library call: copy pairs and clusters of large corpora, and a cleaned corpus.

The inputs are read and sketched part by part in worker processes (``engines.local.sketch_inputs``),
so memory holds the sketches and one id per article, never the text. ``--keep-first`` then writes
the corpus back with one article per copy cluster, in the input's own format, by a second
streaming pass that copies the records it keeps untouched.

Which version is kept: the *first* one published, the earliest by date (undated articles count
as latest), ties broken by the smallest id. For a training-data cleaner this keeps the original
wire copy where dates say which it is, and is deterministic where they do not.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from copydesk.config import Config
from copydesk.copies import CopyResult, find_copies
from copydesk.engines.local import Entry, Sketched, sketch_inputs
from copydesk.errors import CopydeskError, Problems
from copydesk.ingest import FieldNames, core_from_record, read_txt_core
from copydesk.ingest.files import InputFile
from copydesk.ingest.records import READERS

DEDUPLICATED = "deduplicated"
"""Base name of the cleaned corpus: deduplicated.jsonl, deduplicated.parquet or a deduplicated/ folder."""


@dataclass(frozen=True)
class Deduplication:
    """What ``dedup`` found: every article (sorted by id, with its sketch) and the copies."""

    sketched: Sketched
    copies: CopyResult

    @property
    def entries(self) -> list[Entry]:
        return self.sketched.entries


def find_copies_in_files(
    files: list[InputFile],
    fields: FieldNames,
    config: Config,
    problems: Problems,
    *,
    dedupe_ids: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Deduplication:
    """Read, sketch and compare ``files``; ``progress`` is told the bytes read."""
    sketched = sketch_inputs(
        files,
        fields,
        config.sketch,
        problems,
        workers=config.workers,
        batch_size=config.batch_size,
        dedupe_ids=dedupe_ids,
        progress=progress,
    )
    copies = find_copies(
        sketched.ids, sketched.sketches, config.candidates, config.verify, config.workers, release_signatures=True
    )
    return Deduplication(sketched, copies)


def first_published(entries: list[Entry]) -> Entry:
    """The version a cleaned corpus keeps: the earliest dated, then the smallest id."""
    return min(entries, key=lambda e: (e.date is None, e.date or "", e.id))


def kept_rows(found: Deduplication) -> set[int]:
    """Read-order rows (``Entry.row``) of the articles the cleaned corpus keeps."""
    entries = found.entries
    by_id = {e.id: e for e in entries}
    dropped: set[int] = set()
    for members in found.copies.clusters:
        keep = first_published([by_id[m] for m in members])
        dropped.update(by_id[m].row for m in members if m != keep.id)
    return {e.row for e in entries} - dropped


def write_deduplicated(files: list[InputFile], found: Deduplication, fields: FieldNames, out: Path) -> tuple[Path, int]:
    """Write the cleaned corpus into ``out`` in the inputs' format; returns where and how many articles.

    JSON Lines in, JSON Lines out with the original lines; Parquet in (one schema), Parquet out;
    text files in, a folder of the same text files; anything else or a mix, JSON Lines of the
    original records (a text file becomes ``{"id", "text"}``).
    """
    keep = kept_rows(found)
    formats = {f.format for f in files}
    try:
        if formats == {"jsonl"}:
            return _write_jsonl_lines(files, found.entries, keep, out / f"{DEDUPLICATED}.jsonl")
        if formats == {"txt"}:
            return _write_text_files(files, found.entries, keep, out / DEDUPLICATED)
        if formats == {"parquet"} and _one_schema(files):
            return _write_parquet(files, fields, keep, out / f"{DEDUPLICATED}.parquet")
        return _write_records(files, fields, keep, out / f"{DEDUPLICATED}.jsonl")
    except OSError as err:
        raise CopydeskError(f"{out}: cannot write the deduplicated corpus ({err.strerror or err})") from err


def _write_jsonl_lines(files: list[InputFile], entries: list[Entry], keep: set[int], path: Path) -> tuple[Path, int]:
    """Copy the kept lines byte for byte: a JSON Lines article is known by its file and line."""
    wanted = {(e.path, e.line) for e in entries if e.row in keep}
    n = 0
    with open(path, "wb") as out:
        for source in files:
            with source.open_binary() as handle:
                for number, raw in enumerate(handle, start=1):
                    if (source.name, number) in wanted:
                        out.write(raw if raw.endswith(b"\n") else raw + b"\n")
                        n += 1
    return path, n


def _write_text_files(files: list[InputFile], entries: list[Entry], keep: set[int], folder: Path) -> tuple[Path, int]:
    """Copy each kept text file, named by its article id (unique, unlike names across folders)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    by_path = {e.path: e for e in entries if e.row in keep}
    for source in files:
        entry = by_path.get(source.name)
        if entry is not None:
            suffix = source.path.name[len(source.stem) :]
            shutil.copyfile(source.path, folder / f"{entry.id}{suffix}")
    return folder, len(by_path)


def _one_schema(files: list[InputFile]) -> bool:
    import pyarrow.parquet as pq

    schemas = [pq.read_schema(f.path) for f in files]
    return all(s.equals(schemas[0]) for s in schemas)


def _write_parquet(files: list[InputFile], fields: FieldNames, keep: set[int], path: Path) -> tuple[Path, int]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(files[0].path)
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, Any]] = []
        for record in _kept_records(files, fields, keep):
            batch.append(record)
            if len(batch) == 4096:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n, batch = n + len(batch), []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return path, n


def _write_records(files: list[InputFile], fields: FieldNames, keep: set[int], path: Path) -> tuple[Path, int]:
    n = 0
    with open(path, "wb") as out:
        for record in _kept_records(files, fields, keep):
            out.write(orjson.dumps(record, default=str) + b"\n")
            n += 1
    return path, n


def _kept_records(files: list[InputFile], fields: FieldNames, keep: set[int]) -> Iterator[dict[str, Any]]:
    """The original records of the kept articles, found again by reading the inputs in the same order.

    Each record is turned into an article exactly as the first pass did, so the ``row``-th record
    that makes an article is the article of row ``row``.
    """
    quiet = Problems()  # the first pass has reported every problem already
    row = 0
    for source in files:
        if source.format == "txt":
            article = read_txt_core(source, quiet)
            if article is not None:
                if row in keep:
                    yield {"id": article.id, "text": article.text}
                row += 1
            continue
        for where, record in READERS[source.format](source, quiet, _ignore):
            if core_from_record(record, where, source, fields, quiet) is not None:
                if row in keep:
                    yield record
                row += 1


def _ignore(_: int) -> None:
    pass
