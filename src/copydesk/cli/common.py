"""Options and steps several commands share: inputs and their fields, near-duplicate parameters, reading."""

from __future__ import annotations

import argparse

from copydesk.candidates import CandidateParams
from copydesk.config import Config
from copydesk.errors import CopydeskError, Problems
from copydesk.ingest import Corpus, FieldNames, read_corpus
from copydesk.ingest.files import discover
from copydesk.report.terminal import Terminal
from copydesk.sketch import SketchParams
from copydesk.verify import VerifyParams


def add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files or directories (walked recursively)")
    fields = parser.add_argument_group("record fields (JSONL, JSON, CSV, Parquet)")
    for name in ("id", "text", "date", "source", "title"):
        fields.add_argument(f"--{name}-field", default=name, metavar="NAME", help=f"field holding the {name}")
    parser.add_argument("--strict", action="store_true", help="any bad input is an error (exit code 2)")
    parser.add_argument("--dedupe-ids", action="store_true", help="suffix duplicate ids instead of failing")
    parser.add_argument("--quiet", action="store_true", help="no progress bar, warnings or summary")


def add_copy_options(parser: argparse.ArgumentParser) -> None:
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
    engine = parser.add_argument_group("engine")
    engine.add_argument(
        "--engine",
        choices=("local", "spark"),
        default="local",
        help="local: this machine (default); spark: Apache Spark, same results (needs copydesk[spark])",
    )
    engine.add_argument(
        "--master", default="local[*]", metavar="URL", help="Spark master for --engine spark (default %(default)s)"
    )


def config_from(args: argparse.Namespace) -> Config:
    if args.workers < 1 or args.batch_size < 1:
        raise CopydeskError("--workers and --batch-size must be at least 1")
    return Config(
        sketch=SketchParams(shingle=args.shingle),
        candidates=CandidateParams(),
        verify=VerifyParams(threshold=args.threshold, measure=args.measure),
        workers=args.workers,
        batch_size=args.batch_size,
    )


def fields_from(args: argparse.Namespace) -> FieldNames:
    return FieldNames(
        id=args.id_field, text=args.text_field, date=args.date_field, source=args.source_field, title=args.title_field
    )


def read_inputs(args: argparse.Namespace, terminal: Terminal) -> Corpus:
    problems = terminal.problems(args.strict)
    files = discover(args.inputs, Problems())  # only to size the progress bar
    with terminal.progress("reading", sum(f.size for f in files)) as advance:
        return read_corpus(
            args.inputs,
            fields=fields_from(args),
            problems=problems,
            dedupe_ids=args.dedupe_ids,
            progress=advance,
            words=False,  # the sketching pass counts them
        )
