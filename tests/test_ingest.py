from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import SEED_FULL, SEED_SHORT
from copydesk.errors import InputError, Problems
from copydesk.ingest import FieldNames, read_corpus

RECORDS = [
    {
        "id": 7,
        "text": "WASHINGTON (AFP): Blinken met Tokayev in Astana on Tuesday.",
        "date": "2023-02-28",
        "source": "Daily Planet",
        "title": "Blinken in Astana",
        "url": "https://planet.example/a",
    },
    {"id": "b", "text": "ASTANA: The talks went on.\n\n–Agencies", "source": "Ledger"},
]


def test_seeds_metadata(seeds_dir: Path) -> None:
    corpus = read_corpus([seeds_dir])
    arts = corpus.by_id()
    assert sorted(arts) == [SEED_SHORT, SEED_FULL]
    short, full = arts[SEED_SHORT], arts[SEED_FULL]
    assert short.date == "2023-02-28"
    assert short.text[short.body_start :].startswith("Secretary of State Antony Blinken")
    assert full.title == "Blinken backs Kazakhstan sovereignty as Ukraine raises fears"
    assert (full.dateline, full.agency) == ("WASHINGTON", "AFP")
    assert full.body.startswith("Secretary of State")
    assert full.n_words > short.n_words > 300


def _check_records(corpus_path: Path, fields: FieldNames | None = None) -> None:
    corpus = read_corpus([corpus_path], fields=fields)
    arts = corpus.by_id()
    assert sorted(arts) == ["7", "b"]
    first = arts["7"]
    assert (first.date, first.source, first.title, first.url) == (
        "2023-02-28",
        "Daily Planet",
        "Blinken in Astana",
        "https://planet.example/a",
    )
    assert (first.dateline, first.agency) == ("WASHINGTON", "AFP")
    assert first.body == "Blinken met Tokayev in Astana on Tuesday."
    assert (arts["b"].dateline, arts["b"].agency, arts["b"].body) == ("ASTANA", "Agencies", "The talks went on.")
    assert not corpus.problems.items


def write_jsonl(path: Path, records: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_jsonl(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "feed.jsonl", RECORDS)
    _check_records(tmp_path / "feed.jsonl")


def test_gzipped_jsonl(tmp_path: Path) -> None:
    with gzip.open(tmp_path / "feed.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in RECORDS)
    _check_records(tmp_path / "feed.jsonl.gz")


def test_json_array(tmp_path: Path) -> None:
    (tmp_path / "feed.json").write_text(json.dumps(RECORDS), encoding="utf-8")
    _check_records(tmp_path / "feed.json")


def test_csv(tmp_path: Path) -> None:
    with open(tmp_path / "feed.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["id", "text", "date", "source", "title", "url"])
        writer.writeheader()
        writer.writerows(RECORDS)
    _check_records(tmp_path / "feed.csv")


def test_parquet_with_renamed_fields(tmp_path: Path) -> None:
    renamed = [
        {
            "doc": r["id"] if r["id"] != 7 else 7.0,
            "body": r["text"],
            "published": r.get("date"),
            "outlet": r["source"],
            "headline": r.get("title"),
            "url": r.get("url"),
        }
        for r in RECORDS
    ]
    for r in renamed:
        r["doc"] = str(r["doc"]) if r["doc"] == "b" else None
    renamed[0]["doc"] = None
    table = pa.table(
        {
            "doc": pa.array([7, 8], pa.int64()),
            "body": [r["body"] for r in renamed],
            "published": [r["published"] for r in renamed],
            "outlet": [r["outlet"] for r in renamed],
            "headline": [r["headline"] for r in renamed],
            "url": [r["url"] for r in renamed],
        }
    )
    pq.write_table(table, tmp_path / "crawl.parquet")
    fields = FieldNames(id="doc", text="body", date="published", source="outlet", title="headline")
    corpus = read_corpus([tmp_path / "crawl.parquet"], fields=fields)
    arts = corpus.by_id()
    assert sorted(arts) == ["7", "8"]
    assert (arts["7"].date, arts["7"].source, arts["7"].title) == ("2023-02-28", "Daily Planet", "Blinken in Astana")
    assert arts["8"].agency == "Agencies"


def test_txt_in_nested_dirs_mixed_with_files_in_any_order(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.txt").write_text("Deep article text here.", encoding="utf-8")
    (tmp_path / "top.txt").write_text("Top article text here.", encoding="utf-8")
    write_jsonl(tmp_path / "a" / "feed.jsonl", RECORDS)
    one = read_corpus([tmp_path / "top.txt", tmp_path / "a"])
    two = read_corpus([tmp_path / "a", tmp_path / "top.txt", tmp_path])
    assert [a.id for a in one.articles] == [a.id for a in two.articles] == ["7", "b", "deep", "top"]


def test_missing_id_gets_file_and_line(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "feed.jsonl", [{"text": "One article."}, {"text": "Another one."}])
    assert [a.id for a in read_corpus([tmp_path]).articles] == ["feed-1", "feed-2"]


def test_bad_inputs_are_warnings_that_name_the_place(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("A good article about the talks.", encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes("Le café était très bon à Genève.".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("   \n\n", encoding="utf-8")
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100))
    (tmp_path / "feed.jsonl").write_text(
        '{"id": "f1", "text": "Fine record."}\n{"id": "f2", "text": \n{"id": "f3"}\n{"id": "f4", "text": ""}\n',
        encoding="utf-8",
    )
    problems = Problems()
    corpus = read_corpus([tmp_path], problems=problems)
    assert [a.id for a in corpus.articles] == ["f1", "good", "latin"]
    assert corpus.by_id()["latin"].text == "Le café était très bon à Genève."
    said = {str(p.where).replace(str(tmp_path) + "/", ""): p.kind for p in problems.items}
    assert said == {
        "blob.bin": "unsupported",
        "empty.txt": "empty",
        "feed.jsonl:2": "malformed",
        "feed.jsonl:3": "no_text",
        "feed.jsonl:4": "empty",
        "image.txt": "binary",
        "latin.txt": "encoding",
    }


def test_strict_turns_the_first_problem_into_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.txt: empty article"):
        read_corpus([tmp_path], problems=Problems(strict=True))


def test_duplicate_ids_name_both_places_or_get_suffixes(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "same.txt").write_text("First text.", encoding="utf-8")
    write_jsonl(tmp_path / "feed.jsonl", [{"id": "same", "text": "Second text."}])
    with pytest.raises(InputError, match=r"duplicate id 'same': .*feed\.jsonl:1 and .*same\.txt"):
        read_corpus([tmp_path])
    corpus = read_corpus([tmp_path], dedupe_ids=True)
    assert [a.id for a in corpus.articles] == ["same", "same#2"]


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or directory"):
        read_corpus([tmp_path / "nope"])
