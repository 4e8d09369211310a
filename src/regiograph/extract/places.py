"""Places: municipalities, provinces and regions a document names or implies through a
town inside them ("Drachten" -> GM0090 Smallingerland).

Place names inside the name of a non-government organisation do not count
("Rijksuniversiteit Groningen" does not mention Groningen); inside a government body or
region they do ("gemeente Emmen", "Regio Almere-Lelystad-Flevoland").
A name that is both a municipality and a province ("Groningen", "Utrecht") is the
province after "provincie" or in a list of provinces, else the municipality.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import PlaceMention
from ..reference import Gazetteer
from .context import Context
from .matcher import PhraseMatcher

#: municipality names that are also ordinary words; they need a preposition before them
_RISKY = frozenset(
    {
        "best",
        "putten",
        "sluis",
        "goes",
        "oss",
        "ede",
        "epe",
        "beek",
        "bergen",
        "renswoude",
        "laren",
        "hof van twente",
        "land van cuijk",
        "heumen",
        "boxtel",
        "bunnik",
        "noordoostpolder",
        "son en breugel",
        "stein",
        "hulst",
        "weert",
    }
)
_LOCATIVE = re.compile(
    r"(?:\bin|\buit|\bte|\bnaar|\bvan|\bbij|\brond|\bregio|\bgemeente)\s+$", re.IGNORECASE
)


@lru_cache(maxsize=4)
def _place_matcher(gaz: Gazetteer) -> PhraseMatcher[str]:
    names: dict[str, str] = {}
    for place in gaz.places.values():
        for name in (place.name, *place.alt_names):
            names.setdefault(name, name)
    for town in gaz.towns:
        names.setdefault(town.title(), town.title())
    for town in gaz.ambiguous_towns:
        names.setdefault(town.title(), town.title())
    return PhraseMatcher(exact=names)


_NOT_A_PLACE_AFTER = re.compile(r"\s+(?:College|Hogeschool|Board)\b")


def _lookup(gaz: Gazetteer, name: str, context: str, neighbours: list[str]) -> str | None:
    key = name.casefold()
    province = gaz.province_names.get(key)
    municipality = gaz.municipality_names.get(key, ())
    region = gaz.region_names.get(key)
    if province and municipality:
        near_province = re.search(r"provincie[s]?\s+$", context, re.IGNORECASE) or any(
            n.casefold() in gaz.province_names and n.casefold() not in gaz.municipality_names
            for n in neighbours
        )
        return province if near_province else municipality[0]
    if province:
        return province
    if municipality:
        return municipality[0]
    if region:
        return region
    return gaz.towns.get(key)


def places(ctx: Context) -> None:
    gaz, text = ctx.lexicon.places, ctx.text
    matcher = _place_matcher(gaz)
    blocked = [
        (s.start, s.end)
        for s in ctx.orgs
        if s.org_type != "government" and s.rule not in ("regio",)
    ]
    blocked += [(p.start, p.end) for p in ctx.persons]
    everywhere = [
        (a, b, name)
        for a, b, name, _ in matcher.finditer(text)
        if not _NOT_A_PLACE_AFTER.match(text, b)
    ]
    for seg in ctx.segments:
        haystack = text[seg.start : seg.end]
        if seg.kind == "dateline":  # "DRENTHE -"
            matches = [(a, b, name) for a, b, name, _ in matcher.finditer(haystack.title())]
        else:
            matches = [
                (a - seg.start, b - seg.start, name)
                for a, b, name in everywhere
                if seg.start <= a and b <= seg.end
            ]
        names = [m[2] for m in matches]
        for i, (a, b, name) in enumerate(matches):
            start, end = seg.start + a, seg.start + b
            if any(x <= start and end <= y for x, y in blocked):
                continue
            key = name.casefold()
            before = haystack[max(0, a - 20) : a]
            if (
                key in gaz.ambiguous_towns
                and key not in gaz.municipality_names
                and key not in gaz.province_names
            ):
                continue
            if key in _RISKY and not _LOCATIVE.search(before):
                continue
            if a == 0 and seg.kind == "sentence" and key in _RISKY:
                continue
            neighbours = names[max(0, i - 2) : i] + names[i + 1 : i + 3]
            code = _lookup(gaz, name, before, neighbours)
            if code:
                ctx.places.append(PlaceMention(code, text[start:end], start, end))
    for span in ctx.orgs:
        if (
            span.place_code
            and not any(p.code == span.place_code for p in ctx.places)
            and span.rule != "implied"
        ):
            ctx.places.append(PlaceMention(span.place_code, span.surface, span.start, span.end))
        if span.rule == "regio":  # "Regio Almere-Lelystad-Flevoland" names three places
            for part in re.split(r"-|\s+en\s+", span.name[6:]):
                code = _lookup(gaz, part.strip(), "", [])
                if code and code[:2] in ("GM", "PV"):
                    ctx.places.append(PlaceMention(code, part.strip(), span.start, span.end))
    _locate_orgs(ctx)


def _locate_orgs(ctx: Context) -> None:
    """ "ziekenhuis Bethesda in Hoogeveen": the organisation is based in that municipality."""
    by_start = {p.start: p for p in ctx.places}
    for span in ctx.orgs:
        if span.location or span.org_type == "government":
            continue
        match = re.match(r"\s+(?:in|uit|te)\s+", ctx.text[span.end : span.end + 8])
        if match:
            place = by_start.get(span.end + match.end())
            if place and place.code.startswith("GM"):
                span.location = place.code
