"""Alignment on Spark: copy pairs meet both texts in a join and go through ``align_articles`` per batch."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from copydesk.align import AlignParams
from copydesk.article import Article
from copydesk.engines.spark.sketching import article_columns, to_article
from copydesk.passages import align_articles, passage_records

EDIT = pa.struct(
    [
        ("op", pa.string()),
        ("a_text", pa.string()),
        ("b_text", pa.string()),
        ("a_start", pa.int64()),
        ("b_start", pa.int64()),
    ]
)
PASSAGE_FIELDS = pa.schema(
    [
        ("a", pa.string()),
        ("b", pa.string()),
        ("passage", pa.int64()),
        ("a_start", pa.int64()),
        ("a_end", pa.int64()),
        ("b_start", pa.int64()),
        ("b_end", pa.int64()),
        ("words", pa.int64()),
        ("identity", pa.float64()),
        ("edits", pa.list_(EDIT)),
    ]
)
PASSAGE_SCHEMA = (
    "a string, b string, passage long, a_start long, a_end long, b_start long, b_end long, words long, "
    "identity double, edits array<struct<op string, a_text string, b_text string, a_start long, b_start long>>"
)


def align_pairs(articles: DataFrame, pairs: DataFrame, params: AlignParams) -> DataFrame:
    """passages.jsonl's fields (plus ``passage``, the index within its pair) of the ``id_a, id_b`` pairs."""
    texts = article_columns(articles)
    side_a = texts.select(F.col("id").alias("id_a"), F.col("text").alias("text_a"), F.col("title").alias("title_a"))
    side_b = texts.select(F.col("id").alias("id_b"), F.col("text").alias("text_b"), F.col("title").alias("title_b"))
    joined = pairs.select("id_a", "id_b").join(side_a, "id_a").join(side_b, "id_b")
    return joined.mapInArrow(partial(_align_partition, params=params), PASSAGE_SCHEMA)


def _align_partition(batches: Iterator[pa.RecordBatch], params: AlignParams) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        columns = {name: batch.column(name).to_pylist() for name in batch.schema.names}
        articles: dict[str, Article] = {}
        for side in ("a", "b"):
            for article_id, text, title in zip(
                columns[f"id_{side}"], columns[f"text_{side}"], columns[f"title_{side}"], strict=True
            ):
                if article_id not in articles:
                    articles[article_id] = to_article(article_id, text, title)
        ordered = list(articles.values())
        row = {a.id: i for i, a in enumerate(ordered)}
        pairs = [(row[a], row[b]) for a, b in zip(columns["id_a"], columns["id_b"], strict=True)]
        records = []
        previous, index = None, 0
        for record in passage_records(align_articles(ordered, pairs, params)):
            key = (record["a"], record["b"])
            index = index + 1 if key == previous else 0
            previous = key
            records.append({**record, "passage": index})
        yield pa.RecordBatch.from_pylist(records, schema=PASSAGE_FIELDS)
