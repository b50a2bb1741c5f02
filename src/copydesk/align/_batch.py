"""The batch kernel: many pairs in one compiled call, results as flat arrays of character offsets."""

from __future__ import annotations

import numpy as np

from copydesk.align._gapfill import BRK_CLAUSE, BRK_NONE, BRK_PARAGRAPH, BRK_SENTENCE
from copydesk.align._kernel import (
    O_A_END,
    O_A_START,
    O_ALIGNED,
    O_B_END,
    O_B_START,
    O_EDIT_END,
    O_MATCHED,
    O_WORDS,
    OUT_PASSAGE_COLS,
    S_IN_A,
    S_IN_B,
    S_MATCHED,
    S_N_A,
    S_N_B,
    align_one,
)
from copydesk.align._passages import (
    E_A_HI,
    E_A_LO,
    E_B_HI,
    E_B_LO,
    E_OP,
    EDIT_COLS,
    EDIT_DEL,
    EDIT_INS,
    EDIT_SUB,
    P_A_HI,
    P_A_LO,
    P_ALIGNED,
    P_B_HI,
    P_B_LO,
    P_E_HI,
    P_E_LO,
    P_MATCHED,
    P_WORDS,
)
from copydesk.kernels import njit


@njit(cache=True, nogil=True)
def token_breaks(cps, cp_start, starts, ends, lo, hi, out):  # type: ignore[no-untyped-def]
    """Break strength before each token ``lo:hi`` of one text (code points from ``cp_start``) into ``out``.

    A line break between two words is a paragraph break; ``.!?`` a sentence break; ``,;:`` a clause
    break. The first token opens a paragraph.
    """
    for t in range(lo, hi):
        if t == lo:
            out[t] = BRK_PARAGRAPH
            continue
        brk = BRK_NONE
        for x in range(cp_start + ends[t - 1], cp_start + starts[t]):
            c = cps[x]
            if c == 10 or c == 13 or c == 0x2029:
                brk = BRK_PARAGRAPH
                break
            if c == 46 or c == 33 or c == 63:
                brk = max(brk, BRK_SENTENCE)
            elif c == 44 or c == 59 or c == 58:
                brk = max(brk, BRK_CLAUSE)
        out[t] = brk


@njit(cache=True, nogil=True)
def _closer(c):  # type: ignore[no-untyped-def]
    """The closing bracket for opening bracket ``c``, or -1."""
    if c == 40:
        return 41
    if c == 91:
        return 93
    return -1


@njit(cache=True, nogil=True)
def balance_brackets(cps, base, length, s, e, enclose):  # type: ignore[no-untyped-def]
    """Widen span ``s:e`` of a text to the bracket it opens or closes, or (``enclose``) to a pair around it.

    ``(4,750 miles)`` rather than ``(4,750 miles``; an inserted ``(37-mile)`` rather than ``37-mile``.
    """
    if e <= s:
        return s, e
    depth = 0
    low = 0
    for x in range(base + s, base + e):
        c = cps[x]
        if c == 40 or c == 91:
            depth += 1
        elif c == 41 or c == 93:
            depth -= 1
            low = min(low, depth)
    if depth == 0 and low == 0:
        if enclose and s > 0 and e < length and _closer(cps[base + s - 1]) == cps[base + e]:
            return s - 1, e + 1
        return s, e
    if low == 0 and depth == 1 and e < length and (cps[base + e] == 41 or cps[base + e] == 93):
        return s, e + 1
    if low == -1 and depth == -1 and s > 0 and (cps[base + s - 1] == 40 or cps[base + s - 1] == 91):
        return s - 1, e
    return s, e


@njit(cache=True, nogil=True)
def _is_currency(c):  # type: ignore[no-untyped-def]
    """``$``, ``£``, ``€``, ``¥``: signs printed against the number they qualify."""
    return c == 36 or c == 163 or c == 8364 or c == 165


@njit(cache=True, nogil=True)
def attach_signs(cps, base, length, s, e):  # type: ignore[no-untyped-def]
    """Widen a non-empty span ``s:e`` to the signs glued to its words: ``$5 million``, ``15%``, ``U.S.``.

    Tokens hold letters and digits only, so a substitution would otherwise read ``5 million`` for
    ``$5 million`` and ``U.S`` for ``U.S.``.
    """
    if e <= s:
        return s, e
    while s > 0 and _is_currency(cps[base + s - 1]):
        s -= 1
    if e < length and cps[base + e] == 37:
        e += 1
    elif e < length and e - s >= 3 and cps[base + e] == 46 and cps[base + e - 2] == 46:
        e += 1  # an abbreviation's closing full stop (U.S., U.K.)
    return s, e


@njit(cache=True, nogil=True)
def _grow(arr, need):  # type: ignore[no-untyped-def]
    """``arr`` with at least ``need`` rows (doubling), its rows kept."""
    if need <= arr.shape[0]:
        return arr
    rows = max(need, 2 * arr.shape[0])
    out = np.empty((rows, arr.shape[1]), dtype=arr.dtype)
    out[: arr.shape[0]] = arr
    return out


@njit(cache=True, nogil=True)
def _edit_offsets(row, starts, ends, base_a, base_b, out):  # type: ignore[no-untyped-def]
    """Character offsets of an edit row: the edited words' span, or for the empty side the end of the word before."""
    out[E_OP] = row[E_OP]
    if row[E_OP] == EDIT_INS:
        out[1] = ends[base_a + row[E_A_LO] - 1]
        out[2] = out[1]
    else:
        out[1] = starts[base_a + row[E_A_LO]]
        out[2] = ends[base_a + row[E_A_HI] - 1]
    if row[E_OP] == EDIT_DEL:
        out[3] = ends[base_b + row[E_B_LO] - 1]
        out[4] = out[3]
    else:
        out[3] = starts[base_b + row[E_B_LO]]
        out[4] = ends[base_b + row[E_B_HI] - 1]


@njit(cache=True, nogil=True)
def align_batch(hashes, doc_ptr, starts, ends, cps, cp_start, cp_len, pairs, prm, ws, brk):  # type: ignore[no-untyped-def]
    """Align every pair ``(i, j)`` of ``pairs``; returns ``(pair_ptr, passages, edits, stats)``.

    ``passages`` rows (``O_*`` columns): character spans in a and b, words, matched, aligned
    columns and the end of the passage's edits in ``edits`` (rows: op, a start, a end, b start,
    b end). ``pair_ptr[p]:pair_ptr[p + 1]`` are pair ``p``'s passages, in the order of a.
    ``stats`` rows (``S_*``): words of a and b, words inside passages on each side, matched words.
    """
    npairs = pairs.shape[0]
    ndocs = len(doc_ptr) - 1
    for d in range(ndocs):
        if cp_len[d] >= 0:
            token_breaks(cps, cp_start[d], starts, ends, doc_ptr[d], doc_ptr[d + 1], brk)
    max_words = 1
    for d in range(ndocs):
        max_words = max(max_words, doc_ptr[d + 1] - doc_ptr[d])
    pas = np.empty((max_words + 1, 9), dtype=np.int64)
    ed = np.empty((2 * max_words + 2, EDIT_COLS), dtype=np.int64)
    out_p = np.empty((max(16, npairs * 4), OUT_PASSAGE_COLS), dtype=np.int64)
    out_e = np.empty((max(16, npairs * 16), EDIT_COLS), dtype=np.int64)
    pair_ptr = np.zeros(npairs + 1, dtype=np.int64)
    stats = np.zeros((npairs, 5), dtype=np.int64)
    np_out = 0
    ne_out = 0
    for p in range(npairs):
        i = pairs[p, 0]
        j = pairs[p, 1]
        a_lo, a_hi = doc_ptr[i], doc_ptr[i + 1]
        b_lo, b_hi = doc_ptr[j], doc_ptr[j + 1]
        npas, ne = align_one(hashes[a_lo:a_hi], hashes[b_lo:b_hi], brk[a_lo:a_hi], brk[b_lo:b_hi], prm, ws, p, pas, ed)
        order = np.argsort(pas[:npas, P_A_LO])
        out_p = _grow(out_p, np_out + npas)
        out_e = _grow(out_e, ne_out + ne)
        st = stats[p]
        st[S_N_A] = a_hi - a_lo
        st[S_N_B] = b_hi - b_lo
        for x in range(npas):
            row = pas[order[x]]
            o = out_p[np_out]
            o[O_A_START] = starts[a_lo + row[P_A_LO]]
            o[O_A_END] = ends[a_lo + row[P_A_HI] - 1]
            o[O_B_START] = starts[b_lo + row[P_B_LO]]
            o[O_B_END] = ends[b_lo + row[P_B_HI] - 1]
            o[O_WORDS] = row[P_WORDS]
            o[O_MATCHED] = row[P_MATCHED]
            o[O_ALIGNED] = row[P_ALIGNED]
            st[S_IN_A] += row[P_A_HI] - row[P_A_LO]
            st[S_IN_B] += row[P_B_HI] - row[P_B_LO]
            st[S_MATCHED] += row[P_MATCHED]
            for e in range(row[P_E_LO], row[P_E_HI]):
                oe = out_e[ne_out]
                _edit_offsets(ed[e], starts, ends, a_lo, b_lo, oe)
                one_sided = oe[E_OP] != EDIT_SUB
                oe[1], oe[2] = balance_brackets(cps, cp_start[i], cp_len[i], oe[1], oe[2], one_sided)
                oe[3], oe[4] = balance_brackets(cps, cp_start[j], cp_len[j], oe[3], oe[4], one_sided)
                oe[1], oe[2] = attach_signs(cps, cp_start[i], cp_len[i], oe[1], oe[2])
                oe[3], oe[4] = attach_signs(cps, cp_start[j], cp_len[j], oe[3], oe[4])
                ne_out += 1
            o[O_EDIT_END] = ne_out
            np_out += 1
        pair_ptr[p + 1] = np_out
    return pair_ptr, out_p[:np_out], out_e[:ne_out], stats
