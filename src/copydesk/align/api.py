"""The public entry points: ``align_pair`` for one pair, ``align_pairs`` for a batch (the fast path)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from copydesk.align._batch import align_batch
from copydesk.align._kernel import (
    O_A_END,
    O_A_START,
    O_ALIGNED,
    O_B_END,
    O_B_START,
    O_EDIT_END,
    O_MATCHED,
    O_WORDS,
    S_IN_A,
    S_IN_B,
    S_MATCHED,
    S_N_A,
    S_N_B,
    workspace,
)
from copydesk.align.model import AlignParams, Edit, EditOp, KernelParams, PairAlignment, Passage
from copydesk.text import Tokens

_OPS: tuple[EditOp, ...] = ("substitute", "insert", "delete")
_DEFAULT = AlignParams()


@dataclass(frozen=True)
class AlignedBatch:
    """Raw results of ``align_pairs_raw``: flat arrays, character offsets into the original texts.

    ``passages[pair_ptr[p]:pair_ptr[p + 1]]`` are pair ``p``'s passages, columns ``a_start, a_end,
    b_start, b_end, words, matched, aligned, edit_end``; a passage's edits are the ``edits`` rows
    from the previous passage's ``edit_end`` to its own, columns ``op`` (0 substitute, 1 insert,
    2 delete), ``a_start, a_end, b_start, b_end``. ``stats`` rows: words of a, words of b, words of
    a and of b inside passages, matched words.
    """

    pair_ptr: np.ndarray
    passages: np.ndarray
    edits: np.ndarray
    stats: np.ndarray


def concat_tokens(parts: Sequence[Tokens]) -> Tokens:
    """One ``Tokens`` batch holding every text of ``parts``, in order."""
    counts = np.concatenate([p.counts() for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    doc_ptr = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=doc_ptr[1:])
    return Tokens(
        doc_ptr,
        np.concatenate([p.starts[p.doc_ptr[0] : p.doc_ptr[-1]] for p in parts]).astype(np.int32, copy=False),
        np.concatenate([p.ends[p.doc_ptr[0] : p.doc_ptr[-1]] for p in parts]).astype(np.int32, copy=False),
        np.concatenate([p.hashes[p.doc_ptr[0] : p.doc_ptr[-1]] for p in parts]).astype(np.uint64, copy=False),
    )


def _as_pairs(pairs: Sequence[tuple[int, int]] | np.ndarray, ndocs: int) -> np.ndarray:
    """Pairs as an ``(n, 2)`` int64 array, checked against the number of texts."""
    arr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if arr.size and (arr.min() < 0 or arr.max() >= ndocs):
        raise IndexError(f"pair index out of range: there are {ndocs} texts")
    return np.ascontiguousarray(arr)


def _code_points(texts: Sequence[str], used: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The used texts as one code-point array, with each text's start in it and length (-1: unused)."""
    cp_start = np.zeros(len(texts), dtype=np.int64)
    cp_len = np.full(len(texts), -1, dtype=np.int64)
    chunks = []
    pos = 0
    for d in used.tolist():
        text = texts[d]
        cp_start[d] = pos
        cp_len[d] = len(text)
        pos += len(text)
        chunks.append(text)
    return _as_code_points("".join(chunks)), cp_start, cp_len


def _as_code_points(text: str) -> np.ndarray:
    """``text`` as a uint32 array of code points.

    numpy's fixed-width unicode type already is UCS-4, and filling it is several times faster than
    encoding to UTF-32; it drops trailing NULs, so then (rarely) the encoder does it.
    """
    if not text:
        return np.zeros(0, dtype=np.uint32)
    cps = np.array(text).reshape(1).view(np.uint32)
    if len(cps) == len(text):
        return cps
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def align_pairs_raw(
    texts: Sequence[str],
    tokens: Tokens | Sequence[Tokens],
    pairs: Sequence[tuple[int, int]] | np.ndarray,
    params: AlignParams = _DEFAULT,
) -> AlignedBatch:
    """Align every pair ``(i, j)`` of ``texts`` (a = text i, b = text j) into flat arrays, in one compiled call.

    ``tokens`` holds the words of each text (one ``Tokens`` batch with one document per text, or
    a sequence of single-document ``Tokens``); restrict it to the body span when tokenising.
    """
    toks = tokens if isinstance(tokens, Tokens) else concat_tokens(tokens)
    if len(toks) != len(texts):
        raise ValueError(f"{len(texts)} texts but tokens for {len(toks)}")
    pair_arr = _as_pairs(pairs, len(texts))
    used = np.unique(pair_arr)
    cps, cp_start, cp_len = _code_points(texts, used)
    counts = toks.counts()
    max_a = int(counts[pair_arr[:, 0]].max()) if len(pair_arr) else 0
    max_b = int(counts[pair_arr[:, 1]].max()) if len(pair_arr) else 0
    ws = workspace(max_a + 1, max_b + 1, params.max_gap)
    brk = np.zeros(len(toks.hashes), dtype=np.int8)
    pair_ptr, passages, edits, stats = align_batch(
        toks.hashes.astype(np.uint64, copy=False),
        toks.doc_ptr.astype(np.int64, copy=False),
        toks.starts.astype(np.int32, copy=False),
        toks.ends.astype(np.int32, copy=False),
        cps,
        cp_start,
        cp_len,
        pair_arr,
        KernelParams.of(params),
        ws,
        brk,
    )
    return AlignedBatch(pair_ptr, passages, edits, stats)


def build_alignments(
    batch: AlignedBatch, texts: Sequence[str], pairs: Sequence[tuple[int, int]] | np.ndarray
) -> list[PairAlignment]:
    """The ``PairAlignment`` objects of a raw batch: slices the texts, creates the dataclasses."""
    pair_list = np.asarray(pairs, dtype=np.int64).reshape(-1, 2).tolist()
    ptr = batch.pair_ptr.tolist()
    rows = batch.passages.tolist()
    edit_rows = batch.edits.tolist()
    stats = batch.stats.tolist()
    ops = _OPS
    out: list[PairAlignment] = []
    e_lo = 0
    for p, (i, j) in enumerate(pair_list):
        ta = texts[i]
        tb = texts[j]
        passages = []
        for row in rows[ptr[p] : ptr[p + 1]]:
            e_hi = row[O_EDIT_END]
            edits = tuple([Edit(ops[e[0]], ta[e[1] : e[2]], tb[e[3] : e[4]], e[1], e[3]) for e in edit_rows[e_lo:e_hi]])
            e_lo = e_hi
            aligned = row[O_ALIGNED]
            passages.append(
                Passage(
                    row[O_A_START],
                    row[O_A_END],
                    row[O_B_START],
                    row[O_B_END],
                    row[O_WORDS],
                    row[O_MATCHED] / aligned if aligned else 0.0,
                    edits,
                )
            )
        n_a, n_b, in_a, in_b = stats[p][S_N_A], stats[p][S_N_B], stats[p][S_IN_A], stats[p][S_IN_B]
        out.append(
            PairAlignment(
                tuple(passages),
                stats[p][S_MATCHED],
                n_a - in_a,
                n_b - in_b,
                in_a / n_a if n_a else 0.0,
                in_b / n_b if n_b else 0.0,
            )
        )
    return out


def align_pairs(
    texts: Sequence[str],
    tokens: Tokens | Sequence[Tokens],
    pairs: Sequence[tuple[int, int]] | np.ndarray,
    params: AlignParams = _DEFAULT,
) -> list[PairAlignment]:
    """Align every pair ``(i, j)`` of ``texts``: one ``PairAlignment`` per pair, a = text i, b = text j.

    The fast path: all pairs in one compiled call (``align_pairs_raw``), then the result objects.

        >>> texts = ["the cat sat on the mat today", "a cat sat on the mat today"]
        >>> from copydesk.text import tokenize
        >>> [p.words for p in align_pairs(texts, tokenize(texts), [(0, 1)], AlignParams(min_words=3))[0].passages]
        [6]
    """
    return build_alignments(align_pairs_raw(texts, tokens, pairs, params), texts, pairs)


def align_pair(
    text_a: str, toks_a: Tokens, text_b: str, toks_b: Tokens, params: AlignParams = _DEFAULT
) -> PairAlignment:
    """The passages ``text_a`` and ``text_b`` share, with their edits (``toks_*``: each text's words).

    >>> from copydesk.text import tokenize
    >>> a, b = "We met the US envoy in the capital on Tuesday", "We met the United States envoy in the capital"
    >>> pa = align_pair(a, tokenize([a]), b, tokenize([b]), AlignParams(min_words=5))
    >>> [(e.op, e.a_text, e.b_text) for e in pa.passages[0].edits]
    [('substitute', 'US', 'United States')]
    """
    return align_pairs([text_a, text_b], [toks_a, toks_b], [(0, 1)], params)[0]
