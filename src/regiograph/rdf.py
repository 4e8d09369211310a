"""Build RDF: a resolved document becomes the triples of its own named graph.

The shape of every triple is documented in ``docs/data-model.md`` and checked by
``ontology/shapes.ttl``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import lru_cache

from rdflib import Dataset, Graph, Literal, URIRef

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


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology and the SKOS concept schemes (loaded into every build)."""
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(resource("ontology", name), format="turtle")
    return graph


def _confidence(value: float) -> Literal:
    return Literal(Decimal(str(round(value, 2))), datatype=XSD.decimal)


def _date(value) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


class _Triples(dict):
    """An insertion-ordered set of triples with the ``add`` of an rdflib Graph (building a
    real Graph per document costs more than everything else in the build)."""

    def add(self, triple) -> None:
        self[triple] = None


def _add_org(g: _Triples, ent: Entity) -> URIRef:
    node = org_iri(ent.key)
    g.add(
        (
            node,
            RDF.type,
            ORG.OrganizationalCollaboration if ent.collaboration else ORG.FormalOrganization,
        )
    )
    g.add((node, RDFS.label, Literal(ent.name)))
    g.add((node, SKOS.prefLabel, Literal(ent.name)))
    for alias in sorted(ent.aliases):
        g.add((node, SKOS.altLabel, Literal(alias)))
    g.add((node, ORG.classification, ORGTYPE[ent.org_type]))
    g.add((node, RG.confidence, _confidence(ent.confidence)))
    if ent.place_code:
        g.add((node, SCHEMA.areaServed, place_iri(ent.place_code)))
    if ent.location:
        g.add((node, SCHEMA.location, place_iri(ent.location)))
    for sector in sorted(ent.sectors):
        g.add((node, ORG.purpose, SECTOR[sector]))
    return node


def document_graph(resolved: ResolvedDocument) -> Graph:
    """All triples derived from one document (its named graph), as an rdflib Graph."""
    graph = Graph()
    for triple in document_triples(resolved):
        graph.add(triple)
    return graph


def document_triples(resolved: ResolvedDocument) -> list[tuple]:
    """All triples derived from one document, in a stable order."""
    ext = resolved.extraction
    doc = ext.document
    g = _Triples()
    d = doc_iri(doc.doc_id)
    g.add((d, RDF.type, SCHEMA.CreativeWork))
    g.add((d, DCTERMS.identifier, Literal(doc.doc_id)))
    if doc.title:
        g.add((d, DCTERMS.title, Literal(doc.title)))
    if doc.url:
        g.add((d, SCHEMA.url, Literal(doc.url, datatype=XSD.anyURI)))
    if doc.date:
        g.add((d, DCTERMS.date, _date(doc.date)))
    if doc.author:
        g.add((d, SCHEMA.author, Literal(doc.author)))
    g.add((d, DCTERMS.format, Literal(doc.media_type)))

    org_nodes: dict[str, URIRef] = {}
    for org in ext.organisations:
        key = resolved.org_keys.get(org.name)
        if key is None:
            continue
        org_nodes[org.name] = _add_org(g, resolved.entities[key])
        g.add((d, SCHEMA.mentions, org_nodes[org.name]))
    for person in ext.persons:
        p = person_iri(resolved.person_keys[person.name])
        g.add((p, RDF.type, FOAF.Person))
        g.add((p, FOAF.name, Literal(person.name)))
        g.add((p, RDFS.label, Literal(person.name)))
        g.add((d, SCHEMA.mentions, p))
    for place in ext.places:
        g.add((d, SCHEMA.mentions, place_iri(place.code)))

    def evidence(ev) -> URIRef:
        e = evidence_iri(ev.doc_id, ev.start, ev.end)
        g.add((e, RDF.type, RG.Evidence))
        g.add((e, SCHEMA.text, Literal(ev.text)))
        g.add((e, RG.charStart, Literal(ev.start, datatype=XSD.integer)))
        g.add((e, RG.charEnd, Literal(ev.end, datatype=XSD.integer)))
        g.add((e, SCHEMA.isPartOf, d))
        return e

    for role in ext.roles:
        person_key = resolved.person_keys.get(role.person)
        org = org_nodes.get(role.organisation)
        if person_key is None or org is None:
            continue
        p = person_iri(person_key)
        m = membership_iri(doc.doc_id, str(p), str(org), role.role)
        g.add((m, RDF.type, ORG.Membership))
        g.add((m, ORG.member, p))
        g.add((m, ORG.organization, org))
        g.add((m, ORG.role, ROLE[role.role]))
        g.add((m, SCHEMA.roleName, Literal(role.label)))
        g.add((m, PROV.wasDerivedFrom, evidence(role.evidence)))
        g.add((m, RG.confidence, _confidence(role.confidence)))
        g.add((p, ORG.memberOf, org))

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
        members = sorted({org_nodes[f.member] for f in facts if f.member in org_nodes})
        if len(members) < 2:
            continue
        names = {
            org_nodes[f.member]: resolved.entities[resolved.org_keys[f.member]].name
            for f in facts
            if f.member in org_nodes
        }
        labels = [names[m] for m in members]
        digest = hashlib.sha1("|".join(map(str, members)).encode()).hexdigest()[:10]
        collab = org_iri(f"samenwerking-{digest}")
        g.add((collab, RDF.type, RG.Partnership))
        g.add((collab, RDF.type, ORG.OrganizationalCollaboration))
        label = "Samenwerking " + ", ".join(labels[:-1]) + " en " + labels[-1]
        g.add((collab, RDFS.label, Literal(label)))
        g.add((collab, SKOS.prefLabel, Literal(label)))
        g.add((collab, ORG.classification, ORGTYPE.intermediary))
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


def _membership(
    g: _Triples, doc_id: str, member: URIRef, collab: URIRef, ev: URIRef, confidence: float
) -> None:
    m = membership_iri(doc_id, str(member), str(collab))
    g.add((m, RDF.type, ORG.Membership))
    g.add((m, ORG.member, member))
    g.add((m, ORG.organization, collab))
    g.add((m, PROV.wasDerivedFrom, ev))
    g.add((m, RG.confidence, _confidence(confidence)))
    g.add((collab, ORG.hasMember, member))


def _dates(g: _Triples, collab: URIRef | None, fact: DateFact) -> None:
    if collab is None:
        return
    if fact.start:
        g.add((collab, SCHEMA.startDate, _date(fact.start)))
    if fact.end:
        g.add((collab, SCHEMA.endDate, _date(fact.end)))


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
