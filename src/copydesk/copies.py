"""Near-duplicate detection: candidates, exact verification with boilerplate discounted, clusters.

>>> result = find_copies(ids, sketches)          # doctest: +SKIP
>>> result.clusters[0]                           # doctest: +SKIP
['000_42e18ac39154c246', '001_bf15a51c4cba013e']
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from copydesk.boilerplate import find_boilerplate
from copydesk.candidates import CandidateParams, find_candidates
from copydesk.cluster import cluster_id, copy_clusters
from copydesk.sketch import Sketches
from copydesk.verify import Overlaps, VerifyParams, overlaps, without_boilerplate


@dataclass(frozen=True)
class CopyResult:
    """Verified copy pairs (rows index ``ids``), the copy clusters, and what was discounted."""

    ids: Sequence[str]
    pairs: Overlaps
    exact: np.ndarray
    """Per pair: the two bodies are the same text up to case, quotes, spacing and punctuation
    (equal digests of their normalised word sequences)."""
    clusters: list[list[str]]
    boilerplate: np.ndarray
    candidates: int

    @property
    def boilerplate_shingles(self) -> int:
        return len(self.boilerplate)

    def pair_records(self) -> Iterator[dict[str, Any]]:
        p = self.pairs
        jac, cab, cba = p.jaccard, p.containment_a_in_b, p.containment_b_in_a
        for k in range(len(p.pairs)):
            yield {
                "a": self.ids[int(p.pairs[k, 0])],
                "b": self.ids[int(p.pairs[k, 1])],
                "jaccard": round(float(jac[k]), 4),
                "containment_a_in_b": round(float(cab[k]), 4),
                "containment_b_in_a": round(float(cba[k]), 4),
                "shared_shingles": int(p.shared[k]),
                "exact": bool(self.exact[k]),
            }

    def cluster_of(self) -> dict[str, str]:
        """Article id -> copy cluster id, for articles in a cluster."""
        return {member: cluster_id(i) for i, members in enumerate(self.clusters) for member in members}


def find_copies(
    ids: Sequence[str],
    sketches: Sketches,
    candidate_params: CandidateParams = CandidateParams(),
    verify_params: VerifyParams = VerifyParams(),
    workers: int = 1,
    *,
    release_signatures: bool = False,
) -> CopyResult:
    """Copy pairs and clusters of the documents ``ids`` (rows sorted by id for stable output),
    the compiled stages on ``workers`` threads (the same result for any number).

    ``release_signatures``: the caller needs the signatures no more; they are freed as soon as
    the candidates no longer need them.
    """
    candidates = find_candidates(sketches, candidate_params, workers, release=release_signatures)
    boilerplate, scored = find_boilerplate(sketches, candidates, verify_params, workers)
    scored = without_boilerplate(sketches, scored, boilerplate, workers)
    copies = scored.select(scored.copies(verify_params))
    exact = sketches.digests[copies.pairs[:, 0]] == sketches.digests[copies.pairs[:, 1]]
    return CopyResult(ids, copies, exact, copy_clusters(ids, copies.pairs), boilerplate, len(candidates))


def containment_matrix(sketches: Sketches, rows: Sequence[int], boilerplate: np.ndarray) -> np.ndarray:
    """``m[i, j]``: share of document ``rows[i]``'s shingles found in ``rows[j]`` (boilerplate left out)."""
    n = len(rows)
    pairs = np.array([(rows[i], rows[j]) for i in range(n) for j in range(i + 1, n)], dtype=np.int64)
    matrix = np.eye(n)
    if len(pairs) == 0:
        return matrix
    found = overlaps(sketches, pairs.reshape(-1, 2), boilerplate)
    k = 0
    for i in range(n):
        for j in range(i + 1, n):
            matrix[i, j] = found.containment_a_in_b[k]
            matrix[j, i] = found.containment_b_in_a[k]
            k += 1
    return matrix
