"""Derived facts: aggregates over the whole graph, materialised at build time.

The saved queries ask questions whose naive answer joins every membership with every other
(helix mix, provinces of partners, partners of partners) and that no query shape answers
in under a second on a graph of millions of triples. The build therefore computes a few
aggregates once and writes them into their own named graph, :data:`DERIVED_GRAPH`
(``<https://w3id.org/regiograph/graph/derived>``), recomputed on every build:

per organisation that is a member of a collaboration
    ``rg:collaborationCount``, ``rg:documentCount`` (documents evidencing those
    memberships), ``rg:partnerCount`` (distinct co-members), ``rg:partnerType`` (the
    organisation types of its partners), ``rg:collaborationProvince`` (the provinces of
    all members of its collaborations, itself included), ``rg:displayLabel`` (the one
    label it is listed by) and ``rg:typeNotations`` (its own types as one string);
per organisation located in or serving a place
    ``rg:province`` (the provinces that place lies in, ``schema:containedInPlace*``);
per collaboration with an organisation member
    ``rg:memberCount``, ``rg:memberType``, ``rg:governmentMemberCount``,
    ``rg:knowledgeMemberCount`` (education or research), ``rg:businessMemberCount`` and
    ``rg:memberProvince`` (the provinces of its members);
per collaboration
    ``rg:firstYear`` (its start year, else the earliest year of the documents its
    memberships are derived from) and ``rg:reportedIn`` (the documents that evidence one
    of its memberships or mention it);
per organisation, collaboration and person
    ``rg:nameKey``: every name and alternative name, lower-cased, for lookup by name.

Two front ends compute the same :class:`Facts`: :func:`facts_from_resolved` from the
resolved documents of a build (what :func:`derive` uses) and :func:`facts_from_triples`
from the union of any graph on the contract (tests and data made elsewhere).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from .model import ResolvedDocument
from .namespaces import (
    DCTERMS,
    DERIVED_GRAPH,
    FOAF,
    ORG,
    ORGTYPE,
    PROV,
    RDF,
    RDFS,
    RG,
    SCHEMA,
    SKOS,
    XSD,
    doc_iri,
    org_iri,
    person_iri,
    place_iri,
)
from .rdf import partnership
from .reference import Gazetteer, load_places

__all__ = ["DERIVED_GRAPH", "Facts", "add_document", "derive", "derive_store", "derived_triples",
           "facts_from_resolved", "facts_from_triples"]  # fmt: skip

Term = ox.NamedNode | ox.Literal
TermTriple = tuple[ox.NamedNode, ox.NamedNode, Term]

KNOWLEDGE = frozenset({"education", "research"})


@dataclass
class Facts:
    """What the derived graph is computed from (IRIs as strings)."""

    #: organisation or collaboration -> organisation type notations
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: collaboration -> its organisation members
    members: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: (organisation, collaboration) -> documents that evidence the membership
    member_docs: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    #: collaboration -> documents of any of its memberships (people's roles included)
    collab_docs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: collaboration -> documents that mention it
    mentioned_in: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: collaboration -> years of its start dates
    start_years: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    #: document -> years of its dates
    doc_years: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    #: organisation -> provinces of the places it is located in or serves
    provinces: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: organisation, collaboration or person -> its names
    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: resource (not a person) -> the labels it is shown by: its skos:prefLabel values,
    #: or its rdfs:label values when it has none
    labels: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: the collaborations (typed org:OrganizationalCollaboration or a subclass)
    collaborations: set[str] = field(default_factory=set)
    #: the documents (resources with a dcterms:identifier that evidence or mention)
    documents: set[str] = field(default_factory=set)


# --------------------------------------------------------------------------- front ends


@lru_cache(maxsize=1)
def _province_closure() -> dict[str, frozenset[str]]:
    """CBS code of a place -> IRIs of the provinces it lies in
    (``schema:containedInPlace*``)."""
    return _closure(load_places())


def _closure(gaz: Gazetteer) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for code in gaz.places:
        seen, todo, found = set(), [code], set()
        while todo:
            current = todo.pop()
            if current in seen or current not in gaz.places:
                continue
            seen.add(current)
            place = gaz.places[current]
            if place.kind == "province":
                found.add(str(place_iri(current)))
            todo.extend(place.parents)
        out[code] = frozenset(found)
    return out


def facts_from_resolved(resolved: Iterable[ResolvedDocument]) -> Facts:
    """The facts of a build's resolved documents, following :func:`regiograph.rdf.
    document_terms` (which memberships, partnerships and dates it writes)."""
    facts = Facts()
    for res in resolved:
        add_document(facts, res)
    return facts


#: The IRIs of organisations and persons are these prefixes and their keys.
_ORG, _PERSON = str(org_iri("")), str(person_iri(""))

#: The kinds of :data:`Fact` (its first item), in the order of :func:`tables`.
(DOCUMENT, DOC_YEAR, COLLABORATION, MENTIONED_IN, TYPE, NAME, LABEL, PROVINCE, COLLAB_DOC,
 MEMBER, MEMBER_DOC, START_YEAR) = range(12)  # fmt: skip
#: ``(kind, subject, value)``: one fact a document contributes to :class:`Facts`. The
#: subject of a ``MEMBER_DOC`` fact is ``(member, collaboration)``; ``DOCUMENT`` and
#: ``COLLABORATION`` facts have the value ``None``.
Fact = tuple[int, object, object]
#: The kinds whose facts are members of a set of :class:`Facts`, not of a dict of sets.
FLAT = frozenset({DOCUMENT, COLLABORATION})


def tables(facts: Facts) -> list:
    """The fields of ``facts`` indexed by the kind of :data:`Fact` they hold."""
    f = facts
    return [
        f.documents, f.doc_years, f.collaborations, f.mentioned_in, f.types, f.names,
        f.labels, f.provinces, f.collab_docs, f.members, f.member_docs, f.start_years,
    ]  # fmt: skip


def contribution(res: ResolvedDocument) -> list[Fact]:
    """The facts one resolved document contributes to :class:`Facts` (each once), following
    :func:`regiograph.rdf.document_terms` (which memberships, partnerships and dates it
    writes). A build keeps each document's contribution, so that the next build can take
    back that of a document that changed or went (:mod:`regiograph.derive_state`)."""
    closure = _province_closure()
    ext = res.extraction
    doc = str(doc_iri(ext.document.doc_id))
    out: dict[Fact, None] = {(DOCUMENT, doc, None): None}
    if ext.document.date:
        out[DOC_YEAR, doc, ext.document.date.year] = None
    nodes: dict[str, str] = {}
    seen: set[str] = set()
    for mention in ext.organisations:
        key = res.org_keys.get(mention.name)
        if key is None:
            continue
        ent = res.entities[key]
        node = nodes[mention.name] = _ORG + ent.key
        if ent.collaboration:
            out[COLLABORATION, node, None] = None
            out[MENTIONED_IN, node, doc] = None
        if node in seen:
            continue
        seen.add(node)
        out[TYPE, node, ent.org_type] = None
        for name in (ent.name, *ent.aliases):
            out[NAME, node, name] = None
        out[LABEL, node, ent.name] = None
        for code in (ent.place_code, ent.location):
            for province in closure.get(code, ()) if code else ():
                out[PROVINCE, node, province] = None
    for person in ext.persons:
        out[NAME, _PERSON + res.person_keys[person.name], person.name] = None
    for role in ext.roles:
        if res.person_keys.get(role.person) is not None and role.organisation in nodes:
            out[COLLAB_DOC, nodes[role.organisation], doc] = None
    groups: dict[str, list[str]] = {}
    for fact in ext.memberships:
        if fact.collaboration is None:
            if fact.member in nodes:
                groups.setdefault(fact.group, []).append(nodes[fact.member])
            continue
        collab, member = nodes.get(fact.collaboration), nodes.get(fact.member)
        if collab is None or member is None or collab == member:
            continue
        _member(out, collab, member, doc)
    for members in groups.values():
        distinct = sorted(set(members))
        if len(distinct) < 2:
            continue
        key, label = partnership(distinct, [_label(res, m, nodes) for m in distinct])
        collab = str(org_iri(key))
        out[COLLABORATION, collab, None] = None
        out[TYPE, collab, "intermediary"] = None
        out[NAME, collab, label] = None
        out[LABEL, collab, label] = None
        for member in members:
            _member(out, collab, member, doc)
    for date_fact in ext.dates:
        collab = nodes.get(date_fact.collaboration)
        if collab is not None and date_fact.start:
            out[START_YEAR, collab, date_fact.start.year] = None
    return list(out)


def add_facts(facts: Facts, contributed: Iterable[Fact]) -> None:
    """Add facts (:func:`contribution`) to ``facts``."""
    fields = tables(facts)
    for kind, subject, value in contributed:
        if kind in FLAT:
            fields[kind].add(subject)
        else:
            fields[kind][subject].add(value)


def add_document(facts: Facts, res: ResolvedDocument) -> None:
    """Add the facts of one resolved document to ``facts``."""
    add_facts(facts, contribution(res))


def _label(res: ResolvedDocument, node: str, nodes: dict[str, str]) -> str:
    name = next(n for n, iri in nodes.items() if iri == node)
    return res.entities[res.org_keys[name]].name


def _member(out: dict[Fact, None], collab: str, member: str, doc: str) -> None:
    out[MEMBER, collab, member] = None
    out[MEMBER_DOC, (member, collab), doc] = None
    out[COLLAB_DOC, collab, doc] = None


def facts_from_triples(triples: Iterable[tuple[Term, Term, Term]]) -> Facts:
    """The facts of any graph on the contract, from its triples (pyoxigraph terms): the
    union of its named graphs, ontology and reference places included."""
    by_p: dict[str, list[tuple[str, Term]]] = defaultdict(list)
    for s, p, o in triples:
        by_p[p.value].append((s.value, o))

    def pairs(prop) -> list[tuple[str, Term]]:
        return by_p.get(str(prop), [])

    sub: dict[str, set[str]] = defaultdict(set)
    for s, o in pairs(RDFS.subClassOf):
        sub[o.value].add(s)
    classes, todo = set(), [str(ORG.OrganizationalCollaboration)]
    while todo:
        current = todo.pop()
        if current not in classes:
            classes.add(current)
            todo.extend(sub.get(current, ()))
    types: dict[str, set[str]] = defaultdict(set)
    for s, o in pairs(RDF.type):
        types[s].add(o.value)
    persons = {s for s, t in types.items() if str(FOAF.Person) in t}
    facts = Facts()
    facts.collaborations = {s for s, t in types.items() if t & classes}
    notation = {s: o.value for s, o in pairs(SKOS.notation)}
    for s, o in pairs(ORG.classification):
        if s not in persons and o.value in notation:
            facts.types[s].add(notation[o.value])
    identified = {s for s, _ in pairs(DCTERMS.identifier)}
    part_of = defaultdict(set)
    for s, o in pairs(SCHEMA.isPartOf):
        part_of[s].add(o.value)
    evidence = defaultdict(set)
    for s, o in pairs(PROV.wasDerivedFrom):
        for e in {o.value} | part_of.get(o.value, set()):
            if e in identified:
                evidence[s].add(e)
    member_of = {s: o.value for s, o in pairs(ORG.member)}
    for m, o in pairs(ORG.organization):
        collab, member = o.value, member_of.get(m)
        if collab not in facts.collaborations or member is None:
            continue
        facts.collab_docs[collab].update(evidence.get(m, ()))
        if member not in persons:
            facts.members[collab].add(member)
            facts.member_docs[member, collab].update(evidence.get(m, ()))
    for s, o in pairs(ORG.hasMember):
        if s in facts.collaborations and o.value not in persons:
            facts.members[s].add(o.value)
    for s, o in pairs(SCHEMA.mentions):
        if s in identified and o.value in facts.collaborations:
            facts.mentioned_in[o.value].add(s)
    for s, o in pairs(SCHEMA.startDate):
        if s in facts.collaborations and (year := _year(o)) is not None:
            facts.start_years[s].add(year)
    for s, o in pairs(DCTERMS.date):
        if (year := _year(o)) is not None:
            facts.doc_years[s].add(year)
    facts.documents = identified
    parents = defaultdict(set)
    for s, o in pairs(SCHEMA.containedInPlace):
        parents[s].add(o.value)
    province = {s for s, t in types.items() if str(RG.Province) in t}
    for prop in (SCHEMA.location, SCHEMA.areaServed):
        for s, o in pairs(prop):
            seen, todo = set(), [o.value]
            while todo:
                current = todo.pop()
                if current not in seen:
                    seen.add(current)
                    todo.extend(parents.get(current, ()))
            facts.provinces[s].update(seen & province)
    named = facts.collaborations | set(facts.types) | persons
    name_props = [RDFS.label, SKOS.prefLabel, SKOS.altLabel, FOAF.name]
    for prop in name_props:
        for s, o in pairs(prop):
            if s in named and isinstance(o, ox.Literal):
                facts.names[s].add(o.value)
    for prop in (SKOS.prefLabel, RDFS.label):  # rdfs:label only where no skos:prefLabel
        shown = defaultdict(set)
        for s, o in pairs(prop):
            if isinstance(o, ox.Literal) and s not in persons and s not in facts.labels:
                shown[s].add(o.value)
        facts.labels.update(shown)
    return facts


def _year(term: Term) -> int | None:
    text = term.value.strip() if isinstance(term, ox.Literal) else ""
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("-")[:4]
    return sign * int(digits) if len(digits) == 4 and digits.isdigit() else None


# --------------------------------------------------------------------------- triples


class _V:
    def __init__(self) -> None:
        n = ox.NamedNode
        self.collaboration_count = n(str(RG.collaborationCount))
        self.document_count = n(str(RG.documentCount))
        self.partner_count = n(str(RG.partnerCount))
        self.partner_type = n(str(RG.partnerType))
        self.collaboration_province = n(str(RG.collaborationProvince))
        self.province = n(str(RG.province))
        self.member_province = n(str(RG.memberProvince))
        self.member_count = n(str(RG.memberCount))
        self.member_type = n(str(RG.memberType))
        self.government = n(str(RG.governmentMemberCount))
        self.knowledge = n(str(RG.knowledgeMemberCount))
        self.business = n(str(RG.businessMemberCount))
        self.first_year = n(str(RG.firstYear))
        self.reported_in = n(str(RG.reportedIn))
        self.name_key = n(str(RG.nameKey))
        self.display_label = n(str(RG.displayLabel))
        self.type_notations = n(str(RG.typeNotations))
        self.integer = n(str(XSD.integer))


V = _V()


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=V.integer)


class _BySubject:
    """Triples gathered per subject (an IRI string), each once."""

    def __init__(self) -> None:
        self.subjects: dict[str, set[tuple[ox.NamedNode, Term]]] = defaultdict(set)

    def append(self, triple: tuple[str, ox.NamedNode, Term]) -> None:
        self.subjects[triple[0]].add(triple[1:])

    def __iadd__(self, triples: Iterable[tuple[str, ox.NamedNode, Term]]) -> _BySubject:
        for triple in triples:
            self.subjects[triple[0]].add(triple[1:])
        return self

    def sorted(self) -> list[TermTriple]:
        """All triples, sorted by subject, predicate and object; a subject's node is made
        once (at 100,000 documents, a node per triple and a set of all triples took as
        much memory again as the facts)."""
        out = []
        for s in sorted(self.subjects):
            node = ox.NamedNode(s)
            pairs = sorted(self.subjects[s], key=lambda po: (po[0].value, str(po[1])))
            out += [(node, p, o) for p, o in pairs]
        return out


#: Organisations per block of the partner-count product (bounds its memory).
PARTNER_BLOCK = 2048
#: Partner counts are unions of bit sets (one per collaboration, a bit per organisation)
#: while these take at most this many bits (8 MB); beyond, a sparse matrix product.
#: An incremental build's few organisations never load SciPy (0.3 s).
BITSET_BITS = 64_000_000


def _partner_counts_bitsets(
    memberships: dict[str, set[str]],
    members: dict[str, set[str]],
    orgs: list[str],
    every: list[str],
    needed: set[str],
) -> dict[str, int]:
    """:func:`_partner_counts` with a Python int per collaboration as the bit set of its
    members: an organisation's partners are the union of its collaborations' sets."""
    row = {o: i for i, o in enumerate(every)}
    size = (len(every) + 7) // 8
    masks = {}
    for c in needed:
        bits = bytearray(size)
        for m in members[c]:
            i = row[m]
            bits[i >> 3] |= 1 << (i & 7)
        masks[c] = int.from_bytes(bits, "little")
    out = {}
    for o in orgs:
        union = 0
        for c in memberships[o]:
            union |= masks[c]
        out[o] = union.bit_count() - 1
    return out


def _partner_counts(
    memberships: dict[str, set[str]], members: dict[str, set[str]], orgs: list[str]
) -> dict[str, int]:
    """Organisation (of ``orgs``) -> the number of other members of its collaborations.

    The nonzero entries of a row of ``M @ M.T`` (``M``: organisations x collaborations)
    are the organisation and its partners. The set unions this replaces cost the sum of
    the squared sizes of the collaborations in Python: 35 s at 100,000 documents, where
    hubs are members of thousands of collaborations.
    """
    if not orgs:
        return {}
    every = list(memberships)
    needed = {c for o in orgs for c in memberships[o]}
    if len(needed) * len(every) <= BITSET_BITS:
        return _partner_counts_bitsets(memberships, members, orgs, every, needed)
    import numpy as np  # imported here, as in regiograph.analyse: the CLI starts faster
    from scipy import sparse

    row = {o: i for i, o in enumerate(every)}
    column = {c: j for j, c in enumerate(members)}
    rows = np.repeat(np.arange(len(every)), [len(memberships[o]) for o in every])
    cols = np.fromiter((column[c] for o in every for c in memberships[o]), dtype=np.int64)
    m = sparse.csr_matrix(
        (np.ones(len(cols), dtype=np.int32), (rows, cols)), shape=(len(every), len(column))
    )
    mt = m.T.tocsr()
    wanted = m if orgs == every else m[np.fromiter((row[o] for o in orgs), np.int64)]
    counts = np.concatenate(
        [
            np.diff((wanted[i : i + PARTNER_BLOCK] @ mt).indptr)
            for i in range(0, len(orgs), PARTNER_BLOCK)
        ]
    )
    return {o: int(n) - 1 for o, n in zip(orgs, counts, strict=True)}


#: Collaboration -> its organisation members, and organisation -> its collaborations.
Memberships = tuple[dict[str, set[str]], dict[str, set[str]]]


def membership_index(facts: Facts) -> Memberships:
    """Collaboration -> its organisation members, and organisation -> its collaborations
    (collaborations with at least one member), as the derived graph counts them."""
    collabs = facts.collaborations
    members = {c: m for c, m in facts.members.items() if c in collabs and m}
    memberships: dict[str, set[str]] = defaultdict(set)
    for c, ms in members.items():
        for m in ms:
            memberships[m].add(c)
    return members, memberships


def partner_counts(
    facts: Facts, orgs: list[str], index: Memberships | None = None
) -> dict[str, int]:
    """``rg:partnerCount`` of each of ``orgs`` that is a member of a collaboration
    (``index``: :func:`membership_index` of ``facts``, when the caller has it)."""
    members, memberships = index or membership_index(facts)
    return _partner_counts(memberships, members, [o for o in orgs if o in memberships])


def derived_triples(
    facts: Facts, subjects: set[str] | None = None, index: Memberships | None = None
) -> list[TermTriple]:
    """The triples of the derived graph, sorted (so its bytes never vary); only those of
    ``subjects`` when given (what an incremental build recomputes). ``index``:
    :func:`membership_index` of ``facts``, when the caller has it."""
    out = _BySubject()
    iri = ox.NamedNode
    collabs = facts.collaborations
    members, memberships = index or membership_index(facts)
    if subjects is None:
        orgs, shown_collabs = list(memberships), list(members)
    else:
        orgs = sorted(o for o in subjects if o in memberships)
        shown_collabs = sorted(c for c in subjects if c in members)
    needed = {c for o in orgs for c in memberships[o]}.union(shown_collabs)
    collab_provinces: dict[str, set[str]] = {}
    collab_types: dict[str, Counter[str]] = {}
    for c in needed:
        ms = members[c]
        kinds = [facts.types.get(m, set()) for m in ms]
        collab_types[c] = Counter(t for k in kinds for t in k)
        collab_provinces[c] = set().union(*(facts.provinces.get(m, set()) for m in ms))
    for c in shown_collabs:
        ms = members[c]
        kinds = [facts.types.get(m, set()) for m in ms]
        out.append((c, V.member_count, _int(len(ms))))
        out += [(c, V.member_type, iri(str(ORGTYPE[t]))) for t in collab_types[c]]
        out.append((c, V.government, _int(sum("government" in k for k in kinds))))
        out.append((c, V.knowledge, _int(sum(bool(k & KNOWLEDGE) for k in kinds))))
        out.append((c, V.business, _int(sum("business" in k for k in kinds))))
        out += [(c, V.member_province, iri(p)) for p in collab_provinces[c]]
    partner_counts = _partner_counts(memberships, members, orgs)
    for o in orgs:
        cs = memberships[o]
        provinces = set().union(*(collab_provinces[c] for c in cs))
        docs = set().union(*(facts.member_docs.get((o, c), set()) for c in cs))
        out.append((o, V.collaboration_count, _int(len(cs))))
        out.append((o, V.document_count, _int(len(docs & facts.documents))))
        out.append((o, V.partner_count, _int(partner_counts[o])))
        # the types of the other members: a type counts in a collaboration when a member
        # other than ``o`` has it
        own = facts.types.get(o, set())
        kinds = {t for c in cs for t, n in collab_types[c].items() if n > (1 if t in own else 0)}
        out += [(o, V.partner_type, iri(str(ORGTYPE[t]))) for t in kinds]
        out += [(o, V.collaboration_province, iri(p)) for p in provinces]
        # what lists of organisations show of each (query 03 reads them instead of
        # joining labels and types): the least label (SPARQL's MIN of plain strings is
        # code point order, as Python's) and the sorted notations of its types
        if shown := facts.labels.get(o):
            out.append((o, V.display_label, ox.Literal(min(shown))))
        if own:
            out.append((o, V.type_notations, ox.Literal(" ".join(sorted(own)))))
    for o in facts.provinces if subjects is None else subjects & facts.provinces.keys():
        out += [(o, V.province, iri(p)) for p in facts.provinces[o]]
    for c in collabs if subjects is None else collabs & subjects:
        docs = facts.collab_docs.get(c, set())
        starts = facts.start_years.get(c)
        years = starts or {y for d in docs for y in facts.doc_years.get(d, ())}
        if years:
            out.append((c, V.first_year, _int(min(years))))
        reported = (docs | facts.mentioned_in.get(c, set())) & facts.documents
        out += [(c, V.reported_in, iri(d)) for d in reported]
    for node in facts.names if subjects is None else subjects & facts.names.keys():
        out += [(node, V.name_key, ox.Literal(k)) for k in {n.lower() for n in facts.names[node]}]
    return out.sorted()


def derive(resolved: Iterable[ResolvedDocument]) -> list[TermTriple]:
    """The triples of the derived named graph of a build (see the module docstring)."""
    return derived_triples(facts_from_resolved(resolved))


def derive_store(store: ox.Store) -> int:
    """(Re)compute the derived graph of a store holding any graph on the contract (made
    elsewhere, or a test fixture) and write it; return the number of its triples.

    Reads every graph but the derived one; when the store keeps the union of its named
    graphs in its default graph (as a build does), the new triples join it too (triples
    of an earlier derived graph stay there: call it on stores without one)."""
    graph = ox.NamedNode(str(DERIVED_GRAPH))
    union = next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
    triples = {q.triple for q in store if q.graph_name != graph}
    found = derived_triples(facts_from_triples((t.subject, t.predicate, t.object) for t in triples))
    store.remove_graph(graph)
    store.extend(ox.Quad(s, p, o, graph) for s, p, o in found)
    if union is not None:
        store.extend(ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in found)
    return len(found)
