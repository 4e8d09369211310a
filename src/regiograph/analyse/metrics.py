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
import random
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


#: Above this many nodes :func:`betweenness` samples ``BETWEENNESS_SAMPLES`` source nodes.
BETWEENNESS_EXACT_LIMIT = 5_000
#: Source nodes sampled by :func:`betweenness` on larger graphs.
BETWEENNESS_SAMPLES = 512


def betweenness(
    G: nx.Graph,
    *,
    weight: str | None = None,
    normalized: bool = True,
    k: int | None = None,
    seed: int = 0,
) -> dict[Hashable, float]:
    """Normalized betweenness centrality, as :func:`networkx.betweenness_centrality`.

    The share of shortest paths between other pairs of nodes that run through a node:
    how much a node lies *between* the others.

    Exact (Brandes' algorithm, O(nm)) up to :data:`BETWEENNESS_EXACT_LIMIT` nodes. On
    larger graphs, unless ``k`` says otherwise, it is estimated from the shortest paths
    of :data:`BETWEENNESS_SAMPLES` source nodes drawn with ``seed`` (networkx's ``k``
    sampling and rescaling). Hop counts on an undirected graph (the organisation
    network) are computed by igraph's C implementation of the same algorithm, with the
    same sample and scaling, so the values equal networkx's (to 1e-9; tested) in a
    fraction of the time: 10,000 organisations take seconds instead of minutes. A
    ``weight`` or a directed graph goes to networkx itself.

    Parameters
    ----------
    G : networkx.Graph
    weight : str, optional
        Edge attribute networkx reads as a **distance**; ``None`` (default) counts hops.
        Do not pass a tie strength such as ``"weight"`` of the organisation network.
    normalized : bool
        Divide by the number of pairs, ``(n-1)(n-2)/2`` in an undirected graph.
    k : int, optional
        Number of sampled source nodes; ``None`` chooses as described above, a number
        at least ``len(G)`` is exact.
    seed : int
        Seed of the sample (``random.Random(seed).sample``, as networkx draws it).

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
    n = len(G)
    if k is None and n > BETWEENNESS_EXACT_LIMIT:
        k = BETWEENNESS_SAMPLES
    if k is not None and k >= n:
        k = None
    if weight is not None or G.is_directed() or n < 3:
        return nx.betweenness_centrality(G, k=k, normalized=normalized, weight=weight, seed=seed)
    import igraph

    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    graph = igraph.Graph(n=n, edges=[(index[u], index[v]) for u, v in G.edges() if u != v])
    sample = None if k is None else random.Random(seed).sample(nodes, k)
    sources = None if sample is None else sorted(index[v] for v in sample)
    # igraph counts a path once per unordered pair (all sources) or once per (source,
    # target) pair (sampled sources); networkx's accumulation counts ordered pairs
    raw = graph.betweenness(directed=False, sources=sources)
    ordered = [2.0 * value for value in raw]
    N = n - 1  # endpoints are not counted: a node is never its own target
    if k is None:
        scale = 1 / (N * (N - 1)) if normalized else 1 / 2
        return {node: ordered[i] * scale for i, node in enumerate(nodes)}
    if normalized:
        source_scale = 1 / ((k - 1) * (N - 1)) if k > 1 else math.nan
        other_scale = 1 / (k * (N - 1))
    else:
        source_scale = N / ((k - 1) * 2) if k > 1 else math.nan
        other_scale = N / (k * 2)
    sampled = set(sample)
    return {
        node: ordered[i] * (source_scale if node in sampled else other_scale)
        for i, node in enumerate(nodes)
    }


def _power_iteration(
    G: nx.Graph, weight: str | None, max_iter: int, tol: float
) -> dict[Hashable, float]:
    """:func:`networkx.eigenvector_centrality`'s power iteration (``x <- (A + I) x``,
    Euclidean norm, stop when the L1 change is below ``n * tol``), on a SciPy sparse
    matrix instead of Python dicts: the same values in a fraction of the time."""
    import numpy as np

    nodes = list(G)
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=weight, dtype=float, format="csr")
    x = np.full(len(nodes), 1.0 / len(nodes))
    for _ in range(max_iter):
        last = x
        x = last + A.T @ last
        norm = float(np.sqrt(x @ x)) or 1.0
        x = x / norm
        if float(np.abs(x - last).sum()) < len(nodes) * tol:
            return {node: float(x[i]) for i, node in enumerate(nodes)}
    raise nx.PowerIterationFailedConvergence(max_iter)


def eigenvector(
    G: nx.Graph,
    *,
    weight: str | None = None,
    max_iter: int = 1000,
    tol: float = 1e-06,
    fallback: bool = True,
) -> dict[Hashable, float]:
    """Eigenvector centrality, with a PageRank fallback when it does not converge.

    Runs the power iteration of :func:`networkx.eigenvector_centrality` on a SciPy
    sparse matrix (the same values, tested; 10 times faster at 10,000 organisations).
    When it fails to converge within ``max_iter`` iterations and ``fallback`` is true,
    it returns instead PageRank computed separately in every connected component
    (weakly connected when directed), each component's scores multiplied by its share
    of the nodes, and the whole vector scaled to Euclidean length 1 like eigenvector
    centrality. Scores are then comparable across components, unlike eigenvector
    centrality on a disconnected graph, which is near zero outside the component with
    the largest eigenvalue.

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
        return _power_iteration(G, weight, max_iter, tol)
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


def _mutual_weights(G: nx.Graph, weight: str | None) -> dict[Hashable, dict[Hashable, float]]:
    """``{u: {v: mutual weight}}`` for every neighbour ``v`` of ``u`` (in- or out-).

    The mutual weight is :func:`networkx.mutual_weight`, ``a_uv + a_vu`` with a missing
    ``weight`` counting 1. In an undirected graph that is twice the edge weight
    everywhere, and only ratios of mutual weights are used, so the edge weight is kept.
    """
    mutual: dict[Hashable, dict[Hashable, float]] = {u: {} for u in G}
    for u, v, data in G.edges(data=True):
        w = data.get(weight, 1) if weight is not None else 1
        if G.is_directed():
            mutual[u][v] = mutual[u].get(v, 0) + w
            mutual[v][u] = mutual[v].get(u, 0) + w  # a self-loop counts twice, as a_uu + a_uu
        else:
            mutual[u][v] = mutual[v][u] = w
    return mutual


def _normalised(mutual, norm) -> dict[Hashable, dict[Hashable, float]]:
    """Each row of ``mutual`` divided by ``norm`` (``sum`` or ``max``) of the row."""
    out = {}
    for u, row in mutual.items():
        scale = norm(row.values()) if row else 0
        out[u] = {v: (w / scale if scale else 0.0) for v, w in row.items()}
    return out


def constraint(G: nx.Graph, *, weight: str | None = None) -> dict[Hashable, float]:
    """Burt's constraint: low for nodes that span structural holes.

    .. math:: c(v) = \\sum_{u \\in N(v) \\setminus \\{v\\}} \\Big(p_{vu} +
              \\sum_{w \\in N(v)} p_{vw}\\, p_{wu}\\Big)^2

    where :math:`p_{vu}` is the share of ``v``'s (mutual) tie weight that goes to ``u``.
    The same values as :func:`networkx.constraint` (to 1e-9), computed from each node's
    two-step neighbourhood in O(sum of squared degrees) time and without SciPy (networkx
    needs SciPy's sparse matrices to be fast and takes about 30 s for 2,000 organisations
    without). Isolated nodes get ``nan``, as in networkx.

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
    p = _normalised(_mutual_weights(G, weight), sum)
    result: dict[Hashable, float] = {}
    for v in G:
        pv = p[v]
        if len(G[v]) == 0:  # as networkx: no (out-)neighbour at all
            result[v] = math.nan
            continue
        indirect: dict[Hashable, float] = {}
        for w, p_vw in pv.items():
            for u, p_wu in p[w].items():
                if u in pv:
                    indirect[u] = indirect.get(u, 0.0) + p_vw * p_wu
        result[v] = sum((p_vu + indirect.get(u, 0.0)) ** 2 for u, p_vu in pv.items())
    return result


def effective_size(G: nx.Graph, *, weight: str | None = None) -> dict[Hashable, float]:
    """Burt's effective size: the number of partners minus their redundancy.

    .. math:: e(v) = \\sum_{u \\in N(v) \\setminus \\{v\\}} \\Big(1 -
              \\sum_{w \\in N(v)} p_{vw}\\, m_{uw}\\Big)

    with :math:`p_{vw}` as in :func:`constraint` and :math:`m_{uw}` the weight of the tie
    ``u``-``w`` divided by ``u``'s strongest tie. Without weights (undirected) this is
    Borgatti's :math:`n - 2t/n` (``n`` partners, ``t`` ties among them). The same values
    as :func:`networkx.effective_size` (to 1e-9), in O(sum of squared degrees) time and
    without SciPy. Nodes without a partner other than themselves get ``nan``, as in
    networkx.

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
    if weight is None and not G.is_directed():
        return {v: _borgatti(G, v) for v in G}
    mutual = _mutual_weights(G, weight)
    p = _normalised(mutual, sum)
    m = _normalised(mutual, max)
    result: dict[Hashable, float] = {}
    for v in G:
        pv = p[v]
        if all(u == v for u in G[v]):  # as networkx: no (out-)neighbour but itself
            result[v] = math.nan
            continue
        redundancy: dict[Hashable, float] = {}
        for w, p_vw in pv.items():
            for u in m[w]:  # the neighbours of w, which have w as neighbour
                if u in pv:
                    redundancy[u] = redundancy.get(u, 0.0) + p_vw * m[u][w]
        result[v] = sum(1 - redundancy.get(u, 0.0) for u in pv)
    return result


def _borgatti(G: nx.Graph, v: Hashable) -> float:
    """Borgatti's effective size ``n - 2t/n`` of ``v`` in an undirected unweighted graph."""
    partners = set(G[v]) - {v}
    if not partners:
        return math.nan
    twice, loops = 0, 0  # ties among partners (each seen from both ends) and self-loops
    for x in partners:
        for y in G[x]:
            if y == x:
                loops += 1
            elif y in partners:
                twice += 1
    n = len(partners)
    return n - 2 * (twice / 2 + loops) / n


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
