"""`copydesk run`, `copydesk dedup` and `copydesk demo`: the pipeline from inputs to output files."""

from __future__ import annotations

import argparse
from pathlib import Path

from copydesk.cli.common import add_copy_options, add_input_options, config_from, read_inputs
from copydesk.output import (
    ARTICLES,
    COPIES,
    PAIRS,
    PASSAGES,
    STORIES,
    article_record,
    copy_records,
    prepare_out_dir,
    write_jsonl,
)
from copydesk.passages import passage_records
from copydesk.pipeline import detect_copies, run
from copydesk.report.terminal import Terminal

DEMO_CORPUS = Path(__file__).resolve().parent.parent / "demo" / "articles.jsonl"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run_parser = commands.add_parser(
        "run", help="the whole pipeline: articles, pairs, copies, passages, stories, report"
    )
    add_input_options(run_parser)
    add_copy_options(run_parser)
    run_parser.add_argument("--out", required=True, metavar="DIR", help="directory for the output files")
    run_parser.set_defaults(handler=_run)

    dedup = commands.add_parser("dedup", help="near-duplicates only (pairs.jsonl, copies.jsonl), for large corpora")
    add_input_options(dedup)
    add_copy_options(dedup)
    dedup.add_argument("--out", required=True, metavar="DIR", help="directory for the output files")
    dedup.set_defaults(handler=_dedup)

    demo = commands.add_parser("demo", help="run on the bundled demo corpus")
    demo.add_argument("--out", default="out/demo", metavar="DIR", help="output directory (default: out/demo)")
    demo.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    demo.set_defaults(handler=_demo)


def _dedup(args: argparse.Namespace, terminal: Terminal) -> int:
    config = config_from(args)
    out = prepare_out_dir(args.out)
    corpus = read_inputs(args, terminal)
    with terminal.progress("sketching", len(corpus.articles), unit="articles") as advance:
        copies = detect_copies(corpus, config, advance)
    write_jsonl(out / PAIRS, copies.pair_records())
    write_jsonl(out / COPIES, copy_records(copies))
    in_clusters = sum(len(c) for c in copies.clusters)
    rows = [
        ("articles read", str(len(corpus.articles))),
        ("copy pairs", str(len(copies.pairs.pairs))),
        ("copy clusters", f"{len(copies.clusters)} ({in_clusters} articles)"),
        ("boilerplate shingles discounted", str(copies.boilerplate_shingles)),
        ("written to", str(out)),
    ]
    terminal.summary("copydesk dedup", rows, corpus.problems)
    return 0


def _run(args: argparse.Namespace, terminal: Terminal) -> int:
    config = config_from(args)
    out = prepare_out_dir(args.out)
    corpus = read_inputs(args, terminal)
    with terminal.progress("sketching", len(corpus.articles), unit="articles") as advance:
        results = run(corpus, config, advance)
    copies = results.copies
    write_jsonl(out / ARTICLES, (article_record(a) for a in corpus.articles))
    write_jsonl(out / PAIRS, copies.pair_records())
    write_jsonl(out / COPIES, copy_records(copies, results.lineage))
    write_jsonl(out / PASSAGES, passage_records(results.passages))
    write_jsonl(out / STORIES, (s.to_record() for s in results.stories))
    in_clusters = sum(len(c) for c in copies.clusters)
    rows = [
        ("articles read", str(len(corpus.articles))),
        ("copy pairs", str(len(copies.pairs.pairs))),
        ("copy clusters", f"{len(copies.clusters)} ({in_clusters} articles)"),
        ("aligned passages", str(sum(len(p.alignment.passages) for p in results.passages))),
        ("stories", str(len(results.stories))),
        ("written to", str(out)),
    ]
    terminal.summary("copydesk run", rows, corpus.problems)
    return 0


def _demo(args: argparse.Namespace, terminal: Terminal) -> int:
    from copydesk.cli import build_parser

    defaults = build_parser().parse_args(["run", str(DEMO_CORPUS), "--out", args.out])
    defaults.quiet = args.quiet
    return _run(defaults, terminal)
