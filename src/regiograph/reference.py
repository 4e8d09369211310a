"""Reference places: CBS provinces, municipalities (current and merged), COROP regions,
landsdelen and the towns and villages of the northern provinces.

:func:`load_places` reads the CSV files in ``data/reference/`` once; :func:`places_graph`
turns them into the RDF loaded into every build (named graph ``graph/reference``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal

from .errors import ReferenceDataError
from .namespaces import DCTERMS, RDF, RDFS, RG, SCHEMA, SKOS, XSD, place_iri
from .resources import resource


@dataclass(frozen=True)
class Place:
    code: str  # GM0090, PV21, CR06, LD01
    name: str
    kind: str  # municipality | province | region
    parents: tuple[str, ...] = ()  # codes of the places that contain it
    alt_names: tuple[str, ...] = ()
    successor: str | None = None  # merged municipality -> current one
    merged_year: int | None = None


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """All reference places, with lookups by name."""

    places: dict[str, Place]
    #: lower-cased name -> codes (municipality names and alternative names)
    municipality_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    province_names: dict[str, str] = field(default_factory=dict)
    region_names: dict[str, str] = field(default_factory=dict)
    #: lower-cased town/village name -> municipality code (unambiguous ones)
    towns: dict[str, str] = field(default_factory=dict)
    #: lower-cased names that need context (common words, several municipalities)
    ambiguous_towns: frozenset[str] = frozenset()

    def province_of(self, code: str) -> str | None:
        """Province code of a municipality (following a merge to its successor)."""
        place = self.places.get(code)
        while place is not None and place.kind != "province":
            parent = next((p for p in place.parents if p.startswith("PV")), None)
            if parent is None and place.successor:
                place = self.places.get(place.successor)
                continue
            place = self.places.get(parent) if parent else None
        return place.code if place else None


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return [
                {k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)
            ]
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        raise ReferenceDataError(f"cannot read {path.name}: {exc}") from exc


def _alts(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in value.split("|") if a.strip())


@lru_cache(maxsize=1)
def load_places() -> Gazetteer:
    """Read the reference CSV files shipped in ``data/reference/``."""
    places: dict[str, Place] = {}
    for row in _rows(resource("reference", "regions.csv")):
        parents = (row["contained_in"],) if row.get("contained_in") else ()
        places[row["code"]] = Place(
            row["code"], row["name"], "region", parents, _alts(row.get("name_alt", ""))
        )
    for row in _rows(resource("reference", "provinces.csv")):
        parents = (row["landsdeel"],) if row.get("landsdeel") else ()
        places[row["code"]] = Place(
            row["code"], row["name"], "province", parents, _alts(row.get("name_alt", ""))
        )
    for row in _rows(resource("reference", "municipalities.csv")):
        parents = tuple(p for p in (row["province_code"], row.get("corop_code", "")) if p)
        places[row["code"]] = Place(
            row["code"], row["name"], "municipality", parents, _alts(row.get("name_alt", ""))
        )
    for row in _rows(resource("reference", "merged_municipalities.csv")):
        if row["code"] in places:
            continue
        places[row["code"]] = Place(
            row["code"],
            row["name"],
            "municipality",
            (row["province_code"],),
            successor=row["successor_code"] or None,
            merged_year=int(row["merged_year"]) if row.get("merged_year") else None,
        )
    if not any(p.kind == "province" for p in places.values()):
        raise ReferenceDataError("no provinces in data/reference/provinces.csv")

    municipality_names: dict[str, list[str]] = {}
    province_names: dict[str, str] = {}
    region_names: dict[str, str] = {}
    for place in places.values():
        for name in (place.name, *place.alt_names):
            key = name.casefold()
            if place.kind == "municipality":
                codes = municipality_names.setdefault(key, [])
                # a current municipality wins over a merged one of the same name
                if place.successor is None:
                    codes.insert(0, place.code)
                else:
                    codes.append(place.code)
            elif place.kind == "province":
                province_names[key] = place.code
            else:
                region_names[key] = place.code
    towns: dict[str, str] = {}
    ambiguous: set[str] = set()
    seen: dict[str, set[str]] = {}
    for row in _rows(resource("reference", "places.csv")):
        key = row["name"].casefold()
        seen.setdefault(key, set()).add(row["municipality_code"])
        if row.get("ambiguous") == "1":
            ambiguous.add(key)
    for key, codes in seen.items():
        if len(codes) == 1 and key not in ambiguous:
            towns[key] = next(iter(codes))
        else:
            ambiguous.add(key)
    return Gazetteer(
        places=places,
        municipality_names={k: tuple(v) for k, v in municipality_names.items()},
        province_names=province_names,
        region_names=region_names,
        towns=towns,
        ambiguous_towns=frozenset(ambiguous),
    )


_CLASSES = {"municipality": RG.Municipality, "province": RG.Province, "region": RG.Region}


def places_graph(gazetteer: Gazetteer | None = None) -> Graph:
    """The reference places as RDF (see docs/data-model.md)."""
    gaz = gazetteer or load_places()
    graph = Graph()
    for place in gaz.places.values():
        node = place_iri(place.code)
        graph.add((node, RDF.type, _CLASSES[place.kind]))
        graph.add((node, DCTERMS.identifier, Literal(place.code)))
        graph.add((node, RDFS.label, Literal(place.name)))
        graph.add((node, SKOS.prefLabel, Literal(place.name, lang="nl")))
        for alt in place.alt_names:
            graph.add((node, SKOS.altLabel, Literal(alt, lang="nl")))
        for parent in place.parents:
            graph.add((node, SCHEMA.containedInPlace, place_iri(parent)))
        if place.successor:
            graph.add((node, DCTERMS.isReplacedBy, place_iri(place.successor)))
        if place.merged_year:
            graph.add((node, SCHEMA.endDate, Literal(str(place.merged_year), datatype=XSD.gYear)))
    return graph
