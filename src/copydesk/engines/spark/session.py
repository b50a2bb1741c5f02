"""The Spark session copydesk runs in: one place for the settings the stages rely on."""

from __future__ import annotations

import os
import sys

from pyspark.sql import SparkSession


def spark_session(master: str = "local[*]", app_name: str = "copydesk") -> SparkSession:
    """A session on ``master``; in local mode the Python workers run this interpreter (and its packages).

    On a cluster the executors need copydesk installed (or shipped with ``--py-files``), as any
    PySpark job needs its code there.
    """
    builder = SparkSession.builder.master(master).appName(app_name).config("spark.ui.showConsoleProgress", "false")
    if master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        # One machine: few shuffle partitions (adaptive execution merges small ones anyway), and a
        # driver heap sized for the cached sketches of a few hundred thousand articles.
        builder = builder.config("spark.sql.shuffle.partitions", "4").config(
            "spark.driver.memory", os.environ.get("COPYDESK_SPARK_MEMORY", "4g")
        )
    return builder.getOrCreate()
