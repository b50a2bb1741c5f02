"""`copydesk align A B`: the diff, the --json records, and the user's mistakes (exit code 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import copydesk
from conftest import DEMO, SEED_FULL, SEED_SHORT
from copydesk.cli import main

AFP = "afp-original-velstria-dam-20240514"
HARBOUR = "harbourtimes-velstria-dam-20240514"
DEMO_FILE = DEMO / "articles.jsonl"


def test_diff_of_two_files_marks_edits(seeds_dir: Path) -> None:
    done = copydesk("align", seeds_dir / f"{SEED_FULL}.txt", seeds_dir / f"{SEED_SHORT}.txt")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert f"A {SEED_FULL}" in out and f"B {SEED_SHORT}" in out
    assert "3 passages" in out
    assert "[-United States-]{+US+}" in out  # A is the fuller version: its words are the cut side
    assert "[-at 7,644 kilometres (4,750 miles)-]" in out  # only in A: a deletion
    assert "Blinken said that the US was" not in out  # the unaligned paragraph is no passage


def test_ids_from_input_and_json_records(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["align", HARBOUR, AFP, "--input", str(DEMO_FILE), "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records and all((r["a"], r["b"]) == (AFP, HARBOUR) for r in records)  # a < b, as in passages.jsonl
    assert set(records[0]) == {"a", "b", "a_start", "a_end", "b_start", "b_end", "words", "identity", "edits"}
    edits = [e for r in records for e in r["edits"]]
    assert {"op": "insert", "a_text": "", "b_text": "(37-mile)"}.items() <= next(
        e for e in edits if e["op"] == "insert"
    ).items()
    assert sum(e["a_text"] == "United States" and e["b_text"] == "US" for e in edits) == 3


def test_min_words_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["align", AFP, HARBOUR, "--input", str(DEMO_FILE), "--json", "--min-words", "150"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 1 and records[0]["words"] >= 150


def test_unrelated_articles_share_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["align", AFP, "metrodaily-weather-20240526", "--input", str(DEMO_FILE)]) == 0
    assert "no shared passage of 15 words or more" in capsys.readouterr().out


def test_article_text_is_not_read_as_markup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = " ".join(f"w{i}" for i in range(30))
    (tmp_path / "a.txt").write_text(f"{body} [bold]w99[/bold] the US {body}", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"{body} [bold]w99[/bold] the United States {body}", encoding="utf-8")
    assert main(["align", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]) == 0
    out = capsys.readouterr().out
    assert "[bold]w99[/bold] the [-US-]{+United States+}" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["align", "nope", AFP, "--input", str(DEMO_FILE)], "no article with id 'nope'"),
        (["align", "/no/such/file.txt", str(DEMO_FILE)], "no such file"),
        (["align", str(DEMO_FILE), str(DEMO_FILE)], "holds 17 articles"),
        (["align", AFP, HARBOUR, "--input", str(DEMO_FILE), "--min-words", "0"], "--min-words"),
    ],
)
def test_mistakes_exit_2_with_a_message(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
