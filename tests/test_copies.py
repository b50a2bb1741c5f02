"""Near-duplicate detection on the seeds, the demo corpus and a boilerplate trap."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from cli_helpers import copydesk
from conftest import SEED_FULL, SEED_SHORT
from copydesk import boilerplate
from copydesk.article import Article
from copydesk.config import Config
from copydesk.copies import find_copies
from copydesk.engines.local import sketch_articles
from copydesk.ingest import Corpus, read_corpus
from copydesk.pipeline import detect_copies
from copydesk.sketch import SketchParams
from copydesk.verify import VerifyParams, overlaps, overlaps_and_shared, shared_shingle_lists
from demo_truth import truth


def test_seeds_are_one_cluster_with_containment_above_jaccard(seeds_dir: Path) -> None:
    result = detect_copies(read_corpus([seeds_dir]), Config())
    assert result.clusters == [[SEED_SHORT, SEED_FULL]]
    (pair,) = result.pair_records()
    assert (pair["a"], pair["b"]) == (SEED_SHORT, SEED_FULL)
    assert pair["containment_a_in_b"] > pair["jaccard"] + 0.2
    assert pair["containment_a_in_b"] > 0.55


def test_demo_wire_stories_form_their_clusters(demo_articles: Path) -> None:
    result = detect_copies(read_corpus([demo_articles]), Config())
    expected = sorted(sorted(c["articles"]) for c in truth()["copy_clusters"])
    assert sorted(result.clusters) == expected
    in_clusters = {a for c in result.clusters for a in c}
    assert not in_clusters & set(truth()["independent"])
    paired = {r["a"] for r in result.pair_records()} | {r["b"] for r in result.pair_records()}
    assert not paired & set(truth()["unrelated"])


def _words(rng: random.Random, n: int) -> str:
    vocab = [f"{a}{b}" for a in ("ka", "lo", "mi", "ne", "po", "ru", "sa", "te") for b in ("ra", "zo", "vi", "mu")]
    return " ".join(rng.choice(vocab) + rng.choice("abcdefghij") for _ in range(n))


def boilerplate_trap(n: int = 8) -> list[Article]:
    """Short unrelated articles of one outlet under a footer as long as the article itself."""
    rng = random.Random(7)
    footer = (
        "Subscribe to the Daily Planet newsletter for the day's top stories, sent to your inbox every "
        "morning at seven, and follow us on every social network for breaking news alerts around the clock."
    )
    texts = [f"{_words(rng, 20)}.\n\n{footer}" for _ in range(n)]
    return [Article(id=f"planet-{i}", text=t, path="mem") for i, t in enumerate(texts)]


def test_outlet_boilerplate_never_makes_copies() -> None:
    articles = boilerplate_trap()
    ids = [a.id for a in articles]
    sketches = sketch_articles(articles, SketchParams())
    result = find_copies(ids, sketches)
    assert result.boilerplate_shingles > 20
    assert result.clusters == []
    # Without the corpus statistics the footer alone would pair them: the discount is what works.
    naive = find_copies(ids, sketches, verify_params=VerifyParams(boilerplate_spread=len(ids) + 1))
    assert len(naive.pairs.pairs) > 0


def test_boilerplate_does_not_hide_a_real_copy() -> None:
    articles = boilerplate_trap()
    copy = articles[0].text.replace("\n\n", " extra words here.\n\n", 1)
    articles.append(Article(id="planet-copy", text=copy, path="mem"))
    result = find_copies([a.id for a in articles], sketch_articles(articles, SketchParams()))
    assert result.clusters == [["planet-0", "planet-copy"]]


def test_boilerplate_is_the_same_when_shingles_are_sorted_range_by_range(
    demo_articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = read_corpus([demo_articles])
    ids = [a.id for a in corpus.articles]
    sketches = sketch_articles(corpus.articles, SketchParams())
    whole = find_copies(ids, sketches)
    monkeypatch.setattr(boilerplate, "PARTITION_OCCURRENCES", 100)  # large corpora: 256 ranges of shingle values
    in_ranges = find_copies(ids, sketches)
    assert whole.boilerplate_shingles > 0
    assert np.array_equal(whole.boilerplate, in_ranges.boilerplate)
    assert whole.clusters == in_ranges.clusters


def test_threads_change_nothing(demo_articles: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = read_corpus([demo_articles])
    ids = [a.id for a in corpus.articles]
    sketches = sketch_articles(corpus.articles, SketchParams())
    monkeypatch.setattr(boilerplate, "PARTITION_OCCURRENCES", 300)  # many ranges, shared between threads
    alone = find_copies(ids, sketches)
    threaded = find_copies(ids, sketches, workers=3)
    assert alone.boilerplate_shingles > 0
    assert np.array_equal(alone.boilerplate, threaded.boilerplate)
    assert alone.candidates == threaded.candidates
    assert list(alone.pair_records()) == list(threaded.pair_records())
    assert alone.clusters == threaded.clusters


@pytest.mark.parametrize("workers", [1, 3])
def test_overlaps_match_set_arithmetic(demo_articles: Path, workers: int) -> None:
    """Shared counts, shared positions, the boilerplate discount and the shared lists (Spark's), against Python sets."""
    corpus = read_corpus([demo_articles])
    sketches = sketch_articles(corpus.articles, SketchParams())
    n = len(corpus.articles)
    pairs = np.array([(a, b) for a in range(n) for b in range(a + 1, n)], dtype=np.int64)
    sets = [set(sketches.doc(i).tolist()) for i in range(n)]
    held_by = Counter(x for shingles in sets for x in shingles)
    bp = np.array(sorted(x for x, df in held_by.items() if df >= 3), dtype=np.uint32)  # any sorted set will do
    assert len(bp) > 0

    scored, marked = overlaps_and_shared(sketches, pairs, workers)
    discounted = overlaps(sketches, pairs, bp, workers)
    counts, lists = shared_shingle_lists(sketches.ptr, sketches.shingles, pairs)
    assert np.array_equal(counts, scored.shared)
    starts = np.concatenate([[0], np.cumsum(counts)])
    bp_set = set(bp.tolist())
    shared_by_some_pair: list[set[int]] = [set() for _ in range(n)]
    for k, (a, b) in enumerate(pairs.tolist()):
        both = sets[a] & sets[b]
        shared_by_some_pair[a] |= both
        shared_by_some_pair[b] |= both
        assert (scored.shared[k], scored.size_a[k], scored.size_b[k]) == (len(both), len(sets[a]), len(sets[b]))
        assert lists[starts[k] : starts[k + 1]].tolist() == sorted(both)
        assert (discounted.shared[k], discounted.size_a[k], discounted.size_b[k]) == (
            len(both - bp_set),
            len(sets[a] - bp_set),
            len(sets[b] - bp_set),
        )
    bits = np.unpackbits(marked, bitorder="little")[: len(sketches.shingles)].astype(bool)
    expected = np.concatenate([np.isin(sketches.doc(d), list(shared_by_some_pair[d])) for d in range(n)])
    assert np.array_equal(bits, expected)


def _shuffled_feed(demo_articles: Path, tmp_path: Path, seed: int) -> Path:
    lines = demo_articles.read_text(encoding="utf-8").splitlines()
    random.Random(seed).shuffle(lines)
    path = tmp_path / f"shuffled{seed}" / "feed.jsonl"
    path.parent.mkdir()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_same_bytes_for_any_input_order_and_worker_count(demo_articles: Path, tmp_path: Path) -> None:
    outputs = []
    runs = [
        (demo_articles, "1"),
        (_shuffled_feed(demo_articles, tmp_path, 1), "1"),
        (_shuffled_feed(demo_articles, tmp_path, 2), "2"),
    ]
    for i, (feed, workers) in enumerate(runs):
        out = tmp_path / f"out{i}"
        result = copydesk("dedup", feed, "--out", out, "--workers", workers, "--batch-size", "3", "--quiet")
        assert result.returncode == 0, result.stderr
        outputs.append(((out / "pairs.jsonl").read_bytes(), (out / "copies.jsonl").read_bytes()))
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0][0].splitlines()) >= 10


def test_sketches_do_not_depend_on_batching(demo_articles: Path) -> None:
    corpus: Corpus = read_corpus([demo_articles])
    one = sketch_articles(corpus.articles, SketchParams(), batch_size=4096)
    many = sketch_articles(corpus.articles, SketchParams(), workers=2, batch_size=2)
    assert np.array_equal(one.ptr, many.ptr)
    assert np.array_equal(one.shingles, many.shingles)
    assert np.array_equal(one.signatures, many.signatures)


def test_threshold_and_measure_change_the_decision(seeds_dir: Path, tmp_path: Path) -> None:
    strict = copydesk("dedup", seeds_dir, "--out", tmp_path / "j", "--measure", "jaccard", "--quiet")
    assert strict.returncode == 0
    assert (tmp_path / "j" / "pairs.jsonl").read_text() == ""
    loose = copydesk("dedup", seeds_dir, "--out", tmp_path / "c", "--measure", "containment", "--quiet")
    assert loose.returncode == 0
    assert json.loads((tmp_path / "c" / "pairs.jsonl").read_text())["a"] == SEED_SHORT
    bad = copydesk("dedup", seeds_dir, "--out", tmp_path / "x", "--threshold", "1.5")
    assert bad.returncode == 2 and "threshold" in bad.stderr and "Traceback" not in bad.stderr


def test_exact_duplicates_share_a_digest_of_their_normalised_words() -> None:
    from copydesk.sketch import sketch_texts

    texts = [
        "The U.S. said ‘no’  on Tuesday, AFP reported.",
        "the U.S. said 'no' on TUESDAY -- afp reported",  # case, quotes, spacing, punctuation
        "On Tuesday the U.S. said 'no', AFP reported.",  # the same words in another order
        "The U.S. said 'no' on Tuesday, AFP reported again.",
    ]
    digests = sketch_texts(texts).digests
    assert digests[0] == digests[1]
    assert len({int(d) for d in digests[1:]}) == 3


def test_a_shared_digest_alone_makes_a_candidate_pair() -> None:
    from dataclasses import replace

    from copydesk.candidates import CandidateParams, find_candidates
    from copydesk.sketch import sketch_texts

    texts = [" ".join(f"w{i}x{k}" for i in range(60)) for k in range(3)]  # nothing in common
    sketches = sketch_texts(texts)
    assert len(find_candidates(sketches, CandidateParams())) == 0
    digests = sketches.digests.copy()
    digests[2] = digests[0]  # as if 0 and 2 had the same text, whatever their signatures say
    pairs = find_candidates(replace(sketches, digests=digests), CandidateParams())
    assert pairs.tolist() == [[0, 2]]


def test_pair_records_flag_exact_duplicates(tmp_path: Path) -> None:
    rng = random.Random(3)
    story = _words(rng, 120)
    lines = [
        {"id": "wire", "text": f"{story}."},
        {"id": "reprint", "text": f"{story.upper()}!"},  # the same words: an exact duplicate
        {"id": "edited", "text": f"{story} and one more sentence here."},  # a near-duplicate
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = copydesk("dedup", feed, "--out", tmp_path / "out", "--quiet")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in (tmp_path / "out" / "pairs.jsonl").read_text().splitlines()]
    exact = {(r["a"], r["b"]): r["exact"] for r in records}
    assert exact == {("edited", "reprint"): False, ("edited", "wire"): False, ("reprint", "wire"): True}


def test_released_signatures_change_nothing_and_cannot_be_reused(demo_articles: Path) -> None:
    corpus = read_corpus([demo_articles])
    ids = [a.id for a in corpus.articles]
    sketches = sketch_articles(corpus.articles, SketchParams())
    kept = find_copies(ids, sketches)
    released = find_copies(ids, sketches, release_signatures=True)
    assert list(released.pair_records()) == list(kept.pair_records())
    assert released.clusters == kept.clusters
    assert sketches.signatures.size == 0
    with pytest.raises(ValueError, match="signature bins"):
        find_copies(ids, sketches)
