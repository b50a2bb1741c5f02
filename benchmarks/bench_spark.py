"""Spark engine benchmark: ``copydesk dedup --engine spark`` in local[2] against the local engine, 2 workers.

    python benchmarks/bench_spark.py --docs 100000
    python benchmarks/bench_spark.py --docs 20000 --rounds 2

Both run as separate processes on the same Parquet corpus (benchmarks/generate.py, cached under
benchmarks/data/), pinned to the same two cores; wall time, CPU time and the peak PSS of the
whole process tree (the Spark JVM included) come from bench_dedup's runner. The two outputs must
be byte-identical, or the benchmark fails. The Spark run writes an event log; from it come the
figures of the cost model: stages, tasks, and the shuffle bytes written, in all and per
document, with the heaviest stages. Results go to benchmarks/results/ as JSON; the table is
printed as Markdown.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench_dedup import HERE, VENV_BIN, Run, corpus_path, machine, run_once
from generate import Options

PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable


def ensure_parquet(docs: int, seed: int, data_dir: Path) -> Path:
    """The corpus as Parquet, generated unless cached."""
    corpus = corpus_path(Options(docs, seed=seed), data_dir).with_suffix(".parquet")
    if not corpus.exists():
        cmd = [PYTHON, str(HERE / "generate.py"), "--docs", str(docs), "--out", str(corpus), "--seed", str(seed)]
        print(f"generating {corpus} ...", file=sys.stderr)
        subprocess.run(cmd, check=True)
    return corpus


def event_lines(event_dir: Path) -> list[str]:
    """The JSON lines of the newest event log under ``event_dir`` (a file, or a folder of rolled files)."""
    logs = sorted(event_dir.iterdir(), key=lambda p: p.stat().st_mtime)
    if not logs:
        return []
    newest = logs[-1]
    parts = sorted(p for p in newest.iterdir() if p.name.startswith("events_")) if newest.is_dir() else [newest]
    lines: list[str] = []
    for part in parts:
        if part.suffix == ".zstd":
            lines += subprocess.run(["zstd", "-dc", str(part)], capture_output=True, text=True).stdout.splitlines()
        else:
            lines += part.read_text().splitlines()
    return lines


def spark_stages(event_dir: Path) -> dict[str, Any]:
    """Stages, tasks and shuffle bytes of the Spark application logged in ``event_dir``."""
    stages: dict[int, dict[str, Any]] = {}
    for line in event_lines(event_dir):
        event = json.loads(line)
        if event.get("Event") != "SparkListenerStageCompleted":
            continue
        info = event["Stage Info"]
        if "Failure Reason" in info:
            continue
        accumulables = {a["Name"]: a.get("Value") for a in info.get("Accumulables", [])}
        read = ("remoteBytesRead", "localBytesRead")
        stages[info["Stage ID"]] = {
            "name": info["Stage Name"],
            "tasks": info["Number of Tasks"],
            "seconds": (info["Completion Time"] - info["Submission Time"]) / 1000,
            "shuffle_write_bytes": int(accumulables.get("internal.metrics.shuffle.write.bytesWritten", 0)),
            "shuffle_read_bytes": sum(int(accumulables.get(f"internal.metrics.shuffle.read.{r}", 0)) for r in read),
            "input_bytes": int(accumulables.get("internal.metrics.input.bytesRead", 0)),
        }
    if not stages:
        return {}
    heaviest = sorted(stages.values(), key=lambda s: -s["shuffle_write_bytes"])[:10]
    return {
        "stages": len(stages),
        "tasks": sum(s["tasks"] for s in stages.values()),
        "shuffle_write_bytes": sum(s["shuffle_write_bytes"] for s in stages.values()),
        "input_bytes": sum(s["input_bytes"] for s in stages.values()),
        "heaviest": heaviest,
    }


def table(runs: list[Run], docs: int, shuffle: dict[str, Any]) -> str:
    lines = [
        f"| engine ({docs:,} docs) | cores | wall s | docs/s | CPU s | peak PSS MB |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in runs:
        lines.append(
            f"| {r.tool} | {r.cores} | {r.wall_s:.1f} | {docs / r.wall_s:,.0f} | {r.cpu_s:.1f} | {r.tree_pss_mb:,.0f} |"
        )
    if shuffle:
        per_doc = shuffle["shuffle_write_bytes"] / docs
        lines.append("")
        lines.append(
            f"Spark: {shuffle['stages']} stages, {shuffle['tasks']} tasks, "
            f"{shuffle['shuffle_write_bytes'] / 1e6:,.1f} MB shuffled ({per_doc:,.0f} bytes per document)"
        )
        lines.append("")
        lines.append("| heaviest stages | tasks | s | shuffle write MB |")
        lines.append("|---|---:|---:|---:|")
        for s in shuffle["heaviest"]:
            written = s["shuffle_write_bytes"] / 1e6
            lines.append(f"| {s['name'][:60]} | {s['tasks']} | {s['seconds']:.1f} | {written:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--docs", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rounds", type=int, default=1, help="rounds, engines alternating; the best counts")
    p.add_argument("--cores", default="0,1", help="the two cores both engines are pinned to (taskset list)")
    p.add_argument("--timeout", type=float, default=None, help="kill a run after this many seconds")
    p.add_argument("--data-dir", type=Path, default=HERE / "data")
    p.add_argument("--results-dir", type=Path, default=HERE / "results")
    p.add_argument("--summarize", type=Path, metavar="EVENT_DIR", help="only print the stages of a logged run")
    args = p.parse_args(argv)
    if args.summarize:
        print(table([], args.docs, spark_stages(args.summarize)))
        return 0

    corpus = ensure_parquet(args.docs, args.seed, args.data_dir)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = args.results_dir / f"spark-{args.docs}-s{args.seed}-{stamp}"
    events = base / "spark-events"
    events.mkdir(parents=True)
    exe = str(VENV_BIN / "copydesk") if (VENV_BIN / "copydesk").exists() else "copydesk"
    os.environ["PYSPARK_SUBMIT_ARGS"] = (
        f"--conf spark.eventLog.enabled=true --conf spark.eventLog.dir=file://{events} "
        "--conf spark.eventLog.compress=false --conf spark.eventLog.rolling.enabled=false pyspark-shell"
    )
    runs: list[Run] = []
    for rnd in range(args.rounds):
        for engine in ("local", "spark"):
            out = base / f"{engine}-r{rnd}"
            cmd = [exe, "dedup", str(corpus), "--out", str(out), "--quiet"]
            cmd += ["--workers", "2"] if engine == "local" else ["--engine", "spark", "--master", "local[2]"]
            run = run_once(f"copydesk {engine}", rnd, cmd, args.cores, out, args.timeout)
            print(f"{run.tool} round {rnd}: {run.wall_s:.1f} s (exit {run.exit_code})", file=sys.stderr)
            runs.append(run)
    for rnd in range(args.rounds):
        for name in ("pairs.jsonl", "copies.jsonl"):
            if (base / f"local-r{rnd}" / name).read_bytes() != (base / f"spark-r{rnd}" / name).read_bytes():
                print(f"round {rnd}: {name} differs between the engines", file=sys.stderr)
                return 1
    best = {r.tool: r for r in sorted(runs, key=lambda r: -r.wall_s) if r.exit_code == 0}
    shuffle = spark_stages(events)
    report = table(list(best.values()), args.docs, shuffle)
    (base.with_suffix(".json")).write_text(
        json.dumps(
            {"docs": args.docs, "corpus": str(corpus), "machine": machine(), "runs": [asdict(r) for r in runs]}
            | {"spark": shuffle},
            indent=2,
        )
    )
    print(f"load average before: {[r.load_before for r in runs]}; outputs identical", file=sys.stderr)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
