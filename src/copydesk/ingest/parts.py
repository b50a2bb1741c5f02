"""Inputs cut into parts that worker processes read on their own, so no text crosses a pipe.

A part is a whole file, or a byte range of a large plain JSON Lines file that starts and ends
on a line boundary and knows the number of its first line, so every message and every id made
from a line number is the same as when the file is read whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from copydesk.errors import InputError
from copydesk.ingest.files import InputFile

PART_BYTES = 16 << 20
"""Bytes per part of a large JSON Lines file: many parts to share among workers, few enough to amortise."""
_SCAN_BLOCK = 1 << 20


@dataclass(frozen=True)
class Part:
    """``file``, or only its bytes ``[start, end)`` (lines ``first_line`` on) when ``end`` is not None."""

    file: InputFile
    start: int = 0
    end: int | None = None
    first_line: int = 1

    @property
    def size(self) -> int:
        return self.file.size if self.end is None else self.end - self.start

    def lines(self) -> Iterator[bytes]:
        """The raw lines of a JSON Lines part, newline included."""
        with self.file.open_binary() as handle:
            handle.seek(self.start)
            left = self.file.size - self.start if self.end is None else self.end - self.start
            while left > 0:
                line = handle.readline(left)
                if not line:
                    return
                left -= len(line)
                yield line


def split_inputs(files: list[InputFile], part_bytes: int = PART_BYTES) -> list[Part]:
    """Parts of ``files`` in reading order: large plain JSON Lines files cut at line boundaries."""
    parts: list[Part] = []
    for file in files:
        if file.format == "jsonl" and not file.gzipped and file.size > part_bytes:
            parts.extend(_jsonl_ranges(file, part_bytes))
        else:
            parts.append(Part(file))
    return parts


def _jsonl_ranges(file: InputFile, part_bytes: int) -> Iterator[Part]:
    """Cut points every ``part_bytes``, moved to just after the next newline; lines counted on the way."""
    try:
        with open(file.path, "rb") as handle:
            start, first_line = 0, 1
            while start < file.size:
                end = min(start + part_bytes, file.size)
                handle.seek(end)
                end += len(handle.readline())  # to the end of the line the cut fell in
                handle.seek(start)
                newlines = 0
                left = end - start
                while left > 0:
                    block = handle.read(min(_SCAN_BLOCK, left))
                    if not block:
                        break
                    newlines += block.count(b"\n")
                    left -= len(block)
                yield Part(file, start, end, first_line)
                start, first_line = end, first_line + newlines
    except OSError as err:
        raise InputError(f"{file.path}: cannot read ({err.strerror or err})") from err
