"""The demo build (data/corpus): every saved query answers, the graph validates, the
contract's document identifiers are there."""

from __future__ import annotations

from pathlib import Path

import pytest

from regiograph.query import execute, load_saved_queries
from regiograph.store import open_store
from regiograph.validate import validate_build

SAVED_TEXT = {name: saved.text for name, saved in load_saved_queries().items()}
SAVED = sorted(SAVED_TEXT)


@pytest.fixture(scope="module")
def store(corpus_build: Path):
    return open_store(corpus_build)


@pytest.mark.parametrize("name", SAVED)
def test_every_saved_query_returns_rows_on_the_demo_build(request, name: str):
    # queries of the metrics named graph need the analysis step first
    reads_metrics = "rgg:metrics" in SAVED_TEXT[name]
    store = request.getfixturevalue("analysed_store" if reads_metrics else "store")
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


def test_default_graph_is_the_deduplicated_union(store):
    """Queries read the default graph, where a triple stated by several documents occurs
    once; the named graphs keep one copy per document."""
    import pyoxigraph as ox

    from regiograph.query import has_union_graph

    assert has_union_graph(store)
    default = {q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    named = [q.triple for q in store.quads_for_pattern(None, None, None)
             if not isinstance(q.graph_name, ox.DefaultGraph)]
    assert default == set(named)
    assert len(named) > len(default)  # shared organisations are stated by several documents
