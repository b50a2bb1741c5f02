"""`copydesk eval`: predictions from a run directory, gold labels from any record format, clear errors."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest

from cli_helpers import copydesk
from copydesk.evaluate import evaluate

GOLD = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "z"}


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    """A run directory by hand: stories {a,b} {c,d} {e}; one copy cluster {a,b}."""
    out = tmp_path / "run"
    out.mkdir()
    write_jsonl(out / "articles.jsonl", [{"id": i} for i in "abcde"])
    write_jsonl(
        out / "stories.jsonl",
        [
            {"story": "s0", "articles": ["a", "b"]},
            {"story": "s1", "articles": ["c", "d"]},
            {"story": "s2", "articles": ["e"]},
        ],
    )
    write_jsonl(out / "copies.jsonl", [{"cluster": "c000001", "articles": ["a", "b"]}])
    return out


@pytest.fixture
def labels_jsonl(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "gold.jsonl", [{"id": i, "event": g} for i, g in GOLD.items()])


def eval_json(*args: str | Path) -> dict[str, float]:
    done = copydesk("eval", *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_story_scores_as_json_match_evaluate(run_dir: Path, labels_jsonl: Path) -> None:
    scores = eval_json(run_dir, "--labels", labels_jsonl, "--field", "event")
    expected = evaluate({"a": "0", "b": "0", "c": "1", "d": "1", "e": "2"}, GOLD)
    assert scores["level"] == "stories"
    assert {k: v for k, v in scores.items() if k != "level"} == pytest.approx(expected.as_dict())
    assert scores["pairwise_precision"] == pytest.approx(0.5)  # a-b right, c-d wrong


def test_copies_level_counts_articles_in_no_cluster_as_singletons(run_dir: Path, labels_jsonl: Path) -> None:
    scores = eval_json(run_dir, "--labels", labels_jsonl, "--field", "event", "--level", "copies")
    assert scores["n"] == 5
    assert scores["n_pred_clusters"] == 4
    assert scores["pairwise_precision"] == 1.0
    assert scores["pairwise_recall"] == pytest.approx(1 / 3)


def test_labels_are_read_from_gzipped_csv_with_another_id_field(run_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "gold.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["doc", "event"])
        writer.writerows(GOLD.items())
    from_csv = eval_json(run_dir, "--labels", path, "--field", "event", "--id-field", "doc")
    assert from_csv["n"] == 5
    assert from_csv["ari"] == pytest.approx(evaluate({"a": "0", "b": "0", "c": "1", "d": "1", "e": "2"}, GOLD).ari)


def test_table_names_every_measure(run_dir: Path, labels_jsonl: Path) -> None:
    done = copydesk("eval", run_dir, "--labels", labels_jsonl, "--field", "event")
    assert done.returncode == 0, done.stderr
    for name in ("adjusted Rand index", "pairwise", "B-cubed", "precision", "recall"):
        assert name in done.stdout


def test_records_without_the_label_are_skipped_with_a_warning(run_dir: Path, tmp_path: Path) -> None:
    records: list[dict[str, object]] = [{"id": "a", "event": "x"}, {"id": "b", "event": "x"}, {"id": "c"}]
    labels = write_jsonl(tmp_path / "partial.jsonl", records)
    done = copydesk("eval", run_dir, "--labels", labels, "--field", "event", "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["n"] == 2
    assert "partial.jsonl:3" in done.stderr


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing dir", "no such directory"),
        ("missing stories", "stories.jsonl: no such file"),
        ("missing labels", "no such file"),
        ("missing field", "no record has both 'id' and 'nosuch'"),
        ("text labels", "labels must be records"),
    ],
)
def test_user_mistakes_exit_2_with_a_message(
    case: str, message: str, run_dir: Path, labels_jsonl: Path, tmp_path: Path
) -> None:
    pred, labels, field = run_dir, labels_jsonl, "event"
    if case == "missing dir":
        pred = tmp_path / "nowhere"
    elif case == "missing stories":
        (run_dir / "stories.jsonl").unlink()
    elif case == "missing labels":
        labels = tmp_path / "absent.jsonl"
    elif case == "missing field":
        field = "nosuch"
    else:
        labels = tmp_path / "gold.txt"
        labels.write_text("a x\n", encoding="utf-8")
    done = copydesk("eval", pred, "--labels", labels, "--field", field)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
