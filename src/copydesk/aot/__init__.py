"""The dedup kernels compiled ahead of time: the extension module ``copydesk._aot`` and its manifest.

``copydesk compile`` (``aot.build``) writes both beside the package's source. The manifest,
``_aot.json``, holds the digest of the source the module was built from and, for each kernel,
the argument types it was compiled for. Compiled code does not check its arguments (an int32
array where it was built for int64 would be read as garbage), so every call is matched against
those types first, and anything else goes to numba. A module built from other source than the
one installed is never loaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from copydesk.kernels import Kernel

PACKAGE = Path(__file__).resolve().parent.parent
MODULE = "copydesk._aot"
MANIFEST = "_aot.json"

# What a compiled kernel's argument must be: ("array", dtype, ndim, layout, writable), ("int", dtype),
# ("float", dtype) or ("bool",).
ArgSpec = Sequence[Any]

_loaded: tuple[Any, dict[str, list[ArgSpec]]] | bool | None = False  # False: not looked for yet


def compiled_version(kernel: Kernel) -> Callable[..., Any] | None:
    """The kernel's compiled code behind a check of the argument types, or None when there is none."""
    found = _module_and_specs()
    if found is None:
        return None
    module, specs = found
    spec = specs.get(kernel.symbol)
    compiled = getattr(module, kernel.symbol, None)
    if spec is None or compiled is None:
        return None
    checks = [_check(s) for s in spec]

    def call(*args: Any) -> Any:
        if len(args) == len(checks) and all(check(a) for check, a in zip(checks, args, strict=True)):
            return compiled(*args)
        return kernel.dispatcher(*args)

    return call


def source_digest(package: Path = PACKAGE) -> str:
    """A digest of the package's Python source: compiled code built from other source is stale."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_manifest(package: Path = PACKAGE) -> dict[str, Any] | None:
    """The manifest when it is there and describes this source, else None."""
    try:
        manifest = json.loads((package / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("source_digest") != source_digest(package):
        return None
    return manifest


def _module_and_specs() -> tuple[Any, dict[str, list[ArgSpec]]] | None:
    global _loaded
    if _loaded is False:
        _loaded = None
        manifest = read_manifest()
        if manifest is not None:
            with contextlib.suppress(ImportError):
                _loaded = (importlib.import_module(MODULE), manifest["kernels"])
    return _loaded if isinstance(_loaded, tuple) else None


def _check(spec: ArgSpec) -> Callable[[Any], bool]:
    """A test that an argument is exactly what the compiled code reads (numba's type for it)."""
    kind = spec[0]
    if kind == "array":
        dtype, ndim, layout, writable = np.dtype(spec[1]), spec[2], spec[3], spec[4]

        def is_array(a: Any) -> bool:
            if type(a) is not np.ndarray or a.dtype != dtype or a.ndim != ndim or not a.flags.aligned:
                return False
            if writable and not a.flags.writeable:
                return False
            return layout == "A" or (a.flags.c_contiguous if layout == "C" else a.flags.f_contiguous)

        return is_array
    if kind in ("int", "float"):  # numba types a Python int as int64 and a float as float64
        dtype = np.dtype(spec[1])
        plain = int if kind == "int" else float
        python_dtype = np.dtype(np.int64 if kind == "int" else np.float64)
        return lambda a: (type(a) is plain and dtype == python_dtype) or (
            isinstance(a, np.generic) and a.dtype == dtype
        )
    if kind == "bool":
        return lambda a: type(a) is bool or isinstance(a, np.bool_)
    raise ValueError(f"unknown argument kind {kind!r} in {MANIFEST}")
