"""The visualise stage: interactive, self-contained HTML views of an organisation network.

:func:`network_page` writes one HTML file that works offline: pyvis renders it with
vis-network's JavaScript and CSS inline (``cdn_resources="in_line"``), the two Bootstrap
tags its template always loads from a CDN are removed (nothing uses them), and the write
fails if any remote reference is left. Legend, search box and type/province filters are
our own inline HTML and JavaScript (``resources/web/``): pyvis's select and filter menus
need Bootstrap and tom-select. After the first drawing the page writes the number of
drawn nodes into ``#rg-node-count``; JavaScript errors go to ``#rg-errors``.

Safety: all document text (labels, provinces, sectors, collaboration names, evidence,
document identifiers) that goes into HTML — panel, legend, tooltips — is escaped with
:func:`html.escape`. vis-network 9 shows a string ``title`` as plain text, so the page
renders the escaped ``title`` of a tooltip as HTML when it opens (all of them at load
would take 1.5 s at 5,000 nodes). Labels are drawn on the canvas, never parsed as HTML,
and node and edge data reach the page as JSON with ``<>&'`` escaped, so no text can close
the script that holds it.

Positions come from :func:`regiograph.layout.layout_positions` (seeded, pure Python);
above :data:`PHYSICS_LIMIT` nodes the page draws them with physics off: a 5,000-node
page is drawn about 1.5 s after it starts loading in headless Chromium.
"""

from __future__ import annotations

import difflib
import html
import math
import re
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from .errors import ReferenceDataError, UsageError
from .layout import layout_positions
from .resources import resource
from .store import write_atomic

TYPE_COLOURS = {  # Okabe–Ito palette: distinguishable with colour-vision deficiencies
    "government": "#0072B2",
    "education": "#E69F00",
    "research": "#CC79A7",
    "business": "#009E73",
    "healthcare": "#D55E00",
    "civil_society": "#56B4E9",
    "intermediary": "#F0E442",
}
TYPE_LABELS_NL = {
    "government": "overheid",
    "education": "onderwijs",
    "research": "onderzoek",
    "business": "bedrijfsleven",
    "healthcare": "zorg",
    "civil_society": "maatschappelijk middenveld",
    "intermediary": "intermediair",
}
OTHER_TYPE, OTHER_COLOUR = "other", "#9E9E9E"
PHYSICS_LIMIT = 300  # nodes; larger graphs are drawn at their precomputed positions
MIN_SIZE, MAX_SIZE = 8.0, 40.0  # node radius in pixels
EVIDENCE_CHARS = 300  # longer evidence sentences are shortened in tooltips
LIST_LIMIT = 8  # collaborations listed in a node tooltip
_REMOTE_TAG = re.compile(
    r'<link\b[^>]*\bhref="https?://[^"]*"[^>]*>|<script\b[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>'
)
_REMOTE_REF = re.compile(r"""(?:\b(?:src|href)\s*=\s*|url\()\s*["']?\s*(?:https?:)?//""", re.I)


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def is_number(value) -> bool:
    """An int or float, not a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def numeric_attributes(G: nx.Graph) -> list[str]:
    """Names of the node attributes that hold a number on some node, sorted."""
    return sorted({k for _, d in G.nodes(data=True) for k, v in d.items() if is_number(v)})


def _places(data: Mapping) -> set[str]:
    """Province labels and codes of a node, case-folded."""
    return {
        p.casefold() for p in [*(data.get("provinces") or ()), *(data.get("province_codes") or ())]
    }


def org_type(data: Mapping) -> str:
    """A node's organisation type, ``"other"`` when it has none of the seven."""
    kind = data.get("type")
    return kind if kind in TYPE_COLOURS else OTHER_TYPE


# --- filtering -------------------------------------------------------------------------


def filter_graph(
    G: nx.Graph,
    *,
    focus: str | None = None,
    depth: int = 1,
    types: Iterable[str] | None = None,
    provinces: Iterable[str] | None = None,
    since: int | None = None,
) -> nx.Graph:
    """A copy of the part of ``G`` an analyst asked for.

    ``types`` keeps organisations of those types; ``provinces`` those in any of the
    provinces (label or CBS code, any case); ``since`` keeps ties whose ``last_year`` is
    ``since`` or later (undated ties are dropped) and then drops organisations left without
    a tie. ``focus`` (a label, any case, or a node id) then keeps the organisations within
    ``depth`` ties of it in what is left; the focus itself always stays.
    """
    if depth < 0:
        raise UsageError(f"depth must be 0 or more, not {depth}", hint="depth 1 shows partners")
    centres = _find_focus(G, focus) if focus is not None else []
    keep = set(G)
    if types is not None:
        wanted = set(types)
        unknown = sorted(wanted - set(TYPE_COLOURS) - {OTHER_TYPE})
        if unknown:
            raise UsageError(
                f"unknown organisation type {', '.join(unknown)}",
                hint=f"choose from {', '.join(TYPE_COLOURS)}",
            )
        keep = {n for n in keep if org_type(G.nodes[n]) in wanted}
    if provinces is not None:
        wanted = {p.casefold() for p in provinces}
        missing = wanted - set().union(*(_places(d) for _, d in G.nodes(data=True)))
        if missing:
            labels = sorted({p for _, d in G.nodes(data=True) for p in d.get("provinces") or ()})
            raise UsageError(
                f"no organisation in province {', '.join(sorted(missing))}",
                hint=f"provinces in this network: {', '.join(labels) or 'none'}",
            )
        keep = {n for n in keep if wanted & _places(G.nodes[n])}
    H = _induced(G, keep | set(centres))
    if since is not None:
        if isinstance(since, bool) or not isinstance(since, int):
            raise UsageError(f"since must be a year, not {since!r}", hint="for example since=2020")
        tied = {n for n in H if H.degree(n)}
        H.remove_edges_from(
            [(u, v) for u, v, year in H.edges(data="last_year") if year is None or year < since]
        )
        H.remove_nodes_from([n for n in tied if not H.degree(n) and n not in centres])
    if centres:
        near: set = set()
        for centre in centres:
            near.update(nx.single_source_shortest_path_length(H, centre, cutoff=depth))
        H = _induced(H, near)
    return H


def _induced(G: nx.Graph, keep: set) -> nx.Graph:
    """A copy of the subgraph on ``keep`` in ``G``'s order (``G.subgraph`` follows the set's)."""
    H = G.__class__(**G.graph)
    H.add_nodes_from((n, dict(d)) for n, d in G.nodes(data=True) if n in keep)
    H.add_edges_from((u, v, dict(d)) for u, v, d in G.edges(data=True) if u in keep and v in keep)
    return H


def _find_focus(G: nx.Graph, focus: str) -> list[Hashable]:
    key = focus.strip().casefold()
    hits = [
        n
        for n, label in G.nodes(data="label")
        if str(label or "").strip().casefold() == key or n == focus
    ]
    if hits:
        return hits
    labels = {str(label).casefold(): str(label) for _, label in G.nodes(data="label") if label}
    close = difflib.get_close_matches(key, list(labels), n=5, cutoff=0.6)
    close += [k for k in sorted(labels) if key and key in k and k not in close][: 5 - len(close)]
    hint = (
        "did you mean " + ", ".join(repr(labels[k]) for k in close) + "?"
        if close
        else "labels must match in full (any case); see the labels in the network page"
    )
    raise UsageError(f"no organisation labelled {focus!r} in the network", hint=hint)


# --- the page --------------------------------------------------------------------------


def network_page(
    G: nx.Graph,
    path: str | Path,
    *,
    size_by: str | None = "degree",
    title: str = "regiograph: organisation network",
    layout: Mapping[Hashable, tuple[float, float]] | None = None,
    physics: bool | None = None,
    seed: int = 42,
) -> Path:
    """Write ``G`` as a self-contained, offline HTML page and return its path.

    Nodes are coloured by type (legend in the page), sized by the numeric node attribute
    ``size_by`` (``"degree"`` and ``"strength"`` are computed when absent; ``None``: all
    one size); edge width follows ``weight``. ``layout`` gives positions (any units, they
    are rescaled); by default they are computed with ``seed``. ``physics`` lets vis-network
    move nodes (default: only for graphs of up to :data:`PHYSICS_LIMIT` nodes).
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise UsageError(f"no folder {path.parent}", hint="create it first")
    page = _render(G, size_by=size_by, title=title, layout=layout, physics=physics, seed=seed)
    write_atomic(path, page.encode("utf-8"))
    return path


def measured_network(source, *, since: int | None = None) -> nx.Graph:
    """The organisation network of a build (``regiograph.open(DIR)``, a store or a build
    directory) with every measure of ``regiograph.analyse`` as node attributes."""
    from .analyse import analyse  # the analysis stage, only when given a build

    result = analyse(getattr(source, "store", source), since=since)
    G = result.graph
    for row in result.metrics:
        G.nodes[row["organisation"]].update({k: v for k, v in row.items() if is_number(v)})
    return G


def _named(source, name: str) -> str | None:
    """The IRI of the organisation a build knows by ``name`` (label or alternative label)."""
    import pyoxigraph as ox

    from .query import run
    from .store import open_store

    store = getattr(source, "store", source)
    if not isinstance(store, ox.Store):
        store = open_store(store)
    found = run(store, "SELECT ?name ?org WHERE { ?org rdfs:label|skos:prefLabel|skos:altLabel ?l ."
                       " ?org org:classification ?t . FILTER(LCASE(STR(?l)) = LCASE(?name)) }"
                       " ORDER BY ?org LIMIT 1", {ox.Variable("name"): ox.Literal(name)})
    return found.rows[0][1] if found.rows else None


def page_html(
    source,
    *,
    focus: str | None = None,
    depth: int = 1,
    types: Iterable[str] | None = None,
    provinces: Iterable[str] | None = None,
    since: int | None = None,
    size_by: str | None = "degree",
    title: str = "regiograph: organisation network",
) -> str:
    """The page of :func:`network_page` as a string (a notebook puts it in an iframe).

    ``source`` is an org network, or a build: ``regiograph.open(DIR)``, a store or a build
    directory, whose network comes with every measure of ``regiograph.analyse`` as node
    attributes (``since`` then selects collaborations as ``org_network`` does). The
    filters are those of :func:`filter_graph`.
    """
    if isinstance(source, nx.Graph):
        G, graph_since = source, since
    else:
        G, graph_since = measured_network(source, since=since), None
        if focus:  # any of the organisation's names, not just its label
            focus = _named(source, focus) or focus
    if any(x is not None for x in (focus, types, provinces, graph_since)):
        G = filter_graph(
            G, focus=focus, depth=depth, types=types, provinces=provinces, since=graph_since
        )
    return _render(G, size_by=size_by, title=title, layout=None, physics=None, seed=42)


def _render(G: nx.Graph, *, size_by, title, layout, physics, seed) -> str:
    if layout is None:
        positions = layout_positions(G, seed=seed)
    else:
        missing = [n for n in G if n not in layout]
        if missing:
            raise UsageError(
                f"the layout has no position for {len(missing)} node(s), e.g. {missing[0]!r}",
                hint="use layout_positions(G)",
            )
        positions = _rescale({n: layout[n] for n in G})
    sizes = _sizes(G, size_by)
    physics = len(G) <= PHYSICS_LIMIT if physics is None else physics
    ids = {node: str(node) for node in G}
    net = Network(height="100%", width="100%", heading="", cdn_resources="in_line")
    for node, data in G.nodes(data=True):
        x, y = positions[node]
        shape = "diamond" if data.get("collaboration") else "dot"
        net.nodes.append(
            {"id": ids[node], "label": _short(str(data.get("label") or node), 60), "shape": shape,
             "size": sizes[node], "x": x, "y": y, "color": _node_colour(org_type(data)),
             "title": _node_tip(G, node, data, size_by), "rgType": org_type(data),
             "rgProvinces": list(data.get("provinces") or ())}
        )  # fmt: skip
        net.node_ids.append(ids[node])
        net.node_map[ids[node]] = net.nodes[-1]
    for u, v, data in G.edges(data=True):
        width = round(min(1 + 1.5 * math.log2(max(float(data.get("weight") or 1), 1.0)), 8), 2)
        net.edges.append({"from": ids[u], "to": ids[v], "width": width,
                          "title": _edge_tip(G, u, v, data)})  # fmt: skip
    net.options = _options(len(G), physics, seed)
    return _offline(net.generate_html(), _panel(G, title, size_by), title)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _node_colour(kind: str) -> dict:
    colour = TYPE_COLOURS.get(kind, OTHER_COLOUR)
    darker = "#" + "".join(f"{int(int(colour[i : i + 2], 16) * 0.7):02X}" for i in (1, 3, 5))
    selected = {"background": colour, "border": "#000000"}
    return {"background": colour, "border": darker, "highlight": selected, "hover": selected}


def _number(value) -> str:
    return str(value) if isinstance(value, int) else f"{value:.4g}"


def _rescale(positions: Mapping) -> dict:
    """Positions in any units, scaled to about 60 pixels per node of width."""
    xs = [float(x) for x, _ in positions.values()]
    ys = [float(y) for _, y in positions.values()]
    span = max(max(xs, default=0) - min(xs, default=0), max(ys, default=0) - min(ys, default=0))
    factor = math.sqrt(len(positions)) * 60 * 1.4 / span if span else 1.0
    return {
        n: (round(float(x) * factor, 1), round(float(y) * factor, 1))
        for n, (x, y) in positions.items()
    }


def _sizes(G: nx.Graph, size_by: str | None) -> dict:
    if size_by is None or not len(G):
        return {n: 12.0 for n in G}
    values = dict(G.nodes(data=size_by))
    if all(v is None for v in values.values()):
        if size_by == "degree":
            values = dict(G.degree())
        elif size_by == "strength":
            values = dict(G.degree(weight="weight"))
        else:
            numeric = ["degree", "strength", *numeric_attributes(G)]
            raise UsageError(
                f"no node has the attribute {size_by!r}", hint=f"size by {', '.join(numeric)}"
            )
    if any(v is not None and not is_number(v) for v in values.values()):
        raise UsageError(f"node attribute {size_by!r} is not a number", hint="size by a metric")
    numbers = {n: float(v or 0) for n, v in values.items()}
    lo, hi = min(numbers.values()), max(numbers.values())
    if hi <= lo:
        return {n: 14.0 for n in G}
    return {
        n: round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt((v - lo) / (hi - lo)), 2)
        for n, v in numbers.items()
    }


def _node_tip(G: nx.Graph, node, data: Mapping, size_by: str | None) -> str:
    kind = org_type(data)
    lines = [
        f"<b>{_esc(data.get('label') or node)}</b>",
        _esc(
            f"{kind} ({TYPE_LABELS_NL.get(kind, 'onbekend')})"
            + (" · collaboration" if data.get("collaboration") else "")
        ),
    ]
    for key, name in (("provinces", "provinces"), ("sectors", "sectors")):
        if data.get(key):
            lines.append(f"{name}: {_esc(', '.join(map(str, data[key])))}")
    lines.append(f"partners: {G.degree(node)}")
    metrics = [k for k, v in data.items() if is_number(v)]
    for key in sorted(metrics, key=lambda k: (k != size_by, k)):
        lines.append(f"{_esc(key)}: {_esc(_number(data[key]))}")
    names = sorted({c for *_, cs in G.edges(node, data="collaborations") for c in cs or ()})
    if names:
        more = f" (+{len(names) - LIST_LIMIT} more)" if len(names) > LIST_LIMIT else ""
        lines.append(f"collaborations: {_esc(', '.join(names[:LIST_LIMIT]))}{more}")
    # pyvis switches to a template that breaks element tooltips when a title says "href"
    return "<br>".join(lines).replace("href", "hr&#101;f")


def _edge_tip(G: nx.Graph, u, v, data: Mapping) -> str:
    label = f"{G.nodes[u].get('label') or u} — {G.nodes[v].get('label') or v}"
    weight, documents = data.get("weight") or 0, data.get("documents") or 0
    facts = [
        f"{weight} shared collaboration{'s' * (weight != 1)}",
        f"{documents} document{'s' * (documents != 1)}",
    ]
    first, last = data.get("first_year"), data.get("last_year")
    if first or last:
        facts.append(str(first) if first == last or not last else f"{first or '?'}–{last}")
    lines = [f"<b>{_esc(label)}</b>", _esc(" · ".join(facts))]
    if data.get("collaborations"):
        lines.append(f"collaborations: {_esc(', '.join(map(str, data['collaborations'])))}")
    items = "".join(
        f"<li>“{_esc(_short(str(e.get('text', '')), EVIDENCE_CHARS))}” "
        f"<i>{_esc(e.get('document', ''))}</i></li>"
        for e in (data.get("evidence") or [])[:3]
    )
    return "<br>".join(lines) + (f'<ul class="rg-evidence">{items}</ul>' if items else "")


def _options(n: int, physics: bool, seed: int) -> dict:
    large = n > PHYSICS_LIMIT
    font = {"size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"}
    grey = {"color": "#9AA0A6", "highlight": "#333333", "hover": "#333333", "opacity": 0.7}
    return {
        "nodes": {"borderWidth": 1, "font": font},
        "edges": {"color": grey, "smooth": False if large else {"type": "continuous"}},
        "physics": {"enabled": physics, "stabilization": {"iterations": 150, "fit": True}},
        "interaction": {"hover": not large, "tooltipDelay": 200, "multiselect": True,
                        "hideEdgesOnDrag": large, "hideEdgesOnZoom": large},
        "layout": {"improvedLayout": False, "randomSeed": seed},
    }  # fmt: skip


def _panel(G: nx.Graph, title: str, size_by: str | None) -> str:
    types: dict[str, int] = {}
    provinces: dict[str, int] = {}
    for _, data in G.nodes(data=True):
        types[org_type(data)] = types.get(org_type(data), 0) + 1
        for p in data.get("provinces") or [""]:
            provinces[p] = provinces.get(p, 0) + 1
    legend = "".join(
        f'<label><input type="checkbox" class="rg-type" value="{kind}" checked>'
        f'<span class="rg-swatch" style="background:{colour}"></span>'
        f"{kind.replace('_', ' ')} <small>{TYPE_LABELS_NL.get(kind, '')}</small> "
        f"({types.get(kind, 0)})</label>"
        for kind, colour in [*TYPE_COLOURS.items(), (OTHER_TYPE, OTHER_COLOUR)]
        if kind != OTHER_TYPE or OTHER_TYPE in types
    )
    boxes = "".join(
        f'<label><input type="checkbox" class="rg-province" value="{_esc(p)}" checked>'
        f"{_esc(p) if p else '<i>no province</i>'} ({count})</label>"
        for p, count in sorted(provinces.items(), key=lambda item: (item[0] == "", item[0]))
    )
    return f"""<div id="rg-panel">
<h1>{_esc(title)}</h1>
<p>{len(G)} organisations, {G.number_of_edges()} ties; <span id="rg-visible-count">{len(G)}</span>
shown, <span id="rg-node-count"></span> drawn.</p>
<p><input id="rg-search" type="search" placeholder="Search an organisation" autocomplete="off">
<span id="rg-search-result"></span></p>
<fieldset id="rg-legend"><legend>Organisation type</legend>{legend}</fieldset>
<fieldset id="rg-provinces"><legend>Province</legend>{boxes}</fieldset>
<p class="rg-note">Size: {_esc(size_by or "uniform")}. Width: shared collaborations.
● organisation, ◆ collaboration. Hover a node or tie for details and evidence.</p>
<pre id="rg-errors"></pre>
</div>
"""


def _asset(name: str) -> str:
    """The page's own CSS or JavaScript (``resources/web``)."""
    text = resource("web", name).read_text(encoding="utf-8")
    if re.search(r"</(?:script|style)", text, re.I):
        raise ReferenceDataError(f"resources/web/{name} would close its element", hint="fix it")
    return text


def _offline(page: str, panel: str, title: str) -> str:
    """pyvis's page made offline, with our head, style, panel and script."""
    page = _REMOTE_TAG.sub("", page)  # Bootstrap from a CDN, always in pyvis's template
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    page = re.sub(r"<!-- <link[^>]*node_modules.*?-->", "", page, count=1, flags=re.S)
    meta = '<meta charset="utf-8">'
    at = page.index(meta) + len(meta)
    head = (
        '\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(title)}</title>\n<script>\n{_asset('head.js')}</script>\n"
    )
    page = "<!DOCTYPE html>\n" + page[:at] + head + page[at:]
    at = page.index("</head>")
    page = page[:at] + f"<style>\n{_asset('network.css')}</style>\n" + page[at:]
    at = page.index("<body>", at) + len("<body>")
    page = page[:at] + panel + page[at:]
    at = page.rindex("</body>")
    page = page[:at] + f"<script>\n{_asset('network.js')}</script>\n" + page[at:]
    remote = _REMOTE_REF.search(page)
    if remote:  # a newer pyvis template: fail rather than write a page that needs the network
        raise RuntimeError(f"the page would load a remote resource: {page[remote.start() :][:80]}")
    return page
