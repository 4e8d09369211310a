"""The build benchmark (``bench/bench_build.py``): corpora, checks and rows; and the
parallel map of the build."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from regiograph import parallel

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        return importlib.import_module("bench_build")
    finally:
        sys.path.remove(str(ROOT / "bench"))


def test_corpus_is_written_once_and_the_extra_document_is_new(bench, tmp_path: Path):
    corpus = bench.corpus(tmp_path, 5)
    files = sorted(p.name for p in corpus.glob("*.txt"))
    assert len(files) == 5 and (corpus / ".complete").read_text() == "5\n"
    (corpus / files[0]).write_text("changed", encoding="utf-8")
    assert bench.corpus(tmp_path, 5) == corpus
    assert (corpus / files[0]).read_text(encoding="utf-8") == "changed"  # not written again
    name, text = bench.extra_document(5)
    assert name not in files and name.startswith("000005_") and len(text.split()) > 250
    assert bench.extra_document(5, offset=1)[0].startswith("000006_")


def test_measure_rows_and_checks(bench, tmp_path: Path):
    rows = bench.measure(tmp_path, docs=16, big=None, repeat=2)
    by_name = {r["measure"]: r for r in rows}
    median = by_name["full build 16 docs, --jobs 2 (median of 2 runs)"]
    spread = by_name["  slowest and fastest run, --jobs 2"]["value"]
    slowest, fastest = map(float, spread.split("-"))
    # of two runs the median is the slower one
    assert median["value"] == slowest <= fastest and median["target"] == ">= 200"
    assert 16 / by_name["  wall seconds, --jobs 2"]["value"] == pytest.approx(slowest, rel=0.01)
    assert "  slowest and fastest run, --jobs 1" not in by_name  # --jobs 1 runs once
    assert all(set(r) == {"measure", "value", "unit", "target", "ok"} for r in rows)
    for label, extracted in (("changed", 1), ("added", 1), ("removed", 0)):
        row = by_name[f"rebuild 16 docs, one {label}: documents extracted"]
        assert (row["value"], row["ok"]) == (extracted, True)
        assert by_name[f"rebuild 16 docs, one {label}: speedup over full --jobs 2"]["unit"] == "x"
    left = by_name["removed document: its graph and facts left"]
    assert (left["value"], left["ok"]) == (0, True)
    assert by_name["full build 16 docs, --jobs 1"]["unit"] == "docs/s"
    for jobs in (1, 2):
        assert by_name[f"  peak memory (PSS of all processes), --jobs {jobs}"]["value"] > 0
        assert by_name[f"  CPU ms per document, all processes, --jobs {jobs}"]["value"] > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus-16-s1"]  # builds removed
    table = bench.format_rows(rows).splitlines()
    assert table[0].split() == ["measure", "value", "unit", "target", "ok"]
    assert len(table) == len(rows) + 1


def test_median_run_is_the_middle_one_or_the_slower_of_the_middle_two(bench):
    runs = [bench.Run(s, 0.0, 0.0) for s in (5.0, 3.0, 4.0)]
    assert bench.median_run(runs).seconds == 4.0
    assert bench.median_run(runs[:2]).seconds == 5.0
    assert bench.median_run(runs[1:]).seconds == 4.0
    with pytest.raises(ValueError, match="repeat must be at least 1"):
        bench.measure(Path("unused"), docs=1, big=None, repeat=0)


def test_remnants_counts_what_still_names_a_document(bench, tmp_path: Path):
    from regiograph.pipeline import build

    corpus = bench.corpus(tmp_path, 3)
    first = sorted(corpus.glob("*.txt"))[0].name
    build([corpus], tmp_path / "out")
    assert bench.remnants(tmp_path / "out", first) > 10
    assert bench.remnants(tmp_path / "out", "not-a-document.txt") == 0


def test_run_reports_a_failing_command(bench):
    with pytest.raises(bench.subprocess.CalledProcessError) as failed:
        bench.run([sys.executable, "-c", "import sys; sys.stderr.write('boom'); sys.exit(3)"])
    assert failed.value.returncode == 3 and failed.value.stderr == b"boom"
    seconds, _peak, max_rss, cpu = bench.run([sys.executable, "-c", "x = bytearray(50_000_000)"])
    assert seconds > 0 and max_rss >= 50 and cpu >= 0


def _double(chunk: list[int]) -> list[int]:
    return [2 * x for x in chunk]


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_parallel_map_returns_chunks_in_order(jobs: int):
    items = list(range(1000))
    chunks = list(parallel._map(_double, items, jobs, most=64))
    assert [x for c in chunks for x in c] == [2 * x for x in items]
    if jobs > 1:
        assert max(len(c) for c in chunks) == parallel._chunk_size(1000, jobs, 64)


@pytest.mark.skipif(parallel._context().get_start_method() != "fork", reason="needs fork")
def test_start_workers_forks_every_worker_before_the_first_task():
    import multiprocessing

    before = {p.pid for p in multiprocessing.active_children()}
    with parallel.worker_pool(2) as pool:
        parallel.start_workers(pool)
        started = {p.pid for p in multiprocessing.active_children()} - before
        assert len(started) == 2
        chunks = list(parallel._map(_double, list(range(100)), 2, most=8, pool=pool))
        assert [x for c in chunks for x in c] == [2 * x for x in range(100)]
        assert {p.pid for p in multiprocessing.active_children()} - before == started


@pytest.mark.parametrize("jobs", [1, 2])
def test_extract_all_consuming_its_documents_extracts_the_same(jobs: int):
    from regiograph.ingest import read_document

    corpus = Path(__file__).resolve().parents[1] / "data" / "corpus"
    documents = [read_document(p) for p in sorted(corpus.glob("*.txt"))]
    assert len(documents) >= parallel.MIN_PARALLEL
    expected = parallel.extract_all(list(documents), jobs=jobs)
    todo, seen = list(documents), []
    found = parallel.extract_all(todo, jobs=jobs, progress=seen.append, consume=True)
    assert found == expected and todo == []
    assert [d.doc_id for d in seen] == [d.doc_id for d in documents]
    assert {d.text for d in seen} == ({""} if jobs > 1 else {d.text for d in documents})


@pytest.mark.parametrize("jobs", [1, 2])
def test_render_all_consuming_its_documents_renders_the_same(jobs: int):
    from regiograph.ingest import read_document
    from regiograph.resolve import resolve

    corpus = Path(__file__).resolve().parents[1] / "data" / "corpus"
    documents = [read_document(p) for p in sorted(corpus.glob("*.txt"))]
    resolved = resolve(parallel.extract_all(documents))
    expected = list(parallel.render_all(list(resolved), jobs=jobs))
    todo = list(resolved)
    assert list(parallel.render_all(todo, jobs=jobs, consume=True)) == expected
    assert todo == [] and len(expected) == len(documents)


def test_in_order_keeps_at_most_a_window_of_chunks_at_the_workers():
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    submitted = []

    class Counting(ThreadPoolExecutor):
        def submit(self, fn, *args):
            submitted.append(args[0])
            return super().submit(fn, *args)

    chunks = deque([[i, i + 1] for i in range(0, 40, 2)])
    with Counting(max_workers=2) as pool:
        results = parallel._in_order(pool, _double, chunks, 3)
        for k, result in enumerate(results, start=1):
            assert result == [4 * k - 4, 4 * k - 2]
            assert len(submitted) <= k + 3
    assert len(submitted) == 20 and not chunks
