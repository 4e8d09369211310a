"""Exports of an organisation network (``analyse.projections.org_network``) for other tools.

| function | format | for |
| --- | --- | --- |
| :func:`write_graphml` | GraphML | Gephi, Cytoscape, yEd, igraph, networkx |
| :func:`write_gexf` | GEXF 1.2 | Gephi |
| :func:`write_csv` | CSV node and edge lists (UTF-8, ``\\n``) | spreadsheets, R, pandas |
| :func:`write_vosviewer` | VOSviewer JSON map | VOSviewer and VOSviewer Online |

GraphML and GEXF hold no lists: :func:`flatten` joins lists of plain values with ``"; "``
(``provinces``, ``sectors``, ``collaborations``), writes lists of records (``evidence``) as
JSON text, leaves out ``None`` values, turns numbers of a mixed int/float attribute into
floats, and removes the control characters XML 1.0 forbids. Every file is written
atomically: a reader never sees half of it.

CSV cells that start with ``=``, ``+``, ``-`` or ``@`` get a leading ``'`` so a spreadsheet
shows document text instead of running it as a formula.

The VOSviewer JSON follows https://app.vosviewer.com/docs/file-types/json-file-type/::

    {"network": {
       "items": [{"id": IRI, "label": str, "description": HTML (escaped text),
                  "cluster": 1..1000,
                  "weights": {"Links": degree, "Total link strength": sum of weights,
                              <each non-negative numeric node attribute>},
                  "scores": {<each numeric node attribute>}}],
       "links": [{"source_id": IRI, "target_id": IRI, "strength": weight}],
       "clusters": [{"cluster": 1, "label": "government"}, ...]},
     "config": {"terminology": {"item": "organisation", ...}},
     "info": {"title": ..., "description": ...}}

Clusters are the node attribute ``community`` when every node has one (numbered 1, 2, ...
from the largest community down), otherwise the organisation type in a fixed order
(government = 1 ... intermediary = 7, other = 8).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Hashable
from pathlib import Path

import networkx as nx

from .errors import UsageError
from .store import write_atomic
from .visualise import (
    OTHER_TYPE,
    TYPE_COLOURS,
    TYPE_LABELS_NL,
    is_number,
    numeric_attributes,
    org_type,
)

LIST_SEPARATOR = "; "
NODE_COLUMNS = ["id", "label", "type", "provinces", "sectors"]
EDGE_COLUMNS = [
    "source",
    "target",
    "weight",
    "documents",
    "collaborations",
    "first_year",
    "last_year",
]
MAX_CLUSTERS = 1000  # VOSviewer's limit
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _plain(value):
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        if any(isinstance(item, dict | list) for item in items):
            return json.dumps(items, ensure_ascii=False, sort_keys=True)
        return LIST_SEPARATOR.join(str(item) for item in items)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str | bool | int | float):
        return value
    return str(value)


def _clean(data: dict) -> dict:
    out = {}
    for key, value in data.items():
        if value is None:
            continue
        value = _plain(value)
        out[str(key)] = _XML_FORBIDDEN.sub("", value) if isinstance(value, str) else value
    return out


def _floats_where_mixed(records: list[dict]) -> None:
    kinds: dict[str, set[type]] = {}
    for data in records:
        for key, value in data.items():
            kinds.setdefault(key, set()).add(type(value))
    for key, seen in kinds.items():
        if seen == {int, float}:
            for data in records:
                if key in data:
                    data[key] = float(data[key])


def flatten(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` whose attribute values GraphML and GEXF can hold (see the module)."""
    H = G.__class__()
    H.graph.update(_clean(G.graph))
    H.add_nodes_from((n, _clean(d)) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, _clean(d)) for u, v, d in G.edges(data=True))
    _floats_where_mixed([d for _, d in H.nodes(data=True)])
    _floats_where_mixed([d for *_, d in H.edges(data=True)])
    return H


def write_graphml(G: nx.Graph, path: str | Path) -> Path:
    """``G`` as GraphML (attributes flattened, see :func:`flatten`)."""
    buffer = io.BytesIO()
    nx.write_graphml(flatten(G), buffer, encoding="utf-8", prettyprint=True)
    return _write(path, buffer.getvalue())


def write_gexf(G: nx.Graph, path: str | Path) -> Path:
    """``G`` as GEXF 1.2 (attributes flattened; ``label`` becomes the GEXF node label and
    ``weight`` the GEXF edge weight, which readers return as a float)."""
    buffer = io.BytesIO()
    nx.write_gexf(flatten(G), buffer, encoding="utf-8", prettyprint=True, version="1.2draft")
    return _write(path, buffer.getvalue())


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        value = _plain(value)
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not is_number(value) else text


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def write_csv(G: nx.Graph, nodes_path: str | Path, edges_path: str | Path) -> tuple[Path, Path]:
    """A node list (``id,label,type,provinces,sectors`` and every numeric node attribute,
    e.g. ``betweenness,degree,pagerank``) and an edge list (``source,target,weight,
    documents,collaborations,first_year,last_year``); lists joined with ``"; "``."""
    metrics = [k for k in numeric_attributes(G) if k not in NODE_COLUMNS]
    nodes = [NODE_COLUMNS + metrics]
    for node, data in G.nodes(data=True):
        nodes.append(
            [
                node,
                data.get("label"),
                data.get("type"),
                data.get("provinces"),
                data.get("sectors"),
                *(data.get(k) for k in metrics),
            ]
        )
    edges = [EDGE_COLUMNS]
    edges += [[u, v, *(d.get(k) for k in EDGE_COLUMNS[2:])] for u, v, d in G.edges(data=True)]
    return _write(nodes_path, _csv(nodes)), _write(edges_path, _csv(edges))


def _clusters(G: nx.Graph) -> tuple[dict[Hashable, int], list[dict], str]:
    if len(G) and all(d.get("community") is not None for _, d in G.nodes(data=True)):
        sizes: dict = {}
        for _, community in G.nodes(data="community"):
            sizes[community] = sizes.get(community, 0) + 1
        order = sorted(sizes, key=lambda c: -sizes[c])  # stable: ties keep first appearance
        if len(order) > MAX_CLUSTERS:
            raise UsageError(
                f"{len(order)} communities; VOSviewer shows at most {MAX_CLUSTERS}",
                hint="merge small communities or leave out 'community'",
            )
        number = {c: i for i, c in enumerate(order, start=1)}
        labels = [{"cluster": number[c], "label": f"community {c}"} for c in order]
        return {n: number[c] for n, c in G.nodes(data="community")}, labels, "community"
    kinds = [*TYPE_COLOURS, OTHER_TYPE]
    present = {org_type(d) for _, d in G.nodes(data=True)}
    labels = [{"cluster": i, "label": k} for i, k in enumerate(kinds, start=1) if k in present]
    number = {n: kinds.index(org_type(d)) + 1 for n, d in G.nodes(data=True)}
    return number, labels, "type"


def _description(data: dict) -> str:
    kind = org_type(data)
    parts = [
        f"<b>{html.escape(str(kind))}</b> ({html.escape(TYPE_LABELS_NL.get(kind, 'onbekend'))})"
    ]
    for key in ("provinces", "sectors"):
        if data.get(key):
            parts.append(f"{key}: {html.escape(LIST_SEPARATOR.join(map(str, data[key])))}")
    return "<br>".join(parts)


def vosviewer_map(G: nx.Graph, *, title: str = "regiograph organisation network") -> dict:
    """The VOSviewer JSON document for ``G`` as a dict (see the module)."""
    cluster, clusters, cluster_by = _clusters(G)
    metrics = [k for k in numeric_attributes(G) if k != cluster_by]
    non_negative = [k for k in metrics if all((d.get(k) or 0) >= 0 for _, d in G.nodes(data=True))]
    items = []
    for node, data in G.nodes(data=True):
        weights = {"Links": G.degree(node), "Total link strength": G.degree(node, weight="weight")}
        weights.update({k: 0 if data.get(k) is None else data[k] for k in non_negative})
        items.append(
            {
                "id": str(node),
                "label": str(data.get("label") or node),
                "description": _description(data),
                "cluster": cluster[node],
                "weights": weights,
                "scores": {k: data[k] for k in metrics if is_number(data.get(k))},
            }
        )
    links = [
        {"source_id": str(u), "target_id": str(v), "strength": d.get("weight", 1)}
        for u, v, d in G.edges(data=True)
    ]
    return {
        "network": {"items": items, "links": links, "clusters": clusters},
        "config": {
            "terminology": {
                "item": "organisation",
                "items": "organisations",
                "link": "tie",
                "links": "ties",
                "link_strength": "shared collaborations",
                "total_link_strength": "total shared collaborations",
            }
        },
        "info": {
            "title": title,
            "description": f"Clusters: {cluster_by}. Link strength: "
            "the number of collaborations two organisations share.",
        },
    }


def write_vosviewer(
    G: nx.Graph, path: str | Path, *, title: str = "regiograph organisation network"
) -> Path:
    """``G`` as a VOSviewer JSON map file (open it in VOSviewer or VOSviewer Online)."""
    document = vosviewer_map(G, title=title)
    return _write(path, json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"))


def _write(path: str | Path, data: bytes) -> Path:
    path = Path(path)
    if not path.parent.is_dir():
        raise UsageError(f"no folder {path.parent}", hint="create it first")
    write_atomic(path, data)
    return path
