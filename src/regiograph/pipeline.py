"""The build pipeline: ingest -> extract -> resolve -> RDF -> store, written atomically.

:func:`build` is what ``regiograph build`` and notebooks call. It writes into a temporary
directory beside ``out`` and renames it into place at the end, so a failed or interrupted
build never leaves a half-written output and never destroys the previous one.

Two modes:

``full``
    every document is extracted and every named graph written; the store is bulk-loaded
    from ``graph.trig`` (named graphs) and the N-Triples of all graphs (the union default
    graph).
``incremental``
    ``out`` holds a build whose cache (:mod:`regiograph.cache`) has the same extractor
    fingerprint: only new and changed documents are extracted, all are resolved again,
    and only the named graphs whose inputs changed (the document, or the resolved
    organisations it names) are rendered again, and the derived graph is recomputed only
    for the subjects the changed facts touch (:mod:`regiograph.derive_state`); unchanged
    blocks of graph.trig and graph.ttl are copied from the previous build; the previous
    store is copied (a RocksDB checkpoint) and patched: removed and changed graphs are
    dropped, new ones written, the union default graph kept in step. The result equals a
    full build of the same inputs (graph.trig byte for byte).

``jobs > 1`` extracts (and renders) in that many worker processes
(:mod:`regiograph.parallel`); the output is byte for byte that of ``jobs=1``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path

import pyoxigraph as ox

from . import __version__
from . import cache as c
from .compact import Compactor
from .derive_state import DerivedUpdate
from .errors import NothingToBuildError, UsageError
from .filecopy import BlockCopier, Pack, replace_dir
from .ingest import DEFAULT_MAX_BYTES, DocumentMeta, Skipped, iter_documents
from .model import Document, Extraction, ResolvedDocument
from .namespaces import DERIVED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, doc_graph
from .parallel import extract_all, render_all, start_workers, worker_pool
from .render import (
    LoadPieces,
    Rendered,
    RenderTask,
    header,
    parse_nt,
    static_graphs,
    union_files,
)
from .resolve import Curation, counts, resolve
from .runtime import paused_gc, return_free_memory
from .store import (
    LOAD_CHUNK,
    UNION_INDEX,
    UnionIndex,
    copy_store,
    load_store,
    patch_graph,
    patch_union,
    replace_graphs,
)

DEFAULT_CURATION = Path("data/curation.yaml")
#: Render in worker processes only when at least this many graphs change.
PARALLEL_RENDER_MIN = 256


@dataclass
class BuildReport:
    """What a build did. ``mode`` is ``"full"`` or ``"incremental"``; ``counts`` holds
    ``documents_extracted``, ``documents_reused``, ``documents_removed`` and
    ``graphs_written`` besides the documents read and skipped and the graph's counts."""

    out: str
    mode: str = "full"
    jobs: int = 1
    documents: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    started: str = ""
    version: str = __version__

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)


@dataclass
class _Slot:
    """One input document on its way through the build."""

    path: str
    key: str
    sha256: str
    stat: tuple[int, ...]
    meta: str  # its metadata as the key hashes it (cache.meta_text)
    extraction: Extraction | None = None
    entry: c.Entry | None = None  # from the previous build's cache
    #: the extraction pickled, as its worker sent it (a new document's only; ``extraction``
    #: is the compact form, and a reused document's bytes are read from the previous
    #: build's cache entry if its graph is rendered again)
    pickled: bytes | None = None


def _ingest(
    inputs: Sequence[str | Path],
    strict: bool,
    fingerprint: str,
    previous: c.Cache | None,
    report: BuildReport,
    on_skip: Callable[[Skipped], None] | None,
) -> tuple[list[_Slot], list[Document]]:
    """Read the inputs; documents in the previous build's cache are not read again (and
    not even hashed when their stat signature is the one recorded)."""
    metas: dict[str, DocumentMeta | None] = {}
    stats: dict[str, tuple[int, ...]] = {}

    def reuse(path: Path, meta: DocumentMeta | None) -> _Slot | None:
        where = str(path)
        metas[where] = meta
        try:
            stats[where] = stat = c.file_stat(path)  # before reading: see Cache.seen
        except OSError:
            return None
        if previous is None or stat[1] > DEFAULT_MAX_BYTES:
            return None
        known = previous.stats.get(where)
        trusted = known is not None and known[0] == stat  # the bytes are as recorded
        text = c.meta_text(meta)
        try:
            digest = known[1] if trusted else sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None
        if trusted and known[3] == text:
            key = known[2]  # the same name, bytes and metadata: the same key
        else:
            key = c.document_key(fingerprint, path.name, digest, meta)
        entry = previous.load(key)
        if entry is None:
            return None
        return _Slot(where, key, digest, stat, text, entry.extraction, entry)

    slots: list[_Slot] = []
    todo: list[Document] = []
    for item in iter_documents(inputs, strict=strict, reuse=reuse):
        if isinstance(item, Skipped):
            report.skipped.append({"path": item.path, "reason": item.reason})
            if on_skip:
                on_skip(item)
        elif isinstance(item, _Slot):
            slots.append(item)
        else:
            where = item.path or item.doc_id
            key = c.document_key(fingerprint, item.doc_id, item.sha256, metas.get(where))
            text = c.meta_text(metas.get(where))
            slots.append(_Slot(where, key, item.sha256, stats.get(where, ()), text))
            todo.append(item)
    return slots, todo


def build(
    inputs: Sequence[str | Path],
    out: str | Path,
    *,
    strict: bool = False,
    curation: str | Path | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    jobs: int = 1,
    incremental: bool = True,
) -> BuildReport:
    """Build the stakeholder graph of ``inputs`` into ``out``.

    Parameters
    ----------
    inputs : sequence of str or Path
        Files and folders to read.
    out : str or Path
        The build directory: ``graph.trig`` (named graphs), ``graph.ttl`` (their union),
        ``store/`` (pyoxigraph), ``cache/`` (see :mod:`regiograph.cache`) and
        ``build-report.json``. It is replaced atomically.
    strict : bool
        Fail on the first input that cannot be read instead of skipping it.
    curation : str or Path, optional
        The curation file; ``data/curation.yaml`` when it exists.
    progress : callable, optional
        ``progress(done, total, name)`` after every document (reused ones first).
    on_skip : callable, optional
        ``on_skip(skipped)`` for every input that cannot be read.
    jobs : int
        Worker processes for extraction (and rendering); the output does not depend on it.
    incremental : bool
        Reuse the cache of the build already in ``out`` when its extractor fingerprint
        matches; ``False`` rebuilds everything (and still writes a fresh cache).

    Returns
    -------
    BuildReport
        ``mode`` says which mode ran; ``counts`` the documents extracted, reused and
        removed.
    """
    if not isinstance(jobs, int) or jobs < 1:
        raise UsageError(f"jobs must be a whole number >= 1, not {jobs!r}", hint="use --jobs 2")
    with paused_gc():
        return _build(inputs, Path(out), strict, curation, progress, on_skip, jobs, incremental)


def _build(
    inputs: Sequence[str | Path],
    out: Path,
    strict: bool,
    curation: str | Path | None,
    progress: Callable[[int, int, str], None] | None,
    on_skip: Callable[[Skipped], None] | None,
    jobs: int,
    incremental: bool,
) -> BuildReport:
    report = BuildReport(out=str(out), started=datetime.now(UTC).isoformat(), jobs=jobs)
    t0 = time.perf_counter()
    started_ns = time.time_ns()
    fingerprint = c.extractor_fingerprint()
    previous = c.Cache.open(out, fingerprint) if incremental else None
    report.mode = "incremental" if previous else "full"
    pool = worker_pool(jobs)  # one for extracting and rendering
    try:
        if pool is not None and previous is None:
            # fork before reading every document: a worker forked later keeps a copy of
            # the texts the parent held (0.75 GB over two workers at 100,000 documents)
            start_workers(pool)
        return _build_reading(
            inputs, out, report, strict, curation, progress, on_skip, fingerprint, started_ns,
            previous, (jobs, pool), t0,
        )  # fmt: skip
    finally:
        if pool is not None:
            pool.shutdown()


def _build_reading(
    inputs: Sequence[str | Path],
    out: Path,
    report: BuildReport,
    strict: bool,
    curation: str | Path | None,
    progress: Callable[[int, int, str], None] | None,
    on_skip: Callable[[Skipped], None] | None,
    fingerprint: str,
    started_ns: int,
    previous: c.Cache | None,
    workers: tuple[int, ProcessPoolExecutor | None],
    t0: float,
) -> BuildReport:
    """Read the inputs, then extract, resolve and write the build (:func:`_build_into`)."""
    slots, todo = _ingest(inputs, strict, fingerprint, previous, report, on_skip)
    if not slots:
        raise NothingToBuildError(
            "no document could be read"
            + (f" ({len(report.skipped)} skipped)" if report.skipped else ""),
            hint="pass folders or files of .txt, .md, .html, .pdf or .docx",
        )
    report.seconds["ingest"] = round(time.perf_counter() - t0, 3)

    t1 = time.perf_counter()
    total, done = len(slots), 0
    for slot in slots:
        if slot.extraction is not None:
            done += 1
            if progress:
                progress(done, total, slot.extraction.document.doc_id)

    def extracted(doc: Document) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, doc.doc_id)

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        return _build_into(
            tmp, out, report, slots, todo, extracted, curation, fingerprint, started_ns,
            previous, workers, t0, t1,
        )  # fmt: skip
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _build_into(
    tmp: Path,
    out: Path,
    report: BuildReport,
    slots: list[_Slot],
    todo: list[Document],
    extracted: Callable[[Document], None],
    curation: str | Path | None,
    fingerprint: str,
    started_ns: int,
    previous: c.Cache | None,
    workers: tuple[int, ProcessPoolExecutor | None],
    t0: float,
    t1: float,
) -> BuildReport:
    """Extract, resolve and write the build into ``tmp``, then move it to ``out``."""
    (tmp / "cache").mkdir()
    fresh = [slot for slot in slots if slot.extraction is None]

    def save_entry(index: int, pickled: bytes) -> None:
        # as it comes back from the worker: the parent never pickles it again; the bytes
        # are what the document is rendered from and its entry in the cache
        fresh[index].pickled = pickled

    jobs, pool = workers
    n_extracted = len(todo)
    # extract_all empties todo (the caller holds it too) as the documents go to the
    # workers: each text is freed once its document is extracted (0.5 GB at 100,000);
    # what the build keeps of an extraction until its graph is written is a compact form
    new = iter(
        extract_all(
            todo, jobs=jobs, progress=extracted, pickled=save_entry, pool=pool, consume=True,
            keep=Compactor(),  # let go when extract_all returns: its tables are not needed later
        )
    )
    for slot in slots:
        if slot.extraction is None:
            slot.extraction = next(new)
    extractions = [s.extraction for s in slots]
    del new
    c.write_state(tmp / "cache", {s.key: s.extraction for s in slots}, previous)
    report.seconds["extract"] = round(time.perf_counter() - t1, 3)

    t2 = time.perf_counter()
    cur_path = (
        curation
        if curation is not None
        else (DEFAULT_CURATION if DEFAULT_CURATION.exists() else None)
    )
    resolved = resolve(extractions, curation=Curation.load(cur_path))
    report.seconds["resolve"] = round(time.perf_counter() - t2, 3)
    report.documents = [e.document.doc_id for e in extractions]
    old_ids = previous.document_ids if previous else set()
    report.counts = {
        "documents_read": len(slots),
        "documents_skipped": len(report.skipped),
        "documents_extracted": n_extracted,
        "documents_reused": len(slots) - n_extracted,
        "documents_removed": len(old_ids - set(report.documents)),
        **counts(extractions, resolved),
    }
    del extractions  # _write lets them go (through slots and resolved) before the store

    t3 = time.perf_counter()
    seconds: dict[str, float] = {}
    written = _write(tmp, out, slots, resolved, fingerprint, started_ns, previous, workers, seconds)
    report.counts["graphs_written"] = written
    report.seconds["rdf_and_write"] = round(time.perf_counter() - t3, 3)
    report.seconds.update(seconds)
    report.seconds["total"] = round(time.perf_counter() - t0, 3)
    (tmp / "build-report.json").write_text(report.to_json() + "\n", encoding="utf-8")
    replace_dir(tmp, out)
    return report


def _plan(
    slots: list[_Slot], resolved: list[ResolvedDocument], previous: c.Cache | None
) -> tuple[list[str], dict[str, list[int]], dict[str, str], set[str], c.Resolution]:
    """Render fingerprints, documents per graph, graph fingerprints, the graphs to
    (re)write (all of them in a full build; else those whose fingerprint changed or
    that have a document without a cached entry or block) and the build's resolution.

    A reused document keeps its render fingerprint when resolution maps its names to
    the same entities as before and none of them changed (:class:`regiograph.cache.
    Resolution`)."""
    digests: dict[int, str] = {}  # entity digests, shared by the documents naming them
    resolution = c.Resolution.of(resolved)
    names: set[str] = set()
    entities: set[str] = set()
    before = previous.resolution if previous is not None else None
    if before is not None:
        names, entities = resolution.changed(before)
    renders = []
    for slot, res in zip(slots, resolved, strict=True):
        entry = slot.entry
        if (
            before is not None
            and entry is not None
            and entry.render
            and not (names and any(o.name in names for o in res.extraction.organisations))
            and entities.isdisjoint(res.entities)
        ):
            renders.append(entry.render)  # the same key, names, keys and entities
        else:
            renders.append(c.render_fingerprint(slot.key, res, digests))
    by_graph: dict[str, list[int]] = {}
    for i, res in enumerate(resolved):
        by_graph.setdefault(str(doc_graph(res.extraction.document.doc_id)), []).append(i)
    graph_fps = {g: c.graph_fingerprint([renders[i] for i in ids]) for g, ids in by_graph.items()}
    if previous is None:
        return renders, by_graph, graph_fps, set(by_graph), resolution

    def stale(i: int) -> bool:
        entry = slots[i].entry
        return entry is None or entry.render != renders[i] or slots[i].key not in previous.blocks

    changed = {
        g
        for g, ids in by_graph.items()
        if previous.graphs.get(g) != graph_fps[g] or any(map(stale, ids))
    }
    return renders, by_graph, graph_fps, changed, resolution


def _write(
    tmp: Path,
    out: Path,
    slots: list[_Slot],
    resolved: list[ResolvedDocument],
    fingerprint: str,
    started_ns: int,
    previous: c.Cache | None,
    workers: tuple[int, ProcessPoolExecutor | None],
    seconds: dict[str, float],
) -> int:
    """Write graph.trig, the cache, the store and graph.ttl into ``tmp``; return the
    number of document graphs rendered. Adds the time of its steps to ``seconds``.
    Empties ``resolved`` and the slots' extractions as the documents are written."""
    t0 = time.perf_counter()
    renders, by_graph, graph_fps, changed, resolution = _plan(slots, resolved, previous)
    todo = sorted(i for g in changed for i in by_graph[g])
    jobs, pool = workers
    rendered = render_all(
        [_render_task(slots[i], resolved[i], previous) for i in todo],
        jobs=jobs if len(todo) >= PARALLEL_RENDER_MIN else 1,
        pool=pool,
        consume=True,
    )
    cache_dir = tmp / "cache"
    fresh: dict[str, list[Rendered]] = {}
    full = previous is None
    derived = (
        DerivedUpdate(cache_dir)
        if full
        else DerivedUpdate(
            cache_dir, previous.derived, previous.directory, previous.contributions()
        )
    )
    entries = Pack(
        cache_dir / c.ENTRIES_PACK, None if full else previous.directory / c.ENTRIES_PACK
    )
    # the ontology and reference graphs: an incremental build copies them (they are the
    # same whenever the extractor fingerprint is)
    statics = static_graphs() if full or previous.statics is None else []
    union = LoadPieces(tmp, LOAD_CHUNK, union_files(len(slots), LOAD_CHUNK)) if full else None
    docs = []
    with ExitStack() as files:
        files.callback(derived.close)
        files.callback(entries.close)
        trig = files.enter_context((tmp / "graph.trig").open("wb"))
        old = None if full else files.enter_context((out / "graph.trig").open("rb"))
        copier = BlockCopier(old, trig)
        trig.write(header())
        for r in statics:
            trig.write(r.trig)
            if union:
                union.add(r.nt, r.triples, trig.tell())
        if statics:
            static_block = [len(header()), sum(len(r.trig) for r in statics)]
        else:
            copier.add(*previous.statics)
            static_block = [len(header()), previous.statics[1]]
        position = sum(static_block)
        wanted = set(todo)
        for i, slot in enumerate(slots):
            if slot.pickled is not None:  # extracted by this build
                entry_at = entries.write(slot.pickled)
            else:
                entry_at = entries.copy(*previous.entries[slot.key])
            if i in wanted:
                r = next(rendered)
                copier.flush()
                trig.write(r.trig)
                length = len(r.trig)
                if union:
                    union.add(r.nt, r.triples, position + length)
                else:
                    fresh.setdefault(r.graph, []).append(r)
            else:
                offset, length = previous.blocks[slot.key]
                copier.add(offset, length)
            unchanged = slot.entry is not None and slot.entry.render == renders[i]
            facts_at = derived.document(slot.key, resolved[i], unchanged=unchanged)
            docs.append(
                {
                    "id": slot.extraction.document.doc_id,
                    "path": slot.path,
                    "key": slot.key,
                    "sha256": slot.sha256,
                    "stat": list(slot.stat),
                    "meta": slot.meta,
                    "render": renders[i],
                    "trig": [position, length],
                    "facts": facts_at,
                    "entry": entry_at,
                }
            )
            position += length
            # what the derived graph needs of the document is counted in now: let it go
            # (the extractions take about 1 GB at 100,000 documents)
            resolved[i] = slot.extraction = slot.entry = slot.pickled = None
        derived.take_back()  # changed and removed documents
        copier.flush()
        if pool is not None:  # the workers are done: let them go before derive and the store
            pool.shutdown()
        resolved.clear()
        return_free_memory()
        change, subjects = derived.write(trig, copier, old)
        if union:
            if change is not None:
                union.add(change.nt, change.triples, trig.tell())
            union.close()
    derived.save(cache_dir, subjects)
    del derived, subjects
    c.write_index(cache_dir, fingerprint, started_ns, graph_fps, docs, static_block)
    c.write_resolution(cache_dir, resolution)
    del resolution
    t1 = time.perf_counter()
    seconds["render_and_files"] = round(t1 - t0, 3)
    if union:
        # written: let them go before the store is loaded (the derived graph's bytes alone
        # are 250 MB at 100,000 documents)
        del change, docs, renders, by_graph, graph_fps
        return_free_memory()
        trig_path, ttl_path = tmp / "graph.trig", tmp / "graph.ttl"
        load_store(
            tmp / "store", trig_path, union.pieces, header(), union.files, ttl_path,
            index=cache_dir / UNION_INDEX,
        )  # fmt: skip
        for path in union.files:
            path.unlink()
        seconds["store"] = round(time.perf_counter() - t1, 3)
        return len(todo)
    copy_store(out / "store", tmp / "store")
    store = ox.Store(str(tmp / "store"))
    try:
        keep = {ox.NamedNode(str(g)) for g in (ONTOLOGY_GRAPH, REFERENCE_GRAPH, DERIVED_GRAPH)}
        keep |= {ox.NamedNode(g) for g in by_graph}
        removed = [g for g in store.named_graphs() if g not in keep]
        add = {ox.NamedNode(g): _triples(fresh[g]) for g in sorted(changed)}
        left, joined = replace_graphs(store, removed, add)
        if change.changed:
            graph = ox.NamedNode(str(DERIVED_GRAPH))
            # alone: the derived graph's predicates are its own (tested)
            out_, in_ = patch_graph(store, graph, change.gone, change.added, alone=True)
            left, joined = left + out_, joined + in_
        store.flush()
        index = UnionIndex.load(previous.directory / UNION_INDEX)  # None: scan graph.ttl
        index = patch_union(out / "graph.ttl", tmp / "graph.ttl", (left, joined), index)
        index.save(cache_dir / UNION_INDEX)
    finally:
        del store
    seconds["store"] = round(time.perf_counter() - t1, 3)
    return len(todo)


def _render_task(slot: _Slot, resolved: ResolvedDocument, previous: c.Cache | None) -> RenderTask:
    """What renders the slot's graph: the extraction pickled (the build keeps only its
    compact form), as the worker sent it or from the previous build's cache entry."""
    pickled = slot.pickled if slot.pickled is not None else previous.pickled(slot.key)
    return RenderTask(pickled, resolved.org_keys, resolved.person_keys, resolved.entities)


def _triples(graphs: list[Rendered]) -> list[ox.Triple]:
    return [t for r in graphs for t in parse_nt(r.nt)]
