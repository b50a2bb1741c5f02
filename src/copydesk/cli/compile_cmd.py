"""`copydesk compile`: compile the kernels `dedup` runs ahead of time, for a fast start (``copydesk.aot.build``)."""

from __future__ import annotations

import argparse

from copydesk.errors import CopydeskError
from copydesk.report.terminal import Terminal


class CompileFailed(CopydeskError):
    """The platform's toolchain failed: not the user's mistake, and copydesk still runs on numba alone."""

    exit_code = 1


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "compile",
        help="compile the dedup kernels ahead of time into the installed package (needs a C compiler): "
        "each run then starts about 0.5 s sooner; without it numba compiles them on first use",
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    parser.add_argument("--verbose", action="store_true", help="show the compiler's steps")
    parser.set_defaults(handler=_compile)


def _compile(args: argparse.Namespace, terminal: Terminal) -> int:
    from copydesk.aot import PACKAGE
    from copydesk.aot.build import compile_kernels

    try:
        names = compile_kernels(verbose=args.verbose)
    except PermissionError as err:
        raise CopydeskError(f"{PACKAGE}: cannot write the compiled kernels ({err.strerror or err})") from err
    except Exception as err:  # the platform's C toolchain failing, say
        raise CompileFailed(
            f"compiling the kernels ahead of time failed ({type(err).__name__}: {err}); "
            "copydesk still runs, compiling them with numba on first use"
        ) from err
    if not args.quiet:
        print(f"compiled {len(names)} kernels into {PACKAGE}")
    return 0
