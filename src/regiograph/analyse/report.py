"""Writing an :class:`~regiograph.analyse.core.AnalysisResult`: RDF, CSV and a text summary."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from regiograph.errors import StoreError
from regiograph.namespaces import DCTERMS, METRICS_GRAPH, PREFIXES, RG, XSD
from regiograph.store import quads, write_atomic

from .core import METRIC_COLUMNS, AnalysisResult
from .metrics import UNDIRECTED_ROLES

__all__ = ["metrics_csv", "metrics_graph", "summary", "write_metrics"]

#: metrics table column -> regiograph property in the metrics named graph.
PROPERTIES = {
    "degree": RG.degree,
    "weighted_degree": RG.weightedDegree,
    "betweenness": RG.betweenness,
    "eigenvector": RG.eigenvector,
    "pagerank": RG.pagerank,
    "core": RG.coreNumber,
    "constraint": RG.constraint,
    "effective_size": RG.effectiveSize,
    "community": RG.community,
    "brokerage": RG.brokerage,
}
DECIMALS = 6


def _literal(value: Any) -> Literal:
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    return Literal(f"{value:.{DECIMALS}f}", datatype=XSD.decimal)


def metrics_graph(result: AnalysisResult) -> Graph:
    """The metrics as RDF, for the named graph ``METRICS_GRAPH``.

    Per organisation ``?org rg:degree ?d ; rg:weightedDegree ?w ; rg:betweenness ?b ;
    rg:eigenvector ?e ; rg:pagerank ?p ; rg:coreNumber ?k ; rg:constraint ?c ;
    rg:effectiveSize ?s ; rg:community ?id ; rg:brokerage ?n ; rg:brokerageRole "liaison"``
    (one ``rg:brokerageRole`` per role the organisation plays at least once; constraint
    and effective size are left out for organisations without partners); per
    collaboration ``?collaboration rg:helix "triple"``. Decimals have six places.
    """
    graph = Graph(identifier=METRICS_GRAPH)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    window = ", ".join(
        f"{name}={value}"
        for name, value in (
            ("since", result.since),
            ("until", result.until),
            ("resolution", result.resolution),
        )
        if value is not None
    )
    graph.add(
        (
            METRICS_GRAPH,
            DCTERMS.description,
            Literal(f"Network measures computed by regiograph analyse ({window})", lang="en"),
        )
    )
    for row in result.metrics:
        subject = URIRef(row["organisation"])
        for column, prop in PROPERTIES.items():
            if row[column] is not None:
                graph.add((subject, prop, _literal(row[column])))
        for role in UNDIRECTED_ROLES:
            if row[role]:
                graph.add((subject, RG.brokerageRole, Literal(role)))
    for collaboration in result.helix:
        graph.add(
            (URIRef(collaboration["collaboration"]), RG.helix, Literal(collaboration["helix"]))
        )
    return graph


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, float):
        return f"{value:.{DECIMALS}f}"
    return str(value)


def metrics_csv(result: AnalysisResult) -> str:
    """The metrics table as CSV (columns :data:`METRIC_COLUMNS`; lists joined by ``"; "``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(METRIC_COLUMNS)
    for row in result.metrics:
        writer.writerow([_cell(row[column]) for column in METRIC_COLUMNS])
    return buffer.getvalue()


def _replace_metrics(store: ox.Store, new: list[ox.Quad]) -> None:
    """Replace the metrics named graph; keep a materialised union default graph in step.

    A store whose default graph is not empty holds there the union of its named graphs
    (queries then read it instead of the union): the old metrics triples that no other
    named graph states leave it, the new ones join it.
    """
    name = ox.NamedNode(str(METRICS_GRAPH))
    default = ox.DefaultGraph()
    union = next(iter(store.quads_for_pattern(None, None, None, default)), None) is not None
    if union:
        for old in list(store.quads_for_pattern(None, None, None, name)):
            elsewhere = any(
                q.graph_name not in (name, default)
                for q in store.quads_for_pattern(old.subject, old.predicate, old.object)
            )
            if not elsewhere:
                store.remove(ox.Quad(old.subject, old.predicate, old.object, default))
    store.clear_graph(name)
    store.extend(new)
    if union:
        store.extend(ox.Quad(q.subject, q.predicate, q.object, default) for q in new)


def write_metrics(directory: str | Path, result: AnalysisResult) -> Path:
    """Store the metrics of ``result`` with the build in ``directory``.

    Replaces the named graph ``METRICS_GRAPH`` in ``directory/store`` with
    :func:`metrics_graph` (and its triples in the store's union default graph, when the
    build keeps one) and writes ``directory/metrics.csv`` atomically. The store is
    opened read-write, so no other process may have it open for writing. Returns the
    path of the CSV file.
    """
    directory = Path(directory)
    path = directory / "store"
    if not path.is_dir():
        raise StoreError(
            f"no graph store at {directory}",
            hint="build one first: regiograph build data/corpus --out build",
        )
    try:
        store = ox.Store(str(path))
    except OSError as exc:
        raise StoreError(
            f"cannot open the store at {path} for writing: {exc}",
            hint="close other programs that use the store and try again",
        ) from exc
    _replace_metrics(store, list(quads([(METRICS_GRAPH, metrics_graph(result))])))
    store.flush()
    del store
    csv_path = directory / "metrics.csv"
    write_atomic(csv_path, metrics_csv(result).encode("utf-8"))
    return csv_path


# --------------------------------------------------------------------------- summary


def _table(header: list[str], rows: list[list[str]], numeric: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *map(line, rows)]


def _types(members: list[dict[str, str]]) -> str:
    counts = Counter(m["type"] or "unknown" for m in members)
    return ", ".join(f"{t} {n}" for t, n in sorted(counts.items(), key=lambda i: (-i[1], i[0])))


def summary(result: AnalysisResult, *, top: int = 10) -> str:
    """A plain-text report of ``result`` for the command line."""
    G = result.graph
    window = ""
    if result.since is not None or result.until is not None:
        window = f", years {result.since or '...'}-{result.until or '...'}"
    lines = [
        f"Organisation network: {G.number_of_nodes()} organisations, "
        f"{G.number_of_edges()} ties, {len(result.communities)} communities{window}",
        "",
        f"Top {top} organisations by betweenness",
    ]
    rows = [
        [
            str(i),
            r["label"],
            r["type"],
            ", ".join(r["provinces"]),
            f"{r['betweenness']:.3f}",
            str(r["degree"]),
        ]
        for i, r in enumerate(result.metrics[:top], 1)
    ]
    header = ["#", "organisation", "type", "provinces", "betweenness", "degree"]
    lines += _table(header, rows, {0, 4, 5}) if rows else ["  (none)"]

    lines += ["", "Brokers per role (groups: organisation type)"]
    for role in UNDIRECTED_ROLES:
        best = sorted(
            (r for r in result.metrics if r[role]),
            key=lambda r: (-r[role], r["label"].lower(), r["organisation"]),
        )[:3]
        names = ", ".join(f"{r['label']} ({r[role]})" for r in best) or "-"
        lines.append(f"  {role}: {names}")

    lines += ["", "Communities (Louvain)"]
    for community, members in result.communities.items():
        names = ", ".join(m["label"] for m in members[:8])
        more = f", ... (+{len(members) - 8})" if len(members) > 8 else ""
        noun = "member" if len(members) == 1 else "members"
        lines.append(f"  {community}: {len(members)} {noun}: {_types(members)}")
        lines.append(f"     {names}{more}")

    helix = [h for h in result.helix if h["helix"] in ("triple", "quadruple")]
    lines += ["", f"Triple-helix collaborations ({len(helix)} of {len(result.helix)})"]
    for h in helix:
        types = ", ".join(f"{t} {n}" for t, n in h["types"].items())
        lines.append(f"  {h['label']} [{h['helix']}]: {types}")
    if not helix:
        lines.append("  (none)")

    lines += ["", f"Cross-province ties: {len(result.bridges)}"]
    for b in result.bridges[:top]:
        lines.append(
            f"  {b['source_label']} ({', '.join(b['source_provinces'])}) - "
            f"{b['target_label']} ({', '.join(b['target_provinces'])})"
        )
    if len(result.bridges) > top:
        lines.append(f"  ... (+{len(result.bridges) - top})")
    return "\n".join(lines)
