"""The command line: parse arguments, call the pipeline, print. Exit code 2 for a user's mistake.

Each command lives in its own module with a ``register(commands)`` that adds its subparser and
sets ``handler``; this module only assembles them and turns errors into messages. A run of one
command imports only that command's module: `copydesk dedup` on a large corpus should not pay for
the imports of alignment, stories and the HTML report.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
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
    "compile": "compile_cmd",
}


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(parse_command(argv))


def parse_command(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The parsed command line; importing the command's module on the way (argparse exits on a usage error)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    return build_parser(_command_of(argv)).parse_args(argv)


def run_command(args: argparse.Namespace) -> int:
    """Run a parsed command; a user's mistake becomes a message and an exit code, never a traceback."""
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
    """The ``copydesk`` executable: ``main`` with two process-wide settings a library call must not make.

    - Python's cycle collector stays off while the command's modules load, and what they made is
      frozen out of later collections: numba's import builds some 100,000 objects that all live to
      the end, and collecting among them cost about 0.05 CPU-seconds per run (of 2 s for a
      20,000-article ``dedup``). The collector runs as usual afterwards.
    - The exit skips the interpreter's teardown. Tearing down numba's compiled code and type
      registries costs about 0.25 CPU-seconds per run, and nothing needs it: when the command
      returns, every file is closed and every worker pool shut. mypy ends the same way. The exit
      stays a normal one with Spark in the process (its shutdown hooks stop the JVM) and under a
      profiler, coverage or a debugger (they write their results at exit).
    """
    gc.disable()
    args = parse_command()
    gc.freeze()
    gc.enable()
    code = run_command(args)
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
