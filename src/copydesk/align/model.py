"""The alignment's parameters and results: plain frozen dataclasses, offsets into the original texts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

EditOp = Literal["substitute", "insert", "delete"]


@dataclass(frozen=True)
class AlignParams:
    """Every tunable of the passage aligner, with its default and why.

    Scores are per word: a match earns ``match``, a substituted word costs ``mismatch``, a run of
    ``L`` words present on one side only costs ``gap_open + L * gap_extend``.
    """

    # Anchors are shared word n-grams unique in both texts: 4 words rarely repeat by chance inside a
    # news article, and a reused stretch between two edits is usually longer than that.
    anchor_ngram: int = 4
    # Passages shorter than this (aligned words, see Passage.words) are dropped: a shared phrase
    # or a stock sentence is not reused copy.
    min_words: int = 15
    # Passages with a lower share of matched words are dropped: reused copy is mostly verbatim.
    min_identity: float = 0.5
    match: float = 1.0
    # A substituted word cancels one match: "US" for "United States" stays inside the passage.
    mismatch: float = -1.0
    # Opening a one-sided run costs two matches; each further word half a match, so a 5-word
    # insertion costs 4.5 and a 16-word inserted sentence 10, while a cut 25-word paragraph
    # costs 14.5 and breaks the passage (with xdrop below).
    gap_open: float = -2.0
    gap_extend: float = -0.5
    # X-drop: a passage ends where its running score falls this far below its best so far.
    xdrop: float = 12.0
    # A paragraph boundary matched on both sides is worth this many matched words: reused copy keeps
    # its paragraphs, so an edit just before a paragraph's end ("15 per cent overnight.") stays in.
    paragraph_bonus: float = 3.0
    # Chaining skips anchors whose estimated gap score is below -chain_drop; looser than xdrop
    # because anchors miss repeated words that the gap alignment then finds.
    chain_drop: float = 24.0
    # Gaps between anchors longer than this many words on either side are never filled: they end
    # the passage (and bound the dynamic-programming work).
    max_gap: int = 48
    # Half-width (in diagonals) of the band around the gap's corner-to-corner diagonals that the
    # affine-gap alignment explores; a gap is short, so a narrow band loses nothing.
    band: int = 8
    # Predecessors examined per anchor run when chaining: runs are sorted by position, and a
    # run more than this many runs back is too far to continue the same passage.
    lookback: int = 64
    # A matched run of at most this many words between two edits, and no longer than either edit,
    # is folded into one substitution ("five million dollars" -> "$5 million"), like the semantic
    # clean-up of diff-match-patch.
    merge_words: int = 1
    # A passage that crosses a paragraph break within its first or last ``edge_words`` words is cut
    # at the break: those words matched by chance next to a cut or rewritten paragraph.
    edge_words: int = 3
    # Chaining rounds stop when the best remaining chain scores below this: no passage can come of it.
    min_chain_score: float = 5.0

    def __post_init__(self) -> None:
        if self.anchor_ngram < 1:
            raise ValueError("anchor_ngram must be at least 1")
        if self.min_words < 1:
            raise ValueError("min_words must be at least 1")
        if not 0.0 <= self.min_identity <= 1.0:
            raise ValueError("min_identity must lie in [0, 1]")
        if self.match <= 0 or self.mismatch >= 0 or self.gap_open > 0 or self.gap_extend >= 0:
            raise ValueError("match must be positive; mismatch and gap_extend negative; gap_open not positive")
        if self.paragraph_bonus < 0:
            raise ValueError("paragraph_bonus must not be negative")
        if self.xdrop <= 0 or self.chain_drop <= 0:
            raise ValueError("xdrop and chain_drop must be positive")
        if self.max_gap < 1 or self.band < 1 or self.lookback < 1:
            raise ValueError("max_gap, band and lookback must be at least 1")
        if self.merge_words < 0 or self.edge_words < 0:
            raise ValueError("merge_words and edge_words must not be negative")


class KernelParams(NamedTuple):
    """``AlignParams`` as the compiled kernels take them (a numba-typed named tuple)."""

    k: int
    min_words: int
    min_identity: float
    match: float
    mismatch: float
    gap_open: float
    gap_extend: float
    xdrop: float
    paragraph_bonus: float
    chain_drop: float
    max_gap: int
    band: int
    lookback: int
    merge_words: int
    edge_words: int
    min_chain_score: float

    @classmethod
    def of(cls, p: AlignParams) -> KernelParams:
        """The kernel form of ``p``, with every field cast to the type the kernels compile for."""
        return cls(
            int(p.anchor_ngram),
            int(p.min_words),
            float(p.min_identity),
            float(p.match),
            float(p.mismatch),
            float(p.gap_open),
            float(p.gap_extend),
            float(p.xdrop),
            float(p.paragraph_bonus),
            float(p.chain_drop),
            int(p.max_gap),
            int(p.band),
            int(p.lookback),
            int(p.merge_words),
            int(p.edge_words),
            float(p.min_chain_score),
        )


class Edit(NamedTuple):
    """One edit inside a passage, from ``a`` to ``b`` (a named tuple: passages hold many, made fast).

    ``substitute``: words ``a_text`` of a stand as ``b_text`` in b (any lengths, one edit);
    ``insert``: ``b_text`` is in b only (``a_text == ""``, ``a_start`` is where it goes in a: the end
    of the preceding word); ``delete``: ``a_text`` is in a only (``b_text == ""``, ``b_start`` likewise).
    Texts are exact slices of the originals, from the first to the last word of the edited run
    (with an enclosing bracket pair when the run is parenthetical, and the signs glued to its words:
    ``$5 million``, ``15%``, ``U.S.``).
    """

    op: EditOp
    a_text: str
    b_text: str
    a_start: int
    b_start: int


@dataclass(frozen=True, slots=True)
class Passage:
    """A reused passage: ``a[a_start:a_end]`` aligned to ``b[b_start:b_end]`` (end exclusive).

    Spans run from the first to the last aligned word. ``words`` counts aligned columns that are
    not one-sided: matched words plus, for each substitution, the longer of its two sides.
    ``identity`` is matched words over all columns (``words`` plus inserted and deleted words).
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int
    identity: float
    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class PairAlignment:
    """All passages two texts share, in the order of a, and what they amount to.

    ``words_reused``: matched words over all passages. ``words_only_a``: words of a (its token span)
    outside every passage; ``share_a``: the share of a's words inside passages (likewise for b).
    """

    passages: tuple[Passage, ...]
    words_reused: int
    words_only_a: int
    words_only_b: int
    share_a: float
    share_b: float
