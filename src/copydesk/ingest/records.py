"""Readers of record formats (JSON Lines, JSON arrays, CSV, Parquet): one article per record.

Each reader yields ``(where, record)`` with ``where`` as 'file:line' (or 'file:row N' for
Parquet, 'file:item N' for JSON arrays), and reports a malformed record to ``problems``
instead of stopping.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson

from copydesk.errors import InputError, Problems
from copydesk.ingest.files import InputFile, decode

Record = dict[str, Any]
Progress = Callable[[int], None]


def read_jsonl(source: InputFile, problems: Problems, progress: Progress) -> Iterator[tuple[str, Record]]:
    with source.open_binary() as handle:
        yield from jsonl_records(handle, source.name, 1, problems, progress)


def jsonl_records(
    lines: Iterable[bytes], name: str, first_line: int, problems: Problems, progress: Progress
) -> Iterator[tuple[str, Record]]:
    """Records of JSON Lines ``lines``, the first of them line ``first_line`` of file ``name``."""
    for number, raw in enumerate(lines, start=first_line):
        progress(len(raw))
        if raw.isspace() or not raw:  # JSON allows the white space around a record: no stripped copy
            continue
        where = f"{name}:{number}"
        value = _parse_json_line(raw, where, problems)
        if value is None:
            continue
        if not isinstance(value, dict):
            problems.add(where, f"malformed record: expected a JSON object, got {type(value).__name__}", "malformed")
            continue
        yield where, value


def _parse_json_line(line: bytes, where: str, problems: Problems) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        pass
    # orjson refuses invalid UTF-8 and lone surrogates; the standard library tells what is wrong.
    text = decode(line.strip(), where, problems)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        problems.add(where, f"malformed JSON ({err.msg} at column {err.colno})", "malformed")
        return None


def read_json(source: InputFile, problems: Problems, progress: Progress) -> Iterator[tuple[str, Record]]:
    data = source.read_bytes()
    progress(len(data))
    try:
        value = json.loads(decode(data, source.name, problems))
    except json.JSONDecodeError as err:
        problems.add(f"{source.name}:{err.lineno}", f"malformed JSON ({err.msg}); file skipped", "malformed")
        return
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        problems.add(source.name, "expected a JSON array of objects; file skipped", "malformed")
        return
    for index, item in enumerate(value, start=1):
        where = f"{source.name}:item {index}"
        if not isinstance(item, dict):
            problems.add(where, f"malformed record: expected an object, got {type(item).__name__}", "malformed")
            continue
        yield where, item


def read_csv(source: InputFile, problems: Problems, progress: Progress) -> Iterator[tuple[str, Record]]:
    data = source.read_bytes()
    progress(len(data))
    text = decode(data, source.name, problems)
    csv.field_size_limit(sys.maxsize)
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey="\0extra")
    if reader.fieldnames is None:
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            problems.add(f"{source.name}:{reader.line_num}", f"malformed CSV row ({err})", "malformed")
            return
        where = f"{source.name}:{reader.line_num}"
        if "\0extra" in row:
            problems.add(where, "malformed CSV row: more fields than the header", "malformed")
            continue
        yield where, {k: v for k, v in row.items() if v is not None}


def read_parquet(source: InputFile, problems: Problems, progress: Progress) -> Iterator[tuple[str, Record]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        handle = source.open_binary()
        parquet = pq.ParquetFile(handle)
    except (pa.ArrowException, OSError) as err:
        raise InputError(f"{source.name}: not a readable Parquet file ({err})") from err
    row = 0
    with handle:
        try:
            for batch in parquet.iter_batches(batch_size=4096):
                progress(int(batch.nbytes))
                for record in batch.to_pylist():
                    row += 1
                    yield f"{source.name}:row {row}", record
        except (pa.ArrowException, OSError) as err:
            raise InputError(f"{source.name}:row {row + 1}: cannot read Parquet data ({err})") from err


READERS: dict[str, Callable[[InputFile, Problems, Progress], Iterator[tuple[str, Record]]]] = {
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "parquet": read_parquet,
}
