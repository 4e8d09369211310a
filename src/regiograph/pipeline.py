"""The build pipeline: ingest -> extract -> resolve -> RDF -> store, written atomically.

:func:`build` is what ``regiograph build`` and notebooks call. It writes into a temporary
directory beside ``out`` and renames it into place at the end, so a failed or interrupted
build never leaves a half-written output and never destroys the previous one.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .errors import NothingToBuildError
from .extract import extract
from .ingest import Skipped, iter_documents
from .model import Document, Extraction
from .rdf import named_graphs
from .reference import places_graph
from .resolve import Curation, resolve
from .store import write_build

DEFAULT_CURATION = Path("data/curation.yaml")


@dataclass
class BuildReport:
    out: str
    documents: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    started: str = ""
    version: str = __version__

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)


def _count(extractions: Sequence[Extraction], resolved) -> dict[str, int]:
    orgs = {k for r in resolved for k in r.org_keys.values()}
    collabs = {k for r in resolved for k in r.org_keys.values() if r.entities[k].collaboration}
    persons = {k for r in resolved for k in r.person_keys.values()}
    places = {p.code for e in extractions for p in e.places}
    groups = {
        (e.document.doc_id, m.group)
        for e in extractions
        for m in e.memberships
        if m.collaboration is None
    }
    return {
        "organisations": len(orgs),
        "collaborations": len(collabs) + len(groups),
        "persons": len(persons),
        "memberships": sum(len(e.memberships) for e in extractions),
        "roles": sum(len(e.roles) for e in extractions),
        "places": len(places),
    }


def build(
    inputs: Sequence[str | Path],
    out: str | Path,
    *,
    strict: bool = False,
    curation: str | Path | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
) -> BuildReport:
    """Build the stakeholder graph of ``inputs`` into ``out``.

    Writes ``out/graph.trig`` (named graphs), ``out/graph.ttl`` (their union),
    ``out/store/`` (pyoxigraph) and ``out/build-report.json``. ``curation`` defaults to
    ``data/curation.yaml`` when that file exists. ``progress(done, total, name)`` is
    called after every document, ``on_skip(skipped)`` for every input that cannot be read.
    """
    out = Path(out)
    report = BuildReport(out=str(out), started=datetime.now(UTC).isoformat())
    t0 = time.perf_counter()
    items = list(iter_documents(inputs, strict=strict))
    documents: list[Document] = []
    for item in items:
        if isinstance(item, Skipped):
            report.skipped.append({"path": item.path, "reason": item.reason})
            if on_skip:
                on_skip(item)
        else:
            documents.append(item)
    if not documents:
        raise NothingToBuildError(
            "no document could be read" + (f" ({len(items)} skipped)" if items else ""),
            hint="pass folders or files of .txt, .md, .html, .pdf or .docx",
        )
    report.seconds["ingest"] = round(time.perf_counter() - t0, 3)
    t1 = time.perf_counter()
    extractions = []
    for i, doc in enumerate(documents, 1):
        extractions.append(extract(doc))
        if progress:
            progress(i, len(documents), doc.doc_id)
    report.seconds["extract"] = round(time.perf_counter() - t1, 3)
    t2 = time.perf_counter()
    cur_path = (
        curation
        if curation is not None
        else (DEFAULT_CURATION if DEFAULT_CURATION.exists() else None)
    )
    resolved = resolve(extractions, curation=Curation.load(cur_path))
    report.seconds["resolve"] = round(time.perf_counter() - t2, 3)
    report.documents = [d.doc_id for d in documents]
    report.counts = {
        "documents_read": len(documents),
        "documents_skipped": len(report.skipped),
        **_count(extractions, resolved),
    }
    t3 = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        write_build(tmp, named_graphs(resolved, places_graph()))
        report.seconds["rdf_and_write"] = round(time.perf_counter() - t3, 3)
        report.seconds["total"] = round(time.perf_counter() - t0, 3)
        (tmp / "build-report.json").write_text(report.to_json() + "\n", encoding="utf-8")
        _replace_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report


def _replace_dir(new: Path, target: Path) -> None:
    """Move ``new`` to ``target``; the old ``target`` is removed only after the move."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{int(time.time() * 1000)}")
        target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
