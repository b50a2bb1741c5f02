"""Compiled kernels: numba's just-in-time compiler, or the same code compiled ahead of time.

Every kernel is declared with ``@njit(...)`` from this module, as it would be with numba's, and
is compiled on its first call (from numba's on-disk cache when it is there). Loading numba and
its cached kernels costs about 0.6 CPU-seconds in a fresh process, a quarter of a 20,000-article
``dedup``; so the kernels ``dedup`` runs can also be compiled ahead of time (``copydesk
compile``, ``copydesk.aot``). A call goes to that compiled code when it is installed, was built
from the source now installed, and the arguments are of the types it was built for; numba
compiles everything else as usual, and is not even imported when nothing else is called.

Ahead-of-time code holds the GIL, so a stage that runs kernels on several threads switches to
numba's versions first (``use_jit``): they release it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

JIT_ONLY_VARIABLE = "COPYDESK_JIT_ONLY"
"""Set to 1 in the environment, every kernel is numba's: the compiled module is not even looked for."""

_kernels: list[Kernel] = []
_jit_only = os.environ.get(JIT_ONLY_VARIABLE) == "1"
_recorded: dict[Kernel, set[tuple[Any, ...]]] | None = None  # argument types of calls from Python, while recorded


class Kernel:
    """A numba kernel that is compiled, or found compiled ahead of time, on its first call."""

    def __init__(self, py_func: Callable[..., Any], options: dict[str, Any]) -> None:
        self.py_func = py_func
        self.options = options
        self.__name__ = py_func.__name__
        self.__qualname__ = py_func.__qualname__
        self.__module__ = py_func.__module__
        self.__doc__ = py_func.__doc__
        self.__wrapped__ = py_func
        self._dispatcher: Any = None
        self._call: Callable[..., Any] | None = None  # what a call runs, chosen on the first one
        self._ahead_of_time = False
        _kernels.append(self)

    @property
    def symbol(self) -> str:
        """Its name in the ahead-of-time module: ``sketch___sketch_texts`` for ``copydesk.sketch._sketch_texts``."""
        return f"{self.__module__.removeprefix('copydesk.').replace('.', '_')}__{self.__name__}"

    @property
    def dispatcher(self) -> Any:
        """numba's dispatcher for this kernel (numba is imported here, on first need)."""
        if self._dispatcher is None:
            self._dispatcher = _numba().njit(**self.options)(self.py_func)
        return self._dispatcher

    @property
    def ahead_of_time(self) -> bool:
        """Whether calls go first to the compiled module (those with the argument types it was built for)."""
        return self._ahead_of_time

    def __call__(self, *args: Any) -> Any:
        call = self._call
        if call is None:
            call = self._call = self._resolve()
        return call(*args)

    def _resolve(self) -> Callable[..., Any]:
        if _recorded is not None:
            return self._recording(_recorded.setdefault(self, set()))
        if not _jit_only:
            from copydesk.aot import compiled_version

            compiled = compiled_version(self)
            if compiled is not None:
                self._ahead_of_time = True
                return compiled
        return self.dispatcher

    def _forget_choice(self) -> None:
        self._call = None
        self._ahead_of_time = False

    def _recording(self, seen: set[tuple[Any, ...]]) -> Callable[..., Any]:
        dispatcher = self.dispatcher

        def call(*args: Any) -> Any:
            seen.add(tuple(dispatcher.typeof_pyval(a) for a in args))
            return dispatcher(*args)

        return call

    def __reduce__(self) -> str:
        return self.__qualname__  # pickled by name, as functions are: its module holds the kernel

    def __repr__(self) -> str:
        return f"<kernel {self.__module__}.{self.__name__}>"


def njit(**options: Any) -> Callable[[Callable[..., Any]], Kernel]:
    """numba's ``njit(**options)``, deferred: the kernel is compiled (or found ahead of time) on first call."""

    def declare(py_func: Callable[..., Any]) -> Kernel:
        return Kernel(py_func, options)

    return declare


def use_jit() -> None:
    """Send every later call to numba's kernels (which release the GIL), for threads that run side by side."""
    set_jit_only(True)


def set_jit_only(jit_only: bool) -> None:
    """Whether calls go to numba's kernels even where compiled ones exist."""
    global _jit_only
    if jit_only != _jit_only:
        _jit_only = jit_only
        for kernel in _kernels:
            kernel._forget_choice()


@contextmanager
def python_calls_recorded() -> Iterator[dict[Kernel, set[tuple[Any, ...]]]]:
    """numba's kernels only, and the numba types of the arguments of every call from Python, per kernel.

    What ``copydesk compile`` learns from: the types a kernel is called with from Python, whatever
    numba's cache holds of the types other kernels call it with.
    """
    global _recorded
    previous = _jit_only
    set_jit_only(True)
    _recorded = {}
    try:
        yield _recorded
    finally:
        _recorded = None
        for kernel in _kernels:
            kernel._forget_choice()
        set_jit_only(previous)


def _numba() -> ModuleType:
    """numba, taught on first import that a ``Kernel`` named inside another kernel is its dispatcher."""
    import numba
    from numba.extending import typeof_impl

    if Kernel not in typeof_impl.registry:
        typeof_impl.register(Kernel)(lambda kernel, context: numba.types.Dispatcher(kernel.dispatcher))
    return numba
