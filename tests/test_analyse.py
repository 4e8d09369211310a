"""Network analysis (regiograph.analyse): projections, measures, brokerage, helix mix,
time windows and writing the metrics back into a build.

The measures are checked on networkx's Krackhardt kite and Florentine families graphs
against values computed once with networkx itself (rounded to 6 decimals); the projections
on the hand-written ``fixtures/analyse.trig``, whose header lists what it holds.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from regiograph import namespaces as ns
from regiograph.analyse import (
    METRIC_COLUMNS,
    analyse,
    betweenness,
    bipartite_network,
    brokerage,
    communities,
    constraint,
    cross_province_bridges,
    degree,
    effective_size,
    eigenvector,
    helix_mix,
    kcore,
    metrics_csv,
    metrics_graph,
    org_network,
    pagerank,
    person_network,
    summary,
    time_slices,
    weighted_degree,
    write_metrics,
)
from regiograph.errors import StoreError, UsageError
from regiograph.query import execute, run
from regiograph.store import open_store

HERE = Path(__file__).parent
ROOT = HERE.parent
FIXTURE = HERE / "fixtures" / "analyse.trig"
ORG = ns.PREFIXES["rgo"]
P = ns.PREFIXES["rgp"]

KITE_NAMES = [
    "Andre",
    "Beverly",
    "Carol",
    "Diane",
    "Ed",
    "Fernando",
    "Garth",
    "Heather",
    "Ike",
    "Jane",
]


def r6(values: dict) -> dict:
    return {k: round(v, 6) for k, v in values.items()}


def short(node: str) -> str:
    return node.removeprefix(ORG).removeprefix(P)


@pytest.fixture(scope="module")
def kite() -> nx.Graph:
    return nx.relabel_nodes(nx.krackhardt_kite_graph(), dict(enumerate(KITE_NAMES)))


@pytest.fixture(scope="module")
def florentine() -> nx.Graph:
    return nx.florentine_families_graph()


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return store


def edges(G: nx.Graph) -> dict[tuple[str, str], dict]:
    return {tuple(sorted((short(u), short(v)))): d for u, v, d in G.edges(data=True)}


# --------------------------------------------------------------------------- measures


def test_kite_measures(kite: nx.Graph) -> None:
    assert degree(kite) == {
        "Andre": 4,
        "Beverly": 4,
        "Carol": 3,
        "Diane": 6,
        "Ed": 3,
        "Fernando": 5,
        "Garth": 5,
        "Heather": 3,
        "Ike": 2,
        "Jane": 1,
    }
    assert r6(betweenness(kite)) == {
        "Andre": 0.023148,
        "Beverly": 0.023148,
        "Carol": 0.0,
        "Diane": 0.101852,
        "Ed": 0.0,
        "Fernando": 0.231481,
        "Garth": 0.231481,
        "Heather": 0.388889,
        "Ike": 0.222222,
        "Jane": 0.0,
    }
    assert kcore(kite) == {
        "Andre": 3,
        "Beverly": 3,
        "Carol": 3,
        "Diane": 3,
        "Ed": 3,
        "Fernando": 3,
        "Garth": 3,
        "Heather": 2,
        "Ike": 1,
        "Jane": 1,
    }
    ev = r6(eigenvector(kite))
    assert (ev["Diane"], ev["Heather"], ev["Jane"]) == (0.48102, 0.195862, 0.011164)
    pr = r6(pagerank(kite))
    assert (pr["Diane"], pr["Heather"], pr["Jane"]) == (0.147148, 0.095248, 0.05142)
    c, e = r6(constraint(kite)), r6(effective_size(kite))
    assert (c["Heather"], c["Diane"], c["Jane"]) == (0.431111, 0.47017, 1.0)
    assert (e["Heather"], e["Diane"], e["Ike"]) == (2.333333, 3.333333, 2.0)


def test_florentine_measures(florentine: nx.Graph) -> None:
    assert degree(florentine)["Medici"] == 6
    assert weighted_degree(florentine)["Medici"] == 6  # no weights: every edge counts 1
    b = r6(betweenness(florentine))
    assert (b["Medici"], b["Guadagni"], b["Albizzi"], b["Pazzi"]) == (
        0.521978,
        0.254579,
        0.212454,
        0.0,
    )
    assert round(pagerank(florentine)["Medici"], 6) == 0.145818
    assert round(eigenvector(florentine)["Medici"], 6) == 0.430315
    cores = kcore(florentine)
    assert {n for n, k in cores.items() if k == 1} == {
        "Acciaiuoli",
        "Ginori",
        "Lamberteschi",
        "Pazzi",
        "Salviati",
    }
    assert set(cores.values()) == {1, 2}
    c, e = r6(constraint(florentine)), r6(effective_size(florentine))
    assert (c["Medici"], c["Guadagni"], c["Peruzzi"]) == (0.209877, 0.25, 0.655864)
    assert (e["Medici"], e["Guadagni"], e["Peruzzi"]) == (5.666667, 4.0, 1.666667)


def _weighted(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` with integer tie weights 1-4 (deterministic)."""
    H = G.copy()
    for i, (u, v) in enumerate(sorted(H.edges, key=str)):
        H[u][v]["weight"] = 1 + i % 4
    return H


@pytest.mark.parametrize("name", ["kite", "florentine"])
@pytest.mark.parametrize("weight", [None, "weight"])
def test_structural_holes_equal_networkx(name: str, weight: str | None, request) -> None:
    G = _weighted(request.getfixturevalue(name))
    for ours, theirs in ((constraint, nx.constraint), (effective_size, nx.effective_size)):
        mine = ours(G, weight=weight)
        # nodes=... makes networkx use its own formulas, not SciPy's matrices
        reference = theirs(G, nodes=list(G), weight=weight)
        assert list(mine) == list(G)
        for node in G:
            assert mine[node] == pytest.approx(reference[node], abs=1e-9), (ours, node)


def test_structural_holes_of_isolated_nodes_and_empty_graphs() -> None:
    G = nx.path_graph(3)
    G.add_node("alone")
    assert math.isnan(constraint(G)["alone"]) and math.isnan(effective_size(G)["alone"])
    assert constraint(nx.Graph()) == {} == effective_size(nx.Graph(), weight="weight")


def _holes_graphs() -> list[nx.Graph]:
    """Graphs with what the sparse structural-hole measures must get right: self-loops,
    weights of 0, isolated nodes, nodes with only a self-loop, directed ties one way and
    both ways, nodes with only incoming ties."""
    looped = _weighted(nx.krackhardt_kite_graph())
    looped.add_edge(3, 3, weight=2)
    looped.add_edge(8, 9, weight=0)
    looped.add_nodes_from(["alone", "loop"])
    looped.add_edge("loop", "loop")
    sparse = _weighted(nx.barabasi_albert_graph(120, 2, seed=4))
    sparse.add_edge(7, 7, weight=3)
    directed = nx.gnp_random_graph(40, 0.12, seed=6, directed=True)
    for i, (u, v) in enumerate(sorted(directed.edges)):
        directed[u][v]["weight"] = i % 5  # some weights of 0
    directed.add_edges_from([(2, 2), ("in", 0), ("in", 1), (3, "sink"), (4, "sink")])
    directed.add_node("alone")
    return [looped, sparse, directed, nx.DiGraph([(0, 1), (1, 2), (2, 0), (0, 2)])]


@pytest.mark.parametrize("graph", range(4))
@pytest.mark.parametrize("weight", [None, "weight"])
@pytest.mark.parametrize("cells", [None, 1, 60])
def test_structural_holes_equal_networkx_on_awkward_graphs(
    graph: int, weight: str | None, cells: int | None, monkeypatch
) -> None:
    from regiograph.analyse import sparse

    if cells is not None:  # many small blocks, unpacked dense and looked up sparse
        monkeypatch.setattr(sparse, "PRODUCT_CELLS", cells)
    G = _holes_graphs()[graph]
    for ours, theirs in ((constraint, nx.constraint), (effective_size, nx.effective_size)):
        mine = ours(G, weight=weight)
        reference = theirs(G, nodes=list(G), weight=weight)
        assert list(mine) == list(G)
        for node in G:
            if math.isnan(reference[node]):
                assert math.isnan(mine[node]), (ours, node)
            else:
                assert mine[node] == pytest.approx(reference[node], abs=1e-9), (ours, node)


def test_sparse_products_at_a_pattern() -> None:
    import numpy as np
    import scipy.sparse as sp

    from regiograph.analyse import sparse

    rng = np.random.default_rng(3)
    A = sp.random_array((30, 30), density=0.2, rng=rng, format="csr")
    A = (A + A.T).tocsr()
    A.sort_indices()
    X = sp.random_array((30, 30), density=0.3, rng=rng, format="csr")
    full = (X @ A).toarray()
    rows = sparse.row_indices(A)
    assert np.allclose(sparse.at_pattern(X, A, A), full[rows, A.indices], rtol=1e-12)
    upper = sparse.at_pattern(X, A, A, upper=True)
    assert np.allclose(upper, np.where(A.indices >= rows, full[rows, A.indices], 0.0))
    sym = (A @ A).toarray()
    assert np.allclose(sparse.symmetric_at_pattern(A, A, A), sym[rows, A.indices])
    assert (A.indices[sparse.transposed(A)] == rows).all()


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("multi", [False, True])
def test_adjacency_matrix_is_networkx_s(directed: bool, multi: bool) -> None:
    from regiograph.analyse.sparse import adjacency_matrix

    kind = {(0, 0): nx.Graph, (0, 1): nx.MultiGraph, (1, 0): nx.DiGraph, (1, 1): nx.MultiDiGraph}
    G = kind[directed, multi]()
    G.add_edges_from(_holes_graphs()[2].edges(data=True))
    G.add_edge(5, 5, weight=2.5)
    if multi:
        G.add_edge(0, 1, weight=4)
    for weight in (None, "weight"):
        mine = adjacency_matrix(G, weight)
        theirs = nx.to_scipy_sparse_array(G, weight=weight, dtype=float, format="csr")
        assert (mine != theirs).nnz == 0 and mine.has_sorted_indices


@pytest.mark.parametrize("weight", [None, "weight"])
def test_pagerank_is_networkx_s_to_the_bit(weight: str | None) -> None:
    for G in [*_holes_graphs(), nx.path_graph(4), _weighted(nx.florentine_families_graph())]:
        assert pagerank(G, weight=weight) == nx.pagerank(G, weight=weight)
    assert pagerank(G, weight=weight, alpha=0.6) == nx.pagerank(G, weight=weight, alpha=0.6)


def test_kcore_is_networkx_s() -> None:
    for G in (nx.barabasi_albert_graph(300, 4, seed=1), nx.gnp_random_graph(80, 0.1, seed=2)):
        G.add_nodes_from(["alone", 1000])
        assert kcore(G) == nx.core_number(G)
        assert list(kcore(G)) == list(G)
    D = nx.gnp_random_graph(40, 0.1, seed=3, directed=True)
    assert kcore(D) == nx.core_number(D)
    assert kcore(nx.Graph()) == {}
    with pytest.raises(nx.NetworkXNotImplemented):
        kcore(nx.Graph([(1, 1)]))


def _brokerage_by_pairs(G: nx.Graph, groups: dict) -> dict:
    """The plain definition: every unordered pair of partners not tied to each other."""
    import itertools

    from regiograph.analyse.groups import _role

    result = {node: dict.fromkeys(("coordinator", "itinerant", "gatekeeper_representative",
                                   "liaison"), 0) for node in G}  # fmt: skip
    for b in G:
        for a, c in itertools.combinations(set(G[b]) - {b}, 2):
            if not G.has_edge(a, c):
                result[b][_role(groups[a], groups[b], groups[c], directed=False)] += 1
    return result


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("cells", [None, 40])
def test_brokerage_equals_the_plain_definition(seed: int, cells: int | None, monkeypatch) -> None:
    import random

    from regiograph.analyse import sparse as module

    if cells is not None:
        monkeypatch.setattr(module, "PRODUCT_CELLS", cells)
    rnd = random.Random(seed)
    G = (
        nx.gnp_random_graph(60, 0.15, seed=seed)
        if seed % 2
        else nx.barabasi_albert_graph(80, 3, seed=seed)
    )
    G.add_edges_from([(0, 0), (5, 5)])  # self-loops do not broker
    G.add_nodes_from(["alone", "also"])
    kinds = ["A", "B", "C", 4][: 2 + seed % 3]
    groups = {node: rnd.choice(kinds) for node in G}
    assert brokerage(G, groups) == _brokerage_by_pairs(G, groups)
    assert brokerage(nx.Graph(), {}) == {}
    one = {n: "same" for n in G}
    assert brokerage(G, one) == _brokerage_by_pairs(G, one)


def _same(mine: dict, theirs: dict) -> None:
    assert list(mine) == list(theirs)
    for node, value in theirs.items():
        assert mine[node] == pytest.approx(value, abs=1e-12, rel=1e-9), node


def _graphs() -> list[nx.Graph]:
    two = nx.disjoint_union(nx.barabasi_albert_graph(60, 2, seed=3), nx.path_graph(5))
    two.add_nodes_from(["alone", "also alone"])
    looped = nx.krackhardt_kite_graph()
    looped.add_edge(3, 3)
    return [nx.florentine_families_graph(), two, looped, nx.barbell_graph(6, 2)]


@pytest.mark.parametrize("graph", range(4))
@pytest.mark.parametrize("normalized", [True, False])
def test_betweenness_equals_networkx(graph: int, normalized: bool) -> None:
    G = _graphs()[graph]
    theirs = nx.betweenness_centrality(G, normalized=normalized)
    _same(betweenness(G, normalized=normalized), theirs)
    for k in (1, 2, 9):
        mine = betweenness(G, normalized=normalized, k=k, seed=5)
        theirs = nx.betweenness_centrality(G, normalized=normalized, k=k, seed=5)
        assert [math.isnan(v) for v in mine.values()] == [math.isnan(v) for v in theirs.values()]
        _same({n: v for n, v in mine.items() if not math.isnan(v)},
              {n: v for n, v in theirs.items() if not math.isnan(v)})  # fmt: skip


def test_betweenness_samples_above_the_limit(monkeypatch) -> None:
    from regiograph.analyse import metrics as m

    G = nx.barabasi_albert_graph(300, 2, seed=1)
    exact = betweenness(G)
    _same(exact, nx.betweenness_centrality(G))
    monkeypatch.setattr(m, "BETWEENNESS_EXACT_LIMIT", 100)
    monkeypatch.setattr(m, "BETWEENNESS_SAMPLES", 150)
    sampled = betweenness(G)
    _same(sampled, nx.betweenness_centrality(G, k=150, seed=0))
    assert sampled == betweenness(G)  # seeded: reproducible
    top = sorted(exact, key=exact.get, reverse=True)[:5]
    assert set(top) & set(sorted(sampled, key=sampled.get, reverse=True)[:10])
    assert betweenness(G, k=1000) == exact  # k >= n is exact


def test_weighted_and_directed_betweenness_are_networkx_s() -> None:
    G = _weighted(nx.krackhardt_kite_graph())
    assert betweenness(G, weight="weight") == nx.betweenness_centrality(G, weight="weight")
    D = nx.DiGraph(nx.krackhardt_kite_graph())
    assert betweenness(D) == nx.betweenness_centrality(D)


@pytest.mark.parametrize("weight", [None, "weight"])
def test_eigenvector_equals_networkx(weight: str | None, florentine: nx.Graph) -> None:
    for G in (_weighted(florentine), _weighted(nx.barabasi_albert_graph(200, 3, seed=2))):
        mine = eigenvector(G, weight=weight)
        theirs = nx.eigenvector_centrality(G, weight=weight, max_iter=1000, tol=1e-6)
        assert list(mine) == list(theirs)
        for node in G:
            assert mine[node] == pytest.approx(theirs[node], abs=1e-12), node
    D = nx.DiGraph([(0, 1), (1, 2), (2, 0), (0, 2)])
    _same(eigenvector(D), nx.eigenvector_centrality(D))


def test_communities_are_numbered_by_size_then_smallest_node(florentine: nx.Graph) -> None:
    found = communities(florentine)
    assert list(found) == list(florentine)
    groups: dict[int, set[str]] = {}
    for node, community in found.items():
        groups.setdefault(community, set()).add(node)
    assert groups == {
        0: {"Acciaiuoli", "Medici", "Pazzi", "Ridolfi", "Salviati", "Tornabuoni"},
        1: {"Barbadori", "Bischeri", "Castellani", "Peruzzi", "Strozzi"},
        2: {"Albizzi", "Ginori", "Guadagni", "Lamberteschi"},
    }
    assert communities(florentine) == found  # seeded: reproducible


def test_communities_are_as_modular_as_networkx_louvain(florentine: nx.Graph) -> None:
    found = communities(florentine)
    parts: dict[int, set[str]] = {}
    for node, community in found.items():
        parts.setdefault(community, set()).add(node)
    ours = nx.community.modularity(florentine, parts.values())
    theirs = nx.community.modularity(
        florentine, nx.community.louvain_communities(florentine, seed=0)
    )
    assert round(ours, 5) == 0.39875
    assert ours >= theirs


def test_communities_of_a_directed_graph_use_networkx() -> None:
    D = nx.DiGraph([(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)])
    expected = nx.community.louvain_communities(D, seed=0)
    found = communities(D)
    assert {frozenset(n for n in D if found[n] == c) for c in set(found.values())} == {
        frozenset(p) for p in expected
    }
    assert communities(nx.Graph()) == {}


def test_eigenvector_falls_back_to_pagerank_per_component() -> None:
    G = nx.union(nx.path_graph(["a", "b", "c"]), nx.path_graph(["x", "y"]))
    with pytest.raises(nx.PowerIterationFailedConvergence):
        eigenvector(G, max_iter=1, fallback=False)
    fallback = eigenvector(G, max_iter=1)
    big = pagerank(G.subgraph(["a", "b", "c"]))
    small = pagerank(G.subgraph(["x", "y"]))
    raw = {**{n: v * 3 / 5 for n, v in big.items()}, **{n: v * 2 / 5 for n, v in small.items()}}
    norm = math.sqrt(sum(v * v for v in raw.values()))
    assert r6(fallback) == r6({n: raw[n] / norm for n in G})
    assert eigenvector(nx.Graph()) == {}


def test_brokerage_by_hand() -> None:
    # Groups A = {a1, a2, a3}, B = {b1, b2}, C = {c1}. Ties: a1-a2, a2-a3, a1-b1, a3-b1,
    # b1-c1, b1-b2, b2-c1. A broker b counts each unordered pair of its neighbours that
    # are not tied to each other once:
    #   a1: {a2, b1}         A-A-B                              -> 1 gatekeeper_representative
    #   a2: {a1, a3}         A-A-A                              -> 1 coordinator
    #   a3: {a2, b1}         A-A-B                              -> 1 gatekeeper_representative
    #   b1: {a1, a3}         A-B-A                              -> 1 itinerant
    #       {a1, c1} {a3, c1} A-B-C                             -> 2 liaison
    #       {a1, b2} {a3, b2} A-B-B                             -> 2 gatekeeper_representative
    #       {c1, b2}         tied                               -> nothing
    #   b2: {b1, c1} and c1: {b1, b2} are tied pairs            -> nothing
    G = nx.Graph(
        [
            ("a1", "a2"),
            ("a2", "a3"),
            ("a1", "b1"),
            ("a3", "b1"),
            ("b1", "c1"),
            ("b1", "b2"),
            ("b2", "c1"),
        ]
    )
    groups = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C"}
    zero = {"coordinator": 0, "itinerant": 0, "gatekeeper_representative": 0, "liaison": 0}
    assert brokerage(G, groups) == {
        "a1": {**zero, "gatekeeper_representative": 1},
        "a2": {**zero, "coordinator": 1},
        "a3": {**zero, "gatekeeper_representative": 1},
        "b1": {**zero, "itinerant": 1, "liaison": 2, "gatekeeper_representative": 2},
        "b2": zero,
        "c1": zero,
    }
    with pytest.raises(KeyError):
        brokerage(G, {"a1": "A"})


def test_brokerage_directed() -> None:
    # a1 -> a2 -> b1 -> b2: a2 passes A's tie on to B (representative), b1 lets A's tie
    # into B (gatekeeper).
    D = nx.DiGraph([("a1", "a2"), ("a2", "b1"), ("b1", "b2")])
    roles = brokerage(D, {"a1": "A", "a2": "A", "b1": "B", "b2": "B"})
    zero = dict.fromkeys(("coordinator", "itinerant", "representative", "gatekeeper", "liaison"), 0)
    assert roles == {
        "a1": zero,
        "a2": {**zero, "representative": 1},
        "b1": {**zero, "gatekeeper": 1},
        "b2": zero,
    }


def test_helix_labels_on_a_small_graph() -> None:
    B = nx.Graph()
    members = {
        "single": ["government"],
        "none": ["intermediary", "civil_society"],
        "double": ["business", "education"],
    }
    for collaboration, types in members.items():
        B.add_node(collaboration, bipartite=1, label=collaboration, type="intermediary")
        for i, kind in enumerate(types):
            B.add_node(f"{collaboration}-{i}", bipartite=0, type=kind)
            B.add_edge(collaboration, f"{collaboration}-{i}")
    assert [(h["label"], h["helix"], h["helices"]) for h in helix_mix(B)] == [
        ("double", "double", ["knowledge", "business"]),
        ("none", "none", ["society"]),
        ("single", "single", ["government"]),
    ]


# --------------------------------------------------------------------------- projections

ORGS = {
    "emmtec",
    "energiepact",
    "frisia-zout",
    "gemeente-emmen",
    "hanzehogeschool",
    "provincie-drenthe",
    "rijksuniversiteit-groningen",
    "stichting-welzijn-assen",
    "zorggroep-noord",
}
CAMPUS = {
    ("emmtec", "gemeente-emmen"),
    ("emmtec", "provincie-drenthe"),
    ("emmtec", "rijksuniversiteit-groningen"),
    ("gemeente-emmen", "provincie-drenthe"),
    ("gemeente-emmen", "rijksuniversiteit-groningen"),
    ("provincie-drenthe", "rijksuniversiteit-groningen"),
}
ENERGIEPACT = {
    ("frisia-zout", "hanzehogeschool"),
    ("frisia-zout", "provincie-drenthe"),
    ("frisia-zout", "rijksuniversiteit-groningen"),
    ("frisia-zout", "stichting-welzijn-assen"),
    ("hanzehogeschool", "provincie-drenthe"),
    ("hanzehogeschool", "rijksuniversiteit-groningen"),
    ("hanzehogeschool", "stichting-welzijn-assen"),
    ("provincie-drenthe", "rijksuniversiteit-groningen"),
    ("provincie-drenthe", "stichting-welzijn-assen"),
    ("rijksuniversiteit-groningen", "stichting-welzijn-assen"),
}
OVERLEG = {
    ("energiepact", "gemeente-emmen"),
    ("energiepact", "hanzehogeschool"),
    ("gemeente-emmen", "hanzehogeschool"),
}
PARTNERSHIP = {("stichting-welzijn-assen", "zorggroep-noord")}
CAMPUS_SENTENCE = {
    "text": "Emmen, Drenthe, de RUG en Emmtec starten Campus Noord.",
    "document": "doc-1.txt",
}


def test_org_network_nodes(store: ox.Store) -> None:
    G = org_network(store)
    assert {short(n) for n in G} == ORGS  # the nested collaboration Energiepact included
    assert G.nodes[ORG + "rijksuniversiteit-groningen"] == {
        "label": "Rijksuniversiteit Groningen",  # skos:prefLabel over rdfs:label "RUG"
        "type": "research",
        "collaboration": False,
        "provinces": ["Groningen"],
        "province_codes": ["PV20"],
        "sectors": ["onderwijs"],
    }
    assert G.nodes[ORG + "energiepact"] == {
        "label": "Energiepact",
        "type": "intermediary",
        "collaboration": True,
        "provinces": [],
        "province_codes": [],
        "sectors": ["energie"],
    }
    assert G.nodes[ORG + "stichting-welzijn-assen"]["provinces"] == ["Drenthe"]  # via GM0106
    assert G.nodes[ORG + "provincie-drenthe"]["province_codes"] == ["PV22"]  # serves PV22
    assert G.graph == {
        "projection": "organisations",
        "since": None,
        "until": None,
        "min_confidence": 0.0,
    }


def test_org_network_edges(store: ox.Store) -> None:
    found = edges(org_network(store))
    assert set(found) == CAMPUS | ENERGIEPACT | OVERLEG | PARTNERSHIP
    assert len(found) == 19
    assert {pair for pair, d in found.items() if d["weight"] == 2} == {
        ("emmtec", "gemeente-emmen"),
        ("emmtec", "rijksuniversiteit-groningen"),
        ("gemeente-emmen", "rijksuniversiteit-groningen"),
        ("provincie-drenthe", "rijksuniversiteit-groningen"),
    }
    # two collaborations, two documents, four evidence sentences of which the first three
    # in (document, offset) order
    assert found["emmtec", "gemeente-emmen"] == {
        "weight": 2,
        "documents": 2,
        "collaborations": ["Campus Noord", "Netwerk Emmen"],
        "first_year": 2015,  # Campus Noord's start date
        "last_year": 2022,  # Netwerk Emmen has no end date: its latest document
        "evidence": [
            CAMPUS_SENTENCE,
            {"text": "De gemeente Emmen en Emmtec vormen Netwerk Emmen.", "document": "doc-1.txt"},
            {"text": "Emmen blijft trekker van Netwerk Emmen.", "document": "doc-2.txt"},
        ],
    }
    assert found["provincie-drenthe", "rijksuniversiteit-groningen"] == {
        "weight": 2,
        "documents": 2,
        "collaborations": ["Campus Noord", "Energiepact"],
        "first_year": 2015,
        "last_year": 2022,
        "evidence": [
            CAMPUS_SENTENCE,
            {
                "text": "Drenthe, de RUG, de Hanzehogeschool, Frisia Zout en Stichting Welzijn "
                "Assen tekenen het Energiepact.",
                "document": "doc-2.txt",
            },
        ],
    }
    assert found["emmtec", "provincie-drenthe"]["first_year"] == 2015
    assert found["emmtec", "provincie-drenthe"]["last_year"] == 2020  # Campus Noord's end
    assert (
        found["frisia-zout", "hanzehogeschool"]["first_year"],
        found["frisia-zout", "hanzehogeschool"]["last_year"],
    ) == (2021, 2022)
    assert [e["text"][:11] for e in found["frisia-zout", "hanzehogeschool"]["evidence"]] == [
        "Drenthe, de",
        "Frisia Zout",
    ]
    # no dates at all: no years; Hanzehogeschool is in Noordelijk Overleg through
    # org:hasMember only, so only the other member's sentence is evidence
    assert found["gemeente-emmen", "hanzehogeschool"] == {
        "weight": 1,
        "documents": 1,
        "collaborations": ["Noordelijk Overleg"],
        "first_year": None,
        "last_year": None,
        "evidence": [
            {
                "text": "Het Energiepact en de gemeente Emmen overleggen in het "
                "Noordelijk Overleg.",
                "document": "doc-3.txt",
            }
        ],
    }


def test_min_confidence_drops_weak_memberships(store: ox.Store) -> None:
    G = org_network(store, min_confidence=0.75)
    # Frisia Zout (0.7) and the partnership (0.7) go, RUG's 0.5 membership of Netwerk
    # Emmen goes, and Hanzehogeschool's bare org:hasMember of Noordelijk Overleg goes.
    assert {short(n) for n in G} == ORGS - {"frisia-zout", "zorggroep-noord"}
    found = edges(G)
    assert set(found) == (
        CAMPUS
        | {p for p in ENERGIEPACT if "frisia-zout" not in p}
        | {("energiepact", "gemeente-emmen")}
    )
    assert found["emmtec", "gemeente-emmen"]["weight"] == 2
    assert found["gemeente-emmen", "rijksuniversiteit-groningen"]["weight"] == 1
    assert found["gemeente-emmen", "rijksuniversiteit-groningen"]["last_year"] == 2020


def test_time_windows(store: ox.Store) -> None:
    recent = edges(org_network(store, since=2021))
    assert set(recent) == ENERGIEPACT | {
        ("emmtec", "gemeente-emmen"),
        ("emmtec", "rijksuniversiteit-groningen"),
        ("gemeente-emmen", "rijksuniversiteit-groningen"),
    }
    # the tie keeps only the collaborations that overlap the window
    assert recent["provincie-drenthe", "rijksuniversiteit-groningen"]["collaborations"] == [
        "Energiepact"
    ]
    assert recent["emmtec", "gemeente-emmen"] == {
        "weight": 1,
        "documents": 2,
        "collaborations": ["Netwerk Emmen"],
        "first_year": 2019,
        "last_year": 2022,
        "evidence": [
            {"text": "De gemeente Emmen en Emmtec vormen Netwerk Emmen.", "document": "doc-1.txt"},
            {"text": "Emmen blijft trekker van Netwerk Emmen.", "document": "doc-2.txt"},
            {"text": "Emmtec investeert verder in Netwerk Emmen.", "document": "doc-2.txt"},
        ],
    }
    early = org_network(store, until=2018)
    assert set(edges(early)) == CAMPUS
    assert all(d["weight"] == 1 for d in edges(early).values())
    assert {short(n) for n in early} == {
        "emmtec",
        "gemeente-emmen",
        "provincie-drenthe",
        "rijksuniversiteit-groningen",
    }
    in_2019 = edges(org_network(store, since=2019, until=2019))
    assert set(in_2019) == CAMPUS
    assert {p for p, d in in_2019.items() if d["weight"] == 2} == {
        ("emmtec", "gemeente-emmen"),
        ("emmtec", "rijksuniversiteit-groningen"),
        ("gemeente-emmen", "rijksuniversiteit-groningen"),
    }
    slices = time_slices(store, [2030, 2016, 2021])
    assert list(slices) == [2016, 2021, 2030]
    assert set(edges(slices[2016])) == CAMPUS
    assert set(edges(slices[2021])) == set(recent)
    assert slices[2030].number_of_nodes() == 0
    with pytest.raises(UsageError):
        org_network(store, since=2022, until=2020)


def test_bipartite_network(store: ox.Store) -> None:
    B = bipartite_network(store)
    parts = {short(n): d["bipartite"] for n, d in B.nodes(data=True)}
    collaborations = {
        "campus-noord",
        "energiepact",
        "netwerk-emmen",
        "noordelijk-overleg",
        "stichting-welzijn-assen-en-zorggroep-noord",
    }
    assert parts == {n: int(n in collaborations) for n in (ORGS | collaborations)}
    assert nx.is_bipartite(B)
    assert B.number_of_edges() == 16
    assert B.graph["nested"] == [(ORG + "energiepact", ORG + "noordelijk-overleg")]
    assert B.edges[ORG + "frisia-zout", ORG + "energiepact"] == {
        "confidence": 0.7,
        "documents": 1,
        "first_year": 2021,
        "last_year": 2022,
    }
    assert B.edges[ORG + "rijksuniversiteit-groningen", ORG + "netwerk-emmen"] == {
        "confidence": 0.5,
        "documents": 1,
        "first_year": 2019,
        "last_year": 2019,
    }
    assert B.edges[ORG + "hanzehogeschool", ORG + "noordelijk-overleg"] == {
        "confidence": None,
        "documents": 0,
        "first_year": None,
        "last_year": None,
    }
    assert B.nodes[ORG + "campus-noord"]["label"] == "Campus Noord"


def test_helix_mix_of_the_fixture(store: ox.Store) -> None:
    rows = [{k: v for k, v in h.items() if k != "collaboration"} for h in helix_mix(store)]
    assert rows == [
        {
            "label": "Campus Noord",
            "members": 4,
            "helix": "triple",
            "types": {"business": 1, "government": 2, "research": 1},
            "helices": ["government", "knowledge", "business"],
        },
        {
            "label": "Energiepact",
            "members": 5,
            "helix": "quadruple",
            "types": {
                "business": 1,
                "civil_society": 1,
                "education": 1,
                "government": 1,
                "research": 1,
            },
            "helices": ["government", "knowledge", "business", "society"],
        },
        {
            "label": "Netwerk Emmen",
            "members": 3,
            "helix": "triple",
            "types": {"business": 1, "government": 1, "research": 1},
            "helices": ["government", "knowledge", "business"],
        },
        {
            "label": "Noordelijk Overleg",
            "members": 2,
            "helix": "double",
            "types": {"education": 1, "government": 1},
            "helices": ["government", "knowledge"],
        },
        {
            "label": "Stichting Welzijn Assen en Zorggroep Noord",
            "members": 2,
            "helix": "none",
            "types": {"civil_society": 1, "healthcare": 1},
            "helices": ["society"],
        },
    ]
    strict = helix_mix(bipartite_network(store, min_confidence=0.75))
    assert [(h["label"], h["helix"]) for h in strict] == [
        ("Campus Noord", "triple"),
        ("Energiepact", "double"),  # without Frisia Zout
        ("Netwerk Emmen", "double"),
        ("Noordelijk Overleg", "single"),
    ]


def test_person_network(store: ox.Store) -> None:
    G = person_network(store)
    assert {short(n): d for n, d in G.nodes(data=True)} == {
        "anna-de-boer": {"kind": "person", "label": "Anna de Boer"},
        "bert-visser": {"kind": "person", "label": "Bert Visser"},
        "gemeente-emmen": {"kind": "organisation", "label": "gemeente Emmen", "type": "government"},
        "campus-noord": {"kind": "organisation", "label": "Campus Noord", "type": "intermediary"},
        "hanzehogeschool": {
            "kind": "organisation",
            "label": "Hanzehogeschool",
            "type": "education",
        },
    }
    role = ns.PREFIXES["role"]
    assert edges(G) == {
        ("anna-de-boer", "gemeente-emmen"): {
            "role": role + "wethouder",
            "role_label": "wethouder",
            "role_name": "wethouder Economie",
            "documents": 1,
        },
        ("anna-de-boer", "campus-noord"): {
            "role": role + "voorzitter",
            "role_label": "voorzitter",
            "role_name": "voorzitter",
            "documents": 1,
        },
        ("bert-visser", "hanzehogeschool"): {
            "role": "",
            "role_label": "",
            "role_name": "",
            "documents": 0,
        },
    }
    assert set(edges(person_network(store, min_confidence=0.85))) == {
        ("anna-de-boer", "gemeente-emmen")
    }


def test_cross_province_bridges(store: ox.Store) -> None:
    found = cross_province_bridges(org_network(store))
    assert [tuple(map(short, e)) for e in found["edges"]] == [
        ("emmtec", "rijksuniversiteit-groningen"),
        ("frisia-zout", "hanzehogeschool"),
        ("frisia-zout", "provincie-drenthe"),
        ("frisia-zout", "rijksuniversiteit-groningen"),
        ("frisia-zout", "stichting-welzijn-assen"),
        ("gemeente-emmen", "hanzehogeschool"),
        ("gemeente-emmen", "rijksuniversiteit-groningen"),
        ("hanzehogeschool", "provincie-drenthe"),
        ("hanzehogeschool", "stichting-welzijn-assen"),
        ("provincie-drenthe", "rijksuniversiteit-groningen"),
        ("rijksuniversiteit-groningen", "stichting-welzijn-assen"),
    ]
    assert {short(n): c for n, c in found["counts"].items()} == {
        "emmtec": 1,
        "energiepact": 0,
        "frisia-zout": 4,
        "gemeente-emmen": 2,
        "hanzehogeschool": 4,
        "provincie-drenthe": 3,
        "rijksuniversiteit-groningen": 5,
        "stichting-welzijn-assen": 3,
        "zorggroep-noord": 0,  # no province: never a bridge
    }


# --------------------------------------------------------------------------- analyse


def test_analyse_the_fixture(store: ox.Store) -> None:
    result = analyse(store)
    assert [list(row) for row in result.metrics] == [list(METRIC_COLUMNS)] * 9
    rows = {short(r["organisation"]): r for r in result.metrics}
    assert {n: r["degree"] for n, r in rows.items()} == {
        "emmtec": 3,
        "energiepact": 2,
        "frisia-zout": 4,
        "gemeente-emmen": 5,
        "hanzehogeschool": 6,
        "provincie-drenthe": 6,
        "rijksuniversiteit-groningen": 6,
        "stichting-welzijn-assen": 5,
        "zorggroep-noord": 1,
    }
    assert rows["gemeente-emmen"]["weighted_degree"] == 7  # two ties of weight 2
    # Stichting Welzijn Assen links Zorggroep Noord to four partners of four other types
    assert {
        k: rows["stichting-welzijn-assen"][k]
        for k in ("coordinator", "itinerant", "gatekeeper_representative", "liaison", "brokerage")
    } == {
        "coordinator": 0,
        "itinerant": 0,
        "gatekeeper_representative": 0,
        "liaison": 4,
        "brokerage": 4,
    }
    assert rows["zorggroep-noord"]["province_bridges"] == 0
    assert rows["rijksuniversiteit-groningen"]["province_bridges"] == 5
    betweenness_order = [r["betweenness"] for r in result.metrics]
    assert betweenness_order == sorted(betweenness_order, reverse=True)
    assert sum(r["pagerank"] for r in result.metrics) == pytest.approx(1.0)
    members = [m["organisation"] for people in result.communities.values() for m in people]
    assert sorted(members) == sorted(rows[n]["organisation"] for n in rows)
    assert len(result.bridges) == 11
    assert [h["helix"] for h in result.helix] == ["triple", "quadruple", "triple", "double", "none"]
    text = summary(result)
    assert text.startswith("Organisation network: 9 organisations, 19 ties")
    lines = text.splitlines()
    assert lines[5].split() == [
        "1",
        "Stichting",
        "Welzijn",
        "Assen",
        "civil_society",
        "Drenthe",
        "0.250",
        "5",
    ]
    assert (
        "  liaison: Hanzehogeschool (6), Rijksuniversiteit Groningen (4), "
        "Stichting Welzijn Assen (4)"
    ) in lines
    assert (
        "  Energiepact [quadruple]: business 1, civil_society 1, education 1, "
        "government 1, research 1"
    ) in lines


def test_metrics_terms_are_declared_in_the_ontology(store: ox.Store) -> None:
    ontology = Graph().parse(ROOT / "ontology" / "regiograph.ttl", format="turtle")
    used = {p for _, p, _ in metrics_graph(analyse(store)) if str(p).startswith(str(ns.RG))}
    assert used == {
        ns.RG[t]
        for t in (
            "degree",
            "weightedDegree",
            "betweenness",
            "eigenvector",
            "pagerank",
            "coreNumber",
            "constraint",
            "effectiveSize",
            "community",
            "brokerage",
            "brokerageRole",
            "helix",
        )
    }
    for prop in used:
        assert (prop, RDF.type, OWL.DatatypeProperty) in ontology, prop


def _fixture_build(tmp_path: Path) -> Path:
    out = tmp_path / "build"
    out.mkdir(parents=True)
    store = ox.Store(str(out / "store"))
    store.bulk_load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    return out


def test_write_metrics_replaces_the_metrics_graph(tmp_path: Path) -> None:
    out = _fixture_build(tmp_path)
    write_metrics(out, analyse(out, since=2021))  # a first run, replaced by the next
    result = analyse(out)
    csv_path = write_metrics(out, result)
    store = open_store(out)
    rows = run(
        store,
        """
        SELECT ?org ?degree ?betweenness ?community WHERE { GRAPH rgg:metrics {
            ?org rg:degree ?degree ; rg:betweenness ?betweenness ; rg:community ?community } }
        ORDER BY ?org""",
    ).rows
    assert len(rows) == 9  # not 9 + 7 of the first run
    assert dict((short(r[0]), r[1]) for r in rows)["hanzehogeschool"] == 6
    roles = run(
        store,
        """SELECT ?role WHERE { GRAPH rgg:metrics {
        <https://w3id.org/regiograph/id/org/stichting-welzijn-assen> rg:brokerageRole ?role } }""",
    )
    assert roles.rows == [("liaison",)]
    helix = run(store, "SELECT ?c WHERE { ?c rg:helix 'quadruple' }").rows
    assert helix == [(ORG + "energiepact",)]
    assert csv_path == out / "metrics.csv"
    assert metrics_csv(result) == csv_path.read_text(encoding="utf-8")
    with csv_path.open(encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    assert table[0] == list(METRIC_COLUMNS)
    assert len(table) == 10
    # the saved query of the metrics graph: organisations in Drenthe, by betweenness
    brokers = execute(store, "16_top_brokers_in_province")
    assert brokers.columns[:3] == ["province", "organisation", "label"]
    assert {short(r[1]) for r in brokers.rows} == {
        "emmtec",
        "gemeente-emmen",
        "provincie-drenthe",
        "stichting-welzijn-assen",
    }
    values = [r[4] for r in brokers.rows]
    assert values == sorted(values, reverse=True)


def test_write_metrics_needs_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        write_metrics(tmp_path, analyse(_fixture_build(tmp_path / "x")))


def test_write_metrics_on_a_real_build(tmp_path: Path) -> None:
    from regiograph.pipeline import build

    corpus = ROOT / "data" / "corpus"
    out = tmp_path / "out"
    build(
        [
            corpus / "14_campus-emmen-intentieverklaring.txt",
            corpus / "10_toptechniek-in-bedrijf-drenthe.txt",
        ],
        out,
    )
    assert execute(open_store(out), "16_top_brokers_in_province").rows == []  # not analysed
    result = analyse(out)
    write_metrics(out, result)
    store = open_store(out)
    count = run(store, "SELECT (COUNT(?o) AS ?n) WHERE { GRAPH rgg:metrics { ?o rg:degree ?d } }")
    assert count.rows == [(len(result.metrics),)]
    # also without GRAPH, whether the build keeps a union default graph or not
    assert run(store, "SELECT (COUNT(?o) AS ?n) WHERE { ?o rg:degree ?d }").rows == count.rows
    assert len(result.metrics) == result.graph.number_of_nodes() > 0
    header = (out / "metrics.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(METRIC_COLUMNS)
    brokers = execute(store, "16_top_brokers_in_province", {"province": "Drenthe"})
    assert {r[2] for r in brokers.rows} >= {"gemeente Emmen", "provincie Drenthe"}
    write_metrics(out, analyse(out, since=3000))  # an empty window: no metrics left
    store = open_store(out)
    assert run(store, "SELECT ?o WHERE { ?o rg:degree ?d }").rows == []
