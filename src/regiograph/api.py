"""The Python API for analysts: open a build and ask it questions in a notebook.

>>> import regiograph                                    # doctest: +SKIP
>>> g = regiograph.open("build")                         # doctest: +SKIP
>>> g.query("03_partners_of", name="NHL Stenden")        # a pandas DataFrame  # doctest: +SKIP
>>> g.organisation("Drenthe College")                    # profile with evidence  # doctest: +SKIP
>>> g.evidence("NHL Stenden", "Firda")  # the sentences behind a tie  # doctest: +SKIP

Parameters are bound as RDF terms (never pasted into query text): ``str`` becomes a string
literal, ``int``/``float``/``bool``/``date`` typed literals, and ``rdflib.URIRef`` or a
string in ``<...>`` an IRI.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import URIRef

from .errors import UsageError
from .namespaces import XSD
from .query import QueryResult, load_saved_queries, prepare, run
from .store import load_dataset, open_store

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import pandas as pd
    from rdflib import Dataset

NETWORK_KINDS = ("organisations", "bipartite", "persons")


def _pandas():
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - pandas is in the notebooks/test extras
        raise UsageError("the Python API returns pandas DataFrames, but pandas is missing",
                         hint="pip install 'regiograph[notebooks]'") from exc
    return pd


def to_term(value: Any) -> ox.NamedNode | ox.Literal:
    """A Python value as an RDF term for a query parameter.

    >>> to_term(3), to_term("NHL Stenden"), to_term("<https://example.org/x>")
    (<Literal value=3 datatype=<http://www.w3.org/2001/XMLSchema#integer>>, \
<Literal value=NHL Stenden datatype=<http://www.w3.org/2001/XMLSchema#string>>, \
<NamedNode value=https://example.org/x>)
    """
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, bool):
        return ox.Literal(str(value).lower(), datatype=ox.NamedNode(str(XSD.boolean)))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(str(XSD.integer)))
    if isinstance(value, float | Decimal):
        return ox.Literal(str(value), datatype=ox.NamedNode(str(XSD.decimal)))
    if isinstance(value, datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(str(XSD.dateTime)))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(str(XSD.date)))
    if isinstance(value, str):
        if value.startswith("<") and value.endswith(">") and " " not in value:
            return ox.NamedNode(value[1:-1])
        return ox.Literal(value)
    raise UsageError(f"cannot bind a {type(value).__name__} as a query parameter",
                     hint="use str, int, float, bool, date or rdflib.URIRef")


def _frame(result: QueryResult) -> pd.DataFrame:
    pd = _pandas()
    if result.kind == "ask":
        return pd.DataFrame({"answer": [result.boolean]})
    if result.kind == "graph":
        rows = [line for line in result.triples.splitlines() if line.strip()]
        return pd.DataFrame({"triple": rows})
    return pd.DataFrame(result.rows, columns=result.columns)


@dataclass
class Profile:
    """Everything the graph says about one organisation, with the evidence."""

    iri: str
    label: str
    types: list[str]
    places: list[str]
    collaborations: pd.DataFrame
    people: pd.DataFrame
    evidence: pd.DataFrame
    aliases: list[str] = field(default_factory=list)

    def _repr_html_(self) -> str:
        esc = html.escape
        parts = [f"<h3>{esc(self.label)}</h3>",
                 f"<p><b>type</b>: {esc(', '.join(self.types) or '-')} &middot; "
                 f"<b>places</b>: {esc(', '.join(self.places) or '-')}</p>"]
        if self.aliases:
            parts.append(f"<p><b>also called</b>: {esc(', '.join(self.aliases))}</p>")
        for title, frame in (("Collaborations", self.collaborations),
                             ("People and roles", self.people), ("Evidence", self.evidence)):
            parts.append(f"<h4>{title}</h4>")
            parts.append(frame.to_html(index=False, escape=True) if len(frame) else "<p>-</p>")
        return "\n".join(parts)

    def __repr__(self) -> str:
        return (f"Profile({self.label!r}: {len(self.collaborations)} collaborations, "
                f"{len(self.people)} people, {len(self.evidence)} evidence sentences)")


_FIND = """
SELECT DISTINCT ?name ?org ?label WHERE {
  ?org rdfs:label|skos:prefLabel|skos:altLabel ?l .
  FILTER(LCASE(STR(?l)) = LCASE(?name))
  ?org org:classification ?type .
  ?org skos:prefLabel ?label .
} ORDER BY ?label
"""
_SUMMARY = """
SELECT ?org ?label ?type ?place ?alias WHERE {
  ?org skos:prefLabel ?label .
  OPTIONAL { ?org org:classification/skos:notation ?type }
  OPTIONAL { ?org (schema:areaServed|schema:location)/rdfs:label ?place }
  OPTIONAL { ?org skos:altLabel ?alias }
}
"""
_COLLABORATIONS = """
SELECT ?org ?collaboration ?collaboration_label (COUNT(DISTINCT ?partner) AS ?partners)
       (MIN(?year) AS ?since) WHERE {
  ?c org:hasMember ?org ; skos:prefLabel ?collaboration_label .
  BIND(STR(?c) AS ?collaboration)
  OPTIONAL { ?c org:hasMember ?partner . FILTER(?partner != ?org) }
  OPTIONAL { ?c schema:startDate ?start . BIND(YEAR(?start) AS ?year) }
} GROUP BY ?org ?collaboration ?collaboration_label ORDER BY ?collaboration_label
"""
_PEOPLE = """
SELECT DISTINCT ?org ?person ?role ?role_as_written WHERE {
  ?m org:organization ?org ; org:member ?p ; org:role/skos:prefLabel ?r .
  ?p foaf:name ?person .
  FILTER(LANG(?r) = "nl")
  BIND(STR(?r) AS ?role)
  OPTIONAL { ?m schema:roleName ?role_as_written }
} ORDER BY ?person ?role
"""
_EVIDENCE = """
SELECT DISTINCT ?org ?statement ?sentence ?document ?start WHERE {
  { ?m org:member ?org ; org:organization ?other . BIND("member of" AS ?kind) }
  UNION
  { ?m org:organization ?org ; org:member ?other . BIND("has member" AS ?kind) }
  ?other skos:prefLabel|foaf:name ?other_label .
  ?m prov:wasDerivedFrom ?e .
  ?e schema:text ?sentence ; rg:charStart ?start ; schema:isPartOf/dcterms:identifier ?document .
  BIND(CONCAT(?kind, " ", STR(?other_label)) AS ?statement)
} ORDER BY ?document ?start ?statement
"""
_TIE = """
SELECT DISTINCT ?a ?b ?collaboration ?sentence ?document ?start WHERE {
  ?x rdfs:label|skos:prefLabel|skos:altLabel ?la . FILTER(LCASE(STR(?la)) = LCASE(?a))
  ?y rdfs:label|skos:prefLabel|skos:altLabel ?lb . FILTER(LCASE(STR(?lb)) = LCASE(?b))
  ?c org:hasMember ?x , ?y ; skos:prefLabel ?collaboration .
  FILTER(?x != ?y)
  ?m org:organization ?c ; org:member ?who ; prov:wasDerivedFrom ?e .
  FILTER(?who = ?x || ?who = ?y)
  ?e schema:text ?sentence ; rg:charStart ?start ; schema:isPartOf/dcterms:identifier ?document .
} ORDER BY ?document ?start
"""


class RegioGraph:
    """A built stakeholder graph (the output directory of ``regiograph build``)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.store = open_store(self.directory)

    def __repr__(self) -> str:
        return f"RegioGraph({str(self.directory)!r})"

    # -- SPARQL -----------------------------------------------------------------------
    def sparql(self, query: str, /, **params: Any) -> pd.DataFrame:
        """Run a SPARQL query; keyword arguments are bound as RDF terms.

        A bound variable must appear in the SELECT clause (SPARQL SEP-0007 substitution).
        """
        bound = {ox.Variable(k): to_term(v) for k, v in params.items()}
        return _frame(run(self.store, query, bound))

    def query(self, name: str, /, **params: Any) -> pd.DataFrame:
        """Run a saved query (``regiograph queries`` lists them) with its parameters."""
        text, bound, _saved = prepare(name, {k: str(v) for k, v in params.items()})
        return _frame(run(self.store, text, bound))

    def queries(self) -> pd.DataFrame:
        """The saved queries: name, titles, question and parameters."""
        pd = _pandas()
        rows = [(s.name, s.title_en, s.title_nl, s.question,
                 ", ".join(p.name for p in s.params)) for s in load_saved_queries().values()]
        return pd.DataFrame(rows, columns=["name", "title", "titel", "question", "parameters"])

    # -- networks -----------------------------------------------------------------------
    def network(self, kind: str = "organisations", *, since: int | None = None,
                until: int | None = None) -> nx.Graph:
        """A networkx projection: ``organisations`` (tied by shared collaborations),
        ``bipartite`` (organisations and collaborations) or ``persons`` (people and the
        organisations they hold roles in)."""
        from .analyse import bipartite_network, org_network, person_network

        if kind == "organisations":
            return org_network(self.store, since=since, until=until)
        if kind == "bipartite":
            return bipartite_network(self.store, since=since, until=until)
        if kind == "persons":
            return person_network(self.store)
        raise UsageError(f"unknown network kind {kind!r}",
                         hint=f"choose one of {', '.join(NETWORK_KINDS)}")

    def metrics(self, *, since: int | None = None, until: int | None = None,
                resolution: float = 1.0) -> pd.DataFrame:
        """Centrality, brokerage and community per organisation (see ``regiograph analyse``)."""
        from .analyse import analyse

        result = analyse(self.store, since=since, until=until, resolution=resolution)
        return _pandas().DataFrame(result.metrics)

    def show(self, *, focus: str | None = None, depth: int = 1, types=None, provinces=None,
             since: int | None = None, size_by: str = "betweenness", height: int = 650):
        """The interactive network page, inline in Jupyter (an ``IPython.display.HTML``)."""
        from IPython.display import HTML

        from .visualise import page_html

        page = page_html(self, focus=focus, depth=depth, types=types, provinces=provinces,
                         since=since, size_by=size_by)
        frame = html.escape(page, quote=True)
        return HTML(f'<iframe srcdoc="{frame}" style="width:100%;height:{height}px;'
                    f'border:1px solid #ddd"></iframe>')

    # -- profiles and evidence ----------------------------------------------------------
    def _find(self, name: str) -> tuple[str, str]:
        found = run(self.store, _FIND, {ox.Variable("name"): ox.Literal(name)})
        if not found.rows:
            raise UsageError(f"no organisation called {name!r}",
                             hint="try g.query('13_organisations_per_type') or another name")
        return found.rows[0][1], found.rows[0][2]

    def organisation(self, name: str) -> Profile:
        """The profile of an organisation found by any of its names."""
        pd = _pandas()
        iri, label = self._find(name)
        org = {ox.Variable("org"): ox.NamedNode(iri)}
        summary = run(self.store, _SUMMARY, org).rows
        collaborations = _frame(run(self.store, _COLLABORATIONS, org)).drop(columns="org")
        people = _frame(run(self.store, _PEOPLE, org)).drop(columns="org")
        evidence = _frame(run(self.store, _EVIDENCE, org)).drop(columns=["org", "start"])
        return Profile(
            iri=iri, label=label,
            types=sorted({r[2] for r in summary if r[2]}),
            places=sorted({r[3] for r in summary if r[3]}),
            aliases=sorted({r[4] for r in summary if r[4]}),
            collaborations=collaborations, people=people,
            evidence=evidence if len(evidence) else pd.DataFrame(
                columns=["statement", "sentence", "document"]),
        )

    def evidence(self, a: str, b: str) -> pd.DataFrame:
        """The sentences that say organisations ``a`` and ``b`` collaborate, with documents."""
        params = {ox.Variable("a"): ox.Literal(a), ox.Variable("b"): ox.Literal(b)}
        frame = _frame(run(self.store, _TIE, params))
        return frame.drop(columns=["a", "b", "start"]).drop_duplicates(ignore_index=True)

    # -- raw RDF ------------------------------------------------------------------------
    @cached_property
    def rdflib(self) -> Dataset:
        """The whole graph as an rdflib Dataset (named graphs from ``graph.trig``)."""
        return load_dataset(self.directory)


def open(directory: str | Path = "build") -> RegioGraph:
    """Open a build directory (default ``build``) for querying."""
    return RegioGraph(directory)

