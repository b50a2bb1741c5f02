"""Connected components with DataFrame operations: the large-star / small-star algorithm.

Kiveris et al., "Connected Components in MapReduce and Beyond" (SoCC 2014). Edges are kept as
``(src, dst)`` with ``src > dst``. Large-star links every neighbour larger than a node to the
smallest node of its neighbourhood; small-star links a node and its smaller neighbours to the
smallest of them. Alternating the two turns each component into a star around its smallest
node in O(log² n) rounds, each a few shuffles of the edge list: no node's neighbourhood is ever
gathered in one place, so a giant component does not break it.
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

MAX_ROUNDS = 200


def component_labels(edges: DataFrame) -> DataFrame:
    """``node, label`` for every node of the ``(a, b)`` edges; ``label`` is its component's smallest node."""
    current = _canonical(edges.select(F.col("a").alias("u"), F.col("b").alias("v")))
    for _ in range(MAX_ROUNDS):
        current = _small_star(_large_star(current)).localCheckpoint()
        if _is_stars(current):
            break
    else:
        raise RuntimeError(f"connected components did not converge in {MAX_ROUNDS} rounds")
    centers = current.select(F.col("dst").alias("node"), F.col("dst").alias("label"))
    return current.select(F.col("src").alias("node"), F.col("dst").alias("label")).union(centers).distinct()


def _canonical(pairs: DataFrame) -> DataFrame:
    """Undirected edges ``(u, v)`` as unique ``(src, dst)``, ``src > dst``, self-loops dropped."""
    return (
        pairs.where(F.col("u") != F.col("v"))
        .select(F.greatest("u", "v").alias("src"), F.least("u", "v").alias("dst"))
        .distinct()
    )


def _large_star(edges: DataFrame) -> DataFrame:
    both = edges.union(edges.select(F.col("dst").alias("src"), F.col("src").alias("dst")))
    smallest = both.groupBy("src").agg(F.least(F.min("dst"), F.col("src")).alias("m"))
    larger = both.where(F.col("dst") > F.col("src")).join(smallest, "src")
    return _canonical(larger.select(F.col("dst").alias("u"), F.col("m").alias("v")))


def _small_star(edges: DataFrame) -> DataFrame:
    smallest = edges.groupBy("src").agg(F.min("dst").alias("m"))
    smaller = edges.join(smallest, "src").select(F.col("dst").alias("u"), F.col("m").alias("v"))
    return _canonical(smaller.union(smallest.select(F.col("src").alias("u"), F.col("m").alias("v"))))


def _is_stars(edges: DataFrame) -> bool:
    """Every node links to one smaller node at most, and no linked-to node links on: disjoint stars."""
    ends = edges.select(F.col("src").alias("node"), F.lit(1).alias("out"), F.lit(0).alias("into")).union(
        edges.select(F.col("dst").alias("node"), F.lit(0).alias("out"), F.lit(1).alias("into"))
    )
    degrees = ends.groupBy("node").agg(F.sum("out").alias("out"), F.max("into").alias("into"))
    return degrees.where((F.col("out") > 1) | ((F.col("out") > 0) & (F.col("into") > 0))).limit(1).count() == 0
