"""Tests of the query stage: saved queries against a hand-written fixture graph.

Every saved query runs with its defaults on ``fixtures/mini.trig`` (with the derived graph a
build would add, computed by :func:`regiograph.derive.derive_store`) and its CSV output is
compared with ``golden/queries/<name>.csv``. After checking a changed result by hand,
rewrite the golden files with ``REGIOGRAPH_UPDATE_GOLDEN=1 pytest tests/test_queries.py``.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from regiograph import namespaces as ns
from regiograph import query as q
from regiograph.derive import derive_store
from regiograph.errors import QueryError, UsageError

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "mini.trig"
GOLDEN = HERE / "golden" / "queries"
UPDATE_GOLDEN = os.environ.get("REGIOGRAPH_UPDATE_GOLDEN") == "1"

SAVED = q.load_saved_queries()
REQUIRED = [
    "01_most_connected_organisations",
    "02_triple_helix_collaborations",
    "03_partners_of",
    "04_partners_of_partners",
    "05_collaborations_per_province",
    "06_multi_province_organisations",
    "07_people_and_roles",
    "08_people_in_several_organisations",
    "09_collaborations_per_sector",
    "10_evidence_for_tie",
    "11_collaborations_per_year",
    "12_organisations_without_government_partner",
]
XSD_STRING = ox.NamedNode(str(ns.XSD.string))
XSD_INTEGER = ox.NamedNode(str(ns.XSD.integer))
XSD_DATE = ox.NamedNode(str(ns.XSD.date))


def load_fixture() -> ox.Store:
    """The fixture with its derived graph, as a build would write it."""
    store = ox.Store()
    store.bulk_load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    derive_store(store)
    return store


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return load_fixture()


def run_saved(store: ox.Store, query_name: str, /, **values: str) -> q.QueryResult:
    saved = SAVED[query_name]
    return q.run(store, saved.text, q.bind(values, saved.params, strict=True))


def column(result: q.QueryResult, name: str) -> list:
    i = result.columns.index(name)
    return [row[i] for row in result.rows]


ORG = ns.PREFIXES["rgo"]


# ------------------------------------------------------------------ the saved queries


def test_the_required_saved_queries_exist() -> None:
    assert set(REQUIRED) <= set(SAVED)
    assert list(SAVED) == sorted(SAVED)
    for name in SAVED:
        assert re.fullmatch(r"\d{2}_[a-z0-9_]+", name), name


def test_queries_dir_is_the_shipped_folder() -> None:
    assert q.queries_dir().is_dir()
    assert (q.queries_dir() / "03_partners_of.rq").is_file()


@pytest.mark.parametrize("name", sorted(SAVED))
def test_saved_query_is_documented_and_answers(store: ox.Store, name: str) -> None:
    saved = SAVED[name]
    assert saved.title_en and saved.title_nl and saved.question, name
    assert saved.title_en != saved.title_nl
    result = run_saved(store, name)
    assert result.kind == "select"
    assert len(result.rows) >= 1, f"{name} returns no row on the fixture"
    assert "ORDER BY" in saved.text


@pytest.mark.parametrize("name", sorted(SAVED))
def test_saved_query_matches_golden(store: ox.Store, name: str) -> None:
    actual = q.format_result(run_saved(store, name), "csv") + "\n"
    golden = GOLDEN / f"{name}.csv"
    if UPDATE_GOLDEN:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8", newline="")
    assert golden.is_file(), f"no golden file {golden}; run with REGIOGRAPH_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SAVED))
def test_saved_query_is_deterministic(name: str) -> None:
    first = run_saved(load_fixture(), name)
    second = run_saved(load_fixture(), name)
    assert first.rows == second.rows


def test_partners_of_matches_any_label_case_insensitively(store: ox.Store) -> None:
    by_alt = run_saved(store, "03_partners_of", name="rug")
    assert column(by_alt, "organisation") == [ORG + "rijksuniversiteit-groningen"] * 3
    assert column(by_alt, "partner_label") == [
        "Drenthe College", "gemeente Emmen", "Treant Zorggroep",
    ]  # fmt: skip
    assert run_saved(store, "03_partners_of", name="Onbekende Club").rows == []


#: partners whose labels and types are not one each, collaborations with two labels or
#: none, two collaborations with one label: query 03 reads rg:displayLabel and
#: rg:typeNotations (derive.py) and must still answer as its naive form
ODD_LABELS = """
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix orgtype: <https://w3id.org/regiograph/concept/orgtype/> .
@prefix rgo: <https://w3id.org/regiograph/id/org/> .
@prefix ex: <https://example.org/> .
ex:ontology {
    orgtype:education skos:notation "education" .
    orgtype:research skos:notation "research" .
    orgtype:business skos:notation "business" .
}
ex:doc {
    rgo:hub a org:FormalOrganization ; skos:prefLabel "Hub" ; rdfs:label "Hub" ;
        org:classification orgtype:education .
    rgo:two-names a org:FormalOrganization ; skos:prefLabel "Zeta Groep" , "alpha groep" ;
        rdfs:label "Aaa" ; org:classification orgtype:research , orgtype:education .
    rgo:label-only a org:FormalOrganization ; rdfs:label "beta" , "Beta" ;
        org:classification orgtype:business .
    rgo:no-label a org:FormalOrganization .
    rgo:pact-1 a org:OrganizationalCollaboration ; skos:prefLabel "Pact Een" , "pact twee" .
    rgo:pact-2 a org:OrganizationalCollaboration ; rdfs:label "Pact Een" .
    rgo:pact-3 a org:OrganizationalCollaboration .
    rgo:pact-1 org:hasMember rgo:hub , rgo:two-names .
    rgo:pact-2 org:hasMember rgo:hub , rgo:two-names , rgo:label-only .
    rgo:pact-3 org:hasMember rgo:hub , rgo:label-only , rgo:no-label .
    ex:m1 org:member rgo:hub ; org:organization rgo:pact-1 .
    ex:m2 org:member rgo:two-names ; org:organization rgo:pact-1 .
    ex:m3 org:member rgo:hub ; org:organization rgo:pact-2 .
    ex:m4 org:member rgo:two-names ; org:organization rgo:pact-2 .
    ex:m5 org:member rgo:label-only ; org:organization rgo:pact-2 .
    ex:m6 org:member rgo:hub ; org:organization rgo:pact-3 .
    ex:m7 org:member rgo:label-only ; org:organization rgo:pact-3 .
    ex:m8 org:member rgo:no-label ; org:organization rgo:pact-3 .
}
"""


def test_partners_of_answers_as_its_naive_form_with_odd_labels() -> None:
    store = ox.Store()
    store.load(ODD_LABELS.encode(), format=ox.RdfFormat.TRIG)
    derive_store(store)
    naive = q.load_saved_queries(HERE / "fixtures" / "naive_queries")["03_partners_of"]
    params = q.bind({"name": "hub"}, naive.params, strict=True)
    expected = q.run(store, naive.text, params)
    actual = q.run(store, SAVED["03_partners_of"].text, params)
    assert actual.rows == expected.rows
    pact_3 = "https://w3id.org/regiograph/id/org/pact-3"
    assert [row[3:] for row in actual.rows] == [
        ("Beta", "business", 2, f"{pact_3} | Pact Een"),
        ("Zeta Groep", "education research", 2, "Pact Een | pact twee"),
        (ORG + "no-label", None, 1, pact_3),
    ]


def test_partners_of_partners_excludes_direct_partners(store: ox.Store) -> None:
    result = run_saved(store, "04_partners_of_partners", name='Stichting "Samen}Sterk"')
    assert set(column(result, "partner_label")) == {
        "Drenthe College", "gemeente Emmen", "Rijksuniversiteit Groningen",
    }  # fmt: skip
    assert column(result, "collaborations") == [1, 1, 1]


def test_people_and_roles_filters_by_organisation_or_person(store: ox.Store) -> None:
    by_org = run_saved(store, "07_people_and_roles", name="nhl stenden")
    assert column(by_org, "person_name") == ["Anna Bakker"]
    assert column(by_org, "role") == ["voorzitter college van bestuur"]
    by_person = run_saved(store, "07_people_and_roles", name="Anna Bakker")
    assert column(by_person, "organisation_label") == ["Drenthe College", "NHL Stenden"]


def test_evidence_for_tie_with_other_names(store: ox.Store) -> None:
    result = run_saved(store, "10_evidence_for_tie", a="Treant", b="samen}sterk")
    assert column(result, "document") == ["doc-b.txt"]
    assert column(result, "start") == [316]
    assert column(result, "supports") == ['Stichting "Samen}Sterk" | Treant Zorggroep']
    assert run_saved(store, "10_evidence_for_tie", a="NHL Stenden", b="NHL Stenden").rows == []


# ------------------------------------------------------------------ binding is not pasting


def test_a_name_with_quotes_and_brace_is_bound_as_a_literal(store: ox.Store) -> None:
    name = 'Stichting "Samen}Sterk"'
    params = q.bind({"name": name}, SAVED["03_partners_of"].params)
    assert params[ox.Variable("name")] == ox.Literal(name)
    result = q.run(store, SAVED["03_partners_of"].text, params)
    assert column(result, "organisation") == [ORG + "stichting-samen-sterk"]
    assert column(result, "partner") == [ORG + "treant-zorggroep"]
    assert column(result, "name") == [name]


@pytest.mark.parametrize(
    "value",
    ['x" } ; DROP ALL ; #', "x' } ; DROP ALL ; #", 'NHL Stenden") } UNION { ?a ?b ?c } #'],
)
def test_an_injection_attempt_finds_nothing_and_changes_nothing(value: str) -> None:
    store = load_fixture()
    before = set(store)
    result = run_saved(store, "03_partners_of", name=value)
    assert result.rows == []
    assert set(store) == before


def test_updates_are_refused() -> None:
    store = load_fixture()
    before = len(store)
    with pytest.raises(QueryError, match="updates are not allowed"):
        q.run(store, "DROP ALL")
    with pytest.raises(QueryError, match="updates are not allowed"):
        q.run(store, 'INSERT DATA { rgo:x rdfs:label "x" }')
    assert len(store) == before


# ------------------------------------------------------------------ bind


def test_bind_declared_kinds() -> None:
    declared = [
        q.Param("name", "literal", "a name"),
        q.Param("org", "iri", "an organisation"),
        q.Param("n", "integer", "a number"),
        q.Param("day", "date", "a day"),
        q.Param("year", "year", "a year"),
    ]
    bound = q.bind(
        {"name": "42", "org": "rgo:nhl-stenden", "n": "-3", "day": "2022-09-30", "year": "2016"},
        declared,
    )
    assert bound[ox.Variable("name")] == ox.Literal("42")
    assert bound[ox.Variable("name")].datatype == XSD_STRING
    assert bound[ox.Variable("org")] == ox.NamedNode(ORG + "nhl-stenden")
    assert bound[ox.Variable("n")] == ox.Literal("-3", datatype=XSD_INTEGER)
    assert bound[ox.Variable("day")] == ox.Literal("2022-09-30", datatype=XSD_DATE)
    assert bound[ox.Variable("year")] == ox.Literal("2016", datatype=XSD_INTEGER)
    full = q.bind({"org": f"<{ORG}nhl-stenden>"}, declared[1:2])
    assert full[ox.Variable("org")] == ox.NamedNode(ORG + "nhl-stenden")


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("iri", "https://example.org/a b", "not an IRI"),
        ("iri", "https://example.org/a{b}", "not an IRI"),
        ("iri", 'https://example.org/"x"', "not an IRI"),
        ("iri", "nhl-stenden", "not an IRI"),
        ("integer", "4.2", "not an integer"),
        ("integer", "twelve", "not an integer"),
        ("date", "2022-13-01", "not a date"),
        ("date", "30-09-2022", "not a date"),
        ("year", "16", "not a year"),
    ],
)
def test_bind_rejects_bad_values(kind: str, value: str, message: str) -> None:
    with pytest.raises(QueryError, match=message) as info:
        q.bind({"p": value}, [q.Param("p", kind, "x")])
    assert info.value.hint


def test_bind_guesses_undeclared_params() -> None:
    bound = q.bind({"a": "<https://example.org/x>", "b": "-7", "c": "2022-09-30", "d": "hi"})
    assert bound[ox.Variable("a")] == ox.NamedNode("https://example.org/x")
    assert bound[ox.Variable("b")] == ox.Literal("-7", datatype=XSD_INTEGER)
    assert bound[ox.Variable("c")] == ox.Literal("2022-09-30", datatype=XSD_DATE)
    assert bound[ox.Variable("d")] == ox.Literal("hi")
    assert q.bind({"?e": "2022-02-30"})[ox.Variable("e")] == ox.Literal("2022-02-30")


def test_bind_defaults_missing_and_unknown() -> None:
    declared = [q.Param("name", "literal", "who", "NHL Stenden"), q.Param("b", "literal", "b")]
    with pytest.raises(QueryError, match="missing parameter 'b'"):
        q.bind({}, declared)
    bound = q.bind({"b": "x"}, declared)
    assert bound[ox.Variable("name")] == ox.Literal("NHL Stenden")
    with pytest.raises(QueryError, match="unknown parameter 'c'") as info:
        q.bind({"b": "x", "c": "y"}, declared)
    assert "name, b" in str(info.value.hint)
    with pytest.raises(QueryError, match="unknown parameter"):
        q.bind({"x": "1"}, (), strict=True)
    with pytest.raises(QueryError, match="invalid parameter name"):
        q.bind({"a b": "1"})


# ------------------------------------------------------------------ headers and resolve


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_header_parsing(tmp_path: Path) -> None:
    write(
        tmp_path,
        "01_demo.rq",
        "# title: Demo\n# titel: Voorbeeld\n# question: What?\n"
        '# param: name literal "Stichting \\"Samen}Sterk\\"" -- a name -- with dashes\n'
        "# param: n integer 3 -- a number\n"
        "# param: org iri -- an organisation\n"
        "# a free comment line\n\nSELECT ?name ?n ?org WHERE {}\n",
    )
    saved = q.load_saved_queries(tmp_path)["01_demo"]
    assert (saved.title_en, saved.title_nl, saved.question) == ("Demo", "Voorbeeld", "What?")
    assert saved.params == (
        q.Param("name", "literal", "a name -- with dashes", 'Stichting "Samen}Sterk"'),
        q.Param("n", "integer", "a number", "3"),
        q.Param("org", "iri", "an organisation", None),
    )
    assert saved.text.endswith("SELECT ?name ?n ?org WHERE {}\n")
    assert SAVED["03_partners_of"].params == (
        q.Param(
            "name", "literal",
            "the organisation's name or any of its alternative labels (case does not matter)",
            "NHL Stenden",
        ),
    )  # fmt: skip
    assert SAVED["07_people_and_roles"].params[0].default == ""


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("# title: T\n# titel: T\n", "lacks question"),
        ("# title: T\n# titel: T\n# question: Q\n# param: x -- no kind\n", "malformed param"),
        (
            "# title: T\n# titel: T\n# question: Q\n# param: x float -- f\n",
            "unknown parameter kind",
        ),
        ("# title: T\n# title: U\n# titel: T\n# question: Q\n", "given twice"),
        ("# title: T\n# titel: T\n# question: Q\n# param: x literal\n", "malformed param"),
    ],
)
def test_malformed_headers_name_the_file(tmp_path: Path, header: str, message: str) -> None:
    write(tmp_path, "07_broken.rq", header + "SELECT * WHERE {}\n")
    with pytest.raises(QueryError, match=message) as info:
        q.load_saved_queries(tmp_path)
    assert "07_broken.rq" in str(info.value)


def test_resolve_names_numbers_and_paths(tmp_path: Path) -> None:
    text, saved = q.resolve("03_partners_of")
    assert saved is SAVED["03_partners_of"] or saved == SAVED["03_partners_of"]
    assert text == saved.text
    assert q.resolve("partners_of")[1].name == "03_partners_of"
    assert q.resolve("3")[1].name == "03_partners_of"
    adhoc = write(tmp_path, "mine.rq", "SELECT ?s WHERE { ?s a rg:Province }\n")
    assert q.resolve(str(adhoc)) == (adhoc.read_text(), None)
    with_header = write(tmp_path, "h.rq", "# param: x integer 2 -- x\nSELECT ?x WHERE {}\n")
    assert q.resolve(str(with_header))[1].params == (q.Param("x", "integer", "x", "2"),)
    with pytest.raises(QueryError, match="no query file"):
        q.resolve(str(tmp_path / "missing.rq"))


def test_unknown_query_name_suggests_close_names() -> None:
    with pytest.raises(QueryError, match="unknown query 'partner_of'") as info:
        q.resolve("partner_of")
    assert "03_partners_of" in info.value.hint
    assert "regiograph queries" in info.value.hint
    with pytest.raises(QueryError) as info:
        q.resolve("zzzz")
    assert "regiograph queries" in info.value.hint


def test_prepare_and_execute(store: ox.Store) -> None:
    result = q.execute(store, "partners_of", {"name": "Treant"})
    assert column(result, "partner_label") == [
        "Drenthe College", "gemeente Emmen", "Rijksuniversiteit Groningen",
        'Stichting "Samen}Sterk"',
    ]  # fmt: skip
    with pytest.raises(QueryError, match="unknown parameter 'nmae'"):
        q.prepare("03_partners_of", {"nmae": "x"})
    with pytest.raises(QueryError, match="unknown parameter"):
        q.prepare("01_most_connected_organisations", {"name": "x"})


# ------------------------------------------------------------------ run


def test_run_syntax_error(store: ox.Store) -> None:
    with pytest.raises(QueryError, match="SPARQL syntax error: error at 1:22"):
        q.run(store, "SELECT ?x WHERE { ?x ")


def test_run_param_must_be_selected(store: ox.Store) -> None:
    text = "SELECT ?o WHERE { ?o rdfs:label ?l FILTER(?l = ?v) }"
    with pytest.raises(QueryError, match=r"\?v") as info:
        q.run(store, text, q.bind({"v": "NHL Stenden"}))
    assert "SELECT" in info.value.hint


def test_run_converts_values(store: ox.Store) -> None:
    text = """SELECT ?i ?d ?f ?b ?day ?nl ?iri ?none ?yr WHERE {
        VALUES (?i ?d ?f ?b ?day ?nl ?iri ?yr) {
          (42 1.5 2.5e0 true "2016-09-30"^^xsd:date "zorg"@nl rgo:x "2010"^^xsd:gYear) }
        OPTIONAL { ?iri rdfs:label ?none } }"""
    result = q.run(store, text)
    assert result.columns == ["i", "d", "f", "b", "day", "nl", "iri", "none", "yr"]
    assert result.rows == [(42, 1.5, 2.5, True, date(2016, 9, 30), "zorg", ORG + "x", None, "2010")]
    assert result.raw_rows[0][0] == ox.Literal("42", datatype=XSD_INTEGER)


def test_ask_and_construct(store: ox.Store) -> None:
    ask = q.run(store, "ASK { rgo:nhl-stenden org:classification orgtype:education }")
    assert (ask.kind, ask.boolean) == ("ask", True)
    for fmt in q.FORMATS:
        assert q.format_result(ask, fmt) == "true"
    graph = q.run(
        store,
        "CONSTRUCT { ?o rdfs:label ?l } WHERE { VALUES ?o { rgo:nhl-stenden } ?o rdfs:label ?l }",
    )
    assert graph.kind == "graph"
    expected = f'<{ORG}nhl-stenden> <{ns.PREFIXES["rdfs"]}label> "NHL Stenden" .'
    assert q.format_result(graph, "table") == expected


# ------------------------------------------------------------------ formats

SMALL = """
SELECT DISTINCT ?organisation ?label ?members ?since ?note WHERE {
  VALUES (?organisation ?members ?note) {
    (rgo:de-alliantie-van-drachten 5 "samenwerking | alliantie")
    (rgo:nhl-stenden 12 UNDEF)
    (rgo:stichting-samen-sterk 1
      "Een heel lange notitie die veel langer is dan zestig tekens, echt waar.")
  }
  ?organisation skos:prefLabel ?label .
  OPTIONAL { ?organisation schema:startDate ?since }
} ORDER BY ?label"""

LONG = "Een heel lange notitie die veel langer is dan zestig tekens, echt waar."

EXPECTED_TABLE = """\
organisation                   label                      members  since       note
-----------------------------  -------------------------  -------  ----------  ------------------------------------------------------------
rgo:de-alliantie-van-drachten  De Alliantie van Drachten        5  2016-09-30  samenwerking | alliantie
rgo:nhl-stenden                NHL Stenden                     12
rgo:stichting-samen-sterk      Stichting "Samen}Sterk"          1              Een heel lange notitie die veel langer is dan zestig tekens…
(3 rows)"""  # noqa: E501

EXPECTED_CSV = "\n".join(
    [
        "organisation,label,members,since,note",
        f"{ORG}de-alliantie-van-drachten,De Alliantie van Drachten,5,2016-09-30,"
        "samenwerking | alliantie",
        f"{ORG}nhl-stenden,NHL Stenden,12,,",
        f'{ORG}stichting-samen-sterk,"Stichting ""Samen}}Sterk""",1,,"{LONG}"',
    ]
)

EXPECTED_JSON = f"""\
[
  {{
    "organisation": "{ORG}de-alliantie-van-drachten",
    "label": "De Alliantie van Drachten",
    "members": 5,
    "since": "2016-09-30",
    "note": "samenwerking | alliantie"
  }},
  {{
    "organisation": "{ORG}nhl-stenden",
    "label": "NHL Stenden",
    "members": 12,
    "since": null,
    "note": null
  }},
  {{
    "organisation": "{ORG}stichting-samen-sterk",
    "label": "Stichting \\"Samen}}Sterk\\"",
    "members": 1,
    "since": null,
    "note": "{LONG}"
  }}
]"""

EXPECTED_MD = f"""\
| organisation | label | members | since | note |
| --- | --- | --- | --- | --- |
| rgo:de-alliantie-van-drachten | De Alliantie van Drachten | 5 | 2016-09-30 | samenwerking \\| alliantie |
| rgo:nhl-stenden | NHL Stenden | 12 |  |  |
| rgo:stichting-samen-sterk | Stichting "Samen}}Sterk" | 1 |  | {LONG} |"""  # noqa: E501


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("table", EXPECTED_TABLE),
        ("csv", EXPECTED_CSV),
        ("json", EXPECTED_JSON),
        ("md", EXPECTED_MD),
    ],
)
def test_output_formats_exactly(store: ox.Store, fmt: str, expected: str) -> None:
    assert q.format_result(q.run(store, SMALL), fmt) == expected


def test_table_of_one_and_of_no_row(store: ox.Store) -> None:
    one = q.run(store, "SELECT ?code WHERE { place:PV22 dcterms:identifier ?code }")
    assert q.format_result(one, "table") == "code\n----\nPV22\n(1 row)"
    none = q.run(store, "SELECT ?code WHERE { place:PV99 dcterms:identifier ?code }")
    assert q.format_result(none, "table") == "code\n----\n(0 rows)"
    assert q.format_result(none, "json") == "[]"
    assert q.format_result(none, "csv") == "code"


def test_unknown_format() -> None:
    with pytest.raises(UsageError, match="unknown output format 'xml'") as info:
        q.format_result(q.QueryResult(kind="select"), "xml")
    assert "table" in info.value.hint


def test_shorten_iri() -> None:
    assert q.shorten_iri(ORG + "nhl-stenden") == "rgo:nhl-stenden"
    assert q.shorten_iri(ns.PREFIXES["place"] + "GM0090") == "place:GM0090"
    assert q.shorten_iri(ns.PREFIXES["rg"] + "Partnership") == "rg:Partnership"
    doc_graph = ns.PREFIXES["rgg"] + "doc/doc-a-txt"
    assert q.shorten_iri(doc_graph) == doc_graph
    assert q.shorten_iri("https://example.org/x") == "https://example.org/x"
