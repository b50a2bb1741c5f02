"""Near-duplicate pairs with the libraries people use today, each a whole process from JSONL to pairs.

    python benchmarks/peers.py datasketch corpus.jsonl --out out/ds
    python benchmarks/peers.py rensa corpus.jsonl --out out/rensa

Both do what their documentation shows, the way a user would write it: read the JSON Lines with
the ``json`` module, lower-case the text, take words with a regex (runs of letters and digits),
shingle them into word 5-grams, build one 128-permutation MinHash per document, index them in
the library's MinHash LSH for threshold 0.5, query every document, and keep the candidate pairs
whose MinHash-estimated Jaccard is >= 0.5.

- datasketch: ``MinHash.generator`` (the documented bulk constructor, which reuses the
  permutations and calls ``update_batch`` with the shingles encoded to bytes), ``MinHashLSH``
  with its own optimal banding for 0.5 (25 bands x 5 rows), filled through an insertion session.
- rensa: ``RMinHash.from_token_sets`` (the documented batch constructor) on string shingles, in
  batches of 1024 documents, ``RMinHashLSH(num_bands=32)`` (rensa needs bands dividing 128; 32 x 4
  is the banding closest to datasketch's for 0.5), ``query_all`` for the candidates.

Output: ``DIR/pairs.jsonl``, the copydesk contract, one pair per line with ``a < b``:
``jaccard`` is the MinHash estimate; ``shared_shingles`` and the containments are derived from it
and the exact shingle-set sizes (``|A n B| = J (|A| + |B|) / (1 + J)``), so they are estimates too.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

WORD = re.compile(r"[^\W_]+")  # a run of letters and digits
SHINGLE = 5
NUM_PERM = 128
THRESHOLD = 0.5


def read_records(path: Path) -> Iterator[tuple[str, str]]:
    """(id, text) of each JSON Lines record, read with the standard json module."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                yield str(record["id"]), record["text"]


def shingles(text: str) -> set[str]:
    """Distinct word 5-grams of the lower-cased text (the whole text when it has fewer words)."""
    words = WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return {" ".join(words)}
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def pair_record(id_a: str, id_b: str, size_a: int, size_b: int, jaccard: float) -> tuple[str, str, str]:
    """(a, b, pairs.jsonl line), ids ordered; overlap figures estimated from the Jaccard estimate."""
    if id_b < id_a:
        id_a, id_b, size_a, size_b = id_b, id_a, size_b, size_a
    shared = jaccard * (size_a + size_b) / (1.0 + jaccard)
    record = {
        "a": id_a,
        "b": id_b,
        "jaccard": round(jaccard, 6),
        "containment_a_in_b": round(min(shared / size_a, 1.0), 6),
        "containment_b_in_a": round(min(shared / size_b, 1.0), 6),
        "shared_shingles": round(shared),
    }
    return id_a, id_b, json.dumps(record) + "\n"


def estimated_pairs(
    ids: list[str], sizes: list[int], sketches: list[Any], candidates: Iterable[Iterable[int]]
) -> list[tuple[str, str, str]]:
    """Pairs ``i < j`` among each document's LSH candidates whose MinHash estimate reaches THRESHOLD
    (both libraries decide this way: they keep no shingle sets to verify exactly).
    """
    lines = []
    for i, found in enumerate(candidates):
        for j in found:
            if j > i:
                estimate = sketches[i].jaccard(sketches[j])
                if estimate >= THRESHOLD:
                    lines.append(pair_record(ids[i], ids[j], sizes[i], sizes[j], estimate))
    return lines


def write_pairs(out_dir: Path, records: Iterable[tuple[str, str, str]]) -> int:
    """Write pairs.jsonl sorted by (a, b); returns the number of pairs."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ordered = sorted(records)
    (out_dir / "pairs.jsonl").write_text("".join(line for _, _, line in ordered), encoding="utf-8")
    return len(ordered)


class Timer:
    """Wall time per stage, reported on stderr."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.stages: dict[str, float] = {}

    def mark(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = round(now - self.last, 2)
        self.last = now

    def report(self, tool: str, docs: int, pairs: int) -> None:
        total = time.perf_counter() - self.start
        print(f"{tool}: {docs} docs, {pairs} pairs, {total:.1f}s {self.stages}", file=sys.stderr)


def run_datasketch(path: Path, out_dir: Path) -> tuple[int, int, Timer]:
    """datasketch MinHash + MinHashLSH, verified by the MinHash Jaccard estimate."""
    from datasketch import MinHash, MinHashLSH

    timer = Timer()
    ids: list[str] = []
    sizes: list[int] = []

    def encoded_sets() -> Iterator[list[bytes]]:
        for doc_id, text in read_records(path):
            grams = shingles(text)
            ids.append(doc_id)
            sizes.append(len(grams))
            yield [g.encode("utf-8") for g in grams]

    sketches = list(MinHash.generator(encoded_sets(), num_perm=NUM_PERM, seed=1))
    timer.mark("read+sketch")
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for key, sketch in enumerate(sketches):
            session.insert(key, sketch, check_duplication=False)
    timer.mark("index")
    lines = estimated_pairs(ids, sizes, sketches, (lsh.query(sketch) for sketch in sketches))
    timer.mark("query+verify")
    n_pairs = write_pairs(out_dir, lines)
    timer.mark("write")
    return len(ids), n_pairs, timer


def run_rensa(path: Path, out_dir: Path, batch: int = 1024) -> tuple[int, int, Timer]:
    """rensa RMinHash + RMinHashLSH, verified by the MinHash Jaccard estimate."""
    from rensa import RMinHash, RMinHashLSH

    timer = Timer()
    ids: list[str] = []
    sizes: list[int] = []
    sketches: list[Any] = []
    lsh = RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=32)
    pending: list[list[str]] = []

    def flush() -> None:
        start = len(sketches)
        made = RMinHash.from_token_sets(pending, num_perm=NUM_PERM, seed=42)
        lsh.insert_pairs(list(enumerate(made, start)))
        sketches.extend(made)
        pending.clear()

    for doc_id, text in read_records(path):
        grams = shingles(text)
        ids.append(doc_id)
        sizes.append(len(grams))
        pending.append(list(grams))
        if len(pending) == batch:
            flush()
    if pending:
        flush()
    timer.mark("read+sketch+index")
    lines = estimated_pairs(ids, sizes, sketches, lsh.query_all(sketches))
    timer.mark("query+verify")
    n_pairs = write_pairs(out_dir, lines)
    timer.mark("write")
    return len(ids), n_pairs, timer


PEERS = {"datasketch": run_datasketch, "rensa": run_rensa}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("tool", choices=sorted(PEERS))
    parser.add_argument("input", type=Path, help="JSON Lines corpus with id and text fields")
    parser.add_argument("--out", type=Path, required=True, help="directory for pairs.jsonl")
    parser.add_argument("--quiet", action="store_true", help="no timing line on stderr")
    args = parser.parse_args(argv)
    docs, pairs, timer = PEERS[args.tool](args.input, args.out)
    if not args.quiet:
        timer.report(args.tool, docs, pairs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
