"""The ``make bench`` aggregator: its table, its Markdown and its command line."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ROWS = [
    {"area": "build", "measure": "full build, 2 workers", "value": 212.4, "unit": "docs/s",
     "target": ">= 200", "ok": True},
    {"area": "queries", "measure": "04 at 5M | slow", "value": 1.25, "unit": "s",
     "target": "< 1 s", "ok": False},
    {"area": "pages", "measure": "page of 500 nodes", "value": 0.5, "unit": "s",
     "target": "", "ok": None},
    {"area": "build", "measure": "  slowest and fastest run", "value": "169.9-181.0",
     "unit": "docs/s", "target": "", "ok": None},
    {"area": "queries", "measure": "05 on rdflib", "value": "timeout", "unit": "s",
     "target": "", "ok": None},
]  # fmt: skip


def test_table(bench):
    assert bench.table(ROWS).splitlines() == [
        "area                 result  target  met  measure",
        "-------  ------------------  ------  ---  -------",
        "build            212 docs/s  >= 200  yes  full build, 2 workers",
        "queries              1.25 s   < 1 s  NO   04 at 5M | slow",
        "pages                0.50 s               page of 500 nodes",
        "build    169.9-181.0 docs/s                 slowest and fastest run",
        "queries             timeout               05 on rdflib",
    ]


def test_markdown_escapes_bars_and_names_the_machine(bench):
    facts = {"cpu": "AMD EPYC, 2 cores", "memory": "23.5 GiB"}
    text = bench.markdown(ROWS, facts, 600.0)
    assert "took 10 minutes" in text
    assert "- **cpu**: AMD EPYC, 2 cores\n- **memory**: 23.5 GiB\n" in text
    assert "| queries | 04 at 5M \\| slow | 1.25 s | < 1 s | NO |" in text.splitlines()


def test_machine_description(bench):
    facts = bench.machine()
    assert set(facts) == {"cpu", "memory", "system", "python", "packages"}
    assert "pyoxigraph " in facts["packages"] and "cores" in facts["cpu"]


def test_help_lists_the_areas(bench, capsys):
    with pytest.raises(SystemExit) as stop:
        bench.main(["--help"])
    assert stop.value.code == 0
    assert "Areas: build, queries, analysis, pages" in capsys.readouterr().out
