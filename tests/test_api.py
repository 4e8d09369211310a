"""The Python API on the demo build: every method, and parameter binding."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from rdflib import Dataset, URIRef

import regiograph
from regiograph.api import Profile, to_term
from regiograph.errors import UsageError


@pytest.fixture(scope="module")
def g(corpus_build: Path) -> regiograph.api.RegioGraph:
    return regiograph.open(corpus_build)


def test_sparql_returns_typed_columns(g):
    frame = g.sparql("SELECT ?d ?id ?date WHERE { ?d dcterms:identifier ?id ; "
                     "dcterms:date ?date } ORDER BY ?id LIMIT 2")
    assert list(frame.columns) == ["d", "id", "date"]
    assert frame["id"].tolist() == ["02_onderwijsakkoord-fryslan.txt",
                                    "05_fries-bestuursakkoord-waterketen.txt"]
    assert all(isinstance(v, date) for v in frame["date"])


def test_sparql_binds_a_value_with_quotes_and_braces_as_one_literal(g):
    value = 'Stichting "Samen}Sterk" } ; DROP ALL ; #'
    frame = g.sparql("SELECT ?name ?o WHERE { ?o skos:prefLabel ?l . FILTER(STR(?l) = ?name) }",
                     name=value)
    assert len(frame) == 0
    count = g.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s a org:Membership }")
    assert count["n"][0] > 50  # nothing was dropped


def test_sparql_binds_numbers_dates_and_iris(g):
    frame = g.sparql("SELECT ?org ?label WHERE { ?org skos:prefLabel ?label }",
                     org=URIRef("https://w3id.org/regiograph/id/org/drenthe-college"))
    assert frame["label"].tolist() == ["Drenthe College"]
    frame = g.sparql("SELECT ?n WHERE { BIND(?n + 1 AS ?m) }", n=41)
    assert frame["n"].tolist() == [41]
    assert str(to_term(date(2023, 3, 13))) == '"2023-03-13"^^<http://www.w3.org/2001/XMLSchema#date>'
    with pytest.raises(UsageError, match="cannot bind a list"):
        to_term([1])


def test_saved_query_with_a_parameter(g):
    frame = g.query("03_partners_of", name="NHL Stenden")
    assert "Rijksuniversiteit Groningen" in frame["partner_label"].tolist()
    assert set(frame["name"]) == {"NHL Stenden"}
    assert len(g.queries()) == len(list(Path(regiograph.__file__).parent.glob(
        "resources/queries/*.rq")))


def test_networks(g):
    orgs = g.network()
    assert isinstance(orgs, nx.Graph)
    nhl = "https://w3id.org/regiograph/id/org/nhl-stenden-hogeschool"
    assert orgs.nodes[nhl]["type"] == "education"
    bipartite = g.network("bipartite")
    assert {d["bipartite"] for _, d in bipartite.nodes(data=True)} == {0, 1}
    persons = g.network("persons")
    assert any(d["kind"] == "person" for _, d in persons.nodes(data=True))
    with pytest.raises(UsageError, match="unknown network kind"):
        g.network("people")


def test_metrics_frame(g):
    frame = g.metrics()
    assert {"label", "type", "degree", "betweenness", "pagerank", "community"} <= set(frame)
    assert frame["label"].iloc[0] in {"NHL Stenden Hogeschool", "Rijksuniversiteit Groningen"}


def test_organisation_profile_with_evidence(g):
    profile = g.organisation("drenthe college")
    assert isinstance(profile, Profile)
    assert (profile.label, profile.types) == ("Drenthe College", ["education"])
    assert "Silvester Koehoorn" in profile.people["person"].tolist()
    assert len(profile.collaborations) == 4
    assert any("Werkplein Drentsche Aa" in s for s in profile.evidence["sentence"])
    page = profile._repr_html_()
    assert "<h3>Drenthe College</h3>" in page
    with pytest.raises(UsageError, match="no organisation called"):
        g.organisation("Nergens BV")


def test_evidence_for_a_tie(g):
    frame = g.evidence("NHL Stenden", "Firda")
    assert frame["document"].tolist() == ["02_onderwijsakkoord-fryslan.txt"] * len(frame)
    assert any("Firda" in s for s in frame["sentence"])
    assert set(frame["collaboration"]) == {"Onderwijsakkoord Fryslân"}


def test_rdflib_dataset(g):
    ds = g.rdflib
    assert isinstance(ds, Dataset)
    assert len(list(ds.graphs())) > 17


def test_dataframes_are_pandas(g):
    assert isinstance(g.query("13_organisations_per_type"), pd.DataFrame)
