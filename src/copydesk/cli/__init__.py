"""The command line: parse arguments, call the pipeline, print. Exit code 2 for a user's mistake.

Each command lives in its own module with a ``register(commands)`` that adds its subparser and
sets ``handler``; this module only assembles them and turns errors into messages. A run of one
command imports only that command's module: `copydesk dedup` on a large corpus should not pay for
the imports of alignment, stories and the HTML report.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence

from copydesk import __version__
from copydesk.errors import CopydeskError
from copydesk.report.terminal import Terminal

# Command name -> the module under copydesk.cli that registers it, in the order of `copydesk --help`.
COMMANDS = {
    "run": "run_cmd",
    "dedup": "run_cmd",
    "demo": "run_cmd",
    "align": "align_cmd",
    "eval": "eval_cmd",
    "report": "report_cmd",
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_of(argv))
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


def console() -> None:
    """The ``copydesk`` executable: ``main``, then an exit that skips the interpreter's teardown.

    Tearing down numba's compiled code and type registries costs about 0.25 CPU-seconds per run
    (as much as parsing the JSON of 40,000 articles), and nothing needs it: when ``main`` returns,
    every file is closed and every worker pool shut. mypy ends the same way. The exit stays a
    normal one with Spark in the process (its shutdown hooks stop the JVM) and under a profiler,
    coverage or a debugger (they write their results at exit).
    """
    code = main()
    if "pyspark" in sys.modules or sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a closed pipe (`copydesk align ... | head`): nothing more to say
            stream.flush()
    os._exit(code)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for every command, or for `command` alone (same help and errors for that command)."""
    parser = argparse.ArgumentParser(
        prog="copydesk",
        description="Find reused news copy: near-duplicates, aligned passages, lineage and stories.",
    )
    parser.add_argument("--version", action="version", version=f"copydesk {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    names = [COMMANDS[command]] if command in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for name in names:
        importlib.import_module(f"copydesk.cli.{name}").register(commands)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    """The command named on the command line: its first argument, when that is a known command."""
    return argv[0] if argv and argv[0] in COMMANDS else None


if __name__ == "__main__":
    console()
