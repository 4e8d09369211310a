"""The named SPARQL queries of the projections (``queries/*.rq``) and their rows."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from regiograph.query import run

__all__ = ["QUERY_DIR", "confident", "load_query", "rows", "to_int"]

#: The named SPARQL queries of the projections.
QUERY_DIR = Path(__file__).resolve().parent / "queries"


@functools.cache
def load_query(name: str) -> str:
    """The text of ``queries/{name}.rq``."""
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")


def rows(store: ox.Store, name: str) -> list[dict[str, Any]]:
    """The rows of ``queries/{name}.rq`` as dicts of Python values."""
    result = run(store, load_query(name))
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def to_int(value: Any) -> int | None:
    """An integer, or ``None``."""
    return None if value is None else int(value)


def confident(confidence: Any, minimum: float) -> bool:
    """Whether a membership of this ``rg:confidence`` passes ``minimum`` (0 passes all)."""
    if minimum <= 0:
        return True
    return confidence is not None and float(confidence) >= minimum
