"""Issue 5's acceptance on real labelled news: `copydesk run` then `copydesk eval` on ECB+ topics 1-35.

Each ECB+ topic holds two look-alike events; the default settings must keep them apart (ARI >= 0.92).
"""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import copydesk
from conftest import shared_path

TARGET_ARI = 0.92


def test_default_run_scores_the_target_ari_on_ecbplus_dev(tmp_path: Path) -> None:
    articles = shared_path("data", "ecbplus-dev", "articles.jsonl")
    out = tmp_path / "ecbplus"
    done = copydesk("run", articles, "--out", out, "--quiet")
    assert done.returncode == 0, done.stderr
    done = copydesk("eval", out, "--labels", articles, "--field", "subtopic", "--json")
    assert done.returncode == 0, done.stderr
    scores = json.loads(done.stdout)
    assert scores["n"] == 772
    assert scores["n_gold_clusters"] == 66
    assert scores["ari"] >= TARGET_ARI, scores
    table = copydesk("eval", out, "--labels", articles, "--field", "subtopic")
    assert f"{scores['ari']:.4f}" in table.stdout
