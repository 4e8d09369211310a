"""The SPARQL 1.1 Protocol over the embedded store: content negotiation, result
serialisation, the row cap and the query timeout.

Results are serialised here, not by pyoxigraph, so a ``SELECT`` can be cut at the row cap
while it streams: SPARQL results JSON, XML, CSV and TSV for ``SELECT``/``ASK``; Turtle,
N-Triples, JSON-LD and RDF/XML for ``CONSTRUCT``/``DESCRIBE``.

Timeouts: pyoxigraph cannot cancel a running query. Each query runs in a worker thread
(pyoxigraph releases the GIL while it evaluates); the request stops waiting after the
timeout and answers 503. A query that streams its solutions stops at the next solution
(the worker checks a cancel flag between solutions), but one that does all its work
before the first solution (``ORDER BY``, ``GROUP BY``, aggregates) runs to its end in the
background. At most ``workers`` queries run at once, runaway ones included: a request that
finds every worker busy waits for one until its own timeout and then gets 503 too, so
runaway queries cannot pile up threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from ..namespaces import PREFIXES
from ..query import has_union_graph
from ..sparqltext import has_keyword

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: media types for SELECT and ASK results, the first is the default
RESULT_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/xml": "xml",
    "text/xml": "xml",
}
RESULT_CONTENT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
#: media types for CONSTRUCT and DESCRIBE results (and entity triples), the first is the default
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/turtle": ox.RdfFormat.TURTLE,
    "text/n3": ox.RdfFormat.TURTLE,  # Turtle is N3 too
    "application/n3": ox.RdfFormat.TURTLE,
    "text/rdf+n3": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/x-json+ld": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
GRAPH_CONTENT_TYPES = {
    ox.RdfFormat.TURTLE: "text/turtle; charset=utf-8",
    ox.RdfFormat.N_TRIPLES: "application/n-triples; charset=utf-8",
    ox.RdfFormat.JSON_LD: "application/ld+json",
    ox.RdfFormat.RDF_XML: "application/rdf+xml",
}
#: ``format=`` / ``output=`` request parameters (what SPARQLWrapper and many clients send)
FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    # name: (media type for SELECT/ASK, media type for CONSTRUCT/DESCRIBE)
    "json": ("application/sparql-results+json", "application/ld+json"),
    "srj": ("application/sparql-results+json", None),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "srx": ("application/sparql-results+xml", None),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"),
    "ttl": (None, "text/turtle"),
    "n3": (None, "text/turtle"),
    "nt": (None, "application/n-triples"),
    "ntriples": (None, "application/n-triples"),
    "n-triples": (None, "application/n-triples"),
    "jsonld": (None, "application/ld+json"),
    "json-ld": (None, "application/ld+json"),
    "rdfxml": (None, "application/rdf+xml"),
    "rdf+xml": (None, "application/rdf+xml"),
}


class ProtocolError(Exception):
    """A request the endpoint answers with an HTTP error status."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


# --------------------------------------------------------------------------- negotiation

_MEDIA = re.compile(r"\s*([^\s;,]+/[^\s;,]+)\s*((?:;[^,]*)?)")


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header, best first (by q, then specificity)."""
    if not header or not header.strip():
        return []
    ranges = []
    for order, part in enumerate(header.split(",")):
        match = _MEDIA.match(part)
        if not match:
            continue
        media, params = match.group(1).lower(), match.group(2)
        q = 1.0
        found = re.search(r";\s*q\s*=\s*([0-9.]+)", params)
        if found:
            try:
                q = max(0.0, min(1.0, float(found.group(1))))
            except ValueError:
                q = 0.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((media, q, specificity, order))
    ranges.sort(key=lambda r: (-r[1], -r[2], r[3]))
    return [(media, q) for media, q, _, _ in ranges]


def negotiate(header: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the ``Accept`` header prefers (``offered[0]`` when it has
    no preference); ``None`` when it accepts none of them."""
    ranges = parse_accept(header)
    if not ranges:
        return offered[0]
    refused = {media for media, q in ranges if q == 0}
    for media, q in ranges:
        if q == 0:
            continue
        if media == "*/*":
            choice = next((o for o in offered if o not in refused), None)
        elif media.endswith("/*"):
            kind = media[:-1]
            choice = next((o for o in offered if o.startswith(kind) and o not in refused), None)
        else:
            choice = media if media in offered else None
        if choice:
            return choice
    return None


def choose(kind: str, accept: str | None, fmt: str | None) -> str:
    """The media type to answer a ``select``/``ask`` or ``graph`` result with, from the
    ``format`` parameter (when it names one for that kind) or the ``Accept`` header."""
    offered = list(GRAPH_TYPES if kind == "graph" else RESULT_TYPES)
    if fmt:
        by_name = FORMAT_NAMES.get(fmt.strip().lower())
        if by_name is None and fmt.strip().lower() in offered:
            return fmt.strip().lower()
        chosen = by_name and by_name[1 if kind == "graph" else 0]
        if chosen:
            return chosen
    chosen = negotiate(accept, offered)
    if chosen is None:
        wanted = "CONSTRUCT/DESCRIBE" if kind == "graph" else "SELECT/ASK"
        raise ProtocolError(
            406,
            f"Not Acceptable: {wanted} results are available as " + ", ".join(
                c.split(";")[0] for c in (RESULT_CONTENT_TYPES if kind != "graph"
                                          else GRAPH_CONTENT_TYPES).values()),
        )
    return chosen


# --------------------------------------------------------------------------- serialisation


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {
            "subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
            "object": _json_term(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attr = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value != XSD_STRING:
            attr = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attr = ""
        return f"<literal{attr}>{xml_escape(_xml_chars(term.value))}</literal>"
    if isinstance(term, ox.Triple):
        return ("<triple>" + "".join(
            f"<{part}>{_xml_term(getattr(term, part))}</{part}>"
            for part in ("subject", "predicate", "object")) + "</triple>")
    raise TypeError(f"not an RDF term: {term!r}")


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_chars(text: str) -> str:
    """XML 1.0 cannot carry most control characters: replace them with U+FFFD."""
    return _XML_INVALID.sub("\ufffd", text)


def _csv_cell(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _tsv_cell(term: Any) -> str:
    if term is None:
        return ""
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def serialize_solutions(fmt: str, variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """``SELECT`` results (``rows`` of RDF terms or ``None``) as ``json``, ``xml``, ``csv``
    or ``tsv`` (W3C SPARQL 1.1 result formats)."""
    if fmt == "json":
        bindings = [
            {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0" encoding="utf-8"?>\n'
               '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(variables, row, strict=True) if t is not None]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode("utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_cell(t) for t in row] for row in rows)
        return buffer.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join(_tsv_cell(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown result format {fmt!r}")


def serialize_boolean(fmt: str, value: bool) -> bytes:
    """An ``ASK`` result as ``json``, ``xml``, ``csv`` or ``tsv``."""
    word = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns='
                f'"http://www.w3.org/2005/sparql-results#"><head/><boolean>{word}</boolean>'
                "</sparql>\n").encode()
    if fmt == "csv":
        return f"_askResult\r\n{word}\r\n".encode()
    if fmt == "tsv":
        return f"?_askResult\n{word}\n".encode()
    raise ValueError(f"unknown result format {fmt!r}")


def serialize_triples(fmt: ox.RdfFormat, triples: Sequence[ox.Triple]) -> bytes:
    """Triples as Turtle, N-Triples, JSON-LD or RDF/XML (with the regiograph prefixes)."""
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        return ox.serialize(triples, format=fmt, prefixes=PREFIXES) or b""
    return ox.serialize(triples, format=fmt) or b""


# --------------------------------------------------------------------------- execution


@dataclass
class Answer:
    """A serialised result."""

    body: bytes
    media_type: str
    headers: dict[str, str] = field(default_factory=dict)


class Cancelled(Exception):
    """The request that wanted this result stopped waiting."""


def refuse_service(text: str) -> None:
    """Refuse federated queries: ``SERVICE`` would make the server fetch any address."""
    if has_keyword(text, "SERVICE"):
        raise ProtocolError(400, "SERVICE (federated queries) is disabled on this endpoint: "
                                 "the server does not fetch other addresses")


def execute(
    store: ox.Store,
    text: str,
    *,
    accept: str | None,
    fmt: str | None,
    max_rows: int,
    cancelled: threading.Event,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
) -> Answer:
    """Run a query and serialise its result (in a worker thread)."""
    options: dict[str, Any] = {"prefixes": PREFIXES}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    else:
        options["use_default_graph_as_union"] = not has_union_graph(store)
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    refuse_service(text)
    # pyoxigraph's result iterators must be dropped on the thread that made them: no
    # exception that leaves this function may carry a traceback with a frame holding one.
    answer: Any = None
    error: BaseException
    try:
        answer = store.query(text, **options)
        return _answer(answer, accept=accept, fmt=fmt, max_rows=max_rows, cancelled=cancelled)
    except SyntaxError as exc:
        error = ProtocolError(400, f"SPARQL syntax error: {exc}")
    except (ValueError, TypeError) as exc:
        error = ProtocolError(400, f"query failed: {exc}")
    except ProtocolError as exc:
        error = ProtocolError(exc.status, exc.message, exc.headers)
    except Cancelled:
        error = Cancelled()
    except Exception as exc:  # RuntimeError, OSError: the store failed
        error = ProtocolError(500, f"query failed: {exc}")
    finally:
        answer = None
    raise error


def _answer(answer: Any, *, accept: str | None, fmt: str | None, max_rows: int,
            cancelled: threading.Event) -> Answer:
    headers: dict[str, str] = {}
    if isinstance(answer, ox.QueryBoolean):
        fmt_name = RESULT_TYPES[choose("ask", accept, fmt)]
        return Answer(serialize_boolean(fmt_name, bool(answer)), RESULT_CONTENT_TYPES[fmt_name])
    if isinstance(answer, ox.QueryTriples):
        rdf = GRAPH_TYPES[choose("graph", accept, fmt)]
        triples = []
        for triple in answer:
            if cancelled.is_set():
                raise Cancelled
            if len(triples) == max_rows:
                headers["X-Regiograph-Truncated"] = "true"
                break
            triples.append(triple)
        headers["X-Regiograph-Rows"] = str(len(triples))
        return Answer(serialize_triples(rdf, triples), GRAPH_CONTENT_TYPES[rdf], headers)
    fmt_name = RESULT_TYPES[choose("select", accept, fmt)]
    variables = list(answer.variables)
    rows = []
    for solution in answer:
        if cancelled.is_set():
            raise Cancelled
        if len(rows) == max_rows:
            headers["X-Regiograph-Truncated"] = "true"
            break
        rows.append(tuple(solution[v] for v in variables))
    headers["X-Regiograph-Rows"] = str(len(rows))
    names = [v.value for v in variables]
    return Answer(serialize_solutions(fmt_name, names, rows), RESULT_CONTENT_TYPES[fmt_name],
                  headers)


class QueryRunner:
    """Runs blocking store work in at most ``workers`` daemon threads, each request waiting
    at most ``timeout`` seconds (first for a free worker, in arrival order, then for its
    result)."""

    def __init__(self, *, workers: int = 4, timeout: float = 30.0) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.timeout = timeout
        self.workers = workers
        self._slots: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._running = 0
        self._lock = threading.Lock()

    @property
    def running(self) -> int:
        """Worker threads busy now (runaway queries whose request gave up included)."""
        return self._running

    def _semaphore(self, loop: asyncio.AbstractEventLoop) -> asyncio.Semaphore:
        if self._slots is None or self._loop is not loop:
            self._slots, self._loop = asyncio.Semaphore(self.workers), loop
        return self._slots

    def _unavailable(self, why: str) -> ProtocolError:
        return ProtocolError(503, f"Service Unavailable: {why}",
                             {"Retry-After": str(max(1, round(self.timeout)))})

    async def run(self, work: Callable[[threading.Event], Any], *, what: str = "query") -> Any:
        """``work(cancelled)`` in a worker thread; raises :class:`ProtocolError` 503 when no
        worker frees up or the result does not come within the timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        slots = self._semaphore(loop)
        try:
            await asyncio.wait_for(slots.acquire(), self.timeout)
        except TimeoutError:
            raise self._unavailable(
                f"all {self.workers} query workers stayed busy for {self.timeout:g} s (slow "
                "queries are still running); try again later") from None
        future: asyncio.Future = loop.create_future()
        cancelled = threading.Event()

        def deliver(ok: bool, value: Any) -> None:
            slots.release()
            if future.done():
                return
            if cancelled.is_set():  # the request gave up: nobody will read this
                future.cancel()
                return
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

        def target() -> None:
            with self._lock:
                self._running += 1
            try:
                result: tuple[bool, Any] = (True, work(cancelled))
            except BaseException as exc:
                result = (False, exc)
            finally:
                with self._lock:
                    self._running -= 1
            with contextlib.suppress(RuntimeError):  # the event loop is gone (shut down)
                loop.call_soon_threadsafe(deliver, *result)

        try:
            threading.Thread(target=target, name=f"regiograph-{what}", daemon=True).start()
        except BaseException:
            slots.release()
            raise
        remaining = max(0.001, deadline - loop.time())
        try:
            return await asyncio.wait_for(asyncio.shield(future), remaining)
        except TimeoutError:
            cancelled.set()
            raise self._unavailable(
                f"the {what} did not finish within the {self.timeout:g} s timeout; make it "
                "more selective (add LIMIT, filters or fewer joins)") from None
