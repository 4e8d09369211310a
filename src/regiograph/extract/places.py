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

#: municipality names that are also ordinary words; they need a preposition before them
_RISKY = frozenset({"best", "putten", "sluis", "goes", "oss", "ede", "epe", "beek", "bergen",
                    "renswoude", "laren", "hof van twente", "land van cuijk", "heumen", "boxtel",
                    "bunnik", "noordoostpolder", "son en breugel", "stein", "hulst", "weert"})
_LOCATIVE = re.compile(r"(?:\bin|\buit|\bte|\bnaar|\bvan|\bbij|\brond|\bregio|\bgemeente)\s+$",
                       re.IGNORECASE)


@lru_cache(maxsize=4)
def _place_regex(gaz: Gazetteer) -> re.Pattern[str]:
    names = set()
    for place in gaz.places.values():
        names.add(place.name)
        names.update(place.alt_names)
    names.update(n.title() if n.islower() else n for n in gaz.towns)
    alternation = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-]|\s+(?:College|Hogeschool|Board))")


def _town_names(gaz: Gazetteer) -> dict[str, str]:
    return gaz.towns


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
    regex = _place_regex(gaz)
    blocked = [(s.start, s.end) for s in ctx.orgs
               if s.org_type != "government" and s.rule not in ("regio",)]
    blocked += [(p.start, p.end) for p in ctx.persons]
    for seg in ctx.segments:
        haystack = text[seg.start:seg.end]
        flags_text = haystack.title() if seg.kind == "dateline" else haystack
        matches = list(regex.finditer(flags_text))
        names = [m.group(0) for m in matches]
        for i, match in enumerate(matches):
            start, end = seg.start + match.start(), seg.start + match.end()
            if any(a <= start and end <= b for a, b in blocked):
                continue
            name = match.group(0)
            key = name.casefold()
            before = haystack[max(0, match.start() - 20):match.start()]
            if key in gaz.ambiguous_towns and key not in gaz.municipality_names \
                    and key not in gaz.province_names:
                continue
            if key in _RISKY and not _LOCATIVE.search(before):
                continue
            if match.start() == 0 and seg.kind == "sentence" and key in _RISKY:
                continue
            neighbours = names[max(0, i - 2):i] + names[i + 1:i + 3]
            code = _lookup(gaz, name, before, neighbours)
            if code:
                ctx.places.append(PlaceMention(code, text[start:end], start, end))
    for span in ctx.orgs:
        if span.place_code and not any(p.code == span.place_code for p in ctx.places) \
                and span.rule != "implied":
            ctx.places.append(PlaceMention(span.place_code, span.surface, span.start, span.end))
        if span.rule == "regio":  # "Regio Almere-Lelystad-Flevoland" names three places
            for part in re.split(r"-|\s+en\s+", span.name[6:]):
                code = _lookup(gaz, part.strip(), "", [])
                if code and code[:2] in ("GM", "PV"):
                    ctx.places.append(PlaceMention(code, part.strip(), span.start, span.end))
    _locate_orgs(ctx)


def _locate_orgs(ctx: Context) -> None:
    """"ziekenhuis Bethesda in Hoogeveen": the organisation is based in that municipality."""
    by_start = {p.start: p for p in ctx.places}
    for span in ctx.orgs:
        if span.location or span.org_type == "government":
            continue
        match = re.match(r"\s+(?:in|uit|te)\s+", ctx.text[span.end:span.end + 8])
        if match:
            place = by_start.get(span.end + match.end())
            if place and place.code.startswith("GM"):
                span.location = place.code
