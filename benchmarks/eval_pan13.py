"""Passage-alignment quality on PAN 2013 text alignment, verbatim subset (../shared/data/pan13-verbatim).

For each of the 500 suspicious/source pairs, the whole suspicious text (a) is aligned to the whole
source text (b) with copydesk's aligner. A reuse case counts as found when one reported passage
overlaps at least half of it on the suspicious side AND at least half of it on the source side.
Precision is the share of reported passage characters on the suspicious side that fall inside
some case of that pair. Case spans are the ``realigned_*`` fields where present (the corpus
was converted to ASCII, which shifted the given offsets), else the given ones.

    .venv/bin/python benchmarks/eval_pan13.py
    .venv/bin/python benchmarks/eval_pan13.py --set anchor_ngram=5 --set min_words=20
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from copydesk.align import AlignParams, PairAlignment, align_pairs
from copydesk.text import tokenize

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "pan13-verbatim"
Span = tuple[int, int]


@dataclasses.dataclass
class Case:
    """One reuse case: its span in the suspicious text and in the source text."""

    susp: Span
    src: Span


def case_spans(row: dict[str, object]) -> Case:
    """The case's spans, realigned where the corpus offers it."""
    prefix = "realigned_" if row.get("realigned_this_offset") is not None else ""

    def span(side: str) -> Span:
        offset = int(str(row[f"{prefix}{side}_offset"]))
        return offset, offset + int(str(row[f"{prefix}{side}_length"]))

    return Case(span("this"), span("source"))


def read_pairs(data: Path) -> dict[tuple[str, str], list[Case]]:
    """Cases grouped by (suspicious file, source file), in file order."""
    pairs: dict[tuple[str, str], list[Case]] = defaultdict(list)
    for line in (data / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            pairs[(row["suspicious"], row["source"])].append(case_spans(row))
    return pairs


def overlap(a: Span, b: Span) -> int:
    """Characters shared by two spans."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def found(case: Case, result: PairAlignment) -> bool:
    """Whether one passage covers at least half of the case on both sides."""
    need_s = (case.susp[1] - case.susp[0]) / 2
    need_r = (case.src[1] - case.src[0]) / 2
    return any(
        overlap(case.susp, (p.a_start, p.a_end)) >= need_s and overlap(case.src, (p.b_start, p.b_end)) >= need_r
        for p in result.passages
    )


def precise_chars(cases: list[Case], result: PairAlignment) -> tuple[int, int]:
    """(passage characters on the suspicious side inside some case, all passage characters there)."""
    inside = total = 0
    for p in result.passages:
        total += p.a_end - p.a_start
        covered = np.zeros(p.a_end - p.a_start, dtype=bool)
        for c in cases:
            lo, hi = max(c.susp[0], p.a_start), min(c.susp[1], p.a_end)
            if hi > lo:
                covered[lo - p.a_start : hi - p.a_start] = True
        inside += int(covered.sum())
    return inside, total


def parse_overrides(items: list[str]) -> dict[str, object]:
    """``name=value`` pairs for AlignParams, values typed like the defaults."""
    defaults = AlignParams()
    out: dict[str, object] = {}
    for item in items:
        name, _, value = item.partition("=")
        kind = type(getattr(defaults, name))
        out[name] = kind(value)
    return out


def main(argv: list[str] | None = None) -> int:
    """Align every pair, print the case recall and character precision table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="override an AlignParams field")
    ap.add_argument("--misses", action="store_true", help="list the cases not found")
    args = ap.parse_args(argv)
    if not (args.data / "truth.jsonl").exists():
        print(f"no PAN13 data at {args.data}", file=sys.stderr)
        return 2
    params = AlignParams(**parse_overrides(args.set))  # type: ignore[arg-type]
    pairs = read_pairs(args.data)
    names = sorted({s for s, _ in pairs} | {r for _, r in pairs})
    index = {name: i for i, name in enumerate(names)}
    texts = [
        (args.data / ("susp" if name.startswith("suspicious") else "src") / name).read_text(encoding="utf-8")
        for name in names
    ]
    toks = tokenize(texts)
    keys = list(pairs)
    t0 = time.perf_counter()
    results = align_pairs(texts, toks, [(index[s], index[r]) for s, r in keys], params)
    elapsed = time.perf_counter() - t0
    n_cases = n_found = inside = total = 0
    short_cases = short_found = 0
    for key, result in zip(keys, results, strict=True):
        cases = pairs[key]
        for case in cases:
            hit = found(case, result)
            n_cases += 1
            n_found += hit
            if case.susp[1] - case.susp[0] < 300:
                short_cases += 1
                short_found += hit
            if not hit and args.misses:
                print("missed", key, case, [(p.a_start, p.a_end, p.b_start, p.b_end) for p in result.passages])
        i, t = precise_chars(cases, result)
        inside += i
        total += t
    passages = sum(len(r.passages) for r in results)
    recall = n_found / n_cases
    precision = inside / total if total else 0.0
    print(f"params: {params}")
    print("| measure | value |")
    print("| --- | --- |")
    print(f"| pairs | {len(keys)} |")
    print(f"| cases | {n_cases} |")
    print(f"| cases found | {n_found} |")
    print(f"| case recall | {recall:.4f} |")
    print(f"| short cases (< 300 chars) found | {short_found} / {short_cases} |")
    print(f"| passages reported | {passages} |")
    print(f"| character precision (suspicious side) | {precision:.4f} |")
    print(f"| alignment time (all pairs, incl. objects) | {elapsed:.2f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
