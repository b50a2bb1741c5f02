"""Word-level alignment of the stretches anchors do not cover: gaps between runs, and the ends of a chain.

A gap with words on both sides gets a banded global alignment with affine gaps (Gotoh); a gap with
words on one side only is an insertion or deletion, slid (when the words around it allow) to the
position with the strongest breaks at both ends. The ends of a chain get a banded extension with
a free end point (BLAST's gapped extension), which picks up an edited first or last sentence.

Operations go to ``opc`` (code), ``opi`` and ``opj``: the a and b word indexes of the operation,
or for a one-sided operation the index of the next word on the other side.
"""

from __future__ import annotations

import numpy as np

from copydesk.kernels import njit

OP_MATCH, OP_SUB, OP_DEL, OP_INS, OP_PARA_DEL, OP_PARA_INS = 0, 1, 2, 3, 4, 5
# Strength of the break before a word: what separates it from the previous word.
BRK_NONE, BRK_CLAUSE, BRK_SENTENCE, BRK_PARAGRAPH = 0, 1, 2, 3
_NEG = -1.0e30
_MAX_SHIFT = 32


@njit(cache=True, nogil=True)
def gap_estimate(da, db, prm):  # type: ignore[no-untyped-def]
    """Score of a gap of ``da`` and ``db`` words if all shared columns are substitutions (chaining's estimate)."""
    score = min(da, db) * prm.mismatch
    extra = abs(da - db)
    if extra > 0:
        score += prm.gap_open + extra * prm.gap_extend
    return score


@njit(cache=True, nogil=True)
def brk_at(brk, idx):  # type: ignore[no-untyped-def]
    """Break before word ``idx``; both ends of the text count as paragraph breaks."""
    if idx >= len(brk) or idx < 0:
        return BRK_PARAGRAPH
    return brk[idx]


@njit(cache=True, nogil=True)
def _best3(x, y, z):  # type: ignore[no-untyped-def]
    """The largest of three scores and which it was (0, 1, 2; the first on ties)."""
    if x >= y and x >= z:
        return x, 0
    if y >= z:
        return y, 1
    return z, 2


@njit(cache=True, nogil=True)
def _word(h, x0, i, fwd):  # type: ignore[no-untyped-def]
    """The ``i``-th word (1-based) away from ``x0``: rightwards from ``x0`` when ``fwd``, else leftwards."""
    return h[x0 + i - 1] if fwd else h[x0 - i]


@njit(cache=True, nogil=True)
def _fill_band(ha, hb, a0, da, b0, db, fwd, dlo, dhi, prm, ws):  # type: ignore[no-untyped-def]
    """Fill the Gotoh matrices for diagonals ``dlo..dhi`` (``j - i``), starting after a match at (0, 0).

    State 0 ends in a (mis)match, 1 in a deletion (a word of a only), 2 in an insertion.
    """
    sm, sx, sy, tm, tx, ty, _ = ws
    width = db + 1
    open1 = prm.gap_open + prm.gap_extend
    ext = prm.gap_extend
    for i in range(da + 1):
        for j in range(max(0, i + dlo), min(db, i + dhi) + 1):
            idx = i * width + j
            if i == 0 and j == 0:
                sm[idx] = 0.0
                sx[idx] = _NEG
                sy[idx] = _NEG
                continue
            m = _NEG
            if i > 0 and j > 0:
                p = idx - width - 1
                m, tm[idx] = _best3(sm[p], sx[p], sy[p])
                m += prm.match if _word(ha, a0, i, fwd) == _word(hb, b0, j, fwd) else prm.mismatch
            sm[idx] = m
            x = _NEG
            if i > 0 and j - i + 1 <= dhi:
                p = idx - width
                x, tx[idx] = _best3(sm[p] + open1, sx[p] + ext, sy[p] + open1)
            sx[idx] = x
            y = _NEG
            if j > 0 and j - 1 - i >= dlo:
                p = idx - 1
                y, ty[idx] = _best3(sm[p] + open1, sx[p] + open1, sy[p] + ext)
            sy[idx] = y


@njit(cache=True, nogil=True)
def _traceback(ha, hb, a0, b0, fwd, i, j, state, db, ws):  # type: ignore[no-untyped-def]
    """Codes of the path from cell ``(i, j)`` in ``state`` back to (0, 0), into the buffer; returns their count."""
    _, _, _, tm, tx, ty, rev = ws
    width = db + 1
    count = 0
    while i > 0 or j > 0:
        idx = i * width + j
        if state == 0:
            rev[count] = OP_MATCH if _word(ha, a0, i, fwd) == _word(hb, b0, j, fwd) else OP_SUB
            state = tm[idx]
            i -= 1
            j -= 1
        elif state == 1:
            rev[count] = OP_DEL
            state = tx[idx]
            i -= 1
        else:
            rev[count] = OP_INS
            state = ty[idx]
            j -= 1
        count += 1
    return count


@njit(cache=True, nogil=True)
def _emit(rev, lo, hi, step, i, j, opc, opi, opj, no):  # type: ignore[no-untyped-def]
    """Append codes ``rev[lo]``, ``rev[lo + step]``... (until ``hi``) as ops starting at words ``(i, j)``."""
    t = lo
    while t != hi:
        code = rev[t]
        opc[no] = code
        opi[no] = i
        opj[no] = j
        if code != OP_INS:
            i += 1
        if code != OP_DEL:
            j += 1
        no += 1
        t += step
    return no


@njit(cache=True, nogil=True)
def gap_dp(ha, hb, a0, a1, b0, b1, prm, ws, opc, opi, opj, no):  # type: ignore[no-untyped-def]
    """Append the best banded affine-gap alignment of ``a[a0:a1]`` with ``b[b0:b1]``; returns the new op count.

    The band spans the diagonals between the gap's two corners, widened by ``band`` each way.
    """
    sm, sx, sy = ws[0], ws[1], ws[2]
    da = a1 - a0
    db = b1 - b0
    dlo = min(0, db - da) - prm.band
    dhi = max(0, db - da) + prm.band
    _fill_band(ha, hb, a0, da, b0, db, True, dlo, dhi, prm, ws)
    end = da * (db + 1) + db
    _, state = _best3(sm[end], sx[end], sy[end])
    count = _traceback(ha, hb, a0, b0, True, da, db, state, db, ws)
    return _emit(ws[6], count - 1, -1, -1, a0, b0, opc, opi, opj, no)


@njit(cache=True, nogil=True)
def extend_dp(ha, hb, bra, brb, a0, a_lim, b0, b_lim, fwd, prm, ws, opc, opi, opj, no):  # type: ignore[no-untyped-def]
    """Append the best-scoring banded extension from a chain end; returns the new op count.

    Rightwards (``fwd``) from words ``(a0, b0)`` up to ``a_lim``/``b_lim`` (exclusive), or leftwards
    from just before them down to the limits (inclusive). The end point is free but must be a
    match; reaching a paragraph boundary on both sides earns ``paragraph_bonus``.
    """
    sm = ws[0]
    da = min(prm.max_gap, a_lim - a0 if fwd else a0 - a_lim)
    db = min(prm.max_gap, b_lim - b0 if fwd else b0 - b_lim)
    if da <= 0 or db <= 0:
        return no
    _fill_band(ha, hb, a0, da, b0, db, fwd, -prm.band, prm.band, prm, ws)
    width = db + 1
    best = _bonus(bra, brb, a0, b0, 0, 0, fwd, prm)
    bi = 0
    bj = 0
    for i in range(1, da + 1):
        for j in range(max(1, i - prm.band), min(db, i + prm.band) + 1):
            if _word(ha, a0, i, fwd) != _word(hb, b0, j, fwd):
                continue
            v = sm[i * width + j] + _bonus(bra, brb, a0, b0, i, j, fwd, prm)
            if v > best:
                best = v
                bi = i
                bj = j
    if bi == 0:
        return no
    count = _traceback(ha, hb, a0, b0, fwd, bi, bj, 0, db, ws)
    if fwd:
        return _emit(ws[6], count - 1, -1, -1, a0, b0, opc, opi, opj, no)
    return _emit(ws[6], 0, count, 1, a0 - bi, b0 - bj, opc, opi, opj, no)


@njit(cache=True, nogil=True)
def _bonus(bra, brb, a0, b0, i, j, fwd, prm):  # type: ignore[no-untyped-def]
    """``paragraph_bonus`` when an extension of ``i``/``j`` words ends at a paragraph boundary on both sides."""
    ea = a0 + i if fwd else a0 - i
    eb = b0 + j if fwd else b0 - j
    if brk_at(bra, ea) == BRK_PARAGRAPH and brk_at(brb, eb) == BRK_PARAGRAPH:
        return prm.paragraph_bonus
    return 0.0


@njit(cache=True, nogil=True)
def one_sided_gap(h, brk, g0, g1, other, on_a, opc, opi, opj, no):  # type: ignore[no-untyped-def]
    """Append words ``g0:g1`` of one side (a when ``on_a``) as a deletion or insertion at ``other``.

    The run can slide left by ``t`` words when the ``t`` words before it equal its last ``t``
    (and were matched just before): it goes where the breaks before its first word and after its
    last word are strongest, so a cut paragraph ends up exactly between paragraphs.
    """
    best_t = 0
    best = brk_at(brk, g0) + brk_at(brk, g1)
    t = 0
    while t < _MAX_SHIFT and no - 1 - t >= 0 and opc[no - 1 - t] == OP_MATCH and g0 - 1 - t >= 0:
        mine = opi[no - 1 - t] if on_a else opj[no - 1 - t]
        theirs = opj[no - 1 - t] if on_a else opi[no - 1 - t]
        if mine != g0 - 1 - t or theirs != other - 1 - t or h[g0 - 1 - t] != h[g1 - 1 - t]:
            break
        t += 1
        score = brk_at(brk, g0 - t) + brk_at(brk, g1 - t)
        if score > best:
            best = score
            best_t = t
    no -= best_t
    pos = other - best_t
    for w in range(g0 - best_t, g1 - best_t):
        opc[no] = OP_DEL if on_a else OP_INS
        opi[no] = w if on_a else pos
        opj[no] = pos if on_a else w
        no += 1
    for x in range(best_t):
        opc[no] = OP_MATCH
        opi[no] = g1 - best_t + x if on_a else pos + x
        opj[no] = pos + x if on_a else g1 - best_t + x
        no += 1
    return no


@njit(cache=True, nogil=True)
def mark_paragraph_indels(opc, opi, opj, no, bra, brb):  # type: ignore[no-untyped-def]
    """Recode each one-sided run that is exactly whole paragraphs, between paragraphs of the other side.

    A cut or added paragraph is a structural edit: the passage ends there, whatever its length.
    """
    t = 0
    while t < no:
        code = opc[t]
        if code != OP_DEL and code != OP_INS:
            t += 1
            continue
        u = t
        while t < no and opc[t] == code:
            t += 1
        if code == OP_DEL:
            whole = brk_at(bra, opi[u]) == BRK_PARAGRAPH and brk_at(bra, opi[t - 1] + 1) == BRK_PARAGRAPH
            between = brk_at(brb, opj[u]) == BRK_PARAGRAPH
        else:
            whole = brk_at(brb, opj[u]) == BRK_PARAGRAPH and brk_at(brb, opj[t - 1] + 1) == BRK_PARAGRAPH
            between = brk_at(bra, opi[u]) == BRK_PARAGRAPH
        if whole and between:
            opc[u:t] = OP_PARA_DEL if code == OP_DEL else OP_PARA_INS


def gap_workspace(max_gap: int) -> tuple[np.ndarray, ...]:
    """Matrices for ``gap_dp`` and ``extend_dp`` on stretches of up to ``max_gap`` words a side."""
    cells = (max_gap + 1) * (max_gap + 1)
    return (
        np.empty(cells, dtype=np.float64),
        np.empty(cells, dtype=np.float64),
        np.empty(cells, dtype=np.float64),
        np.zeros(cells, dtype=np.int8),
        np.zeros(cells, dtype=np.int8),
        np.zeros(cells, dtype=np.int8),
        np.empty(2 * max_gap + 2, dtype=np.int8),
    )
