"""Stories: articles that report the same event, whether or not they share a sentence.

A story sits a level above copy clusters: every copy cluster lies inside one story, and an
independently written report of the same event joins it when its words say so.

    >>> from copydesk.ingest import read_corpus                              # doctest: +SKIP
    >>> stories = cluster_stories(read_corpus(["feed.jsonl"]).articles)     # doctest: +SKIP
    >>> stories[0].story, stories[0].size, stories[0].label                  # doctest: +SKIP
    ('s00000', 7, 'Minister, Sergei, Brezno, Kamenets, Antonov')

How (each step in its own module), for N articles with T tokens in all, making U units:

1. units (clustering): each copy cluster becomes one unit, each other article its own; the clusters
   are must-links, and a wire story printed 500 times counts once. O(N).
2. features: TF-IDF over the normalised words of title and body, names, numbers and
   two-word names weighted up, outlet boilerplate left out. O(T log T).
3. graph: candidate pairs from an inverted index over each unit's k = ``index_terms`` top terms,
   each posting list cut to its c = ``posting_cap`` heaviest units; each unit keeps its m =
   ``neighbours`` best candidates, scored exactly over its L terms. O(U k c + U m L) time and
   O(U m) edges: never all pairs, so it holds at a million articles.
4. similarity (clustering): the lexical cosine, mixed with the cosine of semantic embeddings when
   given (embedding cost: one model pass per article), times a date penalty past a window of a
   few days (undated articles: no penalty). O(U m).
5. shared_neighbours: each similarity times the overlap of the two units' ``shared_neighbours``
   nearest units, so two look-alike events (same topic words, different people, places and
   numbers) stay apart. O(U m log(U m)) to rank the edges, O(U m k') to intersect (k' = that count).
6. linkage: average linkage over the sparse graph, cut at ``StoryParams.threshold``.
   O(U m log(U m)) in practice (heap over the edges, neighbour maps merged smaller into larger).
7. labels: the heaviest names and keywords of each story, read from its first articles when
   TF-IDF has nothing to say (a corpus of one story). O(U m + sampled tokens).

In all, O(T log T + U (k c + m L)) time and O(T + U m) memory.

Everything is deterministic: articles are sorted by id first, so any input order gives the same
stories, ids and labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from copydesk.stories.params import StoryParams

if TYPE_CHECKING:
    from copydesk.stories.clustering import Story, cluster_stories
    from copydesk.stories.semantic import embed_articles

__all__ = ["Story", "StoryParams", "cluster_stories", "embed_articles"]


def __getattr__(name: str) -> object:
    """Stories are imported on first use: a command that only reads ``StoryParams`` (``dedup``,
    through ``Config``) does not load them.
    """
    if name in ("Story", "cluster_stories"):
        from copydesk.stories import clustering

        return getattr(clustering, name)
    if name == "embed_articles":
        from copydesk.stories import semantic

        return semantic.embed_articles
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
