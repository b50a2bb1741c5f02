"""The HTML report: one self-contained page, built from an output directory's JSONL files.

>>> from copydesk.report.html import build_report
>>> build_report(Path("out/demo"))            # doctest: +SKIP
PosixPath('out/demo/report.html')

The page is the template ``static/report.html`` with the stylesheet, the scripts and the data
inlined: no request leaves the page (its Content-Security-Policy forbids any), so it works offline
from file:// and can be mailed as one file. The data is JSON in a ``<script type="application/json">``
block, with every ``<`` written as ``\\u003c`` so that no article text can close the block; the
scripts build the page with ``textContent`` only, never by parsing data as HTML.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import orjson

from copydesk.errors import CopydeskError
from copydesk.output import REPORT
from copydesk.report.data import load_payload

# Scripts in the order they are concatenated into the page's one inline script (one shared scope).
SCRIPTS = ("util.js", "model.js", "filters.js", "overview.js", "clusters.js", "compare.js", "main.js")
STYLE = "report.css"
TEMPLATE = "report.html"
SLOT = re.compile(r"\{\{(TITLE|CSP|STYLE|DATA|TEXTS|SCRIPT)\}\}")


def build_report(out_dir: Path, *, title: str = "copydesk report", target: Path | None = None) -> Path:
    """Write ``out_dir/report.html`` (or ``target``) from the JSONL files in ``out_dir``; return its path.

    Each input file may be missing or empty: the page still builds and says what is absent.
    """
    out_dir = Path(out_dir)
    page = render_page(load_payload(out_dir, title=title), title=title)
    path = target if target is not None else out_dir / REPORT
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as err:
        raise CopydeskError(f"{path}: cannot write ({err.strerror or err})") from err
    return path


def render_page(payload: dict[str, Any], *, title: str) -> str:
    """The page's HTML: the template with title, policy, stylesheet, data and scripts filled in.

    The texts go into a block of their own, which the page parses only when it first shows one:
    the overview and the cluster list open without paying for them.
    """
    payload = dict(payload)
    texts = payload.pop("texts", [])
    style = static_text(STYLE)
    script = bundle_scripts()
    slots = {
        "TITLE": html.escape(title),
        "CSP": html.escape(content_security_policy(script, style)),
        "STYLE": style,
        "DATA": embed_json(payload),
        "TEXTS": embed_json(texts),
        "SCRIPT": script,
    }
    # One pass: text put into one slot is never searched for the next slot's marker.
    return SLOT.sub(lambda match: slots[match.group(1)], static_text(TEMPLATE))


def static_text(name: str) -> str:
    """One file of ``report/static`` (package data, so it is there in an installed copydesk too)."""
    return files("copydesk.report").joinpath("static", name).read_text(encoding="utf-8")


def bundle_scripts() -> str:
    """The scripts as one strict-mode function: one scope for all, nothing leaked to ``window``."""
    parts = [f"// ---- {name}\n{static_text(name)}" for name in SCRIPTS]
    script = "(function () {\n'use strict';\n" + "\n".join(parts) + "\n})();\n"
    if "</script" in script.lower() or "<!--" in script:
        raise AssertionError("a report script contains '</script' or '<!--', which would end it early")
    return script


def embed_json(payload: Any) -> str:
    """``payload`` as JSON that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where ``\\u003c`` and the like mean the
    same characters: so ``</script>``, ``<!--`` and ``]]>`` in an article cannot end the block or
    switch the parser's state, and ``JSON.parse`` still returns the text unchanged. U+2028 and
    U+2029 are escaped too, for tools that read the block as JavaScript.
    """
    text = orjson.dumps(payload).decode("utf-8")
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def content_security_policy(script: str, style: str) -> str:
    """A policy that lets only the page's own inline script and stylesheet run and loads nothing.

    Defence in depth: were some text ever parsed as HTML, an injected script or handler would not
    run (its hash is not listed), and no image, font or request could reach the network.
    """
    return (
        "default-src 'none'; "
        f"script-src '{sha256(script)}'; "
        f"style-src '{sha256(style)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def sha256(text: str) -> str:
    """A CSP source expression for the exact text of an inline element."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
