"""copydesk: find reused news copy across outlets.

>>> import copydesk
>>> corpus = copydesk.read_corpus(["articles.jsonl"])   # doctest: +SKIP
"""

from copydesk.article import Article
from copydesk.errors import CopydeskError, InputError
from copydesk.ingest import Corpus, FieldNames, read_corpus
from copydesk.text import Tokens, tokenize

__version__ = "0.1.0"

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
