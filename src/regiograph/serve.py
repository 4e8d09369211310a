"""``regiograph serve``: the SPARQL endpoint and web explorer over a build.

:func:`create_app` makes the ASGI (Starlette) application, :func:`serve` runs it with
uvicorn. The implementation is in :mod:`regiograph.web`: ``web.sparql`` (the SPARQL 1.1
Protocol, result formats, timeout and row cap), ``web.entities`` and ``web.pages`` (the
HTML pages) and ``web.app`` (routes and the factory).
"""

from __future__ import annotations

from .errors import RegiographError
from .web import create_app, running, serve

__all__ = ["create_app", "running", "serve"]


def main(argv: list[str] | None = None) -> None:
    """``python -m regiograph.serve DIR [--host H] [--port P] ...`` (what ``regiograph
    serve`` does, for environments without the command)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m regiograph.serve",
                                     description="Serve a regiograph build over HTTP.")
    parser.add_argument("directory")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--allow-update", action="store_true")
    parser.add_argument("--token", default=None)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--max-rows", type=int, default=10000)
    parser.add_argument("--cors", action="store_true")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    try:
        serve(args.directory, host=args.host, port=args.port, allow_update=args.allow_update,
              token=args.token, timeout=args.timeout, max_rows=args.max_rows, cors=args.cors,
              workers=args.workers, log_level=args.log_level)
    except RegiographError as exc:
        raise SystemExit(f"Error: {exc}") from None


if __name__ == "__main__":  # pragma: no cover
    main()
