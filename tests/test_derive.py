"""The derived graph (regiograph.derive): exact triples of a tiny input, the same facts from
a build's resolved documents as from its triples, and incremental builds that change it."""

from __future__ import annotations

from datetime import date

import pyoxigraph as ox

from regiograph.derive import derive, derive_store, derived_triples, facts_from_triples
from regiograph.model import (
    DateFact,
    Document,
    Evidence,
    Extraction,
    MembershipFact,
    OrgMention,
    PersonMention,
    RoleFact,
)
from regiograph.namespaces import DERIVED_GRAPH, PREFIXES
from regiograph.rdf import document_terms
from regiograph.render import static_graphs
from regiograph.resolve import resolve


def _doc(doc_id: str, day: date, orgs, memberships, roles=(), persons=(), dates=()) -> Extraction:
    return Extraction(
        Document(doc_id, "", title=doc_id, date=day),
        organisations=tuple(orgs),
        persons=tuple(persons),
        roles=tuple(roles),
        memberships=tuple(memberships),
        dates=tuple(dates),
    )


def _ev(doc_id: str, start: int) -> Evidence:
    return Evidence(doc_id, start, start + 10, "zin " + str(start))


PACT = OrgMention("Pact Noord", "intermediary", 0, 10, "Pact Noord", True)
EMMEN = OrgMention("gemeente Emmen", "government", 0, 5, "Emmen", place_code="GM0114")
TANVEEN = OrgMention(
    "Hogeschool Tanveen", "education", 0, 5, "HT", aliases=("HT",), location="GM0080"
)
ACME = OrgMention("Acme B.V.", "business", 0, 5, "Acme B.V.")


def tiny() -> list:
    a = _doc(
        "a.txt",
        date(2021, 5, 1),
        [PACT, EMMEN, TANVEEN],
        [MembershipFact("gemeente Emmen", "Pact Noord", _ev("a.txt", 0)),
         MembershipFact("Hogeschool Tanveen", "Pact Noord", _ev("a.txt", 0))],
        roles=[RoleFact("Jan Smit", "Pact Noord", "voorzitter", "voorzitter", _ev("a.txt", 20))],
        persons=[PersonMention("Jan Smit", 0, 8)],
        dates=[DateFact("Pact Noord", date(2019, 3, 1), None, _ev("a.txt", 40))],
    )  # fmt: skip
    b = _doc(
        "b.txt",
        date(2022, 1, 1),
        [TANVEEN, ACME],
        [MembershipFact("Hogeschool Tanveen", None, _ev("b.txt", 0), group="g"),
         MembershipFact("Acme B.V.", None, _ev("b.txt", 0), group="g")],
    )  # fmt: skip
    return resolve([a, b])


def _short(term) -> str:
    if isinstance(term, ox.Literal):
        return term.value
    for prefix, ns in sorted(PREFIXES.items(), key=lambda i: -len(i[1])):
        if term.value.startswith(ns):
            return f"{prefix}:{term.value[len(ns) :]}"
    return term.value


def test_derive_gives_exactly_these_triples() -> None:
    triples = [tuple(map(_short, t)) for t in derive(tiny())]
    partnership = next(s for s, _, _ in triples if s.startswith("rgo:samenwerking-"))
    expected = {
        # organisations that are members of collaborations
        ("rgo:gemeente-emmen", "rg:collaborationCount", "1"),
        ("rgo:gemeente-emmen", "rg:documentCount", "1"),
        ("rgo:gemeente-emmen", "rg:partnerCount", "1"),
        ("rgo:gemeente-emmen", "rg:partnerType", "orgtype:education"),
        ("rgo:gemeente-emmen", "rg:collaborationProvince", "place:PV22"),
        ("rgo:gemeente-emmen", "rg:collaborationProvince", "place:PV21"),
        ("rgo:gemeente-emmen", "rg:province", "place:PV22"),
        ("rgo:hogeschool-tanveen", "rg:collaborationCount", "2"),
        ("rgo:hogeschool-tanveen", "rg:documentCount", "2"),
        ("rgo:hogeschool-tanveen", "rg:partnerCount", "2"),
        ("rgo:hogeschool-tanveen", "rg:partnerType", "orgtype:government"),
        ("rgo:hogeschool-tanveen", "rg:partnerType", "orgtype:business"),
        ("rgo:hogeschool-tanveen", "rg:collaborationProvince", "place:PV22"),
        ("rgo:hogeschool-tanveen", "rg:collaborationProvince", "place:PV21"),
        ("rgo:hogeschool-tanveen", "rg:province", "place:PV21"),
        ("rgo:acme-b-v", "rg:collaborationCount", "1"),
        ("rgo:acme-b-v", "rg:documentCount", "1"),
        ("rgo:acme-b-v", "rg:partnerCount", "1"),
        ("rgo:acme-b-v", "rg:partnerType", "orgtype:education"),
        ("rgo:acme-b-v", "rg:collaborationProvince", "place:PV21"),
        # how lists show them: the label and the notations of the types
        ("rgo:gemeente-emmen", "rg:displayLabel", "gemeente Emmen"),
        ("rgo:gemeente-emmen", "rg:typeNotations", "government"),
        ("rgo:hogeschool-tanveen", "rg:displayLabel", "Hogeschool Tanveen"),
        ("rgo:hogeschool-tanveen", "rg:typeNotations", "education"),
        ("rgo:acme-b-v", "rg:displayLabel", "Acme B.V."),
        ("rgo:acme-b-v", "rg:typeNotations", "business"),
        # the named collaboration: two members, a start date, one document
        ("rgo:pact-noord", "rg:memberCount", "2"),
        ("rgo:pact-noord", "rg:memberType", "orgtype:government"),
        ("rgo:pact-noord", "rg:memberType", "orgtype:education"),
        ("rgo:pact-noord", "rg:governmentMemberCount", "1"),
        ("rgo:pact-noord", "rg:knowledgeMemberCount", "1"),
        ("rgo:pact-noord", "rg:businessMemberCount", "0"),
        ("rgo:pact-noord", "rg:memberProvince", "place:PV22"),
        ("rgo:pact-noord", "rg:memberProvince", "place:PV21"),
        ("rgo:pact-noord", "rg:firstYear", "2019"),
        ("rgo:pact-noord", "rg:reportedIn", "rgd:a-txt"),
        # the unnamed partnership of b.txt: no start date, so the year of its document
        (partnership, "rg:memberCount", "2"),
        (partnership, "rg:memberType", "orgtype:education"),
        (partnership, "rg:memberType", "orgtype:business"),
        (partnership, "rg:governmentMemberCount", "0"),
        (partnership, "rg:knowledgeMemberCount", "1"),
        (partnership, "rg:businessMemberCount", "1"),
        (partnership, "rg:memberProvince", "place:PV21"),
        (partnership, "rg:firstYear", "2022"),
        (partnership, "rg:reportedIn", "rgd:b-txt"),
        # name keys
        ("rgo:pact-noord", "rg:nameKey", "pact noord"),
        ("rgo:gemeente-emmen", "rg:nameKey", "gemeente emmen"),
        ("rgo:hogeschool-tanveen", "rg:nameKey", "hogeschool tanveen"),
        ("rgo:hogeschool-tanveen", "rg:nameKey", "ht"),
        ("rgo:acme-b-v", "rg:nameKey", "acme b.v."),
        (partnership, "rg:nameKey", "samenwerking acme b.v. en hogeschool tanveen"),
        ("rgp:jan-smit", "rg:nameKey", "jan smit"),
    }
    assert len(triples) == len(set(triples))
    assert set(triples) == expected


def test_derive_is_sorted_and_typed() -> None:
    triples = derive(tiny())
    assert triples == sorted(triples, key=lambda t: (t[0].value, t[1].value, str(t[2])))
    counts = [o for _, p, o in triples if p.value.endswith("Count")]
    assert counts and all(o.datatype.value.endswith("#integer") for o in counts)


def _all_triples(resolved) -> set:
    triples = set()
    for r in static_graphs():
        triples |= {q.triple for q in ox.parse(r.nt, format=ox.RdfFormat.N_TRIPLES)}
    for res in resolved:
        triples |= {ox.Triple(*t) for t in document_terms(res)}
    return triples


def test_the_facts_of_the_triples_are_those_of_the_resolved_documents() -> None:
    resolved = tiny()
    union = _all_triples(resolved)
    from_triples = derived_triples(
        facts_from_triples((t.subject, t.predicate, t.object) for t in union)
    )
    assert from_triples == derive(resolved)


def test_derive_store_writes_the_derived_graph() -> None:
    store = ox.Store()
    resolved = tiny()
    graph = ox.NamedNode("https://w3id.org/regiograph/graph/doc/all")
    store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in _all_triples(resolved))
    assert derive_store(store) == len(derive(resolved))
    derived = ox.NamedNode(str(DERIVED_GRAPH))
    found = {q.triple for q in store.quads_for_pattern(None, None, None, derived)}
    assert found == {ox.Triple(*t) for t in derive(resolved)}


def test_partner_counts_equal_the_union_of_the_collaborations_members(monkeypatch):
    import random

    from regiograph import derive as d

    monkeypatch.setattr(d, "PARTNER_BLOCK", 3)  # several blocks
    monkeypatch.setattr(d, "BITSET_BITS", 0)  # the matrix
    rng = random.Random(5)
    orgs = [f"o{i}" for i in range(40)]
    members = {f"c{j}": set(rng.sample(orgs, rng.randint(1, 12))) for j in range(25)}
    members["alone"] = {"o-alone"}  # its only member, in no other collaboration
    memberships: dict[str, set[str]] = {}
    for c, ms in members.items():
        for m in ms:
            memberships.setdefault(m, set()).add(c)
    expected = {
        o: len(set().union(*(members[c] for c in cs)) - {o}) for o, cs in memberships.items()
    }
    assert d._partner_counts(memberships, members, list(memberships)) == expected
    assert d._partner_counts(memberships, members, list(memberships)[:1]) == {
        o: expected[o] for o in list(memberships)[:1]
    }
    some = sorted(memberships)[::3]
    assert d._partner_counts(memberships, members, some) == {o: expected[o] for o in some}
    assert expected["o-alone"] == 0 and max(expected.values()) > 12
    assert d._partner_counts({}, {}, []) == {}
    monkeypatch.setattr(d, "BITSET_BITS", 10**9)  # bit sets
    assert d._partner_counts(memberships, members, list(memberships)) == expected
    assert d._partner_counts(memberships, members, some) == {o: expected[o] for o in some}
