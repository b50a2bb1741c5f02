"""Short labels for stories: the heaviest names and keywords of each story, as the articles print them.

Terms are ranked by the story's summed TF-IDF vector. That vector can be empty, or short of
words: in a corpus of one story every word is in every unit, so every IDF is zero. The rest of
the label then comes from the story's first articles, ranked by ``(1 + log tf) * smoothed idf *
boost`` (the IDF never reaches zero, names and numbers still weigh more), so every story with a
word in it gets a label. Function words, single letters and possessive endings never show.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from copydesk.article import Article
from copydesk.stories.features import _BIGRAM_MIX, UnitVectors, feature_text, finish_hash_array
from copydesk.text import tokenize

# Articles per story read back to find how its label words were printed (and, failing TF-IDF, which).
_SURFACE_SAMPLE = 3
# Stories labelled per batch: bounds the memory the samples take.
_CHUNK = 1024
# Words that name nothing: never a label word, and stripped from the ends of a name ("The US" -> "US").
# fmt: off
STOP_WORDS = frozenset(
    {
        "a", "about", "after", "again", "against", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
        "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down",
        "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
        "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my",
        "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "out", "over", "own",
        "said", "same", "says", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then",
        "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we",
        "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
        "yours", "mr", "mrs", "ms", "dr",
    }
)
# fmt: on
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


@dataclass
class _Sample:
    """What a story's first articles say: each word and space-joined word pair, as a hash and where it is printed."""

    texts: list[str]
    hashes: np.ndarray  # uint64, one per occurrence
    text_of: np.ndarray  # index into texts
    starts: np.ndarray
    ends: np.ndarray

    def surfaces(self, wanted: Sequence[int]) -> dict[int, str]:
        """How each wanted hash is most often printed (capitalised first on ties)."""
        seen: dict[int, Counter[str]] = {}
        hits = np.flatnonzero(np.isin(self.hashes, np.array(wanted, dtype=np.uint64)))
        columns = (x[hits].tolist() for x in (self.hashes, self.text_of, self.starts, self.ends))
        for h, t, a, b in zip(*columns, strict=True):
            seen.setdefault(h, Counter())[self.texts[t][a:b]] += 1
        return {h: min(c.items(), key=lambda kv: (-kv[1], not kv[0][:1].isupper(), kv[0]))[0] for h, c in seen.items()}


def story_labels(
    vectors: UnitVectors,
    story_of_unit: np.ndarray,
    n_stories: int,
    members: Sequence[Sequence[Article]],
    n_terms: int,
) -> list[str]:
    """One label per story, e.g. ``"Velstria, Kamenets dam, Sergei Antonov, Brezno, 23"``."""
    top = _top_terms(vectors, story_of_unit, n_stories, 3 * n_terms)
    smoothed_idf = np.log((1 + vectors.n_units) / (1 + vectors.df)) + 1
    labels = []
    for lo in range(0, n_stories, _CHUNK):
        samples = _samples([group[:_SURFACE_SAMPLE] for group in members[lo : lo + _CHUNK]])
        for terms, sample in zip(top[lo : lo + _CHUNK], samples, strict=True):
            ranked = [int(vectors.vocab[t]) for t in terms]
            printed = sample.surfaces(ranked)
            words = [clean_surface(printed[h]) if h in printed else None for h in ranked]
            if sum(w is not None for w in words) < n_terms:  # short of words: read the articles
                ranked = _fallback(sample, vectors, smoothed_idf)[: 4 * n_terms]
                printed = sample.surfaces(ranked)
                words += [clean_surface(printed[h]) for h in ranked if h in printed]
            labels.append(_compose(words, n_terms))
    return labels


def _top_terms(vectors: UnitVectors, story_of_unit: np.ndarray, n_stories: int, k: int) -> list[list[int]]:
    """The ``k`` heaviest term ids of each story's summed unit vectors (ties: lower term id)."""
    unit = np.repeat(np.arange(vectors.n_units), np.diff(vectors.indptr))
    story = story_of_unit[unit].astype(np.int64)
    n_vocab = max(len(vectors.vocab), 1)
    uniq, inverse = np.unique(story * n_vocab + vectors.terms, return_inverse=True)
    total = np.bincount(inverse, vectors.weights, len(uniq))
    story_u, term_u = uniq // n_vocab, uniq % n_vocab
    order = np.lexsort((term_u, -total, story_u))
    story_u, term_u = story_u[order], term_u[order]
    counts = np.bincount(story_u, minlength=n_stories)
    rank = np.arange(len(story_u)) - np.repeat(np.cumsum(counts) - counts, counts)
    keep = rank < k
    ends = np.cumsum(np.minimum(counts, k))
    kept = term_u[keep].tolist()
    top = [kept[end - n : end] for end, n in zip(ends.tolist(), np.minimum(counts, k).tolist(), strict=True)]
    return top


def _fallback(sample: _Sample, vectors: UnitVectors, smoothed_idf: np.ndarray) -> list[int]:
    """The sample's hashes ranked by ``(1 + log tf) * smoothed idf * boost`` (ties: lower hash)."""
    hashes, tf = np.unique(sample.hashes, return_counts=True)
    if not len(hashes) or not len(vectors.vocab):
        return []
    at = np.searchsorted(vectors.vocab, hashes).clip(max=len(vectors.vocab) - 1)
    known = vectors.vocab[at] == hashes  # boilerplate lines never reached the vocabulary
    hashes, at, tf = hashes[known], at[known], tf[known]
    score = (1 + np.log(tf)) * smoothed_idf[at] * vectors.boost[at]
    return [int(h) for h in hashes[np.lexsort((hashes, -score))].tolist()]


def _samples(groups: Sequence[Sequence[Article]]) -> list[_Sample]:
    """Per group of articles: every word and every pair of words joined by one space, with its place."""
    texts = [feature_text(a)[0] for group in groups for a in group]
    if not texts:
        return [_Sample([], *(np.zeros(0, dtype=d) for d in (np.uint64, np.int64, np.int64, np.int64)))] * len(groups)
    toks = tokenize(texts)
    text_of = np.repeat(np.arange(len(texts)), toks.counts())
    # A pair: two tokens of one text with exactly one space between them.
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    text_at = np.cumsum([0] + [len(t) for t in texts])
    first = np.flatnonzero((text_of[:-1] == text_of[1:]) & (toks.starts[1:] == toks.ends[:-1] + 1))
    first = first[codes[text_at[text_of[first]] + toks.ends[first]] == 32]
    pair_hashes = finish_hash_array(toks.hashes[first] * _BIGRAM_MIX + toks.hashes[first + 1])
    hashes = np.concatenate([toks.hashes, pair_hashes])
    where = np.concatenate([text_of, text_of[first]])
    starts = np.concatenate([toks.starts, toks.starts[first]])
    ends = np.concatenate([toks.ends, toks.ends[first + 1]])
    order = np.argsort(where, kind="stable")
    hashes, where, starts, ends = hashes[order], where[order], starts[order], ends[order]
    bounds = np.searchsorted(where, np.arange(len(texts) + 1))
    samples, at = [], 0
    for group in groups:
        lo, hi = bounds[at], bounds[at + len(group)]
        own = slice(lo, hi)
        samples.append(_Sample(texts[at : at + len(group)], hashes[own], where[own] - at, starts[own], ends[own]))
        at += len(group)
    return samples


def clean_surface(printed: str) -> str | None:
    """A label word from its printing: possessive and function words at the ends cut; None if nothing names."""
    words = [_POSSESSIVE.sub("", w) for w in printed.split()]
    while words and words[0].casefold() in STOP_WORDS:
        words.pop(0)
    while words and words[-1].casefold() in STOP_WORDS:
        words.pop()
    if not words or (len(words) == 1 and len(words[0]) < 2):
        return None
    return " ".join(words)


def _compose(words: Sequence[str | None], n_terms: int) -> str:
    """Up to ``n_terms`` words; a name replaces the words it contains ("Antonov" -> "Sergei Antonov").

    A name may still replace its words once the label is full; a plural next to its singular is left out.
    """
    chosen: list[tuple[str, frozenset[str]]] = []
    for word in words:
        if word is None:
            continue
        folded = word.casefold()
        parts = frozenset(folded.split())
        if len(chosen) == n_terms and len(parts) < 2:
            continue
        if any(parts <= c_parts or _plural_pair(folded, c.casefold()) for c, c_parts in chosen):
            continue
        inside = [c for c in chosen if c[1] <= parts]
        if len(chosen) == n_terms and not inside:
            continue
        if inside:
            at = chosen.index(inside[0])
            chosen = [c for c in chosen if c not in inside]
            chosen.insert(at, (word, parts))
        else:
            chosen.append((word, parts))
    return ", ".join(c for c, _ in chosen)


def _plural_pair(word: str, other: str) -> bool:
    """Whether one word is the other plus an ``s`` ("election", "elections")."""
    return word + "s" == other or other + "s" == word
