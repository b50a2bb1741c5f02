"""Synthetic news-like corpora with exact near-duplicate truth, deterministic from a seed.

    python benchmarks/generate.py --docs 20000 --out benchmarks/data/news.jsonl --seed 1

writes ``news.jsonl`` (records ``{"id", "text", "date", "source"}``; ``--format parquet`` for
Parquet), ``news.truth.jsonl`` (every pair whose word 5-gram Jaccard is >= 0.5, with that
Jaccard) and ``news.stats.json`` (how the corpus is made up).

How a corpus is made: *families* of documents. Each family is an original article plus, for a
share of them, derived versions as outlets publish reused wire copy: exact duplicates, word
edits (substitutions, insertions, deletions), paragraph cuts, truncated endings, a rewritten
first paragraph, added paragraphs, and combinations of these; a version is derived from the
original or from an earlier version. The edit strengths are spread so that a fair share of
versions land just below the 0.5 threshold (hard negatives) and just above it.

The truth is exact: words are the lower-cased runs of letters and digits of the text (the
generator only emits ASCII words separated by spaces and punctuation, so this agrees with any
reasonable tokenizer, copydesk's included), shingles are word 5-grams, and with a vocabulary of
exactly 4096 words a 5-gram packs into 60 bits without hashing. Jaccard is computed for every
pair inside a family. Pairs across families are not computed: their texts are independent
draws, so they share almost no 5-gram (``stats.cross_family_check`` measures the largest
cross-family Jaccard inside the first chunk; it is ~0.01), far below 0.5.

Families live inside chunks of 8192 documents, shuffled within the chunk; ids are
``n0000123``-style, numbered in file order, so string order is numeric order.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

CHUNK_DOCS = 8192  # families never cross a chunk; a constant, so output depends on the arguments only
VOCAB_SIZE = 4096  # 12 bits per word id: a word 5-gram packs exactly into a uint64
N_WORDS, N_NAMES = 2600, 1200  # the rest of the vocabulary (296 ids) are numbers
SHINGLE = 5
THRESHOLD = 0.5
LOOKUP_BITS = 20  # inverse-CDF lookup tables of 2**20 slots sample Zipf ids with one integer draw

# Surface forms of a word, punctuation after it, and the break after that.
FORMS = ("{}", "{}", '"{}')  # lower, Capitalised, opening quote + Capitalised (capitalisation applied below)
PUNCTS = ("", ",", ".", ',"', '."')
BREAKS = (" ", "\n\n", "")  # inside a paragraph, end of paragraph, end of text
P_NONE, P_COMMA, P_STOP, P_COMMA_QUOTE, P_STOP_QUOTE = range(len(PUNCTS))

REAL_WORDS = """
the of to and a in said on for that is with was by at as from it has will be have are an its not but after
government minister year percent people officials police president country new more than who were had two
last would been also about over told they which their one this week state city national up could or into
three other some first since when against year-old all people out million security new public official
statement health court report billion early military talks plan support under party people spokesman
agency between during while before because people local election news department according leaders
economic since workers group prime foreign region home family water power energy price prices market
company companies bank trade deal talks months days hours forces attack killed injured border crisis
ministry council law members director chief service services school children women data figures rise
fell rose cut plans program project funding budget tax taxes union strike protest protests vote voters
""".replace("-", " ").split()

ONSETS = [
    *("b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z"),
    *("br", "cr", "dr", "fr", "gr", "pr", "tr", "st", "sh", "ch", "th", "pl", "bl", "cl"),
]
VOWELS = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ea", "ou", "ie"]
CODAS = ["", "", "", "n", "r", "s", "l", "t", "m", "nd", "st", "rk"]


@dataclass(slots=True)
class Doc:
    """One article as parallel arrays over its words.

    ``w``: vocabulary id (its lower-cased identity), ``f``: surface form (index in FORMS),
    ``pu``: punctuation after the word (index in PUNCTS), ``pid``: paragraph label (a paragraph
    ends where the label changes; labels are arbitrary but unique within the document).
    """

    w: np.ndarray
    f: np.ndarray
    pu: np.ndarray
    pid: np.ndarray
    date: int = 0  # days since 2023-01-01
    source: int = 0
    family: int = -1

    def take(self, index: np.ndarray) -> Doc:
        """The document restricted to ``index`` (a mask or positions), metadata kept."""
        return Doc(self.w[index], self.f[index], self.pu[index], self.pid[index], self.date, self.source, self.family)

    def copy(self) -> Doc:
        """An independent copy (derived versions never share arrays with their base)."""
        return self.take(np.arange(len(self.w)))


@dataclass
class Vocab:
    """The fixed word list of a corpus, its sampling tables and the rendered surface table."""

    words: list[str]
    word_lookup: np.ndarray  # LOOKUP_BITS slots -> id, mixing words, names and numbers
    plain_lookup: np.ndarray  # common words only (edits insert and substitute these)
    name_lookup: np.ndarray
    is_name: np.ndarray
    said: int
    sources: list[str]
    table_json: tuple[np.ndarray, np.ndarray, np.ndarray] = field(init=False)
    table_raw: tuple[np.ndarray, np.ndarray, np.ndarray] = field(init=False)


def syllable_words(rng: np.random.Generator, count: int, min_syl: int, max_syl: int, taken: set[str]) -> list[str]:
    """``count`` distinct pronounceable lower-case ASCII words not in ``taken`` (which grows)."""
    out: list[str] = []
    while len(out) < count:
        n = int(rng.integers(min_syl, max_syl + 1))
        parts = [ONSETS[rng.integers(len(ONSETS))] + VOWELS[rng.integers(len(VOWELS))] for _ in range(n)]
        word = "".join(parts) + CODAS[rng.integers(len(CODAS))]
        if word not in taken and len(word) >= 3:
            taken.add(word)
            out.append(word)
    return out


def zipf_lookup(probs: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """An inverse-CDF table: ``table[random slot]`` draws ``ids`` with ``probs`` (to 2**-20)."""
    cdf = np.cumsum(probs / probs.sum())
    slots = (np.arange(1 << LOOKUP_BITS) + 0.5) / (1 << LOOKUP_BITS)
    return ids[np.minimum(np.searchsorted(cdf, slots), len(ids) - 1)].astype(np.int32)


def build_vocab(rng: np.random.Generator) -> Vocab:
    """The 4096-word list (common words, names, numbers), Zipfian sampling tables, outlets.

    Common words come first in Zipf rank (real English news words, then synthetic ones, shorter
    ones more frequent); names are capitalised synthetic words; numbers are plain digit strings
    (no thousands separator, so every tokenizer reads one word).
    """
    real = list(dict.fromkeys(REAL_WORDS))
    taken = set(real)
    synthetic = syllable_words(rng, N_WORDS - len(real), 1, 4, taken)
    synthetic.sort(key=len)
    words = real + synthetic
    names = [w.capitalize() for w in syllable_words(rng, N_NAMES, 2, 3, taken)]
    numbers = [str(y) for y in range(1990, 2026)] + [str(i) for i in range(1, 121)]
    while len(numbers) < VOCAB_SIZE - N_WORDS - N_NAMES:
        candidate = str(int(rng.integers(125, 100_000)))
        if candidate not in numbers:
            numbers.append(candidate)
    vocab_words = words + names + numbers
    assert len(vocab_words) == VOCAB_SIZE and len({w.lower() for w in vocab_words}) == VOCAB_SIZE

    word_ids = np.arange(N_WORDS)
    name_ids = np.arange(N_WORDS, N_WORDS + N_NAMES)
    num_ids = np.arange(N_WORDS + N_NAMES, VOCAB_SIZE)
    p_word = 1.0 / (word_ids + 2.7) ** 1.07
    p_name = 1.0 / (np.arange(N_NAMES) + 5.0) ** 0.9
    p_num = 1.0 / (np.arange(len(num_ids)) + 10.0)
    mixed = np.concatenate([0.905 * p_word / p_word.sum(), 0.07 * p_name / p_name.sum(), 0.025 * p_num / p_num.sum()])
    is_name = np.zeros(VOCAB_SIZE, dtype=bool)
    is_name[name_ids] = True
    outlets = syllable_words(rng, 60, 2, 3, taken)
    kinds = ["Herald", "Times", "Post", "Daily", "Tribune", "News", "Observer", "Courier", "Gazette", "Wire"]
    sources = [f"{o.capitalize()} {kinds[i % len(kinds)]}" for i, o in enumerate(outlets)]
    vocab = Vocab(
        words=vocab_words,
        word_lookup=zipf_lookup(mixed, np.arange(VOCAB_SIZE)),
        plain_lookup=zipf_lookup(p_word, word_ids),
        name_lookup=zipf_lookup(p_name, name_ids),
        is_name=is_name,
        said=vocab_words.index("said"),
        sources=sources,
    )
    vocab.table_raw = surface_table(vocab_words, json_escape=False)
    vocab.table_json = surface_table(vocab_words, json_escape=True)
    return vocab


def surface_index(w: np.ndarray, f: np.ndarray, pu: np.ndarray, brk: np.ndarray) -> np.ndarray:
    """Row of the surface table for each word: word x form x punctuation x break."""
    return ((w.astype(np.int64) * len(FORMS) + f) * len(PUNCTS) + pu) * len(BREAKS) + brk


def surface_table(words: list[str], json_escape: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every surface string as one byte buffer with starts and lengths (~180k entries, ~1.5 MB).

    With ``json_escape`` the strings are already escaped for a JSON string literal, so a JSONL
    text field is a plain concatenation of entries.
    """
    pieces: list[bytes] = []
    for word in words:
        cap = word[:1].upper() + word[1:]
        for form_index, form in enumerate(FORMS):
            surface = form.format(word if form_index == 0 else cap)
            for punct in PUNCTS:
                for brk in BREAKS:
                    text = surface + punct + brk
                    if json_escape:  # the only characters to escape in this ASCII text
                        text = text.replace('"', '\\"').replace("\n", "\\n")
                    pieces.append(text.encode())
    lengths = np.fromiter((len(p) for p in pieces), dtype=np.int64, count=len(pieces))
    starts = np.zeros(len(pieces), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    return np.frombuffer(b"".join(pieces), dtype=np.uint8), starts, lengths


def sample_sentences(rng: np.random.Generator, vocab: Vocab, n_sent: int) -> tuple[Doc, np.ndarray]:
    """``n_sent`` news-like sentences as one Doc (single paragraph label) and their lengths.

    Sentences have 6-40 words; the first word is capitalised; ~6% of words carry a comma; ~12%
    of long sentences are quotes, most of them closed by ``," said Name Name.``.
    """
    lens = np.clip(np.rint(rng.normal(20.0, 7.0, n_sent)), 6, 40).astype(np.int64)
    ends = np.cumsum(lens)
    starts = ends - lens
    n = int(ends[-1]) if n_sent else 0
    w = vocab.word_lookup[rng.integers(0, 1 << LOOKUP_BITS, n)]
    f = vocab.is_name[w].astype(np.int8)
    pos = np.arange(n) - np.repeat(starts, lens)
    pu = np.where((rng.random(n) < 0.06) & (pos < np.repeat(lens, lens) - 2), P_COMMA, 0).astype(np.int8)
    pu[ends - 1] = P_STOP
    f[starts] = 1
    quote = (rng.random(n_sent) < 0.12) & (lens >= 9)
    f[starts[quote]] = 2
    attributed = quote & (rng.random(n_sent) < 0.7)
    e = ends[attributed]
    w[e - 3] = vocab.said
    w[e - 2] = vocab.name_lookup[rng.integers(0, 1 << LOOKUP_BITS, len(e))]
    w[e - 1] = vocab.name_lookup[rng.integers(0, 1 << LOOKUP_BITS, len(e))]
    f[e - 3], f[e - 2], f[e - 1] = 0, 1, 1
    pu[e - 4] = P_COMMA_QUOTE
    pu[e - 3] = pu[e - 2] = 0
    pu[ends[quote & ~attributed] - 1] = P_STOP_QUOTE
    return Doc(w, f, pu, np.zeros(n, dtype=np.int32)), lens


def make_originals(rng: np.random.Generator, vocab: Vocab, targets: np.ndarray) -> list[Doc]:
    """Original articles of about ``targets`` words each, cut from one stream of sentences.

    The first paragraph (the lede) is one sentence; afterwards a sentence starts a new paragraph
    with probability 0.45. Everything is drawn in a few array operations for the whole batch.
    """
    n_sent = int(targets.sum() / 19.0 * 1.15) + 64
    stream, lens = sample_sentences(rng, vocab, n_sent)
    sent_end = np.cumsum(lens)
    while sent_end[-1] < targets.sum():  # rare: draw more sentences
        more, more_lens = sample_sentences(rng, vocab, n_sent // 4 + 64)
        w, f, pu, pid = (np.concatenate([a, b]) for a, b in zip(fields_of(stream), fields_of(more), strict=True))
        stream = Doc(w, f, pu, pid)
        lens = np.concatenate([lens, more_lens])
        sent_end = np.cumsum(lens)
    doc_last_sent = np.searchsorted(sent_end, np.cumsum(targets))  # index of each document's last sentence
    first_sent = np.concatenate([[0], doc_last_sent[:-1] + 1])
    new_para = rng.random(len(lens)) < 0.45
    new_para[first_sent] = True
    new_para[np.minimum(first_sent + 1, len(lens) - 1)] = True  # the lede stands alone
    stream.pid = np.repeat(np.cumsum(new_para).astype(np.int32), lens)
    word_start = np.concatenate([[0], sent_end])
    docs = []
    for a, b in zip(first_sent, doc_last_sent, strict=True):
        s, e = int(word_start[a]), int(word_start[b + 1])
        d = Doc(stream.w[s:e], stream.f[s:e], stream.pu[s:e], stream.pid[s:e] - stream.pid[s])
        docs.append(d)
    return docs


def fields_of(doc: Doc) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The four word arrays of a Doc, in constructor order."""
    return doc.w, doc.f, doc.pu, doc.pid


class SentencePool:
    """Sentences drawn in bulk and handed out in order, for new paragraphs of derived versions.

    Drawing 4096 sentences in one call costs about what drawing two does, so the pool keeps
    per-version overhead low; the draws stay in one deterministic sequence.
    """

    def __init__(self, rng: np.random.Generator, vocab: Vocab) -> None:
        self.rng, self.vocab = rng, vocab
        self.stream, self.bounds, self.next = Doc(*(np.zeros(0, np.int8),) * 4), np.zeros(1, np.int64), 0

    def paragraph(self, label: int) -> Doc:
        """A new paragraph of 1-3 sentences (an added paragraph or a rewritten lede)."""
        n_sent = int(self.rng.integers(1, 4))
        if self.next + n_sent >= len(self.bounds):
            self.stream, lens = sample_sentences(self.rng, self.vocab, 4096)
            self.bounds, self.next = np.concatenate([[0], np.cumsum(lens)]), 0
        s, e = int(self.bounds[self.next]), int(self.bounds[self.next + n_sent])
        self.next += n_sent
        para = self.stream.take(np.arange(s, e))
        para.pid = np.full(e - s, label, dtype=np.int32)
        return para


def concat(parts: list[Doc], like: Doc) -> Doc:
    """Documents glued in order, with the metadata of ``like``."""
    w, f, pu, pid = (np.concatenate(a) for a in zip(*(fields_of(p) for p in parts), strict=True))
    return Doc(w, f, pu, pid, date=like.date, source=like.source, family=like.family)


def paragraph_index(pid: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... per word: the rank of its paragraph in the document."""
    out = np.zeros(len(pid), dtype=np.int64)
    if len(pid) > 1:
        np.cumsum(pid[1:] != pid[:-1], out=out[1:])
    return out


def cut_paragraphs(rng: np.random.Generator, doc: Doc, share: float) -> Doc:
    """Drop ``share`` of the body paragraphs (never the lede), as a subeditor cuts for space."""
    para = paragraph_index(doc.pid)
    n_para = int(para[-1]) + 1
    n_drop = min(round(share * n_para), n_para - 2)
    if n_drop <= 0:
        return doc
    drop = rng.choice(np.arange(1, n_para), size=n_drop, replace=False)
    return doc.take(~np.isin(para, drop))


def truncate(doc: Doc, keep: float) -> Doc:
    """Keep the first ``keep`` share of paragraphs (at least two): a cut ending."""
    para = paragraph_index(doc.pid)
    n_keep = max(2, int(np.ceil(keep * (int(para[-1]) + 1))))
    return doc.take(para < n_keep)


def rewrite_lede(pool: SentencePool, doc: Doc) -> Doc:
    """Replace the first paragraph with a newly written one."""
    para = paragraph_index(doc.pid)
    lede = pool.paragraph(int(doc.pid.min()) - 1)
    return concat([lede, doc.take(para > 0)], doc)


def add_paragraph(rng: np.random.Generator, pool: SentencePool, doc: Doc) -> Doc:
    """Insert a newly written paragraph after a random paragraph (not before the lede)."""
    para = paragraph_index(doc.pid)
    after = int(rng.integers(0, int(para[-1]) + 1))
    cut = int(np.searchsorted(para, after, side="right"))
    new = pool.paragraph(int(doc.pid.max()) + 1)
    return concat([doc.take(np.arange(cut)), new, doc.take(np.arange(cut, len(doc.w)))], doc)


def edit_words(rng: np.random.Generator, vocab: Vocab, doc: Doc, rate: float) -> Doc:
    """Substitute, insert or delete words, each word edited with probability ``rate``.

    Deletions and insertions happen only inside sentences (at plain lower-case words without
    punctuation) so the text stays well formed; elsewhere an edit becomes a substitution. One
    gather builds the result: each kept word is repeated once, preceded by an inserted word.
    """
    n = len(doc.w)
    k = int(rng.binomial(n, rate))
    if k == 0:
        return doc.copy()
    pos = rng.choice(n, size=k, replace=False)
    kind = rng.integers(0, 3, k)  # 0 substitute, 1 insert before, 2 delete
    kind[(doc.f[pos] != 0) | (doc.pu[pos] != 0)] = 0
    w = doc.w.copy()
    sub = pos[kind == 0]
    w[sub] = vocab.plain_lookup[rng.integers(0, 1 << LOOKUP_BITS, len(sub))]
    ins = pos[kind == 1]
    copies = np.ones(n, dtype=np.int64)
    copies[pos[kind == 2]] = 0
    copies[ins] += 1
    src = np.repeat(np.arange(n), copies)
    new_at = (np.cumsum(copies) - copies)[ins]  # an inserted word takes the first slot of its position
    out = Doc(w[src], doc.f[src], doc.pu[src], doc.pid[src], doc.date, doc.source, doc.family)
    out.w[new_at] = vocab.plain_lookup[rng.integers(0, 1 << LOOKUP_BITS, len(ins))]
    out.f[new_at] = 0
    out.pu[new_at] = 0
    return out


@dataclass
class Options:
    """Generator parameters (the command-line flags)."""

    docs: int
    dup_rate: float = 0.3
    edit_rate: float = 0.05
    cut_rate: float = 0.2
    words: int = 500
    seed: int = 1


def derive(rng: np.random.Generator, vocab: Vocab, pool: SentencePool, base: Doc, opts: Options) -> tuple[Doc, str]:
    """One derived version of ``base`` and a short recipe label.

    12% exact duplicates; otherwise each operation applies independently: rewritten lede 25%,
    added paragraph 25%, paragraph cuts 40% (share ~ cut_rate x U(0.25, 1.75)), truncation 20%
    (keep U(0.4, 1)), word edits 85% (rate ~ edit_rate x U(0.1, 1.9)). With the defaults the mix
    puts about a third of versions below Jaccard 0.5 against their base, many of them close to it.
    """
    if rng.random() < 0.12:
        return base.copy(), "exact"
    doc = base
    ops: list[str] = []
    if rng.random() < 0.25:
        doc = rewrite_lede(pool, doc)
        ops.append("lede")
    if rng.random() < 0.25:
        doc = add_paragraph(rng, pool, doc)
        ops.append("add")
    if rng.random() < 0.40:
        doc = cut_paragraphs(rng, doc, opts.cut_rate * rng.uniform(0.25, 1.75))
        ops.append("cut")
    if rng.random() < 0.20:
        doc = truncate(doc, rng.uniform(0.4, 1.0))
        ops.append("trunc")
    if rng.random() < 0.85 or not ops:
        doc = edit_words(rng, vocab, doc, opts.edit_rate * rng.uniform(0.1, 1.9))
        ops.append("edit")
    if doc is base:
        doc = base.copy()
    return doc, "+".join(ops)


def pack_shingles(docs: list[Doc]) -> tuple[np.ndarray, np.ndarray]:
    """Word 5-grams of all ``docs``, each packed exactly into 60 bits, and the document of each.

    Windows that cross from one document into the next are dropped; repeats are kept.
    """
    lens = np.fromiter((len(d.w) for d in docs), dtype=np.int64, count=len(docs))
    w = np.concatenate([d.w for d in docs]).astype(np.uint64)
    owner = np.repeat(np.arange(len(docs)), lens)
    n = max(len(w) - SHINGLE + 1, 0)
    values = np.zeros(n, dtype=np.uint64)
    for i in range(SHINGLE):
        values = (values << np.uint64(12)) | w[i : i + n]
    valid = owner[:n] == owner[SHINGLE - 1 :]
    return values[valid], owner[:n][valid]


def family_jaccards(families: list[list[Doc]]) -> list[np.ndarray]:
    """Exact Jaccard of every pair inside each family (k x k matrices), for a whole chunk at once.

    All shingles are sorted by value with a stable sort; since they were laid out family by family,
    equal values stay grouped by family, so each (shingle, family) segment yields the bit mask of
    the members holding it. Intersection sizes are the mask counts multiplied out per family.
    (Documents need at least 5 words; the generator never makes shorter ones.)
    """
    sizes = np.array([len(m) for m in families])
    assert sizes.max(initial=0) <= 16
    docs = [d for m in families for d in m]
    values, owner = pack_shingles(docs)
    fam_of_doc = np.repeat(np.arange(len(families)), sizes)
    member_of_doc = np.arange(len(docs)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    order = np.argsort(values, kind="stable")
    values, owner = values[order], owner[order]
    fam = fam_of_doc[owner]
    bits = np.left_shift(np.uint64(1), member_of_doc[owner].astype(np.uint64))
    new_segment = np.concatenate([[True], (values[1:] != values[:-1]) | (fam[1:] != fam[:-1])])
    seg = np.flatnonzero(new_segment)
    masks = np.bitwise_or.reduceat(bits, seg)
    keys, counts = np.unique((fam[seg].astype(np.uint64) << np.uint64(16)) | masks, return_counts=True)
    bounds = np.searchsorted(keys >> np.uint64(16), np.arange(len(families) + 1))
    out = []
    for f, k in enumerate(sizes.tolist()):
        uniq, cnt = keys[bounds[f] : bounds[f + 1]] & np.uint64(0xFFFF), counts[bounds[f] : bounds[f + 1]]
        held = ((uniq[:, None] >> np.arange(k, dtype=np.uint64)) & np.uint64(1)).astype(np.float64)
        inter = (held * cnt[:, None]).T @ held
        size = np.diag(inter)
        out.append(inter / np.maximum(size[:, None] + size[None, :] - inter, 1))
    return out


def family_sizes(rng: np.random.Generator, n_docs: int, dup_rate: float) -> list[int]:
    """Members per family in one chunk: derived versions make ``dup_rate`` of the documents.

    A family with copies has 1-12 derived versions (geometric, mean ~3); the remaining
    documents are originals without copies (families of one).
    """
    derived_target = round(n_docs * dup_rate)
    sizes: list[int] = []
    derived = 0
    while derived < derived_target:
        k = min(int(rng.geometric(1 / 3)), 12, derived_target - derived)
        if sum(sizes) + k + 1 > n_docs:
            break
        sizes.append(k + 1)
        derived += k
    sizes += [1] * (n_docs - sum(sizes))
    return sizes


@dataclass
class ChunkResult:
    """One chunk: its documents in file order, their true pairs and statistics."""

    docs: list[Doc]
    truth: list[tuple[int, int, float]]  # positions in the chunk, a < b
    version_j: list[float]  # Jaccard of each derived version against its base
    family_pair_j: list[float]  # Jaccard of every within-family pair
    recipes: dict[str, int]


def make_family(
    rng: np.random.Generator,
    vocab: Vocab,
    pool: SentencePool,
    orig: Doc,
    size: int,
    opts: Options,
    recipes: dict[str, int],
) -> tuple[list[Doc], list[int]]:
    """An original and ``size - 1`` versions, each derived from the original (70%) or an earlier version."""
    orig.date = int(rng.integers(0, 730))
    orig.source = int(rng.integers(len(vocab.sources)))
    members, bases = [orig], []
    for _ in range(size - 1):
        base_i = 0 if rng.random() < 0.7 else int(rng.integers(len(members)))
        doc, recipe = derive(rng, vocab, pool, members[base_i], opts)
        doc.date = members[base_i].date + int(rng.integers(0, 4))
        doc.source = int(rng.integers(len(vocab.sources)))
        members.append(doc)
        bases.append(base_i)
        recipes[recipe] = recipes.get(recipe, 0) + 1
    return members, bases


def make_chunk(rng: np.random.Generator, vocab: Vocab, opts: Options, n_docs: int) -> ChunkResult:
    """Generate ``n_docs`` documents: originals, their derived versions, exact truth, shuffled."""
    sizes = family_sizes(rng, n_docs, opts.dup_rate)
    targets = np.clip(np.rint(rng.lognormal(np.log(opts.words), 0.3, len(sizes))), 60, 6 * opts.words)
    originals = make_originals(rng, vocab, targets.astype(np.int64))
    pool = SentencePool(rng, vocab)
    recipes: dict[str, int] = {}
    families, bases = [], []
    for fam, (size, orig) in enumerate(zip(sizes, originals, strict=True)):
        orig.family = fam
        members, member_bases = make_family(rng, vocab, pool, orig, size, opts, recipes)
        families.append(members)
        bases.append(member_bases)
    order = rng.permutation(n_docs)
    position = np.empty(n_docs, dtype=np.int64)
    position[order] = np.arange(n_docs)  # index in family order -> file position
    first = np.cumsum(sizes) - sizes
    multi = [f for f, size in enumerate(sizes) if size > 1]
    truth: list[tuple[int, int, float]] = []
    version_j: list[float] = []
    family_pair_j: list[float] = []
    for f, jac in zip(multi, family_jaccards([families[f] for f in multi]), strict=True):
        version_j += [float(jac[i + 1, b]) for i, b in enumerate(bases[f])]
        iu, ju = np.triu_indices(sizes[f], 1)
        pair_j = jac[iu, ju]
        family_pair_j += pair_j.tolist()
        hit = pair_j >= THRESHOLD
        a, b = position[first[f] + iu[hit]], position[first[f] + ju[hit]]
        truth += zip(np.minimum(a, b).tolist(), np.maximum(a, b).tolist(), pair_j[hit].tolist(), strict=True)
    truth.sort()
    flat = [d for members in families for d in members]
    return ChunkResult([flat[i] for i in order], truth, version_j, family_pair_j, recipes)


def render(docs: list[Doc], table: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """All texts of a batch as one byte buffer and their byte offsets, by array gathers only.

    Each word maps to one surface-table entry (word + form + punctuation + break); the bytes of
    the entries are gathered with ``repeat(start - out_offset, length) + arange``.
    """
    data, t_start, t_len = table
    w = np.concatenate([d.w for d in docs])
    f = np.concatenate([d.f for d in docs])
    pu = np.concatenate([d.pu for d in docs])
    pid = np.concatenate([d.pid for d in docs])
    brk = np.zeros(len(w), dtype=np.int64)
    brk[:-1] = pid[1:] != pid[:-1]
    doc_end = np.cumsum(np.fromiter((len(d.w) for d in docs), dtype=np.int64, count=len(docs)))
    brk[doc_end - 1] = 2
    rows = surface_index(w, f, pu, brk)
    lens = t_len[rows]
    out_end = np.cumsum(lens)
    shift = (t_start[rows] - (out_end - lens)).astype(np.int32)
    idx = np.repeat(shift, lens) + np.arange(int(out_end[-1]), dtype=np.int32)
    return data[idx], np.concatenate([[0], out_end[doc_end - 1]])


def iso_dates(days: np.ndarray) -> list[str]:
    """Days since 2023-01-01 as ISO dates."""
    return np.datetime_as_string(np.datetime64("2023-01-01") + days.astype("timedelta64[D]"), unit="D").tolist()


RENDER_BATCH = 2048  # documents per render call, to bound the temporary index arrays (~100 MB)


def jsonl_block(ids: list[str], docs: list[Doc], vocab: Vocab) -> bytes:
    """JSONL records ``{"id", "text", "date", "source"}``; the text comes pre-escaped from the table."""
    lines: list[bytes] = []
    for s in range(0, len(docs), RENDER_BATCH):
        batch = docs[s : s + RENDER_BATCH]
        data, offsets = render(batch, vocab.table_json)
        buf = data.tobytes()
        dates = iso_dates(np.array([d.date for d in batch]))
        for i, d in enumerate(batch):
            lines.append(f'{{"id": "{ids[s + i]}", "text": "'.encode())
            lines.append(buf[offsets[i] : offsets[i + 1]])
            lines.append(f'", "date": "{dates[i]}", "source": "{vocab.sources[d.source]}"}}\n'.encode())
    return b"".join(lines)


def arrow_block(ids: list[str], docs: list[Doc], vocab: Vocab) -> Any:
    """The same records as a pyarrow Table; the text column is built straight from the byte buffer."""
    import pyarrow as pa

    texts = []
    for s in range(0, len(docs), RENDER_BATCH):
        data, offsets = render(docs[s : s + RENDER_BATCH], vocab.table_raw)
        n = len(offsets) - 1
        texts.append(pa.StringArray.from_buffers(n, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(data)))
    return pa.table(
        {
            "id": pa.array(ids, pa.string()),
            "text": pa.chunked_array(texts, pa.string()),
            "date": pa.array(iso_dates(np.array([d.date for d in docs])), pa.string()),
            "source": pa.array([vocab.sources[d.source] for d in docs], pa.string()),
        }
    )


def cross_family_check(docs: list[Doc]) -> dict[str, float]:
    """The largest Jaccard between documents of different families in ``docs`` (exact).

    Backs the assumption that only within-family pairs can reach 0.5: one sort finds every
    shingle that two families share, and the pairs sharing any are measured exactly.
    """
    sets = [np.unique(pack_shingles([d])[0]) for d in docs]
    fam = np.repeat(np.array([d.family for d in docs]), [len(s) for s in sets])
    doc = np.repeat(np.arange(len(docs)), [len(s) for s in sets])
    values = np.concatenate(sets)
    order = np.lexsort((doc, values))
    values, fam, doc = values[order], fam[order], doc[order]
    cross = (values[1:] == values[:-1]) & (fam[1:] != fam[:-1])
    pairs: dict[tuple[int, int], int] = {}
    for i in np.flatnonzero(cross).tolist():
        key = (int(doc[i]), int(doc[i + 1]))
        pairs[key] = pairs.get(key, 0) + 1
    best = max((n / (len(sets[a]) + len(sets[b]) - n) for (a, b), n in pairs.items()), default=0.0)
    return {"docs": len(docs), "pairs_sharing_a_shingle": len(pairs), "max_jaccard": round(best, 4)}


@dataclass
class ChunkOut:
    """What a chunk worker hands back: the encoded records and the chunk's truth and statistics."""

    block: Any  # JSONL bytes or a pyarrow Table
    truth_lines: str
    n_truth: int
    in_pairs: int
    n_words: int
    version_j: list[float]
    family_pair_j: list[float]
    recipes: dict[str, int]
    cross: dict[str, float] | None


_WORKER: dict[str, Any] = {}  # vocab, options and format of the pool workers (set before forking)


def build_chunk(index: int) -> ChunkOut:
    """Generate, check and encode chunk ``index``; its random stream depends only on (seed, index)."""
    vocab, opts, fmt = _WORKER["vocab"], _WORKER["opts"], _WORKER["fmt"]
    start = index * CHUNK_DOCS
    n = min(CHUNK_DOCS, opts.docs - start)
    chunk = make_chunk(np.random.default_rng([opts.seed, 1, index]), vocab, opts, n)
    width = max(7, len(str(opts.docs - 1)))
    ids = [f"n{start + i:0{width}d}" for i in range(n)]
    block = (arrow_block if fmt == "parquet" else jsonl_block)(ids, chunk.docs, vocab)
    truth_lines = "".join(f'{{"a": "{ids[a]}", "b": "{ids[b]}", "jaccard": {j:.6f}}}\n' for a, b, j in chunk.truth)
    return ChunkOut(
        block=block,
        truth_lines=truth_lines,
        n_truth=len(chunk.truth),
        in_pairs=len({x for a, b, _ in chunk.truth for x in (a, b)}),
        n_words=sum(len(d.w) for d in chunk.docs),
        version_j=chunk.version_j,
        family_pair_j=chunk.family_pair_j,
        recipes=chunk.recipes,
        cross=cross_family_check(chunk.docs[:4096]) if index == 0 else None,
    )


def histogram(values: list[float]) -> dict[str, int]:
    """Counts in Jaccard bins of 0.05 (``"0.45-0.50"``: 0.45 <= J < 0.50; 1.0 in the last bin)."""
    counts = np.histogram(np.clip(values, 0, 0.999999), bins=20, range=(0, 1))[0] if values else np.zeros(20, int)
    return {f"{i / 20:.2f}-{(i + 1) / 20:.2f}": int(c) for i, c in enumerate(counts)}


def companion_paths(out: Path) -> tuple[Path, Path]:
    """``corpus.jsonl`` -> ``corpus.truth.jsonl``, ``corpus.stats.json`` (same for .parquet)."""
    stem = out.name
    for suffix in (".jsonl", ".parquet"):
        stem = stem.removesuffix(suffix)
    return out.with_name(stem + ".truth.jsonl"), out.with_name(stem + ".stats.json")


def chunk_outputs(opts: Options, vocab: Vocab, fmt: str, jobs: int) -> Iterator[ChunkOut]:
    """Chunks in order, built in ``jobs`` forked processes (the output does not depend on ``jobs``)."""
    _WORKER.update(vocab=vocab, opts=opts, fmt=fmt)
    indexes = range((opts.docs + CHUNK_DOCS - 1) // CHUNK_DOCS)
    if jobs <= 1 or len(indexes) == 1:
        yield from map(build_chunk, indexes)
        return
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap(build_chunk, indexes)


def summarise(opts: Options, fmt: str, outs: list[ChunkOut], seconds: float) -> dict[str, Any]:
    """The stats file: size, true pairs, how derived versions spread around the threshold."""
    version_j = [j for o in outs for j in o.version_j]
    family_pair_j = [j for o in outs for j in o.family_pair_j]
    vj = np.array(version_j)
    recipes: dict[str, int] = {}
    for o in outs:
        for key, count in o.recipes.items():
            recipes[key] = recipes.get(key, 0) + count
    in_pairs = sum(o.in_pairs for o in outs)
    return {
        "options": vars(opts),
        "format": fmt,
        "docs": opts.docs,
        "mean_words": round(sum(o.n_words for o in outs) / opts.docs, 1),
        "true_pairs": sum(o.n_truth for o in outs),
        "docs_in_a_true_pair": in_pairs,
        "share_docs_in_a_true_pair": round(in_pairs / opts.docs, 4),
        "derived_versions": len(vj),
        "derived_below_threshold": int((vj < THRESHOLD).sum()),
        "derived_0.4_to_0.5": int(((vj >= 0.4) & (vj < 0.5)).sum()),
        "derived_0.5_to_0.6": int(((vj >= 0.5) & (vj < 0.6)).sum()),
        "within_family_pairs": len(family_pair_j),
        "within_family_pairs_below_threshold": int((np.array(family_pair_j) < THRESHOLD).sum()),
        "version_vs_base_jaccard": histogram(version_j),
        "within_family_pair_jaccard": histogram(family_pair_j),
        "recipes": dict(sorted(recipes.items(), key=lambda kv: -kv[1])),
        "cross_family_check": outs[0].cross,
        "seconds": round(seconds, 1),
    }


def generate(opts: Options, out: Path, fmt: str, jobs: int = 1, quiet: bool = False) -> dict[str, Any]:
    """Write the corpus, its truth and stats; returns the stats. Files appear atomically."""
    t0 = time.perf_counter()
    vocab = build_vocab(np.random.default_rng([opts.seed, 0]))
    truth_path, stats_path = companion_paths(out)
    tmp = [p.with_name(p.name + ".tmp") for p in (out, truth_path)]
    out.parent.mkdir(parents=True, exist_ok=True)
    outs: list[ChunkOut] = []
    parquet_writer = None
    done = 0
    with tmp[0].open("wb") as corpus_out, tmp[1].open("w") as truth_out:
        for chunk in chunk_outputs(opts, vocab, fmt, jobs):
            if fmt == "parquet":
                import pyarrow.parquet as pq

                if parquet_writer is None:
                    parquet_writer = pq.ParquetWriter(corpus_out, chunk.block.schema, compression="zstd")
                parquet_writer.write_table(chunk.block)
                done += chunk.block.num_rows
            else:
                corpus_out.write(chunk.block)
                done += chunk.block.count(b"\n")
            truth_out.write(chunk.truth_lines)
            chunk.block, chunk.truth_lines = None, ""
            outs.append(chunk)
            if not quiet:
                rate = done / (time.perf_counter() - t0)
                print(f"\r{done:,}/{opts.docs:,} docs ({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)
        if parquet_writer is not None:
            parquet_writer.close()
    if not quiet:
        print(file=sys.stderr)
    for path, final in zip(tmp, (out, truth_path), strict=True):
        os.replace(path, final)
    stats = summarise(opts, fmt, outs, time.perf_counter() - t0)
    stats_path.write_text(json.dumps(stats, indent=1) + "\n")
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--docs", type=int, required=True, help="number of documents")
    parser.add_argument("--out", type=Path, required=True, help="corpus file (.jsonl or .parquet)")
    parser.add_argument(
        "--dup-rate", type=float, default=Options.dup_rate, help="share of documents that are derived versions"
    )
    parser.add_argument(
        "--edit-rate", type=float, default=Options.edit_rate, help="mean per-word edit probability of an edit"
    )
    parser.add_argument("--cut-rate", type=float, default=Options.cut_rate, help="mean share of paragraphs a cut drops")
    parser.add_argument("--words", type=int, default=Options.words, help="median words per original article")
    parser.add_argument("--seed", type=int, default=Options.seed)
    parser.add_argument("--format", choices=("jsonl", "parquet"), default=None, help="default: from --out suffix")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="processes (default: all cores)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.docs < 1 or not 0 <= args.dup_rate < 1 or args.words < 20 or args.jobs < 1:
        parser.error("need --docs >= 1, 0 <= --dup-rate < 1, --words >= 20, --jobs >= 1")
    fmt = args.format or ("parquet" if args.out.suffix == ".parquet" else "jsonl")
    opts = Options(args.docs, args.dup_rate, args.edit_rate, args.cut_rate, args.words, args.seed)
    stats = generate(opts, args.out, fmt, args.jobs, args.quiet)
    if not args.quiet:
        print(json.dumps({k: stats[k] for k in ("docs", "mean_words", "true_pairs", "derived_versions", "seconds")}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
