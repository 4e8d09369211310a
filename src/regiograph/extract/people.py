"""People and their roles.

``persons``  full names (a known given name, optional tussenvoegsel, capitalised surname),
             initials ("W. Koolmees", "de heer H. Venema"), names after a role word, and
             bylines ("door: Claudia Wijnants-Crama", lower-case "kim Stellingwerf")
``roles``    "wethouder X van de gemeente Y", "X, wethouder gemeente Y", "X is als
             collegevoorzitter van het Z", "minister van Y, X", "wethouder X (Almere)",
             contact cards (a name line followed by role lines), and — when the sentence
             names no organisation — the organisation the role implies (a gedeputeerde
             serves a province, a wethouder a municipality) or the one the paragraph is about
"""

from __future__ import annotations

import re

from ..model import RoleFact, Segment
from .context import Context, OrgSpan, PersonSpan, name_key
from .lexicon import COMPOUND_ROLES

PREFIX = (
    r"(?:van der|van den|van de|van het|van 't|in 't|in de|op de|op den|uit de|van|de|der|den|"
    r"ter|ten|te|'t|le|la|du|von|di|da)"
)
SURNAME = r"[A-ZÀ-Þ][a-zà-ÿ'’]+(?:-(?:(?:de|van|van der|van de|ter|ten|te)\s)?[A-ZÀ-Þ][a-zà-ÿ'’]+)?"
GIVEN = r"[A-ZÀ-Þ][a-zà-ÿ]+(?:-[A-ZÀ-Þ][a-zà-ÿ]+)?"
_FULL2 = re.compile(
    rf"(?P<given>{GIVEN}[ \t]+{GIVEN})[ \t]+(?:(?:{PREFIX})[ \t]+)*(?P<sur>{SURNAME})(?![\w-])"
)
_FULL = re.compile(rf"(?P<given>{GIVEN})[ \t]+(?:(?:{PREFIX})[ \t]+)*(?P<sur>{SURNAME})(?![\w-])")
_GIVEN_AT = re.compile(rf"(?<![\w-]){GIVEN}")
_INITIALS = re.compile(
    rf"(?<![\w-])(?P<init>(?:[A-Z]\.\s?){{1,4}})\s*(?:(?:{PREFIX})\s+)*(?P<sur>{SURNAME})(?![\w-])"
)
_AFTER_ROLE = re.compile(
    r"\s+(?:de heer\s+|mevrouw\s+|dhr\.\s+|mw\.\s+)?"
    rf"(?P<name>[A-ZÀ-Þ][a-zà-ÿ]+(?:\s+(?:{PREFIX}\s+)*{SURNAME}){{1,2}})"
)
_LOWER_BYLINE = re.compile(rf"(?<![\w-])(?P<name>[a-zà-ÿ]+\s+(?:{PREFIX}\s+)*{SURNAME})\s*$")
_HEADS_NOT_SURNAMES = frozenset(
    [
        "ziekenhuis",
        "college",
        "hogeschool",
        "universiteit",
        "school",
        "groep",
        "campus",
        "board",
        "cluster",
    ]
)

_GOV_ROLES = {
    "wethouder": "gemeente",
    "burgemeester": "gemeente",
    "raadslid": "gemeente",
    "gedeputeerde": "provincie",
    "statenlid": "provincie",
    "commissaris-van-de-koning": "provincie",
    "minister": "ministerie",
    "staatssecretaris": "ministerie",
    "dijkgraaf": "waterschap",
    "heemraad": "waterschap",
}


def _ok_surname(ctx: Context, surname: str, *, prefixed: bool = False) -> bool:
    """A plausible surname; after a tussenvoegsel ("van der Meer") a word may be one."""
    low = surname.lower()
    return (
        (prefixed or low not in ctx.lexicon.stop_words)
        and low not in _HEADS_NOT_SURNAMES
        and low not in ctx.lexicon.generic
    )


def _add_person(ctx: Context, start: int, end: int, name: str, confidence: float) -> None:
    if any(s.start < end and start < s.end for s in ctx.orgs if s.rule in ("known", "government")):
        return
    if any(p.start < end and start < p.end for p in ctx.persons):
        return
    ctx.persons.append(PersonSpan(start, end, " ".join(name.split()), confidence))


def persons(ctx: Context) -> None:
    lex, text = ctx.lexicon, ctx.text
    # where a full name can start: a known given name (the first given name of a match is
    # always the longest one there, so no other start can match)
    starts = [m.start() for m in _GIVEN_AT.finditer(text) if m.group() in lex.first_names]
    for regex in (_FULL2, _FULL):  # "Gert Jan Lankhorst" before "Gert Jan"
        for match in filter(None, (regex.match(text, pos) for pos in starts)):
            given = match.group("given").split()
            if any(g not in lex.first_names for g in given):
                continue
            prefixed = match.start("sur") - match.end("given") > 1 and bool(
                re.search(r"\s\w+\s", text[match.end("given") : match.start("sur") + 1])
            )
            if not _ok_surname(ctx, match.group("sur"), prefixed=prefixed):
                continue
            _add_person(ctx, match.start(), match.end(), match.group(0), 0.85)
    for match in _INITIALS.finditer(text):
        if _ok_surname(ctx, match.group("sur")):
            _add_person(ctx, match.start(), match.end(), match.group(0), 0.75)
    for match in lex.role_regex.finditer(text):
        after = _AFTER_ROLE.match(text, match.end())
        if after and _ok_surname(ctx, after.group("name").split()[-1]):
            words = after.group("name").split()
            if words[0] not in lex.first_names or any(_is_org_word(ctx, w) for w in words):
                continue
            _add_person(ctx, after.start("name"), after.end("name"), after.group("name"), 0.75)
    for seg in ctx.segments:
        if seg.kind in ("byline", "headline"):
            byline = re.search(r"(?:door|tekst|auteur)\s*:\s*(?P<name>.+)$", seg.text, re.I)
            candidate = byline or _LOWER_BYLINE.search(seg.text)
            if candidate:
                name = candidate.group("name").strip(" .)")
                first = name.split()[0]
                if first.capitalize() in lex.first_names and 2 <= len(name.split()) <= 5:
                    start = seg.start + candidate.start("name")
                    _add_person(ctx, start, start + len(name), name, 0.7)


def _is_org_word(ctx: Context, word: str) -> bool:
    low = word.lower()
    return low in ctx.lexicon.heads or low in ctx.lexicon.collaboration_heads


# -- roles ----------------------------------------------------------------------------------
def _first_org_after(ctx: Context, pos: int, limit: int, kind: str | None) -> OrgSpan | None:
    window = ctx.text[pos:limit]
    stop = re.search(r"[.:;!?“”\"]|\s[-–]\s|,\s+(?:die|dat|zegt|aldus|vertelt)\b", window)
    end = pos + (stop.start() if stop else len(window))
    orgs = [s for s in ctx.orgs_between(pos, end + 1)]
    if kind:
        fitting = [s for s in orgs if _fits(s, kind)]
        if fitting:
            return fitting[0]
        if kind == "gemeente":  # "wethouder van Zwolle", "wethouder cultuur van Opsterland"
            town = re.match(
                r"(?:\s+\w+){0,3}?\s+van\s+(?P<t>[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)?)",
                ctx.text[pos:end],
            )
            if town:
                return _town_org(ctx, town.group("t"), kind, pos + town.start("t"))
    if (
        len(orgs) >= 2
        and orgs[0].rule == "head"
        and " " not in orgs[0].name
        and re.match(
            r"\s+(?:bij|van)\s+(?:de\s+|het\s+)?$", ctx.text[orgs[0].end : orgs[1].start] + " "
        )
    ):
        if orgs[0] in ctx.orgs:
            ctx.orgs.remove(orgs[0])  # a department is not an organisation of its own
        return orgs[1]  # "directeur Waterstofnetwerk bij Gasunie": the department's owner
    return orgs[0] if orgs and orgs[0].start - pos <= 60 else None


def _fits(span: OrgSpan, kind: str) -> bool:
    name = span.name.lower()
    if kind == "ministerie":
        return name.startswith("ministerie") or name in ("rijksoverheid",)
    return name.startswith(kind) or (kind == "waterschap" and "wetterskip" in name)


def _implied_org(ctx: Context, role: str, seg_index: int, previous: list[RoleFact]):
    """The organisation a role implies when the sentence names none."""
    kind = _GOV_ROLES.get(role)
    canon = list(ctx.canonical().values())
    seg = ctx.segments[seg_index]
    if kind == "provincie":  # "Haar Drentse collega ..., gedeputeerde"
        adjective = _PROVINCE_ADJECTIVE.search(seg.text)
        if adjective:
            code = ctx.lexicon.places.province_names.get(
                _ADJECTIVE_PROVINCE[adjective.group(1).lower()].casefold()
            )
            if code:
                return _implied_province(ctx, code, seg)
    if kind:
        same_role = [r for r in previous if r.role == role]
        if same_role:  # "Zijn collega-wethouder Guido Rink"
            return same_role[-1].organisation
        fitting = [s for s in canon if _fits(s, kind)]
        if len(fitting) == 1:
            return fitting[0].name
        if kind == "provincie" and not fitting:
            codes = [p.code for p in ctx.places if p.code.startswith("PV")]
            if codes:
                return _implied_province(ctx, max(set(codes), key=codes.count), seg)
        return None
    # a director or chair: the organisation the paragraph is about
    here = [s for s in ctx.orgs_between(seg.start, seg.end) if s.rule != "implied"]
    if here:
        return here[0].name
    for back in range(seg_index - 1, max(-1, seg_index - 3), -1):
        prev = ctx.segments[back]
        if prev.paragraph != seg.paragraph and back < seg_index - 1:
            break
        orgs = ctx.orgs_in(prev)
        if orgs:
            return orgs[0].name
    return None


_ADJECTIVE_PROVINCE = {
    "groningse": "Groningen",
    "groninger": "Groningen",
    "friese": "Fryslân",
    "drentse": "Drenthe",
    "overijsselse": "Overijssel",
    "gelderse": "Gelderland",
    "flevolandse": "Flevoland",
    "utrechtse": "Utrecht",
    "zeeuwse": "Zeeland",
    "limburgse": "Limburg",
    "brabantse": "Noord-Brabant",
    "noord-hollandse": "Noord-Holland",
    "zuid-hollandse": "Zuid-Holland",
}
_PROVINCE_ADJECTIVE = re.compile(
    r"\b(" + "|".join(_ADJECTIVE_PROVINCE) + r")\s+(?:collega|gedeputeerde|bestuurder)\b",
    re.IGNORECASE,
)


def _implied_province(ctx: Context, code: str, seg: Segment) -> str:
    """The province organisation for a province code, added when the text has none."""
    name = f"provincie {ctx.lexicon.places.places[code].name}"
    if not any(name_key(s.name) == name_key(name) for s in ctx.orgs):
        ctx.orgs.append(
            OrgSpan(
                seg.start, seg.start, "", name, "government", False, "implied", 0.5, place_code=code
            )
        )
    return name


def _role_key(ctx: Context, label: str) -> str | None:
    low = re.sub(r"^(?:collega|oud|vice|interim|waarnemend|demissionair)[- ]", "", label.lower())
    found = ctx.lexicon.roles.get(low)
    if found is None:  # a compound: "regiomanager", "FNV-bestuurder"
        base = next((b for b in COMPOUND_ROLES if low.endswith(b)), None)
        found = ctx.lexicon.roles.get(base) if base else None
    return found


def _prefix_org(ctx: Context, label: str) -> OrgSpan | None:
    """ "FNV-bestuurder": the organisation named in front of the role word."""
    if "-" not in label:
        return None
    prefix = name_key(label.rsplit("-", 1)[0])
    return next((s for s in ctx.orgs if prefix in (name_key(s.surface), name_key(s.name))), None)


def roles(ctx: Context) -> None:
    text, lex = ctx.text, ctx.lexicon
    found: list[RoleFact] = []

    def add(
        person: PersonSpan,
        match: re.Match[str],
        org: OrgSpan | str | None,
        seg: Segment,
        conf: float,
        label_end: int | None = None,
    ) -> None:
        role = _role_key(ctx, match.group(1))
        if role is None:
            return
        seg_index = ctx.segment_index(seg.start)
        org = _prefix_org(ctx, match.group(1)) or org
        if org is None:
            org_name = _implied_org(ctx, role, seg_index, found)
            conf = min(conf, 0.6)
        elif isinstance(org, OrgSpan):
            org_name = org.name
            ctx.role_orgs.add((org.start, org.end))
        else:
            org_name = org
        if not org_name:
            return
        end = label_end if label_end and label_end > match.end() else match.end()
        label = " ".join(text[match.start() : end].split()).strip(" ,(")
        label = label.split(",")[0].strip()  # "regiomanager, namens Vitens" -> "regiomanager"
        label = re.sub(r"\s+(?:van|bij|namens)(?:\s+(?:de|het))?$", "", label)
        found.append(
            RoleFact(person.name, org_name, role, label or match.group(0), ctx.evidence(seg), conf)
        )

    for seg in ctx.segments:
        people = ctx.persons_in(seg)
        for person in people:
            kind_after = None
            # ROLE [words] PERSON [van (de|het) ORG | (Town)]
            before = text[seg.start : person.start]
            role_before = None
            for m in lex.role_regex.finditer(before):
                gap = before[m.end() :]
                if len(gap) <= 45 and not re.search(r"[.;:!?\"“”()]", gap):
                    role_before = m
            if role_before is not None:
                shifted = lex.role_regex.match(text, seg.start + role_before.start())
                kind_after = _GOV_ROLES.get(_role_key(ctx, shifted.group(1)) or "")
                in_gap = ctx.orgs_between(shifted.end(), person.start)
                town = re.match(r"\s*\((?P<t>[A-Z][\w' -]+)\)", text[person.end :])
                org = in_gap[0] if in_gap else None
                if org is None and town:
                    org = _town_org(ctx, town.group("t"), kind_after, person.end + town.start("t"))
                if org is None and re.match(r"\s+(?:van|bij)\s+", text[person.end :]):
                    org = _first_org_after(ctx, person.end, seg.end, kind_after)
                add(person, shifted, org, seg, 0.85, label_end=in_gap[0].start if in_gap else None)
            # PERSON, ROLE ... ORG   /   PERSON is (als) ROLE van ORG   /   , tevens ROLE
            tail = text[person.end : seg.end]
            for m in re.finditer(
                r"(?:^\s*\(\s*|^\s*(?:\([^)]*\))?\s*,\s*(?:tevens\s+|die\s+[^,]{0,40}?\s+als\s+)?"
                r"|^\s+(?:is|was|wordt)\s+(?:als\s+)?|,\s*tevens\s+|\s+en\s+(?=\w))",
                tail,
            ):
                role = lex.role_regex.match(text, person.end + m.end())
                if not role:
                    continue
                if any(0 <= p.start - role.end() <= 3 for p in people):
                    continue  # "... en collega-voorzitter Erica Schaper": her role
                kind = _GOV_ROLES.get(_role_key(ctx, role.group(1)) or "")
                org = _first_org_after(ctx, role.end(), seg.end, kind)
                add(
                    person,
                    role,
                    org,
                    seg,
                    0.85,
                    label_end=org.start if org and org.start - role.end() < 40 else None,
                )
                if m.start() == 0:
                    continue
        # contact cards: a line with only a name, followed by role lines
        if len(people) == 1 and people[0].start == seg.start and people[0].end == seg.end:
            index = ctx.segment_index(seg.start)
            for nxt in ctx.segments[index + 1 : index + 4]:
                role = lex.role_regex.match(text, nxt.start)
                if not role:
                    break
                org = _first_org_after(ctx, role.end(), nxt.end, None)
                if org:
                    add(people[0], role, org, nxt, 0.75, label_end=org.start)
    # "minister van Binnenlandse Zaken, Hugo de Jonge"
    for seg in ctx.segments:
        for m in re.finditer(r"\b(?P<role>[Mm]inister|[Ss]taatssecretaris)\s+van\s+", seg.text):
            orgs = ctx.orgs_between(seg.start + m.end(), seg.end)
            if not orgs:
                continue
            after = re.match(r",?\s+", text[orgs[0].end :])
            people = [
                p for p in ctx.persons_in(seg) if after and p.start == orgs[0].end + after.end()
            ]
            if people:
                role = lex.role_regex.match(text, seg.start + m.start())
                if role:
                    add(people[0], role, orgs[0], seg, 0.85)
    ctx.roles.extend(found)


def _town_org(ctx: Context, town: str, kind: str | None, pos: int) -> OrgSpan | None:
    """ "wethouder Maaike Veeningen (Almere)": the municipality of that town."""
    if kind != "gemeente":
        return None
    gaz = ctx.lexicon.places
    codes = gaz.municipality_names.get(town.casefold()) or (
        (gaz.towns[town.casefold()],) if town.casefold() in gaz.towns else ()
    )
    if not codes:
        return None
    place = gaz.places[codes[0]]
    span = OrgSpan(
        pos,
        pos + len(town),
        town,
        f"gemeente {place.name}",
        "government",
        False,
        "government",
        0.8,
        place_code=place.code,
    )
    return ctx.add_org(span) or next(
        (s for s in ctx.orgs if name_key(s.name) == name_key(span.name)), None
    )
