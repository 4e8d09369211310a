"""Measures over groups of nodes: Gould-Fernandez brokerage roles (groups: organisation
types), the helix mix of collaborations (member types) and province bridges (provinces).

Re-exported by :mod:`regiograph.analyse.metrics`.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Hashable, Mapping
from typing import Any

import networkx as nx

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
    :data:`UNDIRECTED_ROLES`.

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
    directed = G.is_directed()
    roles = DIRECTED_ROLES if directed else UNDIRECTED_ROLES
    result = {node: dict.fromkeys(roles, 0) for node in G}
    for b in G:
        if directed:
            pairs = ((a, c) for a in G.predecessors(b) for c in G.successors(b) if a != c)
        else:
            pairs = itertools.combinations(set(G[b]) - {b}, 2)
        for a, c in pairs:
            if b in (a, c) or G.has_edge(a, c):
                continue
            role = _role(groups[a], groups[b], groups[c], directed=directed)
            result[b][role] += 1
    return result


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
    for u, v in G.edges():
        pu, pv = set(G.nodes[u].get(attr) or ()), set(G.nodes[v].get(attr) or ())
        if pu and pv and not pu & pv:
            edges.append(tuple(sorted((u, v), key=_sort_key)))
            counts[u] += 1
            counts[v] += 1
    return {"edges": sorted(edges, key=lambda e: tuple(map(_sort_key, e))), "counts": counts}
