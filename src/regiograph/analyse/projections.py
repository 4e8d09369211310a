"""Network projections of the stakeholder graph, as networkx graphs.

Every projection reads the store through the named SPARQL queries in ``queries/``
(``org_nodes.rq``, ``org_facts.rq``, ``bipartite.rq``, ``person_org.rq``) and only
aggregates their rows here: the organisation ties are the pairs of members of each
collaboration, evidenced by the two memberships (a SPARQL join of every pair with every
evidence sentence took minutes at 10,000 organisations; here it is linear in the pairs).

Conventions shared by the projections:

* A node id is the IRI of the organisation, collaboration or person, as a ``str``.
* Membership is ``org:hasMember`` or an ``org:Membership`` node; people are never members
  in the organisation projections.
* ``min_confidence`` keeps the ``org:Membership`` nodes whose ``rg:confidence`` is at
  least that value. A membership known only through ``org:hasMember`` (no membership
  node, so no confidence) is kept only when ``min_confidence`` is 0.
* Years: a membership or tie *through one collaboration* spans from the collaboration's
  ``schema:startDate`` year (or, without one, the earliest ``dcterms:date`` year of the
  documents that evidence it) to its ``schema:endDate`` year (or, without one, the latest
  of those document years and the start year). ``since``/``until`` keep what overlaps
  ``[since, until]`` (either bound may be left open); what has no year at all is kept
  only when neither bound is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pyoxigraph as ox

from regiograph.errors import UsageError

from .persons import person_network
from .sparql import QUERY_DIR, confident, load_query, rows, to_int

__all__ = [
    "QUERY_DIR",
    "bipartite_network",
    "load_query",
    "networks",
    "node_attributes",
    "org_network",
    "person_network",
    "time_slices",
]

#: How many evidence sentences an edge of :func:`org_network` carries at most.
MAX_EVIDENCE = 3


def _span(start: int | None, end: int | None, years: Iterable[int]) -> tuple[int | None, ...]:
    """First and last year of a membership or tie through one collaboration."""
    known = set(years)
    first = start if start is not None else min(known | {end} - {None}, default=None)
    last = end if end is not None else max(known | {start} - {None}, default=None)
    return first, last


def _overlaps(first: int | None, last: int | None, since: int | None, until: int | None) -> bool:
    if since is None and until is None:
        return True
    if first is None and last is None:
        return False
    low = first if first is not None else last
    high = last if last is not None else first
    return (since is None or high >= since) and (until is None or low <= until)


def _check_window(since: int | None, until: int | None) -> None:
    if since is not None and until is not None and since > until:
        raise UsageError(f"since ({since}) is after until ({until})", hint="give since <= until")


# --------------------------------------------------------------------------- nodes


def node_attributes(store: ox.Store) -> dict[str, dict[str, Any]]:
    """Attributes of every organisation that is a member of a collaboration or is one.

    ``label`` (``skos:prefLabel``, else ``rdfs:label``, else the IRI), ``type`` (the
    ``skos:notation`` of its ``org:classification``; the first in sorted order when there
    are several, ``""`` when there is none), ``collaboration`` (bool), ``provinces`` and
    ``province_codes`` (sorted lists) and ``sectors`` (sorted Dutch labels).
    """
    raw: dict[str, dict[str, Any]] = {
        row["organisation"]: {
            "prefLabel": set(),
            "label": set(),
            "type": set(),
            "collaboration": False,
            "province": set(),
            "code": set(),
            "sector": set(),
        }
        for row in rows(store, "org_nodes")
    }
    for row in rows(store, "org_facts"):
        info = raw.get(row["organisation"])
        if info is None:
            continue
        kind, value = row["kind"], row["value"]
        if kind == "collaboration":
            info["collaboration"] = True
        elif kind == "province":
            info["province"].add(str(value if value is not None else row["code"]))
            if row["code"] is not None:
                info["code"].add(str(row["code"]))
        elif kind in info and value is not None:
            info[kind].add(str(value))
    nodes = {}
    for iri, info in sorted(raw.items()):
        labels = sorted(info["prefLabel"]) or sorted(info["label"]) or [iri]
        nodes[iri] = {
            "label": labels[0],
            "type": min(info["type"], default=""),
            "collaboration": info["collaboration"],
            "provinces": sorted(info["province"]),
            "province_codes": sorted(info["code"]),
            "sectors": sorted(info["sector"]),
        }
    return nodes


def _fallback(iri: str) -> dict[str, Any]:
    return {
        "label": iri,
        "type": "",
        "collaboration": False,
        "provinces": [],
        "province_codes": [],
        "sectors": [],
    }


# --------------------------------------------------------------------------- memberships


@dataclass
class _Membership:
    start: int | None = None
    end: int | None = None
    confident: bool = False
    confidence: float | None = None
    documents: dict[str, int | None] = field(default_factory=dict)
    evidence: set[tuple[str, int, str]] = field(default_factory=set)

    def span(self) -> tuple[int | None, ...]:
        return _span(self.start, self.end, (y for y in self.documents.values() if y is not None))


def _memberships(store: ox.Store, min_confidence: float) -> dict[tuple[str, str], _Membership]:
    """``(member, collaboration) -> membership`` from ``bipartite.rq``, all of them.

    ``confident`` says whether it passes ``min_confidence``: an org:Membership node with
    that confidence, or (only when ``min_confidence`` is 0) org:hasMember alone.
    ``documents`` and ``evidence`` come from the confident membership nodes.
    """
    found: dict[tuple[str, str], _Membership] = {}
    starts: dict[str, int] = {}
    ends: dict[str, int] = {}
    nodes: list[dict[str, Any]] = []
    for row in rows(store, "bipartite"):
        kind = row["kind"]
        if kind == "member":
            m = found[(row["member"], row["collaboration"])] = _Membership()
            m.confident = min_confidence <= 0
        elif kind == "membership":
            nodes.append(row)
        elif row["year"] is not None:
            year, dates = int(row["year"]), starts if kind == "start" else ends
            collaboration = row["collaboration"]
            dates[collaboration] = (min if kind == "start" else max)(
                year, dates.get(collaboration, year)
            )
    for (_, collaboration), m in found.items():
        m.start, m.end = starts.get(collaboration), ends.get(collaboration)
    for row in nodes:
        m = found.get((row["member"], row["collaboration"]))
        if m is None or not confident(row["confidence"], min_confidence):
            continue  # a person, or not a collaboration
        m.confident = True
        if row["confidence"] is not None:
            m.confidence = max(m.confidence or 0.0, float(row["confidence"]))
        document = row["document"]
        if document is not None:
            m.documents[document] = to_int(row["document_year"])
        if row["sentence"] is not None:
            start = to_int(row["char_start"])
            m.evidence.add((document or "", -1 if start is None else start, row["sentence"]))
    return found


# --------------------------------------------------------------------------- projections


@dataclass
class _Tie:
    """A tie between two organisations through one collaboration."""

    start: int | None
    end: int | None
    documents: dict[str, int | None] = field(default_factory=dict)
    evidence: set[tuple[str, int, str]] = field(default_factory=set)


def _ties(
    memberships: dict[tuple[str, str], _Membership],
) -> dict[tuple[str, str, str], _Tie]:
    """``(a, b, collaboration) -> tie`` for every pair ``a < b`` of confident members of a
    collaboration, with the documents and evidence of both memberships."""
    members: dict[str, list[str]] = {}
    for (member, collaboration), m in memberships.items():
        if m.confident:
            members.setdefault(collaboration, []).append(member)
    ties: dict[tuple[str, str, str], _Tie] = {}
    for collaboration, group in members.items():
        group.sort()
        for i, a in enumerate(group):
            ma = memberships[(a, collaboration)]
            for b in group[i + 1 :]:
                mb = memberships[(b, collaboration)]
                ties[(a, b, collaboration)] = _Tie(
                    ma.start,
                    ma.end,
                    {**ma.documents, **mb.documents},
                    ma.evidence | mb.evidence,
                )
    return ties


def org_network(
    store: ox.Store,
    *,
    since: int | None = None,
    until: int | None = None,
    min_confidence: float = 0.0,
) -> nx.Graph:
    """The organisation-organisation network: a tie for every shared collaboration.

    Nodes are the organisations that are a member of at least one collaboration (a
    collaboration is a node only when it is itself a member of another collaboration),
    with the attributes of :func:`node_attributes`: ``label``, ``type``,
    ``collaboration``, ``provinces``, ``province_codes``, ``sectors``.

    Two organisations are tied when they are members of the same collaboration. Edge
    attributes:

    ``weight``
        the number of distinct collaborations both are members of (the tie strength of
        the one-mode projection of the organisation-collaboration graph; a collaboration
        with *k* members adds 1 to each of its k(k-1)/2 ties, whatever *k*).
    ``documents``
        the number of distinct documents whose sentences evidence the membership of
        either organisation in a shared collaboration.
    ``collaborations``
        the sorted labels of the shared collaborations.
    ``first_year``, ``last_year``
        the earliest and latest year over the shared collaborations, each spanning from
        its ``schema:startDate`` (else the earliest document date) to its
        ``schema:endDate`` (else the latest document date); ``None`` when unknown.
    ``evidence``
        up to three ``{"text": sentence, "document": identifier}`` dicts, ordered by
        document identifier, then character offset, then text.

    ``since``/``until`` (years, inclusive) filter the ties *per shared collaboration*:
    a tie keeps the collaborations whose span overlaps the window, and disappears when
    none does; ``min_confidence`` applies to both memberships (see the module docstring).
    The window and threshold are kept in ``G.graph``.
    """
    return _org_graph(_read(store, since, until, min_confidence))


@dataclass
class _Reading:
    """What the projections are made from: the node attributes and memberships read from
    the store, and the window and confidence threshold that filter them."""

    info: dict[str, dict[str, Any]]
    memberships: dict[tuple[str, str], _Membership]
    since: int | None
    until: int | None
    min_confidence: float


def _read(
    store: ox.Store, since: int | None, until: int | None, min_confidence: float
) -> _Reading:
    _check_window(since, until)
    memberships = _memberships(store, min_confidence)
    return _Reading(node_attributes(store), memberships, since, until, min_confidence)


def _org_graph(reading: _Reading) -> nx.Graph:
    info, memberships = reading.info, reading.memberships
    since, until, min_confidence = reading.since, reading.until, reading.min_confidence
    graph = nx.Graph(
        projection="organisations", since=since, until=until, min_confidence=min_confidence
    )
    members = sorted(
        member
        for (member, _), m in memberships.items()
        if m.confident and _overlaps(*m.span(), since, until)
    )
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for (a, b, collaboration), tie in sorted(_ties(memberships).items()):
        first, last = _span(
            tie.start, tie.end, (y for y in tie.documents.values() if y is not None)
        )
        if not _overlaps(first, last, since, until):
            continue
        edge = edges.setdefault(
            (a, b), {"collaborations": {}, "documents": set(), "years": set(), "evidence": set()}
        )
        edge["collaborations"][collaboration] = (
            info.get(collaboration) or _fallback(collaboration)
        )["label"]
        edge["documents"].update(tie.documents)
        edge["years"].update(y for y in (first, last) if y is not None)
        edge["evidence"].update(tie.evidence)
    for node in sorted(set(members) | {n for pair in edges for n in pair}):
        graph.add_node(node, **dict(info.get(node) or _fallback(node)))
    for (a, b), edge in edges.items():
        evidence: list[dict[str, str]] = []
        for document, _, text in sorted(edge["evidence"]):
            item = {"text": text, "document": document}
            if item not in evidence:
                evidence.append(item)
        graph.add_edge(
            a,
            b,
            weight=len(edge["collaborations"]),
            documents=len(edge["documents"]),
            collaborations=sorted(edge["collaborations"].values()),
            first_year=min(edge["years"], default=None),
            last_year=max(edge["years"], default=None),
            evidence=evidence[:MAX_EVIDENCE],
        )
    return graph


def bipartite_network(
    store: ox.Store,
    *,
    since: int | None = None,
    until: int | None = None,
    min_confidence: float = 0.0,
) -> nx.Graph:
    """The two-mode organisation-collaboration network.

    Nodes have ``bipartite`` 0 (organisation) or 1 (collaboration) and the attributes of
    :func:`node_attributes` (``label``, ``type``, ...). An edge is a membership, with
    ``confidence`` (the highest ``rg:confidence`` of its membership nodes, ``None`` when
    there is none), ``documents`` (number of evidencing documents) and ``first_year`` /
    ``last_year``; ``since``, ``until`` and ``min_confidence`` filter memberships as in
    :func:`org_network`.

    A collaboration that is itself a member of another collaboration stays a
    ``bipartite=1`` node and that membership is left out, so the graph stays bipartite;
    the left-out pairs are listed in ``G.graph["nested"]`` as ``(member, collaboration)``.
    """
    return _bipartite_graph(_read(store, since, until, min_confidence))


def _bipartite_graph(reading: _Reading) -> nx.Graph:
    info, memberships = reading.info, reading.memberships
    since, until, min_confidence = reading.since, reading.until, reading.min_confidence
    kept = {
        key: m
        for key, m in sorted(memberships.items())
        if m.confident and _overlaps(*m.span(), since, until)
    }
    collaborations = {c for _, c in kept}
    graph = nx.Graph(
        projection="bipartite", since=since, until=until, min_confidence=min_confidence, nested=[]
    )
    for node in sorted({m for m, _ in kept} | collaborations):
        part = 1 if node in collaborations or (info.get(node) or {}).get("collaboration") else 0
        graph.add_node(node, bipartite=part, **dict(info.get(node) or _fallback(node)))
    for (member, collaboration), m in kept.items():
        if graph.nodes[member]["bipartite"] == 1:
            graph.graph["nested"].append((member, collaboration))
            continue
        first, last = m.span()
        graph.add_edge(
            member,
            collaboration,
            confidence=m.confidence,
            documents=len(m.documents),
            first_year=first,
            last_year=last,
        )
    return graph


def networks(
    store: ox.Store,
    *,
    since: int | None = None,
    until: int | None = None,
    min_confidence: float = 0.0,
) -> tuple[nx.Graph, nx.Graph]:
    """``(org_network(store, ...), bipartite_network(store, ...))`` from one reading of the
    store (both are made from the same node attributes and memberships)."""
    reading = _read(store, since, until, min_confidence)
    return _org_graph(reading), _bipartite_graph(reading)


def time_slices(
    store: ox.Store, years: Iterable[int], *, min_confidence: float = 0.0
) -> dict[int, nx.Graph]:
    """One :func:`org_network` per year: ``{year: org_network(since=year, until=year)}``."""
    return {
        year: org_network(store, since=year, until=year, min_confidence=min_confidence)
        for year in sorted(set(years))
    }
