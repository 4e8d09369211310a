"""``analyse``: every measure of the organisation network in one plain result."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from regiograph.runtime import paused_gc
from regiograph.store import open_store

from . import metrics as m
from .projections import networks

__all__ = ["METRIC_COLUMNS", "AnalysisResult", "analyse"]

#: The columns of :attr:`AnalysisResult.metrics` (and of ``metrics.csv``), in order.
METRIC_COLUMNS: tuple[str, ...] = (
    "organisation",
    "label",
    "type",
    "provinces",
    "degree",
    "weighted_degree",
    "betweenness",
    "eigenvector",
    "pagerank",
    "core",
    "constraint",
    "effective_size",
    "community",
    *m.UNDIRECTED_ROLES,
    "brokerage",
    "province_bridges",
)


@dataclass
class AnalysisResult:
    """What :func:`analyse` computed, as plain Python values (no pandas).

    ``metrics``
        one dict per organisation with the keys of :data:`METRIC_COLUMNS`, ordered by
        decreasing betweenness, then label and IRI. ``constraint`` and
        ``effective_size`` are ``None`` for organisations without partners.
    ``communities``
        ``{community id: [{"organisation", "label", "type"}, ...]}``, members by label.
    ``helix``
        per collaboration, see :func:`regiograph.analyse.metrics.helix_mix`.
    ``bridges``
        ties between organisations of disjoint provinces: ``source``, ``target``, their
        labels and provinces, ``weight`` and ``collaborations``.
    ``graph``
        the :func:`~regiograph.analyse.projections.org_network` analysed.
    """

    metrics: list[dict[str, Any]]
    communities: dict[int, list[dict[str, str]]]
    helix: list[dict[str, Any]]
    bridges: list[dict[str, Any]]
    since: int | None = None
    until: int | None = None
    resolution: float = 1.0
    seconds: dict[str, float] = field(default_factory=dict)
    graph: nx.Graph = field(default_factory=nx.Graph, repr=False)


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def analyse(
    store: ox.Store | str | Path,
    *,
    since: int | None = None,
    until: int | None = None,
    resolution: float = 1.0,
    min_confidence: float = 0.0,
) -> AnalysisResult:
    """Project the organisation network and compute every measure on it.

    ``store`` is a pyoxigraph store or a build directory. ``since``/``until`` and
    ``min_confidence`` go to :func:`~regiograph.analyse.projections.org_network`.

    Weights: the tie weight (number of shared collaborations) is used as tie strength by
    ``weighted_degree``, ``eigenvector``, ``pagerank``, ``constraint``,
    ``effective_size`` and the Louvain ``communities``; ``degree``, ``betweenness``
    (hops, normalized) and ``core`` ignore it. Brokerage roles use the organisation
    ``type`` as the group (``"unknown"`` when it has none), so a liaison links three
    different kinds of organisation.
    """
    if not isinstance(store, ox.Store):
        store = open_store(store)
    with paused_gc():
        return _analyse(store, since, until, resolution, min_confidence)


def _analyse(
    store: ox.Store,
    since: int | None,
    until: int | None,
    resolution: float,
    min_confidence: float,
) -> AnalysisResult:
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    G, B = networks(store, since=since, until=until, min_confidence=min_confidence)
    seconds["project"] = round(time.perf_counter() - t0, 3)

    t1 = time.perf_counter()
    w = "weight"
    groups = {n: d.get("type") or "unknown" for n, d in G.nodes(data=True)}
    values = {
        "degree": m.degree(G),
        "weighted_degree": m.weighted_degree(G, weight=w),
        "betweenness": m.betweenness(G),
        "eigenvector": m.eigenvector(G, weight=w),
        "pagerank": m.pagerank(G, weight=w) if len(G) else {},
        "core": m.kcore(G),
        "constraint": m.constraint(G, weight=w),
        "effective_size": m.effective_size(G, weight=w),
        "community": m.communities(G, weight=w, resolution=resolution),
    }
    roles = m.brokerage(G, groups)
    bridges = m.cross_province_bridges(G)
    helix = m.helix_mix(B)
    seconds["metrics"] = round(time.perf_counter() - t1, 3)

    rows = []
    for node, data in G.nodes(data=True):
        row: dict[str, Any] = {
            "organisation": node,
            "label": data["label"],
            "type": data["type"],
            "provinces": list(data["provinces"]),
        }
        for name, by_node in values.items():
            row[name] = by_node[node]
        row["constraint"] = _finite(row["constraint"])
        row["effective_size"] = _finite(row["effective_size"])
        row.update(roles[node])
        row["brokerage"] = sum(roles[node].values())
        row["province_bridges"] = bridges["counts"][node]
        rows.append(row)
    rows.sort(key=lambda r: (-r["betweenness"], r["label"].lower(), r["label"], r["organisation"]))

    members: dict[int, list[dict[str, str]]] = {}
    for node, community in values["community"].items():
        data = G.nodes[node]
        members.setdefault(community, []).append(
            {"organisation": node, "label": data["label"], "type": data["type"]}
        )
    for people in members.values():
        people.sort(key=lambda r: (r["label"].lower(), r["label"], r["organisation"]))

    bridge_rows = []
    order = {node: (data["label"].lower(), node) for node, data in G.nodes(data=True)}
    for u, v in bridges["edges"]:
        a, b = (v, u) if order[v] < order[u] else (u, v)
        node_a, node_b, tie = G.nodes[a], G.nodes[b], G.adj[a][b]
        bridge_rows.append(
            {
                "source": a,
                "target": b,
                "source_label": node_a["label"],
                "target_label": node_b["label"],
                "source_provinces": list(node_a["provinces"]),
                "target_provinces": list(node_b["provinces"]),
                "weight": tie["weight"],
                "collaborations": list(tie["collaborations"]),
            }
        )
    bridge_rows.sort(
        key=lambda r: (order[r["source"]][0], order[r["target"]][0], r["source"], r["target"])
    )
    seconds["total"] = round(time.perf_counter() - t0, 3)
    return AnalysisResult(
        metrics=rows,
        communities=dict(sorted(members.items())),
        helix=helix,
        bridges=bridge_rows,
        since=since,
        until=until,
        resolution=resolution,
        seconds=seconds,
        graph=G,
    )
