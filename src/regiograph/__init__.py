"""regiograph: knowledge graphs of regional stakeholders from Dutch documents.

Library first: every command-line command is a function here.

>>> import regiograph
>>> regiograph.__version__
'0.1.0'
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "build", "open"]


def build(inputs, out, **kwargs):
    """Build the stakeholder graph of ``inputs`` into ``out``.

    See :func:`regiograph.pipeline.build` for the keyword arguments.
    """
    from .pipeline import build as _build

    return _build(inputs if not isinstance(inputs, (str, bytes)) else [inputs], out, **kwargs)


def open(directory="build"):
    """Open a build directory for querying: returns a :class:`regiograph.api.RegioGraph`.

    >>> g = regiograph.open("build")  # doctest: +SKIP
    >>> g.query("01_most_connected_organisations").head()  # doctest: +SKIP
    """
    from .api import RegioGraph

    return RegioGraph(directory)
