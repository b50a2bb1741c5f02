"""The records of the output files as the report needs them: each field checked, nothing trusted.

Every field is read the way docs/output-contract.md describes it, but a record without an optional
field, or with a field of the wrong type, never stops the report: the field becomes None (or the
record is skipped and counted), and the page says so.

>>> cluster_entry({"cluster": "c000001", "articles": ["a", "b"], "source": "a"}, 0)["source"]
'a'
>>> group_substitutions([{"from": "United States", "to": "US", "count": 3}])
[{'from': 'United States', 'to': 'US', 'count': 3}]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from copydesk.errors import InputError
from copydesk.output import read_jsonl

EDIT_OPS = ("substitute", "insert", "delete")
ARTICLE_FIELDS = ("id", "date", "source", "title", "agency", "dateline", "url", "byline")
ARTICLE_INTS = ("n_words", "body_start", "body_end")

Record = dict[str, Any]
PairKey = tuple[str, str]


@dataclass
class FileStatus:
    """What the report could read from one output file, said on the page."""

    name: str
    state: str = "missing"  # ok, empty, missing or partial (a malformed line stopped the read)
    records: int = 0
    skipped: int = 0  # records without the fields the page needs
    note: str | None = None

    def as_json(self) -> Record:
        return {"name": self.name, "state": self.state, "records": self.records, "skipped": self.skipped,
                "note": self.note}


# --- reading ---------------------------------------------------------------------------------------


def read_records(out_dir: Path, status: FileStatus) -> Iterator[Record]:
    """Yield the JSON objects of one output file, updating ``status``; never raises on bad content.

    A missing file yields nothing; a malformed line ends the read there (keeping what came before)
    because a truncated file is the usual cause, and its note says where.
    """
    path = out_dir / status.name
    if not path.is_file():
        status.state, status.note = "missing", f"{status.name} is not in {out_dir}"
        return
    status.state = "ok"
    try:
        for record in read_jsonl(path):
            if isinstance(record, dict):
                status.records += 1
                yield record
            else:
                status.skipped += 1
    except InputError as err:
        status.state, status.note = "partial", str(err)
    except OSError as err:
        status.state, status.note = "partial", f"{path}: cannot read ({err.strerror or err})"
    if status.state == "ok" and status.records == 0:
        status.state = "empty"


# --- field coercion: the contract's types, or None --------------------------------------------------


def as_str(value: Any) -> str | None:
    """A string field; numbers become strings (ids are strings, but a number must not lose them)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return str(value)
    return None


def as_int(value: Any) -> int | None:
    """An integer field (offsets, counts); floats with no fraction are accepted, anything else is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


def as_num(value: Any) -> float | None:
    """A numeric field (scores, confidences), rounded to 4 places: the page shows at most 3."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return round(float(value), 4)


def as_strs(value: Any) -> list[str]:
    """A list of strings (ids, reasons); items that are not strings or numbers are dropped."""
    if not isinstance(value, list):
        return []
    return [text for text in map(as_str, value) if text is not None]


def pair_key(a: str, b: str) -> PairKey:
    """The unordered pair, ordered as the contract orders ``a`` < ``b``."""
    return (a, b) if a <= b else (b, a)


# --- articles.jsonl and texts.jsonl -----------------------------------------------------------------


def article_row(record: Record) -> list[Any] | None:
    """An article as ``[id, date, source, title, agency, dateline, url, byline, n_words, body_start, body_end]``.

    A list, not an object: a large run embeds tens of thousands of them and the keys would be
    most of the bytes. None without an id.
    """
    if as_str(record.get("id")) is None:
        return None
    return [as_str(record.get(key)) for key in ARTICLE_FIELDS] + [as_int(record.get(key)) for key in ARTICLE_INTS]


def text_row(record: Record) -> tuple[str, str] | None:
    """``(id, text)`` of a texts.jsonl record, or None when either is missing."""
    article, text = as_str(record.get("id")), record.get("text")
    return (article, text) if article is not None and isinstance(text, str) else None


# --- copies.jsonl -----------------------------------------------------------------------------------


def cluster_entry(record: Record, index: int) -> Record | None:
    """One copy cluster as the page needs it, or None when it names no articles."""
    articles = as_strs(record.get("articles"))
    if not articles:
        return None
    edges = record.get("lineage")
    lineage = [edge for edge in map(edge_entry, edges if isinstance(edges, list) else []) if edge]
    return {
        "id": as_str(record.get("cluster")) or f"#{index + 1}",
        "articles": articles,
        "source": as_str(record.get("source")),
        "confidence": as_num(record.get("source_confidence")),
        "reasons": as_strs(record.get("source_reasons")),
        "lineage": lineage,
    }


def edge_entry(raw: Any) -> Record | None:
    """One lineage edge (parent -> child), or None without both ends."""
    if not isinstance(raw, dict):
        return None
    parent, child = as_str(raw.get("parent")), as_str(raw.get("child"))
    if parent is None or child is None or parent == child:
        return None
    edge: Record = {"parent": parent, "child": child, "confidence": as_num(raw.get("confidence"))}
    changes = changes_entry(raw.get("changes"))
    if changes:
        edge["changes"] = changes
    return edge


def changes_entry(raw: Any) -> Record | None:
    """The edge's change summary with the contract's fields only, each checked; empty lists left out."""
    if not isinstance(raw, dict):
        return None
    out: Record = {}
    for key in ("words_kept", "words_added", "words_cut", "sentences_rewritten", "quotes_altered"):
        number = as_int(raw.get(key))
        if number is not None:
            out[key] = number
    for key in ("paragraphs_cut", "paragraphs_added"):
        spans = [{"start": as_int(p.get("start")), "end": as_int(p.get("end")), "preview": as_str(p.get("preview"))}
                 for p in _dicts(raw.get(key))]
        if spans:
            out[key] = spans
    for key in ("insertions", "deletions"):
        runs = [{"text": as_str(r.get("text")) or "", "start": as_int(r.get("start"))} for r in _dicts(raw.get(key))]
        if runs:
            out[key] = runs
    substitutions = group_substitutions(_dicts(raw.get("substitutions")))
    if substitutions:
        out["substitutions"] = substitutions
    return out or None


def group_substitutions(items: Iterable[Record]) -> list[Record]:
    """Substitutions grouped by (from, to) with their counts summed, most frequent first.

    The contract already groups them; grouping again costs nothing and keeps "United States -> US"
    on one line even if a writer emits it once per occurrence.
    """
    counts: dict[tuple[str, str], int] = {}
    for item in items:
        key = (as_str(item.get("from")) or "", as_str(item.get("to")) or "")
        count = as_int(item.get("count"))
        counts[key] = counts.get(key, 0) + (count if count is not None and count > 0 else 1)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"from": src, "to": dst, "count": n} for (src, dst), n in ordered]


def _dicts(value: Any) -> list[Record]:
    """The dict items of a list field (anything else is dropped)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


# --- pairs.jsonl and passages.jsonl -----------------------------------------------------------------


def pair_row(record: Record) -> tuple[PairKey, list[Any]] | None:
    """A verified pair as ``[a, b, jaccard, containment_a_in_b, containment_b_in_a, shared_shingles, exact]``."""
    a, b = as_str(record.get("a")), as_str(record.get("b"))
    if a is None or b is None:
        return None
    row = [a, b, as_num(record.get("jaccard")), as_num(record.get("containment_a_in_b")),
           as_num(record.get("containment_b_in_a")), as_int(record.get("shared_shingles")),
           record.get("exact") is True]
    return pair_key(a, b), row


def passage_row(record: Record) -> tuple[str, str, list[Any]] | None:
    """A passage as ``(a, b, [a_start, a_end, b_start, b_end, words, identity, edits])``, or None.

    The page tells a from b by the pair's own ``a`` and ``b``, so the order of the two ids in the
    file does not matter. Each edit is ``[op, a_text, b_text, a_start, b_start]``.
    """
    a, b = as_str(record.get("a")), as_str(record.get("b"))
    spans = [as_int(record.get(key)) for key in ("a_start", "a_end", "b_start", "b_end")]
    if a is None or b is None or any(s is None for s in spans):
        return None
    edits = [edit for edit in map(edit_row, _dicts(record.get("edits"))) if edit]
    return a, b, [*spans, as_int(record.get("words")), as_num(record.get("identity")), edits]


def flip_passage(row: list[Any]) -> list[Any]:
    """The same passage seen from the other side (b as a): spans swapped, insert and delete exchanged.

    Used when a writer lists one pair's passages in both orders, so that the page can rely on
    the orientation of the pair's first passage.
    """
    flipped_op = {"insert": "delete", "delete": "insert", "substitute": "substitute"}
    edits = [[flipped_op[op], b_text, a_text, b_start, a_start] for op, a_text, b_text, a_start, b_start in row[6]]
    return [row[2], row[3], row[0], row[1], row[4], row[5], edits]


def edit_row(raw: Record) -> list[Any] | None:
    """One edit as ``[op, a_text, b_text, a_start, b_start]``; None for an unknown op or missing offsets."""
    op = raw.get("op")
    a_start, b_start = as_int(raw.get("a_start")), as_int(raw.get("b_start"))
    if op not in EDIT_OPS or a_start is None or b_start is None:
        return None
    return [op, as_str(raw.get("a_text")) or "", as_str(raw.get("b_text")) or "", a_start, b_start]


def locate(text: str | None, start: int, snippet: str, base: int, end: int) -> int:
    """Where ``snippet`` starts in ``text``: at ``start`` as the contract says, else repaired.

    Edit offsets index the whole text. Should a writer give them relative to the passage, or be
    off by a little, the page would mark the wrong words; this tries ``base + start`` and then a
    search inside the passage before it gives up and keeps ``start``.
    """
    if not text or not snippet or text.startswith(snippet, start):
        return start
    if text.startswith(snippet, base + start):
        return base + start
    found = text.find(snippet, base, max(end, base + len(snippet)))
    return found if found >= 0 else start


def repair_edits(a_text: str | None, b_text: str | None, row: list[Any]) -> None:
    """Check (and where needed repair) each edit's offsets of one passage row against the texts."""
    a_start, a_end, b_start, b_end = row[:4]
    for edit in row[6]:
        edit[3] = locate(a_text, edit[3], edit[1], a_start, a_end)
        edit[4] = locate(b_text, edit[4], edit[2], b_start, b_end)


# --- stories.jsonl ---------------------------------------------------------------------------------


def story_entry(record: Record, index: int) -> Record | None:
    """One story: id, articles, label and date range; None when it names no articles."""
    articles = as_strs(record.get("articles"))
    if not articles:
        return None
    return {
        "id": as_str(record.get("story")) or f"#{index + 1}",
        "articles": articles,
        "label": as_str(record.get("label")),
        "first": as_str(record.get("first_date")),
        "last": as_str(record.get("last_date")),
    }
