"""Output directories made by hand for the report tests: hostile text, and a 10,000-cluster run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

# Every way article text could try to become markup or code if the page ever parsed it as HTML.
HOSTILE = (
    "<script>window.__pwned = 'script'</script>"
    ' <img src=x onerror="window.__pwned = \'img\'; alert(1)">'
    " </textarea><svg onload=\"window.__pwned = 'svg'\"></svg>"
    " </script><script>window.__pwned = 'close'</script><!-- ]]>"
    " \u2028 & &amp; done."
)


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))


def article(article_id: str, source: str, date: str, title: str, url: str | None = None) -> dict[str, Any]:
    return {"id": article_id, "source": source, "date": date, "title": title, "url": url, "path": "x", "line": None,
            "byline": None, "dateline": None, "agency": None, "n_words": 10}


def hostile_output(out: Path) -> Path:
    """A run whose texts, titles, outlets, ids, reasons and change summaries all carry HOSTILE.

    The parent's text is ``KEEP + HOSTILE + tail`` and the child's ``KEEP + HOSTILE``: one passage
    covers both copies of HOSTILE, so the hostile text is rendered inside highlighted marks.
    """
    out.mkdir(parents=True, exist_ok=True)
    keep = "Officials said the talks would resume on Monday. "
    parent_text = keep + HOSTILE + " The rest was cut by the child."
    child_text = keep + HOSTILE
    parent, child = "evil-parent", "evil-child"
    write_jsonl(out / "articles.jsonl", [
        article(parent, "Agency " + HOSTILE, "2024-05-14", "Title " + HOSTILE, url="javascript:window.__pwned='url'"),
        article(child, "</textarea><b>Outlet</b>", "2024-05-15", HOSTILE),
    ])
    write_jsonl(out / "texts.jsonl", [{"id": parent, "text": parent_text}, {"id": child, "text": child_text}])
    end = len(child_text)
    # Sorted ids: "evil-child" < "evil-parent", so a is the child.
    write_jsonl(out / "pairs.jsonl", [{"a": child, "b": parent, "jaccard": 0.8, "containment_a_in_b": 1.0,
                                       "containment_b_in_a": 0.8, "shared_shingles": 40}])
    write_jsonl(out / "passages.jsonl", [{
        "a": child, "b": parent, "a_start": 0, "a_end": end, "b_start": 0, "b_end": end, "words": 30, "identity": 1.0,
        "edits": [{"op": "substitute", "a_text": "Officials", "b_text": "Officials", "a_start": 0, "b_start": 0}],
    }])
    changes = {"words_kept": 30, "words_cut": 6, "words_added": 0,
               "paragraphs_cut": [{"start": end, "end": len(parent_text), "preview": HOSTILE}],
               "substitutions": [{"from": HOSTILE, "to": "<i>x</i>", "count": 2}]}
    write_jsonl(out / "copies.jsonl", [{
        "cluster": "c000001", "articles": [child, parent], "size": 2, "source": parent, "source_confidence": 0.9,
        "source_reasons": ["reason " + HOSTILE],
        "lineage": [{"parent": parent, "child": child, "confidence": 0.95, "changes": changes}],
    }])
    write_jsonl(out / "stories.jsonl", [{"story": "s00000", "articles": [child, parent], "size": 2, "label": HOSTILE,
                                         "first_date": "2024-05-14", "last_date": "2024-05-15"}])
    return out


OUTLETS = ("Agence", "Daily Planet", "Morning Star", "Evening Post", "Harbour Times")


def large_output(out: Path, n_clusters: int = 10_000) -> Path:
    """A run with ``n_clusters`` clusters of three short versions each (source -> child -> grandchild)."""
    out.mkdir(parents=True, exist_ok=True)
    articles, texts, pairs, passages, copies = [], [], [], [], []
    base = "The minister said on {day} that talks on cluster {n} would resume after the holiday."
    for n in range(n_clusters):
        day = f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}"
        ids = [f"k{n:05d}-{v}" for v in range(3)]
        text = base.format(day=day, n=n)
        for v, article_id in enumerate(ids):
            outlet = OUTLETS[(n + v) % len(OUTLETS)]
            articles.append(article(article_id, outlet, day, f"Talks resume, part {n} ({outlet})"))
            texts.append({"id": article_id, "text": text + (f" Added by version {v}." if v else "")})
        length = len(text)
        for parent, child in ((ids[0], ids[1]), (ids[1], ids[2])):
            pairs.append({"a": parent, "b": child, "jaccard": 0.9, "containment_a_in_b": 1.0,
                          "containment_b_in_a": 0.9, "shared_shingles": 12})
            passages.append({"a": parent, "b": child, "a_start": 0, "a_end": length, "b_start": 0, "b_end": length,
                             "words": 14, "identity": 1.0, "edits": []})
        copies.append({"cluster": f"c{n + 1:06d}", "articles": ids, "size": 3, "source": ids[0],
                       "source_confidence": 0.8, "source_reasons": ["earliest date"],
                       "lineage": [{"parent": ids[0], "child": ids[1], "confidence": 0.9},
                                   {"parent": ids[1], "child": ids[2], "confidence": 0.9}]})
    write_jsonl(out / "articles.jsonl", articles)
    write_jsonl(out / "texts.jsonl", texts)
    write_jsonl(out / "pairs.jsonl", pairs)
    write_jsonl(out / "passages.jsonl", passages)
    write_jsonl(out / "copies.jsonl", copies)
    return out
