"""From a chain's word operations to passages: X-drop segmentation, edge trimming, edits and counts."""

from __future__ import annotations

from copydesk.align._gapfill import BRK_PARAGRAPH, OP_DEL, OP_INS, OP_MATCH, OP_PARA_DEL, OP_PARA_INS, brk_at
from copydesk.kernels import njit

# Columns of a passage row (token indexes; ``a_hi``/``b_hi`` exclusive).
P_A_LO, P_A_HI, P_B_LO, P_B_HI, P_E_LO, P_E_HI, P_MATCHED, P_WORDS, P_ALIGNED = range(9)
PASSAGE_COLS = 9
# Columns of an edit row (token indexes; ``a_lo == a_hi`` for an insertion, likewise b for a deletion).
E_OP, E_A_LO, E_A_HI, E_B_LO, E_B_HI = range(5)
EDIT_COLS = 5
EDIT_SUB, EDIT_INS, EDIT_DEL = 0, 1, 2


@njit(cache=True, nogil=True)
def op_score(code, prev, prm):  # type: ignore[no-untyped-def]
    """Score of one word operation given the previous one (a one-sided run pays its opening once)."""
    if code == OP_MATCH:
        return prm.match
    if code == OP_DEL or code == OP_INS:
        return prm.gap_extend if prev == code else prm.gap_open + prm.gap_extend
    if code == OP_PARA_DEL or code == OP_PARA_INS:
        return -1.0e30
    return prm.mismatch


@njit(cache=True, nogil=True)
def _boundary(t, opc, opi, opj, bra, brb, after, prm):  # type: ignore[no-untyped-def]
    """``paragraph_bonus`` when op ``t`` (a match) starts (or, ``after``, ends) a paragraph on both sides."""
    if opc[t] != OP_MATCH:
        return 0.0
    shift = 1 if after else 0
    if brk_at(bra, opi[t] + shift) == BRK_PARAGRAPH and brk_at(brb, opj[t] + shift) == BRK_PARAGRAPH:
        return prm.paragraph_bonus
    return 0.0


@njit(cache=True, nogil=True)
def xdrop_segments(opc, opi, opj, no, bra, brb, prm, seg_lo, seg_hi):  # type: ignore[no-untyped-def]
    """Split ops ``0:no`` into segments that start and end on matches; returns how many.

    A segment ends at its best running score once the score falls ``xdrop`` below that best (a
    cut or added paragraph drops it at once), or to zero (then nothing before is worth keeping);
    the next starts at the next match. Paragraph boundaries matched on both sides add
    ``paragraph_bonus``, so an edit next to the end of a paragraph stays in its passage.
    """
    count = 0
    inside = False
    start = 0
    best_end = 0
    score = 0.0
    best = 0.0
    prev = -1
    for t in range(no):
        code = opc[t]
        if not inside:
            if code != OP_MATCH:
                continue
            inside = True
            start = t
            score = _boundary(t, opc, opi, opj, bra, brb, False, prm)
            best = 0.0
            prev = -1
        score += op_score(code, prev, prm) + _boundary(t, opc, opi, opj, bra, brb, True, prm)
        prev = code
        if score > best:
            best = score
            best_end = t + 1
        if score < best - prm.xdrop or score <= 0.0:
            if best > 0.0:
                seg_lo[count] = start
                seg_hi[count] = best_end
                count += 1
            inside = False
    if inside and best > 0.0:
        seg_lo[count] = start
        seg_hi[count] = best_end
        count += 1
    return count


@njit(cache=True, nogil=True)
def _starts_paragraph(t, opc, opi, opj, bra, brb):  # type: ignore[no-untyped-def]
    """Whether op ``t`` consumes a word that opens a paragraph on its side."""
    code = opc[t]
    if code != OP_INS and bra[opi[t]] == BRK_PARAGRAPH:
        return True
    return code != OP_DEL and brb[opj[t]] == BRK_PARAGRAPH


@njit(cache=True, nogil=True)
def trim_edges(opc, opi, opj, lo, hi, bra, brb, edge):  # type: ignore[no-untyped-def]
    """Cut a segment at a paragraph break within its first or last ``edge`` ops; keep it on matches.

    Words matched across a cut or rewritten paragraph ("The" opening both) are chance matches.
    """
    for t in range(max(lo + 1, hi - edge), hi):
        if _starts_paragraph(t, opc, opi, opj, bra, brb):
            hi = t
            break
    while hi > lo and opc[hi - 1] != OP_MATCH:
        hi -= 1
    for t in range(min(hi - 1, lo + edge), lo, -1):
        if _starts_paragraph(t, opc, opi, opj, bra, brb):
            lo = t
            break
    while lo < hi and opc[lo] != OP_MATCH:
        lo += 1
    return lo, hi


@njit(cache=True, nogil=True)
def _size(e, edits):  # type: ignore[no-untyped-def]
    """Words of the longer side of edit row ``e``."""
    return max(edits[e, E_A_HI] - edits[e, E_A_LO], edits[e, E_B_HI] - edits[e, E_B_LO])


@njit(cache=True, nogil=True)
def segment_edits(opc, opi, opj, lo, hi, merge_words, edits, ne):  # type: ignore[no-untyped-def]
    """Append the edits of segment ``lo:hi`` (maximal runs of non-matches) to ``edits``; returns the new count.

    Two edits separated by at most ``merge_words`` matched words, no more than either edit's
    length, become one substitution.
    """
    first = ne
    t = lo
    while t < hi:
        if opc[t] == OP_MATCH:
            t += 1
            continue
        u = t
        while opc[t] != OP_MATCH:
            t += 1
        a_lo = opi[u - 1] + 1
        a_hi = opi[t]
        b_lo = opj[u - 1] + 1
        b_hi = opj[t]
        gap = a_lo - edits[ne - 1, E_A_HI] if ne > first else merge_words + 1
        if ne > first and gap <= merge_words and gap <= _size(ne - 1, edits):
            size_new = max(a_hi - a_lo, b_hi - b_lo)
            if gap <= size_new:
                edits[ne - 1, E_A_HI] = a_hi
                edits[ne - 1, E_B_HI] = b_hi
                continue
        edits[ne, E_A_LO] = a_lo
        edits[ne, E_A_HI] = a_hi
        edits[ne, E_B_LO] = b_lo
        edits[ne, E_B_HI] = b_hi
        ne += 1
    for e in range(first, ne):
        if edits[e, E_A_HI] == edits[e, E_A_LO]:
            edits[e, E_OP] = EDIT_INS
        elif edits[e, E_B_HI] == edits[e, E_B_LO]:
            edits[e, E_OP] = EDIT_DEL
        else:
            edits[e, E_OP] = EDIT_SUB
    return ne


@njit(cache=True, nogil=True)
def passage_counts(opi, opj, lo, hi, edits, e_lo, e_hi):  # type: ignore[no-untyped-def]
    """``(a_words, matched, words, aligned)`` of a segment with edits ``e_lo:e_hi`` (see ``Passage``)."""
    a_words = opi[hi - 1] - opi[lo] + 1
    matched = a_words
    words = 0
    aligned = 0
    for e in range(e_lo, e_hi):
        size = _size(e, edits)
        matched -= edits[e, E_A_HI] - edits[e, E_A_LO]
        aligned += size
        if edits[e, E_OP] == EDIT_SUB:
            words += size
    return a_words, matched, matched + words, matched + aligned
