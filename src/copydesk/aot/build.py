"""``copydesk compile``: the kernels ``dedup`` runs, compiled ahead of time by ``numba.pycc``.

Which kernels, and for which argument types, is learnt by running ``dedup`` on the bundled demo
corpus with numba: every kernel that run calls from Python, with the one signature it was called
with, goes into one extension module beside the package's source, and the manifest records the
digest of that source and each kernel's argument types (see ``copydesk.aot``).

Needs a C compiler (pycc links the module with the platform's toolchain), setuptools, and write
access to the installed package; without them copydesk runs as before, on numba alone.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

from copydesk import kernels
from copydesk.aot import MANIFEST, MODULE, PACKAGE, ArgSpec, source_digest
from copydesk.kernels import Kernel

DEMO_CORPUS = PACKAGE / "demo" / "articles.jsonl"


def compile_kernels(verbose: bool = False) -> list[str]:
    """Build ``copydesk._aot`` and its manifest in the package; returns the kernels it holds."""
    exported = _dedup_kernels()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba.pycc is pending deprecation; it is numba's AOT compiler today
        from numba.pycc import CC

    cc = CC(MODULE.rsplit(".", 1)[1])
    # cc.target_cpu stays pycc's default, the architecture's generic CPU: as fast here as code tuned
    # for this CPU (20k dedup: 1.58 CPU-s either way), and safe on any CPU the install moves to.
    cc.verbose = verbose
    for kernel, signature, _ in exported:
        cc.export(kernel.symbol, signature)(kernel.py_func)
    (PACKAGE / MANIFEST).unlink(missing_ok=True)  # no manifest beside a module it does not describe
    with tempfile.TemporaryDirectory() as build:
        cc.output_dir = build
        cc.compile()
        (built,) = Path(build).glob(f"{cc.name}.*")
        staged = PACKAGE / f"{built.name}.partial"
        shutil.copy2(built, staged)
        os.replace(staged, PACKAGE / built.name)
    manifest = {"source_digest": source_digest(), "kernels": {k.symbol: specs for k, _, specs in exported}}
    (PACKAGE / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return sorted(f"{k.__module__}.{k.__name__}" for k, _, _ in exported)


def _dedup_kernels() -> list[tuple[Kernel, Any, list[ArgSpec]]]:
    """The kernels a ``dedup`` run calls from Python: each with its numba signature and argument types."""
    from copydesk.cli import main

    with kernels.python_calls_recorded() as calls, tempfile.TemporaryDirectory() as out:
        if main(["dedup", str(DEMO_CORPUS), "--out", out, "--quiet"]) != 0:
            raise RuntimeError("dedup on the demo corpus failed")
    exported = []
    for kernel, argument_types in sorted(calls.items(), key=lambda item: item[0].symbol):
        if len(argument_types) != 1:  # pycc exports one signature per name: the others stay numba's
            continue
        (args,) = argument_types
        signature = kernel.dispatcher.overloads[args].signature
        specs = [_spec(t) for t in signature.args]
        if all(s is not None for s in specs):
            exported.append((kernel, signature, [s for s in specs if s is not None]))
    return exported


def _spec(numba_type: Any) -> ArgSpec | None:
    """What an argument of ``numba_type`` is at run time (``copydesk.aot._check``), or None when unsupported."""
    from numba import types

    if isinstance(numba_type, types.Array):
        return ["array", str(numba_type.dtype), numba_type.ndim, numba_type.layout, numba_type.mutable]
    if isinstance(numba_type, types.Boolean):
        return ["bool"]
    if isinstance(numba_type, types.Integer):
        return ["int", str(numba_type)]
    if isinstance(numba_type, types.Float):
        return ["float", str(numba_type)]
    return None
