"""Tests of the visualise stage (network pages, filtering, layout) and the exports.

The graphs come from ``orgnets.py`` and follow the contract of
``analyse.projections.org_network``. What a real browser makes of the pages is in
``test_browser.py``.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
import pyvis

from orgnets import IMG, ORG, SCRIPT, hostile_graph, org_graph
from regiograph import exports
from regiograph.errors import UsageError
from regiograph.layout import layout_positions
from regiograph.synthetic import synthetic_org_network
from regiograph.visualise import (
    PHYSICS_LIMIT,
    TYPE_COLOURS,
    filter_graph,
    network_page,
    page_html,
)

VIS_JS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
REMOTE = re.compile(r"""(?:\b(?:src|href)\s*=\s*|url\()\s*["']?\s*(?:https?:)?//""", re.I)


class Tags(HTMLParser):
    """The start tags of a page as a browser's parser sees them (script content is text)."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def names(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]


def page_data(page: str) -> tuple[list, list, dict]:
    """The nodes, edges and options the page hands to vis-network."""
    decoder = json.JSONDecoder()

    def after(marker: str):
        start = page.index("function drawGraph()")  # pyvis's script, after vis-network's
        return decoder.raw_decode(page, page.index(marker, start) + len(marker))[0]

    return after("nodes = new vis.DataSet("), after("edges = new vis.DataSet("), after("options = ")


def write(G, tmp_path: Path, **kwargs) -> tuple[str, list, list, dict]:
    page = network_page(G, tmp_path / "network.html", **kwargs).read_text(encoding="utf-8")
    return (page, *page_data(page))


# --- the page ------------------------------------------------------------------------------


def test_page_of_a_small_network(tmp_path):
    G = org_graph()
    page, nodes, edges, options = write(G, tmp_path)
    assert "5 organisations, 4 ties" in page
    assert '<fieldset id="rg-legend">' in page
    for kind in TYPE_COLOURS:
        assert f'class="rg-type" value="{kind}" checked>' in page
    assert 'value="Fryslân" checked>Fryslân (2)</label>' in page
    assert '<span id="rg-node-count"></span>' in page and '<pre id="rg-errors"></pre>' in page
    # offline: vis-network itself is inline and nothing is loaded from elsewhere
    assert VIS_JS.read_text(encoding="utf-8")[:2000] in page
    assert 'src="http' not in page and 'href="http' not in page
    assert not REMOTE.search(page)
    tags = Tags(page)
    scripts = tags.names("script")  # ours, pyvis's, vis-network, data, ours: all inline
    assert len(scripts) == 5 and all("src" not in attrs for attrs in scripts)
    assert tags.names("link") == [] and tags.names("img") == []
    # positions precomputed (seeded) and physics on for a small graph
    positions = layout_positions(G)
    assert [n["id"] for n in nodes] == list(G)
    assert {n["id"]: (n["x"], n["y"]) for n in nodes} == positions
    assert options["physics"]["enabled"] is True
    assert options["layout"]["improvedLayout"] is False
    # colour by type, shape by collaboration, size by degree (2 → 40 px, 1 → 8 px)
    by_id = {n["id"]: n for n in nodes}
    emmen, alliantie = by_id[ORG + "gemeente-emmen"], by_id[ORG + "de-alliantie"]
    assert emmen["color"]["background"] == TYPE_COLOURS["government"]
    assert (emmen["shape"], alliantie["shape"]) == ("dot", "diamond")
    assert [n["size"] for n in nodes] == [40.0, 40.0, 40.0, 8.0, 8.0]
    assert [(e["from"], e["to"], e["width"]) for e in edges] == [
        (ORG + "gemeente-emmen", ORG + "nhl-stenden", 2.5),
        (ORG + "gemeente-emmen", ORG + "de-alliantie", 1.0),
        (ORG + "nhl-stenden", ORG + "acme-bv", 1.0),
        (ORG + "acme-bv", ORG + "zorggroep-noord", 1.0),
    ]
    # tooltips: type, provinces, collaborations; evidence with document identifiers
    nhl = by_id[ORG + "nhl-stenden"]["title"]
    assert nhl.startswith("<b>NHL Stenden</b><br>education (onderwijs)<br>")
    assert "provinces: Fryslân, Groningen" in nhl
    assert "collaborations: Energietafel, Pact Noord, Regio Deal Zuidoost-Drenthe" in nhl
    assert edges[0]["title"] == (
        "<b>gemeente Emmen — NHL Stenden</b><br>2 shared collaborations · 2 documents · "
        "2020–2022<br>collaborations: Pact Noord, Regio Deal Zuidoost-Drenthe"
        '<ul class="rg-evidence"><li>“Emmen en NHL Stenden tekenen het Pact Noord.” '
        "<i>a.txt</i></li><li>“De Regio Deal verbindt Emmen en NHL Stenden.” "
        "<i>b.txt</i></li></ul>"
    )


def test_page_is_the_same_in_every_process(tmp_path):
    """Same graph, same page: no set or hash order leaks into layout, filters or HTML."""
    script = (
        "import sys; from pathlib import Path; "
        "from regiograph.synthetic import synthetic_org_network; "
        "from regiograph.visualise import filter_graph, network_page; "
        "G = synthetic_org_network(400); focus = G.nodes[list(G)[10]]['label']; "
        "network_page(G, Path(sys.argv[1], 'all.html')); "
        "H = filter_graph(G, focus=focus, depth=2, types=['government', 'business']); "
        "network_page(H, Path(sys.argv[1], 'ego.html'))"
    )
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        out.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(out)], env=env, check=True)
        pages.append([(out / name).read_bytes() for name in ("all.html", "ego.html")])
    assert pages[0] == pages[1]
    assert pages[0][1].count(b'"rgType"') > 5  # the focus has a neighbourhood


def test_large_network_is_drawn_at_precomputed_positions(tmp_path):
    G = synthetic_org_network(PHYSICS_LIMIT + 100)
    _, nodes, _, options = write(G, tmp_path)
    assert len(nodes) == len(G)
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in nodes)
    assert options["physics"]["enabled"] is False
    assert options["edges"]["smooth"] is False
    assert options["interaction"]["hideEdgesOnDrag"] is True


def test_size_by_a_metric_and_a_given_layout(tmp_path):
    G = org_graph()
    for value, node in enumerate(G):
        G.nodes[node]["pagerank"] = value / 10
    layout = {node: (i, -i) for i, node in enumerate(G)}
    _, nodes, _, _ = write(G, tmp_path, size_by="pagerank", layout=layout)
    assert [n["size"] for n in nodes] == [8.0, 24.0, 30.63, 35.71, 40.0]
    assert [n["x"] for n in nodes] == sorted(n["x"] for n in nodes)
    assert "pagerank: 0.4" in nodes[-1]["title"]


def test_page_usage_errors(tmp_path):
    G = org_graph()
    with pytest.raises(UsageError, match="no node has the attribute 'betweenness'") as info:
        network_page(G, tmp_path / "p.html", size_by="betweenness")
    assert "degree" in info.value.hint
    with pytest.raises(UsageError, match="not a number"):
        network_page(G, tmp_path / "p.html", size_by="label")
    with pytest.raises(UsageError, match="no position for 1 node"):
        network_page(G, tmp_path / "p.html", layout={n: (0, 0) for n in list(G)[1:]})
    with pytest.raises(UsageError, match="no folder"):
        network_page(G, tmp_path / "missing" / "p.html")
    assert list(tmp_path.iterdir()) == []


def test_document_text_cannot_inject_markup(tmp_path):
    innocent = hostile_graph()  # the same graph with harmless text: the same elements
    for _, data in innocent.nodes(data=True):
        data.update(label="x", provinces=[data["label"][:4]], sectors=["zorg"])
    innocent_page = network_page(innocent, tmp_path / "innocent.html").read_text(encoding="utf-8")
    page, nodes, edges, _ = write(hostile_graph(), tmp_path, title=f"Netwerk {SCRIPT}")
    for raw in (SCRIPT, IMG, "<img", "<script>alert"):
        assert raw not in page
    tags = Tags(page)  # no text made an element: still five inline scripts, no images
    assert [name for name, _ in tags.tags] == [name for name, _ in Tags(innocent_page).tags]
    assert len(tags.names("script")) == 5 and tags.names("img") == []
    # in HTML contexts (title, heading, province filter) only the escaped forms appear
    assert f"<title>Netwerk {html.escape(SCRIPT)}</title>" in page
    assert f"<h1>Netwerk {html.escape(SCRIPT)}</h1>" in page
    assert f"Drenthe{html.escape(IMG)} (1)</label>" in page
    # tooltips are HTML with all document text escaped
    evil = nodes[0]["title"]
    assert f"<b>Evil {html.escape(SCRIPT)} BV {html.escape(IMG)}</b>" in evil
    assert f"sectors: {html.escape(SCRIPT)}" in evil
    assert SCRIPT not in evil and IMG not in evil
    tip = edges[0]["title"]
    assert f"“Zij werken samen {html.escape(SCRIPT)} {html.escape(IMG)}.”" in tip
    assert f"<i>doc{html.escape(IMG)}.txt</i>" in tip
    assert f"collaborations: Pact {html.escape(SCRIPT)}" in tip
    assert not re.search(r"<(?!/?(?:b|br|i|ul|li)\b|ul class=\"rg-evidence\")", evil + tip)
    # labels are canvas text: plain, and JSON-escaped in the file
    assert nodes[0]["label"] == f"Evil {SCRIPT} BV {IMG}"[:59] + "…"  # shortened to 60
    assert "Evil \\u003cscript\\u003e" in page


def test_page_html_of_a_filtered_network():
    page = page_html(org_graph(), focus="nhl stenden", types=["government", "education"])
    nodes, edges, _ = page_data(page)
    assert [n["label"] for n in nodes] == ["gemeente Emmen", "NHL Stenden"] and len(edges) == 1
    assert page.startswith("<!DOCTYPE html>") and not REMOTE.search(page)


def test_page_html_of_a_build_has_the_measures(corpus_build):
    from regiograph.analyse import org_network
    from regiograph.store import open_store

    G = org_network(open_store(corpus_build))
    nodes, _, _ = page_data(page_html(corpus_build, size_by="betweenness"))
    assert sorted(n["id"] for n in nodes) == sorted(G)
    assert all("betweenness: " in n["title"] and "pagerank: " in n["title"] for n in nodes)
    assert len({n["size"] for n in nodes}) > 3  # sized by betweenness
    with pytest.raises(UsageError, match="no organisation labelled"):
        page_html(corpus_build, focus="Nergens BV")


# --- filtering -----------------------------------------------------------------------------


def names(H: nx.Graph) -> list[str]:
    return sorted(H.nodes[n]["label"] for n in H)


def test_filter_focus_and_depth():
    G = org_graph()
    assert names(filter_graph(G, focus="nhl stenden", depth=0)) == ["NHL Stenden"]
    assert names(filter_graph(G, focus="  NHL STENDEN ")) == [
        "Acme BV",
        "NHL Stenden",
        "gemeente Emmen",
    ]
    assert names(filter_graph(G, focus="NHL Stenden", depth=2)) == names(G)
    H = filter_graph(G, focus=ORG + "gemeente-emmen")
    assert names(H) == ["De Alliantie", "NHL Stenden", "gemeente Emmen"]
    assert (
        H.edges[ORG + "gemeente-emmen", ORG + "nhl-stenden"]
        == G.edges[ORG + "gemeente-emmen", ORG + "nhl-stenden"]
    )
    H.nodes[ORG + "gemeente-emmen"]["label"] = "changed"
    assert G.nodes[ORG + "gemeente-emmen"]["label"] == "gemeente Emmen"  # a copy


def test_filter_types_provinces_since():
    G = org_graph()
    H = filter_graph(G, types=["government", "education"])
    assert names(H) == ["NHL Stenden", "gemeente Emmen"] and H.number_of_edges() == 1
    assert names(filter_graph(G, provinces=["groningen"])) == ["Acme BV", "NHL Stenden"]
    H = filter_graph(G, provinces=["PV21"])
    assert names(H) == ["De Alliantie", "NHL Stenden"] and H.number_of_edges() == 0
    H = filter_graph(G, since=2020)  # 2018 and undated ties go, and Acme and Zorggroep with them
    assert names(H) == ["De Alliantie", "NHL Stenden", "gemeente Emmen"]
    assert sorted(d["last_year"] for *_, d in H.edges(data=True)) == [2022, 2023]
    # filters first, then the neighbourhood of the focus, which always stays
    H = filter_graph(G, focus="Acme BV", depth=2, types=["business", "healthcare"])
    assert names(H) == ["Acme BV", "Zorggroep Noord"]
    assert names(filter_graph(G, focus="NHL Stenden", types=["business"])) == [
        "Acme BV",
        "NHL Stenden",
    ]


def test_filter_usage_errors():
    G = org_graph()
    with pytest.raises(UsageError, match="no organisation labelled 'NHL Stendn'") as info:
        filter_graph(G, focus="NHL Stendn")
    assert info.value.hint == "did you mean 'NHL Stenden'?"
    with pytest.raises(UsageError) as info:
        filter_graph(G, focus="Stenden")
    assert info.value.hint == "did you mean 'NHL Stenden'?"
    with pytest.raises(UsageError) as info:
        filter_graph(G, focus="xyz")
    assert "labels must match in full" in info.value.hint
    with pytest.raises(UsageError, match="unknown organisation type university"):
        filter_graph(G, types=["university"])
    with pytest.raises(UsageError, match="no organisation in province zeeland") as info:
        filter_graph(G, provinces=["Zeeland"])
    assert info.value.hint == "provinces in this network: Drenthe, Fryslân, Groningen"
    with pytest.raises(UsageError, match="depth"):
        filter_graph(G, focus="Acme BV", depth=-1)
    with pytest.raises(UsageError, match="since must be a year"):
        filter_graph(G, since="2020")


# --- layout --------------------------------------------------------------------------------


def test_layout_is_seeded_and_keeps_components_apart():
    G = synthetic_org_network(120, seed=3)
    first = layout_positions(G, seed=1)
    assert layout_positions(G, seed=1) == first
    assert layout_positions(G, seed=2) != first
    assert set(first) == set(G)
    two = nx.Graph([(1, 2), (3, 4)])
    pos = layout_positions(two)
    gap = min(
        abs(pos[a][0] - pos[b][0]) + abs(pos[a][1] - pos[b][1]) for a in (1, 2) for b in (3, 4)
    )
    assert gap >= 60.0


# --- exports -------------------------------------------------------------------------------


def metrics_graph() -> nx.Graph:
    G = org_graph()
    for i, node in enumerate(G):
        G.nodes[node].update(
            degree=G.degree(node),
            pagerank=[0.3, 0.25, 0.2, 0.1, 0.15][i],
            community=[1, 1, 2, 2, 1][i],
        )
    return G


FLAT_NHL = {
    "label": "NHL Stenden",
    "type": "education",
    "collaboration": False,
    "provinces": "Fryslân; Groningen",
    "province_codes": "PV21; PV20",
    "sectors": "onderwijs",
    "degree": 2,
    "pagerank": 0.25,
    "community": 1,
}
FLAT_EMMEN_NHL = {
    "weight": 2,
    "documents": 2,
    "collaborations": "Pact Noord; Regio Deal Zuidoost-Drenthe",
    "first_year": 2020,
    "last_year": 2022,
    "evidence": '[{"document": "a.txt", "text": "Emmen en NHL Stenden tekenen het Pact Noord."}, '
    '{"document": "b.txt", "text": "De Regio Deal verbindt Emmen en NHL Stenden."}]',
}
ACME_ZORG = (ORG + "acme-bv", ORG + "zorggroep-noord")


def test_graphml_round_trip(tmp_path):
    G = metrics_graph()
    path = exports.write_graphml(G, tmp_path / "org.graphml")
    H = nx.read_graphml(path)
    assert list(H) == list(G) and sorted(H.edges) == sorted(G.edges)
    flat = exports.flatten(G)
    assert dict(H.nodes(data=True)) == dict(flat.nodes(data=True))
    assert H.nodes[ORG + "nhl-stenden"] == FLAT_NHL
    assert H.edges[ORG + "gemeente-emmen", ORG + "nhl-stenden"] == FLAT_EMMEN_NHL
    assert "first_year" not in H.edges[ACME_ZORG]  # None is left out
    for u, v, data in flat.edges(data=True):
        assert H.edges[u, v] == data
    assert type(H.nodes[ORG + "acme-bv"]["degree"]) is int
    assert sorted(p.name for p in tmp_path.iterdir()) == ["org.graphml"]  # no temporary files


def test_gexf_round_trip(tmp_path):
    G = metrics_graph()
    H = nx.read_gexf(exports.write_gexf(G, tmp_path / "org.gexf"))
    flat = exports.flatten(G)
    assert list(H) == list(G)
    assert dict(H.nodes(data=True)) == dict(flat.nodes(data=True))
    assert H.nodes[ORG + "nhl-stenden"] == FLAT_NHL
    for u, v, data in flat.edges(data=True):
        back = {k: v for k, v in H.edges[u, v].items() if k != "id"}  # GEXF edge ids
        assert back == data
        assert type(back["weight"]) is float  # GEXF weights are floats
    assert (
        H.edges[ORG + "gemeente-emmen", ORG + "nhl-stenden"]["evidence"]
        == (FLAT_EMMEN_NHL["evidence"])
    )


def test_flatten_mixed_numbers_and_xml_control_characters(tmp_path):
    G = org_graph()
    for i, node in enumerate(G):
        G.nodes[node]["score"] = 1 if i == 0 else 0.5
    G.nodes[ORG + "acme-bv"]["label"] = "Acme\x0bBV\x00"
    H = nx.read_graphml(exports.write_graphml(G, tmp_path / "org.graphml"))
    assert H.nodes[ORG + "acme-bv"]["label"] == "AcmeBV"
    assert [H.nodes[n]["score"] for n in H] == [1.0, 0.5, 0.5, 0.5, 0.5]
    assert type(H.nodes[ORG + "gemeente-emmen"]["score"]) is float
    assert G.nodes[ORG + "acme-bv"]["provinces"] == ["Groningen"]  # G is left alone


def test_csv_node_and_edge_lists(tmp_path):
    G = metrics_graph()
    G.nodes[ORG + "zorggroep-noord"]["label"] = '=HYPERLINK("x")'
    nodes, edges = exports.write_csv(G, tmp_path / "nodes.csv", tmp_path / "edges.csv")
    assert nodes.read_text(encoding="utf-8") == (
        "id,label,type,provinces,sectors,community,degree,pagerank\n"
        f"{ORG}gemeente-emmen,gemeente Emmen,government,Drenthe,wonen,1,2,0.3\n"
        f"{ORG}nhl-stenden,NHL Stenden,education,Fryslân; Groningen,onderwijs,1,2,0.25\n"
        f"{ORG}acme-bv,Acme BV,business,Groningen,energie; techniek,2,2,0.2\n"
        f'{ORG}zorggroep-noord,"\'=HYPERLINK(""x"")",healthcare,,,2,1,0.1\n'
        f"{ORG}de-alliantie,De Alliantie,intermediary,Fryslân,onderwijs,1,1,0.15\n"
    )
    assert edges.read_text(encoding="utf-8") == (
        "source,target,weight,documents,collaborations,first_year,last_year\n"
        f"{ORG}gemeente-emmen,{ORG}nhl-stenden,2,2,Pact Noord; Regio Deal Zuidoost-Drenthe,"
        "2020,2022\n"
        f"{ORG}gemeente-emmen,{ORG}de-alliantie,1,1,De Alliantie,2023,2023\n"
        f"{ORG}nhl-stenden,{ORG}acme-bv,1,1,Energietafel,2018,2018\n"
        f"{ORG}acme-bv,{ORG}zorggroep-noord,1,1,Zorgtech,,\n"
    )


def test_vosviewer_json_of_three_organisations(tmp_path):
    G = org_graph().subgraph([ORG + "gemeente-emmen", ORG + "nhl-stenden", ORG + "acme-bv"])
    G = G.copy()
    for node, value in zip(G, [0.0, 1.0, 0.0], strict=True):
        G.nodes[node]["betweenness"] = value
    path = exports.write_vosviewer(G, tmp_path / "org.json", title="Noord")
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "network": {
            "items": [
                {
                    "id": ORG + "gemeente-emmen",
                    "label": "gemeente Emmen",
                    "description": "<b>government</b> (overheid)<br>provinces: Drenthe<br>"
                    "sectors: wonen",
                    "cluster": 1,
                    "weights": {"Links": 1, "Total link strength": 2, "betweenness": 0.0},
                    "scores": {"betweenness": 0.0},
                },
                {
                    "id": ORG + "nhl-stenden",
                    "label": "NHL Stenden",
                    "description": "<b>education</b> (onderwijs)<br>provinces: Fryslân; "
                    "Groningen<br>sectors: onderwijs",
                    "cluster": 2,
                    "weights": {"Links": 2, "Total link strength": 3, "betweenness": 1.0},
                    "scores": {"betweenness": 1.0},
                },
                {
                    "id": ORG + "acme-bv",
                    "label": "Acme BV",
                    "description": "<b>business</b> (bedrijfsleven)<br>provinces: Groningen<br>"
                    "sectors: energie; techniek",
                    "cluster": 4,
                    "weights": {"Links": 1, "Total link strength": 1, "betweenness": 0.0},
                    "scores": {"betweenness": 0.0},
                },
            ],
            "links": [
                {
                    "source_id": ORG + "gemeente-emmen",
                    "target_id": ORG + "nhl-stenden",
                    "strength": 2,
                },
                {"source_id": ORG + "nhl-stenden", "target_id": ORG + "acme-bv", "strength": 1},
            ],
            "clusters": [
                {"cluster": 1, "label": "government"},
                {"cluster": 2, "label": "education"},
                {"cluster": 4, "label": "business"},
            ],
        },
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
            "title": "Noord",
            "description": "Clusters: type. Link strength: the number of collaborations two "
            "organisations share.",
        },
    }


def test_vosviewer_clusters_by_community_and_escapes_descriptions(tmp_path):
    G = metrics_graph()
    document = exports.vosviewer_map(G)
    assert [item["cluster"] for item in document["network"]["items"]] == [1, 1, 2, 2, 1]
    assert document["network"]["clusters"] == [
        {"cluster": 1, "label": "community 1"},
        {"cluster": 2, "label": "community 2"},
    ]
    assert "community" not in document["network"]["items"][0]["scores"]
    evil = exports.vosviewer_map(hostile_graph())["network"]["items"][0]["description"]
    assert SCRIPT not in evil and IMG not in evil and html.escape(SCRIPT) in evil


def test_exports_need_an_existing_folder(tmp_path):
    with pytest.raises(UsageError, match="no folder"):
        exports.write_graphml(org_graph(), tmp_path / "missing" / "org.graphml")
