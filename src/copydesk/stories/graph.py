"""Candidate edges between units without comparing all pairs: an inverted index over each unit's top terms.

Each unit indexes its ``index_terms`` heaviest terms (k) that at least one other unit holds; a
term keeps its ``posting_cap`` heaviest postings (c). Each unit then accumulates, over the
postings of its own top terms, a partial dot product with every unit it meets, keeps the
``neighbours`` (m) best (date proximity applied) and scores them exactly: the cosine of the full
vectors. Edges are the union of everyone's lists.

Cost for U units averaging L distinct terms: O(U k log k) to index, O(U k c) to accumulate at
worst (far less in practice: most postings are short), O(U m L) for exact cosines, O(U m)
edges in memory. Nothing grows with U squared, so it holds at a million articles.
"""

from __future__ import annotations

import numpy as np

from copydesk.kernels import njit
from copydesk.stories.features import UnitVectors
from copydesk.stories.params import StoryParams

_BLOCK = 4096


def candidate_edges(
    vectors: UnitVectors, days: np.ndarray, params: StoryParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit pairs worth scoring: ``(a, b, lexical cosine)`` with ``a < b``, each pair once.

    ``days[u] = (first, last)`` day numbers of unit ``u`` (NaN when undated) steer which
    neighbours each unit keeps; the date penalty itself is applied by ``date_factor``.
    """
    n = vectors.n_units
    top_ptr, top_term, top_w = _top_terms(vectors, params.index_terms)
    post_ptr, post_unit, post_w = _postings(top_ptr, top_term, top_w, len(vectors.vocab), params.posting_cap)
    acc = np.zeros(n, dtype=np.float64)
    mark = np.zeros(n, dtype=np.bool_)
    touched = np.empty(n, dtype=np.int64)
    dense = np.zeros(len(vectors.vocab), dtype=np.float64)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for lo in range(0, n, _BLOCK):
        src, dst, sim = _neighbours(
            lo, min(lo + _BLOCK, n), vectors.indptr, vectors.terms, vectors.weights, top_ptr, top_term, top_w,
            post_ptr, post_unit, post_w, days[:, 0], days[:, 1], params.window_days, params.half_life_days,
            params.neighbours, acc, mark, touched, dense,
        )  # fmt: skip
        keep = sim >= params.min_similarity
        found.append((src[keep], dst[keep], sim[keep]))
    a = np.concatenate([f[0] for f in found]) if found else np.zeros(0, dtype=np.int64)
    b = np.concatenate([f[1] for f in found]) if found else np.zeros(0, dtype=np.int64)
    sim = np.concatenate([f[2] for f in found]) if found else np.zeros(0)
    lo_end, hi_end = np.minimum(a, b), np.maximum(a, b)
    _, first = np.unique(lo_end * max(n, 1) + hi_end, return_index=True)
    return lo_end[first], hi_end[first], sim[first]


def date_factor(days: np.ndarray, a: np.ndarray, b: np.ndarray, params: StoryParams) -> np.ndarray:
    """Penalty in (0, 1] per pair: 1 within ``window_days`` (or undated), halving every ``half_life_days`` after."""
    gap = np.maximum(days[a, 0], days[b, 0]) - np.minimum(days[a, 1], days[b, 1])
    over = np.nan_to_num(gap - params.window_days, nan=0.0).clip(min=0.0)
    return np.power(0.5, over / params.half_life_days)


def _top_terms(vectors: UnitVectors, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each unit's ``k`` heaviest terms that another unit shares (CSR: pointer, term, weight)."""
    shared = vectors.df[vectors.terms] >= 2
    unit = np.repeat(np.arange(vectors.n_units), np.diff(vectors.indptr))[shared]
    term, weight = vectors.terms[shared], vectors.weights[shared]
    order = np.lexsort((term, -weight, unit))
    unit, term, weight = unit[order], term[order], weight[order]
    counts = np.bincount(unit, minlength=vectors.n_units)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    keep = (np.arange(len(unit)) - starts) < k
    ptr = np.zeros(vectors.n_units + 1, dtype=np.int64)
    np.cumsum(np.minimum(counts, k), out=ptr[1:])
    return ptr, term[keep], weight[keep]


def _postings(
    top_ptr: np.ndarray, top_term: np.ndarray, top_w: np.ndarray, n_terms: int, cap: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inverted index of the top terms, each list cut to its ``cap`` heaviest postings."""
    unit = np.repeat(np.arange(len(top_ptr) - 1), np.diff(top_ptr))
    order = np.lexsort((unit, -top_w, top_term))
    term, unit, weight = top_term[order], unit[order], top_w[order]
    counts = np.bincount(term, minlength=n_terms)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    keep = (np.arange(len(term)) - starts) < cap
    ptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(np.minimum(counts, cap), out=ptr[1:])
    return ptr, unit[keep], weight[keep]


@njit(cache=True)
def _neighbours(lo, hi, indptr, terms, weights, top_ptr, top_term, top_w, post_ptr, post_unit, post_w,  # type: ignore[no-untyped-def]
                first_day, last_day, window, half_life, m, acc, mark, touched, dense):  # fmt: skip
    """For units lo..hi-1: the ``m`` best candidates by partial dot product, with their exact cosine."""
    size = (hi - lo) * m
    out_src = np.empty(size, dtype=np.int64)
    out_dst = np.empty(size, dtype=np.int64)
    out_sim = np.empty(size, dtype=np.float64)
    k = 0
    for d in range(lo, hi):
        nt = 0
        for i in range(top_ptr[d], top_ptr[d + 1]):
            t = top_term[i]
            w = top_w[i]
            for j in range(post_ptr[t], post_ptr[t + 1]):
                c = post_unit[j]
                if c == d:
                    continue
                if not mark[c]:
                    mark[c] = True
                    touched[nt] = c
                    nt += 1
                acc[c] += w * post_w[j]
        if nt == 0:
            continue
        cand = touched[:nt].copy()
        score = np.empty(nt, dtype=np.float64)
        for i in range(nt):
            c = cand[i]
            gap = max(first_day[d], first_day[c]) - min(last_day[d], last_day[c])
            factor = 1.0
            if gap == gap and gap > window:  # NaN (undated) is never penalised
                factor = 0.5 ** ((gap - window) / half_life)
            score[i] = -acc[c] * factor
            acc[c] = 0.0
            mark[c] = False
        order = np.argsort(score, kind="mergesort")
        for i in range(indptr[d], indptr[d + 1]):
            dense[terms[i]] = weights[i]
        for r in range(min(m, nt)):
            c = cand[order[r]]
            s = 0.0
            for i in range(indptr[c], indptr[c + 1]):
                s += dense[terms[i]] * weights[i]
            out_src[k] = d
            out_dst[k] = c
            out_sim[k] = s
            k += 1
        for i in range(indptr[d], indptr[d + 1]):
            dense[terms[i]] = 0.0
    return out_src[:k], out_dst[:k], out_sim[:k]
