"""The JSON Lines outputs: one place that says what each file holds, and writes and reads it.

Records are written sorted, with sorted keys, so the same input gives the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from copydesk.article import Article
from copydesk.cluster import cluster_id
from copydesk.copies import CopyResult
from copydesk.errors import CopydeskError, InputError

if TYPE_CHECKING:  # the pipeline is only named in annotations; importing it would load every stage
    from copydesk.lineage import Edge
    from copydesk.pipeline import ClusterLineage

SCHEMA_VERSION = "1"

ARTICLES = "articles.jsonl"
PAIRS = "pairs.jsonl"
COPIES = "copies.jsonl"
PASSAGES = "passages.jsonl"
STORIES = "stories.jsonl"
TEXTS = "texts.jsonl"
REPORT = "report.html"


def prepare_out_dir(path: str | os.PathLike[str]) -> Path:
    """Create the output directory, or say clearly why it cannot be written."""
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".copydesk-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        raise CopydeskError(f"{out}: cannot write output directory ({err.strerror or err})") from err
    return out


def article_record(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "path": article.path,
        "line": article.line,
        "date": article.date,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "byline": article.byline,
        "dateline": article.dateline,
        "agency": article.agency,
        "n_words": article.n_words,
        "body_start": article.body_start,
        "body_end": article.body_end,
    }


def text_records(articles: Iterable[Article], wanted: set[str]) -> Iterator[dict[str, Any]]:
    """texts.jsonl: the original text of each wanted article (those the report can show), in id order."""
    for article in sorted((a for a in articles if a.id in wanted), key=lambda a: a.id):
        yield {"id": article.id, "text": article.text}


def copy_records(result: CopyResult, lineage: Sequence[ClusterLineage] = ()) -> Iterator[dict[str, Any]]:
    """copies.jsonl: one record per copy cluster, with its source and lineage when traced."""
    for index, members in enumerate(result.clusters):
        traced = lineage[index] if index < len(lineage) else None
        yield {
            "cluster": cluster_id(index),
            "articles": members,
            "size": len(members),
            "source": traced.verdict.source if traced else None,
            "source_confidence": traced.verdict.confidence if traced else None,
            "source_reasons": traced.verdict.reasons if traced else [],
            "lineage": [edge_record(e) for e in traced.edges] if traced else [],
        }


def edge_record(edge: Edge) -> dict[str, Any]:
    record: dict[str, Any] = {"parent": edge.parent, "child": edge.child, "confidence": edge.confidence}
    if edge.changes is not None:
        record["changes"] = edge.changes
    return record


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> int:
    """Write records one per line; returns how many."""
    n = 0
    try:
        with open(path, "wb") as handle:
            for record in records:
                handle.write(orjson.dumps(record, option=orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY))
                handle.write(b"\n")
                n += 1
    except OSError as err:
        raise CopydeskError(f"{path}: cannot write ({err.strerror or err})") from err
    return n


def read_jsonl(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Read one of copydesk's own output files back."""
    try:
        with open(path, "rb") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    try:
                        yield orjson.loads(line)
                    except orjson.JSONDecodeError as err:
                        raise InputError(f"{path}:{number}: malformed JSON ({err})") from err
    except FileNotFoundError as err:
        raise InputError(f"{path}: no such file (is this a copydesk output directory?)") from err
