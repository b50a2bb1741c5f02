"""Terminal output: a progress bar and warnings on stderr, the summary table at the end.

rich is imported on first use: a ``--quiet`` run prints nothing and need not load it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any

from copydesk.errors import Problem, Problems

if TYPE_CHECKING:
    from rich.console import Console

SKIP_REASONS = {
    "empty": "empty article",
    "binary": "binary file",
    "malformed": "malformed record",
    "no_text": "record without text",
    "unsupported": "unsupported file type",
}


class Terminal:
    """Everything copydesk prints while it works; ``quiet`` silences all but errors."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet

    @cached_property
    def err(self) -> Console:
        from rich.console import Console

        return Console(stderr=True, quiet=self.quiet, highlight=False)

    @cached_property
    def out(self) -> Console:
        from rich.console import Console

        return Console(quiet=self.quiet, highlight=False)

    def warn(self, problem: Problem) -> None:
        if self.quiet:
            return
        self.err.print(f"[yellow]warning:[/] {problem}", markup=True, soft_wrap=True)

    def problems(self, strict: bool) -> Problems:
        return Problems(strict=strict, on_problem=self.warn)

    def error(self, message: str) -> None:
        """An error always reaches stderr, even when quiet."""
        if self.quiet:
            print(f"error: {message}", file=sys.stderr)
        else:
            self.err.print(f"[red]error:[/] {message}", markup=True, soft_wrap=True)

    @contextmanager
    def progress(self, description: str, total: int | None, unit: str = "bytes") -> Iterator[Any]:
        """A progress bar over bytes or articles; yields the function that advances it."""
        if self.quiet or not self.err.is_terminal:
            yield lambda n: None
            return
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        counter = DownloadColumn() if unit == "bytes" else MofNCompleteColumn()
        columns = (TextColumn("{task.description}"), BarColumn(), counter, TimeRemainingColumn())
        with Progress(*columns, console=self.err, transient=True) as bar:
            task = bar.add_task(description, total=total)
            yield lambda n: bar.advance(task, n)

    def summary(self, title: str, rows: list[tuple[str, str]], problems: Problems) -> None:
        if self.quiet:
            return
        from rich.table import Table

        table = Table(title=title, show_header=False, title_justify="left")
        table.add_column(style="bold")
        table.add_column(justify="right")
        for name, value in rows:
            table.add_row(name, value)
        for kind, n in sorted(problems.skipped_by_kind().items()):
            table.add_row(f"skipped: {SKIP_REASONS.get(kind, kind)}", str(n))
        decoded = sum(1 for p in problems.items if p.kind == "encoding")
        if decoded:
            table.add_row("decoded from a legacy encoding", str(decoded))
        self.err.print(table)
