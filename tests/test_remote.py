"""Remote stores: ``push`` over the Graph Store Protocol and ``remote_query`` through
SPARQLWrapper, against a real Oxigraph server (``oxigraph serve`` from the ``oxigraph``
PyPI package, on 127.0.0.1 and a free port). Without the binary the Oxigraph tests skip,
except under CI (``CI`` set), where they fail. The parameter binding (``inline_bindings``)
and the request details of ``push`` are tested without a server.
"""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest

from regiograph.errors import QueryError
from regiograph.query import bind, prepare
from regiograph.query import run as run_local
from regiograph.remote import (
    RemoteError,
    inline_bindings,
    push,
    query_form,
    remote_query,
    with_prefixes,
)
from regiograph.store import open_store

HOSTILE = 'x" } ; DROP ALL ; #'


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """Base address of a fresh ``oxigraph serve`` on 127.0.0.1."""
    binary = oxigraph_binary()
    problem = None
    if binary is None:
        problem = "the oxigraph server binary is not installed (pip install oxigraph)"
    else:
        port = free_port()
        location = tmp_path_factory.mktemp("oxigraph")
        log = (location.parent / "oxigraph.log").open("wb")
        process = subprocess.Popen(
            [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
            stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while problem is None:
            try:
                with urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2):
                    break
            except OSError:
                if process.poll() is not None:
                    problem = f"oxigraph serve exited with code {process.returncode}"
                elif time.monotonic() > deadline:
                    problem = "oxigraph serve did not answer within 30 s"
                    process.terminate()
                time.sleep(0.1)
    if problem:
        if in_ci():
            pytest.fail(f"{problem} (CI must run the remote-store tests)")
        pytest.skip(problem)
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def count(endpoint: str, where: str) -> int:
    result = remote_query(endpoint + "/query", f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return result.rows[0][0]


# --------------------------------------------------------------------------- Oxigraph


def test_push_is_idempotent(oxigraph, corpus_build):
    store = open_store(corpus_build)
    named = sum(1 for q in store if not isinstance(q.graph_name, ox.DefaultGraph))
    union = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    graphs = list(store.named_graphs())

    report = push(corpus_build, oxigraph + "/store")
    assert report.default_graph
    assert len(report.graphs) == len(graphs)
    assert report.triples == named + union
    assert "named graph" in report.summary()
    first = (count(oxigraph, "GRAPH ?g { ?s ?p ?o }"), count(oxigraph, "?s ?p ?o"))
    assert first == (named, union)

    again = push(corpus_build, oxigraph + "/store")
    assert again.triples == report.triples
    assert (count(oxigraph, "GRAPH ?g { ?s ?p ?o }"), count(oxigraph, "?s ?p ?o")) == first
    docs = remote_query(oxigraph + "/query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                        "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/regiograph/graph/doc/')) }")
    assert len(docs.rows) == 17  # one named graph per document of data/corpus


def test_saved_and_ad_hoc_queries_on_the_remote_store(oxigraph, corpus_build):
    push(corpus_build, oxigraph + "/store")
    local = open_store(corpus_build)
    for name, values in [("03_partners_of", {"name": "NHL Stenden"}),
                         ("10_evidence_for_tie", {}),
                         ("07_people_and_roles", {"name": ""}),
                         ("01_most_connected_organisations", {})]:
        text, bound, _ = prepare(name, values)
        remote = remote_query(oxigraph + "/query", text, bound)
        assert remote.rows == run_local(local, text, bound).rows, name
        assert remote.rows, name
    # a value with quotes and braces is one literal: nothing found, nothing dropped
    text, bound, _ = prepare("03_partners_of", {"name": HOSTILE})
    assert remote_query(oxigraph + "/query", text, bound).rows == []
    assert count(oxigraph, "?s a org:Membership") > 50
    # and it comes back unchanged
    echo = remote_query(oxigraph + "/query", "SELECT ?v WHERE { }", bind({"v": HOSTILE}))
    assert echo.rows == [(HOSTILE,)]
    ask = remote_query(oxigraph + "/query", "ASK { ?c a org:OrganizationalCollaboration }")
    assert ask.kind == "ask" and ask.boolean is True
    graph = remote_query(oxigraph + "/query", "CONSTRUCT { ?o skos:prefLabel ?l } WHERE { "
                         "?o a org:FormalOrganization ; skos:prefLabel ?l }")
    assert graph.kind == "graph"
    local_graph = run_local(local, "CONSTRUCT { ?o skos:prefLabel ?l } WHERE { "
                            "?o a org:FormalOrganization ; skos:prefLabel ?l }")
    assert sorted(graph.triples.splitlines()) == sorted(local_graph.triples.splitlines())


def test_push_into_one_named_graph(oxigraph, corpus_build):
    target = "https://example.org/graph/regiograph"
    report = push(corpus_build, oxigraph + "/store", graph=target)
    assert report.graphs == [target] and not report.default_graph
    union = sum(1 for _ in open_store(corpus_build).quads_for_pattern(
        None, None, None, ox.DefaultGraph()))
    assert count(oxigraph, f"GRAPH <{target}> {{ ?s ?p ?o }}") == union
    push(corpus_build, oxigraph + "/store", graph=target)
    assert count(oxigraph, f"GRAPH <{target}> {{ ?s ?p ?o }}") == union
    text, bound, _ = prepare("03_partners_of", {"name": "NHL Stenden"})
    from_graph = remote_query(oxigraph + "/query", text, bound, graph=target)
    assert from_graph.rows == run_local(open_store(corpus_build), text, bound).rows


def test_remote_errors(oxigraph, corpus_build):
    with pytest.raises(RemoteError, match="HTTP 404"):
        push(corpus_build, oxigraph + "/nothing-here")
    with pytest.raises(RemoteError, match="cannot reach"):
        push(corpus_build, f"http://127.0.0.1:{free_port()}/store")
    with pytest.raises(RemoteError):
        remote_query(f"http://127.0.0.1:{free_port()}/query", "ASK {}")
    with pytest.raises(QueryError, match="refused the query"):
        remote_query(oxigraph + "/query", "SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryError, match="not allowed"):
        remote_query(oxigraph + "/query", "DROP ALL")
    with pytest.raises(QueryError, match="not an http"):
        push(corpus_build, "ftp://example.org/store")


# --------------------------------------------------------------------------- no server


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list] = []

    def do_PUT(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append((self.path, dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_push_requests(corpus_build):
    _Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/ds/data"
        report = push(corpus_build, base, auth="t0ken")
        paths = [p for p, _, _ in _Recorder.seen]
        assert len(paths) == len(report.graphs) + 1
        assert paths[-1] == "/ds/data?default"
        first = urllib.parse.urlsplit(paths[0])
        graph = urllib.parse.parse_qs(first.query)["graph"][0]
        assert graph == report.graphs[0]
        headers = _Recorder.seen[0][1]
        assert headers["Authorization"] == "Bearer t0ken"
        assert headers["Content-Type"].startswith("text/turtle")
        parsed = list(ox.parse(_Recorder.seen[0][2], format=ox.RdfFormat.TURTLE))
        assert parsed
        _Recorder.seen = []
        push(corpus_build, base + "?access-token=x", auth=("user", "pw"),
             default_graph=False)
        assert all(p.startswith("/ds/data?access-token=x&graph=") for p, _, _ in _Recorder.seen)
        assert _Recorder.seen[0][1]["Authorization"].startswith("Basic ")
    finally:
        server.shutdown()
        server.server_close()


def test_inline_bindings_follow_the_projections():
    text = """SELECT ?name ?x (COUNT(?y) AS ?n) WHERE {
  { SELECT ?name ?x WHERE { ?x rdfs:label ?l FILTER(?l = ?name) } }
  { SELECT ?x ?y WHERE { ?x ?p ?y } }
} GROUP BY ?name ?x"""
    bound = bind({"name": HOSTILE})
    out = inline_bindings(text, bound)
    assert out.count('VALUES ?name { "x\\" } ; DROP ALL ; #" }') == 2
    assert "WHERE {\n  VALUES ?name" in out
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("https://example.org/a"),
                      ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal(HOSTILE)))
    rows = run_local(store, out).rows
    assert rows == [(HOSTILE, "https://example.org/a", 1)]
    with pytest.raises(QueryError, match="SELECT clause"):
        inline_bindings("SELECT ?a WHERE { ?a ?b ?c }", bind({"zzz": "1"}))
    # strings, IRIs and comments that look like SPARQL do not confuse it
    tricky = 'SELECT * WHERE { ?s ?p "SELECT ?v WHERE {" . # SELECT ?v WHERE {\n ?s <x:a{> ?o }'
    out = inline_bindings(tricky, bind({"v": "1"}))
    assert out.count("VALUES") == 1 and out.index("VALUES") < out.index('"SELECT')
    assert inline_bindings("ASK { ?s ?p ?v }", bind({"v": "<https://example.org/x>"})) == \
        "ASK { VALUES ?v { <https://example.org/x> } ?s ?p ?v }"
    described = inline_bindings("DESCRIBE ?v", bind({"v": "<https://example.org/x>"}))
    assert described.endswith("VALUES ?v { <https://example.org/x> }\n")
    dated = inline_bindings("SELECT ?d WHERE { }", bind({"d": "2023-03-13"}))
    assert '"2023-03-13"^^<http://www.w3.org/2001/XMLSchema#date>' in dated


def test_prefixes_and_query_forms():
    out = with_prefixes("SELECT ?o WHERE { ?o a org:FormalOrganization ; rg:x '<rgo:y>' }")
    assert out.startswith("PREFIX rg: <https://w3id.org/regiograph/ontology#>\n"
                          "PREFIX org: <http://www.w3.org/ns/org#>\n\nSELECT")
    assert "PREFIX rgo:" not in out  # only in a string
    declared = "PREFIX org: <https://example.org/>\nSELECT * WHERE { ?o a org:X }"
    assert with_prefixes(declared) == declared
    assert query_form("PREFIX a: <x:>\n# ASK\nSELECT * {}") == "SELECT"
    assert query_form("INSERT DATA { <x:a> <x:b> <x:c> }") == "UPDATE"
    assert query_form("CONSTRUCT WHERE { ?s ?p ?o }") == "CONSTRUCT"
