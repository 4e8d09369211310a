"""Seeded synthetic graphs on the graph contract (docs/data-model.md), of a given size.

Rather than write triples by hand, it makes synthetic *extractions* (what the extractor
would have read from a document: organisations with types, places and sectors, people
with roles, memberships of a collaboration with their evidence sentences, dates, places)
from the world of :mod:`synth_docs` and sends them through regiograph's own resolution and
RDF stages, so every triple has the shape a real build gives it. One named graph per
synthetic document plus the ontology and reference graphs, written as N-Quads:

    python bench/synth_graph.py OUT.nq --triples 1000000 [--seed 1] [--store DIR]

``--triples`` counts the quads of the named graphs (the N-Quads lines); a store loaded
with :func:`regiograph.store.load_nquads` also holds their union in its default graph.
``--orgs`` fixes the number of organisations in the world instead (for the analysis
benchmark); the same arguments always give the same file.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from regiograph.model import (  # noqa: E402
    DateFact,
    Document,
    Evidence,
    Extraction,
    MembershipFact,
    OrgMention,
    PersonMention,
    PlaceMention,
    RoleFact,
)
from regiograph.rdf import document_terms  # noqa: E402
from regiograph.reference import load_places  # noqa: E402
from regiograph.render import static_graphs  # noqa: E402
from regiograph.resolve import resolve  # noqa: E402
from synth_docs import MONTHS, ROLES, SECTORS, World, make_world  # noqa: E402

#: synth_docs sector words -> sector concept keys of ontology/sectors.ttl
SECTOR_KEYS = {
    "onderwijs": "onderwijs", "zorg": "zorg", "energie": "energie",
    "maakindustrie": "techniek-en-maakindustrie", "agrifood": "agrifood", "water": "water",
    "logistiek": "logistiek", "bouw": "bouw", "toerisme": "toerisme-en-horeca",
    "arbeidsmarkt": "arbeidsmarkt", "innovatie": "innovatie", "cultuur": "cultuur",
    "mobiliteit": "mobiliteit", "wonen": "wonen", "circulaire economie": "circulaire-economie",
    "natuur": "natuur-en-landschap", "sociaal domein": "sociaal-domein", "ict": "ict",
    "chemie": "chemie",
}  # fmt: skip
ROLE_KEYS = {
    "voorzitter van het college van bestuur": "voorzitter-college-van-bestuur",
    "voorzitter van de raad van bestuur": "voorzitter",
}  # other roles of synth_docs.ROLES are their own concept keys


def _codes() -> dict[str, str]:
    """Municipality name -> CBS code (current municipalities)."""
    gaz = load_places()
    return {
        p.name: p.code
        for p in gaz.places.values()
        if p.kind == "municipality" and p.successor is None
    }


def extractions(n_docs: int, *, seed: int = 1, world: World | None = None) -> Iterator[Extraction]:
    """``n_docs`` synthetic extractions of documents about collaborations in ``world``."""
    world = world or make_world(n_docs, seed)
    codes = _codes()
    sector_keys = [SECTOR_KEYS[s] for s in SECTORS]
    n = len(world.orgs)
    for index in range(n_docs):
        rng = random.Random(f"graph-{seed}-{index}")
        doc_id = f"{index:07d}_{rng.getrandbits(40):010x}.txt"
        collab, _ = rng.choice(world.collaborations)
        chosen = {}
        while len(chosen) < rng.randint(3, 8):
            org = world.orgs[min(n - 1, int(n * rng.random() ** 2.2))]
            chosen.setdefault(org.name, org)
        members = list(chosen.values())
        sectors = tuple(sorted(rng.sample(sector_keys, 2)))
        offset = [0]

        def evidence(text: str, doc_id: str = doc_id, offset: list = offset) -> Evidence:
            ev = Evidence(doc_id, offset[0], offset[0] + len(text), text)
            offset[0] += len(text) + 1
            return ev

        orgs = [OrgMention(collab, "intermediary", 0, len(collab), collab, True,
                           sectors=sectors, confidence=0.9)]  # fmt: skip
        for org in members:
            code = codes.get(org.municipality)
            gov = org.kind == "government"
            orgs.append(
                OrgMention(
                    org.name, org.kind, 0, len(org.name), org.name,
                    place_code=code if gov else None,
                    location=None if gov else code,
                    sectors=(rng.choice(sector_keys),),
                    confidence=rng.choice((0.7, 0.8, 0.9, 0.95)),
                )
            )  # fmt: skip
        listing = ", ".join(o.name for o in members[:-1]) + " en " + members[-1].name
        sentence = evidence(f"{listing} slaan de handen ineen in {collab}.")
        memberships = [
            MembershipFact(o.name, collab, sentence, confidence=rng.choice((0.7, 0.85, 0.9)))
            for o in members
        ]
        persons, roles = [], []
        for org in rng.sample(members, min(len(members), rng.randint(1, 3))):
            name = rng.choice(world.people[org.name])
            role = rng.choice(ROLES[org.kind])
            if org.kind == "government":
                role = rng.choice(("wethouder", "burgemeester"))
            text = f"{name}, {role} van {org.name}, is blij met de samenwerking."
            persons.append(PersonMention(name, 0, len(name)))
            roles.append(
                RoleFact(name, org.name, ROLE_KEYS.get(role, role), role, evidence(text), 0.8)
            )
        year = rng.randint(2008, 2024)
        start = date(year, rng.randint(1, 12), rng.randint(1, 28))
        dates = (
            DateFact(collab, start, None, evidence(f"Op {start.day} {MONTHS[start.month - 1]}"
                     f" {year} ging {collab} van start.")),
        )  # fmt: skip
        places = {codes[o.municipality] for o in members if o.municipality in codes}
        document = Document(
            doc_id, "", title=f"{collab} van start", date=date(year, 12, 31) if
            rng.random() < 0.5 else start, media_type="text/plain",
        )  # fmt: skip
        yield Extraction(
            document,
            organisations=tuple(orgs),
            persons=tuple(persons),
            roles=tuple(roles),
            memberships=tuple(memberships),
            places=tuple(PlaceMention(c, c, 0, 1) for c in sorted(places)),
            dates=dates,
            sectors={collab: sectors},
        )


def write_nquads(
    path: Path,
    *,
    triples: int | None = None,
    orgs: int | None = None,
    seed: int = 1,
    derived: bool = False,
    metrics: bool = False,
) -> dict[str, int]:
    """Write a synthetic dataset of about ``triples`` named-graph quads (or a world of
    ``orgs`` organisations) as N-Quads; return its counts.

    ``derived`` adds the derived graph a build writes (:func:`regiograph.derive.derive`),
    ``metrics`` a metrics graph of seeded random network measures (the shape
    ``regiograph analyse`` writes), so that queries of both have data to read; their quads
    come on top of ``triples``."""
    from regiograph.namespaces import doc_graph

    if orgs is not None:  # about one document per organisation of the world
        n_docs = max(10, orgs)
        world = make_world(int(orgs / 0.6), seed)
        world.orgs = world.orgs[:orgs]
    else:
        n_docs = max(10, int((triples or 100_000) / 150))
        world = make_world(n_docs, seed)
    statics = static_graphs()
    written = 0
    docs = 0
    with path.open("wb") as out:
        for static in statics:
            g = ox.NamedNode(static.graph)
            qs = [ox.Quad(q.subject, q.predicate, q.object, g)
                  for q in ox.parse(static.nt, format=ox.RdfFormat.N_TRIPLES)]  # fmt: skip
            out.write(ox.serialize(qs, format=ox.RdfFormat.N_QUADS))
            written += len(qs)
        resolved = resolve(list(extractions(n_docs, seed=seed, world=world)))
        for res in resolved:
            if triples is not None and written >= triples:
                break
            g = ox.NamedNode(str(doc_graph(res.extraction.document.doc_id)))
            qs = [ox.Quad(s, p, o, g) for s, p, o in document_terms(res)]
            out.write(ox.serialize(qs, format=ox.RdfFormat.N_QUADS))
            written += len(qs)
            docs += 1
        extra = 0
        if derived:
            extra += _write_derived(out, resolved[:docs])
        if metrics:
            extra += _write_metrics(out, resolved[:docs], seed)
    organisations = len({k for r in resolved[:docs] for k in r.org_keys.values()})
    return {"quads": written + extra, "documents": docs, "organisations": organisations}


def _write_derived(out, resolved) -> int:
    from regiograph.derive import derive
    from regiograph.namespaces import DERIVED_GRAPH

    g = ox.NamedNode(str(DERIVED_GRAPH))
    qs = [ox.Quad(s, p, o, g) for s, p, o in derive(resolved)]
    out.write(ox.serialize(qs, format=ox.RdfFormat.N_QUADS))
    return len(qs)


ROLES_GF = ("coordinator", "gatekeeper", "itinerant", "liaison", "representative")


def _write_metrics(out, resolved, seed: int) -> int:
    from regiograph.namespaces import METRICS_GRAPH, RG, XSD, org_iri

    rng = random.Random(f"metrics-{seed}")
    g = ox.NamedNode(str(METRICS_GRAPH))
    dec, integer = ox.NamedNode(str(XSD.decimal)), ox.NamedNode(str(XSD.integer))
    keys = sorted({k for r in resolved for k in r.org_keys.values()})
    qs = []
    for key in keys:
        node = ox.NamedNode(str(org_iri(key)))
        qs.append(
            ox.Quad(
                node,
                ox.NamedNode(str(RG.betweenness)),
                ox.Literal(f"{rng.random() ** 4:.6f}", datatype=dec),
                g,
            )
        )
        qs.append(
            ox.Quad(
                node,
                ox.NamedNode(str(RG.degree)),
                ox.Literal(str(rng.randint(1, 300)), datatype=integer),
                g,
            )
        )
        qs.append(
            ox.Quad(
                node,
                ox.NamedNode(str(RG.brokerage)),
                ox.Literal(str(rng.randint(0, 5000)), datatype=integer),
                g,
            )
        )
        for role in rng.sample(ROLES_GF, rng.randint(0, 3)):
            qs.append(ox.Quad(node, ox.NamedNode(str(RG.brokerageRole)), ox.Literal(role), g))
    out.write(ox.serialize(qs, format=ox.RdfFormat.N_QUADS))
    return len(qs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--triples", type=int, default=None)
    parser.add_argument("--orgs", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--store", type=Path, default=None, help="also load it into this store")
    parser.add_argument("--derived", action="store_true", help="add the derived graph")
    parser.add_argument("--metrics", action="store_true", help="add a synthetic metrics graph")
    args = parser.parse_args()
    counts = write_nquads(
        args.out, triples=args.triples, orgs=args.orgs, seed=args.seed,
        derived=args.derived, metrics=args.metrics,
    )  # fmt: skip
    print(counts)
    if args.store:
        from regiograph.store import load_nquads

        load_nquads(args.store, args.out)


if __name__ == "__main__":
    main()
