"""Text model: normalised word tokens that keep character offsets into the original text.

Matching sees words through a normalisation (Unicode NFKC, case folding, every apostrophe
variant as ``'``), but a token is only a span ``[start, end)`` of the original string plus the
hash of its normalised form, so nothing of the original is ever lost.

Tokenising runs as one compiled pass over a whole batch of texts, held as an array of code
points; offsets are code-point indexes, the same as Python ``str`` indexes.

    >>> toks = tokenize(["The US’s  aid"])
    >>> [("The US’s  aid"[s:e]) for s, e in zip(toks.starts, toks.ends)]
    ['The', 'US’s', 'aid']
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from copydesk.kernels import njit

# Character classes of the scanner.
OTHER, LETTER, DIGIT, APOSTROPHE, NUMBER_MARK = 0, 1, 2, 3, 4

# Code points above this are rare (historic scripts, emoji); they are treated as separators.
_TABLE_LIMIT = 0x30000
_APOSTROPHES = "'’‘ʼ＇`´"
_NUMBER_MARKS = ",."


@functools.cache
def char_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per code point: its class, and its folded form (NFKC then casefold) as a slice of code points.

    Returns ``(kind, fold_ptr, fold_data)``: code point ``c`` folds to
    ``fold_data[fold_ptr[c]:fold_ptr[c + 1]]``. Building them asks ``unicodedata`` about 196,608
    code points (a tenth of a second), so they are kept in ``__pycache__`` beside the compiled
    kernels, keyed by the Unicode version; where that cannot be written they are built each time.
    """
    cached = Path(__file__).parent / "__pycache__" / f"chartables-{unicodedata.unidata_version}-{_TABLE_LIMIT:x}.npz"
    try:
        with np.load(cached) as saved:
            return saved["kind"], saved["fold_ptr"], saved["fold_data"]
    except (OSError, KeyError, ValueError):
        pass
    kind, fold_ptr, fold_data = _build_char_tables()
    try:
        cached.parent.mkdir(exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.npz")  # written whole, then renamed: no torn reads
        np.savez(partial, kind=kind, fold_ptr=fold_ptr, fold_data=fold_data)
        partial.replace(cached)
    except OSError:
        pass
    return kind, fold_ptr, fold_data


def _build_char_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    kinds = bytearray(_TABLE_LIMIT)
    lengths = [0] * _TABLE_LIMIT
    fold_data: list[int] = []
    category = unicodedata.category
    normalize = unicodedata.normalize
    for cp in range(_TABLE_LIMIT):
        ch = chr(cp)
        if ch in _APOSTROPHES:
            kinds[cp] = APOSTROPHE
            folded = "'"
        elif ch in _NUMBER_MARKS:
            kinds[cp] = NUMBER_MARK
            folded = ch
        else:
            major = category(ch)[0]
            if major == "L" or major == "M":
                kinds[cp] = LETTER
            elif major == "N":
                kinds[cp] = DIGIT
            else:
                continue
            folded = normalize("NFKC", ch).casefold()
        lengths[cp] = len(folded)
        fold_data.extend(map(ord, folded))
    fold_ptr = np.zeros(_TABLE_LIMIT + 1, dtype=np.int64)
    np.cumsum(lengths, out=fold_ptr[1:])
    return (
        np.frombuffer(bytes(kinds), dtype=np.uint8),
        fold_ptr,
        np.asarray(fold_data, dtype=np.uint32),
    )


@dataclass(frozen=True)
class Tokens:
    """Word tokens of a batch of texts, in flat arrays.

    Tokens of text ``i`` are ``doc_ptr[i]:doc_ptr[i + 1]``; ``starts``/``ends`` are offsets into
    that text; ``hashes`` are 64-bit hashes of the normalised word.
    """

    doc_ptr: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    hashes: np.ndarray

    def __len__(self) -> int:
        return len(self.doc_ptr) - 1

    def doc(self, i: int) -> Tokens:
        """The tokens of text ``i`` alone."""
        lo, hi = int(self.doc_ptr[i]), int(self.doc_ptr[i + 1])
        return Tokens(np.array([0, hi - lo], dtype=np.int64), self.starts[lo:hi], self.ends[lo:hi], self.hashes[lo:hi])

    def counts(self) -> np.ndarray:
        """Number of tokens of each text."""
        return np.diff(self.doc_ptr)


def to_utf8(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate ``texts`` as UTF-8 into one byte array; returns it and each text's byte start.

    A batch of ASCII texts (``str.isascii`` reads a flag, it does not scan) is joined and encoded
    once, its byte starts being its character starts: a third less time than a bytes object per
    text, on English copy without curly quotes.
    """
    pieces: Sequence[str | bytes]
    if all(map(str.isascii, texts)):
        pieces, data = texts, "".join(texts).encode("ascii")
    else:
        encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
        pieces, data = encoded, b"".join(encoded)
    starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, pieces), dtype=np.int64, count=len(texts)), out=starts[1:])
    return np.frombuffer(data, dtype=np.uint8), starts


def span_array(n: int, spans: Sequence[tuple[int, int]] | None) -> np.ndarray:
    """``spans`` as an (n, 2) int64 array; None means every text whole."""
    span_arr = np.empty((n, 2), dtype=np.int64)
    if spans is None:
        span_arr[:, 0] = 0
        span_arr[:, 1] = np.iinfo(np.int64).max
    else:
        span_arr[:] = np.asarray(spans, dtype=np.int64).reshape(n, 2)
    return span_arr


def tokenize(
    texts: Sequence[str],
    spans: Sequence[tuple[int, int]] | None = None,
) -> Tokens:
    """Tokenise each text (or only ``spans[i] = (start, end)`` of text ``i``) into words.

    A word is a run of letters, marks and digits; an apostrophe between letters
    (``Kazakhstan’s``) and a comma or full stop between digits (``7,644``) stay inside it.
    Offsets are code-point indexes into each text, like Python ``str`` indexes.
    """
    data, byte_starts = to_utf8(texts)
    n = len(texts)
    span_arr = span_array(n, spans)
    kind, fold_ptr, fold_data = char_tables()
    capacity = len(data) // 2 + n + 1
    starts = np.empty(capacity, dtype=np.int32)
    ends = np.empty(capacity, dtype=np.int32)
    hashes = np.empty(capacity, dtype=np.uint64)
    doc_ptr = np.zeros(n + 1, dtype=np.int64)
    _scan(data, byte_starts, span_arr, kind, fold_ptr, fold_data, starts, ends, hashes, doc_ptr)
    total = int(doc_ptr[n])
    return Tokens(doc_ptr, starts[:total].copy(), ends[:total].copy(), hashes[:total].copy())


def word_hash(word: str) -> int:
    """The hash ``tokenize`` gives to a single word (for tests and lookups)."""
    toks = tokenize([word])
    if len(toks.hashes) != 1:
        raise ValueError(f"{word!r} is not a single word")
    return int(toks.hashes[0])


def normalize_word(word: str) -> str:
    """The normalised form that matching compares (NFKC, case-folded, apostrophes unified)."""
    _, fold_ptr, fold_data = char_tables()
    out: list[str] = []
    for ch in word:
        cp = ord(ch)
        if cp < _TABLE_LIMIT:
            out.extend(chr(c) for c in fold_data[fold_ptr[cp] : fold_ptr[cp + 1]])
    return "".join(out)


@njit(cache=True, nogil=True)
def _decode(data, i):  # type: ignore[no-untyped-def]
    """The code point at byte ``i`` of UTF-8 ``data`` and the byte length of its encoding."""
    b0 = np.uint32(data[i])
    if b0 < 0x80:
        return b0, 1
    if b0 < 0xE0:
        return ((b0 & 0x1F) << 6) | (np.uint32(data[i + 1]) & 0x3F), 2
    if b0 < 0xF0:
        return ((b0 & 0x0F) << 12) | ((np.uint32(data[i + 1]) & 0x3F) << 6) | (np.uint32(data[i + 2]) & 0x3F), 3
    return (
        ((b0 & 0x07) << 18)
        | ((np.uint32(data[i + 1]) & 0x3F) << 12)
        | ((np.uint32(data[i + 2]) & 0x3F) << 6)
        | (np.uint32(data[i + 3]) & 0x3F)
    ), 4


@njit(cache=True, nogil=True)
def _char_kind(cp, kind):  # type: ignore[no-untyped-def]
    if cp < _TABLE_LIMIT:
        return kind[cp]
    return OTHER


@njit(cache=True, nogil=True)
def finish_hash(h):  # type: ignore[no-untyped-def]
    """splitmix64 finaliser: spreads a hash's weak low bits over the whole 64-bit word."""
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    return h


@njit(cache=True, nogil=True)
def _scan(data, byte_starts, spans, kind, fold_ptr, fold_data, starts, ends, hashes, doc_ptr):  # type: ignore[no-untyped-def]
    t = 0
    for d in range(len(spans)):
        t = scan_text(
            data,
            byte_starts[d],
            byte_starts[d + 1],
            spans[d, 0],
            spans[d, 1],
            kind,
            fold_ptr,
            fold_data,
            starts,
            ends,
            hashes,
            t,
        )
        doc_ptr[d + 1] = t


@njit(cache=True, nogil=True)
def scan_text(data, i, stop, lo, hi, kind, fold_ptr, fold_data, starts, ends, hashes, t):  # type: ignore[no-untyped-def]
    """Tokenise the text in bytes ``data[i:stop]``, code points ``[lo, hi)``, writing tokens from ``t``.

    Returns the index after the last token written (the arrays must have room for them all).
    One flat loop with the two common cases first (an ASCII letter or digit, an ASCII separator):
    most bytes take a single branch, which is what makes a byte scanner fast.
    """
    fnv_offset = np.uint64(0xCBF29CE484222325)
    fnv_prime = np.uint64(0x100000001B3)
    pos = 0  # code-point index of byte i within the text
    while i < stop and pos < lo:  # nothing before the span is read
        b = data[i]
        i += 1 if b < 0x80 else (2 if b < 0xE0 else (3 if b < 0xF0 else 4))
        pos += 1
    in_word = False
    h = fnv_offset
    prev = OTHER
    while i < stop and pos < hi:
        b = data[i]
        if b < 0x80:
            k = kind[b]
            if k == LETTER or k == DIGIT:  # ASCII folds to lower case: the fold table's value
                if not in_word:
                    in_word = True
                    starts[t] = pos
                    h = fnv_offset
                prev = k
                h = (h ^ np.uint64(b | 0x20 if k == LETTER else b)) * fnv_prime
                i += 1
                pos += 1
                continue
            if k == OTHER:  # space or punctuation: ends a word
                if in_word:
                    ends[t] = pos
                    hashes[t] = finish_hash(h)
                    t += 1
                    in_word = False
                i += 1
                pos += 1
                continue
            cp, width = np.uint32(b), 1
        else:
            cp, width = _decode(data, i)
            k = _char_kind(cp, kind)
        joins = k == LETTER or k == DIGIT
        if not joins and in_word and (k == APOSTROPHE or k == NUMBER_MARK) and i + width < stop and pos + 1 < hi:
            nxt = _char_kind(_decode(data, i + width)[0], kind)
            joins = (k == APOSTROPHE and prev == LETTER and nxt == LETTER) or (
                k == NUMBER_MARK and prev == DIGIT and nxt == DIGIT
            )
        if joins:
            if not in_word:
                in_word = True
                starts[t] = pos
                h = fnv_offset
            prev = k
            for j in range(fold_ptr[cp], fold_ptr[cp + 1]):
                h ^= np.uint64(fold_data[j])
                h *= fnv_prime
        elif in_word:
            ends[t] = pos
            hashes[t] = finish_hash(h)
            t += 1
            in_word = False
        i += width
        pos += 1
    if in_word:
        ends[t] = pos
        hashes[t] = finish_hash(h)
        t += 1
    return t
