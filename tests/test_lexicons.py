"""Sanity checks of the extractor's lexicon data files.

Reads the files directly (no import of regiograph) so that a broken lexicon is reported
as a data error, not as an extractor failure.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

LEXICONS = Path(__file__).resolve().parents[1] / "src/regiograph/extract/lexicons"

ORG_TYPES = {
    "government",
    "education",
    "research",
    "business",
    "healthcare",
    "civil_society",
    "intermediary",
}
SECTORS = {
    "techniek-en-maakindustrie",
    "zorg",
    "onderwijs",
    "energie",
    "chemie",
    "ict",
    "agrifood",
    "water",
    "logistiek",
    "bouw",
    "toerisme-en-horeca",
    "arbeidsmarkt",
    "innovatie",
    "cultuur",
    "mobiliteit",
    "wonen",
    "circulaire-economie",
    "financiele-dienstverlening",
    "natuur-en-landschap",
    "sociaal-domein",
}
ENTRY_KEYS = {"name", "aliases", "type", "collaboration", "location", "sectors"}
# Surface forms that would match far too much text (place names, generic words).
# "Rijk" / "het Rijk" are deliberately allowed: they name the national government.
ALIAS_STOP = {
    "groningen",
    "drenthe",
    "fryslân",
    "friesland",
    "overijssel",
    "twente",
    "flevoland",
    "nederland",
    "noord",
    "noorden",
    "noord-nederland",
    "college",
    "academy",
    "campus",
    "regio",
    "hogeschool",
    "universiteit",
    "ziekenhuis",
    "gemeente",
    "provincie",
    "ministerie",
    "zorg",
    "onderwijs",
    "energie",
    "techniek",
    "defensie",
    "financiën",
    "justitie",
    "politie",
    "martini",
}


def _words(text: str) -> list[str]:
    return text.split()


REQUIRED_FIRST_NAMES = _words(
    "John Erica Isabelle Maaike Ineke Christien Arwin Jouke Cees Guido Raymond Marc Friso "
    "André Egbert Lambert Gerrit Gert Hugo Ard Silvester Martin Tanja Claudia "
    # Frisian
    "Sjoerd Durk Hylke Jelle Wiebe Tjeerd Auke Sytse Femke Baukje Wytske Sjoukje Jildou "
    # very common names that are also words, kept on purpose
    "Jan Mark Bas Roos Sterre "
    # compounds
    "Jan-Willem Gert-Jan Anne-Marie"
)
FORBIDDEN_FIRST_NAMES = ["Van", "De", "Het", "Maart", "Mei", "Noord", "Door", "Ook"]


@pytest.fixture(scope="module")
def organisations() -> list[dict]:
    data = yaml.safe_load((LEXICONS / "organisations.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, list) and data, "organisations.yaml must be a non-empty list"
    return data


@pytest.fixture(scope="module")
def first_names() -> list[str]:
    text = (LEXICONS / "first_names.txt").read_text(encoding="utf-8")
    assert text.endswith("\n") and "\r" not in text
    return text.splitlines()


def _forms(entry: dict) -> list[str]:
    return [entry["name"], *(entry.get("aliases") or [])]


def test_organisation_entries_are_well_formed(organisations):
    for entry in organisations:
        assert isinstance(entry, dict), entry
        assert set(entry) <= ENTRY_KEYS, (entry.get("name"), set(entry) - ENTRY_KEYS)
        assert isinstance(entry.get("name"), str) and entry["name"].strip() == entry["name"]
        assert entry["name"], entry
        assert entry.get("type") in ORG_TYPES, (entry["name"], entry.get("type"))
        assert isinstance(entry.get("collaboration", False), bool), entry["name"]
        aliases = entry.get("aliases", [])
        assert isinstance(aliases, list), entry["name"]
        for alias in aliases:
            assert isinstance(alias, str) and alias and alias.strip() == alias, entry["name"]
        sectors = entry.get("sectors", [])
        assert isinstance(sectors, list), entry["name"]
        assert set(sectors) <= SECTORS, (entry["name"], set(sectors) - SECTORS)
        assert len(set(sectors)) == len(sectors), entry["name"]


def test_organisation_coverage(organisations):
    assert len(organisations) >= 300
    by_type = defaultdict(int)
    for entry in organisations:
        by_type[entry["type"]] += 1
    assert set(by_type) == ORG_TYPES


def test_no_surface_form_names_two_organisations(organisations):
    """A name or alias (compared after casefold) belongs to one entry only; within one
    entry, case variants such as "RUG" / "RuG" are allowed, exact repeats are not."""
    owner: dict[str, str] = {}
    clashes = []
    for entry in organisations:
        forms = _forms(entry)
        assert len(set(forms)) == len(forms), f"repeated form in {entry['name']!r}"
        for folded in {f.casefold() for f in forms}:
            if folded in owner:
                clashes.append((folded, owner[folded], entry["name"]))
            owner[folded] = entry["name"]
    assert not clashes, clashes


def test_no_stop_word_aliases(organisations):
    bad = [
        (entry["name"], form)
        for entry in organisations
        for form in _forms(entry)
        if form.casefold() in ALIAS_STOP
    ]
    assert not bad, bad


def test_location_codes(organisations):
    for entry in organisations:
        if "location" in entry:
            assert re.fullmatch(r"GM\d{4}", str(entry["location"])), entry["name"]


@pytest.mark.parametrize(
    ("form", "name", "org_type"),
    [
        ("RUG", "Rijksuniversiteit Groningen", "education"),
        ("NHL Stenden", "NHL Stenden Hogeschool", "education"),
        ("Hanze", "Hanzehogeschool Groningen", "education"),
        ("Alfa College", "Alfa-college", "education"),
        ("Friese Poort", "ROC Friese Poort", "education"),
        ("UMCG", "Universitair Medisch Centrum Groningen", "healthcare"),
        ("Wetterskip Friesland", "Wetterskip Fryslân", "government"),
        ("het Rijk", "Rijksoverheid", "government"),
        ("EZK", "Ministerie van Economische Zaken", "government"),
        ("Gasterra", "GasTerra", "business"),
        ("DTZ", "Dutch TechZone", "intermediary"),
        ("MKB Noord", "MKB-Nederland Noord", "intermediary"),
        ("Wilhelminaziekenhuis", "Wilhelmina Ziekenhuis Assen", "healthcare"),
    ],
)
def test_known_forms_resolve(organisations, form, name, org_type):
    matches = [e for e in organisations if form in _forms(e)]
    assert len(matches) == 1, form
    assert matches[0]["name"] == name
    assert matches[0]["type"] == org_type


def test_collaborations_are_flagged(organisations):
    flagged = {e["name"] for e in organisations if e.get("collaboration")}
    for name in [
        "Samenwerkingsverband Noord-Nederland",
        "Techniekpact Noord",
        "Twente Board",
        "Dutch TechZone",
        "Chemport Europe",
        "Regio Groningen-Assen",
    ]:
        assert name in flagged, name
    assert "Energy Valley" in flagged  # a network foundation; the gold annotations agree
    assert "Rijksuniversiteit Groningen" not in flagged


def test_first_names_sorted_unique(first_names):
    assert first_names == sorted(set(first_names))
    assert len(first_names) >= 2000
    for name in first_names:
        assert name and name == name.strip() and " " not in name, repr(name)
        assert name[0].isupper(), name


def test_first_names_contain_examples(first_names):
    names = set(first_names)
    missing = [n for n in REQUIRED_FIRST_NAMES if n not in names]
    assert not missing, missing


def test_first_names_exclude_common_words(first_names):
    names = set(first_names)
    present = [n for n in FORBIDDEN_FIRST_NAMES if n in names]
    assert not present, present


def test_first_names_do_not_name_organisations(organisations, first_names):
    """A bare first name must not also be an (exact-case) organisation form."""
    forms = {form for entry in organisations for form in _forms(entry)}
    assert not forms & set(first_names), sorted(forms & set(first_names))
