"""The near-duplicate and alignment stages on Spark, from a DataFrame of articles to DataFrames of results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
from pyspark.errors import AnalysisException
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from copydesk.config import Config
from copydesk.engines.spark.alignment import align_pairs
from copydesk.engines.spark.candidates import find_candidates
from copydesk.engines.spark.components import component_labels
from copydesk.engines.spark.records import pair_records, with_dense_index
from copydesk.engines.spark.sketching import sketch_articles
from copydesk.engines.spark.verification import find_boilerplate, score_candidates, verified_copies
from copydesk.errors import InputError
from copydesk.ingest import FieldNames

DEFAULT = Config()


@dataclass(frozen=True)
class SparkCopies:
    """What ``find_copies`` found; DataFrames stay distributed, ``boilerplate`` is small and local."""

    sketches: DataFrame
    """``row, id, words, n_shingles, shingles, bands`` per article (cached)."""
    candidates: DataFrame
    """``a, b``: candidate pairs of rows (cached)."""
    verified: DataFrame
    """``a, b, id_a, id_b, exact, shared, size_a, size_b``: the copy pairs' exact counts (cached)."""
    pairs: DataFrame
    """pairs.jsonl's fields: ``a, b, jaccard, containment_a_in_b, containment_b_in_a, shared_shingles, exact``."""
    copies: DataFrame
    """copies.jsonl's core fields: ``cluster, articles, size``; clusters numbered in order of first id."""
    boilerplate: np.ndarray
    """Sorted boilerplate shingles (uint32), left out of every score."""


def find_copies(articles: DataFrame, config: Config = DEFAULT) -> SparkCopies:
    """Copy pairs and clusters of ``articles`` (columns ``id``, ``text``, optional ``title``)."""
    spark = articles.sparkSession
    # Partitioned by row once: every later join on a row meets the cached sketches where they lie,
    # so only the other side (pairs, postings) moves.
    partitions = int(spark.conf.get("spark.sql.shuffle.partitions") or 200)
    sketches = sketch_articles(articles, config.sketch, config.candidates).repartition(partitions, "row").persist()
    _refuse_duplicate_ids(sketches)
    candidates = find_candidates(sketches, config.candidates).persist()
    scored = score_candidates(sketches, candidates).persist()
    boilerplate = find_boilerplate(sketches, scored, config.verify)
    verified = verified_copies(spark, sketches, scored, boilerplate, config.verify).persist()
    return SparkCopies(
        sketches, candidates, verified, pair_records(verified), copy_clusters(spark, verified), boilerplate
    )


def copy_clusters(spark: SparkSession, verified: DataFrame) -> DataFrame:
    """``cluster, articles, size``: connected components of the copy pairs, ids as ``cluster.cluster_id``."""
    labels = component_labels(verified.select("a", "b"))
    nodes = (
        verified.select(F.col("a").alias("node"), F.col("id_a").alias("id"))
        .union(verified.select(F.col("b").alias("node"), F.col("id_b").alias("id")))
        .distinct()
    )
    members = labels.join(nodes, "node").groupBy("label").agg(F.array_sort(F.collect_list("id")).alias("articles"))
    # the label is the cluster's smallest row, that is its first id: label order is the local order
    numbered = with_dense_index(spark, members.orderBy("label"), "index")
    return numbered.select(
        F.format_string("c%06d", F.col("index") + 1).alias("cluster"), "articles", F.size("articles").alias("size")
    )


def find_passages(articles: DataFrame, copies: SparkCopies, config: Config = DEFAULT) -> DataFrame:
    """passages.jsonl's fields of every copy pair (as ``passages.align_articles`` on the copy pairs)."""
    return align_pairs(articles, copies.verified, config.align)


def read_articles(spark: SparkSession, paths: Sequence[str], fields: FieldNames | None = None) -> DataFrame:
    """Articles from Parquet or JSON Lines files or folders at any Spark-readable path, fields renamed.

    The format follows the name: ``.parquet`` files, or folders holding them, are Parquet; the
    rest is read as JSON Lines.
    """
    fields = fields or FieldNames()
    parquet = [p for p in paths if _is_parquet(p)]
    jsonl = [p for p in paths if not _is_parquet(p)]
    try:
        frames = ([spark.read.parquet(*parquet)] if parquet else []) + ([spark.read.json(jsonl)] if jsonl else [])
    except AnalysisException as err:  # a missing remote path, an unreadable file
        raise InputError(f"{', '.join(paths)}: cannot read ({str(err).splitlines()[0]})") from err
    frame = frames[0]
    for other in frames[1:]:
        frame = frame.unionByName(other, allowMissingColumns=True)
    renames = {
        "id": fields.id,
        "text": fields.text,
        "title": fields.title,
        "date": fields.date,
        "source": fields.source,
    }
    present = [F.col(f"`{column}`").alias(name) for name, column in renames.items() if column in frame.columns]
    return frame.select(*present)


def _is_parquet(path: str) -> bool:
    if path.endswith(".parquet"):
        return True
    if urlparse(path).scheme in ("", "file"):
        local = Path(urlparse(path).path if path.startswith("file:") else path)
        if not local.exists():
            raise InputError(f"{path}: no such file or directory")
        return local.is_dir() and any(local.rglob("*.parquet"))
    return False


def _refuse_duplicate_ids(sketches: DataFrame) -> None:
    """Ids must be present and unique: they order the rows and name the articles in every output."""
    bad = sketches.groupBy("id").count().where(F.col("id").isNull() | (F.col("count") > 1)).limit(3).collect()
    if any(r["id"] is None for r in bad):
        raise InputError("an article has no id (the Spark engine needs an id in every record)")
    if bad:
        listed = ", ".join(repr(r["id"]) for r in bad)
        raise InputError(f"duplicate ids: {listed} (ids must be unique; the local engine can suffix them)")
