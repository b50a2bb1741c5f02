"""Passage-alignment speed: copydesk against difflib and rapidfuzz on ~500-word near-duplicate pairs.

Pairs come from a built-in generator, deterministic from ``--seed``: an original of about 500
words in paragraphs, and a version of it as an outlet edits wire copy (word substitutions, short
insertions and deletions, one cut paragraph, sometimes an added one). Every aligner gets the
same word lists; copydesk is timed with its tokeniser apart and included. One process, one core:
run it under ``taskset -c 1`` so pairs/s is per core.

    taskset -c 1 .venv/bin/python benchmarks/bench_align.py --pairs 2000

difflib.SequenceMatcher (default settings, autojunk on) and rapidfuzz's Levenshtein.opcodes are
global aligners: they say how to turn one whole list into the other. copydesk does more (local
passages, edits, offsets into the original text) and must still be faster.
"""

from __future__ import annotations

import argparse
import difflib
import os
import platform
import random
import time
from collections.abc import Callable

from copydesk.align import AlignParams, align_pairs, align_pairs_raw
from copydesk.text import tokenize

SYLLABLES = ["ka", "lo", "mi", "ren", "tu", "vas", "po", "dre", "sil", "nor", "ba", "quen", "te", "ris", "ol"]


def vocabulary(rng: random.Random, size: int = 5000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))))
    return sorted(words)


def zipf_word(rng: random.Random, vocab: list[str]) -> str:
    """A word drawn with Zipf-like frequencies, so function-word-like repeats occur as in news."""
    return vocab[min(int(rng.paretovariate(1.1)) - 1, len(vocab) - 1)]


def original(rng: random.Random, vocab: list[str], words: int = 500) -> list[list[str]]:
    """Paragraphs of sentences, each sentence a list of words ending with punctuation."""
    paragraphs: list[list[str]] = []
    count = 0
    while count < words:
        para = []
        for _ in range(rng.randint(2, 3)):
            sentence = [zipf_word(rng, vocab) for _ in range(rng.randint(10, 22))]
            sentence[0] = sentence[0].capitalize()
            sentence[-1] += "."
            para.extend(sentence)
        paragraphs.append(para)
        count += len(para)
    return paragraphs


def edited(rng: random.Random, vocab: list[str], paragraphs: list[list[str]]) -> list[list[str]]:
    """An outlet's version: one paragraph cut, word edits at ~3%, sometimes a new paragraph."""
    out = [list(p) for p in paragraphs]
    del out[rng.randrange(1, len(out))]
    for para in out:
        i = 0
        while i < len(para):
            r = rng.random()
            if r < 0.015:
                para[i] = zipf_word(rng, vocab)
            elif r < 0.022:
                para[i:i] = [zipf_word(rng, vocab) for _ in range(rng.randint(1, 6))]
                i += 1
            elif r < 0.03:
                del para[i : i + rng.randint(1, 4)]
            i += 1
    if rng.random() < 0.5:
        out.insert(rng.randrange(len(out)), [zipf_word(rng, vocab) for _ in range(rng.randint(25, 45))])
    return [p for p in out if p]


def render(paragraphs: list[list[str]]) -> str:
    return "\n\n".join(" ".join(p) for p in paragraphs)


def make_pairs(n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    pairs = []
    for _ in range(n):
        base = original(rng, vocab)
        pairs.append((render(base), render(edited(rng, vocab, base))))
    return pairs


def timed(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall time and best CPU time of this process over ``repeat`` runs.

    On a shared machine the CPU time is the fairer measure: it leaves out the time the process
    waited for its core.
    """
    wall = cpu = float("inf")
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        run()
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--pairs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3, help="runs per aligner; the best is reported")
    ap.add_argument("--peer-pairs", type=int, default=500, help="pairs given to the (slower) peers")
    args = ap.parse_args(argv)

    pairs = make_pairs(args.pairs, args.seed)
    texts = [t for pair in pairs for t in pair]
    index = [(2 * k, 2 * k + 1) for k in range(len(pairs))]
    words = [t.split() for t in texts]
    mean_words = sum(map(len, words)) / len(words)
    params = AlignParams()

    toks = tokenize(texts)
    align_pairs(texts, toks, index[:10], params)  # compile outside the timings
    t_tok = timed(lambda: tokenize(texts), args.repeat)
    t_raw = timed(lambda: align_pairs_raw(texts, toks, index, params), args.repeat)
    t_obj = timed(lambda: align_pairs(texts, toks, index, params), args.repeat)
    found = align_pairs(texts, toks, index, params)
    reused = sum(r.share_b for r in found) / len(found)

    peers = index[: args.peer_pairs]
    t_difflib = timed(lambda: [difflib.SequenceMatcher(None, words[i], words[j]).get_opcodes() for i, j in peers], 1)
    rows = [
        ("copydesk align_pairs_raw (flat arrays)", len(index), t_raw),
        ("copydesk align_pairs (passage objects)", len(index), t_obj),
        ("copydesk tokenize + align_pairs", len(index), (t_obj[0] + t_tok[0], t_obj[1] + t_tok[1])),
        ("difflib.SequenceMatcher.get_opcodes", len(peers), t_difflib),
    ]
    try:
        from rapidfuzz.distance import Levenshtein

        t_rf = timed(lambda: [Levenshtein.opcodes(words[i], words[j]) for i, j in peers], args.repeat)
        rows.append(("rapidfuzz Levenshtein.opcodes", len(peers), t_rf))
    except ImportError:
        print("rapidfuzz not installed: pip install -e '.[bench]'")

    print(f"pairs: {len(index)}, mean words per text: {mean_words:.0f}, seed {args.seed}")
    print(f"share of b inside copydesk passages (mean): {reused:.3f}")
    print(
        f"cpu affinity: {sorted(os.sched_getaffinity(0))}, python {platform.python_version()}, load {os.getloadavg()}"
    )
    print()
    print("| aligner | pairs | wall s | pairs/s (wall) | CPU s | pairs/s (CPU) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, n, (wall, cpu) in rows:
        print(f"| {name} | {n} | {wall:.3f} | {n / wall:,.0f} | {cpu:.3f} | {n / cpu:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
