"""Sketching on Spark: each partition of articles through the local engine's batch code (mapInArrow).

Articles are sorted by id first, and ``row`` numbers them in that order (increasing, not
consecutive): the local engine's row order, so "smaller row" means "smaller id" in every stage.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import numpy as np
import pyarrow as pa
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType, FloatType, StringType

from copydesk.article import Article
from copydesk.candidates import CandidateParams, band_keys
from copydesk.engines.local import sketch_batch
from copydesk.engines.spark.arrow import SHINGLE_LIST, shingle_lists
from copydesk.errors import InputError
from copydesk.ingest.metadata import parse_text
from copydesk.sketch import SketchParams

SKETCH_SCHEMA = "id string, words long, n_shingles long, shingles array<int>, bands array<long>"


def article_columns(articles: DataFrame) -> DataFrame:
    """``id, text, title`` (title null when absent): what the stages read of an article."""
    names = set(articles.columns)
    for needed in ("id", "text"):
        if needed not in names:
            raise InputError(f"the articles have no '{needed}' column (columns: {', '.join(sorted(names))})")
    if not isinstance(articles.schema["text"].dataType, StringType):
        raise InputError(f"'text' must be a string column, not {articles.schema['text'].dataType.simpleString()}")
    title = F.col("title").cast("string") if "title" in names else F.lit(None).cast("string")
    return articles.select(_id_string(articles), "text", title.alias("title")).where(F.col("text").isNotNull())


def _id_string(articles: DataFrame) -> Column:
    """The id as the local reader writes it: a whole float without its '.0' (5.0 -> "5")."""
    column = F.col("id")
    if isinstance(articles.schema["id"].dataType, FloatType | DoubleType):
        whole = column.cast("decimal(38,0)").cast("string")
        column = F.when(column == F.floor(column), whole).otherwise(column.cast("string"))
    return column.cast("string").alias("id")


def to_article(article_id: str, text: str, title: str | None) -> Article:
    """The article as the local reader builds it from a record: its body span from the same parser."""
    has_title = title is not None and bool(title.strip())
    meta = parse_text(text, has_title=has_title)
    return Article(article_id, text, "", body_start=meta.body_start, body_end=meta.body_end)


def sketch_articles(articles: DataFrame, sketch: SketchParams, candidates: CandidateParams) -> DataFrame:
    """``row, id, words, n_shingles, shingles, bands`` of every non-blank article, rows in id order."""
    if candidates.bands * candidates.rows > sketch.permutations:
        raise ValueError(
            f"bands x rows = {candidates.bands * candidates.rows} exceeds {sketch.permutations} signature bins"
        )
    ordered = article_columns(articles).orderBy("id")
    sketched = ordered.mapInArrow(partial(_sketch_partition, sketch=sketch, candidates=candidates), SKETCH_SCHEMA)
    return sketched.select(F.monotonically_increasing_id().alias("row"), "*")


def _sketch_partition(
    batches: Iterator[pa.RecordBatch], sketch: SketchParams, candidates: CandidateParams
) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        ids, texts, titles = (batch.column(name).to_pylist() for name in ("id", "text", "title"))
        keep = [i for i, text in enumerate(texts) if text.strip()]  # the local reader skips blank articles
        chosen = [to_article(ids[i], texts[i], titles[i]) for i in keep]
        sk = sketch_batch(([a.text for a in chosen], [(a.body_start, a.body_end) for a in chosen]), sketch)
        bands = band_keys(sk, candidates).view(np.int64)  # the last band is the text digest
        band_ptr = np.arange(len(chosen) + 1, dtype=np.int32) * (candidates.bands + 1)
        yield pa.RecordBatch.from_arrays(
            [
                pa.array([a.id for a in chosen], pa.string()),
                pa.array(sk.words, pa.int64()),
                pa.array(sk.sizes(), pa.int64()),
                shingle_lists(sk.ptr, sk.shingles),
                pa.ListArray.from_arrays(pa.array(band_ptr), pa.array(bands.reshape(-1))),
            ],
            schema=pa.schema(
                [
                    ("id", pa.string()),
                    ("words", pa.int64()),
                    ("n_shingles", pa.int64()),
                    ("shingles", SHINGLE_LIST),
                    ("bands", pa.list_(pa.int64())),
                ]
            ),
        )
