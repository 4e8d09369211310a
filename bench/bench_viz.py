"""Network views: layout and page-writing time, page size and browser load time.

For seeded synthetic organisation networks (``regiograph.synthetic``, the attributes of
``org_network``) of 500 and 5,000 organisations it times the layout
(``regiograph.layout.layout_positions``) and ``visualise.network_page`` with that layout,
and, when Chromium is installed, how long ``chromium --headless --dump-dom`` takes to load
the page (whole process, and next to it an empty page for Chromium's own start-up) and
when the page reports its first drawing (``data-rg-drawn-ms``: milliseconds after
navigation start, measured by the page)::

    python bench/bench_viz.py [--sizes 500 5000] [--keep DIR]

Target (issue "Network analysis and interactive network views"): a 5,000-node page opens
and is usable within 5 s in Chromium.
"""

from __future__ import annotations

import argparse
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from regiograph.layout import layout_positions  # noqa: E402
from regiograph.synthetic import synthetic_org_network  # noqa: E402
from regiograph.visualise import network_page  # noqa: E402

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
]


def load(chromium: str, page: Path, work: Path) -> tuple[float, str, str]:
    """Seconds Chromium needs to load ``page`` and dump its DOM; nodes drawn; first drawing."""
    profile = Path(tempfile.mkdtemp(dir=work, prefix="profile-"))
    command = [
        chromium,
        *FLAGS,
        f"--user-data-dir={profile}",
        "--virtual-time-budget=10000",
        "--dump-dom",
        page.as_uri(),
    ]
    t0 = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    seconds = time.perf_counter() - t0
    count = re.search(r'<span id="rg-node-count">(\d*)</span>', done.stdout)
    drawn_ms = re.search(r'data-rg-drawn-ms="(\d+)"', done.stdout)
    return (seconds, count.group(1) if count else "?", drawn_ms.group(1) if drawn_ms else "-")


def page_times(n: int, out: Path) -> dict[str, float]:
    """Layout and page-writing seconds for a synthetic network of ``n`` organisations."""
    G = synthetic_org_network(n)
    t0 = time.perf_counter()
    positions = layout_positions(G)
    t1 = time.perf_counter()
    page = network_page(G, out / f"network-{n}.html", layout=positions)
    t2 = time.perf_counter()
    return {
        "layout": t1 - t0,
        "write": t2 - t1,
        "edges": G.number_of_edges(),
        "mb": page.stat().st_size / 1e6,
        "page": page,
    }


def measure(work_dir: Path, sizes: tuple[int, ...] = (500, 5000)) -> list[dict]:
    """Benchmark rows (``measure``, ``value``, ``unit``, ``target``, ``ok``): page
    generation (layout and writing) per size, and Chromium's load time when installed."""
    out = work_dir / "viz"
    out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    rows = []
    for n in sizes:
        t = page_times(n, out)
        rows.append(
            {
                "measure": f"network page of {n:,} nodes and {t['edges']:,} ties "
                f"(layout {t['layout']:.1f} s + write {t['write']:.1f} s, {t['mb']:.1f} MB)",
                "value": t["layout"] + t["write"],
                "unit": "s",
                "target": "",
                "ok": None,
            }
        )
        if chromium:
            seconds, count, drawn = load(chromium, t["page"], out)
            rows.append(
                {
                    "measure": f"Chromium opens the {n:,}-node page ({count} nodes drawn, "
                    f"first drawing after {drawn} ms; whole headless process)",
                    "value": seconds,
                    "unit": "s",
                    "target": "< 5 s",
                    "ok": seconds < 5 and count == str(n),
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--keep", type=Path, default=None, help="keep the pages here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="regiograph-bench-viz-"))
    out = args.keep or work
    out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    print(
        f"Python {platform.python_version()} on {platform.machine()}; "
        f"Chromium: {chromium or 'not installed (no load times)'}"
    )
    try:
        baseline = None
        if chromium:
            empty = work / "empty.html"
            empty.write_text("<!DOCTYPE html><p>empty</p>", encoding="utf-8")
            baseline = load(chromium, empty, work)[0]
            print(f"Chromium start-up, empty page: {baseline:.2f} s")
        header = (
            f"{'nodes':>6} {'edges':>7} {'layout s':>9} {'write s':>8} {'MB':>6}"
            f" {'load s':>7} {'drawn':>6} {'first draw ms':>14}"
        )
        print(header)
        for n in args.sizes:
            G = synthetic_org_network(n)
            t0 = time.perf_counter()
            positions = layout_positions(G)
            layout_s = time.perf_counter() - t0
            t1 = time.perf_counter()
            page = network_page(G, out / f"network-{n}.html", layout=positions)
            write_s = time.perf_counter() - t1
            size = page.stat().st_size / 1e6
            load_s, count, drawn_ms = load(chromium, page, work) if chromium else (0.0, "-", "-")
            load_text = f"{load_s:7.2f}" if chromium else f"{'-':>7}"
            print(
                f"{n:>6} {G.number_of_edges():>7} {layout_s:>9.2f} {write_s:>8.2f} {size:>6.1f}"
                f" {load_text} {count:>6} {drawn_ms:>14}"
            )
        if args.keep:
            print(f"Pages in {out}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
