"""Issue 4 acceptance on the real seeds: 000 (the short edit) aligned against 001 (the fuller AFP version)."""

from __future__ import annotations

import pytest

from conftest import SEED_FULL, SEED_SHORT
from copydesk.align import Passage
from copydesk.ingest import read_corpus
from copydesk.passages import AlignedPair, align_articles


@pytest.fixture(scope="module")
def seeds(request: pytest.FixtureRequest) -> tuple[str, str, AlignedPair]:
    from conftest import shared_path

    corpus = read_corpus([shared_path("seeds")])
    [pair] = align_articles(corpus.articles, [(0, 1)])
    texts = {a.id: a.text for a in corpus.articles}
    return texts[SEED_SHORT], texts[SEED_FULL], pair


def paragraph(text: str, opening: str) -> tuple[int, int]:
    """The span of the line of ``text`` that begins with ``opening``, from its first to its last word character."""
    start = text.index("\n" + opening) + 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    while not text[start].isalnum():
        start += 1
    while not text[end - 1].isalnum():
        end -= 1
    return start, end


def passage_holding(passages: tuple[Passage, ...], span: tuple[int, int]) -> Passage | None:
    return next((p for p in passages if p.a_start <= span[0] and span[1] <= p.a_end), None)


def test_pair_orders_short_seed_as_a(seeds: tuple[str, str, AlignedPair]) -> None:
    _, _, pair = seeds
    assert (pair.a, pair.b) == (SEED_SHORT, SEED_FULL)


@pytest.mark.parametrize(
    "opening",
    [
        "“Sometimes we just say those words",
        "All five Central Asian nations",
        "President Vladimir Putin’s justifications",
        "Tokayev recently spoke by telephone",
        "China, which the US views",
        "Kazakhstan, which has the longest land border",
    ],
)
def test_reused_paragraphs_lie_inside_passages(seeds: tuple[str, str, AlignedPair], opening: str) -> None:
    short, full, pair = seeds
    span = paragraph(short, opening)
    passage = passage_holding(pair.alignment.passages, span)
    assert passage is not None, f"no passage covers the paragraph {opening!r}"
    # the b side really is the same copy: its text holds the paragraph's first words
    assert opening.lstrip("“").split()[1] in full[passage.b_start : passage.b_end]


def edits_in(passages: tuple[Passage, ...], span: tuple[int, int]) -> list[tuple[str, str, str]]:
    return [(e.op, e.a_text, e.b_text) for p in passages for e in p.edits if span[0] <= e.a_start < span[1]]


def test_house_style_substitutions_inside_paragraphs(seeds: tuple[str, str, AlignedPair]) -> None:
    short, _, pair = seeds
    passages = pair.alignment.passages
    assert ("substitute", "Zelenskyy", "Zelensky") in edits_in(passages, paragraph(short, "Tokayev recently spoke"))
    assert ("substitute", "US", "United States") in edits_in(passages, paragraph(short, "China, which the US views"))


def test_inserted_distance_is_one_insertion(seeds: tuple[str, str, AlignedPair]) -> None:
    short, full, pair = seeds
    span = paragraph(short, "Kazakhstan, which has the longest land border")
    inserted = [e for e in edits_in(pair.alignment.passages, span) if e[0] == "insert"]
    assert inserted == [("insert", "", "at 7,644 kilometres (4,750 miles)")]
    edit = next(e for p in pair.alignment.passages for e in p.edits if e.op == "insert" and "7,644" in e.b_text)
    # offsets index the originals: b_start points at the inserted text, a_start just after "Russia"
    assert full[edit.b_start : edit.b_start + len(edit.b_text)] == edit.b_text
    assert short[: edit.a_start].endswith("land border with Russia")


def test_new_paragraph_is_not_aligned(seeds: tuple[str, str, AlignedPair]) -> None:
    short, _, pair = seeds
    lo, hi = paragraph(short, "Blinken said that the US was")
    assert all(p.a_end <= lo or p.a_start >= hi for p in pair.alignment.passages)


def test_passage_offsets_are_exact_slices_of_the_originals(seeds: tuple[str, str, AlignedPair]) -> None:
    short, full, pair = seeds
    for p in pair.alignment.passages:
        assert p.words >= 15
        assert 0.5 <= p.identity <= 1.0
        a, b = short[p.a_start : p.a_end], full[p.b_start : p.b_end]
        assert a.split()[0].casefold() == b.split()[0].casefold() or any(e.a_start == p.a_start for e in p.edits)
        for e in p.edits:
            assert short[e.a_start : e.a_start + len(e.a_text)] == e.a_text
            assert full[e.b_start : e.b_start + len(e.b_text)] == e.b_text
            assert p.a_start <= e.a_start <= p.a_end and p.b_start <= e.b_start <= p.b_end


def test_pair_summary_counts(seeds: tuple[str, str, AlignedPair]) -> None:
    _, _, pair = seeds
    al = pair.alignment
    assert al.words_reused > 250
    assert 0.5 < al.share_a < 1.0 and 0.3 < al.share_b < al.share_a  # the short version reuses more of itself
    assert al.words_only_a > 0 and al.words_only_b > al.words_only_a
