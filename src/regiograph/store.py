"""Storage: the embedded pyoxigraph store under ``OUT/store`` and file exports.

rdflib builds and serialises; pyoxigraph answers queries (it is one to two orders of
magnitude faster than rdflib's own SPARQL engine).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from .errors import StoreError, UsageError
from .namespaces import PREFIXES

EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    # name: (file suffix, description)
    "ttl": ("ttl", "Turtle, all named graphs merged"),
    "trig": ("trig", "TriG, one named graph per document"),
    "nt": ("nt", "N-Triples, all named graphs merged"),
    "nq": ("nq", "N-Quads, one named graph per document"),
    "jsonld": ("jsonld", "JSON-LD, one named graph per document"),
}


def store_path(directory: str | Path) -> Path:
    """``DIR/store`` for a build directory; ``DIR`` itself if it is a store."""
    path = Path(directory)
    return path / "store" if (path / "store").is_dir() else path


def to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def quads(graphs: Iterable[tuple[URIRef, Iterable[tuple]]]) -> Iterator[ox.Quad]:
    """The triples of named graphs (rdflib terms) as pyoxigraph quads."""
    cache: dict = {}

    def convert(term):
        if isinstance(term, Literal):
            return to_ox(term)
        found = cache.get(term)
        if found is None:
            found = cache[term] = to_ox(term)
        return found

    for name, graph in graphs:
        g = ox.NamedNode(str(name))
        for s, p, o in graph:
            yield ox.Quad(convert(s), convert(p), convert(o), g)


def write_build(directory: Path, graphs: Iterable[tuple[URIRef, Iterable[tuple]]]) -> None:
    """Write ``store/``, ``graph.trig`` (named graphs) and ``graph.ttl`` (their union).

    The store holds the named graphs and, in its default graph, their union with every
    triple once: queries read that (see :func:`regiograph.query.has_union_graph`).
    """
    store = ox.Store(str(directory / "store"))
    named = list(quads(graphs))
    store.bulk_extend(named)
    store.flush()
    ox.serialize(named, directory / "graph.trig", format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    union = list(dict.fromkeys(q.triple for q in named))
    ox.serialize(union, directory / "graph.ttl", format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in union)
    store.flush()
    store.optimize()
    del store


def open_store(directory: str | Path) -> ox.Store:
    """Open the store of a build read-only.

    Raises :class:`StoreError` with the fix when there is none.
    """
    path = store_path(directory)
    if not path.exists():
        raise StoreError(
            f"no graph store at {directory}",
            hint="build one first: regiograph build data/corpus --out build",
        )
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(
            f"cannot open the store at {path}: {exc}", hint="rebuild it with regiograph build"
        ) from exc


def load_dataset(directory: str | Path) -> Dataset:
    """The whole graph of a build as an rdflib Dataset (from ``graph.trig``)."""
    path = Path(directory) / "graph.trig"
    if not path.exists():
        raise StoreError(
            f"no graph.trig in {directory}",
            hint="build one first: regiograph build data/corpus --out build",
        )
    ds = Dataset()
    ds.parse(path, format="trig")
    return ds


def union_graph(ds: Dataset) -> Graph:
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def serialise(ds: Dataset, fmt: str) -> bytes:
    """The build in one of :data:`EXPORT_FORMATS`."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(
            f"unknown export format {fmt!r}", hint=f"choose one of {', '.join(EXPORT_FORMATS)}"
        )
    if fmt in ("ttl", "nt"):
        return union_graph(ds).serialize(
            format="turtle" if fmt == "ttl" else "nt11", encoding="utf-8"
        )
    rdflib_format = {"trig": "trig", "nq": "nquads", "jsonld": "json-ld"}[fmt]
    return ds.serialize(format=rdflib_format, encoding="utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so readers never see half of it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
