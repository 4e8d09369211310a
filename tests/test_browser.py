"""The network pages in real headless Chromium (marker ``browser``).

No browser-automation package is needed: ``chromium --headless --dump-dom`` prints the DOM
after the page's scripts ran (``--virtual-time-budget`` lets timers fire), and the page
writes what the tests read into it: ``#rg-node-count`` (nodes drawn, after the first
drawing) and ``#rg-errors`` (JavaScript errors). ``--screenshot`` shows that something was
drawn; the PNG is decoded with the standard library. Where a test needs an interaction
(hovering a node, unticking a filter), it injects a small script into a copy of the page.

Without Chromium the tests skip, except under CI (``CI`` set), where they fail:
``.ci/run`` installs Chromium before ``make test``.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from orgnets import IMG, ORG, SCRIPT, hostile_graph, org_graph
from regiograph.synthetic import synthetic_org_network
from regiograph.visualise import TYPE_COLOURS, network_page

pytestmark = pytest.mark.browser

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: the page must need nothing else
]


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if found is None:
        message = "Chromium not installed: apt-get install chromium"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(f"{message} (CI must run the browser tests; .ci/run installs it)")
        pytest.skip(message)
    return found


def run(chromium: str, page: Path, tmp: Path, *args: str, budget: int = 15000) -> str:
    command = [
        chromium,
        *FLAGS,
        f"--user-data-dir={tmp / 'chromium-profile'}",
        f"--virtual-time-budget={budget}",
        *args,
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def dump_dom(chromium: str, page: Path, tmp: Path, budget: int = 15000) -> str:
    return run(chromium, page, tmp, "--dump-dom", budget=budget)


def drawn(dom: str) -> int | None:
    found = re.search(r'<span id="rg-node-count">(\d*)</span>', dom)
    assert found, "no #rg-node-count in the page"
    return int(found.group(1)) if found.group(1) else None


def errors(dom: str) -> str:
    found = re.search(r'<pre id="rg-errors">(.*?)</pre>', dom, re.S)
    assert found, "no #rg-errors in the page"
    return html.unescape(found.group(1))


def inject(page: Path, *, head: str = "", body: str = "") -> Path:
    """A copy of the page with test scripts first in <head> and last in <body>."""
    text = page.read_text(encoding="utf-8")
    meta = '<meta charset="utf-8">'
    text = text.replace(meta, meta + head, 1)
    at = text.rindex("</body>")
    copy = page.with_name("probe-" + page.name)
    copy.write_text(text[:at] + body + text[at:], encoding="utf-8")
    return copy


def png_pixels(path: Path) -> tuple[int, int, list[bytes], int]:
    """Width, height, unfiltered rows and bytes per pixel of an 8-bit RGB(A) PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, chunk = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    assert depth == 8 and colour in (2, 6) and interlace == 0
    bpp = 3 if colour == 2 else 4
    raw, stride, rows = zlib.decompress(idat), width * bpp, []
    prev = bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride) if kind else ():
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            else:  # Paeth
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def test_small_page_draws_every_node(chromium, tmp_path):
    G = org_graph()
    page = network_page(G, tmp_path / "small.html")
    dom = dump_dom(chromium, page, tmp_path)
    assert drawn(dom) == len(G)
    assert errors(dom) == ""
    png = tmp_path / "small.png"
    run(chromium, page, tmp_path, f"--screenshot={png}", "--window-size=1200,800")
    width, height, rows, bpp = png_pixels(png)
    assert (width, height) == (1200, 800)
    counts: dict[tuple[int, ...], int] = {}
    for row in rows:  # the network, right of the 270-pixel panel
        for x in range(280, width):
            pixel = tuple(row[x * bpp : x * bpp + 3])
            counts[pixel] = counts.get(pixel, 0) + 1
    assert len(counts) > 20, "the network area is blank"
    for kind in ("government", "education", "business", "healthcare", "intermediary"):
        rgb = tuple(int(TYPE_COLOURS[kind][i : i + 2], 16) for i in (1, 3, 5))
        assert counts.get(rgb, 0) >= 50, f"no {kind} node drawn"


def test_five_thousand_nodes_load(chromium, tmp_path):
    """A smoke check of a large page (bench/bench_viz.py measures it; no timing asserts)."""
    G = synthetic_org_network(5000)
    page = network_page(G, tmp_path / "large.html")
    dom = dump_dom(chromium, page, tmp_path, budget=10000)
    assert drawn(dom) == 5000
    assert errors(dom) == ""
    found = re.search(r'data-rg-drawn-ms="(\d+)"', dom)
    print(f"5,000 nodes drawn {found.group(1) if found else '?'} ms after navigation start")


HOVER = """<script>
window.addEventListener("load", function () { setTimeout(function () {
  var ids = nodes.getIds(), pos = network.getPositions(ids), a = pos[ids[0]], b = pos[ids[1]];
  var point = network.canvasToDOM(window.rgTarget === "edge" ? {x: (a.x + b.x) / 2,
                                   y: (a.y + b.y) / 2} : a);
  var canvas = document.querySelector("#mynetwork canvas"), box = canvas.getBoundingClientRect();
  canvas.dispatchEvent(new MouseEvent("mousemove", {bubbles: true,
                       clientX: box.left + point.x, clientY: box.top + point.y}));
}, 1000); });
</script>"""
TRAP = """<script>window.alert = function () {
  document.documentElement.setAttribute("data-alerted", "yes"); };</script>"""


@pytest.mark.parametrize("target", ["node", "edge"])
def test_hostile_text_stays_text_in_the_browser(chromium, tmp_path, target):
    page = network_page(hostile_graph(), tmp_path / "hostile.html", title=f"Netwerk {SCRIPT}")
    probe = inject(page, head=TRAP, body=f"<script>window.rgTarget = {target!r};</script>{HOVER}")
    dom = dump_dom(chromium, probe, tmp_path)
    assert drawn(dom) == 2 and errors(dom) == ""
    assert 'data-alerted="yes"' not in dom and "<img" not in dom
    tip = re.search(r'<div class="vis-tooltip"[^>]*>(.*?)</div>', dom, re.S)
    assert tip, "the tooltip did not open"
    expected = {
        "node": f"<b>Evil {html.escape(SCRIPT, quote=False)} BV "
        f"{html.escape(IMG, quote=False)}</b><br>business (bedrijfsleven)<br>",
        "edge": f"<li>“Zij werken samen {html.escape(SCRIPT, quote=False)} "
        f"{html.escape(IMG, quote=False)}.” <i>doc{html.escape(IMG, quote=False)}.txt</i></li>",
    }[target]
    assert expected in tip.group(1)  # our markup rendered, the document text as text


FILTER = """<script>
window.addEventListener("load", function () { setTimeout(function () {
  function untick(selector) {
    var box = document.querySelector(selector); box.checked = false;
    box.dispatchEvent(new Event("change"));
  }
  untick('input.rg-type[value="business"]');
  untick('input.rg-province[value=""]');
  var search = document.getElementById("rg-search");
  search.value = "stenden";
  search.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter"}));
  var root = document.documentElement;
  root.setAttribute("data-hidden-nodes", nodes.get({filter: function (n) { return n.hidden; }})
    .map(function (n) { return n.id; }).sort().join(" "));
  var hiddenEdges = edges.get({filter: function (e) { return e.hidden; }});
  root.setAttribute("data-hidden-edges", hiddenEdges.length);
  root.setAttribute("data-selected", network.getSelectedNodes().join(" "));
}, 1000); });
</script>"""


def test_filters_and_search_in_the_browser(chromium, tmp_path):
    page = network_page(org_graph(), tmp_path / "small.html")
    dom = dump_dom(chromium, inject(page, body=FILTER), tmp_path)
    assert errors(dom) == ""
    assert re.search(r'<span id="rg-visible-count">(\d+)</span>', dom).group(1) == "3"
    assert f'data-hidden-nodes="{ORG}acme-bv {ORG}zorggroep-noord"' in dom
    assert 'data-hidden-edges="2"' in dom
    assert f'data-selected="{ORG}nhl-stenden"' in dom
    assert '<span id="rg-search-result">1 match</span>' in dom
