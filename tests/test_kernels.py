"""Kernels: numba's just-in-time compiler, or the dedup kernels compiled ahead of time (`copydesk compile`).

The ahead-of-time module is built by `make` (the Makefile runs `copydesk compile`); CI must have it,
elsewhere its tests skip when it was not built.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from cli_helpers import copydesk
from copydesk import aot, kernels
from copydesk.cluster import _roots
from copydesk.threads import thread_map

IN_CI = os.environ.get("CI") == "true"


@pytest.fixture
def compiled() -> Iterator[None]:
    if aot.read_manifest() is None:
        if IN_CI:
            pytest.fail("copydesk._aot is missing or stale in CI: `copydesk compile` (run by make) failed")
        pytest.skip("copydesk._aot is not built from this source (run `copydesk compile`)")
    kernels.set_jit_only(False)
    yield
    kernels.set_jit_only(False)


def test_a_module_built_from_other_source_is_never_used(tmp_path: Path) -> None:
    """Compiled code is trusted only beside a manifest of the source it was built from."""
    (tmp_path / "stage.py").write_text("x = 1\n", encoding="utf-8")
    assert aot.read_manifest(tmp_path) is None  # no manifest at all
    manifest = {"source_digest": aot.source_digest(tmp_path), "kernels": {}}
    (tmp_path / aot.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert aot.read_manifest(tmp_path) == manifest
    (tmp_path / "stage.py").write_text("x = 2\n", encoding="utf-8")  # the source was edited after the build
    assert aot.read_manifest(tmp_path) is None


def test_dedup_runs_without_numba_and_writes_the_same_bytes(
    compiled: None, demo_articles: Path, tmp_path: Path
) -> None:
    """A process with the compiled kernels never imports numba, and its output is numba's to the byte."""
    probe = (
        "import sys; from copydesk.cli import main; "
        f"code = main(['dedup', {str(demo_articles)!r}, '--out', {str(tmp_path / 'aot')!r}, '--quiet']); "
        "print(code, 'numba' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=600)
    assert shown.stdout.split() == ["0", "False"], shown.stderr
    env = {**os.environ, "COPYDESK_JIT_ONLY": "1"}
    assert copydesk("dedup", demo_articles, "--out", tmp_path / "jit", "--quiet", env=env).returncode == 0
    for name in ("pairs.jsonl", "copies.jsonl"):
        assert (tmp_path / "aot" / name).read_bytes() == (tmp_path / "jit" / name).read_bytes()
    assert (tmp_path / "aot" / "pairs.jsonl").stat().st_size > 0


def test_arguments_of_other_types_go_to_numba(compiled: None) -> None:
    """Compiled code reads its arguments as the types it was built for; any others are numba's to compile."""
    roots = kernels.Kernel(_roots.py_func, _roots.options)  # a dispatcher of its own: it counts numba's compiles
    parents = np.array([0, 0, 1, 3], dtype=np.int64)
    assert roots(parents).tolist() == [0, 0, 0, 3]
    assert roots.ahead_of_time and roots._dispatcher is None  # the compiled code answered, numba was not asked
    assert roots(parents.astype(np.int32)).tolist() == [0, 0, 0, 3]
    assert roots(np.array([0, 9, 1, 9, 1, 9], dtype=np.int64)[::2]).tolist() == [0, 1, 1]  # not contiguous
    assert len(roots.dispatcher.signatures) == 2


def test_threads_switch_to_kernels_that_release_the_gil(compiled: None) -> None:
    parents = np.array([0, 0, 1, 3], dtype=np.int64)
    _roots(parents.copy())
    assert _roots.ahead_of_time
    thread_map(lambda p: _roots(p), [parents.copy(), parents.copy()], workers=2)
    assert not _roots.ahead_of_time


def test_kernels_pickle_by_name_as_functions_do() -> None:
    """Worker processes and Spark executors receive functions that name kernels: they must travel by reference."""
    import pickle

    assert pickle.loads(pickle.dumps(_roots)) is _roots


def test_compile_learns_the_types_python_calls_with_not_those_kernels_call_with() -> None:
    """stable_argsort calls stable_argsort_into on int64 inside numba; Python calls it on uint32. Only the
    latter is what a compiled version must take, whether or not numba's cache already held the former."""
    from copydesk.candidates import stable_argsort, stable_argsort_into

    keys = np.array([3, 1, 2], dtype=np.uint64)
    with kernels.python_calls_recorded() as calls:
        assert stable_argsort(keys).tolist() == [1, 2, 0]
        order = np.arange(3, dtype=np.uint32)
        assert stable_argsort_into(keys, order, np.empty_like(order)).tolist() == [1, 2, 0]
    (types,) = calls[stable_argsort_into]
    assert [str(t.dtype) for t in types] == ["uint64", "uint32", "uint32"]


@pytest.mark.parametrize(
    ("failure", "code", "message"),
    [
        (PermissionError(13, "Permission denied"), 2, "cannot write the compiled kernels (Permission denied)"),
        (RuntimeError("gcc: not found"), 1, "failed (RuntimeError: gcc: not found); copydesk still runs"),
    ],
)
def test_compile_failures_are_messages_not_tracebacks(
    failure: Exception, code: int, message: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from copydesk.aot import build
    from copydesk.cli import main

    def fail(verbose: bool = False) -> list[str]:
        raise failure

    monkeypatch.setattr(build, "compile_kernels", fail)
    assert main(["compile"]) == code
    err = capsys.readouterr().err
    assert message in " ".join(err.split()) and "Traceback" not in err
