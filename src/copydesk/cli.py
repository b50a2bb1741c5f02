"""The command line: parse arguments, call the pipeline, print. Exit code 2 for a user's mistake."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from copydesk import __version__
from copydesk.errors import CopydeskError
from copydesk.ingest import FieldNames, read_corpus
from copydesk.ingest.files import InputFile
from copydesk.output import ARTICLES, article_record, prepare_out_dir, write_jsonl
from copydesk.report.terminal import Terminal


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    terminal = Terminal(quiet=getattr(args, "quiet", False))
    try:
        return int(args.handler(args, terminal))
    except CopydeskError as err:
        terminal.err.print(f"[red]error:[/] {err}", markup=True, soft_wrap=True)
        if getattr(args, "quiet", False):
            print(f"error: {err}", file=sys.stderr)
        return err.exit_code
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
    run.add_argument("--out", required=True, metavar="DIR", help="directory for the output files")
    run.set_defaults(handler=_run)

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


def _fields(args: argparse.Namespace) -> FieldNames:
    return FieldNames(
        id=args.id_field, text=args.text_field, date=args.date_field, source=args.source_field, title=args.title_field
    )


def _run(args: argparse.Namespace, terminal: Terminal) -> int:
    out = prepare_out_dir(args.out)
    problems = terminal.problems(args.strict)
    total = 0

    def on_files(files: list[InputFile]) -> None:
        nonlocal total
        total = sum(f.size for f in files)

    with terminal.progress("reading", None) as advance:
        corpus = read_corpus(
            args.inputs,
            fields=_fields(args),
            problems=problems,
            dedupe_ids=args.dedupe_ids,
            progress=advance,
            on_files=on_files,
        )
    write_jsonl(out / ARTICLES, (article_record(a) for a in corpus.articles))
    rows = [("articles read", str(len(corpus.articles))), ("written to", str(out))]
    terminal.summary("copydesk run", rows, problems)
    return 0


def _demo(args: argparse.Namespace, terminal: Terminal) -> int:
    demo_dir = Path(__file__).parent / "demo"
    args.inputs = [str(demo_dir / "articles.jsonl")]
    args.strict = False
    args.dedupe_ids = False
    for name in ("id", "text", "date", "source", "title"):
        setattr(args, f"{name}_field", name)
    return _run(args, terminal)


if __name__ == "__main__":
    sys.exit(main())
