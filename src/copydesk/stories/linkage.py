"""Average-linkage agglomeration over a sparse similarity graph, cut at a threshold.

Two clusters merge, best pair first, while the mean similarity over all pairs of their units is
at least ``threshold``; a pair without an edge counts as 0. A merge is only possible across an
edge of at least ``threshold`` (the largest term of a mean is at least the mean), so the graph
first splits into the connected components of those edges and each is agglomerated alone.

Cost: O(E α) for the split, then per component O(E_c log E_c) heap work per round of merges,
with neighbour maps merged smaller-into-larger. Ties break on unit indexes, so the result depends
only on the graph, never on the order it was built in.
"""

from __future__ import annotations

import heapq

import numpy as np

from copydesk.kernels import njit


def average_linkage(n: int, a: np.ndarray, b: np.ndarray, sim: np.ndarray, threshold: float) -> np.ndarray:
    """Cluster label (the smallest unit index in the cluster) of each of ``n`` units, given edges ``a``-``b``."""
    strong = sim >= threshold
    component = _components(n, a[strong], b[strong])
    label = np.arange(n)
    inside = component[a] == component[b]
    a, b, sim, comp = a[inside], b[inside], sim[inside], component[a[inside]]
    order = np.argsort(comp, kind="stable")
    a, b, sim, comp = a[order], b[order], sim[order], comp[order]
    bounds = np.flatnonzero(np.r_[True, comp[1:] != comp[:-1], True]) if len(comp) else np.zeros(1, dtype=np.int64)
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        _agglomerate(a[lo:hi].tolist(), b[lo:hi].tolist(), sim[lo:hi].tolist(), threshold, label)
    return label


def _agglomerate(a: list[int], b: list[int], sim: list[float], threshold: float, label: np.ndarray) -> None:
    """Average linkage within one component; writes each unit's cluster label into ``label``."""
    links: dict[int, dict[int, float]] = {}
    for x, y, s in zip(a, b, sim, strict=True):
        links.setdefault(x, {})[y] = links.setdefault(x, {}).get(y, 0.0) + s
        links.setdefault(y, {})[x] = links[x][y]
    size = dict.fromkeys(links, 1)
    members = {u: [u] for u in links}
    heap = [(-s, min(x, y), max(x, y)) for x, y, s in zip(a, b, sim, strict=True) if s >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, x, y = heapq.heappop(heap)
        if x not in size or y not in size or y not in links[x]:
            continue
        current = links[x][y] / (size[x] * size[y])
        if current != -neg:
            continue
        keep, gone = (x, y) if len(links[x]) >= len(links[y]) else (y, x)
        _merge(links, keep, gone)
        size[keep] += size.pop(gone)
        members[keep].extend(members.pop(gone))
        for other, total in links[keep].items():
            mean = total / (size[keep] * size[other])
            if mean >= threshold:
                heapq.heappush(heap, (-mean, min(keep, other), max(keep, other)))
    for units in members.values():
        label[units] = min(units)


def _merge(links: dict[int, dict[int, float]], keep: int, gone: int) -> None:
    """Fold cluster ``gone``'s summed links into ``keep``'s."""
    target = links[keep]
    target.pop(gone, None)
    for other, total in links.pop(gone).items():
        if other == keep:
            continue
        target[other] = target.get(other, 0.0) + total
        back = links[other]
        back.pop(gone)
        back[keep] = target[other]


@njit(cache=True)
def _components(n, a, b):  # type: ignore[no-untyped-def]
    """Connected component (smallest member index) of each node, by union-find with path halving."""
    parent = np.arange(n)
    for i in range(len(a)):
        rx = _find(parent, a[i])
        ry = _find(parent, b[i])
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)
    for i in range(n):
        parent[i] = _find(parent, i)
    return parent


@njit(cache=True)
def _find(parent, x):  # type: ignore[no-untyped-def]
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x
