"""Remote triple stores: push a build over the Graph Store Protocol, query over SPARQL.

:func:`push` copies a build into any store that speaks the `SPARQL 1.1 Graph Store HTTP
Protocol <https://www.w3.org/TR/sparql11-http-rdf-update/>`_ (Oxigraph, Apache Jena
Fuseki, GraphDB, Virtuoso, ...): one HTTP ``PUT`` of Turtle per named graph of the build
(one per document, plus the reference, ontology and metrics graphs) to
``ENDPOINT?graph=IRI``, and the union of all graphs (each triple once) to
``ENDPOINT?default``, which is what the local store holds in its default graph, so saved
queries see the same data remotely. ``PUT`` replaces a graph, so pushing again is
idempotent. (A document removed from the build keeps its graph in the remote store: drop
it there by hand.)

:func:`remote_query` runs a saved or ad-hoc query against a remote SPARQL endpoint with
SPARQLWrapper. SPARQLWrapper has no binding API, so parameters are bound the way
pyoxigraph's substitutions (SEP-0007) bind them locally: the RDF terms that
:func:`regiograph.query.bind` made (already typed and checked) are serialised as N-Triples
terms into a ``VALUES`` block at the start of the ``WHERE`` group of every ``SELECT``
(outer query and sub-queries) that projects the parameter (:func:`inline_bindings`).
Raw user text never reaches the query: ``x" } ; DROP ALL ; #`` becomes the escaped
literal ``"x\\" } ; DROP ALL ; #"``. The prefixes regiograph predeclares locally are
declared in the query text (:func:`with_prefixes`), because a remote endpoint does not
know them.
"""

from __future__ import annotations

import base64
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import QueryError, StoreError
from .namespaces import PREFIXES
from .query import QueryResult, Term, to_python
from .sparqltext import inline_bindings, query_form, with_prefixes
from .store import open_store

__all__ = ["PushReport", "RemoteError", "inline_bindings", "push", "query_form",
           "remote_query", "with_prefixes"]

#: ``(user, password)`` for HTTP Basic/Digest authentication, or a bearer token.
Auth = tuple[str, str] | str | None

PUSH_TIMEOUT = 120.0  # seconds per HTTP request


class RemoteError(StoreError):
    """A remote store refused a request or could not be reached."""


# --------------------------------------------------------------------------- push


@dataclass
class PushReport:
    """What :func:`push` sent."""

    endpoint: str
    graphs: list[str] = field(default_factory=list)
    triples: int = 0
    bytes: int = 0
    seconds: float = 0.0
    target: str | None = None  # the one named graph of ``graph=``
    default_graph: bool = False  # the union also went to the default graph

    def summary(self) -> str:
        where = f"into <{self.target}>" if self.target else (
            f"as {len(self.graphs)} named graph(s)"
            + (" and the union in the default graph" if self.default_graph else ""))
        return (f"Pushed {self.triples:,} triples ({self.bytes / 1e6:.1f} MB) {where} to "
                f"{self.endpoint} in {self.seconds:.1f} s")


def _opener(endpoint: str, auth: Auth) -> tuple[urllib.request.OpenerDirector, dict[str, str]]:
    headers: dict[str, str] = {}
    handlers: list[urllib.request.BaseHandler] = []
    if isinstance(auth, str):
        headers["Authorization"] = f"Bearer {auth}"
    elif auth is not None:
        user, password = auth
        # Basic up front (Fuseki, GraphDB, Oxigraph behind a proxy); Digest on a challenge
        # (Virtuoso's /sparql-graph-crud-auth).
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, endpoint, user, password)
        handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
    return urllib.request.build_opener(*handlers), headers


def _graph_url(endpoint: str, graph: str | None) -> str:
    joiner = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    if graph is None:
        return f"{endpoint}{joiner}default"
    return f"{endpoint}{joiner}graph={urllib.parse.quote(graph, safe='')}"


def _put(opener, headers: dict[str, str], url: str, data: bytes) -> None:
    request = urllib.request.Request(
        url, data=data, method="PUT",
        headers={**headers, "Content-Type": "text/turtle; charset=utf-8"},
    )
    try:
        with opener.open(request, timeout=PUSH_TIMEOUT) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        body = exc.read(500).decode("utf-8", "replace").strip()
        hint = {
            401: "give credentials (--user/--password or --token)",
            403: "the account may not write to this store",
            404: "give the store's Graph Store Protocol address, e.g. "
                 "http://127.0.0.1:7878/store (Oxigraph) or http://host:3030/ds/data (Fuseki)",
            405: "this address does not accept PUT: give the Graph Store Protocol address",
        }.get(exc.code, "check the endpoint address and the store's log")
        raise RemoteError(f"{url}: HTTP {exc.code} {exc.reason}"
                          + (f": {body[:300]}" if body else ""), hint=hint) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise RemoteError(f"cannot reach {url}: {reason}",
                          hint="is the store running at that address?") from exc


def _turtle(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""


def push(
    directory: str | Path,
    endpoint: str,
    *,
    graph: str | None = None,
    auth: Auth = None,
    default_graph: bool = True,
) -> PushReport:
    """Load the graph of the build ``directory`` into a remote store.

    ``endpoint`` is the store's Graph Store Protocol address (Oxigraph
    ``http://host:7878/store``, Fuseki ``http://host:3030/DATASET/data``, GraphDB
    ``http://host:7200/repositories/REPO/rdf-graphs/service``, Virtuoso
    ``http://host:8890/sparql-graph-crud-auth``). Every named graph of the build is
    ``PUT`` to ``endpoint?graph=IRI`` and, with ``default_graph``, the union of them (each
    triple once) to ``endpoint?default``; with ``graph`` the union goes into that one named
    graph instead. ``PUT`` replaces, so pushing again leaves the same data. ``auth`` is
    ``(user, password)`` or a bearer token.
    """
    if graph is not None:
        try:
            graph = ox.NamedNode(graph).value
        except ValueError as exc:
            raise QueryError(f"--graph {graph!r} is not an IRI ({exc})",
                             hint="e.g. https://example.org/graph/regiograph") from exc
    if not re.match(r"https?://", endpoint):
        raise QueryError(f"endpoint {endpoint!r} is not an http(s) address",
                         hint="e.g. http://127.0.0.1:7878/store")
    store = open_store(directory)
    started = time.perf_counter()
    report = PushReport(endpoint=endpoint, target=graph)
    opener, headers = _opener(endpoint, auth)

    def send(name: str | None, triples: list[ox.Triple]) -> None:
        data = _turtle(triples)
        _put(opener, headers, _graph_url(endpoint, name), data)
        report.triples += len(triples)
        report.bytes += len(data)

    union = [q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    names = sorted(store.named_graphs(), key=lambda g: str(g))
    if not union:  # a store without the union default graph: make it
        union = list(dict.fromkeys(q.triple for q in store if not isinstance(
            q.graph_name, ox.DefaultGraph)))
    if graph is not None:
        send(graph, union)
        report.graphs.append(graph)
    else:
        for name in names:
            if not isinstance(name, ox.NamedNode):
                continue
            triples = [q.triple for q in store.quads_for_pattern(None, None, None, name)]
            send(name.value, triples)
            report.graphs.append(name.value)
        if default_graph:
            send(None, union)
            report.default_graph = True
    report.seconds = time.perf_counter() - started
    return report


# --------------------------------------------------------------------------- remote query


def _sparqlwrapper():
    try:
        import SPARQLWrapper
    except ImportError as exc:  # pragma: no cover - in the web extra
        raise QueryError("querying a remote endpoint needs SPARQLWrapper",
                         hint="pip install 'regiograph[web]'") from exc
    return SPARQLWrapper


def remote_query(
    endpoint: str,
    text: str,
    params: Mapping[ox.Variable | str, Term] | None = None,
    *,
    graph: str | None = None,
    auth: Auth = None,
    timeout: float | None = 60.0,
) -> QueryResult:
    """Run a SPARQL query (``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``) on a remote
    endpoint through SPARQLWrapper and return what :func:`regiograph.query.run` would.

    ``params`` are RDF terms from :func:`regiograph.query.bind` (or
    :func:`regiograph.query.prepare`), bound by :func:`inline_bindings`. ``endpoint`` is
    the SPARQL query address (Oxigraph ``http://host:7878/query``, Fuseki
    ``http://host:3030/DATASET/sparql``); ``graph`` makes that named graph the query's
    default graph (``default-graph-uri``), e.g. after ``push(..., graph=IRI)``.
    """
    sw = _sparqlwrapper()
    form = query_form(text)
    if form == "UPDATE":
        raise QueryError("SPARQL updates are not allowed: regiograph only reads the graph",
                         hint="use SELECT, ASK, CONSTRUCT or DESCRIBE")
    full = with_prefixes(inline_bindings(text, params))
    client = sw.SPARQLWrapper(endpoint)
    client.setOnlyConneg(True)
    client.setMethod(sw.POST)
    client.setRequestMethod(sw.URLENCODED)
    client.setQuery(full)
    if timeout:
        client.setTimeout(int(max(timeout, 1)))
    if graph:
        client.addDefaultGraph(graph)
    if isinstance(auth, str):
        client.addCustomHttpHeader("Authorization", f"Bearer {auth}")
    elif auth is not None:
        client.setCredentials(*auth)
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    client.setReturnFormat(sw.TURTLE if graph_form else sw.JSON)
    try:
        response = client.query().response
        data = response.read()
        media = (response.headers.get("Content-Type") or "").split(";")[0].strip()
    except sw.SPARQLExceptions.QueryBadFormed as exc:
        raise QueryError(f"the endpoint refused the query: {_short(exc)}") from exc
    except sw.SPARQLExceptions.SPARQLWrapperException as exc:
        raise RemoteError(f"{endpoint}: {_short(exc)}",
                          hint="check the endpoint address (the SPARQL query address)") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise RemoteError(f"cannot reach {endpoint}: {reason}",
                          hint="is the SPARQL endpoint running at that address?") from exc
    try:
        if graph_form:
            fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.TURTLE
            triples = [q.triple for q in ox.parse(data, format=fmt)]
            nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            return QueryResult(kind="graph", triples=nt.decode("utf-8"))
        answer = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise RemoteError(f"{endpoint} answered something that is not a SPARQL result "
                          f"({media or 'no content type'}): {exc}") from exc
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(answer))
    variables = list(answer.variables)
    raw = [tuple(solution[v] for v in variables) for solution in answer]
    return QueryResult(
        kind="select",
        columns=[v.value for v in variables],
        rows=[tuple(to_python(t) for t in row) for row in raw],
        raw_rows=raw,
    )


def _short(exc: Exception) -> str:
    return re.sub(r"\s+", " ", str(exc)).strip()[:500]
