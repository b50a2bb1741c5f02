"""Compiled kernels on several threads: they release the GIL (``nogil=True``), so threads run them
side by side in one process, sharing the sketches instead of copying them to worker processes.

Results come back in the order of the inputs, so the output never depends on the thread count.
Kernels compiled ahead of time hold the GIL, so several threads switch to numba's (``kernels.use_jit``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from copydesk.kernels import use_jit

T = TypeVar("T")
R = TypeVar("R")


def thread_map(fn: Callable[[T], R], items: Iterable[T], workers: int = 1) -> list[R]:
    """``[fn(x) for x in items]``, on ``workers`` threads when there is more than one."""
    if workers <= 1:
        return [fn(x) for x in items]
    use_jit()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))


def chunks(n: int, parts: int) -> list[tuple[int, int]]:
    """``[lo, hi)`` ranges cutting ``range(n)`` into ``parts`` nearly equal consecutive pieces (at least one)."""
    parts = max(1, min(parts, n))
    bounds = [n * k // parts for k in range(parts + 1)]
    return list(itertools.pairwise(bounds))
