"""The web server of ``regiograph serve``: a SPARQL 1.1 Protocol endpoint, the SPARQL
editor and network view, and Linked Data pages for organisations, people, documents and
places (see :mod:`regiograph.web.app`)."""

from __future__ import annotations

try:
    import starlette  # noqa: F401
    import uvicorn  # noqa: F401
except ImportError as exc:  # pragma: no cover - the web extra is missing
    from ..errors import UsageError

    raise UsageError("regiograph serve needs Starlette and uvicorn",
                     hint="pip install 'regiograph[web]'") from exc

from .app import create_app, running, serve

__all__ = ["create_app", "running", "serve"]
