"""Passage alignment: which passages two texts share, and how each was edited.

Local alignment at word level on token hashes: shared word n-grams unique in both texts anchor
the alignment; anchors grow into exact runs, runs are chained in order, and the gaps between them
get a banded affine-gap alignment, so substitutions of unequal length ("US" for "United States"),
insertions, deletions, cut paragraphs (the passage ends) and moved paragraphs (chained again in a
later round) all come out as passages and edits. Offsets index the original texts.

    >>> from copydesk.text import tokenize
    >>> a = "Kazakhstan, which has the longest land border with Russia, has welcomed Russians."
    >>> b = a.replace("Russia,", "Russia at 7,644 kilometres (4,750 miles),")
    >>> [(e.op, e.b_text) for e in align_pair(a, tokenize([a]), b, tokenize([b])).passages[0].edits]
    [('insert', 'at 7,644 kilometres (4,750 miles)')]
"""

from typing import TYPE_CHECKING

from copydesk.align.model import AlignParams, Edit, EditOp, PairAlignment, Passage

if TYPE_CHECKING:
    from copydesk.align.api import (
        AlignedBatch,
        align_pair,
        align_pairs,
        align_pairs_raw,
        build_alignments,
        concat_tokens,
    )

_API = {"AlignedBatch", "align_pair", "align_pairs", "align_pairs_raw", "build_alignments", "concat_tokens"}


def __getattr__(name: str) -> object:
    """The aligner is imported on first use: a command that only reads ``AlignParams`` (``dedup``,
    through ``Config``) does not load its compiled kernels.
    """
    if name in _API:
        from copydesk.align import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AlignParams",
    "AlignedBatch",
    "Edit",
    "EditOp",
    "PairAlignment",
    "Passage",
    "align_pair",
    "align_pairs",
    "align_pairs_raw",
    "build_alignments",
    "concat_tokens",
]
