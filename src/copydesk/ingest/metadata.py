"""News metadata found inside an article's text: metadata line, headline, dateline, agency credit.

Nothing is removed from the text: the parser returns where the body starts and ends, so every
offset stays an index into the original.

    >>> m = parse_text("Blinken in Astana\\n\\nASTANA (AFP): Blinken said.")
    >>> (m.title, m.dateline, m.agency, m.body_start)
    ('Blinken in Astana', 'ASTANA', 'AFP', 19)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

# Agencies as outlets credit them, each mapped to one canonical name.
AGENCIES: dict[str, str] = {
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "bloomberg": "Bloomberg",
    "dpa": "dpa",
    "xinhua": "Xinhua",
    "efe": "EFE",
    "ansa": "ANSA",
    "kyodo": "Kyodo",
    "yonhap": "Yonhap",
    "pti": "PTI",
    "ians": "IANS",
    "ani": "ANI",
    "uni": "UNI",
    "bernama": "Bernama",
    "anadolu": "Anadolu",
    "tass": "TASS",
    "upi": "UPI",
    "aap": "AAP",
    "cp": "CP",
    "the canadian press": "CP",
    "agencies": "Agencies",
    "wires": "Agencies",
    "agency": "Agencies",
}

_AGENCY_NAMES = "|".join(sorted((re.escape(k) for k in AGENCIES), key=len, reverse=True))

# " date 2023-02-28 Secretary of State..." : a metadata field glued before the first sentence.
_META_LINE = re.compile(
    r"\A\s*(?:date|published|dateline date)\s*[:=]?\s*(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?)[ \t]*"
)

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# WASHINGTON (AFP): / ASTANA: / LONDON, Feb 28 (Reuters) - / ASTANA, Kazakhstan (AP) —
_DATELINE = re.compile(
    r"(?P<place>[^\W\d_a-z](?:[^\W\d_a-z]|[ .'’\-]){1,40}?)"
    r"(?:,\s*(?P<region>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?))??"
    rf"(?:,\s*(?P<when>{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?))?"
    r"\s*(?:\((?P<agency>[^()\n]{1,40})\))?"
    r"\s*(?P<sep>[:\-–—]{1,2})\s+"
)
# A closing credit: "–Agencies", "(AFP)", "— Reuters", "AFP", "(Reporting by ...; Editing by ...)".
_CREDIT = re.compile(rf"\A[\s\-–—(]*(?P<agency>{_AGENCY_NAMES})[\s)]*(?:/\s*\w[\w ]*)?\.?\s*\Z", re.IGNORECASE)
_REUTERS_SIGNOFF = re.compile(r"\(\s*(?:Reporting|Writing|Additional reporting) by [^)]*\)\s*\Z", re.IGNORECASE)
_BYLINE = re.compile(
    r"[Bb]y\s+[A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+){0,3}(?:\s+(?:in|and)\s+[A-Z][\w .'’\-]*)?[ \t]*(?:\r?\n|\Z)"
)
_TRAILING_CREDIT = re.compile(rf"\s\((?P<agency>{_AGENCY_NAMES})\)\s*\Z", re.IGNORECASE)
_HEADLINE_MAX_WORDS = 25
_CREDIT_SEARCH_PARAGRAPHS = 3
_CREDIT_MAX_CHARS = 80  # '— Agence France-Presse / Staff reporters' and the like; a longer line is body text

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d.%m.%Y",
    "%Y%m%d",
)


@dataclass(frozen=True)
class TextMetadata:
    """What the text itself says about the article; offsets index the original text."""

    date: str | None
    title: str | None
    byline: str | None
    dateline: str | None
    agency: str | None
    body_start: int
    body_end: int


def canonical_agency(name: str) -> str | None:
    """The canonical agency for a credit such as 'Agence France-Presse' or 'AP', else None."""
    return AGENCIES.get(name.strip().lower().rstrip("."))


def parse_date(value: object) -> str | None:
    """An ISO date ('2023-02-28', or a UTC timestamp 'YYYY-MM-DDTHH:MM:SSZ') from common forms, else None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value  # milliseconds since the epoch
        return _iso(datetime.fromtimestamp(seconds, tz=UTC))
    text = str(value).strip()
    if not text:
        return None
    if len(text) == 10 and text[4] == text[7] == "-":  # the usual form, taken without trying others
        try:
            date.fromisoformat(text)
        except ValueError:
            return None
        return text
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        if len(text) <= 10:
            return parsed.date().isoformat()
        return _iso(parsed)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _iso(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    if moment.hour == moment.minute == moment.second == 0:
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_text(text: str, *, has_title: bool = False) -> TextMetadata:
    """Find the metadata line, headline, dateline and closing credit of a news text.

    ``has_title``: the title came from a record field, so the first line is not taken as one.
    """
    pos = 0
    found_date = None
    meta = _META_LINE.match(text)
    if meta:
        found_date = parse_date(meta.group(1))
        pos = meta.end() if found_date else 0
    pos = _skip_space(text, pos)

    title = byline = None
    if not has_title and not meta and not _BYLINE.match(text, pos):
        title, after_title = _headline(text, pos)
        if title is not None:
            pos = _skip_space(text, after_title)
    by = _BYLINE.match(text, pos)
    if by:
        byline = by.group(0).strip()
        pos = _skip_space(text, by.end())

    dateline = agency = None
    line = _DATELINE.match(text, pos)
    if line and _is_dateline_place(line.group("place")):
        raw_agency = line.group("agency")
        if raw_agency is None or canonical_agency(raw_agency) is not None:
            dateline = line.group("place").strip()
            agency = canonical_agency(raw_agency) if raw_agency else None
            pos = line.end()

    end = _strip_end(text, len(text))
    credit_agency, credit_start = _closing_credit(text, end)
    if credit_agency is not None:
        agency = agency or credit_agency
        end = _strip_end(text, credit_start)
    return TextMetadata(found_date, title, byline, dateline, agency, pos, max(end, pos))


def _strip_end(text: str, end: int) -> int:
    """Where ``text[:end]`` ends once trailing whitespace is dropped (without copying the text)."""
    if end == len(text) and (end == 0 or not text[end - 1].isspace()):
        return end
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _headline(text: str, pos: int) -> tuple[str | None, int]:
    """A first line that stands alone (blank line after it), is short and does not end a sentence."""
    newline = text.find("\n", pos)
    if newline < 0:
        return None, pos
    line_end = _strip_end(text, newline)
    if line_end <= pos or text[line_end - 1] in '.!?:;,"”’':  # empty, or ends a sentence
        return None, pos
    stands_alone = text.startswith(("\n\n", "\n\r\n"), newline) or text.startswith("\r\n\r\n", newline - 1)
    if not stands_alone or _strip_end(text, len(text)) <= newline:
        return None, pos
    line = text[pos:line_end]
    if len(line.split()) > _HEADLINE_MAX_WORDS:
        return None, pos
    return line, newline


def _is_dateline_place(place: str) -> bool:
    letters = [c for c in place if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _closing_credit(text: str, end: int) -> tuple[str | None, int]:
    """An agency credit among the last paragraphs (before an outlet footer, say).

    Returns the agency and where the body ends: before the credit when it is the last line.
    Lines are sliced only when short enough to be a credit: a body paragraph is never copied.
    """
    line_end = end
    for searched in range(_CREDIT_SEARCH_PARAGRAPHS):
        line_start = text.rfind("\n", 0, line_end) + 1
        first = text[line_start : line_start + 1]
        if line_end - line_start <= _CREDIT_MAX_CHARS or first == "(" or first.isspace():  # else a body paragraph
            agency = _credit_agency(text, line_start, line_end)
            if agency is not None:
                return agency, (line_start if searched == 0 else end)
        if searched == 0 and text.endswith(")", line_start, line_end):
            opening = text.rfind("(", line_start, line_end)
            tail = _TRAILING_CREDIT.match(text, opening - 1, line_end) if opening > line_start else None
            if tail:
                return canonical_agency(tail.group("agency")), end
        line_end = line_start - 1  # the newline, then the blank lines before it
        while line_end > 0 and text[line_end - 1].isspace():
            line_end -= 1
        if line_end <= 0:
            break
    return None, end


def _credit_agency(text: str, start: int, end: int) -> str | None:
    """The agency credited by the line ``text[start:end]``, if it is a credit line."""
    if text[start : start + 1].isspace():
        start = _skip_space(text, start)
    if end - start <= _CREDIT_MAX_CHARS:
        hit = _CREDIT.match(text[start:end])
        if hit:
            return canonical_agency(hit.group("agency"))
    if text.startswith("(", start) and _REUTERS_SIGNOFF.match(text, start, end):
        return "Reuters"
    return None
