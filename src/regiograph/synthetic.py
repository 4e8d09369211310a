"""Seeded synthetic organisation networks in the shape of ``analyse.projections.org_network``.

For benchmarks, browser tests and demos of the visualise stage: organisations of the seven
types spread over the twelve provinces, joined by collaborations of 2–12 members that mostly
stay inside one province and favour already well-connected organisations (hubs), so the
result has a giant component, satellites, brokers and realistic attribute values.
"""

from __future__ import annotations

import random

import networkx as nx

PROVINCES = {
    "PV20": "Groningen",
    "PV21": "Fryslân",
    "PV22": "Drenthe",
    "PV23": "Overijssel",
    "PV24": "Flevoland",
    "PV25": "Gelderland",
    "PV26": "Utrecht",
    "PV27": "Noord-Holland",
    "PV28": "Zuid-Holland",
    "PV29": "Zeeland",
    "PV30": "Noord-Brabant",
    "PV31": "Limburg",
}
TYPES = {  # type: (share, name pattern)
    "government": (0.28, "gemeente {}"),
    "business": (0.30, "{} BV"),
    "education": (0.12, "{} College"),
    "research": (0.05, "Kenniscentrum {}"),
    "healthcare": (0.08, "Zorggroep {}"),
    "civil_society": (0.10, "Stichting {}"),
    "intermediary": (0.07, "Ontwikkelingsmaatschappij {}"),
}
SECTORS = [
    "onderwijs",
    "zorg",
    "energie",
    "techniek en maakindustrie",
    "landbouw en voedsel",
    "sociaal domein",
    "mobiliteit",
    "wonen",
    "cultuur",
    "toerisme",
    "arbeidsmarkt",
    "water",
]
_SYLLABLES = [
    "ber",
    "dam",
    "veen",
    "lo",
    "wold",
    "kum",
    "ter",
    "aa",
    "hem",
    "sel",
    "mer",
    "dor",
    "burg",
    "stad",
    "hoven",
    "zijl",
    "rijp",
    "wijk",
    "horn",
    "ee",
]
_ORG = "https://w3id.org/regiograph/id/org/"


def _name(rng: random.Random, used: set[str]) -> str:
    """A new made-up name: two or three syllables, numbered once those run out."""
    for _ in range(30):
        name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        if name not in used:
            used.add(name)
            return name
    number = len(used)
    while f"{name} {number}" in used:
        number += 1
    used.add(f"{name} {number}")
    return f"{name} {number}"


def synthetic_org_network(n: int, *, seed: int = 7) -> nx.Graph:
    """An org network of ``n`` organisations with every attribute ``org_network`` sets."""
    rng = random.Random(seed)
    used: set[str] = set()
    codes = list(PROVINCES)
    types = list(TYPES)
    G = nx.Graph()
    by_province: dict[str, list[str]] = {code: [] for code in codes}
    for _ in range(n):
        kind = rng.choices(types, weights=[share for share, _ in TYPES.values()])[0]
        label = TYPES[kind][1].format(_name(rng, used))
        home = rng.choice(codes)
        places = sorted({home, rng.choice(codes)} if rng.random() < 0.12 else {home})
        node = _ORG + label.lower().replace(" ", "-")
        G.add_node(
            node,
            label=label,
            type=kind,
            collaboration=kind == "intermediary" and rng.random() < 0.3,
            provinces=sorted(PROVINCES[code] for code in places),
            province_codes=places,
            sectors=sorted(rng.sample(SECTORS, rng.randint(1, 3))),
        )
        for code in places:
            by_province[code].append(node)
    nodes = list(G)
    # preferential attachment: a node appears in these lists once plus once per
    # collaboration it joined, so a uniform pick from them is a pick by degree
    stubs = nodes[:]
    stubs_in = {code: members[:] for code, members in by_province.items()}
    ties: dict[tuple[str, str], dict] = {}
    unplaced = nodes[:]
    rng.shuffle(unplaced)
    for index in range(max(1, 2 * n // 5)):
        home = rng.choice(codes)
        size = min(len(nodes), rng.choice([2, 2, 2, 3, 3, 3, 4, 4, 5, 6, 8, 12]))
        members: set[str] = set()
        while unplaced and len(members) < (size + 1) // 2:  # most organisations take part
            members.add(unplaced.pop())
        while len(members) < size:
            local = by_province[home] and rng.random() < 0.92
            members.add(rng.choice(stubs_in[home] if local else stubs))
        name = f"{rng.choice(['Pact', 'Alliantie', 'Regio Deal', 'Netwerk'])} {_name(rng, used)}"
        year = rng.randint(2005, 2024)
        document = f"{index:05d}_{rng.getrandbits(32):08x}.txt"
        ordered = sorted(members)
        for i, u in enumerate(ordered):
            stubs.append(u)
            for code in G.nodes[u]["province_codes"]:
                stubs_in[code].append(u)
            for v in ordered[i + 1 :]:
                tie = ties.setdefault(
                    (u, v),
                    {"collaborations": set(), "years": [], "documents": set(), "evidence": []},
                )
                tie["collaborations"].add(name)
                tie["years"].append(year)
                tie["documents"].add(document)
                if len(tie["evidence"]) < 3:
                    text = (
                        f"{G.nodes[u]['label']} en {G.nodes[v]['label']} werken samen in "
                        f"{name} aan {rng.choice(SECTORS)} in {PROVINCES[home]}."
                    )
                    tie["evidence"].append({"text": text, "document": document})
    for (u, v), tie in ties.items():
        G.add_edge(
            u,
            v,
            weight=len(tie["collaborations"]),
            documents=len(tie["documents"]),
            collaborations=sorted(tie["collaborations"]),
            first_year=min(tie["years"]),
            last_year=max(tie["years"]),
            evidence=tie["evidence"],
        )
    return G
