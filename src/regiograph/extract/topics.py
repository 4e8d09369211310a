"""Sectors and dates.

``sectors``  the sector concepts a collaboration works in and an organisation is active in:
             trigger words (the sector scheme's hidden labels) in the sentences that name the
             collaboration or list its members, "op het gebied van ..." phrases, type nouns
             before a name ("chemiebedrijf AkzoNobel") and the organisation's type
``dates``    the document date (metadata, a " date 2018-11" line or an early full date) and
             a collaboration's start and end: signing dates ("ondertekenden op 13 maart
             2023"), "sinds 2013", "in 2013 ... ontwikkeld", ranges ("2022-2025")
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date

from ..model import DateFact
from .context import Context, name_key

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "maart": 3,
    "mrt": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_FULL_DATE = re.compile(
    r"\b(?P<d>[0-3]?\d)\s+(?P<m>"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")\.?(?:\s+(?P<y>(?:19|20)\d\d))?\b",
    re.IGNORECASE,
)
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)(?:-(?P<d>[0-3]\d))?\b")
_SINCE = re.compile(
    r"\b(?:sinds|vanaf|opgericht in|gestart in|sinds begin)\s+(?:begin\s+)?"
    r"(?P<y>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_IN_YEAR = re.compile(
    r"\bin\s+(?P<y>(?:19|20)\d\d)\b.{0,80}?\b(?:ontwikkeld|opgericht|gestart|"
    r"ondertekend|getekend|gesloten|opgezet|afgesloten)\b",
    re.IGNORECASE,
)
_RANGE = re.compile(r"\b(?P<a>(?:19|20)\d\d)\s*[-–/]\s*(?P<b>(?:19|20)\d\d)\b")
_SIGN = re.compile(
    r"\b(?:onder)?teken(?:den|de|t|en)\b|\bgetekend\b|\bondertekend\b|"
    r"\bhandtekening\b|\bvan start\b|\bgelanceerd\b",
    re.IGNORECASE,
)
_FIELD = re.compile(
    r"\bop (?:het gebied|de gebieden|het terrein) van\s+(?P<list>[^.;:]+)", re.IGNORECASE
)

_TYPE_SECTORS = {"education": "onderwijs", "healthcare": "zorg"}


def _full_date(match: re.Match[str], default_year: int | None) -> date | None:
    year = int(match.group("y")) if match.group("y") else default_year
    if year is None:
        return None
    try:
        return date(year, MONTHS[match.group("m").lower().rstrip(".")], int(match.group("d")))
    except ValueError:
        return None


def document_date(ctx: Context) -> None:
    """Fill in the document date from the first lines when the metadata has none."""
    if ctx.document.date is not None:
        return
    for seg in ctx.segments[:8]:
        iso = _ISO.search(seg.text)
        full = _FULL_DATE.search(seg.text)
        found = _full_date(full, None) if full else None
        if found is None and iso and seg.kind != "sentence":
            found = date(int(iso["y"]), int(iso["m"]), int(iso["d"] or 1))
        if found is not None:
            ctx.document = replace(ctx.document, date=found)
            return


def dates(ctx: Context) -> None:
    doc_year = ctx.document.date.year if ctx.document.date else None
    starts: dict[str, list[date]] = {}
    ends: dict[str, list[date]] = {}
    evidence = {}
    collabs = {
        name_key(m.collaboration): m.collaboration for m in ctx.memberships if m.collaboration
    }
    for span in ctx.orgs:
        if span.collaboration:
            collabs.setdefault(name_key(span.name), span.name)
    for seg in ctx.segments:
        named = {name_key(s.name) for s in ctx.orgs_in(seg)} & set(collabs)
        named |= {
            name_key(m.collaboration)
            for m in ctx.memberships
            if m.collaboration and m.evidence.start == seg.start
        }
        if not named:
            continue
        found_start, found_end = [], []
        if _SIGN.search(seg.text):
            found_start += [
                d for m in _FULL_DATE.finditer(seg.text) if (d := _full_date(m, doc_year))
            ]
        found_start += [date(int(m["y"]), 1, 1) for m in _SINCE.finditer(seg.text)]
        found_start += [date(int(m["y"]), 1, 1) for m in _IN_YEAR.finditer(seg.text)]
        for m in _RANGE.finditer(seg.text):
            found_start.append(date(int(m["a"]), 1, 1))
            found_end.append(date(int(m["b"]), 12, 31))
        for key in named:
            starts.setdefault(key, []).extend(found_start)
            ends.setdefault(key, []).extend(found_end)
            if found_start or found_end:
                evidence.setdefault(key, ctx.evidence(seg))
    for key, name in collabs.items():
        start = min(starts.get(key) or [], default=None)
        end = max(ends.get(key) or [], default=None)
        if start or end:
            ctx.dates.append(DateFact(name, start, end, evidence[key]))


def sectors(ctx: Context) -> None:
    lex, text = ctx.lexicon, ctx.text
    found: dict[str, set[str]] = {}

    positions = [(a, v) for a, _b, _t, v in lex.sector_matcher.finditer(text)]

    def hits(start: int, end: int) -> set[str]:
        return {v for a, v in positions if start <= a < end}

    doc_counts = Counter(s for seg in ctx.segments for s in hits(seg.start, seg.end))
    for fact in ctx.memberships:
        if fact.collaboration:
            found.setdefault(fact.collaboration, set()).update(
                hits(fact.evidence.start, fact.evidence.end)
            )
    for seg in ctx.segments:
        for span in ctx.orgs_in(seg):
            if span.collaboration:
                found.setdefault(span.name, set()).update(hits(seg.start, seg.end))
    fields = set()
    for match in _FIELD.finditer(text):
        fields |= hits(match.start("list"), match.end("list"))
    # ties broken by name: Counter keeps first-seen order, which follows set iteration
    # order and so the process's string hashing (PYTHONHASHSEED)
    ranked = sorted(doc_counts.items(), key=lambda item: (-item[1], item[0]))
    dominant = {s for s, n in ranked[:3] if n >= 2}
    for name in list(found):
        found[name] |= fields
        if not found[name]:
            found[name] = set(dominant)
    for span in ctx.orgs:
        own = set(span.sectors)
        noun = re.search(r"([\w-]+)\s+$", text[max(0, span.start - 30) : span.start])
        if noun:
            word = noun.group(1).lower()
            if word in lex.sector_words:  # "chemiebedrijf AkzoNobel", "energieconcern X"
                own.add(lex.sector_words[word])
        if span.org_type in _TYPE_SECTORS:
            own.add(_TYPE_SECTORS[span.org_type])
        if "water" in span.name.lower() or "wetterskip" in span.name.lower():
            own.add("water")
        if own:
            found.setdefault(span.name, set()).update(own)
    ctx.sectors = {k: v for k, v in found.items() if v}
