"""The demo corpus's truth file, as tests read it."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from conftest import DEMO


@cache
def truth() -> dict[str, Any]:
    return json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))


def cluster_named(name: str) -> dict[str, Any]:
    return next(c for c in truth()["copy_clusters"] if c["name"] == name)
