"""The compiled aligner: one pair (``align_one``) and a batch of pairs (``align_batch``).

Per pair: unique n-gram anchors grown into exact runs; then rounds of local chaining (a longest
increasing chain scored with estimated gap costs, over the runs not yet used and not crossing a
passage already found): each round's best chain becomes word operations, is cut into passages
by X-drop and trimmed at paragraph breaks. Later rounds pick up moved paragraphs.
"""

from __future__ import annotations

import numpy as np

from copydesk.align._anchors import anchor_runs, kgram_hashes, table_size, unique_anchors
from copydesk.align._gapfill import (
    OP_MATCH,
    extend_dp,
    gap_dp,
    gap_estimate,
    gap_workspace,
    mark_paragraph_indels,
    one_sided_gap,
)
from copydesk.align._passages import (
    P_A_HI,
    P_A_LO,
    P_ALIGNED,
    P_B_HI,
    P_B_LO,
    P_E_HI,
    P_E_LO,
    P_MATCHED,
    P_WORDS,
    passage_counts,
    segment_edits,
    trim_edges,
    xdrop_segments,
)
from copydesk.kernels import njit

# Columns of the batch outputs (character offsets into the original texts).
O_A_START, O_A_END, O_B_START, O_B_END, O_WORDS, O_MATCHED, O_ALIGNED, O_EDIT_END = range(8)
OUT_PASSAGE_COLS = 8
S_N_A, S_N_B, S_IN_A, S_IN_B, S_MATCHED = range(5)


@njit(cache=True, nogil=True)
def best_chain(ra, rb, rl, nr, avail, psa, psb, prm, f, pred, trim):  # type: ignore[no-untyped-def]
    """Local chaining DP over the available runs; returns the run ending the best chain and its score.

    ``f[q]``: best score of a chain ending with run ``q`` (its words, minus estimated gap costs);
    a predecessor must end before ``q`` on both sides (``q`` trimmed at its start if they overlap),
    be within ``max_gap`` words and ``chain_drop`` of score, with no covered word in between.
    """
    best = -1
    best_score = -1.0e30
    for q in range(nr):
        if not avail[q]:
            continue
        fq = rl[q] * prm.match
        pq = -1
        tq = 0
        for p in range(q - 1, max(-1, q - 1 - prm.lookback), -1):
            if not avail[p] or rb[p] >= rb[q] or ra[p] >= ra[q]:
                continue
            pae = ra[p] + rl[p]
            pbe = rb[p] + rl[p]
            ov = max(0, pae - ra[q], pbe - rb[q])
            if ov >= rl[q]:
                continue
            qa = ra[q] + ov
            qb = rb[q] + ov
            da = qa - pae
            db = qb - pbe
            if da > prm.max_gap or db > prm.max_gap:
                continue
            if psa[qa] != psa[pae] or psb[qb] != psb[pbe]:
                continue
            est = gap_estimate(da, db, prm)
            if est < -prm.chain_drop:
                continue
            v = f[p] + (rl[q] - ov) * prm.match + est
            if v > fq:
                fq = v
                pq = p
                tq = ov
        f[q] = fq
        pred[q] = pq
        trim[q] = tq
        if fq > best_score:
            best_score = fq
            best = q
    return best, best_score


@njit(cache=True, nogil=True)
def _free_until(cov, x, step, limit):  # type: ignore[no-untyped-def]
    """How far from word ``x`` (exclusive) the words stay uncovered, moving by ``step``, at most ``limit`` words.

    Returns the limit index: exclusive going right, inclusive going left.
    """
    count = 0
    if step > 0:
        while x < len(cov) and count < limit and cov[x] == 0:
            x += 1
            count += 1
        return x
    while x > 0 and count < limit and cov[x - 1] == 0:
        x -= 1
        count += 1
    return x


@njit(cache=True, nogil=True)
def chain_ops(ha, hb, bra, brb, chain, ctrim, nc, ra, rb, rl, cov_a, cov_b, prm, gws, opc, opi, opj):  # type: ignore[no-untyped-def]
    """Write the word operations of a chain of runs (each trimmed at its start by ``ctrim``); returns their count.

    Gaps between runs are aligned; the chain is extended at both ends into uncovered words.
    """
    first = chain[0]
    a_lim = _free_until(cov_a, ra[first], -1, prm.max_gap)
    b_lim = _free_until(cov_b, rb[first], -1, prm.max_gap)
    no = extend_dp(ha, hb, bra, brb, ra[first], a_lim, rb[first], b_lim, False, prm, gws, opc, opi, opj, 0)
    pae = 0
    pbe = 0
    for c in range(nc):
        r = chain[c]
        t = ctrim[c]
        a0 = ra[r] + t
        b0 = rb[r] + t
        length = rl[r] - t
        if c > 0:
            da = a0 - pae
            db = b0 - pbe
            if da > 0 and db > 0:
                no = gap_dp(ha, hb, pae, a0, pbe, b0, prm, gws, opc, opi, opj, no)
            elif da > 0:
                no = one_sided_gap(ha, bra, pae, a0, b0, True, opc, opi, opj, no)
            elif db > 0:
                no = one_sided_gap(hb, brb, pbe, b0, a0, False, opc, opi, opj, no)
        for x in range(length):
            opc[no] = OP_MATCH
            opi[no] = a0 + x
            opj[no] = b0 + x
            no += 1
        pae = a0 + length
        pbe = b0 + length
    a_lim = _free_until(cov_a, pae, 1, prm.max_gap)
    b_lim = _free_until(cov_b, pbe, 1, prm.max_gap)
    no = extend_dp(ha, hb, bra, brb, pae, a_lim, pbe, b_lim, True, prm, gws, opc, opi, opj, no)
    mark_paragraph_indels(opc, opi, opj, no, bra, brb)
    return no


@njit(cache=True, nogil=True)
def _clip_run(r, ra, rb, rl, cov_a, cov_b):  # type: ignore[no-untyped-def]
    """Shrink run ``r`` to its longest stretch of words uncovered on both sides; False if none is left.

    A run that overlaps a passage found earlier by a word or two (a shared "He" between two copied
    passages) still anchors its own passage.
    """
    best_lo = 0
    best_len = 0
    lo = 0
    for x in range(rl[r] + 1):
        if x == rl[r] or cov_a[ra[r] + x] or cov_b[rb[r] + x]:
            if x - lo > best_len:
                best_lo = lo
                best_len = x - lo
            lo = x + 1
    ra[r] += best_lo
    rb[r] += best_lo
    rl[r] = best_len
    return best_len > 0


@njit(cache=True, nogil=True)
def _prefix(cov, ps):  # type: ignore[no-untyped-def]
    """Prefix sums of the coverage flags: ``ps[y] - ps[x]`` covered words in ``x:y``."""
    ps[0] = 0
    for i in range(len(cov)):
        ps[i + 1] = ps[i] + cov[i]


@njit(cache=True, nogil=True)
def _emit_chain(q, pred, trim, chain, ctrim):  # type: ignore[no-untyped-def]
    """Backtrack the chain ending at run ``q`` into ``chain``/``ctrim`` in order; returns its length."""
    nc = 0
    while q >= 0:
        chain[nc] = q
        ctrim[nc] = trim[q]
        nc += 1
        q = pred[q]
    chain[:nc] = chain[:nc][::-1].copy()
    ctrim[:nc] = ctrim[:nc][::-1].copy()
    ctrim[0] = 0
    return nc


@njit(cache=True, nogil=True)
def _keep_segments(ha, hb, bra, brb, prm, ops, nseg, seg_lo, seg_hi, pas, npas, edits, ne, cov_a, cov_b):  # type: ignore[no-untyped-def]
    """Trim each segment, build its edits and counts, keep those long and faithful enough; returns counts."""
    opc, opi, opj = ops
    for s in range(nseg):
        lo, hi = trim_edges(opc, opi, opj, seg_lo[s], seg_hi[s], bra, brb, prm.edge_words)
        if hi <= lo:
            continue
        e_lo = ne
        e_hi = segment_edits(opc, opi, opj, lo, hi, prm.merge_words, edits, ne)
        _, matched, words, aligned = passage_counts(opi, opj, lo, hi, edits, e_lo, e_hi)
        if words < prm.min_words or matched < prm.min_identity * aligned:
            continue
        ne = e_hi
        row = pas[npas]
        row[P_A_LO] = opi[lo]
        row[P_A_HI] = opi[hi - 1] + 1
        row[P_B_LO] = opj[lo]
        row[P_B_HI] = opj[hi - 1] + 1
        row[P_E_LO] = e_lo
        row[P_E_HI] = e_hi
        row[P_MATCHED] = matched
        row[P_WORDS] = words
        row[P_ALIGNED] = aligned
        cov_a[row[P_A_LO] : row[P_A_HI]] = 1
        cov_b[row[P_B_LO] : row[P_B_HI]] = 1
        npas += 1
    return npas, ne


@njit(cache=True, nogil=True)
def align_one(ha, hb, bra, brb, prm, ws, stamp, pas, edits):  # type: ignore[no-untyped-def]
    """Align two texts' word hashes; writes passage rows (token indexes) and edit rows; returns their counts."""
    (ga, gb, tkey, tstamp, tca, tcb, tpb, slot_a, anc_a, anc_b, ra, rb, rl, avail, f, pred, trim, chain, ctrim,
     cov_a, cov_b, psa, psb, opc, opi, opj, seg_lo, seg_hi, gws) = ws  # fmt: skip
    n = len(ha)
    m = len(hb)
    k = prm.k
    na = kgram_hashes(ha, k, ga)
    nb = kgram_hashes(hb, k, gb)
    if na == 0 or nb == 0:
        return 0, 0
    n_anchors = unique_anchors(ga, na, gb, nb, tkey, tstamp, tca, tcb, tpb, slot_a, stamp, anc_a, anc_b)
    nr = anchor_runs(ha, hb, k, anc_a, anc_b, n_anchors, ra, rb, rl)
    avail[:nr] = True
    cov_a[:n] = 0
    cov_b[:m] = 0
    ca = cov_a[:n]
    cb = cov_b[:m]
    _prefix(ca, psa)
    _prefix(cb, psb)
    npas = 0
    ne = 0
    ops = (opc, opi, opj)
    while True:
        q, score = best_chain(ra, rb, rl, nr, avail, psa, psb, prm, f, pred, trim)
        if q < 0 or score < prm.min_chain_score:
            break
        nc = _emit_chain(q, pred, trim, chain, ctrim)
        for c in range(nc):
            avail[chain[c]] = False
        no = chain_ops(ha, hb, bra, brb, chain, ctrim, nc, ra, rb, rl, ca, cb, prm, gws, opc, opi, opj)
        nseg = xdrop_segments(opc, opi, opj, no, bra, brb, prm, seg_lo, seg_hi)
        before = npas
        npas, ne = _keep_segments(ha, hb, bra, brb, prm, ops, nseg, seg_lo, seg_hi, pas, npas, edits, ne, ca, cb)
        if npas > before:
            _prefix(ca, psa)
            _prefix(cb, psb)
            for r in range(nr):
                if avail[r] and (psa[ra[r] + rl[r]] != psa[ra[r]] or psb[rb[r] + rl[r]] != psb[rb[r]]):
                    avail[r] = _clip_run(r, ra, rb, rl, ca, cb)
    return npas, ne


def workspace(max_n: int, max_m: int, max_gap: int) -> tuple[np.ndarray | tuple[np.ndarray, ...], ...]:
    """Scratch arrays for ``align_one`` on texts of up to ``max_n`` (a) and ``max_m`` (b) words."""
    size = table_size(max_n)
    ops = max_n + max_m + 2
    runs = max_n + 1
    return (
        np.empty(max_n + 1, dtype=np.uint64),
        np.empty(max_m + 1, dtype=np.uint64),
        np.empty(size, dtype=np.uint64),
        np.full(size, -1, dtype=np.int64),
        np.empty(size, dtype=np.int32),
        np.empty(size, dtype=np.int32),
        np.empty(size, dtype=np.int64),
        np.empty(max_n + 1, dtype=np.int64),
        np.empty(runs, dtype=np.int64),
        np.empty(runs, dtype=np.int64),
        np.empty(runs, dtype=np.int64),
        np.empty(runs, dtype=np.int64),
        np.empty(runs, dtype=np.int64),
        np.zeros(runs, dtype=np.bool_),
        np.empty(runs, dtype=np.float64),
        np.empty(runs, dtype=np.int64),
        np.empty(runs, dtype=np.int64),
        np.empty(runs, dtype=np.int64),
        np.empty(runs, dtype=np.int64),
        np.zeros(max_n + 1, dtype=np.int8),
        np.zeros(max_m + 1, dtype=np.int8),
        np.zeros(max_n + 2, dtype=np.int64),
        np.zeros(max_m + 2, dtype=np.int64),
        np.empty(ops, dtype=np.int8),
        np.empty(ops, dtype=np.int64),
        np.empty(ops, dtype=np.int64),
        np.empty(ops, dtype=np.int64),
        np.empty(ops, dtype=np.int64),
        gap_workspace(max_gap),
    )
