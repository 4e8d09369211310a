"""Organisations found through context, and the forms that refer to them.

``acronyms``     "Werkplein Drentsche Aa (WPDA)", "OTP (voorheen Ondernemerstrefpunt)"
``promote``      named things that are organisations by context: list members next to
                 known organisations ("NHL Stenden, Firda en Aeres"), names after a type
                 noun ("chemiebedrijf AkzoNobel"), "in samenwerking met X",
                 "samenwerkingsverband X", quoted initiatives ("doet mee aan 'Zorg voor
                 het Noorden'"), "regio X" next to another organisation
``short_forms``  "De Alliantie" for "De Alliantie van Drachten", "Hanzehogeschool" for
                 "Hanzehogeschool Groningen", every later use of a defined acronym
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .context import LIST_GAP, Context, OrgSpan, name_key
from .lexicon import has_cue
from .orgs import clean_piece

_ACRONYM_AFTER = re.compile(r"\s*\((?P<acr>[A-Z][A-Za-z0-9&-]{1,9})\)")
_ACRONYM_BEFORE = re.compile(
    r"(?<![\w-])(?P<acr>[A-Z][A-Z0-9&-]{1,8})\s+\((?:voorheen|vroeger|voormalig|v/h|eerder)\s+"
    r"(?P<old>[^)]{3,80})\)"
)
_WITH = re.compile(
    r"(?:in (?:nauwe )?samenwerking met|samen met|samenwerking tussen|partners?)\s+"
    r"(?:(?:de|het)\s+)?$",
    re.IGNORECASE,
)
_COLLAB_INTRO = re.compile(r"samenwerkingsverband\s+$", re.IGNORECASE)
_QUOTED = re.compile(r"['‘\"“](?P<name>[A-Z][^'’\"”\n]{3,60}?)['’\"”]")
_QUOTE_CONTEXT = re.compile(
    r"(?:mee\s+(?:met|aan)|deel\s+aan|deelnemen\s+aan|onderdeel\s+van|lid\s+van|"
    r"samenwerking(?:sverband)?|initiatief|project|programma|netwerk|platform)\s*$",
    re.IGNORECASE,
)
_AFTER_ROLE_WORD = re.compile(
    r"\b(?:wethouder|gedeputeerde|minister|staatssecretaris|directeur|lector|hoogleraar|"
    r"portefeuillehouder|manager|coördinator)\s+$",
    re.IGNORECASE,
)
_AGREEMENT_NOUN = re.compile(
    r"\b(convenant|akkoord|pact|alliantie|coalitie|consortium|netwerk|platform|actieplan|"
    r"manifest|intentieverklaring)\s+$"
)
_APPOSITION = re.compile(r",\s+(?:de|het|een)\s+(?:[\w-]+\s+){0,2}?(?P<noun>[\w-]+)\b(?!\s+[A-Z])")


def _noun_type(lex, word: str) -> str | None:
    """The organisation type a common noun announces ("zuivelbedrijf" -> business)."""
    low = word.lower()
    found = lex.type_nouns.get(low)
    if found is None and low.endswith(("bedrijf", "bedrijven", "concern")) and len(low) > 8:
        found = "business"
    return found


_IS_A = re.compile(
    r"\s+is\s+een\s+(?:(?:publiek-private?|regionale?|landelijke?|noordelijke?|nieuwe)\s+)*"
    r"(?P<noun>samenwerking(?:sverband)?|stichting|vereniging|netwerk|platform|coöperatie|"
    r"bedrijf|onderneming|organisatie|kennisinstelling|onderwijsinstelling)\b",
    re.IGNORECASE,
)
_IS_A_TYPES = {
    "stichting": "civil_society",
    "vereniging": "civil_society",
    "coöperatie": "business",
    "bedrijf": "business",
    "onderneming": "business",
    "kennisinstelling": "research",
    "onderwijsinstelling": "education",
    "netwerk": "intermediary",
    "platform": "intermediary",
}


def _is_place_or_person(ctx: Context, text: str) -> bool:
    gaz, key = ctx.lexicon.places, text.casefold()
    if key in gaz.municipality_names or key in gaz.province_names or key in gaz.region_names:
        return True
    if key in gaz.towns or key in gaz.ambiguous_towns:
        return True
    return text.split(" ")[0] in ctx.lexicon.first_names and len(text.split(" ")) >= 2


def _promote(
    ctx: Context,
    start: int,
    end: int,
    org_type: str,
    *,
    collab: bool = False,
    rule: str,
    confidence: float = 0.7,
) -> OrgSpan | None:
    surface = ctx.text[start:end]
    return ctx.add_org(OrgSpan(start, end, surface, surface, org_type, collab, rule, confidence))


def acronyms(ctx: Context) -> None:
    """Acronym definitions: the acronym becomes an alias of the organisation."""
    text = ctx.text
    for span in list(ctx.orgs):
        match = _ACRONYM_AFTER.match(text, span.end)
        if match and match.group("acr") != span.name and span.rule != "government":
            span.aliases.add(match.group("acr"))
    for _index, named in ctx.named.items():
        for start, end, piece in named:
            match = _ACRONYM_AFTER.match(text, end)
            if match and not _is_place_or_person(ctx, piece) and len(piece.split()) >= 2:
                span = _promote(ctx, start, end, "intermediary", rule="acronym", confidence=0.75)
                if span:
                    span.aliases.add(match.group("acr"))
    for match in _ACRONYM_BEFORE.finditer(text):
        acr, old = match.group("acr"), match.group("old").strip()
        span = ctx.add_org(
            OrgSpan(
                match.start("acr"),
                match.end("acr"),
                acr,
                acr,
                "intermediary",
                False,
                "acronym",
                0.8,
                aliases={old},
            )
        )
        if span is None:
            owner = next((s for s in ctx.orgs if s.start <= match.start() < s.end), None)
            if owner:
                owner.aliases.add(old)


def promote(ctx: Context) -> None:
    """Named things that context shows to be organisations."""
    lex, text = ctx.lexicon, ctx.text
    for index, seg in enumerate(ctx.segments):
        named = [(a, b, t) for a, b, t in ctx.named.get(index, []) if not ctx.overlaps(a, b)]
        for a, b, piece in named:
            before = text[max(seg.start, a - 60) : a]
            if _is_place_or_person(ctx, piece) or _AFTER_ROLE_WORD.search(before):
                continue  # "wethouder Sociaal Domein" is a portfolio
            noun = re.search(r"([\w-]+)\s+(?:[Dd]e\s+|[Hh]et\s+)?$", before)
            noun_type = _noun_type(lex, noun.group(1)) if noun else None
            agreement = _AGREEMENT_NOUN.search(before)
            apposition = _APPOSITION.match(text, b)
            if noun_type and noun_type != "government":
                _promote(ctx, a, b, noun_type, rule="type-noun", confidence=0.8)
            elif agreement and not ctx.overlaps(a - len(agreement.group(0)), b):
                # "het convenant Skjin Wetter Súdwesthoeke" names the agreement
                start = a - len(agreement.group(0))
                name = f"{agreement.group(1).capitalize()} {piece}"
                ctx.add_org(
                    OrgSpan(start, b, text[start:b], name, "intermediary", True, "agreement", 0.8)
                )
            elif apposition and _noun_type(lex, apposition.group("noun")):
                # "Kences, de koepel van studentenhuisvesters"
                kind = _noun_type(lex, apposition.group("noun"))
                _promote(
                    ctx,
                    a,
                    b,
                    "intermediary" if kind == "government" else kind,
                    rule="apposition",
                    confidence=0.75,
                )
            elif _COLLAB_INTRO.search(before):
                _promote(
                    ctx,
                    a,
                    b,
                    "intermediary",
                    collab=True,
                    rule="samenwerkingsverband",
                    confidence=0.85,
                )
            elif _WITH.search(before):
                _promote(ctx, a, b, "business", rule="partner", confidence=0.7)
        _promote_lists(ctx, seg, index)
    _quoted(ctx)
    _lowercase_regio(ctx)


def _promote_lists(ctx: Context, seg, index: int) -> None:
    lex, text = ctx.lexicon, ctx.text
    named = [
        (a, b, None)
        for a, b, t in ctx.named.get(index, [])
        if not ctx.overlaps(a, b) and not _is_place_or_person(ctx, t)
    ]
    if not named:  # nothing a list could promote
        return
    items = [(s.start, s.end, s) for s in ctx.orgs_in(seg)] + named
    items.sort(key=lambda x: x[0])
    groups: list[list[tuple[int, int, OrgSpan | None]]] = []
    for item in items:
        if groups and LIST_GAP.match(text[groups[-1][-1][1] : item[0]]):
            groups[-1].append(item)
        else:
            groups.append([item])
    cue = None  # asked once, when a group needs it
    for group in groups:
        known = [s for _, _, s in group if s is not None]
        candidates = []
        for a, b, s in group:
            if s is not None:
                continue
            owner = _initials_owner(ctx, text[a:b])
            if owner is not None:  # "UT" next to "Saxion" in a text about Universiteit Twente
                ctx.add_org(
                    OrgSpan(
                        a,
                        b,
                        text[a:b],
                        owner.name,
                        owner.org_type,
                        owner.collaboration,
                        "alias",
                        owner.confidence,
                    )
                )
                known.append(owner)
            else:
                candidates.append((a, b))
        if not candidates or not known:
            continue
        noun = re.search(r"([\w-]+)\s+(?:(?:de|het)\s+)?$", text[seg.start : group[0][0]])
        noun_type = lex.type_nouns.get(noun.group(1).lower()) if noun else None
        if not (len(known) >= 2 or noun_type) and cue is None:
            cue = has_cue(lex.cue, seg.text)
        if len(known) >= 2 or noun_type or cue:
            for a, b in candidates:
                _promote(
                    ctx,
                    a,
                    b,
                    noun_type if noun_type not in (None, "government") else "business",
                    rule="list",
                    confidence=0.7,
                )


def _initials_owner(ctx: Context, word: str) -> OrgSpan | None:
    """The one organisation of the document whose initials spell an all-caps ``word``."""
    if not (word.isupper() and 2 <= len(word) <= 5 and word.isalpha()):
        return None
    owners = {}
    for span in ctx.orgs:
        words = [w for w in re.split(r"[\s-]+", span.name) if w[:1].isupper()]
        if "".join(w[0] for w in words) == word:
            owners[name_key(span.name)] = span
    return next(iter(owners.values())) if len(owners) == 1 else None


def _quoted(ctx: Context) -> None:
    """Quoted initiatives that organisations join become collaborations."""
    text = ctx.text
    names: set[str] = set()
    for match in _QUOTED.finditer(text):
        name = match.group("name").strip()
        if len(name.split()) < 2 or len(name.split()) > 8:
            continue
        if _QUOTE_CONTEXT.search(text[max(0, match.start() - 40) : match.start()]):
            names.add(name)
    for name in names:
        for match in re.finditer(re.escape(name), text):
            same = [s for s in ctx.orgs if s.start == match.start() and s.end == match.end()]
            for span in same:
                span.collaboration = True
            if not same:
                ctx.add_org(
                    OrgSpan(
                        match.start(), match.end(), name, name, "intermediary", True, "quoted", 0.75
                    )
                )


def _lowercase_regio(ctx: Context) -> None:
    """ "de regio Eemsdelta" is a body when it is coordinated with another organisation."""
    text = ctx.text
    pattern = re.compile(r"\bregio\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")
    for match in pattern.finditer(text):
        if ctx.overlaps(match.start(), match.end()):
            continue
        owner = next((s for s in ctx.orgs if s.end + 1 == match.start()), None)
        if owner is not None and text[owner.end] == " ":
            # "Koninklijke Metaalunie regio Oost": the region qualifies the organisation
            owner.aliases.add(owner.surface)
            owner.end = match.end()
            owner.surface = text[owner.start : owner.end]
            continue
        before = text[max(0, match.start() - 12) : match.start()]
        after = text[match.end() : match.end() + 12]
        left = re.search(r"\ben\s+(?:de\s+)?$", before) and any(
            0 <= match.start() - s.end <= 12 for s in ctx.orgs
        )
        right = re.match(r"\s+en\s+", after) and any(
            0 <= s.start - match.end() <= 12 for s in ctx.orgs
        )
        if left or right:
            surface = match.group(0)
            ctx.add_org(
                OrgSpan(
                    match.start(),
                    match.end(),
                    surface,
                    "Regio" + surface[5:],
                    "government",
                    True,
                    "regio",
                    0.75,
                )
            )


def is_a(ctx: Context) -> None:
    """ "OTP is een stichting", "Twente Board, een publiek-privaat samenwerkingsverband"."""
    text = ctx.text
    for span in list(ctx.orgs):
        match = _IS_A.match(text, span.end) or re.match(
            r",\s+een\s+(?:[\w-]+\s+){0,2}(?P<noun>samenwerkingsverband|netwerk|platform)\b",
            text[span.end : span.end + 80],
        )
        if not match:
            continue
        noun = match.group("noun").lower()
        same = [s for s in ctx.orgs if name_key(s.name) == name_key(span.name)]
        for s in same:
            if noun.startswith("samenwerking"):
                s.collaboration = True
            elif noun in _IS_A_TYPES and s.rule in ("acronym", "list", "partner", "head", "alias"):
                s.org_type = _IS_A_TYPES[noun]


@lru_cache(maxsize=8192)
def _alias_regex(alias: str) -> re.Pattern:
    """Every use of ``alias`` as a whole word (ignoring case unless it is upper case);
    compiled once per process: names recur across the documents of a corpus."""
    flags = 0 if alias.isupper() else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", flags)


def _alias_spans(alias: str, text: str) -> Iterator[tuple[int, int]]:
    """The spans of ``_alias_regex(alias).finditer(text)``, found with ``str.find`` and
    a look at the characters on either side: a regular expression that ignores case
    cannot skip ahead by its first characters, every name of a document is looked for
    this way, and compiling an expression for each new name took a tenth of the
    extraction of a corpus with many names. The expression is used only for text whose
    lower case is not what ``re.IGNORECASE`` compares."""
    exact = alias.isupper()  # upper-case aliases are matched as they are
    haystack = text if exact else _lowered(text)
    needle = alias if exact else _lowered(alias)
    if haystack is None or needle is None:
        for match in _alias_regex(alias).finditer(text):
            yield match.span()
        return
    size, length = len(text), len(needle)
    start = haystack.find(needle)
    while start >= 0:
        end = start + length
        if (start == 0 or not _joins(text[start - 1])) and (end == size or not _joins(text[end])):
            yield start, end
            start = haystack.find(needle, end)
        else:
            start = haystack.find(needle, start + 1)


def _joins(char: str) -> bool:
    """``char`` is what ``[\\w-]`` matches: it would join a name to the word beside it."""
    return char.isalnum() or char == "_" or char == "-"


#: characters that ``re.IGNORECASE`` equates with another character whose lower case
#: differs ("ſ" with "s", "ı" with "i"), and those without one lower-case character
_CASE_EXCEPTIONS = frozenset(
    "\u00b5\u0130\u0131\u017f\u0345\u0390\u03a3\u03b0\u03c2\u03d0\u03d1\u03d5\u03d6\u03f0"
    "\u03f1\u03f5\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85\u1c86\u1c87\u1c88\u1e9b\u1fbe\u1fd3"
    "\u1fe3\ufb05\ufb06"
)


@lru_cache(maxsize=16)
def _lowered(text: str) -> str | None:
    """``text.lower()`` when, character by character, it is what ``re.IGNORECASE``
    compares (so the matches of a case-insensitive literal are among the places where
    its lower case is found); ``None`` when ``text`` has a character for which it is not."""
    low = text.lower()
    if len(low) != len(text) or not _CASE_EXCEPTIONS.isdisjoint(low):
        return None
    return low


@lru_cache(maxsize=1024)
def _short_form_regex(head: str) -> re.Pattern:
    """ "de Alliantie": the bare head word of a collaboration after an article."""
    return re.compile(rf"\b(?:[Dd]e|[Hh]et|[Dd]eze)\s+{re.escape(head)}(?![\w-])(?!\s+[A-Z])")


def short_forms(ctx: Context) -> None:
    """Map short forms and acronyms to the full name used elsewhere in the document."""
    text, lex = ctx.text, ctx.lexicon
    # every occurrence of an alias (acronym, former name) is the organisation
    for span in list(ctx.orgs):
        forms = set(span.aliases)
        if span.rule not in ("government", "regio", "implied", "ministry"):
            forms.add(span.surface)  # later uses of a name found once by its context
        for alias in sorted(forms):
            if len(alias) < 2 or alias.casefold() in ctx.lexicon.generic:
                continue
            for start, end in _alias_spans(alias, text):
                if not ctx.overlaps(start, end):
                    ctx.add_org(
                        OrgSpan(
                            start,
                            end,
                            text[start:end],
                            span.name,
                            span.org_type,
                            span.collaboration,
                            "alias",
                            span.confidence,
                        )
                    )
    canon = ctx.canonical()
    longer = sorted(canon.values(), key=lambda s: -len(s.name))
    # a name that is the start of a longer name in the same document is its short form
    for span in sorted(ctx.orgs, key=lambda s: len(s.name)):
        key = name_key(span.name)
        longer_forms = (key + " ", key + "-")
        for other in longer:
            if not name_key(other.name).startswith(longer_forms):  # nor the same name
                continue
            if span.rule in ("government",) or other.rule == "government":
                continue
            span.aliases.add(span.surface)
            span.name = other.name
            span.org_type = other.org_type
            span.collaboration = span.collaboration or other.collaboration
            break
    # "De Alliantie": the bare head word of a collaboration named in full elsewhere
    for span in longer:
        if not span.collaboration or len(span.name.split()) < 2:
            continue
        head = span.name.split()[0]
        if head.lower() in ("de", "het"):
            head = span.name.split()[1]
        if head.lower() not in lex.collaboration_heads:
            continue
        for match in _short_form_regex(head).finditer(text):
            start = match.end() - len(head)
            if not ctx.overlaps(start, match.end()):
                ctx.add_org(
                    OrgSpan(
                        start,
                        match.end(),
                        head,
                        span.name,
                        span.org_type,
                        True,
                        "short-form",
                        span.confidence,
                    )
                )


def one_word_short_forms(ctx: Context) -> None:
    """ "Dorpsbelang" for "Stichting Dorpsbelang Nieuw-Buinen", "Foodvalley" for "Regio
    Foodvalley": a single capitalised word that is a distinctive word of exactly one name in
    the document refers to that organisation."""
    lex = ctx.lexicon
    owners: dict[str, set[str]] = {}
    spans = {}
    for span in ctx.orgs:
        words = span.name.split()
        if len(words) < 2:
            continue
        for word in words:
            low = word.lower()
            if (
                len(word) >= 5
                and word[0].isupper()
                and low not in lex.heads
                and low not in lex.stop_words
                and low not in lex.generic
                and low not in lex.collaboration_heads
                and not _is_place_or_person(ctx, word)
            ):
                owners.setdefault(word, set()).add(name_key(span.name))
                spans[name_key(span.name)] = span
    for named in ctx.named.values():
        for a, b, piece in named:
            if " " in piece or ctx.overlaps(a, b) or len(owners.get(piece, ())) != 1:
                continue
            owner = spans[next(iter(owners[piece]))]
            ctx.add_org(
                OrgSpan(
                    a,
                    b,
                    piece,
                    owner.name,
                    owner.org_type,
                    owner.collaboration,
                    "alias",
                    owner.confidence * 0.9,
                )
            )
    for span in ctx.orgs:  # "Regio Foodvalley" and a bare "Foodvalley"
        if span.name.startswith("Regio ") and not span.name.startswith("Regio Deal"):
            rest = name_key(span.name[6:])
            for other in ctx.orgs:
                if other is not span and name_key(other.name) == rest:
                    other.aliases.add(other.surface)
                    other.name, other.org_type = span.name, span.org_type
                    other.collaboration = True


__all__ = ["acronyms", "clean_piece", "is_a", "one_word_short_forms", "promote", "short_forms"]
