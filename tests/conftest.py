"""Shared fixtures."""

from __future__ import annotations

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
