"""Regression guard: extraction quality on the annotated sample corpus must not drop.

The 17 documents of ``data/corpus`` are annotated in ``tests/gold/seeds.yaml`` and
``tests/gold/dev.yaml`` (copies of the project's hand annotations);
``tests/gold/heldout.yaml`` annotates documents the extractor was not developed on.
The floors are the levels reached, less a small margin for rounding.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from regiograph.evaluate import score_files

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"

FLOORS = {
    # gold file: (corpus, macro F1 floor, organisations F1 floor, every metric floor)
    "seeds.yaml": (ROOT / "data" / "corpus", 0.98, 0.97, 0.95),
    "dev.yaml": (ROOT / "data" / "corpus", 0.97, 0.97, 0.90),
    # written and annotated blind, after the rules for the 17 sample documents were made
    "heldout.yaml": (GOLD / "heldout", 0.94, 0.95, 0.89),
}


@pytest.fixture(scope="module")
def heldout_build(tmp_path_factory) -> Path:
    from regiograph.pipeline import build

    out = tmp_path_factory.mktemp("heldout") / "build"
    build([GOLD / "heldout"], out, curation=ROOT / "data" / "curation.yaml")
    return out


@pytest.mark.parametrize("gold", sorted(FLOORS))
def test_quality_does_not_drop(request, gold: str):
    corpus, macro, orgs, each = FLOORS[gold]
    fixture = "heldout_build" if corpus == GOLD / "heldout" else "corpus_build"
    graph = request.getfixturevalue(fixture) / "graph.ttl"
    result = score_files([graph], GOLD / gold, details=True)
    summary = result.format_table() + "\n" + "\n".join(result.notes)
    assert result.macro_f1 >= macro, summary
    assert result.metrics["organisations"].f1 >= orgs, summary
    for name, metric in result.metrics.items():
        assert metric.f1 >= each, f"{name}\n{summary}"
    assert result.type_accuracy >= 0.95, summary
