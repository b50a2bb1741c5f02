"""Near-duplicate benchmark: copydesk dedup against datasketch and rensa on a synthetic news corpus.

    python benchmarks/bench_dedup.py --docs 20000 --rounds 2
    python benchmarks/bench_dedup.py --docs 20000 --workers 2 --tools copydesk
    python benchmarks/bench_dedup.py --scale            # 1,000,000 docs, copydesk only, all cores

The corpus comes from benchmarks/generate.py (cached under benchmarks/data/, with its exact truth:
every pair whose word 5-gram Jaccard is >= 0.5). Each tool runs as a separate process, from JSON
Lines to pairs.jsonl, pinned with ``taskset`` (one core unless ``--workers``/``--scale``); tools
alternate round by round and the best round counts. Measured per run: wall time, CPU time and the
child's own peak RSS (``os.wait4``), plus the peak PSS of its whole process tree sampled from /proc
every 0.2 s (the figure that matters when a tool forks workers). Each tool's pairs are scored
against the truth: recall and precision, and for the misses and false alarms their exact Jaccard.
Results go to benchmarks/results/ as JSON; the table is printed as Markdown.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from generate import Options  # the generator's parameters and their defaults

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VENV_BIN = REPO / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
ALL_TOOLS = ("copydesk", "datasketch", "rensa")
ALONE = "copydesk-alone"
"""copydesk from ``--alone-venv``: installed by itself, without the peers' SciPy, which numba imports
at start-up (about 0.3 s) when it is there."""
THRESHOLD = 0.5
TARGETS = {"rensa": 3.0, "datasketch": 12.0}  # copydesk docs/s over the peer's, 1 core, 20k docs
SCALE_TARGET = {"wall_s": 120.0, "rss_mb": 4096.0}  # 1M docs, 2 cores


# ----------------------------------------------------------------------------- corpus


def corpus_path(spec: Options, data_dir: Path) -> Path:
    """benchmarks/data/news-20000-s1.jsonl, with non-default generator parameters spelled out."""
    name = f"news-{spec.docs}-s{spec.seed}"
    if spec != Options(spec.docs, seed=spec.seed):
        name += f"-d{spec.dup_rate}-e{spec.edit_rate}-c{spec.cut_rate}-w{spec.words}"
    return data_dir / f"{name}.jsonl"


def ensure_corpus(spec: Options, data_dir: Path, jobs: int) -> tuple[Path, Path, dict[str, Any]]:
    """The corpus, its truth file and its stats, generating them unless a complete copy is cached."""
    corpus = corpus_path(spec, data_dir)
    truth = corpus.with_name(corpus.name.removesuffix(".jsonl") + ".truth.jsonl")
    stats = corpus.with_name(corpus.name.removesuffix(".jsonl") + ".stats.json")
    if not (corpus.exists() and truth.exists() and stats.exists()):
        cmd = [PYTHON, str(HERE / "generate.py"), "--docs", str(spec.docs), "--out", str(corpus)]
        cmd += ["--seed", str(spec.seed), "--dup-rate", str(spec.dup_rate), "--edit-rate", str(spec.edit_rate)]
        cmd += ["--cut-rate", str(spec.cut_rate), "--words", str(spec.words), "--jobs", str(jobs)]
        print(f"generating {corpus} ...", file=sys.stderr)
        subprocess.run(cmd, check=True)
    return corpus, truth, json.loads(stats.read_text())


# ----------------------------------------------------------------------------- running


def tree_pids(root: int) -> list[int]:
    """``root`` and all its descendants, from the parent links in /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def memory_kb(pid: int) -> int:
    """Proportional set size of one process (shared pages split between sharers), else its RSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return 0


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process tree every ``interval`` seconds; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak_kb = max(self.peak_kb, sum(memory_kb(p) for p in tree_pids(self.pid)))
            self.stop.wait(self.interval)


@dataclass
class Run:
    """One run of one tool."""

    tool: str
    round: int
    cores: str
    wall_s: float
    cpu_s: float
    max_rss_mb: float  # the child's own peak RSS (or its largest waited-for descendant's), exact
    tree_pss_mb: float  # peak of the summed PSS of the whole process tree, sampled
    exit_code: int
    load_before: float
    out_dir: str


def tool_command(
    tool: str, corpus: Path, out_dir: Path, workers: int, extra: list[str], alone_venv: Path | None = None
) -> list[str]:
    """The command line of one tool (without the taskset prefix)."""
    if tool in ("copydesk", ALONE):
        exe = str(VENV_BIN / "copydesk") if (VENV_BIN / "copydesk").exists() else "copydesk"
        if tool == ALONE and alone_venv is not None:
            exe = str(alone_venv / "bin" / "copydesk")
        return [exe, "dedup", str(corpus), "--out", str(out_dir), "--workers", str(workers), "--quiet", *extra]
    return [PYTHON, str(HERE / "peers.py"), tool, str(corpus), "--out", str(out_dir), "--quiet"]


def run_once(tool: str, rnd: int, cmd: list[str], cores: str, out_dir: Path, timeout: float | None) -> Run:
    """Run ``cmd`` pinned to ``cores``; wall time, CPU time and memory from wait4 and the sampler."""
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    log = out_dir.parent / f"{out_dir.name}.log"
    load = os.getloadavg()[0]
    with log.open("wb") as log_file:
        start = time.perf_counter()
        proc = subprocess.Popen(["taskset", "-c", cores, *cmd], stdout=log_file, stderr=subprocess.STDOUT)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        timer = threading.Timer(timeout, proc.kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; tell Popen
        if timer:
            timer.cancel()
        sampler.stop.set()
        sampler.join()
    return Run(
        tool=tool,
        round=rnd,
        cores=cores,
        wall_s=round(wall, 3),
        cpu_s=round(usage.ru_utime + usage.ru_stime, 3),
        max_rss_mb=round(usage.ru_maxrss / 1024, 1),
        tree_pss_mb=round(sampler.peak_kb / 1024, 1),
        exit_code=proc.returncode,
        load_before=round(load, 2),
        out_dir=str(out_dir),
    )


# ----------------------------------------------------------------------------- scoring


def read_truth(path: Path) -> dict[tuple[str, str], float]:
    """True pairs (a < b) and their exact Jaccard."""
    truth = {}
    with path.open() as lines:
        for line in lines:
            r = json.loads(line)
            truth[(r["a"], r["b"])] = r["jaccard"]
    return truth


def read_pairs(path: Path) -> tuple[dict[tuple[str, str], float], int]:
    """A tool's pairs as {(a, b): reported jaccard} (a < b enforced) and how many lines broke a < b."""
    pairs: dict[tuple[str, str], float] = {}
    misordered = 0
    with path.open() as lines:
        for line in lines:
            if not line.strip():
                continue
            r = json.loads(line)
            a, b = str(r["a"]), str(r["b"])
            if not a < b:
                misordered += 1
                a, b = min(a, b), max(a, b)
            pairs[(a, b)] = float(r.get("jaccard") or 0.0)
    return pairs, misordered


def exact_jaccards(corpus: Path, pairs: list[tuple[str, str]]) -> list[float]:
    """Exact word 5-gram Jaccard of ``pairs``, read from the corpus (for the false alarms)."""
    sys.path.insert(0, str(HERE))
    from peers import read_records, shingles

    needed = {x for p in pairs for x in p}
    sets = {doc_id: shingles(text) for doc_id, text in read_records(corpus) if doc_id in needed}
    return [len(sets[a] & sets[b]) / len(sets[a] | sets[b]) for a, b in pairs]


def bins(values: list[float], edges: tuple[float, ...]) -> dict[str, int]:
    """Counts of ``values`` between consecutive ``edges`` (``"0.45-0.5"``), plus below and above."""
    out: dict[str, int] = {}
    labels = [f"<{edges[0]}"] + [f"{lo}-{hi}" for lo, hi in itertools.pairwise(edges)] + [f">={edges[-1]}"]
    for label in labels:
        out[label] = 0
    for v in values:
        i = sum(v >= e for e in edges)
        out[labels[i]] += 1
    return {k: n for k, n in out.items() if n}


@dataclass
class Score:
    """A tool's pairs against the truth."""

    pairs: int
    true_pairs: int
    found: int
    recall: float
    precision: float
    misordered: int
    missed_by_true_jaccard: dict[str, int]
    false_by_exact_jaccard: dict[str, int] = field(default_factory=dict)
    mean_abs_jaccard_error: float = 0.0
    fingerprint: int = 0


def score(pairs_path: Path, truth: dict[tuple[str, str], float], corpus: Path, check_false: bool) -> Score:
    """Recall and precision on true pairs, where the misses and false alarms lie, estimate error."""
    pairs, misordered = read_pairs(pairs_path)
    found = [p for p in pairs if p in truth]
    false = [p for p in pairs if p not in truth]
    missed = [truth[p] for p in truth if p not in pairs]
    s = Score(
        pairs=len(pairs),
        true_pairs=len(truth),
        found=len(found),
        recall=round(len(found) / max(len(truth), 1), 4),
        precision=round(len(found) / max(len(pairs), 1), 4),
        misordered=misordered,
        missed_by_true_jaccard=bins(missed, (0.55, 0.6, 0.7)),
        mean_abs_jaccard_error=round(sum(abs(pairs[p] - truth[p]) for p in found) / max(len(found), 1), 4),
        fingerprint=hash(frozenset(pairs)) & 0xFFFFFFFF,
    )
    if false and check_false:
        s.false_by_exact_jaccard = bins(exact_jaccards(corpus, false[:20000]), (0.3, 0.4, 0.45, 0.5))
    return s


# ----------------------------------------------------------------------------- reporting


def best_runs(runs: list[Run]) -> dict[str, Run]:
    """The fastest successful run of each tool."""
    best: dict[str, Run] = {}
    for r in runs:
        if r.exit_code == 0 and (r.tool not in best or r.wall_s < best[r.tool].wall_s):
            best[r.tool] = r
    return best


def table(runs: list[Run], scores: dict[str, Score], docs: int, workers: dict[str, int]) -> str:
    """The Markdown results table, one row per tool, and copydesk's speed ratios (wall and CPU time)."""
    best = best_runs(runs)
    rows = [
        "| tool | workers | cores | docs/s (best wall) | wall s (all rounds) | docs per CPU-s | CPU s (all rounds) "
        "| load avg | peak RSS MB | tree PSS MB | recall | precision | pairs |",
        "| --- | ---: | --- | ---: | --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for tool in dict.fromkeys(r.tool for r in runs):
        mine = [r for r in runs if r.tool == tool]
        walls = "; ".join(f"{r.wall_s:.1f}" if r.exit_code == 0 else f"exit {r.exit_code}" for r in mine)
        if tool not in best:
            rows.append(f"| {tool} | {workers.get(tool, 1)} | - | failed | {walls} | | | | | | | | |")
            continue
        ok = [r for r in mine if r.exit_code == 0]
        cpus = "; ".join(f"{r.cpu_s:.1f}" for r in ok)
        loads = "; ".join(f"{r.load_before:.1f}" for r in ok)
        b, s = best[tool], scores.get(tool)
        least_cpu = min(r.cpu_s for r in ok)
        recall = f"{s.recall:.4f}" if s else "-"
        precision = f"{s.precision:.4f}" if s else "-"
        rows.append(
            f"| {tool} | {workers.get(tool, 1)} | {b.cores} | {docs / b.wall_s:,.0f} | {walls} "
            f"| {docs / least_cpu:,.0f} | {cpus} | {loads} | {max(r.max_rss_mb for r in ok):,.0f} "
            f"| {max(r.tree_pss_mb for r in ok):,.0f} | {recall} | {precision} | {s.pairs if s else '-'} |"
        )
    lines = ["\n".join(rows)]
    for mine in ("copydesk", ALONE):
        if mine not in best:
            continue
        mine_cpu = min(r.cpu_s for r in runs if r.tool == mine and r.exit_code == 0)
        for peer, target in TARGETS.items():
            if peer in best:
                wall_ratio = best[peer].wall_s / best[mine].wall_s
                peer_cpu = min(r.cpu_s for r in runs if r.tool == peer and r.exit_code == 0)
                lines.append(
                    f"{mine} / {peer}: {wall_ratio:.2f}x docs/s by best wall time, {peer_cpu / mine_cpu:.2f}x by "
                    f"least CPU time (target >= {target:g}x on 1 core)"
                )
    return "\n\n".join(lines)


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    from importlib.metadata import PackageNotFoundError, version

    versions: dict[str, str | None] = {}
    for pkg in ("datasketch", "rensa", "copydesk", "numpy", "numba"):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = None
    return {
        "cpu": model,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_avg": os.getloadavg(),
        "versions": versions,
    }


# ----------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    p.add_argument("--docs", type=int, default=None, help="corpus size (default 20000; 1000000 with --scale)")
    p.add_argument("--rounds", type=int, default=None, help="rounds, tools alternating (default 2; 1 with --scale)")
    p.add_argument("--tools", default=None, help=f"comma-separated, from {','.join(ALL_TOOLS)} (default all)")
    p.add_argument("--workers", type=int, default=None, help="copydesk --workers, pinned to as many cores (default 1)")
    p.add_argument("--core", type=int, default=1, help="the core single-core runs are pinned to (default 1)")
    p.add_argument("--scale", action="store_true", help="1M docs, copydesk only, all cores: wall time and memory")
    p.add_argument("--copydesk-args", default="", help="extra arguments for copydesk dedup, e.g. '--threshold 0.5'")
    p.add_argument("--timeout", type=float, default=None, help="kill a run after this many seconds")
    p.add_argument("--no-check-false", action="store_true", help="skip measuring the false alarms' exact Jaccard")
    p.add_argument("--seed", type=int, default=Options.seed)
    p.add_argument("--dup-rate", type=float, default=Options.dup_rate)
    p.add_argument("--edit-rate", type=float, default=Options.edit_rate)
    p.add_argument("--cut-rate", type=float, default=Options.cut_rate)
    p.add_argument("--words", type=int, default=Options.words)
    p.add_argument(
        "--alone-venv",
        type=Path,
        default=None,
        help=f"a venv holding copydesk alone (python -m venv V && V/bin/pip install .): adds the tool {ALONE}",
    )
    p.add_argument("--data-dir", type=Path, default=HERE / "data")
    p.add_argument("--results-dir", type=Path, default=HERE / "results")
    args = p.parse_args(argv)
    cores = sorted(os.sched_getaffinity(0))
    args.docs = args.docs or (1_000_000 if args.scale else 20_000)
    args.rounds = args.rounds or (1 if args.scale else 2)
    args.tools = (args.tools or ("copydesk" if args.scale else ",".join(ALL_TOOLS))).split(",")
    args.workers = args.workers or (len(cores) if args.scale else 1)
    if args.alone_venv is not None:
        if not (args.alone_venv / "bin" / "copydesk").exists():
            p.error(f"{args.alone_venv}/bin/copydesk not found (python -m venv V && V/bin/pip install .)")
        args.tools = [*args.tools, ALONE]
    if unknown := set(args.tools) - {*ALL_TOOLS, ALONE}:
        p.error(f"unknown tools: {', '.join(sorted(unknown))}")
    if args.core not in cores or args.workers > len(cores):
        p.error(f"cores available: {cores}")
    if not shutil.which("taskset"):
        p.error("taskset (util-linux) is needed to pin the runs")
    return args


def cores_for(workers: int, single: int) -> str:
    """The taskset core list: the chosen core alone, or the first ``workers`` cores available."""
    if workers == 1:
        return str(single)
    return ",".join(str(c) for c in sorted(os.sched_getaffinity(0))[:workers])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    others = set(os.sched_getaffinity(0)) - {args.core}
    if args.workers == 1 and others:
        os.sched_setaffinity(0, others)  # keep this process (and its sampler) off the measured core
    spec = Options(args.docs, args.dup_rate, args.edit_rate, args.cut_rate, args.words, args.seed)
    corpus, truth_path, stats = ensure_corpus(spec, args.data_dir, len(os.sched_getaffinity(0)))
    truth = read_truth(truth_path)
    tag = f"{corpus.stem}-w{args.workers}-{time.strftime('%Y%m%d-%H%M%S')}"
    run_dir = args.results_dir / tag
    workers = {t: (args.workers if t in ("copydesk", ALONE) else 1) for t in args.tools}
    extra = args.copydesk_args.split()
    runs: list[Run] = []
    scores: dict[str, Score] = {}
    fingerprints: dict[str, set[int]] = {}
    for rnd in range(args.rounds):
        shift = rnd % len(args.tools)
        for tool in args.tools[shift:] + args.tools[:shift]:  # alternate who goes first
            out_dir = run_dir / f"{tool}-r{rnd}"
            cores = cores_for(workers[tool], args.core)
            cmd = tool_command(tool, corpus, out_dir, workers[tool], extra, args.alone_venv)
            run = run_once(tool, rnd, cmd, cores, out_dir, args.timeout)
            runs.append(run)
            note = (
                f"exit {run.exit_code}, see {out_dir}.log" if run.exit_code else f"{args.docs / run.wall_s:,.0f} docs/s"
            )
            print(f"round {rnd} {tool:<10} {run.wall_s:8.1f}s  {note}", file=sys.stderr)
            if run.exit_code == 0 and (out_dir / "pairs.jsonl").exists():
                s = score(out_dir / "pairs.jsonl", truth, corpus, check_false=not args.no_check_false)
                fingerprints.setdefault(tool, set()).add(s.fingerprint)
                scores.setdefault(tool, s)
    report = table(runs, scores, args.docs, workers)
    if args.scale and "copydesk" in (best := best_runs(runs)):
        b = best["copydesk"]
        peak = max(b.max_rss_mb, b.tree_pss_mb)
        report += (
            f"\n\nscale: {args.docs:,} docs on {b.cores}: {b.wall_s:.1f}s wall (target < {SCALE_TARGET['wall_s']:g}s), "
            f"peak memory {peak:,.0f} MB (target < {SCALE_TARGET['rss_mb']:g} MB)"
        )
    result = {
        "corpus": str(corpus),
        "corpus_stats": {k: v for k, v in stats.items() if k not in ("recipes",)},
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "machine": machine(),
        "runs": [asdict(r) for r in runs],
        "scores": {t: asdict(s) for t, s in scores.items()},
        "deterministic": {t: len(f) == 1 for t, f in fingerprints.items()},
        "table": report,
    }
    run_dir.mkdir(parents=True, exist_ok=True)
    (args.results_dir / f"{tag}.json").write_text(json.dumps(result, indent=1) + "\n")
    print(report)
    for tool, s in scores.items():
        detail = {k: v for k, v in asdict(s).items() if k not in ("fingerprint",)}
        print(f"{tool}: {json.dumps(detail)}")
    print(f"results: {args.results_dir / f'{tag}.json'}")
    return 0 if all(r.exit_code == 0 for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
