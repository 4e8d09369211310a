"""The query stage: saved SPARQL queries, safe parameter binding, running and formatting.

Saved queries are ``queries/*.rq`` files with a comment header (``# title:``, ``# titel:``,
``# question:``, ``# param: NAME KIND ["DEFAULT"] -- description``). Parameters are never
pasted into query text: :func:`bind` makes RDF terms of them and :func:`run` hands those to
pyoxigraph as ``substitutions`` (SPARQL SEP-0007), so ``x" } ; DROP ALL ; #`` stays one
literal. A substituted variable must be in the ``SELECT`` clause, which is why parameterised
saved queries echo their parameters as their first columns.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox

import regiograph
from regiograph.errors import QueryError, UsageError
from regiograph.namespaces import PREFIXES, XSD

Term = ox.NamedNode | ox.BlankNode | ox.Literal

KINDS: tuple[str, ...] = ("literal", "iri", "integer", "date", "year")
FORMATS: tuple[str, ...] = ("table", "csv", "json", "md")
MAX_CELL = 60
_LIST_HINT = "run `regiograph queries` to list the saved queries"


@dataclass(frozen=True)
class Param:
    """A parameter a saved query declares in its header."""

    name: str
    kind: str
    description: str
    default: str | None = None


@dataclass(frozen=True)
class SavedQuery:
    """A ``.rq`` file with its header."""

    name: str
    path: Path
    title_en: str
    title_nl: str
    question: str
    params: tuple[Param, ...]
    text: str


@dataclass
class QueryResult:
    """What a query returned, as plain Python values (``raw_rows`` keeps the RDF terms)."""

    kind: str  # select | ask | graph
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: str = ""
    raw_rows: list[tuple[Any, ...]] = field(default_factory=list)


# --------------------------------------------------------------------------- saved queries

_KEY_LINE = re.compile(r"#\s*(title|titel|question|param)\s*:\s*(.*?)\s*")
_PARAM_LINE = re.compile(
    r"(?P<name>[A-Za-z_]\w*)\s+(?P<kind>\w+)"
    r'(?:\s+(?P<default>"(?:[^"\\]|\\.)*"|[^\s"]\S*))?'
    r"\s+--\s+(?P<desc>\S.*)"
)
_VARNAME = re.compile(r"[A-Za-z_]\w*")


def queries_dir() -> Path:
    """The folder of the saved queries shipped with regiograph."""
    return Path(regiograph.__file__).parent / "resources" / "queries"


def _unquote(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] == '"':
        return re.sub(r"\\(.)", r"\1", token[1:-1])
    return token


def _parse_header(text: str, path: Path, *, strict: bool) -> dict[str, Any] | None:
    """Read the comment header; ``None`` when it has no known key and ``strict`` is off."""
    found: dict[str, Any] = {"params": []}
    keys_seen = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _KEY_LINE.fullmatch(stripped)
        if not match:
            continue  # a free comment line
        keys_seen = True
        key, value = match.groups()
        where = f"{path}:{lineno}"
        if key != "param":
            if key in found or not value:
                raise QueryError(f"{where}: `{key}` is {'given twice' if value else 'empty'}")
            found[key] = value
            continue
        pm = _PARAM_LINE.fullmatch(value)
        if not pm:
            hint = 'write `# param: NAME KIND ["DEFAULT"] -- description`'
            raise QueryError(f"{where}: malformed param line {value!r}", hint=hint)
        if pm["kind"] not in KINDS:
            hint = "use one of " + ", ".join(KINDS)
            raise QueryError(f"{where}: unknown parameter kind {pm['kind']!r}", hint=hint)
        if any(p.name == pm["name"] for p in found["params"]):
            raise QueryError(f"{where}: parameter {pm['name']!r} declared twice")
        default = _unquote(pm["default"]) if pm["default"] is not None else None
        found["params"].append(Param(pm["name"], pm["kind"], pm["desc"], default))
    if strict:
        missing = [k for k in ("title", "titel", "question") if k not in found]
        if missing:
            raise QueryError(
                f"{path}: header lacks {', '.join(missing)}",
                hint="start the file with `# title:`, `# titel:` and `# question:` lines",
            )
    elif not keys_seen:
        return None
    return found


def _saved(path: Path, text: str, header: dict[str, Any]) -> SavedQuery:
    titles = (header.get(k, "") for k in ("title", "titel", "question"))
    return SavedQuery(path.stem, path, *titles, params=tuple(header["params"]), text=text)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read query file {path}: {exc}") from exc


def load_saved_queries(directory: Path | None = None) -> dict[str, SavedQuery]:
    """All saved queries of ``directory`` (default :func:`queries_dir`), sorted by name."""
    folder = Path(directory) if directory is not None else queries_dir()
    if not folder.is_dir():
        raise QueryError(f"no saved-query folder at {folder}")
    queries: dict[str, SavedQuery] = {}
    for path in sorted(folder.glob("*.rq")):
        text = _read(path)
        header = _parse_header(text, path, strict=True)
        assert header is not None
        queries[path.stem] = _saved(path, text, header)
    return queries


def resolve(spec: str, directory: Path | None = None) -> tuple[str, SavedQuery | None]:
    """Query text for ``spec``: a path to a ``.rq`` file or the name of a saved query.

    A saved query may also be named without its number (``partners_of``) or by its number
    alone (``3``). For a file with a header the parsed header comes back too, else ``None``.
    """
    path = Path(spec)
    if spec.endswith(".rq") or "/" in spec or "\\" in spec or path.is_file():
        if not path.is_file():
            raise QueryError(
                f"no query file {spec}", hint=f"give a .rq file or a name; {_LIST_HINT}"
            )
        text = _read(path)
        header = _parse_header(text, path, strict=False)
        return text, (_saved(path, text, header) if header else None)
    queries = load_saved_queries(directory)
    if spec in queries:
        return queries[spec].text, queries[spec]
    short = {re.sub(r"^\d+_", "", name): name for name in queries}
    numbered = {int(m[1]): name for name in queries if (m := re.match(r"(\d+)_", name))}
    name = short.get(spec) or (numbered.get(int(spec)) if spec.isdigit() else None)
    if name:
        return queries[name].text, queries[name]
    close = difflib.get_close_matches(spec, [*queries, *short], n=3, cutoff=0.5)
    close = list(dict.fromkeys(short.get(c, c) for c in close))
    hint = (f"did you mean {' or '.join(close)}? " if close else "") + _LIST_HINT
    raise QueryError(f"unknown query {spec!r}", hint=hint)


# --------------------------------------------------------------------------- parameters

_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|^`\\]')
_ISO_DATE = re.compile(r"-?\d{4,}-\d{2}-\d{2}")
_INTEGER = re.compile(r"[+-]?\d+")


def _iri(value: str, name: str) -> ox.NamedNode:
    iri = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    prefix, sep, local = iri.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        iri = PREFIXES[prefix] + local  # a prefixed name such as rgo:nhl-stenden
    if not iri or _IRI_FORBIDDEN.search(iri) or not re.match(r"[A-Za-z][\w+.-]*:", iri):
        raise QueryError(
            f"parameter {name!r}: {value!r} is not an IRI",
            hint='give an absolute IRI without spaces or <>"{}|^`\\, or a prefixed name',
        )
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise QueryError(f"parameter {name!r}: {value!r} is not an IRI ({exc})") from exc


def _typed(value: str, kind: str, name: str) -> Term:
    if kind == "literal":
        return ox.Literal(value)
    if kind == "iri":
        return _iri(value, name)
    if kind == "integer":
        if not _INTEGER.fullmatch(value.strip()):
            raise QueryError(f"parameter {name!r}: {value!r} is not an integer", hint="e.g. 3")
        return ox.Literal(int(value))
    if kind == "year":
        if not re.fullmatch(r"\d{4}", value.strip()):
            raise QueryError(f"parameter {name!r}: {value!r} is not a year", hint="e.g. 2022")
        return ox.Literal(int(value))
    if kind == "date":
        value = value.strip()
        try:
            iso = date.fromisoformat(value).isoformat() if _ISO_DATE.fullmatch(value) else ""
        except ValueError:
            iso = ""
        if not iso:
            raise QueryError(f"parameter {name!r}: {value!r} is not a date", hint="YYYY-MM-DD")
        return ox.Literal(iso, datatype=ox.NamedNode(str(XSD.date)))
    raise QueryError(f"parameter {name!r}: unknown kind {kind!r}", hint="use " + ", ".join(KINDS))


def _guess(value: str, name: str) -> Term:
    if value.startswith("<") and value.endswith(">"):
        return _iri(value, name)
    if re.fullmatch(r"-?\d+", value):
        return ox.Literal(int(value))
    with contextlib.suppress(QueryError):
        return _typed(value, "date", name)
    return ox.Literal(value)


def bind(
    values: Mapping[str, str], declared: Sequence[Param] = (), *, strict: bool | None = None
) -> dict[ox.Variable, Term]:
    """RDF terms for the user's ``NAME=VALUE`` parameters, typed by the declared kinds.

    Declared parameters that are not given take their default. With ``strict`` (the default
    when anything is declared; pass ``strict=True`` for any saved query) a name that is not
    declared is refused; an ad-hoc query accepts any name and guesses the type.
    """
    by_name = {p.name: p for p in declared}
    strict = bool(declared) if strict is None else strict
    bound: dict[ox.Variable, Term] = {}
    for raw_name, raw_value in values.items():
        name, value = raw_name.strip().lstrip("?$"), str(raw_value)
        if not _VARNAME.fullmatch(name):
            raise QueryError(
                f"invalid parameter name {raw_name!r}",
                hint="a name is a SPARQL variable name: letters, digits and _",
            )
        if name in by_name:
            term = _typed(value, by_name[name].kind, name)
        elif strict:
            known = ", ".join(by_name) or "none"
            raise QueryError(f"unknown parameter {name!r}", hint=f"this query takes: {known}")
        else:
            term = _guess(value, name)
        bound[ox.Variable(name)] = term
    for param in declared:
        if ox.Variable(param.name) in bound:
            continue
        if param.default is None:
            raise QueryError(
                f"missing parameter {param.name!r} ({param.description})",
                hint=f"add --param {param.name}=VALUE",
            )
        bound[ox.Variable(param.name)] = _typed(param.default, param.kind, param.name)
    return bound


# --------------------------------------------------------------------------- running

_INTEGER_NAMES = """integer int long short byte nonNegativeInteger positiveInteger
    negativeInteger nonPositiveInteger unsignedLong unsignedInt unsignedShort unsignedByte"""
_INTEGER_TYPES = {str(XSD[t]) for t in _INTEGER_NAMES.split()}
_FLOAT_TYPES = {str(XSD.decimal), str(XSD.double), str(XSD.float)}
_UPDATE = re.compile(
    r"^\s*(INSERT|DELETE|DROP|CLEAR|LOAD|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE | re.MULTILINE
)


def to_python(term: Any) -> Any:
    """A plain Python value for an RDF term (``None`` for an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, ox.Literal):
        return str(term)
    datatype, value = term.datatype.value, term.value
    try:
        if datatype in _INTEGER_TYPES:
            return int(value)
        if datatype in _FLOAT_TYPES:
            return float(value)
        if datatype == str(XSD.boolean):
            return value.strip() in ("true", "1")
        if datatype == str(XSD.date):
            return date.fromisoformat(value.strip()[:10])
    except ValueError:
        pass
    return value


def has_union_graph(store: ox.Store) -> bool:
    """Whether the store's default graph holds the deduplicated union of its named graphs
    (every regiograph build writes it). Then queries read the default graph, where each
    triple occurs once; otherwise they read the union of the named graphs, where a triple
    stated by 80 documents occurs 80 times."""
    default = store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    return next(iter(default), None) is not None


def run(
    store: ox.Store, text: str, params: Mapping[ox.Variable, Term] | None = None
) -> QueryResult:
    """Run one SPARQL query over the union of all graphs, with ``params`` substituted."""
    try:
        answer = store.query(
            text,
            prefixes=PREFIXES,
            use_default_graph_as_union=not has_union_graph(store),
            substitutions=dict(params) if params else None,
        )
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult(kind="ask", boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            data = ox.serialize(list(answer), format=ox.RdfFormat.N_TRIPLES)
            return QueryResult(kind="graph", triples=data.decode("utf-8"))
        variables = list(answer.variables)
        raw = [tuple(solution) for solution in answer]  # in the order of ``variables``
    except SyntaxError as exc:
        if _UPDATE.search(text):
            raise QueryError(
                "SPARQL updates are not allowed: regiograph only reads the graph",
                hint="use SELECT, ASK, CONSTRUCT or DESCRIBE",
            ) from exc
        raise QueryError(
            f"SPARQL syntax error: {exc}",
            hint="the prefixes " + ", ".join(f"{p}:" for p in PREFIXES) + " are predeclared",
        ) from exc
    except (RuntimeError, OSError, ValueError, TypeError) as exc:
        message = str(exc)
        hint = None
        if "projection" in message:
            hint = "a parameter must be a variable listed in the SELECT clause"
        raise QueryError(f"query failed: {message}", hint=hint) from exc
    return QueryResult(
        kind="select",
        columns=[v.value for v in variables],
        rows=[tuple(to_python(t) for t in row) for row in raw],
        raw_rows=raw,
    )


def prepare(
    spec: str, values: Mapping[str, str] | None = None, directory: Path | None = None
) -> tuple[str, dict[ox.Variable, Term], SavedQuery | None]:
    """Resolve ``spec`` and bind ``values`` to it.

    A query with a header (every saved query) refuses parameters it does not declare.
    """
    text, saved = resolve(spec, directory)
    params = saved.params if saved else ()
    return text, bind(values or {}, params, strict=saved is not None), saved


def execute(
    store: ox.Store,
    spec: str,
    values: Mapping[str, str] | None = None,
    directory: Path | None = None,
) -> QueryResult:
    """Resolve, bind and run in one go."""
    text, params, _ = prepare(spec, values, directory)
    return run(store, text, params)


# --------------------------------------------------------------------------- formatting

_PN_LOCAL = re.compile(r"[^\s/#?<>\"{}|^`\\:]*")
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: (-len(item[1]), item[0]))


def shorten_iri(iri: str) -> str:
    """``rgo:nhl-stenden`` for a full IRI under one of :data:`PREFIXES`, else the IRI."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and _PN_LOCAL.fullmatch(iri[len(namespace) :]):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _cells(result: QueryResult, *, short: bool) -> list[list[str]]:
    """Rows as text; ``short`` shortens IRIs and puts each cell on one line."""
    raws = result.raw_rows if len(result.raw_rows) == len(result.rows) else None
    table = []
    for i, row in enumerate(result.rows):
        cells = [_text(v) for v in row]
        if short:
            for j, term in enumerate(raws[i] if raws else ()):
                if isinstance(term, ox.NamedNode):
                    cells[j] = shorten_iri(term.value)
            cells = [re.sub(r"\s*[\r\n\t]+\s*", " ", c) for c in cells]
        table.append(cells)
    return table


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _table(result: QueryResult) -> str:
    cells = [
        [c if len(c) <= MAX_CELL else c[: MAX_CELL - 1] + "…" for c in row]
        for row in _cells(result, short=True)
    ]
    widths = [len(col) for col in result.columns]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    numeric = [
        any(_is_number(row[i]) for row in result.rows)
        and all(row[i] is None or _is_number(row[i]) for row in result.rows)
        for i in range(len(result.columns))
    ]

    def line(row: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(row, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    n = len(result.rows)
    lines = [line(result.columns), "  ".join("-" * w for w in widths)] if result.columns else []
    lines += [line(row) for row in cells]
    lines.append(f"({n} row{'' if n == 1 else 's'})")
    return "\n".join(lines)


def _csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows(_cells(result, short=False))
    return buffer.getvalue().rstrip("\n")


def _json(result: QueryResult) -> str:
    records = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    return json.dumps(records, ensure_ascii=False, indent=2, default=date.isoformat)


def _md(result: QueryResult) -> str:
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")

    lines = [
        "| " + " | ".join(esc(c) for c in result.columns) + " |",
        "|" + "|".join(" --- " for _ in result.columns) + "|",
    ]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in _cells(result, short=True)]
    return "\n".join(lines)


def format_result(result: QueryResult, fmt: str) -> str:
    """The result as text in ``fmt`` (table, csv, json or md), without a final newline."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown output format {fmt!r}", hint="use " + ", ".join(FORMATS))
    if result.kind == "ask":
        return "true" if result.boolean else "false"
    if result.kind == "graph":
        return result.triples.rstrip("\n")
    return {"table": _table, "csv": _csv, "json": _json, "md": _md}[fmt](result)
