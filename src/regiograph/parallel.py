"""Extraction and rendering in worker processes (``regiograph build --jobs N``).

Documents are sent to a :class:`concurrent.futures.ProcessPoolExecutor` in chunks; every
worker loads the lexicon once (its initialiser) and results come back in input order, so
the output of ``jobs=N`` is byte for byte the output of ``jobs=1``. Workers are started
with ``fork`` where the platform has it (they inherit the loaded modules and the lexicon,
which is loaded before the fork) and with ``spawn`` elsewhere.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import pickle
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import TypeVar

from .cache import pickle_extraction, strip_text
from .extract import extract
from .extract.lexicon import load_lexicon
from .model import Document, Extraction, ResolvedDocument
from .render import Rendered, render_documents

T = TypeVar("T")
R = TypeVar("R")

#: Below this many documents a pool costs more than it saves.
MIN_PARALLEL = 16


def _context():
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def _init_worker() -> None:
    load_lexicon()


def extract_documents(chunk: list[Document]) -> list[bytes]:
    """Extract every document of ``chunk``, without the document text, pickled (a worker
    task: the bytes are both what is sent back and the document's cache entry)."""
    return [pickle_extraction(strip_text(extract(doc))) for doc in chunk]


def _extract_here(chunk: list[Document]) -> list[Extraction]:
    return [strip_text(extract(doc)) for doc in chunk]


def _chunk_size(n: int, jobs: int, most: int) -> int:
    return max(1, min(most, math.ceil(n / (jobs * 8))))


def _chunks(items: Sequence[T], jobs: int, most: int) -> list[Sequence[T]]:
    size = _chunk_size(len(items), jobs, most)
    return [items[i : i + size] for i in range(0, len(items), size)]


def worker_pool(jobs: int) -> ProcessPoolExecutor | None:
    """A pool of ``jobs`` worker processes for :func:`extract_all` and :func:`render_all`
    (``None`` for ``jobs <= 1``); the caller shuts it down (use it as a context manager).

    A build makes one pool before it extracts and renders with it too: its workers, forked
    while the parent is still small (a full build starts them before it reads any
    document, :func:`start_workers`; else they start at the first task), do not share
    (and, by touching reference counts, copy) the pages of the texts and extractions the
    parent holds later.
    """
    if jobs <= 1:
        return None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_init_worker)


def start_workers(pool: ProcessPoolExecutor) -> None:
    """Start the workers of ``pool`` now rather than at its first task (forked workers
    get the parent's memory as it is now, the lexicon included)."""
    if _context().get_start_method() == "fork":
        _init_worker()
    pool.submit(int).result()  # with fork, the first task starts every worker


def _in_workers(n: int, jobs: int) -> bool:
    """Whether ``n`` items go to ``jobs`` worker processes (below :data:`MIN_PARALLEL`
    a pool costs more than it saves)."""
    return jobs > 1 and n >= MIN_PARALLEL


def _map(
    func: Callable[[list[T]], list[R]],
    items: Sequence[T],
    jobs: int,
    most: int,
    pool: ProcessPoolExecutor | None = None,
    consume: bool = False,
) -> Iterator[list[R]]:
    """``func`` over chunks of ``items``, in ``jobs`` processes (those of ``pool`` when
    given, else a pool of its own); chunk results in order.

    Chunks are pickled to the workers even when they are forked: a forked worker that
    read the parent's objects instead would write their reference counts and so copy
    every page they are on (on 100,000 documents, hundreds of MB per worker).

    ``consume`` empties ``items`` (a list): at once when they go to workers (then each
    item is held by its chunk only, and let go when the chunk is done), else at the end.
    """
    if not _in_workers(len(items), jobs):
        for chunk in _chunks(items, 1, most):
            yield func(list(chunk))
        if consume:
            items.clear()
        return
    if _context().get_start_method() == "fork":
        _init_worker()  # workers fork at the first task: they inherit the lexicon (cached)
    chunks = deque(list(c) for c in _chunks(items, jobs, most))
    if consume:
        items.clear()
    if pool is not None:
        yield from _in_order(pool, func, chunks, WINDOW * jobs)
        return
    with worker_pool(jobs) as own:
        yield from _in_order(own, func, chunks, WINDOW * jobs)


#: Chunks per worker that are sent ahead (bounds what waits in memory to be sent or
#: collected).
WINDOW = 4


def _in_order(
    pool: ProcessPoolExecutor, func: Callable[[list[T]], list[R]], chunks: deque, window: int
) -> Iterator[list[R]]:
    """``func`` of every chunk in ``chunks`` (emptied as they are sent), in order, with at
    most ``window`` chunks at the workers or waiting to be collected. ``Executor.map``
    sends all at once: at 100,000 documents the rendered graphs then piled up faster than
    the build wrote them (0.3 GB)."""
    pending: deque = deque()
    try:
        while chunks or pending:
            while chunks and len(pending) < window:
                pending.append(pool.submit(func, chunks.popleft()))
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def extract_all(
    documents: Sequence[Document],
    *,
    jobs: int = 1,
    progress: Callable[[Document], None] | None = None,
    pickled: Callable[[int, bytes], None] | None = None,
    pool: ProcessPoolExecutor | None = None,
    consume: bool = False,
    keep: Callable[[Extraction], Extraction] | None = None,
) -> list[Extraction]:
    """The extraction of every document (text dropped), in input order.

    Parameters
    ----------
    documents : sequence of Document
    jobs : int
        Worker processes; 1 extracts in this process.
    progress : callable, optional
        Called with each document once its extraction is back, in input order.
    pickled : callable, optional
        Called with the index of each document and its extraction pickled
        (:func:`~regiograph.cache.pickle_extraction`): the build writes these bytes as
        the document's cache entry. Workers send their extractions pickled anyway, so
        with ``jobs > 1`` this costs nothing extra.
    pool : ProcessPoolExecutor, optional
        The workers to use (see :func:`worker_pool`); by default a pool of ``jobs``.
    consume : bool
        Empty ``documents`` (a list) once they are sent to the workers, so that each
        text is freed when its document is extracted, not after the last one (texts
        take hundreds of MB at 100,000 documents). ``progress`` then gets the documents
        without their text.
    keep : callable, optional
        What to keep of each extraction (after ``pickled`` has its bytes); a build keeps
        a compact form (:class:`regiograph.compact.Compactor`).

    Returns
    -------
    list of Extraction
        One per document, ``document.text`` emptied (or what ``keep`` made of it).
    """
    out: list[Extraction] = []
    shown = documents
    if consume and progress and _in_workers(len(documents), jobs):
        shown = [replace(doc, text="") for doc in documents]

    def done(ext: Extraction, data: bytes | None) -> None:
        if pickled:
            pickled(len(out), data if data is not None else pickle_extraction(ext))
        out.append(keep(ext) if keep else ext)
        if progress:
            progress(shown[len(out) - 1])

    if not _in_workers(len(documents), jobs):
        for results in _map(_extract_here, documents, 1, most=64, consume=consume):
            for ext in results:
                done(ext, None)
        return out
    for results in _map(extract_documents, documents, jobs, most=64, pool=pool, consume=consume):
        for data in results:
            done(pickle.loads(data), data)
    return out


def render_all(
    resolved: Sequence[ResolvedDocument],
    *,
    jobs: int = 1,
    pool: ProcessPoolExecutor | None = None,
    consume: bool = False,
) -> Iterator[Rendered]:
    """The serialised named graph of every resolved document, in input order (in the
    workers of ``pool`` when given). ``consume`` empties ``resolved`` (a list) once the
    documents are with the workers, as :func:`extract_all` does."""
    for results in _map(render_documents, resolved, jobs, most=256, pool=pool, consume=consume):
        yield from results
