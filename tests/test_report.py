"""The HTML report without a browser: the page is one safe file, and `copydesk report` rebuilds it."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

import orjson
import pytest

from cli_helpers import copydesk
from copydesk.report.data import load_payload
from copydesk.report.html import build_report, embed_json
from report_outputs import HOSTILE, hostile_output


def first_group(pattern: str, text: str) -> str:
    found = re.search(pattern, text, flags=re.DOTALL)
    assert found is not None, pattern
    return found.group(1)


def inline_blocks(page: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", page, flags=re.DOTALL)


def test_embedded_json_cannot_end_its_script_block_and_reads_back_unchanged() -> None:
    payload = {"text": HOSTILE, "nested": [HOSTILE, {"k": "</SCRIPT >"}]}
    embedded = embed_json(payload)
    assert "<" not in embedded and ">" not in embedded and "\u2028" not in embedded
    assert json.loads(embedded) == payload


def test_page_is_self_contained_and_its_policy_allows_exactly_its_own_script_and_style(tmp_path: Path) -> None:
    page = build_report(hostile_output(tmp_path / "evil")).read_text(encoding="utf-8")
    # Three <script> elements: the data, the texts and the code; nothing article text could add.
    assert page.lower().count("<script") == 3
    assert page.lower().count("</script") == 3
    assert HOSTILE not in page
    # No resource outside the page.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    policy = html.unescape(first_group(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page))
    script = inline_blocks(page, "script")[-1]
    style = inline_blocks(page, "style")[0]
    for text in (script, style):
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
        assert f"'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy


def test_payload_keeps_clusters_lineage_passages_and_texts_of_the_demo(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = copydesk("demo", "--out", out, "--quiet")
    assert result.returncode == 0, result.stderr
    assert (out / "texts.jsonl").is_file() and (out / "report.html").is_file()
    payload = load_payload(out)
    copies = [orjson.loads(line) for line in (out / "copies.jsonl").read_bytes().splitlines()]
    assert [c["id"] for c in payload["clusters"]] == [c["cluster"] for c in copies]
    texts = dict(payload["texts"])
    for cluster in copies:
        assert set(cluster["articles"]) <= set(texts)
        # Every lineage edge can be shown side by side: its passages are embedded.
        embedded = {frozenset((a, b)) for a, b, _ in payload["passages"]}
        for edge in cluster["lineage"]:
            assert frozenset((edge["parent"], edge["child"])) in embedded
    assert all(state["state"] == "ok" for state in payload["files"])


def test_report_command_rebuilds_the_page_and_leaves_out_missing_sections(tmp_path: Path) -> None:
    out = hostile_output(tmp_path / "run")
    (out / "stories.jsonl").unlink()
    target = tmp_path / "elsewhere.html"
    result = copydesk("report", out, "--out", target)
    assert result.returncode == 0, result.stderr
    assert str(target) in result.stdout
    data = json.loads(first_group(r'id="copydesk-data">(.*?)</script>', target.read_text(encoding="utf-8")))
    assert data["counts"]["stories"] is None
    assert {f["name"]: f["state"] for f in data["files"]}["stories.jsonl"] == "missing"
    assert data["clusters"][0]["lineage"][0]["changes"]["substitutions"][0]["count"] == 2
    assert not (out / "report.html").exists()


@pytest.mark.parametrize("make", ["no_dir", "no_copies"])
def test_report_command_on_a_directory_that_is_not_an_output_says_so(tmp_path: Path, make: str) -> None:
    folder = tmp_path / "nothing"
    if make == "no_copies":
        folder.mkdir()
        (folder / "articles.jsonl").write_text("{}\n", encoding="utf-8")
    result = copydesk("report", folder)
    assert result.returncode == 2
    assert str(folder) in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_line_keeps_what_came_before_and_the_page_says_where(tmp_path: Path) -> None:
    out = hostile_output(tmp_path / "run")
    with open(out / "passages.jsonl", "a", encoding="utf-8") as handle:
        handle.write('{"a": "evil-child", "b": \n')
    payload = load_payload(out)
    status = {f["name"]: f for f in payload["files"]}["passages.jsonl"]
    assert status["state"] == "partial" and "passages.jsonl:2" in status["note"]
    assert len(payload["passages"]) == 1
