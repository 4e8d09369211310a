"""Hand-built organisation networks in the shape of ``analyse.projections.org_network``.

Shared by the visualise, export and browser tests (until the projection exists they stand
in for its output; they follow its contract attribute for attribute).
"""

from __future__ import annotations

import networkx as nx

ORG = "https://w3id.org/regiograph/id/org/"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def org(G: nx.Graph, slug: str, label: str, kind: str, provinces, codes, sectors, **extra):
    G.add_node(
        ORG + slug,
        label=label,
        type=kind,
        collaboration=extra.pop("collaboration", False),
        provinces=provinces,
        province_codes=codes,
        sectors=sectors,
        **extra,
    )


def tie(G: nx.Graph, a: str, b: str, weight, collaborations, first, last, evidence):
    G.add_edge(
        ORG + a,
        ORG + b,
        weight=weight,
        documents=len({e["document"] for e in evidence}),
        collaborations=collaborations,
        first_year=first,
        last_year=last,
        evidence=evidence,
    )


def org_graph() -> nx.Graph:
    """Five organisations in a chain emmen – nhl – acme – zorg, plus emmen – alliantie."""
    G = nx.Graph()
    org(G, "gemeente-emmen", "gemeente Emmen", "government", ["Drenthe"], ["PV22"], ["wonen"])
    org(
        G,
        "nhl-stenden",
        "NHL Stenden",
        "education",
        ["Fryslân", "Groningen"],
        ["PV21", "PV20"],
        ["onderwijs"],
    )
    org(G, "acme-bv", "Acme BV", "business", ["Groningen"], ["PV20"], ["energie", "techniek"])
    org(G, "zorggroep-noord", "Zorggroep Noord", "healthcare", [], [], [])
    org(
        G,
        "de-alliantie",
        "De Alliantie",
        "intermediary",
        ["Fryslân"],
        ["PV21"],
        ["onderwijs"],
        collaboration=True,
    )
    tie(
        G,
        "gemeente-emmen",
        "nhl-stenden",
        2,
        ["Pact Noord", "Regio Deal Zuidoost-Drenthe"],
        2020,
        2022,
        [
            {"text": "Emmen en NHL Stenden tekenen het Pact Noord.", "document": "a.txt"},
            {"text": "De Regio Deal verbindt Emmen en NHL Stenden.", "document": "b.txt"},
        ],
    )
    tie(
        G,
        "nhl-stenden",
        "acme-bv",
        1,
        ["Energietafel"],
        2018,
        2018,
        [{"text": "NHL Stenden en Acme BV werken samen.", "document": "c.txt"}],
    )
    tie(
        G,
        "acme-bv",
        "zorggroep-noord",
        1,
        ["Zorgtech"],
        None,
        None,
        [{"text": "Acme BV en Zorggroep Noord starten Zorgtech.", "document": "d.txt"}],
    )
    tie(
        G,
        "gemeente-emmen",
        "de-alliantie",
        1,
        ["De Alliantie"],
        2023,
        2023,
        [{"text": "Gemeente Emmen sluit zich aan bij De Alliantie.", "document": "e.txt"}],
    )
    return G


def hostile_graph() -> nx.Graph:
    """Two organisations whose every piece of document text tries to inject markup."""
    G = nx.Graph()
    org(G, "evil", f"Evil {SCRIPT} BV {IMG}", "business", [f"Drenthe{IMG}"], ["PV22"], [SCRIPT])
    org(G, "good", "Good & Co", "government", ["Drenthe"], ["PV22"], ["zorg"])
    tie(
        G,
        "evil",
        "good",
        2,
        [f"Pact {SCRIPT}"],
        2020,
        2021,
        [{"text": f"Zij werken samen {SCRIPT} {IMG}.", "document": f"doc{IMG}.txt"}],
    )
    return G
