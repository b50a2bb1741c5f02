"""Ingest: every input format to ``Article`` objects, with problems reported and nothing else lost.

>>> from copydesk.ingest import read_corpus
>>> corpus = read_corpus(["../shared/seeds"])          # doctest: +SKIP
>>> [a.id for a in corpus.articles]                   # doctest: +SKIP
['000_42e18ac39154c246', '001_bf15a51c4cba013e']
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol, TypeVar

from copydesk.article import Article
from copydesk.errors import InputError, Problems
from copydesk.ingest.files import InputFile, decode, discover, looks_binary
from copydesk.ingest.metadata import TextMetadata, parse_date, parse_text
from copydesk.ingest.parts import Part
from copydesk.ingest.records import READERS, Record, jsonl_records
from copydesk.text import tokenize


class Placed(Protocol):
    """An article, or what stands for it when its text is not kept: an id and where it was read."""

    id: str
    path: str
    line: int | None

    @property
    def where(self) -> str: ...


PlacedT = TypeVar("PlacedT", bound=Placed)


@dataclass(frozen=True)
class FieldNames:
    """Which record fields hold each article property (``--id-field`` and friends)."""

    id: str = "id"
    text: str = "text"
    date: str = "date"
    source: str = "source"
    title: str = "title"
    url: str = "url"


@dataclass
class Corpus:
    """The articles read (sorted by id), and the problems met on the way."""

    articles: list[Article]
    problems: Problems
    files: list[InputFile] = field(default_factory=list)

    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}


def read_corpus(
    paths: Iterable[str | os.PathLike[str]],
    *,
    fields: FieldNames | None = None,
    problems: Problems | None = None,
    dedupe_ids: bool = False,
    progress: Callable[[int], None] | None = None,
    on_files: Callable[[list[InputFile]], None] | None = None,
    words: bool = True,
) -> Corpus:
    """Read every article under ``paths``; the result does not depend on the order files are found.

    ``words=False`` leaves ``n_words`` at 0 for a later stage that tokenises anyway to fill.
    """
    problems = problems if problems is not None else Problems()
    files = discover(paths, problems)
    if on_files is not None:
        on_files(files)
    articles = list(iter_articles(files, fields or FieldNames(), problems, progress or _ignore))
    articles = unique_ids(articles, dedupe_ids)
    articles.sort(key=lambda a: a.id)
    if words:
        count_words(articles)
    return Corpus(articles, problems, files)


def iter_articles(
    files: list[InputFile], fields: FieldNames, problems: Problems, progress: Callable[[int], None]
) -> Iterator[Article]:
    """Articles of ``files`` in file order, without id checks or word counts (for streaming)."""
    for source in files:
        yield from part_articles(Part(source), fields, problems, progress)


class ArticleCore(NamedTuple):
    """An article as read before its optional fields: what the copy stages need, and what the full
    ``Article`` is built from. ``title`` is the record's own; ``meta`` what the text says of itself.
    """

    id: str
    text: str
    path: str
    line: int | None
    date: str | None
    title: str | None
    meta: TextMetadata


def part_articles(
    part: Part, fields: FieldNames, problems: Problems, progress: Callable[[int], None]
) -> Iterator[Article]:
    """Articles of one part of the inputs (a file, or a range of lines of a JSON Lines file)."""
    for core, record in _part_records(part, fields, problems, progress):
        yield _article(core, record, fields)


def part_cores(
    part: Part, fields: FieldNames, problems: Problems, progress: Callable[[int], None]
) -> Iterator[ArticleCore]:
    """``part_articles`` without building the ``Article`` objects: for ``dedup``, which keeps only
    ids, dates and sketches (a tenth of its reading time went into objects it dropped).
    """
    for core, _ in _part_records(part, fields, problems, progress):
        yield core


def _part_records(
    part: Part, fields: FieldNames, problems: Problems, progress: Callable[[int], None]
) -> Iterator[tuple[ArticleCore, Record]]:
    source = part.file
    if source.format == "txt":
        core = read_txt_core(source, problems)
        progress(source.size)
        if core is not None:
            yield core, {}
        return
    if part.end is not None:
        records = jsonl_records(part.lines(), source.name, part.first_line, problems, progress)
    else:
        records = READERS[source.format](source, problems, progress)
    for where, record in records:
        core = core_from_record(record, where, source, fields, problems)
        if core is not None:
            yield core, record


def count_words(articles: list[Article], batch: int = 4096) -> None:
    """Fill ``n_words``: the number of word tokens in each article's body."""
    for lo in range(0, len(articles), batch):
        chunk = articles[lo : lo + batch]
        toks = tokenize([a.text for a in chunk], [(a.body_start, a.body_end) for a in chunk])
        for article, n in zip(chunk, toks.counts(), strict=True):
            article.n_words = int(n)


def _ignore(_: int) -> None:
    pass


def read_txt_core(source: InputFile, problems: Problems) -> ArticleCore | None:
    data = source.read_bytes()
    if looks_binary(data):
        problems.add(source.name, "binary file, skipped", "binary")
        return None
    text = decode(data, source.name, problems)
    if not text.strip():
        problems.add(source.name, "empty article, skipped", "empty")
        return None
    meta = parse_text(text)
    return ArticleCore(source.stem, text, source.name, None, meta.date, None, meta)


def core_from_record(
    record: Record, where: str, source: InputFile, fields: FieldNames, problems: Problems
) -> ArticleCore | None:
    """The record's article, or None (with the reason told to ``problems``) when it has no usable text."""
    text = record.get(fields.text)
    if text is None:
        problems.add(where, f"record has no '{fields.text}' field, skipped", "no_text")
        return None
    if not isinstance(text, str):
        problems.add(where, f"'{fields.text}' is not a string, skipped", "malformed")
        return None
    if not text or text.isspace():  # not text.strip(), without copying the text
        problems.add(where, "empty article, skipped", "empty")
        return None
    raw_id = record.get(fields.id)
    line = where.rsplit(":", 1)[1]
    article_id = _id_string(raw_id) if raw_id not in (None, "") else f"{source.stem}-{line.replace(' ', '')}"
    title = _optional_string(record.get(fields.title))
    meta = parse_text(text, has_title=title is not None)
    raw_date = record.get(fields.date)
    date = parse_date(raw_date)
    if date is None and raw_date not in (None, ""):
        problems.add(where, f"unreadable date {raw_date!r}, kept undated", "date", skipped=False)
    return ArticleCore(
        article_id, text, source.name, int(line) if line.isdigit() else None, date or meta.date, title, meta
    )


def _article(core: ArticleCore, record: Record, fields: FieldNames) -> Article:
    meta = core.meta
    return Article(
        id=core.id,
        text=core.text,
        path=core.path,
        line=core.line,
        date=core.date,
        title=core.title or meta.title,
        source=_optional_string(record.get(fields.source)),
        url=_optional_string(record.get(fields.url)),
        byline=meta.byline,
        dateline=meta.dateline,
        agency=meta.agency,
        body_start=meta.body_start,
        body_end=meta.body_end,
    )


def _id_string(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _optional_string(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def unique_ids(articles: list[PlacedT], dedupe: bool) -> list[PlacedT]:
    """Refuse two articles with one id, or with ``dedupe`` give the later ones a '#2', '#3' suffix.

    Returns them ordered by (id as read, path, line).
    """
    ordered = sorted(articles, key=lambda a: (a.id, a.path, a.line or 0))
    seen: dict[str, PlacedT] = {}
    for article in ordered:
        first = seen.get(article.id)
        if first is None:
            seen[article.id] = article
            continue
        if not dedupe:
            raise InputError(
                f"duplicate id {article.id!r}: {first.where} and {article.where} "
                "(rename one, or pass --dedupe-ids to suffix them)"
            )
        n = 2
        while f"{article.id}#{n}" in seen:
            n += 1
        article.id = f"{article.id}#{n}"
        seen[article.id] = article
    return ordered
