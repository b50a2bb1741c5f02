"""The command line: parse arguments, call the pipeline, print. Exit code 2 for a user's mistake."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from copydesk import __version__
from copydesk.candidates import CandidateParams
from copydesk.config import Config
from copydesk.errors import CopydeskError
from copydesk.ingest import Corpus, FieldNames, read_corpus
from copydesk.ingest.files import InputFile
from copydesk.output import (
    ARTICLES,
    COPIES,
    PAIRS,
    article_record,
    copy_records,
    prepare_out_dir,
    write_jsonl,
)
from copydesk.pipeline import detect_copies, run
from copydesk.report.terminal import Terminal
from copydesk.sketch import SketchParams
from copydesk.verify import VerifyParams

DEMO_CORPUS = Path(__file__).parent / "demo" / "articles.jsonl"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    terminal = Terminal(quiet=getattr(args, "quiet", False))
    try:
        return int(args.handler(args, terminal))
    except CopydeskError as err:
        terminal.error(str(err))
        return err.exit_code
    except ValueError as err:  # a parameter out of range, caught by a stage's own validation
        terminal.error(str(err))
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="copydesk",
        description="Find reused news copy: near-duplicates, aligned passages, lineage and stories.",
    )
    parser.add_argument("--version", action="version", version=f"copydesk {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="the whole pipeline: articles, pairs, copies, passages, stories, report")
    _add_input_options(run)
    _add_copy_options(run)
    run.add_argument("--out", required=True, metavar="DIR", help="directory for the output files")
    run.set_defaults(handler=_run)

    dedup = commands.add_parser("dedup", help="near-duplicates only (pairs.jsonl, copies.jsonl), for large corpora")
    _add_input_options(dedup)
    _add_copy_options(dedup)
    dedup.add_argument("--out", required=True, metavar="DIR", help="directory for the output files")
    dedup.set_defaults(handler=_dedup)

    demo = commands.add_parser("demo", help="run on the bundled demo corpus")
    demo.add_argument("--out", default="out/demo", metavar="DIR", help="output directory (default: out/demo)")
    demo.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    demo.set_defaults(handler=_demo)
    return parser


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files or directories (walked recursively)")
    fields = parser.add_argument_group("record fields (JSONL, JSON, CSV, Parquet)")
    for name in ("id", "text", "date", "source", "title"):
        fields.add_argument(f"--{name}-field", default=name, metavar="NAME", help=f"field holding the {name}")
    parser.add_argument("--strict", action="store_true", help="any bad input is an error (exit code 2)")
    parser.add_argument("--dedupe-ids", action="store_true", help="suffix duplicate ids instead of failing")
    parser.add_argument("--quiet", action="store_true", help="no progress bar, warnings or summary")


def _add_copy_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("near-duplicates")
    defaults = VerifyParams()
    group.add_argument(
        "--threshold", type=float, default=defaults.threshold, help=f"copy decision (default {defaults.threshold})"
    )
    group.add_argument(
        "--measure",
        choices=("overlap", "jaccard", "containment"),
        default=defaults.measure,
        help="what --threshold applies to: overlap = max(jaccard, containment of the smaller) (default)",
    )
    group.add_argument(
        "--shingle", type=int, default=SketchParams().shingle, help="words per shingle (default %(default)s)"
    )
    group.add_argument("--workers", type=int, default=1, help="processes for the compiled stages (default 1)")
    group.add_argument(
        "--batch-size", type=int, default=Config().batch_size, help="articles per worker batch (default %(default)s)"
    )


def _config(args: argparse.Namespace) -> Config:
    if args.workers < 1 or args.batch_size < 1:
        raise CopydeskError("--workers and --batch-size must be at least 1")
    return Config(
        sketch=SketchParams(shingle=args.shingle),
        candidates=CandidateParams(),
        verify=VerifyParams(threshold=args.threshold, measure=args.measure),
        workers=args.workers,
        batch_size=args.batch_size,
    )


def _fields(args: argparse.Namespace) -> FieldNames:
    return FieldNames(
        id=args.id_field, text=args.text_field, date=args.date_field, source=args.source_field, title=args.title_field
    )


def _read(args: argparse.Namespace, terminal: Terminal) -> Corpus:
    problems = terminal.problems(args.strict)
    files: list[InputFile] = discover_for_progress(args)
    with terminal.progress("reading", sum(f.size for f in files)) as advance:
        return read_corpus(
            args.inputs,
            fields=_fields(args),
            problems=problems,
            dedupe_ids=args.dedupe_ids,
            progress=advance,
            words=False,  # the sketching pass counts them
        )


def discover_for_progress(args: argparse.Namespace) -> list[InputFile]:
    """The input files, only to size the progress bar (problems are reported by the real read)."""
    from copydesk.errors import Problems
    from copydesk.ingest.files import discover

    return discover(args.inputs, Problems())


def _dedup(args: argparse.Namespace, terminal: Terminal) -> int:
    config = _config(args)
    out = prepare_out_dir(args.out)
    corpus = _read(args, terminal)
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
    config = _config(args)
    out = prepare_out_dir(args.out)
    corpus = _read(args, terminal)
    with terminal.progress("sketching", len(corpus.articles), unit="articles") as advance:
        results = run(corpus, config, advance)
    copies = results.copies
    write_jsonl(out / ARTICLES, (article_record(a) for a in corpus.articles))
    write_jsonl(out / PAIRS, copies.pair_records())
    write_jsonl(out / COPIES, copy_records(copies, results.lineage))
    in_clusters = sum(len(c) for c in copies.clusters)
    rows = [
        ("articles read", str(len(corpus.articles))),
        ("copy pairs", str(len(copies.pairs.pairs))),
        ("copy clusters", f"{len(copies.clusters)} ({in_clusters} articles)"),
        ("written to", str(out)),
    ]
    terminal.summary("copydesk run", rows, corpus.problems)
    return 0


def _demo(args: argparse.Namespace, terminal: Terminal) -> int:
    defaults = build_parser().parse_args(["run", str(DEMO_CORPUS), "--out", args.out])
    defaults.quiet = args.quiet
    return _run(defaults, terminal)


if __name__ == "__main__":
    sys.exit(main())
