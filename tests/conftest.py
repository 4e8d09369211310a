"""Shared fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory) -> Path:
    """The demo build: ``data/corpus`` built once per test session."""
    from regiograph.pipeline import build

    out = tmp_path_factory.mktemp("demo") / "build"
    build([ROOT / "data" / "corpus"], out, curation=ROOT / "data" / "curation.yaml")
    return out


@pytest.fixture(scope="session")
def analysed_store(corpus_build: Path, tmp_path_factory):
    """A copy of the demo build after `analyse` + `write_metrics` (the metrics named graph)."""
    from regiograph.analyse import analyse, write_metrics
    from regiograph.store import open_store

    copy = tmp_path_factory.mktemp("analysed") / "build"
    shutil.copytree(corpus_build, copy)
    write_metrics(copy, analyse(copy))
    return open_store(copy)
