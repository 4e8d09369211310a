"""Storage: the embedded pyoxigraph store under ``OUT/store`` and file exports.

rdflib builds and serialises; pyoxigraph answers queries (it is one to two orders of
magnitude faster than rdflib's own SPARQL engine).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from functools import lru_cache
from hashlib import blake2b
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from .errors import StoreError, UsageError
from .filecopy import BlockCopier
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


#: Quads per bulk-load call: pyoxigraph's bulk loader holds about 1.3 kB per quad of a
#: call in memory, so loading in pieces keeps a build of any size under a few hundred MB.
LOAD_CHUNK = 125_000


def load_store(
    directory: Path,
    trig: Path,
    pieces: list[tuple[int, int]],
    prefixes: bytes,
    union: list[Path],
    ttl: Path,
    index: Path | None = None,
) -> None:
    """Create the store ``directory`` and the union file ``ttl`` (and, given ``index``,
    its :class:`UnionIndex` there) from the build's files.

    ``trig`` holds the named graphs; ``pieces`` are (start, end) byte ranges of it, each
    a run of whole graph blocks (of at most about :data:`LOAD_CHUNK` quads), to which
    ``prefixes`` (the ``@prefix`` lines) is prepended. ``union`` are N-Triples files of all
    triples of the named graphs (duplicates allowed), split by subject (as
    :class:`regiograph.render.LoadPieces` writes them): they become the default graph, each
    triple once, and ``ttl``. pyoxigraph's bulk loader parses and indexes outside the GIL:
    two threads load, one the union while the other starts on the pieces of named
    graphs, which both take once the union is done.
    """
    store = ox.Store(str(directory))
    try:
        with ThreadPoolExecutor(max_workers=2) as pool, trig.open("rb") as handle:
            # the union first: it is the longest task; the pieces of named graphs are
            # shared by both threads
            jobs = [pool.submit(_load_default_graph, store, union, ttl, index)]
            for start, end in pieces:
                handle.seek(start)
                data = handle.read(end - start)
                jobs.append(
                    pool.submit(_load_named, store, data if start == 0 else prefixes + data)
                )
                if len(jobs) > 3:  # read ahead one piece, not all of graph.trig
                    _wait_for_one(jobs)
            for job in jobs:
                job.result()
        compact(store)
    finally:
        del store


def compact(store: ox.Store) -> None:
    """Flush ``store`` and compact it into one sorted run per index.

    Every bulk-load call adds its own sorted files, whose key ranges overlap those of the
    other calls; until they are merged, every read looks in each of them. Compacting
    after a full load costs about 5 s per 3M quads and makes the saved queries 2-4x
    faster (most of their time is spent reading terms back from the string dictionary;
    see ``bench/RESULTS.md``).
    """
    store.flush()
    store.optimize()


def _load_named(store: ox.Store, trig: bytes) -> None:
    store.bulk_load(input=trig, format=ox.RdfFormat.TRIG)


def _wait_for_one(jobs: list[Future]) -> None:
    """Wait until one of the unfinished ``jobs`` is done, and drop the finished ones
    (raising the error of any that failed)."""
    wait(jobs, return_when=FIRST_COMPLETED)
    for job in [j for j in jobs if j.done()]:
        job.result()
        jobs.remove(job)


def _load_default_graph(store: ox.Store, union: list[Path], ttl: Path, index: Path | None) -> None:
    """Load the union files into the default graph and write them to ``ttl`` as Turtle.

    Each file holds every triple of its subjects, so its distinct lines, sorted, are its
    part of the union with one Turtle block per subject. Writing ``ttl`` from them instead
    of reading the default graph back from the store saves 5 s per 1M triples (and at
    100,000 documents the store, still being loaded and not yet compacted, took 213 s
    to read).
    """
    rows: list[tuple[int, int, int]] = []
    with ttl.open("wb") as out:
        out.write(prefix_lines())
        for path in union:
            nt = b"".join(sorted(set(path.read_bytes().splitlines(keepends=True))))
            store.bulk_load(input=nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
            turtle = _turtle(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
            if index is not None:
                rows += turtle_blocks(turtle, out.tell())
            out.write(turtle)
    if index is not None:
        UnionIndex(rows).save(index)


def load_nquads(directory: Path, path: Path) -> int:
    """Create the store ``directory`` from an N-Quads file of named graphs, with their
    union as the default graph (as a build writes it); return the number of lines read.

    For benchmarks and data made elsewhere: the file is loaded in pieces of
    :data:`LOAD_CHUNK` lines, each into its named graphs and (without the graph names)
    into the default graph, in two threads.
    """
    store = ox.Store(str(directory))
    lines = 0
    try:
        with ThreadPoolExecutor(max_workers=2) as pool, path.open("rb") as handle:
            while True:
                chunk = handle.readlines(LOAD_CHUNK * 150)
                if not chunk:
                    break
                lines += len(chunk)
                quads = b"".join(chunk)
                named = pool.submit(store.bulk_load, input=quads, format=ox.RdfFormat.N_QUADS)
                triples = b"".join(line.rsplit(b" ", 2)[0] + b" .\n" for line in chunk)
                union = pool.submit(
                    store.bulk_load,
                    input=triples,
                    format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.DefaultGraph(),
                )
                named.result()
                union.result()
        compact(store)
    finally:
        del store
    return lines


def copy_store(source: Path, target: Path) -> None:
    """Copy the store ``source`` to ``target`` (a RocksDB checkpoint: hard links to the
    immutable files on the same file system, so it takes milliseconds)."""
    store = ox.Store.read_only(str(source))
    try:
        store.backup(str(target))
    finally:
        del store


#: What left and what joined the union default graph: ``(left, joined)`` triples.
UnionChange = tuple[list[ox.Triple], list[ox.Triple]]


def replace_graphs(
    store: ox.Store,
    remove: Iterable[ox.NamedNode],
    add: dict[ox.NamedNode, list[ox.Triple]],
) -> UnionChange:
    """Drop the named graphs ``remove`` and (re)write the graphs of ``add``, keeping the
    union default graph in step.

    A graph in ``add`` replaces the graph of that name. A triple of a dropped or replaced
    graph leaves the default graph only when no named graph still states it; every triple
    of ``add`` is added to it. Returns the triples that left and joined the default graph.
    """
    old: set[ox.Triple] = set()
    for name in dict.fromkeys([*remove, *add]):
        old.update(q.triple for q in store.quads_for_pattern(None, None, None, name))
        store.remove_graph(name)
    new: dict[ox.Triple, None] = {}
    quads = []
    for name, triples in add.items():
        for t in triples:
            quads.append(ox.Quad(t.subject, t.predicate, t.object, name))
            new[t] = None
    if quads:
        store.bulk_extend(quads)
    return _leave_union(store, [t for t in old if t not in new]), _join_union(store, new)


def patch_graph(
    store: ox.Store,
    name: ox.NamedNode,
    gone: Iterable[ox.Triple],
    added: Iterable[ox.Triple],
    *,
    alone: bool = False,
) -> UnionChange:
    """Remove the triples ``gone`` from the named graph ``name`` and add ``added``,
    keeping the union default graph in step as :func:`replace_graphs` does; return the
    triples that left and joined the default graph.

    ``alone``: no other graph can state these triples (the derived graph's predicates are
    its own), so they leave and join the default graph without looking at the others.
    A graph left without triples is dropped, as a full build writes no empty graph.
    """
    gone, added = list(gone), list(added)
    default = ox.DefaultGraph()
    for t in gone:
        store.remove(ox.Quad(t.subject, t.predicate, t.object, name))
        if alone:
            store.remove(ox.Quad(t.subject, t.predicate, t.object, default))
    if gone and not added and next(store.quads_for_pattern(None, None, None, name), None) is None:
        store.remove_graph(name)
    if added:
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in added)
        if alone:
            store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, default) for t in added)
    if alone:
        return gone, added
    return _leave_union(store, gone), _join_union(store, added)


def _leave_union(store: ox.Store, triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """Remove from the default graph each of ``triples`` that no named graph states;
    return those."""
    default, left = ox.DefaultGraph(), []
    for t in triples:
        if not any(
            not isinstance(q.graph_name, ox.DefaultGraph)
            for q in store.quads_for_pattern(t.subject, t.predicate, t.object)
        ):
            store.remove(ox.Quad(t.subject, t.predicate, t.object, default))
            left.append(t)
    return left


def _join_union(store: ox.Store, triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """Add to the default graph each of ``triples`` it does not hold yet; return those."""
    default = ox.DefaultGraph()
    joined = [
        t for t in triples if ox.Quad(t.subject, t.predicate, t.object, default) not in store
    ]
    if joined:
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, default) for t in joined)
    return joined


def dump_union(store: ox.Store, path: Path) -> None:
    """Write the store's default graph (the union) as Turtle with the usual prefixes."""
    store.dump(
        str(path), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=PREFIXES
    )


_BLOCK = re.compile(rb"^([^\t\n@][^ \n]*) ", re.MULTILINE)


@lru_cache(maxsize=2)
def prefix_lines(fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> bytes:
    """The ``@prefix`` lines of :data:`PREFIXES` that pyoxigraph writes first in ``fmt``."""
    probe = ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:y"), ox.NamedNode("urn:z"))
    data = ox.serialize([probe], format=fmt, prefixes=PREFIXES)
    lines = data.splitlines(keepends=True)
    return b"".join(line for line in lines if line.startswith(b"@prefix "))


def without_prefixes(data: bytes, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> bytes:
    """``data`` (pyoxigraph's serialisation in ``fmt`` with :data:`PREFIXES`) without its
    leading :func:`prefix_lines`."""
    head = prefix_lines(fmt)
    if not data.startswith(head):  # pragma: no cover - pyoxigraph writes prefixes first
        raise RuntimeError("unexpected serialisation: the prefix lines are not first")
    return data[len(head) :]


def _turtle(triples: Iterable[ox.Triple | ox.Quad]) -> bytes:
    """Turtle of ``triples`` (or default-graph quads) without the prefix lines."""
    return without_prefixes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))


#: The index of graph.ttl's blocks a build keeps in ``OUT/cache`` (:class:`UnionIndex`).
UNION_INDEX = "union-index.npy"


def _hash(token: bytes) -> int:
    return int.from_bytes(blake2b(token, digest_size=8).digest(), "little", signed=True)


def turtle_blocks(data: bytes, base: int = 0) -> list[tuple[int, int, int]]:
    """``(hash of the subject as written, offset, length)`` of each subject's block in
    Turtle ``data`` as pyoxigraph writes it (offsets from ``base``): a block starts at the
    beginning of a line (its other lines start with a tab; literals are escaped on one
    line) that is not a ``@prefix`` line."""
    found = [(m.start(), m.group(1)) for m in _BLOCK.finditer(data)]
    ends = [start for start, _ in found[1:]] + [len(data)] if found else []
    return [(_hash(t), base + a, end - a) for (a, t), end in zip(found, ends, strict=True)]


class UnionIndex:
    """Where each subject's block is in graph.ttl, so that an incremental build drops and
    rewrites the blocks of the subjects it touched without scanning the whole file.

    A table of rows ``(hash, offset, length)`` sorted by hash: the hash is 64 bits of
    BLAKE2b of the subject as Turtle writes it; a match is confirmed by reading the
    subject at the offset, so a collision can never drop the wrong block.
    """

    def __init__(self, rows) -> None:
        import numpy as np  # imported here, as in regiograph.analyse: the CLI starts faster

        table = np.asarray(rows, dtype=np.int64).reshape(-1, 3)
        self.table = table[np.argsort(table[:, 0], kind="stable")]

    @classmethod
    def scan(cls, path: Path) -> UnionIndex:
        """The index of a Turtle file read whole."""
        return cls(turtle_blocks(path.read_bytes()))

    def save(self, path: Path) -> None:
        import numpy as np

        with path.open("wb") as handle:
            np.save(handle, self.table, allow_pickle=False)

    @classmethod
    def load(cls, path: Path) -> UnionIndex | None:
        """The index saved in ``path``, or ``None`` when it cannot be read."""
        import numpy as np

        try:
            table = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None
        if table.ndim != 2 or table.shape[1] != 3:
            return None
        index = cls.__new__(cls)
        index.table = table
        return index

    def find(self, token: bytes, source: int) -> tuple[int, int] | None:
        """(offset, length) of the block of the subject written ``token`` in the file open
        as ``source`` (a descriptor), or ``None``."""
        import numpy as np

        h = _hash(token)
        i = int(np.searchsorted(self.table[:, 0], h))
        want = token + b" "
        while i < len(self.table) and self.table[i, 0] == h:
            offset, length = int(self.table[i, 1]), int(self.table[i, 2])
            if os.pread(source, len(want), offset) == want:
                return offset, length
            i += 1
        return None

    def patched(self, dropped: list[tuple[int, int]], added: list[tuple[int, int, int]]):
        """The index once the blocks ``dropped`` (offset, length; sorted) are cut out of the
        file and the blocks ``added`` (rows) appended."""
        import numpy as np

        table = self.table
        if dropped:
            starts = np.array([a for a, _ in dropped], dtype=np.int64)
            cut = np.concatenate([[0], np.cumsum([n for _, n in dropped])]).astype(np.int64)
            table = table[~np.isin(table[:, 1], starts)].copy()
            table[:, 1] -= cut[np.searchsorted(starts, table[:, 1], side="right")]
        return UnionIndex(np.concatenate([table, np.asarray(added, np.int64).reshape(-1, 3)]))


def patch_union(
    old: Path, new: Path, change: UnionChange, index: UnionIndex | None = None
) -> UnionIndex:
    """Write ``new``: the Turtle file ``old`` of a union default graph (as a full build or
    :func:`dump_union` wrote it) with the triples that ``change`` says left and joined it;
    return the index of ``new``.

    The blocks of the subjects that changed are found with ``index`` (the index of ``old``;
    without it, ``old`` is scanned), parsed, changed and written again at the end; the
    rest of ``old`` is copied. The store is not read: at thousands of touched subjects,
    reading each one's triples back took most of an incremental build's time.
    """
    left, joined = change
    subjects = list(dict.fromkeys(t.subject for t in [*left, *joined]))
    tokens = _tokens(subjects)
    if index is None:
        index = UnionIndex.scan(old)
    with old.open("rb") as source, new.open("wb") as out:
        spans = [index.find(t, source.fileno()) for t in tokens]
        dropped = sorted({s for s in spans if s is not None})
        before = [os.pread(source.fileno(), n, offset) for offset, n in dropped]
        copier = BlockCopier(source, out)
        kept = 0
        for offset, length in dropped:
            copier.add(kept, offset - kept)
            kept = offset + length
        copier.add(kept, old.stat().st_size - kept)
        copier.flush()
        text = prefix_lines() + b"".join(before)
        gone = set(left)
        blocks: dict = {s: {} for s in subjects}  # subject -> its triples, in order
        for q in ox.parse(text, format=ox.RdfFormat.TURTLE) if before else ():
            if q.triple not in gone:
                blocks[q.subject][q.triple] = None
        for t in joined:
            blocks[t.subject][t] = None
        ordered = [t for block in blocks.values() for t in block]
        data = _turtle(ordered) if ordered else b""
        position = out.tell()
        out.write(data)
    return index.patched(dropped, turtle_blocks(data, position))


def _tokens(subjects: list) -> list[bytes]:
    """Each subject as Turtle writes it (with :data:`PREFIXES`), the way
    :func:`turtle_blocks` finds it."""
    if not subjects:
        return []
    probe_p, probe_o = ox.NamedNode("urn:p"), ox.NamedNode("urn:o")
    data = _turtle([ox.Triple(s, probe_p, probe_o) for s in subjects])
    tokens = [m.group(1) for m in _BLOCK.finditer(data)]
    if len(tokens) != len(subjects):  # pragma: no cover - one block per subject
        raise RuntimeError("unexpected Turtle from pyoxigraph: one block per subject")
    return tokens


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
