"""Short labels for stories: the heaviest names and keywords of the story's summed TF-IDF vector."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from copydesk.article import Article
from copydesk.stories.features import _BIGRAM_MIX, UnitVectors, feature_text, finish_hash_array
from copydesk.text import tokenize

# Articles per story read back to find how its label words were printed.
_SURFACE_SAMPLE = 3


def story_labels(
    vectors: UnitVectors,
    story_of_unit: np.ndarray,
    n_stories: int,
    members: Sequence[Sequence[Article]],
    n_terms: int,
) -> list[str]:
    """One label per story, e.g. ``"Velstria, Kamenets dam, Antonov, Brezno, 23"``."""
    top = _top_terms(vectors, story_of_unit, n_stories, 2 * n_terms)
    wanted = {int(vectors.vocab[t]) for terms in top for t in terms}
    surfaces = _surfaces([a for group in members for a in group[:_SURFACE_SAMPLE]], wanted)
    return [_compose([surfaces.get(int(vectors.vocab[t])) for t in terms], n_terms) for terms in top]


def _top_terms(vectors: UnitVectors, story_of_unit: np.ndarray, n_stories: int, k: int) -> list[list[int]]:
    """The ``k`` heaviest term ids of each story's summed unit vectors (ties: lower term id)."""
    unit = np.repeat(np.arange(vectors.n_units), np.diff(vectors.indptr))
    story = story_of_unit[unit].astype(np.int64)
    key = story * max(len(vectors.vocab), 1) + vectors.terms
    uniq, inverse = np.unique(key, return_inverse=True)
    total = np.bincount(inverse, vectors.weights, len(uniq))
    story_u, term_u = uniq // max(len(vectors.vocab), 1), uniq % max(len(vectors.vocab), 1)
    order = np.lexsort((term_u, -total, story_u))
    top: list[list[int]] = [[] for _ in range(n_stories)]
    for s, t in zip(story_u[order].tolist(), term_u[order].tolist(), strict=True):
        if len(top[s]) < k:
            top[s].append(t)
    return top


def _surfaces(articles: Sequence[Article], wanted: set[int]) -> dict[int, str]:
    """How each wanted word or bigram hash is most often printed in ``articles``."""
    seen: dict[int, Counter[str]] = {}
    texts = [feature_text(a)[0] for a in articles]
    toks = tokenize(texts) if texts else None
    for i, text in enumerate(texts):
        assert toks is not None
        lo, hi = int(toks.doc_ptr[i]), int(toks.doc_ptr[i + 1])
        hashes = toks.hashes[lo:hi]
        starts, ends = toks.starts[lo:hi].tolist(), toks.ends[lo:hi].tolist()
        pairs = finish_hash_array(hashes[:-1] * _BIGRAM_MIX + hashes[1:]).tolist() if hi - lo > 1 else []
        for j, h in enumerate(hashes.tolist()):
            if h in wanted:
                seen.setdefault(h, Counter())[text[starts[j] : ends[j]]] += 1
        for j, h in enumerate(pairs):
            if h in wanted and text[ends[j] : starts[j + 1]] == " ":
                seen.setdefault(h, Counter())[text[starts[j] : ends[j + 1]]] += 1
    return {h: min(c.items(), key=lambda kv: (-kv[1], not kv[0][:1].isupper(), kv[0]))[0] for h, c in seen.items()}


def _compose(words: Sequence[str | None], n_terms: int) -> str:
    """Up to ``n_terms`` words; a name replaces the words it contains ("Antonov" -> "Sergei Antonov")."""
    chosen: list[str] = []
    for word in words:
        if word is None or len(chosen) == n_terms:
            continue
        parts = word.casefold().split()
        if any(set(parts) <= set(c.casefold().split()) for c in chosen):
            continue
        inside = [c for c in chosen if set(c.casefold().split()) <= set(parts)]
        if inside:
            at = chosen.index(inside[0])
            chosen = [c for c in chosen if c not in inside]
            chosen.insert(at, word)
        else:
            chosen.append(word)
    return ", ".join(chosen)
