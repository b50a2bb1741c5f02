"""Stories: the demo corpus's acceptance, partition invariants, labels, determinism, shared neighbours."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from conftest import shared_path
from copydesk.article import Article
from copydesk.config import Config
from copydesk.ingest import read_corpus
from copydesk.pipeline import detect_copies
from copydesk.stories import Story, StoryParams, cluster_stories
from copydesk.stories.labels import clean_surface
from copydesk.stories.shared_neighbours import shared_neighbour_weights
from demo_truth import truth


def stories_of(paths: list[Path]) -> tuple[list[Article], list[list[str]], list[Story]]:
    corpus = read_corpus(paths)
    clusters = detect_copies(corpus, Config()).clusters
    return corpus.articles, clusters, cluster_stories(corpus.articles, clusters)


def story_of(stories: list[Story]) -> dict[str, str]:
    return {article: s.story for s in stories for article in s.articles}


def test_demo_independent_report_joins_the_wire_story_and_unrelated_articles_do_not(demo_articles: Path) -> None:
    _, _, stories = stories_of([demo_articles])
    where = story_of(stories)
    story_a, story_b = (set(s["articles"]) for s in truth()["stories"])
    wire_a = next(c["articles"] for c in truth()["copy_clusters"] if c["name"] == "story-a-wire")
    (independent,) = truth()["independent"]
    assert {where[a] for a in wire_a} == {where[independent]}
    assert {where[a] for a in story_a} == {where[independent]}
    assert len({where[a] for a in story_b}) == 1
    assert where[next(iter(story_b))] != where[independent]
    named = {where[a] for a in story_a | story_b}
    for article in truth()["unrelated"]:
        assert where[article] not in named, article
    assert len({where[a] for a in truth()["unrelated"]}) == len(truth()["unrelated"])


def test_every_article_in_one_story_and_every_copy_cluster_whole(demo_articles: Path) -> None:
    articles, clusters, stories = stories_of([demo_articles])
    listed = [a for s in stories for a in s.articles]
    assert sorted(listed) == sorted(a.id for a in articles)
    where = story_of(stories)
    for cluster in clusters:
        assert len({where[a] for a in cluster}) == 1
    for s in stories:
        assert s.size == len(s.articles) and list(s.articles) == sorted(s.articles)
        assert s.first_date is not None and s.last_date is not None and s.first_date <= s.last_date


def test_every_story_has_a_label_of_names_and_keywords(demo_articles: Path) -> None:
    _, _, stories = stories_of([demo_articles])
    assert all(s.label for s in stories)
    where = story_of(stories)
    (independent,) = truth()["independent"]
    label = next(s.label for s in stories if s.story == where[independent])
    assert {"Kamenets", "Brezno", "Velstria"} & set(label.replace(",", " ").split())


def test_a_corpus_of_one_story_still_gets_a_label(seeds_dir: Path) -> None:
    # One unit: every IDF is zero, so the label comes from the articles themselves.
    _, _, stories = stories_of([seeds_dir])
    (story,) = stories
    words = story.label.split(", ")
    assert len(words) == StoryParams().label_terms
    assert not {w.casefold() for w in words} & {"the", "a", "of", "and", "said"}


def test_label_words_are_cleaned_of_function_words_and_possessives() -> None:
    assert clean_surface("The US") == "US"
    assert clean_surface("Quillon's") == "Quillon"
    assert clean_surface("In Orlavo") == "Orlavo"
    assert clean_surface("so") is None
    assert clean_surface("U") is None


def test_ecbplus_labels_are_never_empty() -> None:
    _, _, stories = stories_of([shared_path("data", "ecbplus-dev", "articles.jsonl")])
    assert stories and all(s.label for s in stories)


@pytest.mark.parametrize("seed", [1, 2])
def test_same_stories_whatever_the_input_order(seed: int, demo_articles: Path) -> None:
    paths = [demo_articles, shared_path("data", "ecbplus-dev", "articles.jsonl")]
    articles, clusters, expected = stories_of(paths)
    rng = random.Random(seed)
    shuffled = rng.sample(articles, len(articles))
    shuffled_clusters = [rng.sample(c, len(c)) for c in rng.sample(clusters, len(clusters))]
    assert cluster_stories(shuffled, shuffled_clusters) == expected


def test_shared_neighbours_worked_out_by_hand() -> None:
    # A triangle 0-1-2 and a pendant 3 hanging on 2. With k = 2 the neighbourhoods (self first) are
    # 0: {0,1,2}, 1: {1,0,2}, 2: {2,0,1}, 3: {3,2}; overlaps are counted over k + 1 = 3.
    a, b = np.array([0, 0, 1, 2]), np.array([1, 2, 2, 3])
    sim = np.array([0.9, 0.8, 0.7, 0.5])
    weighted = shared_neighbour_weights(4, a, b, sim, k=2, floor=0.0)
    assert weighted == pytest.approx([0.9, 0.8, 0.7, 0.5 / 3])
    floored = shared_neighbour_weights(4, a, b, sim, k=2, floor=0.5)
    assert floored[3] == pytest.approx(0.5 * (0.5 + 0.5 / 3))


def test_look_alike_events_stay_apart_while_same_event_reports_join() -> None:
    # Two events share every topic word; each event's reports share a name and a number too.
    def report(i: int, event: str, name: str, number: str) -> Article:
        text = (
            f"{name} was taken to the Harlow clinic on Tuesday after a crash on the ring road, police said. "
            f"The driver, aged {number}, was treated for injuries. Report {i} on the {event} crash."
        )
        return Article(id=f"{event}-{i}", text=text, path="t", line=i)

    articles = [report(i, "north", "Ansel Verhoek", "41") for i in range(4)]
    articles += [report(i, "south", "Bettina Lorca", "67") for i in range(4)]
    articles += [Article(id=f"other-{i}", text=f"Unrelated note {i} about gardening and {w}.", path="t", line=0)
                 for i, w in enumerate(["roses", "tulips", "ferns", "moss"])]  # fmt: skip
    where = story_of(cluster_stories(articles))
    assert len({where[f"north-{i}"] for i in range(4)}) == 1
    assert len({where[f"south-{i}"] for i in range(4)}) == 1
    assert where["north-0"] != where["south-0"]


def test_parameters_out_of_range_are_refused() -> None:
    with pytest.raises(ValueError, match="shared_floor"):
        StoryParams(shared_floor=1.5)
    with pytest.raises(ValueError, match="threshold"):
        StoryParams(threshold=-0.1)
