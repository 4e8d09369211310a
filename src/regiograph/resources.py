"""Locations of the files regiograph ships: ontology, saved queries, reference places, lexicons.

The top-level ``ontology/``, ``queries/`` and ``data/reference/`` folders are the source of
truth; ``src/regiograph/resources/`` links to them so an installed package finds them too.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ReferenceDataError

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES = PACKAGE_DIR / "resources"


def resource(*parts: str) -> Path:
    """Path of a shipped resource, e.g. ``resource("ontology", "roles.ttl")``.

    Raises :class:`ReferenceDataError` when the file is missing (a broken install).
    """
    path = RESOURCES.joinpath(*parts)
    if not path.exists():
        raise ReferenceDataError(
            f"missing resource {'/'.join(parts)}",
            hint="reinstall regiograph (make setup) from a complete checkout",
        )
    return path


def lexicon_path(name: str) -> Path:
    """Path of a lexicon file of the extractor.

    A file of the same name in the folder named by the ``REGIOGRAPH_LEXICONS`` environment
    variable replaces the shipped one (for regional or experimental lexicons).
    """
    override = os.environ.get("REGIOGRAPH_LEXICONS")
    if override and (Path(override) / name).exists():
        return Path(override) / name
    path = PACKAGE_DIR / "extract" / "lexicons" / name
    if not path.exists():
        raise ReferenceDataError(f"missing lexicon {name}", hint="reinstall regiograph")
    return path
