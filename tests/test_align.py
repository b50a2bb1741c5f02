"""The passage aligner on texts built for one behaviour each: moves, cuts, edits, limits, offsets."""

from __future__ import annotations

import random

import pytest

from copydesk.align import AlignParams, PairAlignment, align_pair, align_pairs
from copydesk.text import tokenize


def words(seed: int, n: int) -> str:
    """``n`` made-up words, distinct enough that they never match by chance."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ren", "tu", "vas", "po", "dre", "sil", "nor", "ba", "quen"]
    return " ".join("".join(rng.choice(syllables) for _ in range(3)) for _ in range(n))


def para(seed: int, n: int = 30) -> str:
    return words(seed, n).capitalize() + "."


def align(a: str, b: str, params: AlignParams = AlignParams()) -> PairAlignment:
    return align_pair(a, tokenize([a]), b, tokenize([b]), params)


def test_moved_paragraph_is_its_own_passage() -> None:
    p1, p2, p3 = para(1), para(2), para(3)
    result = align("\n\n".join([p1, p2, p3]), "\n\n".join([p1, p3, p2]))
    a_text = "\n\n".join([p1, p2, p3])
    found = sorted(a_text[p.a_start : p.a_end] for p in result.passages)
    assert len(result.passages) >= 2
    assert all(p.identity == 1.0 and not p.edits for p in result.passages)
    assert result.words_reused == 90 and result.words_only_a == 0 and result.share_b == 1.0
    assert any(p2.rstrip(".") in f for f in found) and any(p3.rstrip(".") in f for f in found)


def test_cut_paragraph_ends_the_passage_and_is_not_a_deletion() -> None:
    p1, p2, p3 = para(1), para(2), para(3)
    a, b = "\n\n".join([p1, p2, p3]), "\n\n".join([p1, p3])
    result = align(a, b)
    assert len(result.passages) == 2
    assert all(not p.edits for p in result.passages)
    cut = a.index(p2)
    assert all(p.a_end <= cut or p.a_start >= cut + len(p2) for p in result.passages)
    assert result.words_only_a == 30 and result.share_a == pytest.approx(60 / 90)


def test_word_edits_are_substitution_insertion_and_deletion() -> None:
    base = words(7, 40).split()
    edited = list(base)
    edited[5] = "United States"  # one word for two
    edited[20:20] = ["at", "7,644", "kilometres"]
    del edited[33:36]  # base[30:33]
    a, b = " ".join(base), " ".join(edited)
    result = align(a, b)
    assert len(result.passages) == 1
    ops = [(e.op, e.a_text, e.b_text) for e in result.passages[0].edits]
    assert ops[0] == ("substitute", base[5], "United States")
    assert ("insert", "", "at 7,644 kilometres") in ops
    assert ("delete", " ".join(base[30:33]), "") in ops
    for e in result.passages[0].edits:
        assert a[e.a_start : e.a_start + len(e.a_text)] == e.a_text
        assert b[e.b_start : e.b_start + len(e.b_text)] == e.b_text


def test_signs_and_brackets_stay_with_their_words() -> None:
    lead, tail = words(3, 12), words(4, 12)
    a = f"{lead} five million dollars and 15 per cent in the U.S. {tail}"
    b = f"{lead} $5 million and 15% in the US {tail}"
    ops = {(e.a_text, e.b_text) for e in align(a, b, AlignParams(min_words=10)).passages[0].edits}
    assert ("five million dollars", "$5 million") in ops
    assert ("per cent", "%") not in ops and ("U.S.", "US") in ops


def test_min_words_drops_short_shared_phrases() -> None:
    shared = words(9, 10)
    a, b = f"{words(1, 30)} {shared} {words(2, 30)}", f"{words(3, 30)} {shared} {words(4, 30)}"
    assert align(a, b).passages == ()
    [p] = align(a, b, AlignParams(min_words=8)).passages
    assert a[p.a_start : p.a_end] == shared == b[p.b_start : p.b_end]
    assert p.words == 10


def test_offsets_index_original_text_outside_the_tokenised_span() -> None:
    body = para(5, 25)
    a = "HEADLINE WORDS HERE\n\n" + body
    b = body + "\n\nfooter"
    toks_a = tokenize([a], [(a.index(body), len(a))])
    [p] = align_pair(a, toks_a, b, tokenize([b])).passages
    assert a[p.a_start : p.a_end] == body.rstrip(".") == b[p.b_start : p.b_end]


def test_unrelated_and_empty_texts_share_nothing() -> None:
    texts = [para(1, 60), para(2, 60), "", "   "]
    results = align_pairs(texts, tokenize(texts), [(0, 1), (0, 2), (2, 3)])
    assert [r.passages for r in results] == [(), (), ()]
    assert results[1].share_a == 0.0 and results[2].share_a == 0.0


def test_batch_equals_one_pair_at_a_time() -> None:
    texts = [para(i, 40) + "\n\n" + para(100 + i % 3, 40) for i in range(6)]
    pairs = [(i, j) for i in range(6) for j in range(i + 1, 6)]
    batch = align_pairs(texts, tokenize(texts), pairs)
    single = [align(texts[i], texts[j]) for i, j in pairs]
    assert batch == single
    assert sum(len(r.passages) for r in batch) == 3  # pairs (i, i + 3) share their second paragraph


def test_bad_pairs_and_params_are_refused() -> None:
    texts = ["a b c", "a b c"]
    with pytest.raises(IndexError):
        align_pairs(texts, tokenize(texts), [(0, 2)])
    with pytest.raises(ValueError):
        align_pairs(texts, tokenize(texts[:1]), [(0, 1)])
    with pytest.raises(ValueError):
        AlignParams(min_words=0)
    with pytest.raises(ValueError):
        AlignParams(mismatch=1.0)
