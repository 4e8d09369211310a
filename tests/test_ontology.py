"""The ontology folder: OWL terms, SKOS concept schemes and SHACL shapes.

These tests read the Turtle files directly and do not import the regiograph package.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, OWL, RDF, RDFS, SH, SKOS

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"

BASE = "https://w3id.org/regiograph/"
RG = Namespace(BASE + "ontology#")
SCHEMA = Namespace("http://schema.org/")
ORGTYPE_SCHEME = URIRef(BASE + "concept/orgtype")
SECTOR_SCHEME = URIRef(BASE + "concept/sector")
ROLE_SCHEME = URIRef(BASE + "concept/role")
SCHEMES = {
    "orgtypes.ttl": ORGTYPE_SCHEME,
    "sectors.ttl": SECTOR_SCHEME,
    "roles.ttl": ROLE_SCHEME,
}
ORG_TYPES = {
    "government",
    "education",
    "research",
    "business",
    "healthcare",
    "civil_society",
    "intermediary",
}
VOCABULARY_FILES = ("regiograph.ttl", "orgtypes.ttl", "sectors.ttl", "roles.ttl")


def _parse(name: str) -> Graph:
    return Graph().parse(ONTOLOGY_DIR / name, format="turtle")


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    """The ontology and the three concept schemes, as the ontology named graph holds them."""
    graph = Graph()
    for name in VOCABULARY_FILES:
        graph += _parse(name)
    return graph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return _parse("shapes.ttl")


def _concepts(graph: Graph, scheme: URIRef) -> set[URIRef]:
    return set(graph.subjects(SKOS.inScheme, scheme))


# --- parsing and the ontology ------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(ONTOLOGY_DIR.glob("*.ttl")), ids=lambda p: p.name)
def test_every_turtle_file_parses(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    assert len(graph) > 0


def test_expected_files_exist() -> None:
    for name in (*VOCABULARY_FILES, "shapes.ttl"):
        assert (ONTOLOGY_DIR / name).is_file(), name


def test_ontology_declares_its_terms_with_alignments() -> None:
    graph = _parse("regiograph.ttl")
    ontology = URIRef(BASE + "ontology")
    assert (ontology, RDF.type, OWL.Ontology) in graph
    assert str(graph.value(ontology, OWL.versionInfo)) == "0.1.0"
    own = {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(str(RG))}
    assert own == {
        RG.Evidence,
        RG.charStart,
        RG.charEnd,
        RG.confidence,
        RG.Partnership,
        RG.Municipality,
        RG.Province,
        RG.Region,
        RG.Metric,
        # network measures of regiograph.analyse (metrics named graph)
        RG.degree,
        RG.weightedDegree,
        RG.betweenness,
        RG.eigenvector,
        RG.pagerank,
        RG.coreNumber,
        RG.constraint,
        RG.effectiveSize,
        RG.community,
        RG.brokerage,
        RG.brokerageRole,
        RG.helix,
        # aggregates of regiograph.derive (derived named graph)
        RG.collaborationCount,
        RG.documentCount,
        RG.partnerCount,
        RG.partnerType,
        RG.collaborationProvince,
        RG.province,
        RG.memberProvince,
        RG.memberCount,
        RG.memberType,
        RG.governmentMemberCount,
        RG.knowledgeMemberCount,
        RG.businessMemberCount,
        RG.firstYear,
        RG.reportedIn,
        RG.nameKey,
        RG.displayLabel,
        RG.typeNotations,
    }
    alignment = (RDFS.subClassOf, RDFS.subPropertyOf, SKOS.closeMatch, RDFS.seeAlso)
    for term in own:
        assert graph.value(term, RDFS.comment) is not None, term
        assert any(graph.value(term, p) is not None for p in alignment), term
    assert (RG.Partnership, RDFS.subClassOf, ORG.OrganizationalCollaboration) in graph


# --- concept schemes ----------------------------------------------------------------------


def test_orgtype_scheme_has_exactly_the_seven_notations(vocabulary: Graph) -> None:
    concepts = _concepts(vocabulary, ORGTYPE_SCHEME)
    notations = [vocabulary.value(c, SKOS.notation) for c in concepts]
    assert len(concepts) == 7
    assert {str(n) for n in notations} == ORG_TYPES
    for concept, notation in zip(concepts, notations, strict=True):
        # plain string literal: no datatype, no language tag
        assert isinstance(notation, Literal)
        assert notation.datatype is None and notation.language is None
        assert str(concept) == f"{BASE}concept/orgtype/{notation}"


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_every_concept_has_dutch_and_english_labels_and_its_scheme(name: str) -> None:
    graph = _parse(name)
    scheme = SCHEMES[name]
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert concepts, name
    for concept in concepts:
        assert (concept, SKOS.inScheme, scheme) in graph, concept
        assert str(concept).startswith(str(scheme) + "/"), concept
        languages = [lab.language for lab in graph.objects(concept, SKOS.prefLabel)]
        assert sorted(languages) == ["en", "nl"], (concept, languages)
        top = (concept, SKOS.topConceptOf, scheme) in graph
        assert top or graph.value(concept, SKOS.broader) is not None, concept
        assert top == ((scheme, SKOS.hasTopConcept, concept) in graph), concept


@pytest.mark.parametrize("name", ["sectors.ttl", "roles.ttl"])
def test_notation_equals_last_iri_segment(name: str) -> None:
    graph = _parse(name)
    for concept in _concepts(graph, SCHEMES[name]):
        notation = graph.value(concept, SKOS.notation)
        assert notation is not None, concept
        assert str(notation) == str(concept).rsplit("/", 1)[-1], concept


def test_role_concepts_are_org_roles_with_distinct_dutch_labels(vocabulary: Graph) -> None:
    owners: dict[str, set[URIRef]] = defaultdict(set)
    roles = _concepts(vocabulary, ROLE_SCHEME)
    for role in roles:
        assert (role, RDF.type, ORG.Role) in vocabulary, role
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in vocabulary.objects(role, prop):
                if label.language == "nl":
                    assert str(label) == str(label).lower(), label
                    owners[str(label)].add(role)
    shared = {label: sorted(owner) for label, owner in owners.items() if len(owner) > 1}
    assert not shared
    # the role words the graph contract and analysts rely on
    prefs = {str(lab) for r in roles for lab in vocabulary.objects(r, SKOS.prefLabel)}
    for word in (
        "wethouder",
        "gedeputeerde",
        "burgemeester",
        "directeur",
        "voorzitter",
        "lid",
        "bestuurder",
        "lector",
        "trekker",
        "lid college van bestuur",
    ):
        assert word in prefs, word
    for broader, narrower in (
        ("voorzitter", "voorzitter-college-van-bestuur"),
        ("bestuurder", "lid-college-van-bestuur"),
        ("bestuurder", "lid-dagelijks-bestuur"),
    ):
        assert (
            URIRef(f"{BASE}concept/role/{narrower}"),
            SKOS.broader,
            URIRef(f"{BASE}concept/role/{broader}"),
        ) in vocabulary


def test_sector_concepts_have_trigger_words(vocabulary: Graph) -> None:
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for sector in _concepts(vocabulary, SECTOR_SCHEME):
        hidden = list(vocabulary.objects(sector, SKOS.hiddenLabel))
        assert len(hidden) >= 8, sector
        for label in hidden:
            assert label.language == "nl" and str(label) == str(label).lower(), label
            owners[str(label)].add(sector)
    assert not {label for label, owner in owners.items() if len(owner) > 1}


# --- SHACL shapes ---------------------------------------------------------------------------

PREFIXES = """\
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix schema:  <http://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix rg:      <https://w3id.org/regiograph/ontology#> .
@prefix orgtype: <https://w3id.org/regiograph/concept/orgtype/> .
@prefix sector:  <https://w3id.org/regiograph/concept/sector/> .
@prefix role:    <https://w3id.org/regiograph/concept/role/> .
@prefix rgo:     <https://w3id.org/regiograph/id/org/> .
@prefix rgp:     <https://w3id.org/regiograph/id/person/> .
@prefix place:   <https://w3id.org/regiograph/id/place/> .
@prefix rgd:     <https://w3id.org/regiograph/id/doc/> .
@prefix rgm:     <https://w3id.org/regiograph/id/membership/> .
@prefix rge:     <https://w3id.org/regiograph/id/evidence/> .
"""

# A small graph written after docs/data-model.md.
CONFORMANT = """
rgd:000-fecb80c606021118-txt a schema:CreativeWork ;
    dcterms:identifier "000_fecb80c606021118.txt" ;
    dcterms:title "De Alliantie van Drachten" ;
    schema:url "https://example.org/alliantie"^^xsd:anyURI ;
    dcterms:date "2022-09-30"^^xsd:date ;
    schema:mentions rgo:nhl-stenden, rgo:de-alliantie-van-drachten, rgp:guido-rink,
        rgo:gemeente-emmen, place:GM0090 .

rgo:nhl-stenden a org:FormalOrganization ;
    rdfs:label "NHL Stenden" ; skos:prefLabel "NHL Stenden" ;
    skos:altLabel "NHL Stenden Hogeschool" ;
    org:classification orgtype:education ;
    org:purpose sector:onderwijs ;
    rg:confidence 0.9 .

rgo:gemeente-emmen a org:FormalOrganization ;
    rdfs:label "gemeente Emmen" ; skos:prefLabel "gemeente Emmen" ; skos:altLabel "Emmen" ;
    org:classification orgtype:government ;
    rg:confidence 0.95 .

rgo:de-alliantie-van-drachten a org:OrganizationalCollaboration ;
    rdfs:label "De Alliantie van Drachten" ; skos:prefLabel "De Alliantie van Drachten" ;
    skos:altLabel "De Alliantie" ;
    org:classification orgtype:intermediary ;
    org:purpose sector:onderwijs, sector:zorg, sector:techniek-en-maakindustrie ;
    schema:startDate "2016-09-30"^^xsd:date ;
    schema:location place:GM0090 ;
    org:hasMember rgo:nhl-stenden .

rgo:nhl-stenden-en-gemeente-emmen a rg:Partnership ;
    rdfs:label "NHL Stenden en gemeente Emmen" ;
    skos:prefLabel "NHL Stenden en gemeente Emmen" ;
    org:classification orgtype:intermediary ;
    org:hasMember rgo:nhl-stenden, rgo:gemeente-emmen .

rgm:m1 a org:Membership ;
    org:member rgo:nhl-stenden ;
    org:organization rgo:de-alliantie-van-drachten ;
    prov:wasDerivedFrom rge:000-fecb80c606021118-txt-812-1090 ;
    rg:confidence 0.85 .

rge:000-fecb80c606021118-txt-812-1090 a rg:Evidence ;
    schema:text "De zeven deelnemers aan De Alliantie, NHL Stenden en de gemeente Smallingerland." ;
    rg:charStart 812 ; rg:charEnd 1090 ;
    schema:isPartOf rgd:000-fecb80c606021118-txt .

rgp:guido-rink a foaf:Person ; foaf:name "Guido Rink" ; rdfs:label "Guido Rink" ;
    org:memberOf rgo:gemeente-emmen .

rgm:m2 a org:Membership ;
    org:member rgp:guido-rink ;
    org:organization rgo:gemeente-emmen ;
    org:role role:wethouder ;
    schema:roleName "wethouder Economische Zaken" ;
    prov:wasDerivedFrom rge:000-fecb80c606021118-txt-812-1090 ;
    rg:confidence 0.8 .

place:GM0090 a rg:Municipality ;
    dcterms:identifier "GM0090" ; rdfs:label "Smallingerland" ;
    schema:containedInPlace place:PV21, place:CR06 .
place:PV21 a rg:Province ; dcterms:identifier "PV21" ;
    rdfs:label "Fryslân" ; skos:altLabel "Friesland" ; schema:containedInPlace place:LD01 .
place:CR06 a rg:Region ; dcterms:identifier "CR06" ; rdfs:label "Zuidoost-Friesland" .
place:LD01 a rg:Region ; dcterms:identifier "LD01" ; rdfs:label "Noord-Nederland" .
place:GM0039 a rg:Municipality ; dcterms:identifier "GM0039" ; rdfs:label "Scheemda" ;
    dcterms:isReplacedBy place:GM1895 ; schema:endDate "2010"^^xsd:gYear .
"""

RGO = Namespace("https://w3id.org/regiograph/id/org/")
MEMBERSHIP = Namespace("https://w3id.org/regiograph/id/membership/")
EVIDENCE = URIRef("https://w3id.org/regiograph/id/evidence/000-fecb80c606021118-txt-812-1090")


def _validate(data_turtle: str, vocabulary: Graph, shapes: Graph) -> tuple[bool, Graph]:
    data = Graph().parse(data=PREFIXES + data_turtle, format="turtle")
    data += vocabulary  # the data graph holds the ontology and the schemes too
    conforms, report, _ = validate(data, shacl_graph=shapes, inference="none")
    return bool(conforms), report


def _results(report: Graph) -> set[tuple[URIRef, URIRef | None]]:
    return {
        (report.value(r, SH.focusNode), report.value(r, SH.resultPath))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


def test_shapes_do_not_fire_on_the_ontology_and_schemes(vocabulary: Graph, shapes: Graph) -> None:
    conforms, _, text = validate(vocabulary + shapes, shacl_graph=shapes)
    assert conforms, text


def test_conformant_graph_conforms(vocabulary: Graph, shapes: Graph) -> None:
    conforms, report = _validate(CONFORMANT, vocabulary, shapes)
    assert conforms, sorted(_results(report))


def test_conformant_graph_conforms_with_rdfs_inference(vocabulary: Graph, shapes: Graph) -> None:
    data = Graph().parse(data=PREFIXES + CONFORMANT, format="turtle") + vocabulary
    conforms, _, text = validate(data, shacl_graph=shapes, inference="rdfs")
    assert conforms, text


def _without(turtle: str, line: str) -> str:
    assert line in turtle
    return turtle.replace(line, "", 1)


def test_organisation_without_classification_fails(vocabulary: Graph, shapes: Graph) -> None:
    broken = _without(CONFORMANT, "    org:classification orgtype:education ;\n")
    conforms, report = _validate(broken, vocabulary, shapes)
    assert not conforms
    assert _results(report) == {(RGO["nhl-stenden"], ORG.classification)}


def test_organisation_with_unknown_type_fails(vocabulary: Graph, shapes: Graph) -> None:
    broken = CONFORMANT.replace("orgtype:education", "sector:onderwijs", 1)
    conforms, report = _validate(broken, vocabulary, shapes)
    assert not conforms
    assert (RGO["nhl-stenden"], ORG.classification) in _results(report)


def test_membership_without_organization_fails(vocabulary: Graph, shapes: Graph) -> None:
    broken = _without(CONFORMANT, "    org:organization rgo:de-alliantie-van-drachten ;\n")
    conforms, report = _validate(broken, vocabulary, shapes)
    assert not conforms
    assert _results(report) == {(MEMBERSHIP["m1"], ORG.organization)}


def test_evidence_with_negative_start_fails(vocabulary: Graph, shapes: Graph) -> None:
    broken = CONFORMANT.replace("rg:charStart 812 ;", "rg:charStart -1 ;", 1)
    conforms, report = _validate(broken, vocabulary, shapes)
    assert not conforms
    assert _results(report) == {(EVIDENCE, RG.charStart)}


def test_evidence_with_end_before_start_fails(vocabulary: Graph, shapes: Graph) -> None:
    broken = CONFORMANT.replace(
        "rg:charStart 812 ; rg:charEnd 1090 ;", "rg:charStart 812 ; rg:charEnd 800 ;", 1
    )
    conforms, report = _validate(broken, vocabulary, shapes)
    assert not conforms
    assert _results(report) == {(EVIDENCE, RG.charStart)}


def test_confidence_out_of_range_and_bad_codes_fail(vocabulary: Graph, shapes: Graph) -> None:
    broken = (
        CONFORMANT.replace("rg:confidence 0.85 .", "rg:confidence 1.5 .", 1)
        .replace('dcterms:identifier "GM0090"', 'dcterms:identifier "GM90"', 1)
        .replace('dcterms:identifier "PV21"', 'dcterms:identifier "PV210"', 1)
        .replace('dcterms:identifier "CR06"', 'dcterms:identifier "XX06"', 1)
    )
    conforms, report = _validate(broken, vocabulary, shapes)
    assert not conforms
    place = Namespace("https://w3id.org/regiograph/id/place/")
    identifier = URIRef("http://purl.org/dc/terms/identifier")
    assert _results(report) == {
        (MEMBERSHIP["m1"], RG.confidence),
        (place.GM0090, identifier),
        (place.PV21, identifier),
        (place.CR06, identifier),
    }


def test_role_must_be_a_role_concept(vocabulary: Graph, shapes: Graph) -> None:
    broken = CONFORMANT.replace("org:role role:wethouder ;", "org:role sector:zorg ;", 1)
    conforms, report = _validate(broken, vocabulary, shapes)
    assert not conforms
    assert _results(report) == {(MEMBERSHIP["m2"], ORG.role)}


def test_every_shape_has_a_message(shapes: Graph) -> None:
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    property_shapes = set(shapes.objects(None, SH.property))
    assert node_shapes and property_shapes
    for shape in node_shapes | property_shapes:
        message = shapes.value(shape, SH.message)
        assert message is not None and message.language == "en", shape
