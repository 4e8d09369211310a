"""What the entity pages show: organisations (and collaborations), people, documents and
places, read from the store with parameterised SPARQL (the entity IRI is bound as an RDF
term, never pasted into query text).

Entity IRIs live under ``https://w3id.org/regiograph/id/``; the server answers for them at
its own paths ``/id/{kind}/{key}`` (:func:`local_path`, :func:`entity_iri`). Making the
w3id.org addresses redirect to a running server is out of scope.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..namespaces import BASE, PREFIXES
from ..query import has_union_graph, run, shorten_iri

ID = BASE + "id/"
KINDS = ("org", "person", "doc", "place")
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")

RDF_TYPE = PREFIXES["rdf"] + "type"
SCHEMA = PREFIXES["schema"]
SKOS = PREFIXES["skos"]
RDFS = PREFIXES["rdfs"]
FOAF = PREFIXES["foaf"]
DCTERMS = PREFIXES["dcterms"]
RG = PREFIXES["rg"]
ORG = PREFIXES["org"]


def entity_iri(kind: str, key: str) -> str | None:
    """The IRI the server path ``/id/{kind}/{key}`` stands for (``None`` if it is none)."""
    if kind not in KINDS or not _KEY.fullmatch(key):
        return None
    return f"{ID}{kind}/{key}"


def local_path(iri: str) -> str | None:
    """The server path of an entity IRI (``None`` for IRIs the server has no page for)."""
    if not iri.startswith(ID):
        return None
    kind, _, key = iri[len(ID):].partition("/")
    return f"/id/{kind}/{key}" if kind in KINDS and _KEY.fullmatch(key) else None


@dataclass
class Link:
    """An RDF term to show: an IRI with its label (and server path) or a literal."""

    text: str
    iri: str | None = None
    note: str = ""

    @property
    def href(self) -> str | None:
        return local_path(self.iri) if self.iri else None


@dataclass
class Evidence:
    """One evidence sentence and the statements it supports."""

    iri: str
    sentence: str
    start: int | None
    document: Link | None
    statements: list[str] = field(default_factory=list)
    end: int | None = None


@dataclass
class Entity:
    """Everything an entity page shows."""

    iri: str
    kind: str
    label: str
    types: list[str] = field(default_factory=list)
    facts: list[tuple[str, list[Link]]] = field(default_factory=list)
    tables: list[tuple[str, list[str], list[list[Link]]]] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    statements: list[tuple[str, Link]] = field(default_factory=list)


# --------------------------------------------------------------------------- helpers


def _rows(store: ox.Store, text: str, iri: str) -> list[dict[str, Any]]:
    result = run(store, text, {ox.Variable("e"): ox.NamedNode(iri)})
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def outgoing(store: ox.Store, iri: str) -> list[tuple[ox.NamedNode, Any]]:
    """The entity's (predicate, object) pairs, each once."""
    node = ox.NamedNode(iri)
    if has_union_graph(store):
        quads = store.quads_for_pattern(node, None, None, ox.DefaultGraph())
    else:
        quads = store.quads_for_pattern(node, None, None)
    return list(dict.fromkeys((q.predicate, q.object) for q in quads))


def describe(store: ox.Store, iri: str) -> list[ox.Triple]:
    """The triples about an entity: those with it as subject, then as object."""
    node = ox.NamedNode(iri)
    union = has_union_graph(store)
    graph = ox.DefaultGraph() if union else None
    found = [q.triple for q in store.quads_for_pattern(node, None, None, graph)]
    found += [q.triple for q in store.quads_for_pattern(None, None, node, graph)]
    return list(dict.fromkeys(found))


def exists(store: ox.Store, iri: str) -> bool:
    node = ox.NamedNode(iri)
    return any(True for _ in store.quads_for_pattern(node, None, None)) or any(
        True for _ in store.quads_for_pattern(None, None, node))


_LABEL_RANK = [
    (SKOS + "prefLabel", "nl"), (SKOS + "prefLabel", ""), (RDFS + "label", ""),
    (FOAF + "name", ""), (DCTERMS + "title", ""), (SKOS + "prefLabel", "en"),
    (RDFS + "label", "nl"), (DCTERMS + "identifier", ""),
]


def labels(store: ox.Store, iris: Iterable[str]) -> dict[str, str]:
    """The best label of each IRI (Dutch preferred label first), where it has one."""
    wanted = sorted({i for i in iris if i})
    if not wanted:
        return {}
    best: dict[str, tuple[int, str]] = {}
    union = has_union_graph(store)
    predicates = [ox.NamedNode(p) for p in dict.fromkeys(p for p, _ in _LABEL_RANK)]
    for iri in wanted:
        node = ox.NamedNode(iri)
        for predicate in predicates:
            for quad in store.quads_for_pattern(
                    node, predicate, None, ox.DefaultGraph() if union else None):
                value = quad.object
                if not isinstance(value, ox.Literal):
                    continue
                key = (predicate.value, value.language or "")
                rank = _LABEL_RANK.index(key) if key in _LABEL_RANK else len(_LABEL_RANK)
                if iri not in best or (rank, value.value) < best[iri]:
                    best[iri] = (rank, value.value)
    return {iri: text for iri, (_, text) in best.items()}


def _link(term: Any, names: dict[str, str]) -> Link:
    if isinstance(term, ox.NamedNode):
        return Link(names.get(term.value) or shorten_iri(term.value), term.value)
    if isinstance(term, ox.Literal):
        note = f"@{term.language}" if term.language else ""
        return Link(term.value, None, note)
    if isinstance(term, ox.BlankNode):
        return Link(f"_:{term.value}")
    return Link(str(term))


def _iri_link(iri: str | None, names: dict[str, str], fallback: str = "") -> Link | None:
    if not iri:
        return None
    return Link(names.get(iri) or fallback or shorten_iri(iri), iri)


def _objects(pairs: Sequence[tuple[ox.NamedNode, Any]], *predicates: str) -> list[Any]:
    return [o for p, o in pairs if p.value in predicates]


def _texts(pairs: Sequence[tuple[ox.NamedNode, Any]], *predicates: str) -> list[str]:
    return sorted({o.value for o in _objects(pairs, *predicates) if isinstance(o, ox.Literal)})


# --------------------------------------------------------------------------- queries

_EVIDENCE = """
SELECT DISTINCT ?e ?ev ?sentence ?start ?doc ?member ?org ?role ?role_as_written WHERE {
  { ?m org:member ?e ; org:organization ?org . BIND(?e AS ?member) }
  UNION
  { ?m org:organization ?e ; org:member ?member . BIND(?e AS ?org) }
  ?m prov:wasDerivedFrom ?ev .
  ?ev schema:text ?sentence .
  OPTIONAL { ?ev rg:charStart ?start }
  OPTIONAL { ?ev schema:isPartOf ?doc }
  OPTIONAL { ?m org:role/skos:prefLabel ?r FILTER(LANGMATCHES(LANG(?r), "nl")) }
  BIND(STR(?r) AS ?role)
  OPTIONAL { ?m schema:roleName ?role_as_written }
}
"""
_DOC_EVIDENCE = """
SELECT DISTINCT ?e ?ev ?sentence ?start ?end ?doc ?member ?org ?role ?role_as_written WHERE {
  ?ev schema:isPartOf ?e ; schema:text ?sentence .
  BIND(?e AS ?doc)
  OPTIONAL { ?ev rg:charStart ?start }
  OPTIONAL { ?ev rg:charEnd ?end }
  OPTIONAL {
    ?m prov:wasDerivedFrom ?ev ; org:member ?member ; org:organization ?org .
    OPTIONAL { ?m org:role/skos:prefLabel ?r FILTER(LANGMATCHES(LANG(?r), "nl")) }
    BIND(STR(?r) AS ?role)
    OPTIONAL { ?m schema:roleName ?role_as_written }
  }
}
"""
_COLLABORATIONS = """
SELECT ?e ?c (COUNT(DISTINCT ?partner) AS ?partners) (MIN(STR(?start)) AS ?since) WHERE {
  ?c org:hasMember ?e .
  OPTIONAL { ?c org:hasMember ?partner FILTER(?partner != ?e) }
  OPTIONAL { ?c schema:startDate ?start }
} GROUP BY ?e ?c
"""
_MEMBERS = """
SELECT DISTINCT ?e ?member ?type WHERE {
  { ?e org:hasMember ?member } UNION { ?m org:organization ?e ; org:member ?member .
                                       FILTER NOT EXISTS { ?member a foaf:Person } }
  OPTIONAL { ?member org:classification/skos:notation ?t }
  BIND(STR(?t) AS ?type)
}
"""
_PEOPLE = """
SELECT DISTINCT ?e ?person ?role ?role_as_written WHERE {
  { ?m org:organization ?e ; org:member ?person . ?person a foaf:Person .
    OPTIONAL { ?m org:role/skos:prefLabel ?r FILTER(LANGMATCHES(LANG(?r), "nl")) }
    OPTIONAL { ?m schema:roleName ?role_as_written } }
  UNION { ?person org:memberOf ?e ; a foaf:Person }
  BIND(STR(?r) AS ?role)
}
"""
_ROLES = """
SELECT DISTINCT ?e ?org ?role ?role_as_written WHERE {
  { ?m org:member ?e ; org:organization ?org .
    OPTIONAL { ?m org:role/skos:prefLabel ?r FILTER(LANGMATCHES(LANG(?r), "nl")) }
    OPTIONAL { ?m schema:roleName ?role_as_written } }
  UNION { ?e org:memberOf ?org }
  BIND(STR(?r) AS ?role)
}
"""
_MENTIONED_IN = """
SELECT DISTINCT ?e ?doc WHERE { ?doc schema:mentions ?e }
"""
_MENTIONS = """
SELECT DISTINCT ?e ?x WHERE { ?e schema:mentions ?x }
"""
_BASED_HERE = """
SELECT DISTINCT ?e ?org ?how WHERE {
  { ?org schema:location ?e . BIND("based in" AS ?how) }
  UNION { ?org schema:areaServed ?e . BIND("serves" AS ?how) }
}
"""
_CONTAINS = """
SELECT DISTINCT ?e ?x WHERE { ?x schema:containedInPlace ?e }
"""
_METRICS = """
SELECT ?e ?p ?o WHERE { GRAPH rgg:metrics { ?e ?p ?o } }
"""


def _evidence(store: ox.Store, iri: str, *, document: bool = False) -> list[Evidence]:
    rows = _rows(store, _DOC_EVIDENCE if document else _EVIDENCE, iri)
    names = labels(store, [r[k] for r in rows for k in ("member", "org", "doc") if r.get(k)])
    found: dict[str, Evidence] = {}
    for r in rows:
        ev = found.get(r["ev"])
        if ev is None:
            doc = _iri_link(r.get("doc"), names)
            start, end = r.get("start"), r.get("end")
            ev = found[r["ev"]] = Evidence(r["ev"], r["sentence"] or "",
                                           start if isinstance(start, int) else None, doc,
                                           end=end if isinstance(end, int) else None)
        if r.get("member") and r.get("org"):
            member = names.get(r["member"]) or shorten_iri(r["member"])
            org = names.get(r["org"]) or shorten_iri(r["org"])
            if r.get("role") or r.get("role_as_written"):
                role = r.get("role_as_written") or r.get("role")
                statement = f"{member}: {role}, {org}"
            else:
                statement = f"{member} is a member of {org}"
            if statement not in ev.statements:
                ev.statements.append(statement)
    ordered = sorted(found.values(), key=lambda e: (
        e.document.text.lower() if e.document else "", e.start or 0, e.sentence))
    for ev in ordered:
        ev.statements.sort()
    return ordered


def _documents(store: ox.Store, iri: str) -> list[list[Link]]:
    docs = [r["doc"] for r in _rows(store, _MENTIONED_IN, iri)]
    names = labels(store, docs)
    ids = _identifiers(store, docs)
    rows = [[Link(names.get(d) or shorten_iri(d), d), Link(ids.get(d, ""))] for d in docs]
    return sorted(rows, key=lambda r: r[0].text.lower())


def _identifiers(store: ox.Store, iris: Iterable[str]) -> dict[str, str]:
    out = {}
    predicate = ox.NamedNode(DCTERMS + "identifier")
    for iri in iris:
        for quad in store.quads_for_pattern(ox.NamedNode(iri), predicate, None):
            out[iri] = quad.object.value
            break
    return out


def _types(store: ox.Store, pairs) -> list[str]:
    kinds = [shorten_iri(o.value) for o in _objects(pairs, RDF_TYPE)
             if isinstance(o, ox.NamedNode)]
    return sorted(set(kinds))


def _statements(store: ox.Store, pairs) -> list[tuple[str, Link]]:
    names = labels(store, [o.value for _, o in pairs if isinstance(o, ox.NamedNode)])
    out = [(shorten_iri(p.value), _link(o, names)) for p, o in pairs]
    return sorted(out, key=lambda s: (s[0], s[1].text))


def _metrics(store: ox.Store, iri: str) -> list[list[Link]]:
    rows = _rows(store, _METRICS, iri)
    values: dict[str, list[str]] = {}
    for r in rows:
        name = shorten_iri(r["p"]).removeprefix("rg:")
        value = r["o"]
        text = f"{value:.4g}" if isinstance(value, float) else str(value)
        values.setdefault(name, []).append(text)
    return [[Link(k), Link(", ".join(sorted(v)))] for k, v in sorted(values.items())]


# --------------------------------------------------------------------------- entities


def load(store: ox.Store, kind: str, iri: str) -> Entity | None:
    """The page content of the entity ``iri`` (``None`` when the store knows nothing)."""
    if not exists(store, iri):
        return None
    pairs = outgoing(store, iri)
    label = labels(store, [iri]).get(iri) or shorten_iri(iri)
    entity = Entity(iri=iri, kind=kind, label=label, types=_types(store, pairs))
    loader = {"org": _org, "person": _person, "doc": _doc, "place": _place}[kind]
    loader(store, entity, pairs)
    entity.statements = _statements(store, pairs)
    return entity


def _facts(store: ox.Store, entity: Entity, pairs, spec: Sequence[tuple[str, Sequence[str]]]):
    iris = [o.value for _, o in pairs if isinstance(o, ox.NamedNode)]
    names = labels(store, iris)
    for title, predicates in spec:
        links = [_link(o, names) for o in _objects(pairs, *predicates)]
        links = sorted({(lk.text, lk.iri or "", lk.note): lk for lk in links}.values(),
                       key=lambda lk: lk.text.lower())
        if links:
            entity.facts.append((title, links))


def _org(store: ox.Store, entity: Entity, pairs) -> None:
    iri = entity.iri
    _facts(store, entity, pairs, [
        ("also called", [SKOS + "altLabel"]),
        ("type", [ORG + "classification"]),
        ("based in", [SCHEMA + "location"]),
        ("serves", [SCHEMA + "areaServed"]),
        ("sectors", [ORG + "purpose"]),
        ("started", [SCHEMA + "startDate"]),
        ("confidence", [RG + "confidence"]),
    ])
    collabs = _rows(store, _COLLABORATIONS, iri)
    members = _rows(store, _MEMBERS, iri)
    people = _rows(store, _PEOPLE, iri)
    names = labels(store, [r["c"] for r in collabs] + [r["member"] for r in members]
                   + [r["person"] for r in people])
    if collabs:
        rows = [[_iri_link(r["c"], names), Link(str(r["partners"])), Link(r.get("since") or "")]
                for r in collabs]
        entity.tables.append(("Collaborations", ["collaboration", "partners", "since"],
                              sorted(rows, key=lambda r: r[0].text.lower())))
    if members:
        rows = [[_iri_link(r["member"], names), Link(r.get("type") or "")] for r in members]
        entity.tables.append(("Members", ["member", "type"],
                              sorted(rows, key=lambda r: r[0].text.lower())))
    if people:
        with_role = {r["person"] for r in people if r.get("role") or r.get("role_as_written")}
        rows = [[_iri_link(r["person"], names), Link(r.get("role") or ""),
                 Link(r.get("role_as_written") or "")]
                for r in people if r["person"] not in with_role or r.get("role")
                or r.get("role_as_written")]
        unique = {tuple(c.text for c in row): row for row in rows}
        entity.tables.append(("People and roles", ["person", "role", "role as written"],
                              sorted(unique.values(), key=lambda r: r[0].text.lower())))
    metrics = _metrics(store, iri)
    if metrics:
        entity.tables.append(("Network measures", ["measure", "value"], metrics))
    docs = _documents(store, iri)
    if docs:
        entity.tables.append(("Mentioned in", ["document", "file"], docs))
    entity.evidence = _evidence(store, iri)


def _person(store: ox.Store, entity: Entity, pairs) -> None:
    iri = entity.iri
    _facts(store, entity, pairs, [("name", [FOAF + "name"]), ("member of", [ORG + "memberOf"])])
    roles = _rows(store, _ROLES, iri)
    names = labels(store, [r["org"] for r in roles])
    with_role = {r["org"] for r in roles if r.get("role") or r.get("role_as_written")}
    rows = [[_iri_link(r["org"], names), Link(r.get("role") or ""),
             Link(r.get("role_as_written") or "")]
            for r in roles if r["org"] not in with_role or r.get("role")
            or r.get("role_as_written")]
    if rows:
        unique = {tuple(c.text for c in row): row for row in rows}
        entity.tables.append(("Organisations and roles",
                              ["organisation", "role", "role as written"],
                              sorted(unique.values(), key=lambda r: r[0].text.lower())))
    docs = _documents(store, iri)
    if docs:
        entity.tables.append(("Mentioned in", ["document", "file"], docs))
    entity.evidence = _evidence(store, iri)


def _doc(store: ox.Store, entity: Entity, pairs) -> None:
    _facts(store, entity, pairs, [
        ("title", [DCTERMS + "title"]),
        ("file", [DCTERMS + "identifier"]),
        ("source", [SCHEMA + "url"]),
        ("date", [DCTERMS + "date"]),
        ("author", [DCTERMS + "creator", SCHEMA + "author"]),
        ("format", [DCTERMS + "format"]),
    ])
    mentions = [r["x"] for r in _rows(store, _MENTIONS, entity.iri)]
    names = labels(store, mentions)
    kinds = {"org": "organisation", "person": "person", "place": "place", "doc": "document"}
    rows = []
    for x in mentions:
        path = local_path(x) or ""
        kind = kinds.get(path.split("/")[2] if path else "", "")
        rows.append([Link(names.get(x) or shorten_iri(x), x), Link(kind)])
    if rows:
        entity.tables.append(("Mentions", ["name", "kind"],
                              sorted(rows, key=lambda r: (r[1].text, r[0].text.lower()))))
    entity.evidence = sorted(_evidence(store, entity.iri, document=True),
                             key=lambda e: (e.start is None, e.start or 0, e.sentence))


def _place(store: ox.Store, entity: Entity, pairs) -> None:
    _facts(store, entity, pairs, [
        ("code", [DCTERMS + "identifier"]),
        ("also called", [SKOS + "altLabel"]),
        ("part of", [SCHEMA + "containedInPlace"]),
        ("replaced by", [DCTERMS + "isReplacedBy"]),
        ("until", [SCHEMA + "endDate"]),
    ])
    based = _rows(store, _BASED_HERE, entity.iri)
    contains = [r["x"] for r in _rows(store, _CONTAINS, entity.iri)]
    names = labels(store, [r["org"] for r in based] + contains)
    if based:
        rows = [[_iri_link(r["org"], names), Link(r["how"])] for r in based]
        entity.tables.append(("Organisations", ["organisation", "relation"],
                              sorted(rows, key=lambda r: r[0].text.lower())))
    if contains:
        rows = [[_iri_link(x, names)] for x in contains]
        entity.tables.append(("Contains", ["place"], sorted(rows, key=lambda r: r[0].text)))
    docs = _documents(store, entity.iri)
    if docs:
        entity.tables.append(("Mentioned in", ["document", "file"], docs))


_LIST = {
    "org": "SELECT DISTINCT ?x WHERE { { ?x a org:FormalOrganization } UNION "
           "{ ?x a/rdfs:subClassOf* org:OrganizationalCollaboration } UNION "
           "{ ?x a org:Organization } }",
    "person": "SELECT DISTINCT ?x WHERE { ?x a foaf:Person }",
    "doc": "SELECT DISTINCT ?x WHERE { ?x a schema:CreativeWork }",
    "place": "SELECT DISTINCT ?x WHERE { ?x schema:containedInPlace ?p . "
             "?m schema:mentions ?x }",
}


def listing(store: ox.Store, kind: str) -> list[Link]:
    """The entities of a kind the graph holds (places: those documents mention)."""
    found = [r[0] for r in run(store, _LIST[kind]).rows if isinstance(r[0], str)]
    found = [x for x in found if local_path(x)]
    names = labels(store, found)
    links = [Link(names.get(x) or shorten_iri(x), x) for x in found]
    return sorted(links, key=lambda lk: (lk.text.lower(), lk.iri or ""))
