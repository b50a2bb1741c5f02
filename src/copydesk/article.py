"""The article: one news text with its metadata, as every stage sees it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Article:
    """One article as read. ``text`` is the decoded original; offsets everywhere index into it.

    ``body_start``/``body_end`` delimit the body: after a metadata line, headline and dateline,
    before a closing agency credit. ``path`` and ``line`` say where it was read from.
    """

    id: str
    text: str
    path: str
    line: int | None = None
    date: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    byline: str | None = None
    dateline: str | None = None
    agency: str | None = None
    body_start: int = 0
    body_end: int = -1
    n_words: int = 0
    extra: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.body_end < 0:
            self.body_end = len(self.text)

    @property
    def where(self) -> str:
        """'file' or 'file:line', for messages."""
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    @property
    def body(self) -> str:
        return self.text[self.body_start : self.body_end]
