"""Clustering scores against small cases worked out by hand, and against scikit-learn when it is installed."""

from __future__ import annotations

import random

import pytest

from copydesk.evaluate import SINGLETON_PREFIX, adjusted_rand_index, evaluate, labels_from_records


def test_scores_of_a_small_case_worked_out_by_hand() -> None:
    # pred {a,b} {c,d}; gold {a,b,c} {d}. Pairs together: pred 2, gold 3, both 1 (a-b).
    scores = evaluate({"a": "1", "b": "1", "c": "2", "d": "2"}, {"a": "x", "b": "x", "c": "x", "d": "y"})
    assert (scores.n, scores.n_pred_clusters, scores.n_gold_clusters) == (4, 2, 2)
    assert scores.pairwise_precision == pytest.approx(1 / 2)
    assert scores.pairwise_recall == pytest.approx(1 / 3)
    assert scores.pairwise_f1 == pytest.approx(0.4)
    # index 1, expected 2 * 3 / 6 = 1, max (2 + 3) / 2: no better than chance.
    assert scores.ari == pytest.approx(0.0)
    # B-cubed precision per article: 1, 1, 1/2, 1/2; recall: 2/3, 2/3, 1/3, 1.
    assert scores.bcubed_precision == pytest.approx(0.75)
    assert scores.bcubed_recall == pytest.approx(2 / 3)
    assert scores.bcubed_f1 == pytest.approx(12 / 17)


def test_adjusted_rand_index_of_a_second_case_worked_out_by_hand() -> None:
    # pred {a,b,c} {d,e}; gold {a,b} {c,d,e}: index 2, expected 4 * 4 / 10, max 4.
    pred = ["1", "1", "1", "2", "2"]
    gold = ["x", "x", "y", "y", "y"]
    assert adjusted_rand_index(pred, gold) == pytest.approx((2 - 1.6) / (4 - 1.6))
    scores = evaluate(dict(zip("abcde", pred, strict=True)), dict(zip("abcde", gold, strict=True)))
    assert (scores.pairwise_precision, scores.pairwise_recall) == pytest.approx((0.5, 0.5))


def test_identical_partitions_score_one_whatever_the_label_names() -> None:
    scores = evaluate({"a": "p", "b": "p", "c": "q"}, {"a": "7", "b": "7", "c": "9"})
    assert scores.ari == scores.pairwise_f1 == scores.bcubed_f1 == 1.0
    singletons = evaluate({"a": "1", "b": "2"}, {"a": "x", "b": "y"})
    assert singletons.ari == 1.0


def test_only_ids_in_both_clusterings_are_scored() -> None:
    scores = evaluate({"a": "1", "b": "1", "extra": "1"}, {"a": "x", "b": "x", "unseen": "y"})
    assert scores.n == 2
    assert scores.ari == 1.0


def test_labels_from_records_make_unlisted_articles_singletons() -> None:
    records = [{"cluster": "c1", "articles": ["a", "b"]}]
    labels = labels_from_records(records, ["a", "b", "c", "d"])
    assert labels["a"] == labels["b"] == "c1"
    assert labels["c"] == SINGLETON_PREFIX + "c" != labels["d"]


def test_an_article_in_two_clusters_is_refused() -> None:
    with pytest.raises(ValueError, match="'a' is in clusters"):
        labels_from_records([{"story": "s1", "articles": ["a"]}, {"story": "s2", "articles": ["a", "b"]}])


def test_adjusted_rand_index_agrees_with_scikit_learn() -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    rng = random.Random(5)
    for _ in range(30):
        n = rng.randint(2, 60)
        pred = [rng.randint(0, rng.randint(1, 8)) for _ in range(n)]
        gold = [rng.randint(0, rng.randint(1, 8)) for _ in range(n)]
        assert adjusted_rand_index(pred, gold) == pytest.approx(metrics.adjusted_rand_score(gold, pred), abs=1e-12)
