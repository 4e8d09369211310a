"""The demo build (data/corpus): every saved query answers, the graph validates, the
contract's document identifiers are there."""

from __future__ import annotations

from pathlib import Path

import pytest

from regiograph.query import execute, load_saved_queries
from regiograph.store import open_store
from regiograph.validate import validate_build

SAVED = sorted(load_saved_queries())


@pytest.fixture(scope="module")
def store(corpus_build: Path):
    return open_store(corpus_build)


@pytest.mark.parametrize("name", SAVED)
def test_every_saved_query_returns_rows_on_the_demo_build(store, name: str):
    result = execute(store, name)
    assert result.rows, f"{name} returned no rows on the demo build"


def test_demo_build_conforms_to_the_shapes(corpus_build: Path):
    report = validate_build(corpus_build)
    assert report.conforms, report.violations[:5]


def test_every_document_has_its_file_name_as_identifier(store):
    from regiograph.query import run

    result = run(
        store, "SELECT ?id WHERE { ?d a schema:CreativeWork ; dcterms:identifier ?id } ORDER BY ?id"
    )
    files = sorted(
        p.name for p in (Path(__file__).resolve().parents[1] / "data" / "corpus").glob("*.txt")
    )
    assert [r[0] for r in result.rows] == files


def test_one_named_graph_per_document(store):
    from regiograph.query import run

    result = run(
        store, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?d a schema:CreativeWork } }"
    )
    assert result.rows == [(17,)]
