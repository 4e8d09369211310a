"""Measures over groups of nodes: Gould-Fernandez brokerage roles (groups: organisation
types), the helix mix of collaborations (member types) and province bridges (provinces).

Re-exported by :mod:`regiograph.analyse.metrics`. Brokerage counts its pairs with the
sparse matrix products of :mod:`regiograph.analyse.sparse`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from typing import Any

import networkx as nx

from .sparse import adjacency_matrix, at_pattern, row_indices, transposed, without_loops

__all__ = [
    "DIRECTED_ROLES",
    "HELICES",
    "UNDIRECTED_ROLES",
    "brokerage",
    "cross_province_bridges",
    "helix_mix",
]

#: Brokerage roles counted in an undirected graph (see :func:`brokerage`).
UNDIRECTED_ROLES = ("coordinator", "itinerant", "gatekeeper_representative", "liaison")
#: Brokerage roles counted in a directed graph (Gould & Fernandez 1989).
DIRECTED_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
#: The helices of the quadruple helix and the organisation types (notations) in each.
HELICES = {
    "government": ("government",),
    "knowledge": ("education", "research"),
    "business": ("business",),
    "society": ("civil_society", "healthcare"),
}


def _sort_key(node: Any) -> tuple[int, Any]:
    """Numbers in numeric order, everything else by its text."""
    if isinstance(node, int | float) and not isinstance(node, bool):
        return (0, node)
    return (1, str(node))


def _role(ga: Hashable, gb: Hashable, gc: Hashable, *, directed: bool) -> str:
    if ga == gb == gc:
        return "coordinator"
    if ga == gc:
        return "itinerant"
    if gb not in (ga, gc):
        return "liaison"
    if not directed:
        return "gatekeeper_representative"
    return "representative" if gb == ga else "gatekeeper"


def brokerage(G: nx.Graph, groups: Mapping[Hashable, Hashable]) -> dict[Hashable, dict[str, int]]:
    """Gould-Fernandez brokerage roles of every node.

    Node *b* brokers between *a* and *c* when *a*-*b*-*c* is a path and *a* and *c* are
    not tied. The role depends on the groups of *a*, *b* and *c*:

    ==============================  =====================================================
    role                            groups
    ==============================  =====================================================
    ``coordinator``                 all three the same
    ``itinerant`` (consultant)      *a* and *c* the same, *b* another
    ``representative``              *a* and *b* the same, *c* another (directed a->b->c)
    ``gatekeeper``                  *b* and *c* the same, *a* another (directed a->b->c)
    ``gatekeeper_representative``   undirected: *b* shares its group with one of *a*, *c*
    ``liaison``                     all three different
    ==============================  =====================================================

    **Undirected graphs** (the regiograph projections): every unordered pair of
    non-adjacent neighbours {a, c} of b counts once. Without a direction a path is read
    both ways, and a broker who shares its group with one end is a representative one way
    and a gatekeeper the other way; rather than pick a direction arbitrarily, both are
    counted together once as ``gatekeeper_representative``. The keys are
    :data:`UNDIRECTED_ROLES`. The pairs are counted with SciPy sparse matrix products (all
    pairs of partners by group, minus those tied to each other), not one by one: the
    same counts (tested) in seconds instead of minutes for 10,000 organisations.

    **Directed graphs**: every ordered pair (a, c) with a->b, b->c, a != c and no edge
    a->c counts once; the keys are :data:`DIRECTED_ROLES`.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
    groups : mapping
        The group of every node (for organisations, their type).

    Returns
    -------
    dict
        ``{node: {role: count}}`` with every role present, zeros included.

    Raises
    ------
    KeyError
        When a node has no group.
    ValueError
        For an undirected graph of 2**26 nodes or more (the counts would not be exact).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> brokerage(G, {"a": "x", "b": "y", "c": "x"})["b"]
    {'coordinator': 0, 'itinerant': 1, 'gatekeeper_representative': 0, 'liaison': 0}
    >>> D = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> brokerage(D, {"a": "x", "b": "x", "c": "y"})["b"]["representative"]
    1
    """
    missing = [node for node in G if node not in groups]
    if missing:
        raise KeyError(f"no group for node(s) {sorted(missing, key=_sort_key)[:5]}")
    if not G.is_directed():
        return _undirected_brokerage(G, groups)
    result = {node: dict.fromkeys(DIRECTED_ROLES, 0) for node in G}
    for b in G:
        pairs = ((a, c) for a in G.predecessors(b) for c in G.successors(b) if a != c)
        for a, c in pairs:
            if b in (a, c) or G.has_edge(a, c):
                continue
            result[b][_role(groups[a], groups[b], groups[c], directed=True)] += 1
    return result


def _undirected_brokerage(
    G: nx.Graph, groups: Mapping[Hashable, Hashable]
) -> dict[Hashable, dict[str, int]]:
    """:func:`brokerage` of an undirected graph: all pairs of partners of every broker by
    their groups, minus the pairs that are tied, counted with sparse matrix products.

    With ``A`` the adjacency matrix without self-loops and ``S`` its ties within a group,
    a tie ``b``-``c`` closes ``(A A)[b, c]`` pairs of ``b``'s partners, ``(A S)[b, c]`` of
    them with the other partner in ``c``'s group and ``(S A)[b, c]`` in ``b``'s group.
    """
    import numpy as np

    codes: dict[Hashable, int] = {}
    g = np.array([codes.setdefault(groups[v], len(codes)) for v in G], dtype=np.int64)
    n, k = len(g), max(len(codes), 1)
    A, _ = without_loops(adjacency_matrix(G, None))
    rows, cols = row_indices(A), A.indices
    same = g[rows] == g[cols]
    # partners a of b tied to c, for every tie b-c: all of them (common), those in c's
    # group (in_c) and those in b's group (in_b); for b < c from one product with half the
    # work, (A + iS)(A + KS) = AA + K AS + i(SA + K SS), integers exact in float64
    K = 2.0**26
    if n >= K:
        raise ValueError(f"brokerage counts exactly up to {K:.0f} nodes")
    X = A.astype(complex)
    X.data += 1j * same
    Y = A.copy()
    Y.data = 1.0 + K * same
    packed = at_pattern(X, Y, A, upper=True)
    in_c = np.floor(packed.real / K)
    common = packed.real - K * in_c
    in_b = packed.imag - K * np.floor(packed.imag / K)
    below = rows > cols  # b > c: AA is symmetric and (AS)[b, c] = (SA)[c, b]
    mirror = transposed(A)[below]
    common[below], in_c[below], in_b[below] = common[mirror], in_b[mirror], in_c[mirror]

    def per_node(values: Any, where: Any = slice(None)) -> Any:
        summed = np.bincount(rows[where], weights=values[where], minlength=n)
        return np.rint(summed).astype(np.int64)

    # tied pairs of partners {a, c}: all, same group, both in b's group, one in b's group
    tied = per_node(common) // 2
    tied_same = per_node(in_c) // 2
    tied_coordinator = per_node(in_b, same) // 2
    tied_mixed = per_node(common - in_b, same)  # counted from the end c in b's group
    # all pairs of partners, by the groups of the partners
    partners = np.diff(A.indptr).astype(np.int64)
    counts = np.bincount(rows * k + g[cols], minlength=n * k).reshape(n, k).astype(np.int64)
    own = counts[np.arange(n), g] if n else np.zeros(0, dtype=np.int64)
    all_same = (counts * (counts - 1) // 2).sum(axis=1)
    all_coordinator = own * (own - 1) // 2
    all_mixed = own * (partners - own)
    coordinator = all_coordinator - tied_coordinator
    itinerant = (all_same - all_coordinator) - (tied_same - tied_coordinator)
    mixed = all_mixed - tied_mixed
    liaison = (partners * (partners - 1) // 2 - all_same - all_mixed) - (
        tied - tied_same - tied_mixed
    )
    table = zip(
        coordinator.tolist(), itinerant.tolist(), mixed.tolist(), liaison.tolist(), strict=True
    )
    return {
        node: dict(zip(UNDIRECTED_ROLES, row, strict=True))
        for node, row in zip(G, table, strict=True)
    }


def _helix(types: Counter) -> tuple[list[str], str]:
    present = [h for h, members in HELICES.items() if any(types[t] for t in members)]
    triple = sum(h in present for h in ("government", "knowledge", "business"))
    if triple == 3:
        label = "quadruple" if "society" in present else "triple"
    else:
        label = {2: "double", 1: "single"}.get(triple, "none")
    return present, label


def helix_mix(B: Any) -> list[dict[str, Any]]:
    """Members per type of every collaboration and its helix label.

    The label counts the three helices of the triple helix, government
    (``government``), knowledge (``education``, ``research``) and business
    (``business``): ``"triple"`` with all three, ``"quadruple"`` when a member of the
    fourth helix, society (``civil_society``, ``healthcare``), joins them, else
    ``"double"``, ``"single"`` or ``"none"`` by how many of the three are present
    (society alone does not make a helix; ``intermediary`` belongs to none).

    Parameters
    ----------
    B : networkx.Graph or pyoxigraph.Store
        A bipartite graph as made by
        :func:`~regiograph.analyse.projections.bipartite_network` (collaborations have
        ``bipartite=1``, members a ``type``); a store is projected first.

    Returns
    -------
    list of dict
        Per collaboration, ordered by label then IRI: ``collaboration``, ``label``,
        ``members`` (count), ``types`` (``{type: members}``, sorted, ``"unknown"`` for
        members without a type), ``helices`` (present, in the order of :data:`HELICES`)
        and ``helix``.

    Examples
    --------
    >>> import networkx as nx
    >>> B = nx.Graph()
    >>> B.add_node("pact", bipartite=1, label="Pact", type="intermediary")
    >>> for org, kind in [("gem", "government"), ("uni", "research"), ("bv", "business")]:
    ...     B.add_node(org, bipartite=0, label=org, type=kind)
    ...     B.add_edge(org, "pact")
    >>> row = helix_mix(B)[0]
    >>> row["helix"], row["types"]
    ('triple', {'business': 1, 'government': 1, 'research': 1})
    """
    if not isinstance(B, nx.Graph):
        from .projections import bipartite_network

        B = bipartite_network(B)
    rows = []
    for node, data in B.nodes(data=True):
        if data.get("bipartite") != 1:
            continue
        types = Counter(B.nodes[m].get("type") or "unknown" for m in B[node])
        helices, label = _helix(types)
        rows.append(
            {
                "collaboration": node,
                "label": data.get("label", str(node)),
                "members": sum(types.values()),
                "types": dict(sorted(types.items())),
                "helices": helices,
                "helix": label,
            }
        )
    return sorted(rows, key=lambda r: (r["label"].lower(), r["label"], str(r["collaboration"])))


def cross_province_bridges(G: nx.Graph, *, attr: str = "provinces") -> dict[str, Any]:
    """Ties between organisations of different provinces.

    An edge is a bridge when both ends have at least one province (node attribute
    ``attr``) and their province sets are disjoint.

    Returns
    -------
    dict
        ``{"edges": [(u, v), ...], "counts": {node: bridges}}``: the bridges in sorted
        order (``u`` before ``v``) and, for every node, how many bridges it has.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": ["Drenthe"], "b": ["Drenthe", "Groningen"],
    ...                            "c": ["Fryslân"], "d": []}, "provinces")
    >>> cross_province_bridges(G)
    {'edges': [('b', 'c')], 'counts': {'a': 0, 'b': 1, 'c': 1, 'd': 0}}
    """
    counts = dict.fromkeys(G, 0)
    edges = []
    places = {node: frozenset(data.get(attr) or ()) for node, data in G.nodes(data=True)}
    keys = {node: _sort_key(node) for node in G}
    for u, v in G.edges():
        pu, pv = places[u], places[v]
        if pu and pv and pu.isdisjoint(pv):
            edges.append((v, u) if keys[v] < keys[u] else (u, v))
            counts[u] += 1
            counts[v] += 1
    return {"edges": sorted(edges, key=lambda e: (keys[e[0]], keys[e[1]])), "counts": counts}
