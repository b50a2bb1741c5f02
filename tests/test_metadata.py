from __future__ import annotations

import pytest

from copydesk.ingest.metadata import canonical_agency, parse_date, parse_text


@pytest.mark.parametrize(
    ("text", "dateline", "agency", "body"),
    [
        ("WASHINGTON (AFP): Blinken said.", "WASHINGTON", "AFP", "Blinken said."),
        ("ASTANA: Blinken said.", "ASTANA", None, "Blinken said."),
        ("LONDON, Feb 28 (Reuters) - Shares fell.", "LONDON", "Reuters", "Shares fell."),
        ("ASTANA, Kazakhstan (AP) — Blinken arrived.", "ASTANA", "AP", "Blinken arrived."),
        ("NEW YORK (AFP) – Stocks rose.", "NEW YORK", "AFP", "Stocks rose."),
        ("The US said: no deal.", None, None, "The US said: no deal."),
        ("PARIS (Le Monde): a quote.", None, None, "PARIS (Le Monde): a quote."),
    ],
)
def test_datelines(text: str, dateline: str | None, agency: str | None, body: str) -> None:
    meta = parse_text(text)
    assert (meta.dateline, meta.agency) == (dateline, agency)
    assert text[meta.body_start : meta.body_end] == body


@pytest.mark.parametrize(
    ("ending", "agency", "body_keeps_credit"),
    [
        ("\n\n–Agencies", "Agencies", False),
        ("\n\n(AFP)", "AFP", False),
        ("\n\n— Reuters", "Reuters", False),
        ("\n\n(Reporting by Jane Doe; Editing by John Roe)", "Reuters", False),
        (" (AFP)", "AFP", True),
        ("\n\n(AFP)\n\n© 2024 Some Outlet. All rights reserved.", "AFP", True),
        ("\n\nThe end of the story.", None, True),
    ],
)
def test_closing_credits(ending: str, agency: str | None, body_keeps_credit: bool) -> None:
    text = "Blinken met Tokayev in Astana." + ending
    meta = parse_text(text)
    assert meta.agency == agency
    assert (text[meta.body_start : meta.body_end] == text) is body_keeps_credit


def test_metadata_line_glued_to_the_first_sentence() -> None:
    text = " date 2023-02-28 Secretary of State Antony Blinken on Tuesday vowed support."
    meta = parse_text(text)
    assert meta.date == "2023-02-28"
    assert meta.title is None
    assert text[meta.body_start :].startswith("Secretary of State")


def test_headline_needs_a_blank_line_and_no_closing_punctuation() -> None:
    assert parse_text("Dam bursts in the north\n\nAt least 23 died.").title == "Dam bursts in the north"
    assert parse_text("At least 23 died.\n\nRescuers searched.").title is None
    assert parse_text("One line only").title is None
    assert parse_text("Title\n\nBody.", has_title=True).title is None


def test_byline_is_not_a_headline() -> None:
    text = "By Jane Doe in Brezno\n\nBREZNO, Velstria — The church bell rang."
    meta = parse_text(text)
    assert (meta.title, meta.byline, meta.dateline) == (None, "By Jane Doe in Brezno", "BREZNO")
    assert text[meta.body_start :].startswith("The church bell")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-02-28", "2023-02-28"),
        ("2023-02-28T10:30:00Z", "2023-02-28T10:30:00Z"),
        ("2023-02-28T12:30:00+02:00", "2023-02-28T10:30:00Z"),
        ("28 February 2023", "2023-02-28"),
        ("Feb 28, 2023", "2023-02-28"),
        (1677580200, "2023-02-28T10:30:00Z"),
        ("2023-02-30", None),  # ISO-shaped but no such day
        ("2023-14-01", None),
        ("not a date", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value: object, expected: str | None) -> None:
    assert parse_date(value) == expected


def test_agency_names_are_canonical() -> None:
    assert canonical_agency("Agence France-Presse") == "AFP"
    assert canonical_agency("the associated press") == "AP"
    assert canonical_agency("Le Monde") is None
