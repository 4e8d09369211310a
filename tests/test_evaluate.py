"""Tests of the evaluator: a hand-written graph with known scores, and (with ../shared)
parity with the reference scorer ``shared/eval/score.py``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

import regiograph
from regiograph.errors import UsageError
from regiograph.evaluate import (
    EvaluationResult,
    Metric,
    evaluate,
    load_gold,
    norm,
    score_files,
    score_store,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
LEXICONS = Path(regiograph.__file__).resolve().parent / "extract" / "lexicons"
MISSING_LEXICONS = [
    n for n in ("organisations.yaml", "first_names.txt") if not (LEXICONS / n).exists()
]
needs_lexicons = pytest.mark.skipif(
    bool(MISSING_LEXICONS),
    reason=f"extractor lexicons not written yet: {', '.join(MISSING_LEXICONS)}",
)

TINY_TTL = """\
@prefix ex: <http://example.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix schema: <http://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .

ex:Gemeente rdfs:subClassOf org:FormalOrganization .
ex:t-edu skos:notation "education" .
ex:t-bus skos:notation " Business" .

ex:docA dcterms:identifier "corpus/doc-a.txt" ;
    schema:mentions ex:alliance, ex:rug, ex:rug2, ex:gemx, ex:hanze, ex:onbekend,
        ex:opendrachten, ex:jan, ex:klaas, ex:gm1900, ex:pv21, ex:gm0014 .
ex:s1 schema:isPartOf ex:docA .

ex:alliance a org:OrganizationalCollaboration ; skos:prefLabel "De Alliantie Noord"@nl .
ex:rug a org:FormalOrganization ; rdfs:label "Rijksuniversiteit Groningen" ;
    org:classification ex:t-edu .
ex:rug2 a org:Organization ; skos:prefLabel "RUG" .
ex:gemx a ex:Gemeente ; skos:prefLabel "Gemeente Smallingerland" ; org:classification ex:t-bus .
# the wrong alias "RUG" also matches rug: the primary label decides
ex:hanze a org:Organization ; skos:prefLabel "Hanzehogeschool" ; skos:altLabel "RUG" ;
    org:classification ex:t-edu .
ex:onbekend a org:Organization ; skos:prefLabel "Onbekend Bedrijf" .
ex:opendrachten a org:Organization ; skos:prefLabel "Open Drachten" .
ex:p1 a org:OrganizationalCollaboration .
ex:p2 a org:OrganizationalCollaboration .
ex:jan a foaf:Person ; foaf:name "Jan de Vries" .
ex:klaas a foaf:Person ; foaf:name "Klaas Smit" .
ex:gm1900 dcterms:identifier "GM1900" .
ex:pv21 dcterms:identifier "PV21" .
ex:gm0014 dcterms:identifier "GM0014" .
ex:wethouder skos:prefLabel "Wethouder Economie"@nl .

ex:m1 a org:Membership ; org:member ex:rug ; org:organization ex:alliance ;
    prov:wasDerivedFrom ex:docA .
ex:m2 a org:Membership ; org:member ex:gemx ; org:organization ex:alliance ;
    prov:wasDerivedFrom ex:s1 .
ex:m3 a org:Membership ; org:member ex:onbekend ; org:organization ex:alliance ;
    prov:wasDerivedFrom ex:docA .
ex:m4 a org:Membership ; org:member ex:hanze ; org:organization ex:p1 ;
    prov:wasDerivedFrom ex:docA .
ex:m5 a org:Membership ; org:member ex:gemx ; org:organization ex:p1 ;
    prov:wasDerivedFrom ex:docA .
ex:m6 a org:Membership ; org:member ex:opendrachten ; org:organization ex:p1 ;
    prov:wasDerivedFrom ex:docA .
ex:m7 a org:Membership ; org:member ex:rug2 ; org:organization ex:p2 ;
    prov:wasDerivedFrom ex:docA .
ex:m8 a org:Membership ; org:member ex:hanze ; org:organization ex:p2 ;
    prov:wasDerivedFrom ex:s1 .
ex:r1 a org:Membership ; org:member ex:jan ; org:organization ex:gemx ;
    org:role ex:wethouder ; prov:wasDerivedFrom ex:docA .
ex:r2 a org:Membership ; org:member ex:jan ; org:organization ex:alliance ;
    org:role "voorzitter" ; prov:wasDerivedFrom ex:docA .
"""

TINY_GOLD = {
    "version": 1,
    "documents": {
        "doc-a.txt": {
            "organisations": [
                {"id": "alliance", "names": ["Alliantie Noord"], "types": ["collaboration"]},
                {
                    "id": "rug",
                    "names": ["Rijksuniversiteit Groningen", "RUG"],
                    "types": ["education"],
                },
                {"id": "gem-x", "names": ["gemeente Smallingerland"], "types": ["government"]},
                {"id": "hanze", "names": ["Hanzehogeschool"], "types": ["education"]},
                {"id": "philips", "names": ["Philips"], "types": ["business"]},
            ],
            "optional_organisations": [["Open Drachten"]],
            "persons": [{"names": ["Jan de Vries", "J. de Vries"]}, {"names": ["Anna Bakker"]}],
            "roles": [
                {"person": "Jan de Vries", "role": ["wethouder"], "org": "gem-x"},
                {"person": "Anna Bakker", "role": ["directeur"], "org": "hanze"},
            ],
            "memberships": [
                {"collaboration": "alliance", "members": ["rug", "gem-x", "philips"]},
                {"collaboration": None, "members": ["gem-x", "hanze"]},
            ],
            "optional_ties": [["rug", "hanze"]],
            "places": [["GM0140", "GM1900"], "PV22"],
            "optional_places": ["PV21"],
        },
        "doc-missing.txt": {
            "organisations": [{"id": "snn", "names": ["SNN"], "types": ["government"]}],
            "places": ["PV20"],
        },
    },
}

TINY_NOTES = [
    "doc-a.txt: org FP  'Onbekend Bedrijf'",
    "doc-a.txt: org FN  'philips'",
    "doc-a.txt: org DUP rug: ['Rijksuniversiteit Groningen', 'RUG']",
    "doc-a.txt: type    gem-x: got ['business'], want one of ['government']",
    "doc-a.txt: person FP 'Klaas Smit'",
    "doc-a.txt: person FN 'Anna Bakker'",
    "doc-a.txt: role FP 'Jan de Vries' ['voorzitter'] @ 'De Alliantie Noord'",
    "doc-a.txt: member FP 'Onbekend Bedrijf' in alliance",
    "doc-a.txt: role FN 'Anna Bakker' ['directeur'] @ hanze",
    "doc-a.txt: member FN philips in alliance",
    "doc-a.txt: tie FP  [\"('?', 'http://example.org/onbekend')\", 'gem-x']",
    "doc-a.txt: tie FP  [\"('?', 'http://example.org/onbekend')\", 'rug']",
    "doc-a.txt: tie FN  ['gem-x', 'philips']",
    "doc-a.txt: tie FN  ['philips', 'rug']",
    "doc-a.txt: place FP GM0014",
    "doc-a.txt: place FN PV22",
    "doc-missing.txt: document not found in graph (no node with this dcterms:identifier)",
    "doc-missing.txt: org FN  'snn'",
    "doc-missing.txt: place FN PV20",
]

TINY_COUNTS = {  # (tp, fp, fn)
    "organisations": (4, 2, 2),
    "persons": (1, 1, 1),
    "roles": (1, 1, 1),
    "memberships": (2, 1, 1),
    "ties": (2, 2, 2),
    "places": (1, 1, 2),
}

TINY_TABLE = """\
metric             P      R     F1    tp    fp    fn
organisations  0.667  0.667  0.667     4     2     2
persons        0.500  0.500  0.500     1     1     1
roles          0.500  0.500  0.500     1     1     1
memberships    0.667  0.667  0.667     2     1     1
ties           0.500  0.500  0.500     2     2     2
places         0.500  0.333  0.400     1     1     2
type accuracy 0.750 over 4 matched organisations
macro F1 0.539"""


@pytest.fixture
def tiny_files(tmp_path: Path) -> tuple[Path, Path]:
    graph = tmp_path / "tiny.ttl"
    graph.write_text(TINY_TTL, encoding="utf-8")
    gold = tmp_path / "tiny.yaml"
    gold.write_text(yaml.safe_dump(TINY_GOLD, sort_keys=False), encoding="utf-8")
    return graph, gold


def test_norm():
    assert norm("De Alliantie van Drachten") == "alliantie van drachten"
    assert norm("Noord\u2013Nederland (SNN).") == "noord-nederland snn"
    assert norm("  Het  ‘Techniekpact’ ") == "techniekpact"
    assert norm("Deltaplan") == "deltaplan"


def test_tiny_graph_counts(tiny_files):
    graph, gold = tiny_files
    result = score_files([graph], gold)
    counts = {k: (m.tp, m.fp, m.fn) for k, m in result.metrics.items()}
    assert counts == TINY_COUNTS
    assert list(result.metrics) == list(TINY_COUNTS)
    assert result.typed_total == 4
    assert result.type_accuracy == 0.75
    assert result.metrics["places"] == Metric(0.5, 0.333, 0.4, 1, 1, 2)
    assert result.macro_f1 == 0.539
    assert result.notes == []


def test_tiny_graph_notes(tiny_files):
    graph, gold = tiny_files
    assert score_files([graph], gold, details=True).notes == TINY_NOTES


def test_score_store_reads_named_graphs():
    store = ox.Store()
    store.load(
        TINY_TTL,
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode("http://example.org/graph/doc-a"),
    )
    result = score_store(store, TINY_GOLD, details=True)
    assert {k: (m.tp, m.fp, m.fn) for k, m in result.metrics.items()} == TINY_COUNTS
    assert result.notes == TINY_NOTES


def test_format_table_and_to_dict(tiny_files):
    result = score_files([tiny_files[0]], tiny_files[1])
    assert result.format_table() == TINY_TABLE
    data = result.to_dict()
    assert list(data) == [*TINY_COUNTS, "type_accuracy", "macro_f1"]
    assert data["places"] == {
        "precision": 0.5,
        "recall": 0.333,
        "f1": 0.4,
        "tp": 1,
        "fp": 1,
        "fn": 2,
    }
    assert data["type_accuracy"] == 0.75 and data["macro_f1"] == 0.539
    assert json.loads(json.dumps(data)) == data


def test_format_table_known_result():
    result = EvaluationResult(
        metrics={
            "organisations": Metric(1.0, 0.97, 0.985, 32, 0, 1),
            "persons": Metric(0.0, 0.0, 0.0, 0, 0, 0),
        },
        type_accuracy=1.0,
        typed_total=32,
        macro_f1=0.997,
    )
    assert result.format_table() == (
        "metric             P      R     F1    tp    fp    fn\n"
        "organisations  1.000  0.970  0.985    32     0     1\n"
        "persons        0.000  0.000  0.000     0     0     0\n"
        "type accuracy 1.000 over 32 matched organisations\n"
        "macro F1 0.997"
    )


def test_empty_graph_scores_zero(tiny_files):
    result = score_store(ox.Store(), TINY_GOLD)
    assert result.to_dict()["organisations"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "tp": 0,
        "fp": 0,
        "fn": 6,
    }
    assert result.type_accuracy == 0.0 and result.typed_total == 0 and result.macro_f1 == 0.0


def test_load_gold_errors(tmp_path: Path):
    with pytest.raises(UsageError, match="not found") as err:
        load_gold(tmp_path / "nope.yaml")
    assert err.value.hint
    bad = tmp_path / "bad.yaml"
    bad.write_text("documents: [unclosed", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot read gold file"):
        load_gold(bad)
    bad.write_text("version: 1\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no 'documents' mapping"):
        load_gold(bad)
    bad.write_text("documents:\n  a.txt:\n    organisations:\n      - {id: x}\n", encoding="utf-8")
    with pytest.raises(UsageError, match=re.escape("document 'a.txt' is malformed")):
        load_gold(bad)
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(TINY_GOLD), encoding="utf-8")
    assert load_gold(good) == TINY_GOLD


def test_score_files_errors(tmp_path: Path, tiny_files):
    odd = tmp_path / "graph.xyz"
    odd.write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot tell the RDF format"):
        score_files([odd], tiny_files[1])
    with pytest.raises(UsageError, match="not found"):
        score_files([tmp_path / "missing.ttl"], tiny_files[1])
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot read graph file"):
        score_files([broken], tiny_files[1])


@needs_lexicons
def test_evaluate_builds_and_scores(tmp_path: Path):
    gold = tmp_path / "gold.yaml"
    gold.write_text(
        yaml.safe_dump(
            {
                "documents": {
                    "000_fecb80c606021118.txt": {
                        "organisations": [
                            {
                                "id": "rug",
                                "names": ["Rijksuniversiteit Groningen", "RUG"],
                                "types": ["education", "research"],
                            }
                        ],
                        "places": ["GM0090"],
                    }
                }
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "b"
    result = evaluate([ROOT / "data" / "corpus" / "000_fecb80c606021118.txt"], gold, out=out)
    assert (out / "graph.ttl").is_file()
    assert result.to_dict() == score_files([out / "graph.ttl"], gold).to_dict()
    assert result.metrics["places"].tp == 1
    assert (
        evaluate([ROOT / "data" / "corpus" / "000_fecb80c606021118.txt"], gold).to_dict()
        == result.to_dict()
    )


# --------------------------------------------------------------- parity with score.py

shared = pytest.mark.skipif(not SHARED.exists(), reason=f"{SHARED} is absent")
# score.py orders type and tie notes by Python's (randomised) string hashing; compare those
# runs of lines in sorted order
_HASH_ORDERED = re.compile(r"^(.*?): (type    |tie FP  |tie FN  )")


def _canonical(lines: list[str]) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    key = None
    for line in lines:
        m = _HASH_ORDERED.match(line)
        k = m.groups() if m else None
        if k != key or k is None:
            out += sorted(run)
            run = []
            key = k
        run.append(line)
    return out + sorted(run)


def _reference(graph: Path, gold: Path, flag: str) -> str:
    proc = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), str(graph), "--gold", str(gold), flag],
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


@pytest.fixture(scope="module")
def built_graph(tmp_path_factory) -> Path:
    if MISSING_LEXICONS:
        pytest.skip(
            f"cannot build data/corpus: lexicons {', '.join(MISSING_LEXICONS)} are not written yet"
        )
    from regiograph.pipeline import build

    out = tmp_path_factory.mktemp("parity") / "b"
    build([ROOT / "data" / "corpus"], out)
    return out / "graph.ttl"


def _check_parity(graph: Path, gold: Path) -> None:
    assert score_files([graph], gold).to_dict() == json.loads(_reference(graph, gold, "--json"))
    mine = score_files([graph], gold, details=True)
    expected = _reference(graph, gold, "--details").splitlines()
    assert _canonical(mine.notes + mine.format_table().splitlines()) == _canonical(expected)


@pytest.mark.shared
@shared
@pytest.mark.parametrize("gold_name", ["seeds.yaml", "dev.yaml"])
def test_parity_built_graph(built_graph: Path, gold_name: str):
    _check_parity(built_graph, SHARED / "gold" / gold_name)


@pytest.mark.shared
@shared
@pytest.mark.parametrize("gold_name", ["seeds.yaml", "dev.yaml"])
def test_parity_fixture_graph(gold_name: str):
    _check_parity(ROOT / "tests" / "fixtures" / "mini.trig", SHARED / "gold" / gold_name)


@pytest.mark.shared
@shared
def test_parity_tiny_graph(tiny_files):
    _check_parity(*tiny_files)
    assert _canonical(TINY_NOTES) == TINY_NOTES
