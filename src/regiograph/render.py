"""Serialise named graphs for the build: TriG blocks (``graph.trig``) and N-Triples.

``graph.trig`` is :data:`HEADER` (the ``@prefix`` lines of
:data:`~regiograph.namespaces.PREFIXES`) followed by one block per named graph:
ontology, reference places and then every document in input order. A block is what
pyoxigraph's TriG serialiser writes for the graph's triples without the header, so a
document's block can be cached and reused byte for byte by the next incremental build,
and the file is the same whichever process serialised a block.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from zlib import crc32

import pyoxigraph as ox

from .model import Entity, ResolvedDocument
from .namespaces import ONTOLOGY_GRAPH, PREFIXES, REFERENCE_GRAPH, doc_graph
from .rdf import TermTriple, document_terms, ontology_graph
from .reference import places_graph
from .store import prefix_lines, to_ox, without_prefixes

TRIG = ox.RdfFormat.TRIG
NT = ox.RdfFormat.N_TRIPLES


def header() -> bytes:
    """The ``@prefix`` lines every TriG block is written with."""
    return prefix_lines(TRIG)


@dataclass(frozen=True)
class Rendered:
    """One named graph, serialised."""

    graph: str  # the graph IRI
    trig: bytes  # TriG block without the prefix lines
    nt: bytes  # its triples as N-Triples (for the union default graph)
    triples: int


def render_triples(graph: str, triples: Sequence[TermTriple]) -> Rendered:
    """Serialise the triples of the named graph ``graph`` (order is kept); the quads and
    triples are made one at a time as they are written (the derived graph has 800,000
    triples at 100,000 documents)."""
    g = ox.NamedNode(graph)
    trig = ox.serialize(
        (ox.Quad(s, p, o, g) for s, p, o in triples), format=TRIG, prefixes=PREFIXES
    )
    nt = ox.serialize((ox.Triple(s, p, o) for s, p, o in triples), format=NT)
    return Rendered(graph, without_prefixes(trig, TRIG), nt, len(triples))


def render_document(resolved: ResolvedDocument) -> Rendered:
    """The named graph of one resolved document, serialised."""
    graph = str(doc_graph(resolved.extraction.document.doc_id))
    return render_triples(graph, document_terms(resolved))


@dataclass(frozen=True, slots=True)
class RenderTask:
    """A resolved document whose extraction is pickled: what a build sends to a worker
    when it keeps only a compact form of the extraction (:mod:`regiograph.compact`)."""

    extraction: bytes  # the pickled Extraction (the document's cache entry)
    org_keys: dict[str, str]
    person_keys: dict[str, str]
    entities: dict[str, Entity]

    def __reduce__(self):  # the positional constructor, as the model's classes pickle
        return RenderTask, (self.extraction, self.org_keys, self.person_keys, self.entities)

    def resolved(self) -> ResolvedDocument:
        ext = pickle.loads(self.extraction)
        return ResolvedDocument(ext, self.org_keys, self.person_keys, self.entities)


def render_documents(chunk: list[ResolvedDocument | RenderTask]) -> list[Rendered]:
    """:func:`render_document` of every document of ``chunk`` (a worker task)."""
    return [
        render_document(item.resolved() if isinstance(item, RenderTask) else item)
        for item in chunk
    ]


def static_graphs() -> list[Rendered]:
    """The ontology and reference graphs, triples sorted so the bytes never vary."""
    out = []
    for name, graph in ((ONTOLOGY_GRAPH, ontology_graph()), (REFERENCE_GRAPH, places_graph())):
        triples = sorted(
            ((to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph),
            key=lambda t: (str(t[0]), str(t[1]), str(t[2])),
        )
        out.append(render_triples(str(name), triples))
    return out


def parse_nt(data: bytes) -> list[ox.Triple]:
    """The triples of N-Triples ``data``."""
    return [q.triple for q in ox.parse(data, format=NT)]


def parse_block(block: bytes) -> list[ox.Quad]:
    """The quads of a TriG block written by :func:`render_triples`."""
    return list(ox.parse(header() + block, format=TRIG))


#: Distinct triples a document adds to the union, about (122 in the benchmark corpus):
#: sizes the union files of :class:`LoadPieces`.
UNION_TRIPLES_PER_DOCUMENT = 120


def union_files(documents: int, size: int) -> int:
    """How many union files a build of ``documents`` writes: one per ``size`` triples, at
    most 256."""
    return max(1, min(256, round(documents * UNION_TRIPLES_PER_DOCUMENT / size)))


class LoadPieces:
    """The pieces a full build loads into the store: byte ranges of graph.trig, each of
    about ``size`` quads, and the union split by subject into ``files`` N-Triples files.

    Every triple of a subject goes to the same union file (the CRC-32 of the subject picks
    it), so each file can be deduplicated, loaded and written as Turtle on its own (see
    :func:`regiograph.store.load_store`), holding one file's triples at a time.
    """

    def __init__(self, directory: Path, size: int, files: int) -> None:
        self.size = size
        self.pieces: list[tuple[int, int]] = []
        self.files = [directory / f"union-{i:04d}.nt" for i in range(max(1, files))]
        self.handles = [path.open("wb") for path in self.files]
        self.start = self.count = self.end = 0

    def add(self, nt: bytes, triples: int, end: int) -> None:
        """Add a graph of ``triples`` triples (N-Triples ``nt``) whose block ends at
        ``end`` in graph.trig."""
        handles = self.handles
        if len(handles) == 1:
            handles[0].write(nt)
        else:
            parts: dict[int, list[bytes]] = {}
            n = len(handles)
            for line in nt.splitlines(keepends=True):
                parts.setdefault(crc32(line[: line.index(b" ")]) % n, []).append(line)
            for i, lines in parts.items():
                handles[i].writelines(lines)
        self.count += triples
        self.end = end
        if self.count >= self.size:
            self.pieces.append((self.start, self.end))
            self.start, self.count = self.end, 0

    def close(self) -> None:
        if self.count:
            self.pieces.append((self.start, self.end))
            self.start, self.count = self.end, 0
        for handle in self.handles:
            handle.close()
