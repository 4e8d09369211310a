"""The pages of ``regiograph serve`` in real headless Chromium (marker ``browser``).

A uvicorn server on 127.0.0.1 serves the demo build; ``chromium --headless --dump-dom``
(the flags of ``test_browser.py``: every address but the server's, 127.0.0.1, resolves to
nothing) prints the DOM after the page's scripts ran. The editor page
reports the rows of the last result in ``#rg-status[data-rows]`` and JavaScript errors and
Content-Security-Policy violations (any attempt to reach another address) in
``#rg-errors``.

Without Chromium the tests skip, except under CI, where they fail (``.ci/run`` installs it).
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path
from urllib.parse import urlencode

import pytest

from regiograph.pipeline import build
from regiograph.serve import create_app, running
from test_browser import FLAGS
from test_browser import chromium as chromium  # the fixture: skip, or fail under CI

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(corpus_build: Path):
    with running(create_app(corpus_build)) as url:
        yield url


# test_browser's flags, but the server's address (127.0.0.1) stays reachable
BROWSER_FLAGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" if f.startswith(
        "--host-resolver-rules") else f for f in FLAGS]


def dump(chromium: str, url: str, tmp: Path, budget: int = 20000) -> str:
    command = [chromium, *BROWSER_FLAGS, f"--user-data-dir={tmp / 'chromium-profile'}",
               f"--virtual-time-budget={budget}", "--dump-dom", url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def page_errors(dom: str) -> str:
    found = re.search(r'<pre id="rg-errors"[^>]*>(.*?)</pre>', dom, re.S)
    assert found, "no #rg-errors in the page"
    return html.unescape(found.group(1)).strip()


def result_rows(dom: str) -> str:
    found = re.search(r'<p id="rg-status"[^>]*data-rows="([^"]*)"', dom)
    assert found, "no #rg-status in the page"
    return found.group(1)


def cells(dom: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", dom, re.S)]


def test_editor_runs_a_saved_query_and_shows_rows(chromium, server, tmp_path):
    query = urlencode({"example": "03_partners_of", "name": "NHL Stenden", "run": "1"})
    dom = dump(chromium, f"{server}/?{query}", tmp_path)
    assert page_errors(dom) == ""
    assert result_rows(dom) == "15"
    shown = cells(dom)
    assert "Rijksuniversiteit Groningen" in shown
    assert "Drenthe College" in shown
    assert 'class="yasgui' in dom  # YASGUI drew its editor
    headers = [html.unescape(re.sub(r"<[^>]+>", "", h)).strip()
               for h in re.findall(r"<th[^>]*>(.*?)</th>", dom, re.S)]
    assert "partner_label" in headers


def test_editor_opens_with_the_saved_queries_and_needs_no_network(chromium, server, tmp_path):
    dom = dump(chromium, server + "/", tmp_path)
    assert page_errors(dom) == ""  # no JavaScript error, no blocked request to elsewhere
    assert dom.count('class="rg-example') >= 15
    assert 'class="yasgui' in dom and "CodeMirror" in dom


def test_entity_page_shows_its_evidence(chromium, server, tmp_path):
    dom = dump(chromium, server + "/id/org/nhl-stenden-hogeschool", tmp_path, budget=5000)
    quotes = [html.unescape(q) for q in re.findall(r"<blockquote>(.*?)</blockquote>", dom, re.S)]
    assert any(q.startswith("De zeven deelnemers aan De Alliantie") for q in quotes)
    assert re.search(r'href="/id/doc/000-fecb80c606021118-txt#ev-\d+"', dom)
    doc = dump(chromium, server + "/id/doc/000-fecb80c606021118-txt", tmp_path, budget=5000)
    assert "<h1>De Alliantie van Drachten</h1>" in doc
    assert re.search(r'<li class="rg-evidence" id="ev-\d+"><blockquote>De zeven', doc)


def test_network_view_draws(chromium, server, tmp_path):
    dom = dump(chromium, server + "/network?" + urlencode({"focus": "NHL Stenden"}), tmp_path)
    found = re.search(r'<span id="rg-node-count">(\d*)</span>', dom)
    assert found and int(found.group(1)) > 5
    assert page_errors(dom) == ""


HACK = "document.body.setAttribute('data-hacked','yes')"


def test_document_text_cannot_run_scripts(chromium, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "01_hostile.txt").write_text(
        f"Samenwerking in Drenthe <img src=x onerror=\"{HACK}\">\n\n"
        "De gemeente Emmen, Drenthe College en NHL Stenden hebben de Alliantie Campus Emmen "
        f"<script>{HACK}</script> opgericht om samen te werken.\n",
        encoding="utf-8")
    out = tmp_path / "build"
    build([corpus], out)
    with running(create_app(out)) as url:
        dom = dump(chromium, url + "/id/doc/01-hostile-txt", tmp_path, budget=5000)
    assert 'data-hacked="yes"' not in dom  # neither payload ran
    assert f"&lt;script&gt;{HACK}&lt;/script&gt;" in dom  # shown as text
    assert "<script>document" not in dom and "<img src" not in dom
