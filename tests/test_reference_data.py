"""Consistency checks for the shipped reference place files in data/reference/."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "data" / "reference"
NORTHERN_PROVINCES = {"PV20", "PV21", "PV22", "PV23"}


def read_rows(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def provinces() -> list[dict[str, str]]:
    return read_rows("provinces.csv")


@pytest.fixture(scope="module")
def municipalities() -> list[dict[str, str]]:
    return read_rows("municipalities.csv")


@pytest.fixture(scope="module")
def merged() -> list[dict[str, str]]:
    return read_rows("merged_municipalities.csv")


@pytest.fixture(scope="module")
def regions() -> list[dict[str, str]]:
    return read_rows("regions.csv")


@pytest.fixture(scope="module")
def places() -> list[dict[str, str]]:
    return read_rows("places.csv")


@pytest.fixture(scope="module")
def municipality_codes(municipalities) -> set[str]:
    return {m["code"] for m in municipalities}


def test_headers():
    expected = {
        "provinces.csv": ["code", "name", "name_alt", "landsdeel"],
        "municipalities.csv": ["code", "name", "province_code", "corop_code", "name_alt"],
        "merged_municipalities.csv": [
            "code",
            "name",
            "province_code",
            "merged_year",
            "successor_code",
            "successor_name",
        ],
        "regions.csv": ["code", "name", "kind", "contained_in", "name_alt"],
        "places.csv": ["name", "municipality_code", "kind", "ambiguous"],
    }
    for name, header in expected.items():
        with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as f:
            assert next(csv.reader(f)) == header, name


def test_twelve_provinces(provinces):
    assert len(provinces) == 12
    assert len({p["code"] for p in provinces}) == 12


def test_342_municipalities_with_unique_codes(municipalities):
    assert len(municipalities) == 342
    codes = [m["code"] for m in municipalities]
    assert len(set(codes)) == 342
    for code in codes:
        assert re.fullmatch(r"GM\d{4}", code), code


def test_municipality_province_codes_exist(municipalities, provinces):
    province_codes = {p["code"] for p in provinces}
    for m in municipalities:
        assert m["province_code"] in province_codes, m


def test_northern_municipalities_have_known_corop(municipalities, regions):
    region_codes = {r["code"] for r in regions}
    northern = [m for m in municipalities if m["province_code"] in NORTHERN_PROVINCES]
    assert northern
    for m in northern:
        assert m["corop_code"], m
        assert m["corop_code"] in region_codes, m


def test_merged_successors_are_current(merged, municipality_codes):
    assert merged
    for r in merged:
        assert r["successor_code"] in municipality_codes, r


def test_places_unique_and_codes_exist(places, municipality_codes):
    assert places
    keys = [(p["name"], p["municipality_code"]) for p in places]
    assert len(keys) == len(set(keys))
    for p in places:
        assert p["municipality_code"] in municipality_codes, p


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Drachten", "GM0090"),
        ("Hoogezand", "GM1952"),
        ("Rijssen", "GM1742"),
        ("Gorredijk", "GM0086"),
    ],
)
def test_known_places(places, name, code):
    codes = {p["municipality_code"] for p in places if p["name"] == name}
    assert codes == {code}


def test_ld01_contains_cr01_to_cr09(regions):
    in_ld01 = {r["code"] for r in regions if r["contained_in"] == "LD01"}
    assert {f"CR{i:02d}" for i in range(1, 10)} <= in_ld01
