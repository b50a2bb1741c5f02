"""Shared-neighbour weighting: a pair's similarity counts in full only when the two units share close neighbours.

Two look-alike events (two rehab check-ins, two quakes on one island) share their topic words, so
reports of different events can be as similar, word for word, as two reports of one event. What
tells them apart is who else each report resembles most: the closest reports of an article are
nearly always about its own event. So each similarity is multiplied by the overlap of the two
units' neighbourhoods (Jarvis & Patrick 1973): each unit with its ``k`` most similar units,
overlap counted over ``k + 1``. A pair that shares no neighbour keeps ``floor`` of its similarity.

Cost: O(E log E) to rank each unit's edges and O(E k) to intersect, for E candidate edges.
"""

from __future__ import annotations

import numpy as np

from copydesk.kernels import njit


def shared_neighbour_weights(n: int, a: np.ndarray, b: np.ndarray, sim: np.ndarray, k: int, floor: float) -> np.ndarray:
    """``sim`` times ``floor + (1 - floor) * overlap`` for each edge ``a``-``b`` of a graph over ``n`` units."""
    if len(a) == 0:
        return sim.astype(np.float64)
    ptr, neighbours = nearest(n, a, b, sim, k)
    overlap = _overlap(ptr, neighbours, a, b) / (k + 1)
    return sim * (floor + (1 - floor) * overlap)


def nearest(n: int, a: np.ndarray, b: np.ndarray, sim: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each unit with its ``k`` most similar units, as sorted CSR rows (ties: lower unit index first)."""
    src = np.concatenate([a, b, np.arange(n)])
    dst = np.concatenate([b, a, np.arange(n)])
    score = np.concatenate([sim, sim, np.full(n, np.inf)])  # a unit is its own nearest neighbour
    order = np.lexsort((dst, -score, src))
    src, dst = src[order], dst[order]
    counts = np.bincount(src, minlength=n)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    keep = (np.arange(len(src)) - starts) <= k
    src, dst = src[keep], dst[keep]
    order = np.lexsort((dst, src))
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=ptr[1:])
    return ptr, dst[order].astype(np.int64)


@njit(cache=True)
def _overlap(ptr, neighbours, a, b):  # type: ignore[no-untyped-def]
    """Size of the intersection of the sorted neighbour rows of ``a[i]`` and ``b[i]``, for each edge i."""
    out = np.zeros(len(a), dtype=np.float64)
    for e in range(len(a)):
        i, i_end = ptr[a[e]], ptr[a[e] + 1]
        j, j_end = ptr[b[e]], ptr[b[e] + 1]
        common = 0
        while i < i_end and j < j_end:
            x = neighbours[i]
            y = neighbours[j]
            if x == y:
                common += 1
                i += 1
                j += 1
            elif x < y:
                i += 1
            else:
                j += 1
        out[e] = common
    return out
