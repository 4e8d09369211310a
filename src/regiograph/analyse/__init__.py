"""Network analysis of the stakeholder graph.

* :mod:`~regiograph.analyse.projections` turns the RDF graph into networkx graphs
  (:func:`org_network`, :func:`bipartite_network`, :func:`networks` (both from one
  reading), :func:`person_network`,
  :func:`time_slices`) through the named SPARQL queries in ``analyse/queries/``;
* :mod:`~regiograph.analyse.metrics` holds the measures (centralities, Burt's structural
  holes, Louvain communities, Gould-Fernandez brokerage, helix mix, province bridges),
  with the SciPy sparse-matrix helpers they share in :mod:`~regiograph.analyse.sparse`;
* :func:`analyse` computes all of them into an :class:`AnalysisResult`, which
  :func:`metrics_graph`, :func:`write_metrics`, :func:`metrics_csv` and :func:`summary`
  write out.

>>> from regiograph.analyse import analyse, summary, write_metrics  # doctest: +SKIP
>>> result = analyse("build")  # doctest: +SKIP
>>> print(summary(result))  # doctest: +SKIP
>>> write_metrics("build", result)  # doctest: +SKIP
"""

from __future__ import annotations

from .core import METRIC_COLUMNS, AnalysisResult, analyse
from .metrics import (
    betweenness,
    brokerage,
    communities,
    constraint,
    cross_province_bridges,
    degree,
    effective_size,
    eigenvector,
    helix_mix,
    kcore,
    pagerank,
    weighted_degree,
)
from .projections import (
    bipartite_network,
    networks,
    node_attributes,
    org_network,
    person_network,
    time_slices,
)
from .report import metrics_csv, metrics_graph, summary, write_metrics

__all__ = [
    "METRIC_COLUMNS",
    "AnalysisResult",
    "analyse",
    "betweenness",
    "bipartite_network",
    "brokerage",
    "communities",
    "constraint",
    "cross_province_bridges",
    "degree",
    "effective_size",
    "eigenvector",
    "helix_mix",
    "kcore",
    "metrics_csv",
    "metrics_graph",
    "networks",
    "node_attributes",
    "org_network",
    "pagerank",
    "person_network",
    "summary",
    "time_slices",
    "weighted_degree",
    "write_metrics",
]
