"""`copydesk dedup`: the streaming path (inputs read in parts by workers) and `--keep-first`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import SEED_FULL, SEED_SHORT
from copydesk.cli import main
from copydesk.config import Config
from copydesk.engines.local import sketch_articles, sketch_inputs
from copydesk.errors import Problems
from copydesk.ingest import FieldNames, part_articles, part_cores, read_corpus
from copydesk.ingest.files import discover
from copydesk.ingest.parts import split_inputs
from copydesk.sketch import SketchBuilder, sketch_texts


def copydesk_dedup(*args: str | Path) -> int:
    """The command line in this process (quicker than a subprocess); returns the exit code."""
    return main(["dedup", *map(str, args), "--quiet"])


def _records(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _messy_feed(tmp_path: Path) -> Path:
    """A JSON Lines feed with records without ids, a malformed line and blank lines."""
    lines = []
    for i in range(40):
        if i % 7 == 3:
            lines.append('{"text": "broken')
        elif i % 11 == 5:
            lines.append("")
        elif i % 5 == 0:
            lines.append(json.dumps({"text": f"Article {i} without an id, said officials in Astana."}))
        else:
            lines.append(json.dumps({"id": f"a{i:02d}", "text": f"Article {i}: the talks went on late, they said."}))
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return feed


def test_parts_of_a_jsonl_file_read_as_the_whole_file(tmp_path: Path) -> None:
    feed = _messy_feed(tmp_path)
    files = discover([feed], Problems())
    whole_problems, part_problems = Problems(), Problems()
    whole = [a for p in split_inputs(files) for a in part_articles(p, FieldNames(), whole_problems, lambda _: None)]
    parts = split_inputs(files, part_bytes=100)
    assert len(parts) > 5 and all(p.end is not None for p in parts)
    pieces = [a for p in parts for a in part_articles(p, FieldNames(), part_problems, lambda _: None)]
    assert [(a.id, a.line, a.text) for a in pieces] == [(a.id, a.line, a.text) for a in whole]
    assert [str(p) for p in part_problems.items] == [str(p) for p in whole_problems.items]
    assert any(a.id.startswith("feed-") for a in pieces)  # ids made from line numbers agree


def test_dedup_reads_the_articles_run_reads(demo_articles: Path, tmp_path: Path) -> None:
    """``part_cores`` (dedup) and ``part_articles`` (run) take the same records, ids, dates and body spans."""
    files = discover([_messy_feed(tmp_path), demo_articles], Problems())
    core_problems, article_problems = Problems(), Problems()
    parts = split_inputs(files)
    cores = [c for p in parts for c in part_cores(p, FieldNames(), core_problems, lambda _: None)]
    articles = [a for p in parts for a in part_articles(p, FieldNames(), article_problems, lambda _: None)]
    assert [(c.id, c.path, c.line, c.date, c.meta.body_start, c.meta.body_end) for c in cores] == [
        (a.id, a.path, a.line, a.date, a.body_start, a.body_end) for a in articles
    ]
    assert [str(p) for p in core_problems.items] == [str(p) for p in article_problems.items]
    assert any(a.body_start > 0 for a in articles) and len(core_problems.items) > 0


def test_streaming_sketches_equal_those_of_articles_read_whole(demo_articles: Path, tmp_path: Path) -> None:
    feed = tmp_path / "shuffled.jsonl"
    lines = demo_articles.read_text(encoding="utf-8").splitlines()
    feed.write_text("\n".join(reversed(lines)) + "\n", encoding="utf-8")  # not in id order
    corpus = read_corpus([demo_articles])
    expected = sketch_articles(corpus.articles, Config().sketch)
    for workers in (1, 2):
        got = sketch_inputs(discover([feed], Problems()), FieldNames(), Config().sketch, Problems(), workers=workers)
        assert got.ids == [a.id for a in corpus.articles]
        assert np.array_equal(got.sketches.ptr, expected.ptr)
        assert np.array_equal(got.sketches.shingles, expected.shingles)
        assert np.array_equal(got.sketches.signatures, expected.signatures)


@pytest.mark.parametrize("form", ["jsonl", "parquet"])
def test_one_worker_reads_whole_files_in_chunks_as_two_read_parts(
    form: str, demo_articles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One worker reads each file whole (no line-counting pass) and hands back a chunk every
    PART_BYTES; two workers read parts. Entries, sketches, problems and bytes read must agree."""
    from copydesk.engines import local
    from copydesk.ingest import parts as parts_module

    if form == "jsonl":  # problems first, so that every later chunk must not report them again
        feed = tmp_path / "mixed.jsonl"
        feed.write_text(_messy_feed(tmp_path).read_text(encoding="utf-8") + demo_articles.read_text(encoding="utf-8"))
    else:  # Parquet's readers count Arrow bytes, more than the file's: chunks must still add up to the file
        import pyarrow as pa
        import pyarrow.parquet as pq

        feed = tmp_path / "demo.parquet"
        pq.write_table(pa.Table.from_pylist(_records(demo_articles)), feed, compression="zstd")
    monkeypatch.setattr(local, "PART_BYTES", 3000)  # chunks, parts and jobs of a few articles each
    monkeypatch.setattr(local, "split_inputs", lambda files: parts_module.split_inputs(files, part_bytes=3000))
    results = {}
    for workers in (1, 2):
        problems, read = Problems(), []
        files = discover([feed], Problems())
        got = sketch_inputs(
            files, FieldNames(), Config().sketch, problems, workers=workers, batch_size=3, progress=read.append
        )
        results[workers] = (got, [str(p) for p in problems.items], read)
    (one, one_problems, one_read), (two, two_problems, two_read) = results[1], results[2]
    assert len(one_read) >= (4 if form == "jsonl" else 2)  # several chunks
    assert sum(one_read) == sum(two_read) == feed.stat().st_size and min(one_read) >= 0
    assert [(e.id, e.line, e.date) for e in one.entries] == [(e.id, e.line, e.date) for e in two.entries]
    assert one_problems == two_problems and (len(one_problems) > 0) == (form == "jsonl")
    for name in ("ptr", "shingles", "signatures", "digests"):
        assert np.array_equal(getattr(one.sketches, name), getattr(two.sketches, name))


def test_dedup_finds_the_same_pairs_as_run(demo_articles: Path, tmp_path: Path) -> None:
    assert copydesk_dedup(demo_articles, "--out", tmp_path / "d") == 0
    assert main(["run", str(demo_articles), "--out", str(tmp_path / "r"), "--quiet"]) == 0
    assert (tmp_path / "d" / "pairs.jsonl").read_bytes() == (tmp_path / "r" / "pairs.jsonl").read_bytes()


def _expected_kept(records: list[dict[str, object]], clusters: list[list[str]]) -> set[str]:
    by_id = {str(r["id"]): r for r in records}
    dropped = set()
    for members in clusters:
        first = min(members, key=lambda m: (by_id[m].get("date") is None, str(by_id[m].get("date") or ""), m))
        dropped.update(m for m in members if m != first)
    return set(by_id) - dropped


def test_keep_first_jsonl_keeps_the_earliest_of_each_cluster_untouched(demo_articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert copydesk_dedup(demo_articles, "--out", out, "--keep-first") == 0
    clusters = [c["articles"] for c in _records(out / "copies.jsonl")]
    assert clusters, "the demo corpus has copy clusters"
    records = _records(demo_articles)
    kept_lines = (out / "deduplicated.jsonl").read_text(encoding="utf-8").splitlines()
    kept = {json.loads(line)["id"] for line in kept_lines}
    assert kept == _expected_kept(records, clusters)
    assert len(kept_lines) == len(records) - sum(len(c) - 1 for c in clusters)
    originals = set(demo_articles.read_text(encoding="utf-8").splitlines())
    assert set(kept_lines) <= originals  # the original lines, byte for byte


def test_keep_first_prefers_the_dated_and_earliest(tmp_path: Path) -> None:
    story = "The dam on the Seret river gave way before dawn on Tuesday, sending water through the towns, " * 3
    feed = tmp_path / "feed.jsonl"
    rows = [
        {"id": "a-undated", "text": story},
        {"id": "b-late", "text": story, "date": "2024-05-15"},
        {"id": "c-early", "text": story, "date": "2024-05-14"},
        {"id": "d-alone", "text": "Nothing else here is like this short note on the weather in Orlavo today."},
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert copydesk_dedup(feed, "--out", tmp_path / "o", "--keep-first") == 0
    kept = [r["id"] for r in _records(tmp_path / "o" / "deduplicated.jsonl")]
    assert kept == ["c-early", "d-alone"]


def test_keep_first_text_files_become_a_folder_of_the_same_files(seeds_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(seeds_dir, folder, ignore=shutil.ignore_patterns("README*"))
    (folder / "other.txt").write_text("A note on the weather in Orlavo, unlike anything else.", encoding="utf-8")
    out = tmp_path / "out"
    assert copydesk_dedup(folder, "--out", out, "--keep-first") == 0
    written = sorted(p.name for p in (out / "deduplicated").iterdir())
    assert written == [f"{SEED_SHORT}.txt", "other.txt"]  # the seeds are undated: the smaller id stays
    assert (out / "deduplicated" / f"{SEED_SHORT}.txt").read_bytes() == (folder / f"{SEED_SHORT}.txt").read_bytes()
    assert SEED_FULL not in "".join(written)


def test_keep_first_parquet_in_parquet_out(demo_articles: Path, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    records = _records(demo_articles)
    table = pa.Table.from_pylist(records)
    pq.write_table(table, tmp_path / "demo.parquet")
    out = tmp_path / "out"
    assert copydesk_dedup(tmp_path / "demo.parquet", "--out", out, "--keep-first") == 0
    written = pq.read_table(out / "deduplicated.parquet")
    assert written.schema.equals(table.schema)
    clusters = [c["articles"] for c in _records(out / "copies.jsonl")]
    kept = written.to_pylist()
    assert {r["id"] for r in kept} == _expected_kept(records, clusters)
    assert all(r in records for r in kept)


def test_keep_first_mixed_inputs_write_jsonl_records(demo_articles: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(demo_articles, folder / "demo.jsonl")
    (folder / "note.txt").write_text("A note on the weather in Orlavo, unlike anything else.", encoding="utf-8")
    out = tmp_path / "out"
    assert copydesk_dedup(folder, "--out", out, "--keep-first") == 0
    kept = _records(out / "deduplicated.jsonl")
    assert {"id": "note", "text": "A note on the weather in Orlavo, unlike anything else."} in kept
    clusters = [c["articles"] for c in _records(out / "copies.jsonl")]
    assert {r["id"] for r in kept} == _expected_kept(_records(demo_articles), clusters) | {"note"}


def test_sketch_builder_grows_without_changing_the_sketches() -> None:
    texts = [f"word{i} " * (i % 13 + 3) + " ".join(f"w{j}" for j in range(i % 50)) for i in range(300)]
    whole = sketch_texts(texts)
    builder = SketchBuilder(128, expected_docs=2, expected_shingles=3)  # far too small: grows many times
    for lo in range(0, len(texts), 7):
        builder.add(sketch_texts(texts[lo : lo + 7]))
    built = builder.build()
    for name in ("ptr", "shingles", "signatures", "words"):
        assert np.array_equal(getattr(built, name), getattr(whole, name)), name
