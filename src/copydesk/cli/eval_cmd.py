"""`copydesk eval`: score a run's stories (or copy clusters) against gold labels.

Gold labels come from any record file copydesk reads (JSON Lines, JSON, CSV, Parquet, gzipped or
not): one record per article with an id field and a label field. Articles the run put in no
cluster (copies.jsonl lists clusters of 2+ only) count as singletons.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.table import Table

from copydesk.errors import CopydeskError, InputError, Problems
from copydesk.evaluate import Scores, evaluate, labels_from_records
from copydesk.ingest.files import InputFile, classify
from copydesk.ingest.records import READERS
from copydesk.output import ARTICLES, COPIES, STORIES, read_jsonl
from copydesk.report.terminal import Terminal

LEVEL_FILES = {"stories": STORIES, "copies": COPIES}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "eval", help="score stories or copy clusters against gold labels (ARI, pairwise and B-cubed P/R/F1)"
    )
    parser.add_argument("pred_dir", metavar="PRED_DIR", help="output directory of `copydesk run` (or `dedup`)")
    parser.add_argument("--labels", required=True, metavar="FILE", help="records with an id and a gold label each")
    parser.add_argument("--field", required=True, metavar="NAME", help="field of FILE holding the gold label")
    parser.add_argument("--id-field", default="id", metavar="NAME", help="field of FILE holding the article id")
    parser.add_argument(
        "--level", choices=tuple(LEVEL_FILES), default="stories", help="what to score (default %(default)s)"
    )
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--quiet", action="store_true", help="no warnings")
    parser.set_defaults(handler=_eval)


def _eval(args: argparse.Namespace, terminal: Terminal) -> int:
    problems = terminal.problems(strict=False)
    gold = read_gold_labels(Path(args.labels), args.field, args.id_field, problems)
    pred = read_predictions(Path(args.pred_dir), args.level, gold)
    scores = evaluate(pred, gold)
    if scores.n == 0:
        raise CopydeskError(f"no article id of {args.labels} is in {args.pred_dir} (wrong --id-field?)")
    if args.json:
        print(json.dumps({"level": args.level, **scores.as_dict()}, indent=2))
    else:
        terminal.out.print(score_table(scores, args.level))
    return 0


def read_gold_labels(path: Path, field: str, id_field: str, problems: Problems) -> dict[str, str]:
    """Article id -> gold label from a record file; records without one are skipped with one warning."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    file_format, gzipped = classify(path)
    if file_format not in READERS:
        raise InputError(f"{path}: labels must be records (.jsonl, .json, .csv or .parquet, optionally .gz)")
    source = InputFile(path, file_format, gzipped, path.stat().st_size)
    labels: dict[str, str] = {}
    unlabelled: list[str] = []
    for where, record in READERS[file_format](source, problems, lambda _: None):
        article, label = record.get(id_field), record.get(field)
        if article is None or label is None or label == "":
            unlabelled.append(where)
            continue
        labels[str(article)] = str(label)
    if not labels:
        raise InputError(f"{path}: no record has both {id_field!r} and {field!r}")
    if unlabelled:
        problems.add(
            unlabelled[0], f"{len(unlabelled)} record(s) without {id_field!r} or {field!r}, not scored", "no_label"
        )
    return labels


def read_predictions(pred_dir: Path, level: str, gold: dict[str, str]) -> dict[str, str]:
    """Article id -> predicted cluster from PRED_DIR; an article of the run in no cluster is a singleton."""
    if not pred_dir.is_dir():
        raise InputError(f"{pred_dir}: no such directory (an output directory of `copydesk run`)")
    path = pred_dir / LEVEL_FILES[level]
    if not path.is_file():
        raise InputError(f"{path}: no such file (run `copydesk run` with --out {pred_dir} first)")
    # The run's articles when it listed them (`run`), else the gold ones (`dedup` writes no articles.jsonl).
    listed = pred_dir / ARTICLES
    ids = [str(r["id"]) for r in read_jsonl(listed) if "id" in r] if listed.is_file() else list(gold)
    try:
        return labels_from_records(read_jsonl(path), ids)
    except ValueError as err:
        raise InputError(f"{path}: {err}") from err


def score_table(scores: Scores, level: str) -> Table:
    """The scores as a rich table: one row per measure, precision/recall/F1 side by side."""
    table = Table(
        title=f"{level}: {scores.n} articles, {scores.n_pred_clusters} predicted / {scores.n_gold_clusters} gold",
        title_justify="left",
    )
    for name in ("measure", "precision", "recall", "F1 / value"):
        table.add_column(name, justify="left" if name == "measure" else "right")
    table.add_row("adjusted Rand index", "", "", f"{scores.ari:.4f}")
    table.add_row(
        "pairwise", f"{scores.pairwise_precision:.4f}", f"{scores.pairwise_recall:.4f}", f"{scores.pairwise_f1:.4f}"
    )
    table.add_row("B-cubed", f"{scores.bcubed_precision:.4f}", f"{scores.bcubed_recall:.4f}", f"{scores.bcubed_f1:.4f}")
    return table
