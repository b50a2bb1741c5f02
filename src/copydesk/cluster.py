"""Copy clusters: connected components of verified pairs, with ids that do not depend on input order.

>>> components(4, np.array([[0, 1], [2, 1]]))
array([0, 0, 0, 3])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from copydesk.kernels import njit


def components(n: int, pairs: np.ndarray) -> np.ndarray:
    """Component of each of ``n`` nodes: the smallest node index in it (union-find)."""
    parent = np.arange(n, dtype=np.int64)
    if len(pairs):
        _union_all(parent, pairs.astype(np.int64))
    return _roots(parent)


@njit(cache=True, nogil=True)
def _find(parent, x):  # type: ignore[no-untyped-def]
    root = x
    while parent[root] != root:
        root = parent[root]
    while parent[x] != root:
        parent[x], x = root, parent[x]
    return root


@njit(cache=True, nogil=True)
def _union_all(parent, pairs):  # type: ignore[no-untyped-def]
    for p in range(len(pairs)):
        a = _find(parent, pairs[p, 0])
        b = _find(parent, pairs[p, 1])
        if a < b:
            parent[b] = a
        elif b < a:
            parent[a] = b


@njit(cache=True, nogil=True)
def _roots(parent):  # type: ignore[no-untyped-def]
    out = np.empty(len(parent), dtype=np.int64)
    for i in range(len(parent)):
        out[i] = _find(parent, i)
    return out


def copy_clusters(ids: Sequence[str], pairs: np.ndarray) -> list[list[str]]:
    """Clusters of two or more articles, each a sorted id list, ordered by their first id.

    Rows must be in a canonical order (sorted by id) for the result not to depend on input order.
    """
    roots = components(len(ids), pairs)
    groups: dict[int, list[str]] = {}
    for i, root in enumerate(roots.tolist()):
        groups.setdefault(root, []).append(ids[i])
    clusters = [sorted(members) for members in groups.values() if len(members) > 1]
    clusters.sort(key=lambda members: members[0])
    return clusters


def cluster_id(index: int) -> str:
    """The id of the ``index``-th copy cluster (in order of first article id): 'c000001'."""
    return f"c{index + 1:06d}"
