"""Entity resolution across documents, curation, and the RDF of one document."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal

from regiograph.errors import CurationError
from regiograph.extract import extract
from regiograph.model import Document
from regiograph.namespaces import ORG, ORGTYPE, PROV, RDF, RG, SCHEMA, SKOS, org_iri
from regiograph.rdf import document_graph
from regiograph.resolve import Curation, resolve


def docs(*texts: str):
    return [extract(Document(f"d{i}.txt", t)) for i, t in enumerate(texts)]


def keys(resolved) -> list[dict[str, str]]:
    return [r.org_keys for r in resolved]


def test_one_key_per_organisation_across_documents():
    resolved = resolve(docs(
        "NHL Stenden en het Alfacollege werken samen met Noorderpoort.",
        "NHL Stenden Hogeschool, Alfa-college en Noorderpoortcollege tekenen het convenant.",
    ))
    first, second = keys(resolved)
    assert set(first.values()) == set(second.values()) == {
        "nhl-stenden-hogeschool", "alfa-college", "noorderpoort"}


def test_curation_merges_splits_rejects_and_retypes(tmp_path: Path):
    path = tmp_path / "curation.yaml"
    path.write_text(
        "merges:\n  Noordkaap College: [Noordkaap]\n"
        "rejected: [Wadwijs]\n"
        "types:\n  Noordkaap College: research\n"
        "collaborations:\n  Noordkaap College: true\n",
        encoding="utf-8",
    )
    cur = Curation.load(path)
    resolved = resolve(docs(
        "De onderwijsinstellingen NHL Stenden, Noordkaap en Wadwijs tekenen het convenant.",
        "Het Noordkaap College groeit.",
    ), curation=cur)
    assert resolved[0].org_keys["Noordkaap"] == resolved[1].org_keys["Noordkaap College"]
    entity = resolved[1].entities["noordkaap-college"]
    assert (entity.name, entity.org_type, entity.collaboration) == (
        "Noordkaap College", "research", True)
    assert "Wadwijs" not in resolved[0].org_keys


def test_curation_errors_name_the_fix(tmp_path: Path):
    bad = tmp_path / "c.yaml"
    bad.write_text("types:\n  X: company\n", encoding="utf-8")
    with pytest.raises(CurationError, match="unknown type") as info:
        Curation.load(bad)
    assert "government" in info.value.hint
    bad.write_text("colour: red\n", encoding="utf-8")
    with pytest.raises(CurationError, match="unknown section"):
        Curation.load(bad)
    bad.write_text("merges: [\n", encoding="utf-8")
    with pytest.raises(CurationError, match="cannot read"):
        Curation.load(bad)


def test_place_names_never_join_two_organisations():
    resolved = resolve(docs(
        "De gemeente Groningen en de provincie Groningen werken samen.",
    ))
    assert sorted(resolved[0].org_keys.values()) == ["gemeente-groningen", "provincie-groningen"]


def test_document_graph_follows_the_contract():
    resolved = resolve(docs(
        "Isabelle Diks, wethouder gemeente Leeuwarden, en NHL Stenden slaan de handen ineen in "
        "de Alliantie van Leeuwarden.",
    ))
    g = document_graph(resolved[0])
    alliance = org_iri("alliantie-van-leeuwarden")
    assert (alliance, RDF.type, ORG.OrganizationalCollaboration) in g
    assert (alliance, SKOS.prefLabel, Literal("Alliantie van Leeuwarden")) in g
    assert (alliance, ORG.hasMember, org_iri("nhl-stenden-hogeschool")) in g
    memberships = set(g.subjects(ORG.organization, alliance))
    assert len(memberships) == 2
    for m in memberships:
        evidence = g.value(m, PROV.wasDerivedFrom)
        assert g.value(evidence, SCHEMA.isPartOf) is not None
        assert (evidence, RDF.type, RG.Evidence) in g
        start, end = g.value(evidence, RG.charStart), g.value(evidence, RG.charEnd)
        text = resolved[0].extraction.document.text
        assert text[start.toPython():end.toPython()] == str(g.value(evidence, SCHEMA.text))
    gemeente = org_iri("gemeente-leeuwarden")
    assert (gemeente, ORG.classification, ORGTYPE.government) in g
    role = next(g.subjects(ORG.organization, gemeente))
    assert str(g.value(role, SCHEMA.roleName)) == "wethouder"
