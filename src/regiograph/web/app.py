"""The ASGI application of ``regiograph serve`` (Starlette, run by uvicorn).

Routes:

=========================  ====================================================================
``/sparql``                SPARQL 1.1 Protocol: GET and POST (URL-encoded or direct body),
                           results by content negotiation (:mod:`regiograph.web.sparql`);
                           SPARQL Update only with ``allow_update`` and the bearer token
``/``                      the SPARQL editor (YASGUI, served from the package) with the saved
                           queries, and the network view
``/network``               the network page of :func:`regiograph.visualise.page_html`, filtered
                           by ``focus``, ``depth``, ``type``, ``province``, ``since``,
                           ``size_by`` query parameters
``/id/{kind}/{key}``       entity pages for ``https://w3id.org/regiograph/id/{kind}/{key}``
                           (``org``, ``person``, ``doc``, ``place``); ``Accept: text/turtle``
                           (or ``?format=ttl``) returns the entity's triples
``/id/{kind}/``            all entities of a kind
``/api/queries[/{name}]``  the saved queries; with a name, its text with the parameters of the
                           request bound as ``VALUES``
``/api/prefixes``          the predeclared prefixes (the editor's prefix completion)
``/static/...``            the page's CSS and JavaScript, and YASGUI in ``vendor/``
=========================  ====================================================================
"""

from __future__ import annotations

import contextlib
import hmac
import os
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import QueryError, RegiographError, StoreError, UsageError
from ..model import ORG_TYPES
from ..namespaces import PREFIXES
from ..query import bind, load_saved_queries
from ..resources import RESOURCES
from ..sparqltext import has_keyword, inline_bindings, with_prefixes
from ..store import open_store, store_path
from . import entities, pages
from .sparql import (
    FORMAT_NAMES,
    GRAPH_CONTENT_TYPES,
    GRAPH_TYPES,
    ProtocolError,
    QueryRunner,
    execute,
    negotiate,
    refuse_service,
    serialize_triples,
)

MAX_QUERY_BYTES = 1_000_000
ENTITY_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
              "form-action 'self'; frame-ancestors 'self'")
INDEX_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
             "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
             "frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
NETWORK_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
               "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
SIZE_MEASURES = ("betweenness", "degree", "weighted_degree", "pagerank", "eigenvector",
                 "constraint", "effective_size", "brokerage", "core", "province_bridges")


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(message.rstrip() + "\n", status_code=status,
                    media_type="text/plain; charset=utf-8", headers=headers)


def _html(page: str, *, status: int = 200, csp: str = ENTITY_CSP,
          headers: dict[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(page, status_code=status, headers={
        "Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin", **(headers or {})})


class _State:
    """What the routes share: the store, its settings, the worker pool, caches."""

    def __init__(self, directory: Path, *, allow_update: bool, token: str | None,
                 timeout: float, max_rows: int, workers: int) -> None:
        self.directory = directory
        self.allow_update = allow_update
        self.token = token
        self.max_rows = max_rows
        self.runner = QueryRunner(workers=workers, timeout=timeout)
        if allow_update:
            path = store_path(directory)
            if not path.exists():
                open_store(directory)  # raises the usual "no graph store" error
            try:
                self.store = ox.Store(str(path))
            except OSError as exc:
                raise StoreError(f"cannot open the store at {path} for writing: {exc}",
                                 hint="stop other programs that use it") from exc
        else:
            self.store = open_store(directory)
        self.queries = load_saved_queries()
        self._network = None
        self._network_lock = threading.Lock()

    def network(self):
        """The measured organisation network (computed once; reset by updates)."""
        from ..visualise import measured_network

        with self._network_lock:
            if self._network is None:
                self._network = measured_network(self.store)
            return self._network

    def forget(self) -> None:
        with self._network_lock:
            self._network = None


# --------------------------------------------------------------------------- SPARQL


async def _body(request: Request) -> str:
    """The request body as text, refused (413) past :data:`MAX_QUERY_BYTES`."""
    too_large = ProtocolError(413, f"the request is larger than {MAX_QUERY_BYTES:,} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_QUERY_BYTES:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_QUERY_BYTES:
            raise too_large
        chunks.append(chunk)
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, "the request body is not UTF-8") from exc


def _one(values: Sequence[str], name: str) -> str | None:
    if len(values) > 1:
        raise ProtocolError(400, f"give the {name} parameter once, not {len(values)} times")
    return values[0] if values else None


async def _sparql(request: Request) -> Response:
    state: _State = request.app.state.rg
    url_params = list(request.query_params.multi_items())
    if request.method == "GET":
        params = url_params
        if any(k == "update" for k, _ in params):
            raise ProtocolError(405, "SPARQL Update must be sent with POST", {"Allow": "POST"})
        body_query = None
    else:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _body(request)
        if media == "application/x-www-form-urlencoded":
            params = url_params + parse_qsl(body, keep_blank_values=True)
            body_query = None
        elif media == "application/sparql-query":
            params, body_query = url_params, body
        elif media == "application/sparql-update":
            return await _update(request, state, body)
        else:
            raise ProtocolError(
                415, f"Unsupported Media Type {media or '(none)'}: send "
                     "application/x-www-form-urlencoded, application/sparql-query or "
                     "application/sparql-update")
    get = {}
    for key, value in params:
        get.setdefault(key, []).append(value)
    update = _one(get.get("update", []), "update")
    query = body_query if body_query is not None else _one(get.get("query", []), "query")
    if update is not None:
        if query is not None:
            raise ProtocolError(400, "give either query or update, not both")
        return await _update(request, state, update)
    if query is None:
        accept = request.headers.get("accept", "")
        if request.method == "GET" and "text/html" in accept:
            return RedirectResponse("/", status_code=303)
        raise ProtocolError(400, "missing the query parameter (SPARQL 1.1 Protocol: "
                                 "GET /sparql?query=... or POST query=...)")
    # clients such as SPARQLWrapper repeat ``format``/``output``: the first known one counts
    names = [f for f in (*get.get("format", []), *get.get("output", []))
             if f.strip().lower() in FORMAT_NAMES or "/" in f]
    fmt = names[0] if names else None  # else content negotiation decides
    accept = request.headers.get("accept")
    defaults = get.get("default-graph-uri", [])
    named = get.get("named-graph-uri", [])
    for iri in (*defaults, *named):
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise ProtocolError(400, f"graph {iri!r} is not an IRI") from exc

    def work(cancelled: threading.Event):
        return execute(state.store, query, accept=accept, fmt=fmt, max_rows=state.max_rows,
                       cancelled=cancelled, default_graphs=defaults, named_graphs=named)

    answer = await state.runner.run(work)
    return Response(answer.body, media_type=answer.media_type,
                    headers={"Vary": "Accept", **answer.headers})


async def _update(request: Request, state: _State, text: str) -> Response:
    if not state.allow_update:
        raise ProtocolError(403, "Forbidden: SPARQL Update is disabled, this endpoint is "
                                 "read-only (start regiograph serve with --allow-update "
                                 "and --token to allow updates)")
    given = request.headers.get("authorization", "")
    scheme, _, credential = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
            credential.strip().encode(), (state.token or "").encode()):
        raise ProtocolError(401, "Unauthorized: SPARQL Update needs the header "
                                 "'Authorization: Bearer TOKEN' with the server's token",
                            {"WWW-Authenticate": 'Bearer realm="regiograph"'})
    refuse_service(text)
    if has_keyword(text, "LOAD"):
        raise ProtocolError(400, "LOAD is disabled on this endpoint: the server does not "
                                 "fetch other addresses")

    def work(cancelled: threading.Event) -> None:
        try:
            state.store.update(text, prefixes=PREFIXES)
            state.store.flush()
        except SyntaxError as exc:
            raise ProtocolError(400, f"SPARQL syntax error: {exc}") from exc
        except (ValueError, TypeError) as exc:
            raise ProtocolError(400, f"update failed: {exc}") from exc
        except (RuntimeError, OSError) as exc:
            raise ProtocolError(500, f"update failed: {exc}") from exc

    await state.runner.run(work, what="update")
    state.forget()
    return _text(200, "Update done.")


# --------------------------------------------------------------------------- pages


async def _index(request: Request) -> Response:
    state: _State = request.app.state.rg
    return _html(pages.index_page(state.queries, types=ORG_TYPES, measures=SIZE_MEASURES),
                 csp=INDEX_CSP)


def _ints(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise ProtocolError(400, f"{name} must be a whole number, not {value!r}") from exc


_FOCUS = """
SELECT ?name ?org WHERE {
  ?org rdfs:label|skos:prefLabel|skos:altLabel ?l ; org:classification ?t .
  FILTER(LCASE(STR(?l)) = LCASE(?name))
} ORDER BY ?org LIMIT 1
"""


async def _network(request: Request) -> Response:
    from ..query import run
    from ..visualise import page_html

    state: _State = request.app.state.rg
    params = request.query_params
    focus = params.get("focus", "").strip() or None
    depth = _ints(request, "depth") or 1
    since = _ints(request, "since")
    types = [t for t in params.getlist("type") if t.strip()] or None
    provinces = [p for p in params.getlist("province") if p.strip()] or None
    size_by = params.get("size_by", "").strip() or "betweenness"
    if not 1 <= depth <= 6:
        raise ProtocolError(400, "depth must be between 1 and 6")

    def work(cancelled: threading.Event) -> str:
        node = focus
        if focus:  # any of the organisation's names, not just its label
            found = run(state.store, _FOCUS, {ox.Variable("name"): ox.Literal(focus)}).rows
            node = found[0][1] if found else focus
        return page_html(state.network(), focus=node, depth=depth, types=types,
                         provinces=provinces, since=since, size_by=size_by)

    try:
        page = await state.runner.run(work, what="network page")
    except RegiographError as exc:
        return _html(pages.error_page(400, str(exc)), status=400)
    return _html(page, csp=NETWORK_CSP)


def _rdf_choice(request: Request) -> str | None:
    """``text/html`` or an RDF media type for an entity address (``None``: not acceptable)."""
    fmt = request.query_params.get("format", "").strip().lower()
    if fmt:
        by_name = FORMAT_NAMES.get(fmt)
        if by_name and by_name[1]:
            return by_name[1]
        if fmt in ("html", "text/html"):
            return "text/html"
        if fmt in GRAPH_TYPES:
            return fmt
        raise ProtocolError(400, f"unknown format {fmt!r}: use ttl, nt, jsonld, rdfxml or html")
    return negotiate(request.headers.get("accept"), ["text/html", *GRAPH_TYPES])


async def _entity(request: Request) -> Response:
    state: _State = request.app.state.rg
    kind, key = request.path_params["kind"], request.path_params["key"]
    iri = entities.entity_iri(kind, key)
    choice = _rdf_choice(request)
    if choice is None:
        raise ProtocolError(406, "Not Acceptable: this address offers text/html, text/turtle, "
                                 "application/n-triples, application/ld+json and "
                                 "application/rdf+xml")
    vary = {"Vary": "Accept"}
    if iri is None:
        return _html(pages.error_page(404, f"no such entity: /id/{kind}/{key}"), status=404)
    if choice == "text/html":
        found = await state.runner.run(lambda _c: entities.load(state.store, kind, iri),
                                       what="page")
        if found is None:
            return _html(pages.error_page(404, f"the graph says nothing about <{iri}>"),
                         status=404, headers=vary)
        return _html(pages.entity_page(found), headers=vary)
    fmt = GRAPH_TYPES[choice]
    triples = await state.runner.run(lambda _c: entities.describe(state.store, iri),
                                     what="page")
    if not triples:
        return _text(404, f"the graph says nothing about <{iri}>", vary)
    return Response(serialize_triples(fmt, triples), media_type=GRAPH_CONTENT_TYPES[fmt],
                    headers=vary)


async def _listing(request: Request) -> Response:
    state: _State = request.app.state.rg
    kind = request.path_params["kind"]
    if kind not in entities.KINDS:
        return _html(pages.error_page(404, f"no such list: /id/{kind}/"), status=404)
    links = await state.runner.run(lambda _c: entities.listing(state.store, kind), what="page")
    return _html(pages.listing_page(kind, links))


async def _listing_redirect(request: Request) -> Response:
    return RedirectResponse(f"/id/{request.path_params['kind']}/", status_code=301)


async def _queries(request: Request) -> Response:
    state: _State = request.app.state.rg
    return JSONResponse(pages.saved_query_data(state.queries))


async def _saved_query(request: Request) -> Response:
    """A saved query's text with the request's parameters bound as ``VALUES``."""
    state: _State = request.app.state.rg
    name = request.path_params["name"]
    saved = state.queries.get(name)
    if saved is None:
        return JSONResponse({"error": f"unknown saved query {name!r}"}, status_code=404)
    try:
        bound = bind(dict(request.query_params), saved.params, strict=True)
        text = with_prefixes(inline_bindings(saved.text, bound))
    except QueryError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    return JSONResponse({"name": saved.name, "title": saved.title_en, "titel": saved.title_nl,
                         "question": saved.question, "query": text})


async def _prefixes(request: Request) -> Response:
    return JSONResponse(PREFIXES)


async def _protocol_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProtocolError)
    if request.url.path.startswith("/id/") or request.url.path == "/network":
        accept = request.headers.get("accept", "")
        if "text/html" in accept:
            return _html(pages.error_page(exc.status, exc.message), status=exc.status,
                         headers=exc.headers)
    return _text(exc.status, exc.message, exc.headers)


# --------------------------------------------------------------------------- factory


def create_app(
    directory: str | Path,
    *,
    allow_update: bool = False,
    token: str | None = None,
    timeout: float = 30.0,
    max_rows: int = 10000,
    cors: bool | Sequence[str] = False,
    workers: int = 4,
) -> Starlette:
    """The ASGI app serving the build ``directory``.

    ``allow_update`` opens the store read-write and accepts SPARQL Update from requests
    that carry ``Authorization: Bearer TOKEN`` (``token`` is then required); otherwise the
    store is opened read-only and updates get 403. Each query may take ``timeout`` seconds
    (then 503) on one of ``workers`` worker threads; ``SELECT`` results are cut at
    ``max_rows`` (header ``X-Regiograph-Truncated: true``). ``cors`` adds CORS headers for
    any origin (``True``) or the given origins; off by default.
    """
    if allow_update and not token:
        raise UsageError("--allow-update needs a token",
                         hint="give --token SECRET (or set REGIOGRAPH_TOKEN); clients send "
                              "'Authorization: Bearer SECRET'")
    if timeout <= 0 or max_rows < 1:
        raise UsageError("the timeout and the row cap must be positive",
                         hint="e.g. --timeout 30 --max-rows 10000")
    state = _State(Path(directory), allow_update=allow_update, token=token, timeout=timeout,
                   max_rows=max_rows, workers=workers)
    static = StaticFiles(directory=str(RESOURCES / "web"))
    routes = [
        Route("/", _index, methods=["GET"]),
        Route("/sparql", _sparql, methods=["GET", "POST"]),
        Route("/network", _network, methods=["GET"]),
        Route("/api/queries", _queries, methods=["GET"]),
        Route("/api/queries/{name}", _saved_query, methods=["GET"]),
        Route("/api/prefixes", _prefixes, methods=["GET"]),
        Route("/id/{kind}/", _listing, methods=["GET"]),
        Route("/id/{kind}", _listing_redirect, methods=["GET"]),
        Route("/id/{kind}/{key}", _entity, methods=["GET"]),
        Mount("/static", app=static, name="static"),
    ]
    middleware = []
    if cors:
        origins = ["*"] if cors is True else list(cors)
        middleware.append(Middleware(
            CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type", "Authorization"],
            expose_headers=["X-Regiograph-Truncated", "X-Regiograph-Rows"], max_age=600))
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={ProtocolError: _protocol_error})
    app.state.rg = state
    return app


def serve(
    directory: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    allow_update: bool = False,
    token: str | None = None,
    timeout: float = 30.0,
    max_rows: int = 10000,
    cors: bool | Sequence[str] = False,
    workers: int = 4,
    log_level: str = "info",
) -> None:
    """Serve the build ``directory`` with uvicorn until interrupted (see :func:`create_app`)."""
    import uvicorn

    token = token or os.environ.get("REGIOGRAPH_TOKEN") or None
    app = create_app(directory, allow_update=allow_update, token=token, timeout=timeout,
                     max_rows=max_rows, cors=cors, workers=workers)
    shown = f"[{host}]" if ":" in host else host
    print(f"regiograph serving {directory} at http://{shown}:{port}/ "
          f"(SPARQL endpoint http://{shown}:{port}/sparql; Ctrl-C stops)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, workers=1)


@contextlib.contextmanager
def running(app: Any, *, host: str = "127.0.0.1", port: int = 0,
            log_level: str = "warning") -> Iterator[str]:
    """Run ``app`` with uvicorn in a background thread on ``host:port`` (a free port by
    default) and yield its base address; stops the server on exit. For tests and benches."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level=log_level, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name="regiograph-uvicorn")
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{bound_port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
