"""``make bench``: every scale benchmark of regiograph in one table.

Runs, on seeded synthetic data made under ``--work`` (default ``build/bench``, reused by
later runs):

build
    ``bench_build.measure``: full-build documents/s with 1 and 2 worker processes, peak
    memory, incremental rebuilds (one document changed, added, removed) and their speed-up.
queries
    ``bench_queries.measure``: every saved query at 1M and 5M triples on the on-disk store
    a build makes, and on rdflib's own SPARQL engine over the same data, as a ratio.
analysis
    ``bench_analyse.measure``: ``regiograph analyse`` on stores of 1k and 10k
    organisations, and every measure on networks of 1k, 10k and 100k organisations.
pages
    ``bench_viz.measure``: network page generation at 500 and 5,000 nodes (and Chromium's
    load time when it is installed).

and prints one table: area, measure, result, target and whether it is met. ``--results
FILE`` also writes it as Markdown with a description of the machine (what
``bench/RESULTS.md`` is made from). ``--quick`` runs small sizes only, to check that the
benchmarks work (its figures are not the published ones).

    python bench/run.py [--only build queries analysis pages] [--quick] [--results FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from contextlib import suppress
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

AREAS = ("build", "queries", "analysis", "pages")
PACKAGES = ("regiograph", "pyoxigraph", "rdflib", "networkx", "scipy", "igraph", "pyvis")


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
                break
    except OSError:
        pass
    versions = []
    for name in PACKAGES:
        with suppress(PackageNotFoundError):
            versions.append(f"{name} {version(name)}")
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": memory,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": ", ".join(versions),
    }


def _query_rows(results: list[dict]) -> list[dict]:
    rows = []
    for r in results:
        if r.get("rdflib_s") is not None:
            rdflib = f"rdflib {r['rdflib_s']:.2f} s, {r['ratio']:.0f}× slower"
        else:
            rdflib = f"rdflib: {r.get('rdflib_note') or 'not run'}"
        five = r["triples"] >= 5_000_000
        seconds = r["oxigraph_s"]
        rows.append(
            {
                "measure": f"{r['query']} at {r['triples'] / 1e6:g}M quads "
                f"({r['rows'] if r['rows'] is not None else '?'} rows; {rdflib})",
                "value": seconds if seconds is not None else "timeout",
                "unit": "s" if seconds is not None else "",
                "target": "< 1 s" if five else "",
                "ok": (seconds is not None and seconds < 1.0) if five else None,
            }
        )
    return rows


def run_area(area: str, work: Path, quick: bool) -> list[dict]:
    """The rows of one area."""
    if area == "build":
        import bench_build

        if quick:
            return bench_build.measure(work, docs=300, big=None, repeat=1)
        return bench_build.measure(work)
    if area == "queries":
        import bench_queries

        sizes = (100_000,) if quick else (1_000_000, 5_000_000)
        return _query_rows(bench_queries.measure(work, sizes=sizes))
    if area == "analysis":
        import bench_analyse

        if quick:
            return bench_analyse.measure(work, sizes=(1_000,), store_max=1_000)
        return bench_analyse.measure(work)
    if area == "pages":
        import bench_viz

        return bench_viz.measure(work, sizes=(500,) if quick else (500, 5000))
    raise ValueError(area)


def _value(row: dict) -> str:
    value, unit = row["value"], row["unit"]
    if isinstance(value, str):  # a range of figures ("169.9-181.0") or a word ("timeout")
        return f"{value} {unit}".strip() if value[:1].isdigit() else value
    if isinstance(value, float):
        text = f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    else:
        text = f"{value:,}"
    return f"{text} {unit}".strip()


def _met(row: dict) -> str:
    return {True: "yes", False: "NO", None: ""}[row.get("ok")]


def table(rows: list[dict]) -> str:
    """The rows as a plain-text table (area, result, target, met, measure)."""
    head = ("area", "result", "target", "met", "measure")
    cells = [(r["area"], _value(r), r["target"], _met(r), r["measure"]) for r in rows]
    widths = [max(len(str(c[i])) for c in [head, *cells]) for i in range(4)]
    lines = []
    for c in [head, (*("-" * w for w in widths), "-------"), *cells]:
        left = [str(c[0]).ljust(widths[0])]
        middle = [str(c[i]).rjust(widths[i]) for i in (1, 2)] + [str(c[3]).ljust(widths[3])]
        lines.append("  ".join([*left, *middle, str(c[4])]).rstrip())
    return "\n".join(lines)


def markdown(rows: list[dict], facts: dict[str, str], seconds: float) -> str:
    """The rows and the machine as a Markdown document."""
    out = [
        "# regiograph benchmark results",
        "",
        "Written by `make bench` (`python bench/run.py --results bench/RESULTS.md`), "
        f"which took {seconds / 60:.0f} minutes.",
        "",
        "## Machine",
        "",
        *[f"- **{key}**: {value}" for key, value in facts.items()],
        "",
        "## Results",
        "",
        "| area | measure | result | target | met |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for r in rows:
        measure = r["measure"].replace("|", "\\|")
        out.append(f"| {r['area']} | {measure} | {_value(r)} | {r['target']} | {_met(r)} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Areas: " + ", ".join(AREAS),
    )
    parser.add_argument("--only", nargs="+", choices=AREAS, default=list(AREAS))
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--quick", action="store_true", help="small sizes: check, not measure")
    parser.add_argument("--results", type=Path, default=None, help="also write Markdown here")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    facts = machine()
    print("Machine: " + "; ".join(f"{k} {v}" for k, v in facts.items()), flush=True)
    t0 = time.perf_counter()
    rows: list[dict] = []
    for area in args.only:
        print(f"Running the {area} benchmarks ...", file=sys.stderr, flush=True)
        rows += [{"area": area, **row} for row in run_area(area, args.work, args.quick)]
    seconds = time.perf_counter() - t0
    print(table(rows))
    (args.work / "results.json").write_text(
        json.dumps({"machine": facts, "rows": rows}, indent=2, default=str) + "\n"
    )
    if args.results:
        args.results.write_text(markdown(rows, facts, seconds), encoding="utf-8")
        print(f"\nWritten to {args.results}")
    missed = [r for r in rows if r.get("ok") is False]
    print(f"\n{len(rows)} figures, {len(missed)} targets missed, {seconds / 60:.1f} minutes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
