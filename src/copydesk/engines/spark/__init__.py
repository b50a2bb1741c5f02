"""The Spark engine: copydesk's stages over a Spark DataFrame of articles, with the local engine's results.

For people already in PySpark::

    from copydesk.engines.spark import find_copies, find_passages, spark_session

    spark = spark_session("local[*]")                 # or your own SparkSession
    articles = spark.read.parquet("s3://bucket/news/")  # columns id, text (title, date, source optional)
    result = find_copies(articles)
    result.pairs.write.parquet("s3://bucket/out/pairs")     # a, b, jaccard, containment_*, shared_shingles, exact
    result.copies.write.parquet("s3://bucket/out/copies")   # cluster, articles, size
    find_passages(articles, result).write.parquet("s3://bucket/out/passages")

Every stage calls the local engine's code on Arrow batches (sketching, overlap counting, copy
decision, alignment, record building) and spreads it with DataFrame operations: LSH banding and
rare shingles as explode + groupBy, verification and alignment by candidate pair in joins,
boilerplate from distributed shingle statistics, clusters by large-star / small-star. Nothing
corpus-sized is collected to the driver. Needs the ``spark`` extra (``pip install copydesk[spark]``).
"""

from copydesk.engines.spark.pipeline import SparkCopies, find_copies, find_passages, read_articles
from copydesk.engines.spark.session import spark_session

__all__ = ["SparkCopies", "find_copies", "find_passages", "read_articles", "spark_session"]
