"""Anchors: word n-grams that occur exactly once in each text, grown into maximal exact runs.

Compiled kernels over token-hash arrays; no Python objects. A run is ``(a0, b0, length)``: words
``a[a0:a0+length]`` equal ``b[b0:b0+length]``, and it cannot be extended either way.
"""

from __future__ import annotations

import numpy as np

from copydesk.kernels import njit
from copydesk.text import finish_hash


@njit(cache=True, nogil=True)
def kgram_hashes(h, k, out):  # type: ignore[no-untyped-def]
    """Hash of every ``k`` consecutive word hashes of ``h`` into ``out``; returns how many (0 if too short)."""
    n = len(h) - k + 1
    for i in range(n):
        g = np.uint64(k)
        for t in range(k):
            g = ((g << np.uint64(13)) | (g >> np.uint64(51))) ^ h[i + t]
        out[i] = finish_hash(g)
    return max(n, 0)


@njit(cache=True, nogil=True)
def table_size(n):  # type: ignore[no-untyped-def]
    """The power of two at least ``2 n`` (at least 16): the open-addressing table for ``n`` keys."""
    size = 16
    while size < 2 * n:
        size *= 2
    return size


@njit(cache=True, nogil=True)
def unique_anchors(ga, na, gb, nb, tkey, tstamp, tca, tcb, tpb, slot_a, stamp, anc_a, anc_b):  # type: ignore[no-untyped-def]
    """Positions ``(i, j)`` of n-grams occurring exactly once in ``ga[:na]`` and once in ``gb[:nb]``.

    Uses an open-addressing table (``tkey``...``tpb``) that is never cleared: a slot is live only
    when its ``tstamp`` equals this call's ``stamp``. Anchors come out in increasing ``i``.
    """
    size = table_size(na)
    mask = size - 1
    for i in range(na):
        g = ga[i]
        s = np.int64(g & np.uint64(mask))
        while tstamp[s] == stamp and tkey[s] != g:
            s = (s + 1) & mask
        if tstamp[s] != stamp:
            tstamp[s] = stamp
            tkey[s] = g
            tca[s] = 0
            tcb[s] = 0
        tca[s] += 1
        slot_a[i] = s
    for j in range(nb):
        g = gb[j]
        s = np.int64(g & np.uint64(mask))
        while tstamp[s] == stamp and tkey[s] != g:
            s = (s + 1) & mask
        if tstamp[s] == stamp:
            tcb[s] += 1
            tpb[s] = j
    count = 0
    for i in range(na):
        s = slot_a[i]
        if tca[s] == 1 and tcb[s] == 1:
            anc_a[count] = i
            anc_b[count] = tpb[s]
            count += 1
    return count


@njit(cache=True, nogil=True)
def _covered_by_recent_run(i, d, k, ra, rb, rl, nr):  # type: ignore[no-untyped-def]
    """Whether anchor ``(i, i + d)`` lies inside one of the last few runs on diagonal ``d``."""
    for r in range(nr - 1, max(-1, nr - 9), -1):  # noqa: SIM110 (numba compiles no generator)
        if rb[r] - ra[r] == d and ra[r] <= i and i + k <= ra[r] + rl[r]:
            return True
    return False


@njit(cache=True, nogil=True)
def anchor_runs(ha, hb, k, anc_a, anc_b, n_anchors, ra, rb, rl):  # type: ignore[no-untyped-def]
    """Grow anchors into maximal exact runs (extended word by word both ways), sorted by ``(a0, b0)``.

    Writes the runs into ``ra``/``rb``/``rl`` and returns their number. Extension recovers the words
    next to an edit that no unique n-gram covers.
    """
    n = len(ha)
    m = len(hb)
    nr = 0
    for x in range(n_anchors):
        i = anc_a[x]
        j = anc_b[x]
        if _covered_by_recent_run(i, j - i, k, ra, rb, rl, nr):
            continue
        a0 = i
        b0 = j
        while a0 > 0 and b0 > 0 and ha[a0 - 1] == hb[b0 - 1]:
            a0 -= 1
            b0 -= 1
        e = i + k
        f = j + k
        while e < n and f < m and ha[e] == hb[f]:
            e += 1
            f += 1
        ra[nr] = a0
        rb[nr] = b0
        rl[nr] = e - a0
        nr += 1
    if nr > 1:
        order = np.argsort(ra[:nr] * (m + 1) + rb[:nr], kind="mergesort")
        ra[:nr] = ra[:nr][order]
        rb[:nr] = rb[:nr][order]
        rl[:nr] = rl[:nr][order]
    return nr
