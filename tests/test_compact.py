"""Compact extractions (:mod:`regiograph.compact`) and rendering from pickled bytes: a
build that keeps only compact forms resolves, derives, counts and renders as one that
keeps every extraction."""

from __future__ import annotations

import importlib
import pickle
import sys
from pathlib import Path

import pytest

from regiograph.cache import pickle_extraction
from regiograph.compact import NO_EVIDENCE, Compactor
from regiograph.derive import derive
from regiograph.ingest import read_document
from regiograph.parallel import extract_all
from regiograph.render import RenderTask, render_documents
from regiograph.resolve import counts, resolve

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def extractions(tmp_path_factory):
    """The demo corpus and 40 synthetic documents (the same organisations named in many
    of them), extracted."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        bench = importlib.import_module("bench_build")
    finally:
        sys.path.remove(str(ROOT / "bench"))
    synthetic = bench.corpus(tmp_path_factory.mktemp("corpus"), 40)
    paths = sorted((ROOT / "data" / "corpus").glob("*.txt")) + sorted(synthetic.glob("*.txt"))
    return extract_all([read_document(p) for p in paths])


def test_compact_extractions_resolve_derive_and_count_as_the_full_ones(extractions):
    compactor = Compactor()
    small = [compactor(e) for e in extractions]
    full_resolved, small_resolved = resolve(extractions), resolve(small)
    assert [(r.org_keys, r.person_keys, r.entities) for r in small_resolved] == [
        (r.org_keys, r.person_keys, r.entities) for r in full_resolved
    ]
    assert derive(small_resolved) == derive(full_resolved)
    assert counts(small, small_resolved) == counts(
        extractions, full_resolved
    )
    assert [e.document.doc_id for e in small] == [e.document.doc_id for e in extractions]


def test_compact_extractions_share_equal_parts_and_drop_text_offsets_and_evidence(
    extractions,
):
    compactor = Compactor()
    small = [compactor(e) for e in extractions]
    orgs = [o for e in small for o in e.organisations]
    distinct = set(orgs)
    assert len({id(o) for o in orgs}) == len(distinct) < len(orgs)
    assert {(o.start, o.end, o.surface) for o in orgs} == {(0, 0, "")}
    facts = [f for e in small for f in (*e.roles, *e.memberships, *e.dates)]
    assert facts and {f.evidence for f in facts} == {NO_EVIDENCE}
    assert {e.document.text for e in small} == {""}
    assert [len(e.memberships) for e in small] == [len(e.memberships) for e in extractions]


def test_a_render_task_renders_as_its_resolved_document(extractions):
    resolved = resolve(extractions)
    tasks = [
        RenderTask(pickle_extraction(r.extraction), r.org_keys, r.person_keys, r.entities)
        for r in resolved
    ]
    assert render_documents(tasks) == render_documents(resolved)
    again = pickle.loads(pickle.dumps(tasks[0]))  # as it is sent to a worker
    assert again == tasks[0] and again.resolved() == resolved[0]
