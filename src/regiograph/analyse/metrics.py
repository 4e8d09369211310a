"""Network measures for the projections, in the style of networkx.

Each function takes a networkx graph and returns a ``dict`` keyed by node (or, for
:func:`helix_mix` and :func:`cross_province_bridges`, a small plain structure). They are
thin, documented wrappers around networkx's own algorithms, adding only what the
stakeholder analysis needs on top: a fallback for eigenvector centrality, a pure-Python
PageRank when SciPy is missing and stable community numbers. The measures over groups of
nodes (Gould-Fernandez brokerage, helix mix, province bridges) live in
:mod:`regiograph.analyse.groups` and are re-exported here.
"""

from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx

from .groups import (
    DIRECTED_ROLES,
    HELICES,
    UNDIRECTED_ROLES,
    _sort_key,
    brokerage,
    cross_province_bridges,
    helix_mix,
)

__all__ = [
    "DIRECTED_ROLES",
    "HELICES",
    "UNDIRECTED_ROLES",
    "betweenness",
    "brokerage",
    "communities",
    "constraint",
    "cross_province_bridges",
    "degree",
    "effective_size",
    "eigenvector",
    "helix_mix",
    "kcore",
    "pagerank",
    "weighted_degree",
]


def degree(G: nx.Graph, *, weight: str | None = None) -> dict[Hashable, float]:
    """Degree of every node: the number of partners (or the sum of ``weight``).

    Parameters
    ----------
    G : networkx.Graph
    weight : str, optional
        Edge attribute to sum; ``None`` (default) counts edges.

    Returns
    -------
    dict
        ``{node: degree}``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.florentine_families_graph()
    >>> degree(G)["Medici"]
    6
    """
    return dict(G.degree(weight=weight))


def weighted_degree(G: nx.Graph, *, weight: str | None = "weight") -> dict[Hashable, float]:
    """Weighted degree (strength): the sum of the ``weight`` of a node's edges.

    In :func:`~regiograph.analyse.projections.org_network` the weight of a tie is the
    number of shared collaborations, so this counts partner-collaboration pairs.

    Parameters
    ----------
    G : networkx.Graph
    weight : str, optional
        Edge attribute to sum (default ``"weight"``; an edge without it counts 1).

    Returns
    -------
    dict
        ``{node: strength}``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b", {"weight": 2}), ("b", "c", {"weight": 1})])
    >>> weighted_degree(G)
    {'a': 2, 'b': 3, 'c': 1}
    """
    return dict(G.degree(weight=weight))


def betweenness(
    G: nx.Graph, *, weight: str | None = None, normalized: bool = True
) -> dict[Hashable, float]:
    """Normalized betweenness centrality (:func:`networkx.betweenness_centrality`).

    The share of shortest paths between other pairs of nodes that run through a node:
    how much a node lies *between* the others.

    Parameters
    ----------
    G : networkx.Graph
    weight : str, optional
        Edge attribute networkx reads as a **distance**; ``None`` (default) counts hops.
        Do not pass a tie strength such as ``"weight"`` of the organisation network.
    normalized : bool
        Divide by the number of pairs, ``(n-1)(n-2)/2`` in an undirected graph.

    Returns
    -------
    dict
        ``{node: betweenness}``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.krackhardt_kite_graph()
    >>> round(betweenness(G)[7], 6)  # Heather
    0.388889
    """
    return nx.betweenness_centrality(G, normalized=normalized, weight=weight)


def eigenvector(
    G: nx.Graph,
    *,
    weight: str | None = None,
    max_iter: int = 1000,
    tol: float = 1e-06,
    fallback: bool = True,
) -> dict[Hashable, float]:
    """Eigenvector centrality, with a PageRank fallback when it does not converge.

    Runs :func:`networkx.eigenvector_centrality`. When its power iteration fails to
    converge within ``max_iter`` iterations and ``fallback`` is true, returns instead
    PageRank computed separately in every connected component (weakly connected when
    directed), each component's scores multiplied by its share of the nodes, and the
    whole vector scaled to Euclidean length 1 like eigenvector centrality. Scores are
    then comparable across components, unlike eigenvector centrality on a disconnected
    graph, which is near zero outside the component with the largest eigenvalue.

    Parameters
    ----------
    G : networkx.Graph
    weight : str, optional
        Edge attribute read as tie strength; ``None`` (default) gives every edge 1.
    max_iter, tol
        Passed to :func:`networkx.eigenvector_centrality`.
    fallback : bool
        Re-raise :class:`networkx.PowerIterationFailedConvergence` when false.

    Returns
    -------
    dict
        ``{node: centrality}``; ``{}`` for a graph without nodes.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.florentine_families_graph()
    >>> round(eigenvector(G)["Medici"], 6)
    0.430315
    >>> fallback = eigenvector(G, max_iter=1)  # does not converge: PageRank instead
    >>> round(sum(v * v for v in fallback.values()), 6)
    1.0
    """
    if len(G) == 0:
        return {}
    try:
        return nx.eigenvector_centrality(G, max_iter=max_iter, tol=tol, weight=weight)
    except nx.PowerIterationFailedConvergence:
        if not fallback:
            raise
    parts = nx.weakly_connected_components(G) if G.is_directed() else nx.connected_components(G)
    scores: dict[Hashable, float] = {}
    for part in parts:
        share = len(part) / len(G)
        for node, value in pagerank(G.subgraph(part), weight=weight).items():
            scores[node] = value * share
    norm = math.sqrt(sum(v * v for v in scores.values())) or 1.0
    return {node: scores[node] / norm for node in G}


def pagerank(
    G: nx.Graph, *, weight: str | None = None, alpha: float = 0.85
) -> dict[Hashable, float]:
    """PageRank (:func:`networkx.pagerank`); the scores sum to 1.

    networkx computes it with SciPy (a regiograph dependency); a graph without nodes gives
    an empty dict.

    Parameters
    ----------
    G : networkx.Graph
    weight : str, optional
        Edge attribute read as tie strength; ``None`` (default) gives every edge 1.
    alpha : float
        Damping factor.

    Returns
    -------
    dict
        ``{node: pagerank}``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.florentine_families_graph()
    >>> round(pagerank(G)["Medici"], 6)
    0.145818
    """
    if len(G) == 0:
        return {}
    return nx.pagerank(G, alpha=alpha, weight=weight)


def kcore(G: nx.Graph) -> dict[Hashable, int]:
    """Core number (:func:`networkx.core_number`): the largest k of a k-core holding the node.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.krackhardt_kite_graph()
    >>> [kcore(G)[n] for n in (0, 7, 8, 9)]
    [3, 2, 1, 1]
    """
    return nx.core_number(G)


def constraint(G: nx.Graph, *, weight: str | None = None) -> dict[Hashable, float]:
    """Burt's constraint (:func:`networkx.constraint`): low for nodes that span holes.

    Isolated nodes get ``nan``, as in networkx.

    Parameters
    ----------
    G : networkx.Graph
    weight : str, optional
        Edge attribute read as tie strength; ``None`` (default) gives every edge 1.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.florentine_families_graph()
    >>> round(constraint(G)["Medici"], 6)
    0.209877
    """
    return nx.constraint(G, weight=weight) if len(G) else {}


def effective_size(G: nx.Graph, *, weight: str | None = None) -> dict[Hashable, float]:
    """Burt's effective size (:func:`networkx.effective_size`): non-redundant partners.

    Isolated nodes get ``nan``, as in networkx.

    Parameters
    ----------
    G : networkx.Graph
    weight : str, optional
        Edge attribute read as tie strength; ``None`` (default) gives every edge 1.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.florentine_families_graph()
    >>> round(effective_size(G)["Medici"], 6)
    5.666667
    """
    return nx.effective_size(G, weight=weight) if len(G) else {}


def communities(
    G: nx.Graph, *, weight: str | None = None, resolution: float = 1.0, seed: int = 0
) -> dict[Hashable, int]:
    """Louvain communities (:func:`networkx.community.louvain_communities`).

    Community ids are 0, 1, ... in order of decreasing size; communities of the same
    size are ordered by their smallest node (numbers numerically, other nodes by text).
    ``seed`` makes the result reproducible.

    Parameters
    ----------
    G : networkx.Graph
    weight : str, optional
        Edge attribute read as tie strength; ``None`` (default) gives every edge 1.
    resolution : float
        Above 1 favours smaller communities, below 1 larger ones.
    seed : int
        Random seed of the Louvain method.

    Returns
    -------
    dict
        ``{node: community id}``, in the node order of ``G``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.barbell_graph(3, 0)  # two triangles joined by an edge
    >>> communities(G)
    {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    """
    if len(G) == 0:
        return {}
    parts = nx.community.louvain_communities(G, weight=weight, resolution=resolution, seed=seed)
    ordered = sorted(parts, key=lambda part: (-len(part), min(map(_sort_key, part))))
    ids = {node: i for i, part in enumerate(ordered) for node in part}
    return {node: ids[node] for node in G}
