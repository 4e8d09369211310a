"""Build speed and memory: documents per second and peak memory for N documents.

Makes a corpus of N documents of about 300 words by cycling through ``data/corpus`` (each
copy gets its own file name, so every one is ingested, extracted and stored), runs the
whole build (ingest -> extract -> resolve -> RDF -> store, single process) and prints:

    python bench/bench_extract.py [--docs 1000] [--keep DIR]

Targets (issue "Dutch extraction that analysts can trust"): >= 100 documents/s per core
for the whole build; < 500 MB peak memory for 1,000 documents.
"""

from __future__ import annotations

import argparse
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from regiograph.extract import extract  # noqa: E402
from regiograph.ingest import iter_documents  # noqa: E402
from regiograph.pipeline import build  # noqa: E402


def make_corpus(target: Path, n: int) -> int:
    sources = sorted(p for p in (ROOT / "data" / "corpus").glob("*.txt"))
    words = 0
    for i in range(n):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8")
        words += len(text.split())
        (target / f"{i:06d}_{src.name}").write_text(text, encoding="utf-8")
    return words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--keep", type=Path, default=None, help="keep the build here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="regiograph-bench-"))
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        words = make_corpus(corpus, args.docs)
        docs = [d for d in iter_documents([corpus])]
        t0 = time.perf_counter()
        for doc in docs:
            extract(doc)
        extract_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        report = build([corpus], args.keep or work / "out")
        build_s = time.perf_counter() - t1
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        shutil.rmtree(work, ignore_errors=True)
    n = args.docs
    print(
        f"machine: {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, 1 process"
    )
    print(f"documents: {n}, mean words per document: {words / n:.0f}")
    print(f"{'stage':<28}{'seconds':>10}{'docs/s':>10}")
    print(f"{'extract only':<28}{extract_s:>10.2f}{n / extract_s:>10.1f}")
    print(f"{'whole build (to store)':<28}{build_s:>10.2f}{n / build_s:>10.1f}")
    for stage, seconds in report.seconds.items():
        print(f"  {stage:<26}{seconds:>10.2f}")
    print(f"peak memory (RSS): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
