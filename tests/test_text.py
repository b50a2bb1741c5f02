from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.text import normalize_word, tokenize, word_hash


def words_of(text: str) -> list[str]:
    toks = tokenize([text])
    return [text[s:e] for s, e in zip(toks.starts, toks.ends, strict=True)]


def test_words_keep_apostrophes_between_letters_and_marks_between_digits() -> None:
    assert words_of("Kazakhstan’s border, at 7,644 kilometres (4,750 miles).") == [
        "Kazakhstan’s",
        "border",
        "at",
        "7,644",
        "kilometres",
        "4,750",
        "miles",
    ]


def test_dashes_quotes_and_trailing_marks_separate_words() -> None:
    assert words_of("“long-term”—ties, 12. ‘end’") == ["long", "term", "ties", "12", "end"]


def test_normalisation_folds_case_quotes_and_compatibility_forms() -> None:
    assert word_hash("Kazakhstan’s") == word_hash("KAZAKHSTAN's")
    assert word_hash("ﬁne") == word_hash("fine")
    assert word_hash("Straße") == word_hash("STRASSE")
    assert word_hash("ＵＳ") == word_hash("us")
    assert word_hash("US") != word_hash("USA")
    assert normalize_word("Zelenskyy’s") == "zelenskyy's"


def test_spans_restrict_tokens_and_offsets_stay_in_the_whole_text() -> None:
    text = "HEADLINE\n\nBody starts here."
    toks = tokenize([text, text], [(0, len(text)), (10, len(text))])
    assert toks.counts().tolist() == [4, 3]
    doc = toks.doc(1)
    assert [text[s:e] for s, e in zip(doc.starts, doc.ends, strict=True)] == ["Body", "starts", "here"]


def test_batches_give_the_same_tokens_as_single_texts() -> None:
    texts = ["Blinken met Tokayev.", "", "😀 emoji then words", "déjà vu 2,5"]
    batch = tokenize(texts)
    for i, text in enumerate(texts):
        alone = tokenize([text])
        assert batch.doc(i).hashes.tolist() == alone.hashes.tolist()
        assert batch.doc(i).starts.tolist() == alone.starts.tolist()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=60), min_size=1, max_size=5))
def test_token_offsets_map_back_to_the_original_text(texts: list[str]) -> None:
    toks = tokenize(texts)
    for i, text in enumerate(texts):
        doc = toks.doc(i)
        previous_end = 0
        for start, end, h in zip(doc.starts, doc.ends, doc.hashes, strict=True):
            assert previous_end <= start < end <= len(text)
            word = text[start:end]
            assert unicodedata.category(word[0])[0] in "LMN"
            # The same word read alone tokenises to itself with the same hash.
            assert int(h) == word_hash(word)
            previous_end = end


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.integers(0, 80), st.integers(0, 80))
def test_span_tokens_lie_inside_the_span(text: str, a: int, b: int) -> None:
    lo, hi = sorted((min(a, len(text)), min(b, len(text))))
    toks = tokenize([text], [(lo, hi)])
    assert all(lo <= s < e <= hi for s, e in zip(toks.starts, toks.ends, strict=True))
    # A span reads exactly as the text cut to it: nothing before or after it joins a word.
    cut = tokenize([text[lo:hi]])
    assert (toks.starts - lo).tolist() == cut.starts.tolist()
    assert (toks.ends - lo).tolist() == cut.ends.tolist()
    assert toks.hashes.tolist() == cut.hashes.tolist()


@given(st.lists(st.one_of(st.text(max_size=40), st.text(st.characters(max_codepoint=127), max_size=40)), max_size=6))
def test_the_utf8_batch_is_every_text_encoded_in_turn(texts: list[str]) -> None:
    """ASCII batches take a joined fast path; any batch must give each text's UTF-8 bytes at its byte start."""
    import numpy as np

    from copydesk.text import to_utf8

    data, starts = to_utf8(texts)
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    assert bytes(data) == b"".join(encoded)
    assert starts.tolist() == np.concatenate([[0], np.cumsum([len(e) for e in encoded], dtype=np.int64)]).tolist()
