"""Shared fixtures: the real data in ../shared (skipped with a reason when absent, required under CI)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEMO = ROOT / "src" / "copydesk" / "demo"
SEED_SHORT = "000_42e18ac39154c246"
SEED_FULL = "001_bf15a51c4cba013e"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skips the test when it is missing, unless CI=true (then it fails)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing: CI must run with ../shared beside the checkout")
        pytest.skip(f"{path} is missing (real data lives in ../shared beside the checkout)")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    return shared_path("seeds")


@pytest.fixture
def demo_articles() -> Path:
    return DEMO / "articles.jsonl"
