"""User-facing errors and the collector of input problems.

A problem with one input (an empty file, a malformed line) is a warning that names the place
and skips that one item; ``strict`` turns the first of them into an ``InputError``. Anything
raised as ``CopydeskError`` reaches the user as a message and exit code 2, never a traceback.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


class CopydeskError(Exception):
    """An error the user can fix: bad arguments or bad input. Exit code 2."""

    exit_code = 2


class InputError(CopydeskError):
    """An input that cannot be read as asked."""


@dataclass(frozen=True)
class Problem:
    where: str
    reason: str
    kind: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class Problems:
    """Collects input problems; raises on the first one when ``strict``."""

    strict: bool = False
    on_problem: Callable[[Problem], None] | None = None
    items: list[Problem] = field(default_factory=list)

    def add(self, where: str, reason: str, kind: str, *, skipped: bool = True) -> None:
        problem = Problem(where, reason, kind, skipped)
        if self.strict:
            raise InputError(f"{problem} (--strict)")
        self.items.append(problem)
        if self.on_problem is not None:
            self.on_problem(problem)

    def skipped_by_kind(self) -> Counter[str]:
        return Counter(p.kind for p in self.items if p.skipped)

    def __len__(self) -> int:
        return len(self.items)
