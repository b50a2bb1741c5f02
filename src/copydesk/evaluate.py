"""Scores of a clustering against a gold one: adjusted Rand index, pairwise and B-cubed P/R/F1.

Both clusterings are maps from article id to a cluster label; only ids present in both are
scored, so a partial gold standard can judge a whole run.

    >>> s = evaluate({"a": "1", "b": "1", "c": "2"}, {"a": "x", "b": "x", "c": "y"})
    >>> (s.ari, s.pairwise_f1, s.bcubed_f1)
    (1.0, 1.0, 1.0)

Every score comes from the contingency table of the two clusterings (one cell per pair of a
predicted and a gold cluster that share articles), so scoring is O(n log n) in time and O(n) in
memory whatever the number of clusters.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

# Label given to an article that no record names: its own id behind a prefix no record id has.
SINGLETON_PREFIX = "\x00single:"


@dataclass(frozen=True)
class Scores:
    """Agreement of a predicted clustering with a gold one over ``n`` shared articles.

    Pairwise scores count pairs of articles put in one cluster; B-cubed scores average, over
    articles, the overlap of the article's predicted and gold clusters. A precision or recall
    whose denominator is zero (no pairs at all) is 1.0: nothing claimed, nothing wrong.
    """

    n: int
    n_pred_clusters: int
    n_gold_clusters: int
    ari: float
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float

    def as_dict(self) -> dict[str, float]:
        """The scores as a plain dict (for JSON and tables)."""
        return asdict(self)

    def __str__(self) -> str:
        return (
            f"n={self.n} pred={self.n_pred_clusters} gold={self.n_gold_clusters} ARI={self.ari:.4f} "
            f"pairwise P/R/F1={self.pairwise_precision:.4f}/{self.pairwise_recall:.4f}/{self.pairwise_f1:.4f} "
            f"B3 P/R/F1={self.bcubed_precision:.4f}/{self.bcubed_recall:.4f}/{self.bcubed_f1:.4f}"
        )


def evaluate(pred: Mapping[str, str], gold: Mapping[str, str]) -> Scores:
    """Score ``pred`` (id -> predicted label) against ``gold`` (id -> gold label) on their shared ids."""
    ids = sorted(set(pred) & set(gold))
    n = len(ids)
    pred_codes = _codes([pred[i] for i in ids])
    gold_codes = _codes([gold[i] for i in ids])
    cells, pred_sizes, gold_sizes = contingency(pred_codes, gold_codes)
    pair_p, pair_r = _pairwise(cells, pred_sizes, gold_sizes)
    b3_p, b3_r = _bcubed(cells, pred_sizes, gold_sizes, n)
    return Scores(
        n=n,
        n_pred_clusters=len(pred_sizes),
        n_gold_clusters=len(gold_sizes),
        ari=_ari(cells, pred_sizes, gold_sizes, n),
        pairwise_precision=pair_p,
        pairwise_recall=pair_r,
        pairwise_f1=_f1(pair_p, pair_r),
        bcubed_precision=b3_p,
        bcubed_recall=b3_r,
        bcubed_f1=_f1(b3_p, b3_r),
    )


def contingency(pred_codes: np.ndarray, gold_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The non-empty cells of the contingency table as (count, pred cluster size, gold cluster size) columns.

    Returns ``(cells, pred_sizes, gold_sizes)``: ``cells[k] = (n_ij, a_i, b_j)`` for each pair of a
    predicted cluster i and a gold cluster j sharing ``n_ij > 0`` articles; ``a``/``b`` are the
    sizes of every predicted and gold cluster. Sparse, so a million singletons cost O(n).
    """
    pred_codes = np.asarray(pred_codes, dtype=np.int64)
    gold_codes = np.asarray(gold_codes, dtype=np.int64)
    pred_sizes = np.bincount(pred_codes) if len(pred_codes) else np.zeros(0, dtype=np.int64)
    gold_sizes = np.bincount(gold_codes) if len(gold_codes) else np.zeros(0, dtype=np.int64)
    n_gold = max(len(gold_sizes), 1)
    joint, counts = np.unique(pred_codes * n_gold + gold_codes, return_counts=True)
    cells = np.stack([counts, pred_sizes[joint // n_gold], gold_sizes[joint % n_gold]], axis=1).astype(np.int64)
    return cells.reshape(-1, 3), pred_sizes[pred_sizes > 0], gold_sizes[gold_sizes > 0]


def adjusted_rand_index(pred: Sequence[Hashable], gold: Sequence[Hashable]) -> float:
    """Adjusted Rand index (Hubert & Arabie 1985) of two labelings of the same items, in order.

    ARI = (index - expected) / (max - expected) with index = sum over cells of C(n_ij, 2),
    expected = sum_i C(a_i, 2) * sum_j C(b_j, 2) / C(n, 2) and max = mean of the two sums. When
    the denominator is zero the two partitions are both all-singletons or both one cluster, that
    is identical, and the score is 1.0 (as scikit-learn does).
    """
    if len(pred) != len(gold):
        raise ValueError(f"labelings differ in length: {len(pred)} and {len(gold)}")
    cells, pred_sizes, gold_sizes = contingency(_codes(pred), _codes(gold))
    return _ari(cells, pred_sizes, gold_sizes, len(pred))


def _ari(cells: np.ndarray, pred_sizes: np.ndarray, gold_sizes: np.ndarray, n: int) -> float:
    """ARI from the contingency table (see ``adjusted_rand_index``)."""
    index = _comb2(cells[:, 0])
    sum_pred = _comb2(pred_sizes)
    sum_gold = _comb2(gold_sizes)
    all_pairs = n * (n - 1) / 2
    expected = sum_pred * sum_gold / all_pairs if all_pairs else 0.0
    maximum = (sum_pred + sum_gold) / 2
    if maximum == expected:
        return 1.0
    return float((index - expected) / (maximum - expected))


def labels_from_records(
    records: Iterable[Mapping[str, object]],
    ids: Iterable[str] = (),
    *,
    id_field: str | None = None,
    articles_field: str = "articles",
) -> dict[str, str]:
    """Article id -> cluster label from ``stories.jsonl`` or ``copies.jsonl`` records.

    The label is the record's ``story`` or ``cluster`` field (or ``id_field``), else its position.
    Each id in ``ids`` that no record names becomes a singleton with its own label, so a
    copies.jsonl (clusters of 2+ only) scores as a full partition of the corpus.
    """
    labels: dict[str, str] = {}
    for position, record in enumerate(records):
        label = _record_label(record, id_field, position)
        members = record.get(articles_field)
        if not isinstance(members, list | tuple):
            raise ValueError(f"record {label!r} has no list in {articles_field!r}")
        for member in members:
            article = str(member)
            if article in labels and labels[article] != label:
                raise ValueError(f"article {article!r} is in clusters {labels[article]!r} and {label!r}")
            labels[article] = label
    for article in ids:
        labels.setdefault(article, SINGLETON_PREFIX + article)
    return labels


def _record_label(record: Mapping[str, object], id_field: str | None, position: int) -> str:
    """The label of one record: its id field, or its position when it has none."""
    for field in (id_field,) if id_field else ("story", "cluster", "id"):
        value = record.get(field)
        if value is not None:
            return str(value)
    return f"#{position}"


def _codes(labels: Sequence[Hashable]) -> np.ndarray:
    """Dense integer codes 0..k-1 for arbitrary hashable labels, in first-seen order."""
    index: dict[Hashable, int] = {}
    return np.fromiter((index.setdefault(x, len(index)) for x in labels), dtype=np.int64, count=len(labels))


def _comb2(counts: np.ndarray) -> float:
    """Sum of C(c, 2) over ``counts``, as an exact integer turned float."""
    c = counts.astype(np.int64)
    return float(int((c * (c - 1) // 2).sum()))


def _pairwise(cells: np.ndarray, pred_sizes: np.ndarray, gold_sizes: np.ndarray) -> tuple[float, float]:
    """Pairwise precision and recall: pairs together in both / pairs together in pred (in gold)."""
    together = _comb2(cells[:, 0])
    pred_pairs = _comb2(pred_sizes)
    gold_pairs = _comb2(gold_sizes)
    return (together / pred_pairs if pred_pairs else 1.0, together / gold_pairs if gold_pairs else 1.0)


def _bcubed(cells: np.ndarray, pred_sizes: np.ndarray, gold_sizes: np.ndarray, n: int) -> tuple[float, float]:
    """B-cubed precision and recall (Bagga & Baldwin 1998), averaged over articles."""
    if n == 0:
        return 1.0, 1.0
    overlap = cells[:, 0].astype(np.float64)
    precision = float((overlap * overlap / cells[:, 1]).sum() / n)
    recall = float((overlap * overlap / cells[:, 2]).sum() / n)
    return precision, recall


def _f1(precision: float, recall: float) -> float:
    """Harmonic mean, 0.0 when both are zero."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
