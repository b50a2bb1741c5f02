"""`copydesk report DIR`: rebuild the HTML report from an output directory's JSONL files."""

from __future__ import annotations

import argparse
from pathlib import Path

from copydesk.errors import CopydeskError
from copydesk.output import COPIES, REPORT
from copydesk.report.html import build_report
from copydesk.report.terminal import Terminal

# Without copy clusters there is nothing to report; the other files only add to it.
REQUIRED = (COPIES,)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("report", help="rebuild DIR/report.html from the JSONL files of a run")
    parser.add_argument("dir", metavar="DIR", help="output directory of `copydesk run`")
    parser.add_argument("--out", metavar="FILE", help=f"where to write the page (default: DIR/{REPORT})")
    parser.add_argument("--title", default="copydesk report", help="the page's title")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    parser.set_defaults(handler=_report)


def _report(args: argparse.Namespace, terminal: Terminal) -> int:
    out_dir = Path(args.dir)
    if not out_dir.is_dir():
        raise CopydeskError(f"{out_dir}: no such directory (give the output directory of `copydesk run`)")
    missing = [name for name in REQUIRED if not (out_dir / name).is_file()]
    if missing:
        raise CopydeskError(f"{out_dir}: {', '.join(missing)} missing (is this a copydesk output directory?)")
    target = Path(args.out) if args.out else None
    if target is not None and target.is_dir():
        raise CopydeskError(f"{target}: is a directory; --out takes a file name")
    path = build_report(out_dir, title=args.title, target=target)
    if not args.quiet:
        print(f"wrote {path}")
    return 0
