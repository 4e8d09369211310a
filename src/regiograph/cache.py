"""The per-document build cache under ``OUT/cache/`` that makes rebuilds incremental.

Every build writes

``entries.pack``
    each document's :class:`~regiograph.model.Extraction` without the document text,
    pickled once, by the worker that extracted it (a graph is rendered from these
    bytes), one after the other; a rebuild copies the unchanged ones (one file instead
    of 10,000 entry files to link and, later, delete);
``state.pkl``
    the compact form of every extraction (:mod:`regiograph.compact`: what resolution
    and the derived graph read), one pickle an incremental build reads in a fifth of
    the time 10,000 entry files took;
``facts.pack`` and ``derived.pkl``
    each document's facts and the derived graph's state (:mod:`regiograph.derive_state`);
``union-index.npy``
    where each subject's block is in ``graph.ttl`` (:class:`regiograph.store.UnionIndex`);
``index.pkl``
    the extractor fingerprint, the fingerprint of every named graph in the store, where
    the ontology and reference blocks are in ``graph.trig`` and, per input file, its
    key, SHA-256, stat signature, the fingerprint of everything its named graph was made
    from, and where its block is in ``graph.trig`` (an incremental build copies unchanged
    blocks from there), its facts in ``facts.pack`` and its extraction in
    ``entries.pack``.

An unchanged stat signature (inode, size, mtime, ctime) saves reading and hashing a file,
as in git's index; a file whose ctime is not older than the build that recorded it is
hashed anyway.

``key`` is the SHA-256 of the extractor fingerprint, the file name, the SHA-256 of the
file's raw bytes and the metadata its folder's ``metadata.tsv`` gives it, so a document
whose bytes or metadata changed is a new key. The *extractor fingerprint*
(:func:`extractor_fingerprint`) hashes the regiograph version, the lexicon files, the
ontology (role and sector schemes), the reference CSV files and the source of the
modules that turn a file into triples: when any of them changes, nothing is reused.

A document's *render fingerprint* (:func:`render_fingerprint`) hashes its key and the
resolved entities its organisation names map to: cross-document resolution can change a
document's triples (an organisation gained an alias elsewhere) without the document
changing, and that fingerprint says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import __version__
from .derive_state import FACTS_PACK, DerivedState
from .derive_state import read_state as read_derived
from .filecopy import read_pickle, write_pickle
from .ingest import DocumentMeta
from .model import Entity, Extraction, ResolvedDocument
from .resources import PACKAGE_DIR, lexicon_path, resource

CACHE_FORMAT = 6
#: The compact extractions of all documents of a build (one pickle), in ``OUT/cache``.
STATE_FILE = "state.pkl"
#: Every document's extraction pickled, one after the other, in ``OUT/cache``.
ENTRIES_PACK = "entries.pack"
#: The cache's index (:func:`write_index`), pickled (a fifth of the time JSON took to
#: write, half to read), in ``OUT/cache``.
INDEX_FILE = "index.pkl"
#: The build's :class:`Resolution`, pickled, in ``OUT/cache``.
RESOLUTION_FILE = "resolution.pkl"
LEXICON_FILES = ("organisations.yaml", "first_names.txt", "patterns.yaml")
#: Modules whose code decides what a file becomes (relative to the package directory).
SOURCE_FILES = (
    "derive.py",
    "derive_state.py",
    "ingest.py",
    "model.py",
    "namespaces.py",
    "rdf.py",
    "render.py",
    "reference.py",
    "resolve.py",
)


def _digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def extractor_fingerprint() -> str:
    """SHA-256 of everything besides a document that decides its extraction and triples.

    The regiograph version and cache format, the lexicon files (honouring
    ``REGIOGRAPH_LEXICONS``), the ontology files, the reference CSV files and the source
    of :data:`SOURCE_FILES` and of the ``extract`` package.
    """
    files: list[tuple[str, Path]] = [(f"lexicon/{n}", lexicon_path(n)) for n in LEXICON_FILES]
    for folder in ("ontology", "reference"):
        base = resource(folder)
        files += [(f"{folder}/{p.name}", p) for p in sorted(base.iterdir()) if p.is_file()]
    files += [(f"src/{n}", PACKAGE_DIR / n) for n in SOURCE_FILES]
    files += [
        (f"src/extract/{p.name}", p) for p in sorted((PACKAGE_DIR / "extract").glob("*.py"))
    ]
    parts: list[str | bytes] = [__version__, str(CACHE_FORMAT)]
    for name, path in files:
        parts += [name, path.read_bytes() if path.exists() else b""]
    return _digest(*parts)


def meta_text(meta: DocumentMeta | None) -> str:
    """The metadata of a file as the document key hashes it."""
    if meta is None:
        return ""
    return json.dumps(
        [meta.title, meta.url, meta.date.isoformat() if meta.date else None, meta.author]
    )


def document_key(fingerprint: str, name: str, sha256: str, meta: DocumentMeta | None) -> str:
    """The cache key of a file: fingerprint, file name, SHA-256 of its bytes, metadata."""
    return _digest(fingerprint, name, sha256, meta_text(meta))


def _entity_digest(ent: Entity) -> str:
    return _digest(
        json.dumps(
            [
                ent.key,
                ent.name,
                ent.org_type,
                ent.collaboration,
                sorted(ent.aliases),
                ent.place_code,
                ent.location,
                sorted(ent.sectors),
                ent.confidence,
            ],
            ensure_ascii=False,
        )
    )


def entity_signature(ent: Entity) -> str:
    """Everything of a resolved entity a named graph is made from, as one string (what
    :func:`Resolution.changed` compares with the previous build's)."""
    fields = (ent.key, ent.name, ent.org_type, ent.collaboration, sorted(ent.aliases),
              ent.place_code, ent.location, sorted(ent.sectors), ent.confidence)  # fmt: skip
    return repr(fields)


@dataclass
class Resolution:
    """What resolution made of the organisation names of a build: name -> entity key, and
    entity key -> :func:`entity_signature`. A document whose names map to the same keys
    as in the previous build, and whose entities are unchanged, keeps its render
    fingerprint (computing 10,000 of them took 0.3 s)."""

    names: dict[str, str]
    entities: dict[str, str]

    @classmethod
    def of(cls, resolved: list[ResolvedDocument]) -> Resolution:
        names: dict[str, str] = {}
        entities: dict[str, str] = {}
        for res in resolved:
            names.update(res.org_keys)
            for key, ent in res.entities.items():
                if key not in entities:
                    entities[key] = entity_signature(ent)
        return cls(names, entities)

    def changed(self, before: Resolution) -> tuple[set[str], set[str]]:
        """The names that map to another key (or to none any more: a name the curation now
        rejects) and the entities that differ from ``before``."""
        names = {n for n, k in self.names.items() if before.names.get(n) != k}
        names |= before.names.keys() - self.names.keys()
        entities = {k for k, sig in self.entities.items() if before.entities.get(k) != sig}
        return names, entities


def render_fingerprint(
    key: str, resolved: ResolvedDocument, digests: dict[int, str] | None = None
) -> str:
    """What a document's named graph is made from: its key and its resolved entities.

    ``digests`` remembers the digest of each entity object (by ``id``) across the
    documents of one build, whose entities are shared; the caller keeps the entities
    alive while it is used."""
    digests = {} if digests is None else digests
    entities = []
    for k in sorted(resolved.entities):
        ent = resolved.entities[k]
        digest = digests.get(id(ent))
        if digest is None:
            digest = digests[id(ent)] = _entity_digest(ent)
        entities.append(digest)
    orgs = sorted(resolved.org_keys.items())
    people = sorted(resolved.person_keys.items())
    return _digest(key, repr((orgs, people, entities)))  # repr of str tuples: unambiguous


def graph_fingerprint(render_fingerprints: list[str]) -> str:
    """The fingerprint of a named graph made of the documents with these fingerprints."""
    return _digest(*render_fingerprints)


def content_fingerprint(data: bytes) -> str:
    """The fingerprint of a graph by its serialised bytes (the derived graph)."""
    return _digest(data)


@dataclass
class Entry:
    """What the cache keeps of one document."""

    extraction: Extraction  # its compact form
    render: str = ""  # render fingerprint of the document's named graph


def file_stat(path: Path) -> tuple[int, ...]:
    """The stat signature of a file (inode, size, mtime_ns, ctime_ns)."""
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def strip_text(extraction: Extraction) -> Extraction:
    """The extraction without the document text (nothing after extraction reads it)."""
    return replace(extraction, document=replace(extraction.document, text=""))


def pickle_extraction(extraction: Extraction) -> bytes:
    """The bytes of a cache entry file: ``extraction`` pickled."""
    return pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL)


class Cache:
    """The cache of the previous build in ``out``."""

    def __init__(
        self,
        out: Path,
        fingerprint: str,
        index: dict[str, Any],
        state: dict[str, Extraction],
        derived: DerivedState,
    ) -> None:
        self.out = out
        self.directory = out / "cache"
        self.fingerprint = fingerprint
        self.index = index
        #: key -> compact extraction (:data:`STATE_FILE` and :data:`STATE_DELTA`)
        self.state = state
        #: the keys of its :data:`STATE_FILE`, when read from one
        self.state_base: set[str] | None = None
        #: the previous build's resolution (:data:`RESOLUTION_FILE`), when readable
        self.resolution: Resolution | None = None
        #: the previous build's derived graph (:mod:`regiograph.derive_state`)
        self.derived = derived
        started = int(index.get("started_ns", 0))
        #: path -> (stat signature, SHA-256, key, :func:`meta_text`) of the files whose
        #: signature can be trusted (its key stands while its metadata does):
        #: a file changed while the previous build read it may look unchanged, so a
        #: "racy" signature (ctime not before that build started) is not trusted
        self.stats: dict[str, tuple[tuple[int, ...], str, str, str]] = {}
        #: key -> (offset, length) of the document's block in the previous graph.trig
        self.blocks: dict[str, tuple[int, int]] = {}
        #: key -> render fingerprint of the document's named graph in the previous build
        self.renders: dict[str, str] = {}
        #: key -> (offset, length) of the document's extraction in the entries pack
        self.entries: dict[str, tuple[int, int]] = {}
        try:
            self.pack_size = (self.directory / ENTRIES_PACK).stat().st_size
        except OSError:
            self.pack_size = 0
        #: (offset, length) of the ontology and reference graphs' blocks in graph.trig
        statics = index.get("statics")
        self.statics = (int(statics[0]), int(statics[1])) if statics else None
        for doc in index.get("documents", []):
            offset, length = doc["entry"]
            self.entries[doc["key"]] = (int(offset), int(length))
            stat = tuple(doc["stat"])
            if stat and stat[-1] < started:
                self.stats[doc["path"]] = (stat, doc["sha256"], doc["key"], doc["meta"])
            self.blocks[doc["key"]] = (int(doc["trig"][0]), int(doc["trig"][1]))
            self.renders[doc["key"]] = str(doc["render"])

    @property
    def graphs(self) -> dict[str, str]:
        """Named graph IRI -> graph fingerprint of the previous build."""
        return self.index.get("graphs", {})

    @property
    def document_ids(self) -> set[str]:
        return {d["id"] for d in self.index.get("documents", [])}

    @classmethod
    def open(cls, out: Path, fingerprint: str) -> Cache | None:
        """The cache of the build in ``out`` if it can be reused, else ``None``.

        It can be reused when ``out`` holds a complete build (store, graph.trig and
        graph.ttl) whose cache index has this ``fingerprint``.
        """
        index = read_index(out / "cache")
        if index is None or index.get("fingerprint") != fingerprint:
            return None
        if not all((out / n).exists() for n in ("store", "graph.trig", "graph.ttl")):
            return None
        if not (out / "cache" / FACTS_PACK).is_file():  # the facts of every document
            return None
        loaded = load_state(out / "cache")
        derived = read_derived(out / "cache")
        if loaded is None or derived is None:
            return None
        try:
            cache = cls(out, fingerprint, index, loaded[0], derived)
        except (KeyError, TypeError, ValueError):
            return None
        cache.state_base = loaded[1]
        # without it, every render fingerprint is computed
        cache.resolution = read_pickle(out / "cache" / RESOLUTION_FILE, Resolution)
        return cache

    def contributions(self) -> dict[str, list[list[int]]]:
        """Document key -> where its documents' contributions to the derived graph are in
        the previous build's facts pack (one place per input file with that key)."""
        out: dict[str, list[list[int]]] = {}
        for doc in self.index.get("documents", []):
            out.setdefault(doc["key"], []).append(doc["facts"])
        return out

    def load(self, key: str) -> Entry | None:
        """The entry of ``key``, or ``None`` when there is none or its extraction (which its
        graph is rendered from) is not whole in the entries pack."""
        extraction = self.state.get(key)
        where = self.entries.get(key)
        if not isinstance(extraction, Extraction) or where is None:
            return None
        if where[0] + where[1] > self.pack_size:
            return None
        return Entry(extraction, self.renders.get(key, ""))

    def pickled(self, key: str) -> bytes:
        """The extraction of ``key`` pickled, from the entries pack."""
        offset, length = self.entries[key]
        with (self.directory / ENTRIES_PACK).open("rb") as handle:
            data = os.pread(handle.fileno(), length, offset)
        if len(data) != length:
            raise OSError(f"the cache's {ENTRIES_PACK} is shorter than its index says")
        return data


#: Keys added and removed since :data:`STATE_FILE` was written, in ``OUT/cache``.
STATE_DELTA = "state-delta.pkl"
#: A build writes a new :data:`STATE_FILE` when the delta would exceed this share of the
#: documents; below it, it links the previous one and writes the delta (a full state of
#: 10,000 documents takes 0.3-0.45 s to write).
DELTA_LIMIT = 0.2


def write_resolution(directory: Path, resolution: Resolution) -> None:
    write_pickle(directory / RESOLUTION_FILE, resolution)


def write_state(
    directory: Path, state: dict[str, Extraction], previous: Cache | None = None
) -> None:
    """Write :data:`STATE_FILE` (document key -> compact extraction) into ``directory``, or,
    when ``state`` differs little from that of the ``previous`` build's file, link that
    file and write the difference as :data:`STATE_DELTA`."""
    if previous is not None and previous.state_base is not None:
        base = previous.state_base
        added = {k: v for k, v in state.items() if k not in base}
        removed = base - state.keys()
        if len(added) + len(removed) <= DELTA_LIMIT * len(state):
            try:
                os.link(previous.directory / STATE_FILE, directory / STATE_FILE)
            except OSError:
                pass  # another file system, say: write the whole state
            else:
                write_pickle(directory / STATE_DELTA, (added, removed))
                return
    write_pickle(directory / STATE_FILE, state)


def load_state(directory: Path) -> tuple[dict[str, Extraction], set[str]] | None:
    """The state in ``directory`` (:data:`STATE_FILE` with its :data:`STATE_DELTA` applied)
    and the keys of its :data:`STATE_FILE`, or ``None`` when it cannot be read."""
    state = read_pickle(directory / STATE_FILE, dict)
    if state is None:
        return None
    base = set(state)
    if (directory / STATE_DELTA).exists():
        delta = read_pickle(directory / STATE_DELTA, tuple)
        if delta is None:
            return None
        try:
            added, removed = delta
            state.update(added)
            for key in removed:
                del state[key]
        except (ValueError, TypeError, KeyError):  # not an (added, removed) pair
            return None
    return state, base


def read_state(directory: Path) -> dict[str, Extraction] | None:
    """The state in ``directory`` (document key -> compact extraction), or ``None`` when it
    cannot be read."""
    loaded = load_state(directory)
    return None if loaded is None else loaded[0]


def write_index(
    directory: Path,
    fingerprint: str,
    started_ns: int,
    graphs: dict[str, str],
    docs: list,
    statics: list[int],
) -> None:
    """Write :data:`INDEX_FILE`: fingerprint, graph fingerprints, the place of the ontology
    and reference graphs' blocks in graph.trig and, per document, its path, key, SHA-256,
    stat signature, the place of its block in graph.trig and that of its contribution in
    the facts pack."""
    data = {
        "format": CACHE_FORMAT,
        "version": __version__,
        "fingerprint": fingerprint,
        "started_ns": started_ns,
        "graphs": graphs,
        "statics": statics,
        "documents": docs,
    }
    write_pickle(directory / INDEX_FILE, data)


def read_index(directory: Path) -> dict[str, Any] | None:
    """The :data:`INDEX_FILE` in ``directory`` (see :func:`write_index`), or ``None`` when
    it cannot be read."""
    return read_pickle(directory / INDEX_FILE, dict)
