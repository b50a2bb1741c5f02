"""Passage alignment on real reuse: PAN 2013 verbatim cases (../shared/data/pan13-verbatim), issue 4 targets.

Scored as benchmarks/eval_pan13.py does: a case is found when one passage overlaps at least half
of it on both sides; precision is the share of passage characters (suspicious side) inside a case.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from conftest import ROOT, shared_path
from copydesk.align import align_pairs
from copydesk.text import tokenize


def evaluator() -> ModuleType:
    path = ROOT / "benchmarks" / "eval_pan13.py"
    spec = importlib.util.spec_from_file_location("eval_pan13", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_pan13"] = module
    spec.loader.exec_module(module)
    return module


def test_case_recall_and_precision_meet_the_targets() -> None:
    data: Path = shared_path("data", "pan13-verbatim")
    ev = evaluator()
    pairs = ev.read_pairs(data)
    names = sorted({s for s, _ in pairs} | {r for _, r in pairs})
    index = {name: i for i, name in enumerate(names)}
    texts = [(data / ("susp" if n.startswith("suspicious") else "src") / n).read_text(encoding="utf-8") for n in names]
    keys = list(pairs)
    results = align_pairs(texts, tokenize(texts), [(index[s], index[r]) for s, r in keys])
    cases = found = inside = total = 0
    for key, result in zip(keys, results, strict=True):
        for case in pairs[key]:
            cases += 1
            found += ev.found(case, result)
        i, t = ev.precise_chars(pairs[key], result)
        inside += i
        total += t
    assert cases == 624
    assert found / cases >= 0.95
    assert inside / total >= 0.90
