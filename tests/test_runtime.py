"""Process-level helpers: the garbage-collector pause and giving freed memory back."""

from __future__ import annotations

import gc
import os
import sys

import pytest

from regiograph.runtime import paused_gc, return_free_memory


def test_paused_gc_restores_the_collector_also_after_an_error():
    assert gc.isenabled()
    with pytest.raises(ValueError), paused_gc():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


def _resident_mb() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") // 2**20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_return_free_memory_gives_freed_heap_blocks_back():
    # 200 MB of 5 kB blocks (the C heap, not Python's arenas); every eighth one stays,
    # so the freed blocks lie between live ones and are not returned by themselves
    blocks = [bytes(5000) + bytes([i % 256]) for i in range(40000)]
    kept = blocks[::8]
    del blocks
    before = _resident_mb()
    if not return_free_memory():
        pytest.skip("the C library has no malloc_trim")
    assert before - _resident_mb() > 100
    assert len(kept) == 5000
