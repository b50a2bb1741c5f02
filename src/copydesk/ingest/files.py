"""Finding input files and decoding their bytes: formats, compression, encodings, binary files."""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from copydesk.errors import InputError, Problems

RECORD_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".parquet": "parquet"}
TEXT_SUFFIXES = {".txt", ".text", ""}


@dataclass(frozen=True)
class InputFile:
    """One file to read: where it is, its format ('txt', 'jsonl', ...) and whether it is gzipped."""

    path: Path
    format: str
    gzipped: bool
    size: int

    @property
    def name(self) -> str:
        return str(self.path)

    def open_binary(self) -> io.BufferedIOBase:
        try:
            if self.gzipped:
                return gzip.open(self.path, "rb")
            return open(self.path, "rb")
        except OSError as err:
            raise InputError(f"{self.path}: cannot read ({err.strerror or err})") from err

    def read_bytes(self) -> bytes:
        with self.open_binary() as handle:
            try:
                return handle.read()
            except (OSError, EOFError) as err:
                raise InputError(f"{self.path}: cannot read ({err})") from err

    @property
    def stem(self) -> str:
        name = self.path.name
        if self.gzipped and name.endswith(".gz"):
            name = name[:-3]
        return Path(name).stem if Path(name).suffix else name


def classify(path: Path) -> tuple[str | None, bool]:
    """The format of a file from its name, and whether it is gzipped; format None if unsupported."""
    name = path.name.lower()
    gzipped = name.endswith(".gz")
    if gzipped:
        name = name[:-3]
    suffix = Path(name).suffix
    if suffix in RECORD_FORMATS:
        return RECORD_FORMATS[suffix], gzipped
    if suffix in TEXT_SUFFIXES:
        return "txt", gzipped
    return None, gzipped


def discover(paths: Iterable[str | os.PathLike[str]], problems: Problems) -> list[InputFile]:
    """Every input file under ``paths`` (files or directories, walked recursively), in sorted order.

    A path that does not exist is an error. Inside directories, hidden files are ignored and
    files of unsupported formats are skipped with a warning; a file named explicitly is read as
    text when its format is not recognised.
    """
    found: dict[Path, InputFile] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{path}: no such file or directory")
        if path.is_dir():
            for child in sorted(_walk(path)):
                fmt, gzipped = classify(child)
                if fmt is None:
                    problems.add(str(child), "unsupported file type, skipped", "unsupported")
                    continue
                found[child] = InputFile(child, fmt, gzipped, _size(child))
        else:
            fmt, gzipped = classify(path)
            found[path] = InputFile(path, fmt or "txt", gzipped, _size(path))
    return [found[p] for p in sorted(found, key=str)]


def _walk(root: Path) -> Iterable[Path]:
    def fail(err: OSError) -> None:
        raise InputError(f"{err.filename}: cannot read directory ({err.strerror})")

    for dirpath, dirnames, filenames in os.walk(root, onerror=fail):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith("."):
                yield Path(dirpath) / name


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text in any encoding: NUL bytes or many control characters."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with a byte-order mark
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) * 0.05


def decode(data: bytes, where: str, problems: Problems) -> str:
    """Decode text bytes: UTF-8 (with or without BOM), else a detected legacy encoding, with a warning."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    encoding = _detect_encoding(data)
    problems.add(where, f"not UTF-8; decoded as {encoding}", "encoding", skipped=False)
    return data.decode(encoding, errors="replace")


def _detect_encoding(data: bytes) -> str:
    """The most plausible legacy encoding; on a tie, cp1252 (Western news), as short texts often tie."""
    from charset_normalizer import from_bytes

    matches = [m for m in from_bytes(data) if m.encoding not in ("utf_8", "ascii")]
    if not matches:
        return "cp1252"
    best = min(matches, key=lambda m: (round(m.chaos, 3), -round(m.coherence, 3), m.encoding != "cp1252"))
    return str(best.encoding)
