"""``regiograph serve``: the SPARQL 1.1 Protocol endpoint, entity pages, update, timeout,
row cap and CORS, against real uvicorn servers on 127.0.0.1 (a free port each), with
SPARQLWrapper and httpx as clients. The browser tests are in ``test_web_browser.py``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from xml.dom.minidom import Document

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, Unauthorized

from regiograph.errors import StoreError, UsageError
from regiograph.pipeline import build
from regiograph.query import prepare
from regiograph.query import run as run_local
from regiograph.serve import create_app, running
from regiograph.store import open_store
from regiograph.web.sparql import negotiate, parse_accept

ROOT = Path(__file__).resolve().parents[1]
ORG = "https://w3id.org/regiograph/id/org/"
NHL = ORG + "nhl-stenden-hogeschool"
LABELS = ("SELECT ?org ?label WHERE { ?org a org:FormalOrganization ; skos:prefLabel ?label } "
          "ORDER BY ?label LIMIT 5")
CONSTRUCT = ("CONSTRUCT { ?org skos:prefLabel ?label } WHERE { ?org a org:FormalOrganization ; "
             "skos:prefLabel ?label }")
ASK = "ASK { ?o a org:OrganizationalCollaboration }"
# Counting a cross product of the municipalities twice and the memberships: ~2e7 solutions,
# a few seconds for pyoxigraph, all of it before the first (and only) solution.
pytestmark = pytest.mark.filterwarnings(
    # SPARQLWrapper and rdflib's JSON-LD parser still use rdflib's ConjunctiveGraph
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { ?a a rg:Municipality . ?b a rg:Municipality . "
        "?m a org:Membership }")
# The same cross product without aggregation streams: the worker can stop it.
STREAMING = ("SELECT * WHERE { ?a a rg:Municipality . ?b a rg:Municipality . "
             "?c a rg:Municipality }")


@pytest.fixture(scope="module")
def server(corpus_build: Path):
    with running(create_app(corpus_build)) as url:
        yield url


@pytest.fixture(scope="module")
def client(server: str):
    with httpx.Client(base_url=server, timeout=60) as c:
        yield c


def sparqlwrapper(server: str, query: str, fmt: str) -> SPARQLWrapper:
    sw = SPARQLWrapper(server + "/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    return sw


def local_rows(corpus_build: Path, query: str) -> list[tuple]:
    return run_local(open_store(corpus_build), query).rows


# --------------------------------------------------------------------------- formats


def test_select_in_every_result_format_through_sparqlwrapper(server, corpus_build):
    expected = [(org, label) for org, label in local_rows(corpus_build, LABELS)]
    assert len(expected) == 5

    doc = sparqlwrapper(server, LABELS, JSON).queryAndConvert()
    assert doc["head"]["vars"] == ["org", "label"]
    got = [(b["org"]["value"], b["label"]["value"]) for b in doc["results"]["bindings"]]
    assert got == expected
    assert doc["results"]["bindings"][0]["org"]["type"] == "uri"

    xml = sparqlwrapper(server, LABELS, XML).queryAndConvert()
    assert isinstance(xml, Document)
    results = xml.getElementsByTagName("result")
    got = [(r.getElementsByTagName("uri")[0].firstChild.data,
            r.getElementsByTagName("literal")[0].firstChild.data) for r in results]
    assert got == expected

    raw = sparqlwrapper(server, LABELS, CSV).queryAndConvert()
    table = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert table[0] == ["org", "label"]
    assert [tuple(r) for r in table[1:]] == expected

    raw = sparqlwrapper(server, LABELS, TSV).queryAndConvert().decode("utf-8")
    lines = raw.rstrip("\n").split("\n")
    assert lines[0] == "?org\t?label"
    assert lines[1].split("\t") == [f"<{expected[0][0]}>", f'"{expected[0][1]}"']


def test_ask_in_every_result_format(server):
    assert sparqlwrapper(server, ASK, JSON).queryAndConvert()["boolean"] is True
    xml = sparqlwrapper(server, ASK, XML).queryAndConvert()
    assert xml.getElementsByTagName("boolean")[0].firstChild.data == "true"
    assert sparqlwrapper(server, ASK, CSV).queryAndConvert().split() == [b"_askResult", b"true"]
    assert sparqlwrapper(server, ASK, TSV).queryAndConvert().split() == [b"?_askResult", b"true"]
    false = "ASK { ?o a <https://example.org/Nothing> }"
    assert sparqlwrapper(server, false, JSON).queryAndConvert()["boolean"] is False


def test_construct_and_describe_in_every_graph_format(server, client, corpus_build):
    expected = {tuple(line.split(" ", 2)) for line in
                run_local(open_store(corpus_build), CONSTRUCT).triples.splitlines()}
    n = len(expected)
    assert n > 40

    turtle = sparqlwrapper(server, CONSTRUCT, TURTLE).queryAndConvert()
    assert len(list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))) == n
    n3 = sparqlwrapper(server, CONSTRUCT, N3).queryAndConvert()
    assert len(Graph().parse(data=n3, format="n3")) == n
    jsonld = sparqlwrapper(server, CONSTRUCT, JSONLD).queryAndConvert()
    assert isinstance(jsonld, Graph) and len(jsonld) == n
    rdfxml = sparqlwrapper(server, CONSTRUCT, RDFXML).queryAndConvert()
    assert isinstance(rdfxml, Graph) and len(rdfxml) == n
    nt = client.post("/sparql", data={"query": CONSTRUCT},
                     headers={"Accept": "application/n-triples"})
    assert nt.headers["content-type"].startswith("application/n-triples")
    assert len(nt.text.strip().splitlines()) == n

    describe = client.get("/sparql", params={"query": f"DESCRIBE <{NHL}>"},
                          headers={"Accept": "text/turtle"})
    assert describe.status_code == 200
    triples = [q.triple for q in ox.parse(describe.content, format=ox.RdfFormat.TURTLE)]
    assert any(t.subject == ox.NamedNode(NHL) for t in triples)


def test_get_post_form_and_direct_body_give_the_same_answer(client):
    headers = {"Accept": "application/sparql-results+json"}
    get = client.get("/sparql", params={"query": LABELS}, headers=headers)
    form = client.post("/sparql", data={"query": LABELS}, headers=headers)
    direct = client.post("/sparql", content=LABELS.encode(), headers={
        **headers, "Content-Type": "application/sparql-query"})
    assert get.status_code == form.status_code == direct.status_code == 200
    assert get.json() == form.json() == direct.json()
    assert get.headers["content-type"] == "application/sparql-results+json"
    assert get.headers["vary"] == "Accept"


def test_content_negotiation(client):
    def media(accept: str | None, **params) -> str:
        headers = {"Accept": accept} if accept is not None else {}
        answer = client.get("/sparql", params={"query": LABELS, **params}, headers=headers)
        assert answer.status_code == 200, answer.text
        return answer.headers["content-type"].split(";")[0]

    assert media(None) == "application/sparql-results+json"
    assert media("*/*") == "application/sparql-results+json"
    assert media("text/csv;q=0.5, application/sparql-results+xml") == \
        "application/sparql-results+xml"
    assert media("text/*") == "text/csv"
    assert media("application/json") == "application/sparql-results+json"
    assert media("text/html, */*;q=0.1") == "application/sparql-results+json"
    assert media("text/csv", format="tsv") == "text/tab-separated-values"
    refused = client.get("/sparql", params={"query": LABELS}, headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert "text/csv" in refused.text
    graph = client.get("/sparql", params={"query": CONSTRUCT}, headers={
        "Accept": "application/ld+json;q=0.9, text/turtle"})
    assert graph.headers["content-type"].startswith("text/turtle")


def test_accept_parsing():
    assert parse_accept("a/b;q=0.2, c/d, */*;q=0.1") == [("c/d", 1.0), ("a/b", 0.2),
                                                         ("*/*", 0.1)]
    assert negotiate("text/csv;q=0, */*", ["text/csv", "text/x"]) == "text/x"
    assert negotiate("", ["a/b"]) == "a/b"
    assert negotiate("x/y", ["a/b"]) is None


def test_protocol_errors(client):
    bad = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert bad.status_code == 400
    assert bad.text.startswith("SPARQL syntax error")
    assert client.get("/sparql").status_code == 400
    assert client.get("/sparql", headers={"Accept": "text/html"},
                      follow_redirects=False).status_code == 303
    both = client.post("/sparql", data={"query": ASK, "update": "CLEAR ALL"})
    assert both.status_code == 400
    twice = client.get("/sparql", params=[("query", ASK), ("query", ASK)])
    assert twice.status_code == 400
    huge = client.post("/sparql", content=b"#" * 1_000_001,
                       headers={"Content-Type": "application/sparql-query"})
    assert huge.status_code == 413
    wrong_type = client.post("/sparql", content=b"x", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415
    assert client.get("/sparql", params={"update": "CLEAR ALL"}).status_code == 405
    service = client.get("/sparql", params={
        "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
    assert service.status_code == 400
    assert "SERVICE" in service.text
    assert client.get("/sparql", params={"query": ASK, "default-graph-uri": "not an iri"}
                      ).status_code == 400
    wrapper = SPARQLWrapper(str(client.base_url) + "/sparql")
    wrapper.setQuery("SELECT * WHERE { ?s ?p }")
    wrapper.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed):
        wrapper.query()


def test_default_and_named_graph_parameters(client):
    reference = "https://w3id.org/regiograph/graph/reference"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a org:Membership }"
    everything = client.get("/sparql", params={"query": count}).json()
    only_reference = client.get("/sparql", params={"query": count,
                                                   "default-graph-uri": reference}).json()
    assert int(everything["results"]["bindings"][0]["n"]["value"]) > 50
    assert int(only_reference["results"]["bindings"][0]["n"]["value"]) == 0
    graphs = client.get("/sparql", params={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        "named-graph-uri": reference}).json()
    assert [b["g"]["value"] for b in graphs["results"]["bindings"]] == [reference]


# --------------------------------------------------------------------------- update


def test_update_is_refused_by_default(client, server):
    insert = "INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }"
    assert client.post("/sparql", data={"update": insert}).status_code == 403
    direct = client.post("/sparql", content=insert.encode(),
                         headers={"Content-Type": "application/sparql-update"})
    assert direct.status_code == 403
    assert "read-only" in direct.text
    wrapper = SPARQLWrapper(server + "/sparql")
    wrapper.setMethod("POST")
    wrapper.setQuery(insert)
    with pytest.raises(Exception, match="403"):
        wrapper.query()
    # sent as a query, an update is a syntax error
    assert client.get("/sparql", params={"query": insert}).status_code == 400
    asked = client.get("/sparql", params={"query": "ASK { <https://example.org/a> ?p ?o }"})
    assert asked.json()["boolean"] is False


def test_update_with_allow_update_and_a_token(corpus_build, tmp_path):
    with pytest.raises(UsageError, match="token"):
        create_app(corpus_build, allow_update=True)
    copy = tmp_path / "build"
    shutil.copytree(corpus_build, copy)
    insert = "INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }"
    with running(create_app(copy, allow_update=True, token="s3cret")) as url, \
            httpx.Client(base_url=url, timeout=60) as c:
        missing = c.post("/sparql", data={"update": insert})
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"].startswith("Bearer")
        wrong = c.post("/sparql", data={"update": insert},
                       headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        ok = c.post("/sparql", content=insert.encode(), headers={
            "Authorization": "Bearer s3cret", "Content-Type": "application/sparql-update"})
        assert ok.status_code == 200, ok.text
        asked = c.get("/sparql", params={"query": "ASK { <https://example.org/a> ?p 1 }"})
        assert asked.json()["boolean"] is True
        load = c.post("/sparql", data={"update": "LOAD <http://127.0.0.1:9/x>"},
                      headers={"Authorization": "Bearer s3cret"})
        assert load.status_code == 400
        wrapper = SPARQLWrapper(url + "/sparql")
        wrapper.setMethod("POST")
        wrapper.setQuery("DELETE DATA { <https://example.org/a> <https://example.org/b> 1 }")
        with pytest.raises(Unauthorized):
            wrapper.query()
        wrapper.addCustomHttpHeader("Authorization", "Bearer s3cret")
        wrapper.query()
        asked = c.get("/sparql", params={"query": "ASK { <https://example.org/a> ?p 1 }"})
        assert asked.json()["boolean"] is False
    # the original build was not touched
    assert not run_local(open_store(corpus_build), "ASK { <https://example.org/a> ?p ?o }"
                         ).boolean


# --------------------------------------------------------------------------- limits


def test_timeout_is_enforced_and_runaway_queries_cannot_pile_up(corpus_build):
    app = create_app(corpus_build, timeout=0.3, workers=1)
    runner = app.state.rg.runner
    with running(app) as url, httpx.Client(base_url=url, timeout=60) as c:
        started = time.monotonic()
        slow = c.get("/sparql", params={"query": SLOW})
        assert slow.status_code == 503
        assert time.monotonic() - started < 2.5
        assert "timeout" in slow.text
        assert slow.headers["retry-after"] == "1"
        if runner.running:  # the slow query still holds the only worker: no new thread
            busy = c.get("/sparql", params={"query": ASK})
            assert busy.status_code == 503
            assert "busy" in busy.text
        deadline = time.monotonic() + 120
        while runner.running and time.monotonic() < deadline:
            time.sleep(0.1)
        assert c.get("/sparql", params={"query": ASK}).json()["boolean"] is True
        # a streaming query is stopped at its next solution once the request gave up
        streaming = c.get("/sparql", params={"query": STREAMING, "format": "json"})
        assert streaming.status_code in (200, 503)


def test_streaming_query_stops_after_the_timeout(corpus_build):
    app = create_app(corpus_build, timeout=0.3, max_rows=10**9, workers=2)
    runner = app.state.rg.runner
    with running(app) as url, httpx.Client(base_url=url, timeout=60) as c:
        answer = c.get("/sparql", params={"query": STREAMING})
        assert answer.status_code == 503
        deadline = time.monotonic() + 5
        while runner.running and time.monotonic() < deadline:
            time.sleep(0.05)
        assert runner.running == 0  # cancelled between solutions, not run to its end


def test_result_cap(corpus_build):
    with running(create_app(corpus_build, max_rows=3)) as url, \
            httpx.Client(base_url=url, timeout=60) as c:
        capped = c.get("/sparql", params={"query": LABELS})
        assert capped.headers["x-regiograph-truncated"] == "true"
        assert capped.headers["x-regiograph-rows"] == "3"
        assert len(capped.json()["results"]["bindings"]) == 3
        small = c.get("/sparql", params={"query": LABELS.replace("LIMIT 5", "LIMIT 2")})
        assert "x-regiograph-truncated" not in small.headers
        assert len(small.json()["results"]["bindings"]) == 2
        graph = c.get("/sparql", params={"query": CONSTRUCT},
                      headers={"Accept": "application/n-triples"})
        assert graph.headers["x-regiograph-truncated"] == "true"
        assert len(graph.text.strip().splitlines()) == 3
        as_csv = c.get("/sparql", params={"query": LABELS}, headers={"Accept": "text/csv"})
        assert len(as_csv.text.strip().splitlines()) == 1 + 3


# --------------------------------------------------------------------------- pages


def test_entity_page_of_an_organisation(client):
    page = client.get("/id/org/nhl-stenden-hogeschool")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src" not in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    text = page.text
    assert "<h1>NHL Stenden Hogeschool</h1>" in text
    assert "NHL Stenden" in text  # alternative label
    assert 'href="/id/place/GM0080"' in text  # based in Leeuwarden
    assert 'href="/id/org/alliantie-van-drachten"' in text  # a collaboration
    assert 'href="/id/person/marc-otto"' in text  # people and roles
    assert "lid van het College van Bestuur" in text
    assert "De zeven deelnemers aan De Alliantie" in text  # evidence
    assert 'href="/id/doc/000-fecb80c606021118-txt#ev-' in text  # evidence -> document


def test_document_person_and_place_pages(client):
    doc = client.get("/id/doc/000-fecb80c606021118-txt")
    assert doc.status_code == 200
    assert "De Alliantie van Drachten" in doc.text
    assert "000_fecb80c606021118.txt" in doc.text
    assert 'id="ev-' in doc.text and "De zeven deelnemers" in doc.text
    sourced = client.get("/sparql", params={
        "query": "SELECT ?d ?u WHERE { ?d schema:url ?u } ORDER BY ?d LIMIT 1"}).json()
    binding = sourced["results"]["bindings"][0]
    path = binding["d"]["value"].replace("https://w3id.org/regiograph", "")
    page = client.get(path).text
    assert f'href="{binding["u"]["value"]}"' in page  # the source address, as a link
    person = client.get("/id/person/marc-otto")
    assert person.status_code == 200 and "Marc Otto" in person.text
    assert 'href="/id/org/nhl-stenden-hogeschool"' in person.text
    place = client.get("/id/place/GM0080")
    assert place.status_code == 200 and "Leeuwarden" in place.text
    listing = client.get("/id/org/")
    assert listing.status_code == 200
    assert 'href="/id/org/nhl-stenden-hogeschool"' in listing.text
    assert client.get("/id/org", follow_redirects=False).status_code == 301
    assert client.get("/id/org/nobody-at-all").status_code == 404
    assert client.get("/id/thing/x").status_code == 404
    assert client.get("/id/org/..%2Fx").status_code == 404


def test_entity_triples_by_content_negotiation(client):
    turtle = client.get("/id/org/nhl-stenden-hogeschool", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert turtle.headers["vary"] == "Accept"
    triples = [q.triple for q in ox.parse(turtle.content, format=ox.RdfFormat.TURTLE)]
    nhl = ox.NamedNode(NHL)
    assert ox.Triple(nhl, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                     ox.NamedNode("http://www.w3.org/ns/org#FormalOrganization")) in triples
    assert any(t.object == nhl for t in triples)  # memberships pointing at it
    nt = client.get("/id/org/nhl-stenden-hogeschool", headers={"Accept": "application/n-triples"})
    assert len(nt.text.strip().splitlines()) == len(triples)
    jsonld = client.get("/id/org/nhl-stenden-hogeschool",
                        headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == len(triples)
    by_param = client.get("/id/org/nhl-stenden-hogeschool?format=ttl")
    assert by_param.headers["content-type"].startswith("text/turtle")
    browser = client.get("/id/org/nhl-stenden-hogeschool", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert browser.headers["content-type"].startswith("text/html")
    assert client.get("/id/org/nhl-stenden-hogeschool",
                      headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/id/org/nobody-at-all", headers={"Accept": "text/turtle"}
                      ).status_code == 404


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> Path:
    """A build of one document whose title and evidence sentences hold HTML."""
    corpus = tmp_path_factory.mktemp("hostile-corpus")
    (corpus / "01_hostile.txt").write_text(
        'Samenwerking <script>alert("title")</script> in Drenthe\n\n'
        "De gemeente Emmen, Drenthe College en NHL Stenden hebben de Alliantie Campus Emmen "
        '<script>alert("evidence")</script> opgericht om samen te werken aan onderwijs.\n'
        "Wethouder Guido Rink van de gemeente Emmen is blij met de samenwerking "
        "<img src=x onerror=alert(1)>.\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("hostile") / "build"
    build([corpus], out)
    return out


def hostile_paths(client: httpx.Client) -> tuple[str, str]:
    found = client.get("/sparql", params={"query": (
        "SELECT ?doc ?org WHERE { ?ev schema:text ?t ; schema:isPartOf ?doc . "
        "FILTER(CONTAINS(?t, '<script>')) ?m prov:wasDerivedFrom ?ev ; org:member ?org } "
        "LIMIT 1")}).json()["results"]["bindings"]
    assert found, "the hostile evidence sentence was not extracted"
    strip = "https://w3id.org/regiograph"
    return found[0]["doc"]["value"].replace(strip, ""), found[0]["org"]["value"].replace(strip,
                                                                                         "")


def test_document_text_is_escaped_on_every_page(hostile_build):
    with running(create_app(hostile_build)) as url, httpx.Client(base_url=url, timeout=60) as c:
        doc_path, org_path = hostile_paths(c)
        for path in (doc_path, org_path, "/id/doc/", "/id/org/"):
            page = c.get(path)
            assert page.status_code == 200, path
            assert "<script>alert" not in page.text, path
            assert "<img src=x" not in page.text, path
            assert "default-src 'none'" in page.headers["content-security-policy"]
        doc = c.get(doc_path).text
        assert "&lt;script&gt;alert(&quot;evidence&quot;)&lt;/script&gt;" in doc
        assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in doc
        assert "&lt;script&gt;alert(&quot;evidence&quot;)" in c.get(org_path).text


def test_cors_is_off_by_default_and_on_with_cors(server, corpus_build):
    origin = {"Origin": "https://example.org"}
    plain = httpx.get(server + "/sparql", params={"query": ASK}, headers=origin)
    assert "access-control-allow-origin" not in plain.headers
    preflight = httpx.options(server + "/sparql", headers={
        **origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    with running(create_app(corpus_build, cors=True)) as url:
        answer = httpx.get(url + "/sparql", params={"query": ASK}, headers=origin)
        assert answer.headers["access-control-allow-origin"] == "*"
        assert "X-Regiograph-Truncated" in answer.headers["access-control-expose-headers"]
        preflight = httpx.options(url + "/sparql", headers={
            **origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        assert preflight.status_code == 200
        assert "POST" in preflight.headers["access-control-allow-methods"]


def test_editor_page_and_its_assets(client):
    page = client.get("/")
    assert page.status_code == 200
    assert 'src="/static/vendor/yasgui.min.js"' in page.text
    assert 'data-name="03_partners_of"' in page.text
    assert "https://" not in page.text.split("<script")[0].replace(
        "https://w3id.org/regiograph", "")  # nothing from a CDN
    for asset in ("/static/vendor/yasgui.min.js", "/static/vendor/yasgui.min.css",
                  "/static/editor.js", "/static/regiograph.css",
                  "/static/vendor/YASGUI-LICENSE.txt"):
        answer = client.get(asset)
        assert answer.status_code == 200, asset
    assert len(client.get("/static/vendor/yasgui.min.js").content) > 500_000
    names = [q["name"] for q in client.get("/api/queries").json()]
    assert "03_partners_of" in names
    assert client.get("/api/prefixes").json()["rgo"] == ORG


def test_saved_query_text_with_bound_parameters(client):
    value = 'x" } ; DROP ALL ; #'
    answer = client.get("/api/queries/03_partners_of", params={"name": value})
    assert answer.status_code == 200
    text = answer.json()["query"]
    assert 'VALUES ?name { "x\\" } ; DROP ALL ; #" }' in text
    rows = client.post("/sparql", data={"query": text}).json()["results"]["bindings"]
    assert rows == []
    default = client.get("/api/queries/03_partners_of").json()["query"]
    rows = client.post("/sparql", data={"query": default}).json()["results"]["bindings"]
    labels = {r["partner_label"]["value"] for r in rows}
    assert "Rijksuniversiteit Groningen" in labels
    assert client.get("/api/queries/03_partners_of", params={"nope": "1"}).status_code == 400
    assert client.get("/api/queries/99_nothing").status_code == 404


def test_network_view(client):
    page = client.get("/network", params={"focus": "NHL Stenden", "depth": "1"})
    assert page.status_code == 200
    assert 'id="rg-node-count"' in page.text
    assert "NHL Stenden Hogeschool" in page.text
    assert "connect-src" not in page.headers["content-security-policy"]  # default-src 'none'
    filtered = client.get("/network", params=[("type", "education"), ("size_by", "degree")])
    assert filtered.status_code == 200
    assert client.get("/network", params={"type": "nonsense"}).status_code == 400
    assert client.get("/network", params={"depth": "x"}).status_code == 400
    assert client.get("/network", params={"focus": "Nergens BV"}).status_code == 400


def test_store_errors_at_start(tmp_path):
    with pytest.raises(StoreError):
        create_app(tmp_path / "missing")


def test_bounded_load_20_clients_by_50_queries(server):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_serve import run_load
    finally:
        sys.path.remove(str(ROOT / "bench"))
    result = run_load(server, clients=20, queries=50)
    assert result["requests"] == 1000
    assert result["errors"] == 0, result["error_examples"]
    print(f"\nload: p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
          f"{result['requests_per_second']} requests/s")


def test_serve_runs_uvicorn_in_a_process(corpus_build):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "regiograph.serve", str(corpus_build), "--port", str(port),
         "--log-level", "warning"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": ASK})
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        assert json.loads(answer.text)["boolean"] is True
    finally:
        process.terminate()
        process.wait(10)
    missing = subprocess.run(
        [sys.executable, "-m", "regiograph.serve", str(corpus_build / "nothing")],
        env=env, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1
    assert missing.stderr.startswith("Error: no graph store")


def test_remote_parameter_binding_round_trips_on_the_local_server(server, corpus_build):
    from regiograph.remote import remote_query

    text, bound, _ = prepare("03_partners_of", {"name": "NHL Stenden"})
    remote = remote_query(server + "/sparql", text, bound)
    local = run_local(open_store(corpus_build), text, bound)
    assert remote.columns == local.columns
    assert remote.rows == local.rows
