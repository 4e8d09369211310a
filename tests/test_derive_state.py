"""The derived graph carried across builds (regiograph.derive_state): counted facts, the
subjects a change makes dirty, and the derived block split by subject.

The property under test: after any sequence of documents added and removed, the counted
facts equal the facts of the documents left, the triples recomputed for the dirty subjects
equal a full recomputation's, and no other subject's triples differ from before.
"""

from __future__ import annotations

import io
import random

import pyoxigraph as ox
import pytest

from regiograph.derive import (
    COLLAB_DOC,
    COLLABORATION,
    DOC_YEAR,
    DOCUMENT,
    LABEL,
    MEMBER,
    MEMBER_DOC,
    MENTIONED_IN,
    NAME,
    PROVINCE,
    START_YEAR,
    TYPE,
    Facts,
    add_facts,
    derived_triples,
)
from regiograph.derive_state import (
    DerivedState,
    FactCounts,
    block_head,
    dirty_subjects,
    patch,
    render_derived,
    write_block,
)
from regiograph.filecopy import BlockCopier, Pack

ORGS = [f"https://example.org/o{i}" for i in range(14)]
COLLABS = [f"https://example.org/c{i}" for i in range(5)]
TYPES = ["government", "education", "research", "business", "intermediary"]
PROVINCES = [f"https://example.org/p{i}" for i in range(3)]


def random_document(rng: random.Random, n: int) -> list:
    doc = f"https://example.org/d{n % 9}"  # some documents share an IRI
    facts = {(DOCUMENT, doc, None)}
    if rng.random() < 0.7:
        facts.add((DOC_YEAR, doc, rng.choice([2019, 2020, 2021])))
    for c in rng.sample(COLLABS, 2):
        facts |= {(MENTIONED_IN, c, doc), (NAME, c, c[-2:]), (LABEL, c, c[-2:])}
        if rng.random() < 0.85:
            facts.add((COLLABORATION, c, None))
        if rng.random() < 0.3:
            facts.add((START_YEAR, c, rng.choice([2015, 2018])))
        for m in rng.sample(ORGS + COLLABS[:1], rng.randint(0, 4)):
            if m != c:
                facts |= {(MEMBER, c, m), (MEMBER_DOC, (m, c), doc), (COLLAB_DOC, c, doc)}
    for o in rng.sample(ORGS, 4):
        facts |= {(TYPE, o, rng.choice(TYPES)), (NAME, o, rng.choice(["A", "b"]))}
        facts.add((LABEL, o, rng.choice(["A", "b"])))
        if rng.random() < 0.5:
            facts.add((PROVINCE, o, rng.choice(PROVINCES)))
    return sorted(facts, key=repr)


def by_subject(triples) -> dict[str, set]:
    out: dict[str, set] = {}
    for s, p, o in triples:
        out.setdefault(s.value, set()).add((p.value, str(o)))
    return out


def facts_of(documents) -> Facts:
    facts = Facts()
    for d in documents:
        add_facts(facts, d)
    return facts


@pytest.mark.parametrize("seed", range(20))
def test_dirty_subjects_are_exactly_enough(seed: int) -> None:
    rng = random.Random(seed)
    live = [random_document(rng, n) for n in range(6)]
    counts = FactCounts()
    for d in live:
        counts.add(d)
    before = by_subject(derived_triples(facts_of(live)))
    for step in range(25):
        appeared, went = [], []
        added = [random_document(rng, 100 * seed + step)] if rng.random() < 0.6 else []
        gone = [live.pop(rng.randrange(len(live)))] if live and rng.random() < 0.6 else []
        for d in added:  # as a build does: additions first, then what went
            appeared += counts.add(d)
            live.append(d)
        for d in gone:
            went += counts.remove(d)
        assert counts.facts == facts_of(live)
        after = by_subject(derived_triples(facts_of(live)))
        dirty = dirty_subjects(counts.facts, appeared, went)
        assert not dirty.subjects & dirty.partners
        partial = by_subject(derived_triples(counts.facts, dirty.subjects))
        assert set(partial) <= dirty.subjects
        for s in dirty.subjects:
            assert partial.get(s) == after.get(s), (step, s)
        partner_count = "https://w3id.org/regiograph/ontology#partnerCount"
        for s in dirty.partners:  # their partner counts alone may differ
            assert {po for po in before.get(s, ()) if po[0] != partner_count} == {
                po for po in after.get(s, ()) if po[0] != partner_count
            }, (step, s)
        for s in (before.keys() | after.keys()) - dirty.subjects - dirty.partners:
            assert before.get(s) == after.get(s), (step, s)
        before = after


def test_a_fact_two_documents_state_stays_when_one_goes() -> None:
    one = [(TYPE, "urn:o", "business"), (DOCUMENT, "urn:d1", None)]
    two = [(TYPE, "urn:o", "business"), (DOCUMENT, "urn:d2", None)]
    counts = FactCounts()
    assert counts.add(one) == one
    assert counts.add(two) == [(DOCUMENT, "urn:d2", None)]
    assert counts.remove(one) == [(DOCUMENT, "urn:d1", None)]
    assert counts.facts.types == {"urn:o": {"business"}}
    assert counts.remove(two) == two
    assert dict(counts.facts.types) == {} and counts.facts.documents == set()
    assert counts.extra == {}


def _state(documents) -> tuple[bytes, DerivedState]:
    counts = FactCounts()
    for d in documents:
        counts.add(d)
    rendered, spans = render_derived(derived_triples(counts.facts))
    return rendered.trig, DerivedState(counts, spans)


@pytest.mark.parametrize("seed", range(12))
def test_the_block_splits_by_subject_and_patches_to_a_full_render(seed: int) -> None:
    rng = random.Random(seed)
    docs = [random_document(rng, n) for n in range(8)]
    trig, state = _state(docs)
    assert trig.startswith(block_head()) and trig.endswith(b"}\n")
    assert len(state.subjects) == len(by_subject(derived_triples(state.counts.facts)))
    for s, (offset, length) in state.subjects.items():
        lines = trig[offset : offset + length]
        assert lines.startswith(b"\t") and lines.endswith(b" .\n") and s[-3:].encode() in lines
    for step in range(8):  # documents come and go: each patched block is a full render's
        new = [random_document(rng, 100 + step)] if rng.random() < 0.7 else []
        went = [docs.pop(rng.randrange(len(docs)))] if docs and rng.random() < 0.6 else []
        appeared = [f for d in new for f in state.counts.add(d)]
        gone = [f for d in went for f in state.counts.remove(d)]
        docs += new
        result = patch(state, appeared, gone, io.BytesIO(trig))
        out = io.BytesIO()
        where = write_block(out, BlockCopier(io.BytesIO(trig), out), state, result)
        expected, full = _state(docs)
        assert out.getvalue() == expected and where == full.subjects, step
        old = {q.triple for q in ox.parse(_prefixed(trig), format=ox.RdfFormat.TRIG)}
        now = {q.triple for q in ox.parse(_prefixed(expected), format=ox.RdfFormat.TRIG)}
        assert set(result.gone) == old - now and set(result.added) == now - old
        assert result.changed == {t.subject.value for t in (old ^ now)}
        trig, state = expected, DerivedState(state.counts, full.subjects)


def test_partner_counts_alone_are_changed_in_place(monkeypatch) -> None:
    from regiograph import derive_state

    orgs = [f"https://example.org/o{i}" for i in range(30)]
    first = [(COLLABORATION, "https://example.org/A", None), (DOCUMENT, "urn:d", None)]
    first += [(MEMBER, "https://example.org/A", o) for o in orgs]
    first += [(TYPE, o, "business") for o in orgs] + [(NAME, o, o[-3:]) for o in orgs]
    trig, state = _state([first])
    derived_for = []
    real = derive_state.derived_triples

    def recorded(facts, subjects, *index):
        derived_for.append(set(subjects))
        return real(facts, subjects, *index)

    monkeypatch.setattr(derive_state, "derived_triples", recorded)
    joins = [(MEMBER, "https://example.org/A", "https://example.org/h")]
    joins += [(TYPE, "https://example.org/h", "business")]
    appeared = state.counts.add(joins)
    result = patch(state, appeared, [], io.BytesIO(trig))
    assert derived_for == [{"https://example.org/A", "https://example.org/h"}]
    assert result.changed == {"https://example.org/A", "https://example.org/h", *orgs}
    out = io.BytesIO()
    write_block(out, BlockCopier(io.BytesIO(trig), out), state, result)
    assert out.getvalue() == _state([first, joins])[0]
    assert b"rg:partnerCount 30 " in out.getvalue() and b"rg:partnerCount 29 " not in out.getvalue()


def _prefixed(block: bytes) -> bytes:
    from regiograph.render import header

    return header() + block


def test_an_empty_derived_graph_has_no_block() -> None:
    assert render_derived([]) == (None, {})
    state = DerivedState(FactCounts(), {})
    result = patch(state, [], [], io.BytesIO(b""))
    out = io.BytesIO()
    assert write_block(out, BlockCopier(io.BytesIO(b""), out), state, result) == {}
    assert out.getvalue() == b""


def test_the_pack_copies_and_reads_back_records(tmp_path) -> None:
    first = Pack(tmp_path / "one.pack", None)
    a = first.write(b"first")
    b = first.write(b"second record")
    first.close()
    second = Pack(tmp_path / "two.pack", tmp_path / "one.pack")
    b2 = second.copy(*b)
    c = second.write(b"third")
    assert second.previous(*a) == b"first"
    with pytest.raises(OSError, match="shorter"):
        second.previous(a[0], 100)
    second.close()
    assert (tmp_path / "two.pack").read_bytes() == b"second recordthird"
    assert b2 == [0, 13] and c == [13, 5]


def test_a_member_who_was_a_partner_already_dirties_no_other_member() -> None:
    orgs = [f"urn:o{i}" for i in range(50)]
    first = [(COLLABORATION, "urn:A", None), (COLLABORATION, "urn:B", None)]
    first += [(MEMBER, "urn:A", o) for o in orgs] + [(MEMBER, "urn:B", o) for o in orgs]
    first += [(MEMBER, "urn:B", "urn:m")] + [(TYPE, o, "business") for o in [*orgs, "urn:m"]]
    counts = FactCounts()
    counts.add(first)
    joins = [(MEMBER, "urn:A", "urn:m"), (MEMBER_DOC, ("urn:m", "urn:A"), "urn:d")]
    joins += [(COLLAB_DOC, "urn:A", "urn:d"), (DOCUMENT, "urn:d", None)]
    appeared = counts.add(joins)
    dirty = dirty_subjects(counts.facts, appeared, [])
    assert (dirty.subjects, dirty.partners) == ({"urn:A", "urn:m"}, set())
    # a government member is a new partner type for everyone in A, and a new partner of all
    appeared = counts.add([(MEMBER, "urn:A", "urn:g"), (TYPE, "urn:g", "government")])
    dirty = dirty_subjects(counts.facts, appeared, [])
    assert dirty.subjects == {"urn:A", "urn:g", "urn:m", *orgs} and not dirty.partners
    # a member of A's type is a new partner of all: their partner counts alone change
    appeared = counts.add([(MEMBER, "urn:A", "urn:h"), (TYPE, "urn:h", "business")])
    dirty = dirty_subjects(counts.facts, appeared, [])
    assert dirty.subjects == {"urn:A", "urn:h"} and dirty.partners == {"urn:m", "urn:g", *orgs}
