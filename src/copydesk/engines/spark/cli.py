"""``copydesk dedup|run --engine spark``: the same output files as the local engine, computed on Spark.

``dedup`` never brings the corpus or the pairs to the driver: pairs are sorted by Spark and
streamed into pairs.jsonl partition by partition; only the clusters (one list of ids each) pass
through the driver, also streamed, as copies.jsonl is written. ``run`` finds the copies on Spark
and does the rest locally (lineage, passages with partial reuse, stories, report), as these read
the whole corpus anyway; it brings the copy pairs to the driver for them.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import cast

import numpy as np
from pyspark.sql import functions as F

from copydesk.cli.common import config_from, fields_from
from copydesk.config import Config
from copydesk.copies import CopyResult
from copydesk.engines.local import sketch_articles as sketch_locally
from copydesk.engines.spark.pipeline import SparkCopies, find_copies, read_articles
from copydesk.engines.spark.records import jsonl_lines, write_lines
from copydesk.engines.spark.session import spark_session
from copydesk.errors import CopydeskError, Problems
from copydesk.ingest import Corpus, count_words
from copydesk.output import COPIES, PAIRS, copy_records, prepare_out_dir, write_jsonl
from copydesk.pipeline import Results, after_copies, trace_lineage
from copydesk.report.terminal import Terminal
from copydesk.verify import Overlaps


def dedup_on_spark(args: argparse.Namespace, terminal: Terminal) -> int:
    """``copydesk dedup --engine spark``: pairs.jsonl and copies.jsonl as the local engine writes them."""
    config = config_from(args)
    out = prepare_out_dir(args.out)
    result = copies_on_spark(args, config)
    pairs = write_lines(jsonl_lines(result.pairs.orderBy("a", "b")), out / PAIRS)
    clusters = write_jsonl(out / COPIES, copy_records(streamed_copies(result)))
    in_clusters = result.copies.agg(F.sum("size")).first()
    rows = [
        ("articles read", str(result.sketches.count())),
        ("copy pairs", str(pairs)),
        ("copy clusters", f"{clusters} ({in_clusters[0] if in_clusters and in_clusters[0] else 0} articles)"),
        ("boilerplate shingles discounted", str(len(result.boilerplate))),
        ("engine", f"spark ({args.master})"),
        ("written to", str(out)),
    ]
    terminal.summary("copydesk dedup", rows, Problems())
    return 0


def copies_on_spark(args: argparse.Namespace, config: Config) -> SparkCopies:
    """The copies of the command line's inputs, read and found on Spark."""
    if args.dedupe_ids:
        raise CopydeskError("--dedupe-ids is not available with --engine spark: ids must be unique")
    if getattr(args, "keep_first", False):
        raise CopydeskError("--keep-first is not available with --engine spark yet: use the local engine")
    spark = spark_session(args.master)
    spark.sparkContext.setLogLevel("ERROR")
    articles = read_articles(spark, [str(p) for p in args.inputs], fields_from(args))
    return find_copies(articles, config)


def streamed_copies(result: SparkCopies) -> CopyResult:
    """A ``CopyResult`` for ``copy_records``, which reads only its clusters: here streamed from Spark in order."""
    ordered = result.copies.orderBy(F.col("articles")[0]).select("articles")
    clusters: Iterator[list[str]] = (list(row.articles) for row in ordered.toLocalIterator(prefetchPartitions=True))
    return CopyResult([], _no_pairs(), np.zeros(0, bool), cast(list[list[str]], clusters), result.boilerplate, 0)


def _no_pairs() -> Overlaps:
    empty = np.zeros(0, dtype=np.int64)
    return Overlaps(np.zeros((0, 2), dtype=np.int64), empty, empty, empty)


def local_copies(corpus: Corpus, result: SparkCopies) -> CopyResult:
    """The Spark copies as the local engine's ``CopyResult`` over ``corpus`` (brings the copy pairs here)."""
    row = {a.id: i for i, a in enumerate(corpus.articles)}
    found = result.verified.orderBy("a", "b").select("id_a", "id_b", "shared", "size_a", "size_b", "exact")
    pairs, counts, exact = [], [], []
    for r in found.toLocalIterator(prefetchPartitions=True):
        pairs.append((row[r.id_a], row[r.id_b]))
        counts.append((r.shared, r.size_a, r.size_b))
        exact.append(r.exact)
    table = np.array(counts, dtype=np.int64).reshape(-1, 3)
    overlaps = Overlaps(np.array(pairs, dtype=np.int64).reshape(-1, 2), table[:, 0], table[:, 1], table[:, 2])
    clusters = [list(r.articles) for r in result.copies.orderBy(F.col("articles")[0]).toLocalIterator()]
    ids = [a.id for a in corpus.articles]
    return CopyResult(
        ids, overlaps, np.array(exact, dtype=bool), clusters, result.boilerplate, result.candidates.count()
    )


def run_on_spark(corpus: Corpus, args: argparse.Namespace, config: Config) -> Results:
    """``pipeline.run`` with the copies found on Spark (the same inputs, read by Spark) and the rest here."""
    result = copies_on_spark(args, config)
    copies = local_copies(corpus, result)
    count_words(corpus.articles)
    members = sorted({m for cluster in copies.clusters for m in cluster})
    by_id = corpus.by_id()
    in_clusters = Corpus([by_id[m] for m in members], corpus.problems)
    sketches = sketch_locally(in_clusters.articles, config.sketch, workers=config.workers)
    return after_copies(corpus, copies, trace_lineage(in_clusters, sketches, copies, config), config)
