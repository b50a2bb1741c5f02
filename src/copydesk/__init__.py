"""copydesk: find reused news copy across outlets.

>>> import copydesk
>>> corpus = copydesk.read_corpus(["articles.jsonl"])   # doctest: +SKIP

The names below load on first use (PEP 562): ``import copydesk.cli`` must not pull in numba, so
that the executable can set up the process (``cli.console``) before the heavy imports run, and
``copydesk --version`` answers at once.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from copydesk.article import Article
    from copydesk.errors import CopydeskError, InputError
    from copydesk.ingest import Corpus, FieldNames, read_corpus
    from copydesk.text import Tokens, tokenize

__version__ = "0.1.0"

# Public name -> the module that defines it.
_HOMES = {
    "Article": "copydesk.article",
    "CopydeskError": "copydesk.errors",
    "InputError": "copydesk.errors",
    "Corpus": "copydesk.ingest",
    "FieldNames": "copydesk.ingest",
    "read_corpus": "copydesk.ingest",
    "Tokens": "copydesk.text",
    "tokenize": "copydesk.text",
}

__all__ = [
    "Article",
    "CopydeskError",
    "Corpus",
    "FieldNames",
    "InputError",
    "Tokens",
    "__version__",
    "read_corpus",
    "tokenize",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'copydesk' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
