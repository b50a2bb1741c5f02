"""The command line: parse arguments, call the pipeline, print. Exit code 2 for a user's mistake.

Each command lives in its own module with a ``register(commands)`` that adds its subparser and
sets ``handler``; this module only assembles them and turns errors into messages.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from copydesk import __version__
from copydesk.cli import align_cmd, eval_cmd, report_cmd, run_cmd
from copydesk.errors import CopydeskError
from copydesk.report.terminal import Terminal

COMMANDS = (run_cmd, align_cmd, eval_cmd, report_cmd)


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
    for module in COMMANDS:
        module.register(commands)
    return parser


if __name__ == "__main__":
    sys.exit(main())
