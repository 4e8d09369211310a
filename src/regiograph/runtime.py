"""Process-level helpers shared by the long-running stages (build, analyse)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the ``with`` block, then restore it.

    A build or an analysis creates millions of long-lived objects and no cycles worth
    collecting; full collections would walk all of them again and again (they made loading
    10,000 cached extractions five times slower, and the projection of a 425,000-tie
    network a third slower). Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
