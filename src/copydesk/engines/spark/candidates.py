"""Candidate pairs on Spark: LSH bands and shared rare shingles as explode + groupBy.

The same rules as ``copydesk.candidates``: all pairs of a bucket, or a star on its smallest row
when the bucket is over ``max_bucket``; rare-shingle pairs need ``min_shared`` sampled shingles
of document frequency 2..``max_df``.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from copydesk.candidates import CandidateParams


def unsigned(shingle: Column) -> Column:
    """An int32-stored shingle as its uint32 value (a long)."""
    return shingle.cast("long").bitwiseAND(F.lit(0xFFFFFFFF))


def find_candidates(sketches: DataFrame, params: CandidateParams) -> DataFrame:
    """Unique candidate pairs ``a < b`` (rows) of the sketched articles."""
    return lsh_pairs(sketches, params).union(rare_shingle_pairs(sketches, params)).distinct()


def lsh_pairs(sketches: DataFrame, params: CandidateParams) -> DataFrame:
    buckets = (
        sketches.select("row", F.posexplode("bands").alias("band", "key"))
        .groupBy("band", "key")
        .agg(F.array_sort(F.collect_list("row")).alias("m"))
        .where(F.size("m") >= 2)
    )
    heads = F.when(F.size("m") <= params.max_bucket, F.col("m")).otherwise(F.slice("m", 1, 1))
    return _pairs_of(buckets, heads)


def rare_shingle_pairs(sketches: DataFrame, params: CandidateParams) -> DataFrame:
    sampled = sketches.select("row", F.explode("shingles").alias("s")).where(
        unsigned(F.col("s")) % params.sample_mod == 0
    )
    postings = (
        sampled.groupBy("s")
        .agg(F.array_sort(F.collect_list("row")).alias("m"))
        .where(F.size("m").between(2, params.max_df))
    )
    shared = _pairs_of(postings, F.col("m")).groupBy("a", "b").count()
    return shared.where(F.col("count") >= params.min_shared).select("a", "b")


def _pairs_of(groups: DataFrame, heads: Column) -> DataFrame:
    """Pairs ``(a, b)``, ``a < b``, of each group's sorted members ``m`` with ``a`` among ``heads``."""
    return (
        groups.select(F.explode(heads).alias("a"), "m")
        .select("a", F.explode("m").alias("b"))
        .where(F.col("a") < F.col("b"))
    )
