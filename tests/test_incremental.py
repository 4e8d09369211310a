"""Incremental builds and parallel extraction equal a full, single-process build.

A full build of ``data/corpus`` is made once; every test copies it with the corpus, changes
something (a document, the curation, the metrics graph), rebuilds incrementally and
compares with a fresh full build of the same inputs: the quads of the stores (named graphs
and the union default graph), the datasets parsed from graph.trig and graph.ttl, and the
report's counts of extracted and reused documents.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from regiograph import cache, pipeline
from regiograph.errors import UsageError
from regiograph.namespaces import doc_graph
from regiograph.pipeline import build
from regiograph.render import UNION_TRIPLES_PER_DOCUMENT, LoadPieces
from regiograph.store import (
    _BLOCK,
    UNION_INDEX,
    UnionIndex,
    copy_store,
    dump_union,
    patch_graph,
    patch_union,
    replace_graphs,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
CURATION = ROOT / "data" / "curation.yaml"
N_DOCS = len([p for p in CORPUS.iterdir() if p.suffix == ".txt"])


def state(out: Path) -> dict[str, set]:
    """Everything a build wrote, as sets of quads and triples."""
    store = ox.Store.read_only(str(out / "store"))
    try:
        quads = set(store)
        graphs = set(store.named_graphs())
    finally:
        del store
    trig = set(ox.parse(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG))
    ttl = {q.triple for q in ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)}
    return {"store": quads, "graphs": graphs, "trig": trig, "ttl": ttl}


def assert_same(incremental: Path, full: Path) -> None:
    trig = (incremental / "graph.trig").read_bytes()
    assert trig == (full / "graph.trig").read_bytes()  # byte for byte
    # render fingerprints an incremental build kept are those a full build computes
    renders = [
        {d["key"]: d["render"] for d in cache.read_index(o / "cache")["documents"]}
        for o in (incremental, full)
    ]  # fmt: skip
    assert renders[0] == renders[1]
    for out in (incremental, full):  # the index of graph.ttl's blocks is the file's
        kept = UnionIndex.load(out / "cache" / UNION_INDEX).table.tolist()
        assert kept == UnionIndex.scan(out / "graph.ttl").table.tolist()
    a, b = state(incremental), state(full)
    for key in a:
        assert a[key] == b[key], key
    default = {q.triple for q in a["store"] if isinstance(q.graph_name, ox.DefaultGraph)}
    assert default == {q.triple for q in a["trig"]} == a["ttl"]  # the union, each once
    terms = [t for q in a["store"] for t in (q.subject, q.object)]
    assert not any(isinstance(t, ox.BlankNode) for t in terms)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("template")
    shutil.copytree(CORPUS, base / "corpus")
    shutil.copy(CURATION, base / "curation.yaml")
    report = build([base / "corpus"], base / "out", curation=base / "curation.yaml")
    assert report.mode == "full"
    assert report.counts["documents_extracted"] == N_DOCS
    return base


@pytest.fixture
def work(template: Path, tmp_path: Path) -> Path:
    for name in ("corpus", "out"):
        shutil.copytree(template / name, tmp_path / name)
    shutil.copy(template / "curation.yaml", tmp_path / "curation.yaml")
    return tmp_path


def rebuild(work: Path, *, compare: bool = True, **kwargs):
    """An incremental rebuild of ``work/out`` and (``compare``) a full build of the same
    inputs that it must equal."""
    args = ([work / "corpus"],)
    report = build(*args, work / "out", curation=work / "curation.yaml", **kwargs)
    if compare:
        full = build(*args, work / "full", curation=work / "curation.yaml", incremental=False)
        assert full.mode == "full"
        assert_same(work / "out", work / "full")
    return report


def counts(report) -> tuple[str, int, int, int]:
    c = report.counts
    return (report.mode, c["documents_extracted"], c["documents_reused"], c["documents_removed"])


def doc(work: Path, index: int) -> Path:
    return sorted((work / "corpus").glob("*.txt"))[index]


def test_nothing_changed_reuses_every_document(work: Path, monkeypatch):
    before = state(work / "out")
    report = rebuild(work, compare=False)
    assert counts(report) == ("incremental", 0, N_DOCS, 0)
    assert report.counts["graphs_written"] == 0
    assert state(work / "out") == before
    # the files' stat signatures are now trusted: they are not even read and hashed
    monkeypatch.setattr(pipeline, "sha256", None)
    again = rebuild(work, compare=False)
    assert counts(again) == ("incremental", 0, N_DOCS, 0)


def test_a_changed_document_is_extracted_again(work: Path):
    path = doc(work, 3)
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\nDe gemeente Emmen en Hogeschool Tanveen werken samen in het Pact van Emmen.\n",
        encoding="utf-8",
    )
    report = rebuild(work)
    assert counts(report) == ("incremental", 1, N_DOCS - 1, 0)
    assert report.counts["graphs_written"] >= 1


def test_an_added_document_is_extracted(work: Path):
    (work / "corpus" / "zz_nieuw.txt").write_text(
        "Nieuw pact\n\nDe gemeente Assen, Drenthe College en NHL Stenden slaan de handen "
        "ineen in het Pact van Assen. Wethouder Jan Bakker van de gemeente Assen is blij.\n",
        encoding="utf-8",
    )
    report = rebuild(work)
    assert counts(report) == ("incremental", 1, N_DOCS, 0)
    assert any("zz-nieuw" in q.graph_name.value for q in state(work / "out")["trig"])


def test_a_removed_document_disappears(work: Path):
    path = doc(work, 0)
    graph = ox.NamedNode(str(doc_graph(path.name)))
    assert graph in state(work / "out")["graphs"]
    path.unlink()
    report = rebuild(work)
    assert counts(report) == ("incremental", 0, N_DOCS - 1, 1)
    after = state(work / "out")
    assert graph not in after["graphs"]
    assert not any(path.name in str(q) for q in after["store"])


def test_a_curation_change_reuses_every_extraction(work: Path):
    curation = work / "curation.yaml"
    text = curation.read_text(encoding="utf-8")
    assert "\ntypes: {}\n" in text
    text = text.replace("\ntypes: {}\n", "\ntypes:\n  Aeres Groep: research\n")
    curation.write_text(text, encoding="utf-8")
    report = rebuild(work)
    assert counts(report) == ("incremental", 0, N_DOCS, 0)
    assert 0 < report.counts["graphs_written"] < N_DOCS


def test_a_rejected_name_renders_the_documents_naming_it_again(work: Path):
    curation = work / "curation.yaml"
    text = curation.read_text(encoding="utf-8")
    assert "\nrejected: []\n" in text
    curation.write_text(text.replace("\nrejected: []\n", "\nrejected: [NHL Stenden Hogeschool]\n"))
    report = rebuild(work)  # equal to a full build, render fingerprints included
    assert counts(report) == ("incremental", 0, N_DOCS, 0)
    assert report.counts["graphs_written"] >= 4  # the documents naming it, at least


def test_metadata_changes_count_as_a_changed_document(work: Path):
    meta = work / "corpus" / "metadata.tsv"
    lines = meta.read_text(encoding="utf-8").splitlines()
    name, _title, *rest = lines[1].split("\t")
    lines[1] = "\t".join([name, "Een nieuwe titel", *rest])
    meta.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = rebuild(work)
    assert counts(report) == ("incremental", 1, N_DOCS - 1, 0)


def test_graphs_not_made_by_the_build_are_dropped(work: Path):
    store = ox.Store(str(work / "out" / "store"))
    metrics = ox.NamedNode("https://w3id.org/regiograph/graph/metrics")
    org = ox.NamedNode("https://w3id.org/regiograph/id/org/nhl-stenden")
    degree = ox.NamedNode("https://w3id.org/regiograph/ontology#degree")
    store.add(ox.Quad(org, degree, ox.Literal("7", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer")), metrics))  # fmt: skip
    del store
    report = rebuild(work)
    assert report.mode == "incremental"
    assert metrics not in state(work / "out")["graphs"]


def test_the_cache_state_holds_every_compact_extraction(work: Path):
    from regiograph.compact import NO_EVIDENCE

    saved = cache.read_state(work / "out" / "cache")
    keys = {d["key"] for d in cache.read_index(work / "out" / "cache")["documents"]}
    assert saved is not None and set(saved) == keys and len(keys) == N_DOCS
    facts = [f for e in saved.values() for f in e.memberships]
    assert facts and {f.evidence for f in facts} == {NO_EVIDENCE}


def test_the_cache_state_is_a_delta_until_it_grows(work: Path, monkeypatch):
    out = work / "out" / "cache"
    doc(work, 1).write_text("Nieuw\n\nDe gemeente Assen werkt samen.\n", encoding="utf-8")
    rebuild(work, compare=False)
    assert (out / cache.STATE_DELTA).exists()
    keys = {d["key"] for d in cache.read_index(out)["documents"]}
    assert set(cache.read_state(out)) == keys
    monkeypatch.setattr(cache, "DELTA_LIMIT", 0.0)  # now any change writes a whole state
    doc(work, 2).write_text("Anders\n\nDe provincie Drenthe doet mee.\n", encoding="utf-8")
    rebuild(work)
    assert not (out / cache.STATE_DELTA).exists()
    keys = {d["key"] for d in cache.read_index(out)["documents"]}
    assert set(cache.read_state(out)) == keys
    (out / cache.STATE_DELTA).write_bytes(b"broken")
    assert cache.read_state(out) is None


@pytest.mark.parametrize("name", ["facts.pack", "derived.pkl"])
def test_a_missing_derived_state_rebuilds_everything(work: Path, name: str):
    (work / "out" / "cache" / name).unlink()
    report = rebuild(work)
    assert counts(report) == ("full", N_DOCS, 0, 0)


def test_a_missing_union_index_is_made_by_scanning_graph_ttl(work: Path):
    from regiograph.store import UNION_INDEX

    (work / "out" / "cache" / UNION_INDEX).unlink()
    doc(work, 0).write_text("Nieuw\n\nDe gemeente Assen werkt samen.\n", encoding="utf-8")
    report = rebuild(work)  # equal to a full build, the index of graph.ttl included
    assert counts(report) == ("incremental", 1, N_DOCS - 1, 0)


def test_an_unreadable_cache_state_rebuilds_everything(work: Path):
    (work / "out" / "cache" / cache.STATE_FILE).write_bytes(b"not a pickle")
    report = rebuild(work)
    assert counts(report) == ("full", N_DOCS, 0, 0)


def test_a_document_whose_entry_is_cut_from_the_pack_is_extracted_again(work: Path):
    index = cache.read_index(work / "out" / "cache")
    last = max(index["documents"], key=lambda d: d["entry"][0])
    with (work / "out" / "cache" / cache.ENTRIES_PACK).open("r+b") as pack:
        pack.truncate(last["entry"][0] + last["entry"][1] - 1)
    report = rebuild(work)
    assert counts(report) == ("incremental", 1, N_DOCS - 1, 0)


def test_a_new_extractor_fingerprint_rebuilds_everything(work: Path, monkeypatch):
    monkeypatch.setattr(cache, "extractor_fingerprint", lambda: "another extractor")
    report = rebuild(work, compare=False)
    assert counts(report) == ("full", N_DOCS, 0, 0)


def test_incremental_false_rebuilds_everything(work: Path):
    report = rebuild(work, compare=False, incremental=False)
    assert counts(report) == ("full", N_DOCS, 0, 0)


def test_two_workers_write_the_same_bytes(work: Path):
    seen: list[tuple[int, int]] = []
    one = build([work / "corpus"], work / "one", curation=work / "curation.yaml",
                incremental=False)  # fmt: skip
    two = build(
        [work / "corpus"],
        work / "two",
        curation=work / "curation.yaml",
        jobs=2,
        progress=lambda done, total, name: seen.append((done, total)),
    )
    assert two.jobs == 2 and one.counts == two.counts
    for name in ("graph.trig", "graph.ttl"):
        assert (work / "one" / name).read_bytes() == (work / "two" / name).read_bytes(), name
    assert state(work / "one")["store"] == state(work / "two")["store"]
    assert seen == [(i, N_DOCS) for i in range(1, N_DOCS + 1)]


def test_a_store_loaded_in_many_pieces_is_the_same(work: Path, monkeypatch):
    made: list[LoadPieces] = []

    class Spy(LoadPieces):
        def __init__(self, *args) -> None:
            super().__init__(*args)
            made.append(self)

    monkeypatch.setattr(pipeline, "LoadPieces", Spy)
    monkeypatch.setattr(pipeline, "LOAD_CHUNK", 300)  # many pieces and union files
    build([work / "corpus"], work / "pieces", curation=work / "curation.yaml", incremental=False)
    monkeypatch.setattr(pipeline, "LOAD_CHUNK", 250_000)
    build([work / "corpus"], work / "full", curation=work / "curation.yaml", incremental=False)
    assert [len(p.files) for p in made] == [round(N_DOCS * UNION_TRIPLES_PER_DOCUMENT / 300), 1]
    assert len(made[0].pieces) == 8 and len(made[1].pieces) == 1
    assert_same(work / "pieces", work / "full")
    trig = (work / "pieces" / "graph.trig").read_bytes()
    assert trig == (work / "full" / "graph.trig").read_bytes()
    # graph.ttl: the same triples, one block per subject however many union files
    for build_dir in ("pieces", "full"):
        ttl = (work / build_dir / "graph.ttl").read_bytes()
        subjects = [m.group(1) for m in _BLOCK.finditer(ttl)]
        assert len(subjects) == len(set(subjects)) > 100


def test_jobs_must_be_positive(work: Path):
    with pytest.raises(UsageError, match="jobs"):
        build([work / "corpus"], work / "x", jobs=0)


# --------------------------------------------------------------------------- store helpers

EX = "http://example.org/"


def n(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


def triple(s: str, o: str) -> ox.Triple:
    return ox.Triple(n(s), n("p"), n(o))


def load(store: ox.Store, graphs: dict[str, list[ox.Triple]]) -> None:
    for g, triples in graphs.items():
        store.extend(ox.Quad(t.subject, t.predicate, t.object, n(g)) for t in triples)
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)


def default(store: ox.Store) -> set[ox.Triple]:
    return {q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def test_replace_graphs_keeps_the_union_in_step():
    store = ox.Store()
    load(store, {"g1": [triple("a", "b"), triple("s", "shared")],
                 "g2": [triple("c", "d"), triple("s", "shared")]})  # fmt: skip
    left, joined = replace_graphs(store, [n("g1")], {n("g2"): [triple("c", "d"), triple("e", "f")],
                                                     n("g3"): [triple("a", "b")]})  # fmt: skip
    assert set(store.named_graphs()) == {n("g2"), n("g3")}
    assert default(store) == {triple("a", "b"), triple("c", "d"), triple("e", "f")}
    # s-shared left, e-f joined, a-b stayed (now in g3)
    assert (left, joined) == ([triple("s", "shared")], [triple("e", "f")])


def test_patch_union_rewrites_only_the_touched_subjects(tmp_path: Path):
    store = ox.Store()
    load(store, {"g": [triple("a", "b"), triple("a", "c"), triple("x", "y"), triple("z", "w")]})
    dump_union(store, tmp_path / "old.ttl")
    left, joined = replace_graphs(store, [n("g")], {n("g"): [triple("a", "b"), triple("x", "y"),
                                                            triple("q", "r")]})  # fmt: skip
    assert set(left) == {triple("a", "c"), triple("z", "w")} and joined == [triple("q", "r")]
    for given in (None, UnionIndex.scan(tmp_path / "old.ttl")):  # scanned, or as kept
        index = patch_union(tmp_path / "old.ttl", tmp_path / "new.ttl", (left, joined), given)
        parsed = {q.triple for q in ox.parse(path=str(tmp_path / "new.ttl"))}
        assert parsed == default(store) == {triple("a", "b"), triple("x", "y"), triple("q", "r")}
        assert index.table.tolist() == UnionIndex.scan(tmp_path / "new.ttl").table.tolist()
        data = (tmp_path / "new.ttl").read_bytes()
        assert data.count(b"<http://example.org/a>") == 1  # its block, once, rewritten
        assert b"example.org/z>" not in data and b"example.org/x>" in data
    nothing = patch_union(tmp_path / "old.ttl", tmp_path / "same.ttl", ([], []), given)
    assert (tmp_path / "same.ttl").read_bytes() == (tmp_path / "old.ttl").read_bytes()
    assert nothing.table.tolist() == given.table.tolist()


def test_patch_graph_alone_keeps_the_union_in_step_without_looking():
    store = ox.Store()
    load(store, {"d": [triple("a", "b"), triple("c", "d")], "g": [triple("x", "y")]})
    change = patch_graph(store, n("d"), [triple("a", "b")], [triple("e", "f")], alone=True)
    assert change == ([triple("a", "b")], [triple("e", "f")])
    assert default(store) == {triple("c", "d"), triple("e", "f"), triple("x", "y")}
    for alone in (True, False):  # a graph left without triples is no graph any more
        gone = [triple("c", "d"), triple("e", "f")] if alone else [triple("x", "y")]
        patch_graph(store, n("d" if alone else "g"), gone, [], alone=alone)
    assert not set(store.named_graphs()) and not default(store)


def test_the_derived_graphs_predicates_are_its_own(template: Path):
    from regiograph.namespaces import DERIVED_GRAPH

    quads = state(template / "out")["store"]
    derived = ox.NamedNode(str(DERIVED_GRAPH))
    own = {q.predicate for q in quads if q.graph_name == derived}
    assert len(own) >= 10
    others = {q.predicate for q in quads if q.graph_name not in (derived, ox.DefaultGraph())}
    assert not own & others  # what patch_graph(alone=True) relies on


def test_the_union_index_survives_collisions_and_round_trips(tmp_path: Path, monkeypatch):
    from regiograph import store as st

    store = ox.Store()
    load(store, {"g": [triple(s, "o") for s in "abcdef"]})
    dump_union(store, tmp_path / "old.ttl")
    monkeypatch.setattr(st, "_hash", lambda token: 7)  # every subject collides
    index = UnionIndex.scan(tmp_path / "old.ttl")
    index.save(tmp_path / "index.npy")
    loaded = UnionIndex.load(tmp_path / "index.npy")
    assert loaded.table.tolist() == index.table.tolist()
    patch_union(tmp_path / "old.ttl", tmp_path / "new.ttl", ([triple("c", "o")], []), loaded)
    parsed = {q.triple for q in ox.parse(path=str(tmp_path / "new.ttl"))}
    assert parsed == {triple(s, "o") for s in "abdef"}
    (tmp_path / "bad.npy").write_bytes(b"not numpy")
    assert UnionIndex.load(tmp_path / "bad.npy") is None


def test_copy_store_is_independent(tmp_path: Path):
    store = ox.Store(str(tmp_path / "a"))
    load(store, {"g": [triple("a", "b")]})
    store.flush()
    del store
    copy_store(tmp_path / "a", tmp_path / "b")
    copy = ox.Store(str(tmp_path / "b"))
    replace_graphs(copy, [n("g")], {})
    assert len(copy) == 0
    del copy
    original = ox.Store.read_only(str(tmp_path / "a"))
    assert len(original) == 2


def test_document_keys_follow_bytes_name_and_metadata():
    from regiograph.ingest import DocumentMeta

    key = cache.document_key("fp", "a.txt", "00", None)
    assert key == cache.document_key("fp", "a.txt", "00", None)
    assert key != cache.document_key("fp2", "a.txt", "00", None)
    assert key != cache.document_key("fp", "b.txt", "00", None)
    assert key != cache.document_key("fp", "a.txt", "01", None)
    assert key != cache.document_key("fp", "a.txt", "00", DocumentMeta(title="T"))


def _derived(out: Path) -> set:
    from regiograph.namespaces import DERIVED_GRAPH

    graph = ox.NamedNode(str(DERIVED_GRAPH))
    return {q.triple for q in state(out)["store"] if q.graph_name == graph}


def test_a_changed_derived_graph_is_patched_to_equal_a_full_build(work: Path):
    before = _derived(work / "out")
    assert before  # every build writes the derived graph
    (work / "corpus" / "zz_pact.txt").write_text(
        "Nieuw pact\n\nDe gemeente Assen, Drenthe College en NHL Stenden slaan de handen "
        "ineen in het Pact van Assen.\n",
        encoding="utf-8",
    )
    rebuild(work)  # asserts that it equals a full build
    after = _derived(work / "out")
    assert after != before
    assert after - before and before - after  # counts replaced, facts added
    (work / "corpus" / "zz_pact.txt").unlink()
    rebuild(work)
    assert _derived(work / "out") == before


@pytest.mark.parametrize("kernel", [True, False])
def test_block_copier_copies_ranges_between_writes(tmp_path: Path, monkeypatch, kernel: bool):
    import os

    from regiograph.filecopy import BlockCopier

    if not kernel:
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    source = tmp_path / "old"
    source.write_bytes(bytes(range(256)) * 4)
    with source.open("rb") as old, (tmp_path / "new").open("wb") as new:
        copier = BlockCopier(old, new)
        new.write(b"head")
        copier.add(10, 5)
        copier.add(15, 5)  # adjacent: one copy
        copier.flush()
        new.write(b"mid")
        copier.add(1000, 24)
        copier.flush()
        assert new.tell() == 4 + 10 + 3 + 24
        new.write(b"tail")
    data = source.read_bytes()
    assert (tmp_path / "new").read_bytes() == b"head" + data[10:20] + b"mid" + data[1000:] + b"tail"
    with source.open("rb") as old, (tmp_path / "short").open("wb") as new:
        copier = BlockCopier(old, new)
        copier.add(1020, 10)  # past the end
        with pytest.raises(OSError, match="shorter"):
            copier.flush()


def test_a_derived_graph_that_comes_and_goes(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Weerbericht\n\nHet regent morgen.\n", encoding="utf-8")
    assert build([corpus], tmp_path / "out").mode == "full"  # no derived triple at all
    pact = "Pact\n\nDe gemeente Assen en Drenthe College slaan de handen ineen in het Pact.\n"
    for step in ("add", "remove"):
        if step == "add":
            (corpus / "b.txt").write_text(pact, encoding="utf-8")
        else:
            (corpus / "b.txt").unlink()
        assert build([corpus], tmp_path / "out").mode == "incremental"
        full = build([corpus], tmp_path / step, incremental=False)
        assert full.mode == "full"
        assert_same(tmp_path / "out", tmp_path / step)
    assert b"rgg:derived {" not in (tmp_path / "out" / "graph.trig").read_bytes()
