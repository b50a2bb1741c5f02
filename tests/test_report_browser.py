"""The HTML report in a real browser: headless Chromium (Debian's `chromium`) driven by Playwright.

Skipped with a reason when Playwright or Chromium is missing, except under CI=true, where that
is a failure. The screenshot of the seeds' side-by-side view goes to tests/artifacts/report.png.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from cli_helpers import copydesk
from conftest import SEED_FULL, SEED_SHORT
from copydesk.report.html import build_report
from report_outputs import HOSTILE, hostile_output, large_output

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the browser tests (.ci/run installs chromium)")
    pytest.skip(reason)


def chromium_path() -> str | None:
    """COPYDESK_CHROMIUM, else `chromium` on PATH, else Debian's /usr/bin/chromium."""
    for candidate in (os.environ.get("COPYDESK_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install -e '.[test]')")
    path = chromium_path()
    if path is None:
        missing("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        instance = playwright.chromium.launch(executable_path=path, headless=True, args=["--no-sandbox"])
        yield instance
        instance.close()


@dataclass
class Tab:
    """A page with everything it reported: console errors, uncaught exceptions and dialogs."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, report: Path) -> Any:
        self.page.goto(report.resolve().as_uri())
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
        return self.page

    def open_cluster(self, cluster: str) -> None:
        self.page.click(".tab[data-tab=clusters]")
        self.page.click(f".cluster-item[data-cluster='{cluster}']")
        self.page.wait_for_selector("#side-by-side")


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    found = Tab(page)
    page.on("console", lambda message: found.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: found.errors.append(str(error)))

    def on_dialog(dialog: Any) -> None:
        found.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield found
    context.close()


def test_seeds_report_shows_the_source_and_the_side_by_side_view(tab: Tab, seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "seeds"
    result = copydesk("run", seeds_dir, "--out", out, "--quiet")
    assert result.returncode == 0, result.stderr
    page = tab.open(out / "report.html")
    assert page.locator("#stats .stat-card").count() == 5
    assert page.locator("#top-clusters tr[data-cluster]").count() == 1
    assert page.locator("#stories [data-story] svg circle").count() >= 1

    page.click("#top-clusters tr[data-cluster='c000001']")  # the overview's table opens the cluster
    page.wait_for_selector("#side-by-side")
    assert SEED_FULL in page.locator("#source").inner_text()
    assert "AFP" in page.locator("#source .reasons").inner_text()
    assert page.locator(f"#lineage .node[data-article='{SEED_SHORT}'][aria-pressed='true']").count() == 1

    parent, child = page.locator("#side-by-side .side-parent"), page.locator("#side-by-side .side-child")
    assert parent.locator("mark.reused").count() >= 3 and child.locator("mark.reused").count() >= 3
    assert "United States" in parent.locator("mark.sub").all_inner_texts()
    assert "US" in child.locator("mark.sub").all_inner_texts()
    # The paragraph the short version added is unmatched text on its side only.
    assert "Blinken said that the US was" in " ".join(child.locator(".gap").all_inner_texts())
    assert "Blinken said that the US was" not in " ".join(parent.all_inner_texts())

    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1500})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "report.png"))
    assert tab.errors == []


def test_an_exact_reprint_is_called_one_in_the_comparison(tab: Tab, seeds_dir: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for seed in seeds_dir.glob("*.txt"):
        shutil.copy(seed, inputs / seed.name)
    reprint = "002_reprint"
    shutil.copy(seeds_dir / f"{SEED_FULL}.txt", inputs / f"{reprint}.txt")
    out = tmp_path / "out"
    result = copydesk("run", inputs, "--out", out, "--quiet")
    assert result.returncode == 0, result.stderr
    page = tab.open(out / "report.html")
    tab.open_cluster("c000001")
    page.click(f"#lineage .node[data-article='{reprint}']")
    assert page.locator(".compare-head").inner_text().count("Exact duplicate") == 1
    page.click(f"#lineage .node[data-article='{SEED_SHORT}']")  # an edited version is not one
    assert "Exact duplicate" not in page.locator(".compare-head").inner_text()
    assert tab.errors == []


def test_demo_lineage_tree_switches_the_comparison(tab: Tab, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert copydesk("demo", "--out", out, "--quiet").returncode == 0
    page = tab.open(out / "report.html")
    tab.open_cluster("c000001")
    nodes = page.locator("#lineage .node")
    assert nodes.count() == 6
    assert page.locator("#lineage .node.root .tag.src").count() == 1
    last = nodes.nth(5)
    article = last.get_attribute("data-article")
    last.click()
    assert page.locator(f"#lineage .node[data-article='{article}']").get_attribute("aria-pressed") == "true"
    child_head = page.locator("#side-by-side .side-head").nth(1).inner_text()
    assert article in child_head
    assert page.locator("#side-by-side mark.reused").count() > 0

    # Filtering by an outlet keeps only the clusters that hold one of its versions.
    page.click(".tab[data-tab=overview]")
    page.select_option("#filter-outlet", "Reuters")
    assert page.locator("#top-clusters tr[data-cluster]").count() == 1
    page.click("#filter-reset")
    assert page.locator("#top-clusters tr[data-cluster]").count() == 2
    # ... and by date: the demo's copies ran on 14 and 15 May 2024.
    page.fill("#filter-to", "2024-05-13")
    assert page.locator("#top-clusters tr[data-cluster]").count() == 0
    assert "No copy cluster matches" in page.locator("#top-clusters").inner_text()
    page.fill("#filter-to", "2024-05-14")
    assert page.locator("#top-clusters tr[data-cluster]").count() == 1
    assert tab.errors == []


def test_hostile_text_is_shown_literally_and_nothing_runs(tab: Tab, tmp_path: Path) -> None:
    report = build_report(hostile_output(tmp_path / "evil"))
    page = tab.open(report)
    page.select_option("#filter-outlet", index=1)  # the hostile outlet name, as an <option>
    tab.open_cluster("c000001")
    page.click("#changes summary")
    page.wait_for_timeout(200)  # time for an injected handler (img onerror, svg onload) to fire

    assert page.evaluate("window.__pwned") is None
    assert tab.dialogs == []
    assert page.locator("img").count() == 0 and page.locator("svg[onload]").count() == 0
    assert page.locator("script").count() == 3
    def shown(selector: str) -> str:
        return " ".join(page.locator(selector).all_inner_texts()).replace("\u2028", "")

    hostile = HOSTILE.replace("\u2028", "")
    assert hostile in shown("#side-by-side .side-child .side-text")
    assert "Title " + hostile in shown("#side-by-side .side-head")
    assert "reason " + HOSTILE in page.locator("#source").inner_text()
    assert HOSTILE in page.locator("#changes").inner_text()
    assert page.locator("a[href^='javascript']").count() == 0
    # The CSP may log the blocked attempts; nothing else may fail.
    assert [e for e in tab.errors if "Content Security Policy" not in e] == []


def test_ten_thousand_clusters_load_and_paginate(tab: Tab, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    report = build_report(large_output(tmp_path / "large", 10_000))
    page = tab.open(report)
    page.click(".tab[data-tab=clusters]")
    pager = page.locator("[data-pager=clusters] .range")
    assert page.locator(".cluster-item").count() == 50
    assert pager.inner_text() == "1–50 of 10,000"
    page.click("[data-pager=clusters] .next")
    assert pager.inner_text() == "51–100 of 10,000"
    assert page.locator(".cluster-item").first.get_attribute("data-cluster") == "c000051"

    page.fill("#filter-q", "c009999")
    expect(page.locator(".cluster-item")).to_have_count(1)  # the search box waits for a pause in typing
    page.click(".cluster-item")
    page.wait_for_selector("#side-by-side mark.reused")
    assert page.locator("#lineage .node").count() == 3

    page.fill("#filter-q", "")
    page.select_option("#filter-outlet", "Agence")
    expect(pager).to_have_text("1–50 of 6,000")
    assert tab.errors == []
