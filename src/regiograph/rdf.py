"""Build RDF: a resolved document becomes the triples of its own named graph.

The shape of every triple is documented in ``docs/data-model.md`` and checked by
``ontology/shapes.ttl``. :func:`document_terms` builds them as pyoxigraph terms (what the
build writes; about four times faster than building rdflib terms); :func:`document_triples`
and :func:`document_graph` give the same triples as rdflib terms.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from .model import DateFact, Entity, ResolvedDocument
from .namespaces import (
    DCTERMS,
    FOAF,
    ONTOLOGY_GRAPH,
    ORG,
    ORGTYPE,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    REFERENCE_GRAPH,
    RG,
    ROLE,
    SCHEMA,
    SECTOR,
    SKOS,
    XSD,
    doc_graph,
    doc_iri,
    evidence_iri,
    membership_iri,
    org_iri,
    person_iri,
    place_iri,
)
from .resources import resource

ONTOLOGY_FILES = ("regiograph.ttl", "orgtypes.ttl", "sectors.ttl", "roles.ttl")

Term = ox.NamedNode | ox.BlankNode | ox.Literal
TermTriple = tuple[Term, Term, Term]


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology and the SKOS concept schemes (loaded into every build)."""
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(resource("ontology", name), format="turtle")
    return graph


# --------------------------------------------------------------------------- terms


class _V:
    """The vocabulary terms :func:`document_terms` uses, as pyoxigraph named nodes."""

    def __init__(self) -> None:
        n = ox.NamedNode
        self.type = n(str(RDF.type))
        self.label = n(str(RDFS.label))
        self.pref = n(str(SKOS.prefLabel))
        self.alt = n(str(SKOS.altLabel))
        self.classification = n(str(ORG.classification))
        self.confidence = n(str(RG.confidence))
        self.area = n(str(SCHEMA.areaServed))
        self.location = n(str(SCHEMA.location))
        self.purpose = n(str(ORG.purpose))
        self.collaboration = n(str(ORG.OrganizationalCollaboration))
        self.formal = n(str(ORG.FormalOrganization))
        self.work = n(str(SCHEMA.CreativeWork))
        self.identifier = n(str(DCTERMS.identifier))
        self.title = n(str(DCTERMS.title))
        self.url = n(str(SCHEMA.url))
        self.date = n(str(DCTERMS.date))
        self.author = n(str(SCHEMA.author))
        self.format = n(str(DCTERMS.format))
        self.mentions = n(str(SCHEMA.mentions))
        self.person = n(str(FOAF.Person))
        self.name = n(str(FOAF.name))
        self.evidence = n(str(RG.Evidence))
        self.text = n(str(SCHEMA.text))
        self.start = n(str(RG.charStart))
        self.end = n(str(RG.charEnd))
        self.part_of = n(str(SCHEMA.isPartOf))
        self.membership = n(str(ORG.Membership))
        self.member = n(str(ORG.member))
        self.organization = n(str(ORG.organization))
        self.role = n(str(ORG.role))
        self.role_name = n(str(SCHEMA.roleName))
        self.derived = n(str(PROV.wasDerivedFrom))
        self.member_of = n(str(ORG.memberOf))
        self.has_member = n(str(ORG.hasMember))
        self.partnership = n(str(RG.Partnership))
        self.intermediary = n(str(ORGTYPE.intermediary))
        self.start_date = n(str(SCHEMA.startDate))
        self.end_date = n(str(SCHEMA.endDate))
        self.decimal = n(str(XSD.decimal))
        self.integer = n(str(XSD.integer))
        self.xsd_date = n(str(XSD.date))
        self.any_uri = n(str(XSD.anyURI))


V = _V()


@lru_cache(maxsize=1 << 16)
def _org(key: str) -> ox.NamedNode:
    return ox.NamedNode(str(org_iri(key)))


@lru_cache(maxsize=1 << 16)
def _person(key: str) -> ox.NamedNode:
    return ox.NamedNode(str(person_iri(key)))


@lru_cache(maxsize=4096)
def _place(code: str) -> ox.NamedNode:
    return ox.NamedNode(str(place_iri(code)))


@lru_cache(maxsize=512)
def _concept(namespace: str, key: str) -> ox.NamedNode:
    return ox.NamedNode(namespace + key)


@lru_cache(maxsize=256)
def _confidence(value: float) -> ox.Literal:
    # the lexical form rdflib gives Literal(Decimal(...)): "0.9", "1.0", "0.85"
    return ox.Literal(str(Decimal(str(round(value, 2)))), datatype=V.decimal)


def _date(value) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=V.xsd_date)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=V.integer)


class _Triples(dict):
    """An insertion-ordered set of triples."""

    def add(self, triple) -> None:
        self[triple] = None


@lru_cache(maxsize=1 << 15)
def _entity_terms(ent: Entity) -> tuple[TermTriple, ...]:
    """The triples describing one resolved organisation (the same in every document)."""
    node = _org(ent.key)
    out = _Triples()
    out.add((node, V.type, V.collaboration if ent.collaboration else V.formal))
    name = ox.Literal(ent.name)
    out.add((node, V.label, name))
    out.add((node, V.pref, name))
    for alias in sorted(ent.aliases):
        out.add((node, V.alt, ox.Literal(alias)))
    out.add((node, V.classification, _concept(str(ORGTYPE), ent.org_type)))
    out.add((node, V.confidence, _confidence(ent.confidence)))
    if ent.place_code:
        out.add((node, V.area, _place(ent.place_code)))
    if ent.location:
        out.add((node, V.location, _place(ent.location)))
    for sector in sorted(ent.sectors):
        out.add((node, V.purpose, _concept(str(SECTOR), sector)))
    return tuple(out)


def document_terms(resolved: ResolvedDocument) -> list[TermTriple]:
    """All triples derived from one document, as pyoxigraph terms, in a stable order."""
    ext = resolved.extraction
    doc = ext.document
    g = _Triples()
    d = ox.NamedNode(str(doc_iri(doc.doc_id)))
    g.add((d, V.type, V.work))
    g.add((d, V.identifier, ox.Literal(doc.doc_id)))
    if doc.title:
        g.add((d, V.title, ox.Literal(doc.title)))
    if doc.url:
        g.add((d, V.url, ox.Literal(doc.url, datatype=V.any_uri)))
    if doc.date:
        g.add((d, V.date, _date(doc.date)))
    if doc.author:
        g.add((d, V.author, ox.Literal(doc.author)))
    g.add((d, V.format, ox.Literal(doc.media_type)))

    org_nodes: dict[str, ox.NamedNode] = {}
    for org in ext.organisations:
        key = resolved.org_keys.get(org.name)
        if key is None:
            continue
        ent = resolved.entities[key]
        for triple in _entity_terms(ent):
            g.add(triple)
        org_nodes[org.name] = _org(ent.key)
        g.add((d, V.mentions, org_nodes[org.name]))
    for person in ext.persons:
        p = _person(resolved.person_keys[person.name])
        g.add((p, V.type, V.person))
        name = ox.Literal(person.name)
        g.add((p, V.name, name))
        g.add((p, V.label, name))
        g.add((d, V.mentions, p))
    for place in ext.places:
        g.add((d, V.mentions, _place(place.code)))

    def evidence(ev) -> ox.NamedNode:
        e = ox.NamedNode(str(evidence_iri(ev.doc_id, ev.start, ev.end)))
        g.add((e, V.type, V.evidence))
        g.add((e, V.text, ox.Literal(ev.text)))
        g.add((e, V.start, _integer(ev.start)))
        g.add((e, V.end, _integer(ev.end)))
        g.add((e, V.part_of, d))
        return e

    for role in ext.roles:
        person_key = resolved.person_keys.get(role.person)
        org = org_nodes.get(role.organisation)
        if person_key is None or org is None:
            continue
        p = _person(person_key)
        m = ox.NamedNode(str(membership_iri(doc.doc_id, p.value, org.value, role.role)))
        g.add((m, V.type, V.membership))
        g.add((m, V.member, p))
        g.add((m, V.organization, org))
        g.add((m, V.role, _concept(str(ROLE), role.role)))
        g.add((m, V.role_name, ox.Literal(role.label)))
        g.add((m, V.derived, evidence(role.evidence)))
        g.add((m, V.confidence, _confidence(role.confidence)))
        g.add((p, V.member_of, org))

    groups: dict[str, list] = {}
    for fact in ext.memberships:
        if fact.collaboration is None:
            groups.setdefault(fact.group, []).append(fact)
            continue
        collab, member = org_nodes.get(fact.collaboration), org_nodes.get(fact.member)
        if collab is None or member is None or collab == member:
            continue
        _membership(g, doc.doc_id, member, collab, evidence(fact.evidence), fact.confidence)
    for facts in groups.values():
        members = sorted(
            {org_nodes[f.member] for f in facts if f.member in org_nodes}, key=lambda n: n.value
        )
        if len(members) < 2:
            continue
        names = {
            org_nodes[f.member]: resolved.entities[resolved.org_keys[f.member]].name
            for f in facts
            if f.member in org_nodes
        }
        key, name = partnership([m.value for m in members], [names[m] for m in members])
        collab = _org(key)
        g.add((collab, V.type, V.partnership))
        g.add((collab, V.type, V.collaboration))
        label = ox.Literal(name)
        g.add((collab, V.label, label))
        g.add((collab, V.pref, label))
        g.add((collab, V.classification, V.intermediary))
        for fact in facts:
            if fact.member in org_nodes:
                _membership(
                    g,
                    doc.doc_id,
                    org_nodes[fact.member],
                    collab,
                    evidence(fact.evidence),
                    fact.confidence,
                )
    for fact in ext.dates:
        _dates(g, org_nodes.get(fact.collaboration), fact)
    return list(g)


def partnership(members: list[str], labels: list[str]) -> tuple[str, str]:
    """The key and label of the unnamed partnership of ``members`` (their IRIs, sorted;
    at least two) whose names are ``labels``: "Samenwerking A, B en C"."""
    digest = hashlib.sha1("|".join(members).encode()).hexdigest()[:10]
    return f"samenwerking-{digest}", "Samenwerking " + ", ".join(labels[:-1]) + " en " + labels[-1]


def _membership(
    g: _Triples,
    doc_id: str,
    member: ox.NamedNode,
    collab: ox.NamedNode,
    ev: ox.NamedNode,
    confidence: float,
) -> None:
    m = ox.NamedNode(str(membership_iri(doc_id, member.value, collab.value)))
    g.add((m, V.type, V.membership))
    g.add((m, V.member, member))
    g.add((m, V.organization, collab))
    g.add((m, V.derived, ev))
    g.add((m, V.confidence, _confidence(confidence)))
    g.add((collab, V.has_member, member))


def _dates(g: _Triples, collab: ox.NamedNode | None, fact: DateFact) -> None:
    if collab is None:
        return
    if fact.start:
        g.add((collab, V.start_date, _date(fact.start)))
    if fact.end:
        g.add((collab, V.end_date, _date(fact.end)))


# --------------------------------------------------------------------------- rdflib views

_XSD_STRING = str(XSD.string)


def to_rdflib(term: Term) -> URIRef | BNode | Literal:
    """A pyoxigraph term as an rdflib term (the inverse of :func:`regiograph.store.to_ox`)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


def document_triples(resolved: ResolvedDocument) -> list[tuple]:
    """All triples derived from one document as rdflib terms, in a stable order."""
    return [tuple(map(to_rdflib, triple)) for triple in document_terms(resolved)]


def document_graph(resolved: ResolvedDocument) -> Graph:
    """All triples derived from one document (its named graph), as an rdflib Graph."""
    graph = Graph()
    for triple in document_triples(resolved):
        graph.add(triple)
    return graph


def named_graphs(
    resolved: list[ResolvedDocument], reference: Graph
) -> Iterator[tuple[URIRef, Iterable[tuple]]]:
    """The whole build as (graph name, triples) pairs: ontology, reference places and one
    named graph per document."""
    yield ONTOLOGY_GRAPH, ontology_graph()
    yield REFERENCE_GRAPH, reference
    for res in resolved:
        yield doc_graph(res.extraction.document.doc_id), document_triples(res)


def dataset(resolved: list[ResolvedDocument], reference: Graph) -> Dataset:
    """The whole build as one rdflib Dataset."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    for name, graph in named_graphs(resolved, reference):
        target = ds.graph(name)
        for triple in graph:
            target.add(triple)
    return ds
