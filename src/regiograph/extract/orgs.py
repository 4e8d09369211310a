"""Organisation mentions: known organisations, government bodies and named chunks.

Three components, run in this order:

``known_orgs``   names from the gazetteer (``lexicons/organisations.yaml``)
``government``   "gemeente(n) A, B en C", "provincie X", "Gedeputeerde Staten van X",
                 "Ministerie van X", "minister van X", "Regio X"
``head_words``   capitalised chunks whose head word makes them an organisation
                 ("Scheper Ziekenhuis", "Techniekpact Noord", "Regio Deal Zuidoost
                 Friesland"); the remaining chunks are kept as *named things* that later
                 components may promote (lists, "in samenwerking met X", acronyms).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..reference import Gazetteer
from .context import Context, OrgSpan
from .lexicon import Lexicon

CAPWORD = r"(?:[A-ZÀ-ÖØ-Þ](?:[\w'’&+.-]*\w)?)"
CONNECTOR = (
    r"(?:van(?: de| het| der| den)?|voor(?: het| de)?|in(?: de| het)?|aan(?: de| het)?|"
    r"op(?: de| het)?|de|der|den|het|'t|tot|&)"
)
CHUNK = re.compile(rf"{CAPWORD}(?:[ \t]+(?:{CONNECTOR}[ \t]+)?{CAPWORD})*")
_CONNECTOR_WORDS = frozenset(
    ["van", "voor", "in", "aan", "op", "de", "der", "den", "het", "'t", "tot", "&"]
)
_MINISTER_VAN = re.compile(r"[Mm]inister(?:ie)?\s+van\s+$")
_REGIONAL_SUFFIX = re.compile(
    r"\s+(Noord-Nederland|Noord|Oost-Nederland|Oost|Zuid|West|Midden|Nederland|Benelux)\b"
)


# -- helpers -------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _place_regexes(gaz: Gazetteer) -> tuple[re.Pattern[str], re.Pattern[str]]:
    def alternation(names):
        return "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))

    munis = [p.name for p in gaz.places.values() if p.kind == "municipality"]
    munis += [a for p in gaz.places.values() if p.kind == "municipality" for a in p.alt_names]
    provs = [p.name for p in gaz.places.values() if p.kind == "province"]
    provs += [a for p in gaz.places.values() if p.kind == "province" for a in p.alt_names]
    muni = rf"(?<![\w-])(?:{alternation(munis)})(?![\w-])"
    prov = rf"(?<![\w-])(?:{alternation(provs)})(?![\w-])"
    return re.compile(muni), re.compile(prov)


def _list_items(text: str, pos: int, item: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans of a coordinated list of ``item`` starting at ``pos``: "A, B en C"."""
    items: list[tuple[int, int]] = []
    sep = re.compile(r"\s*(?:,\s*(?:en\s+|&\s+)?|\s+en\s+|\s+&\s+)(?:de\s+|het\s+)?")
    while True:
        match = item.match(text, pos)
        if not match:
            break
        items.append((match.start(), match.end()))
        gap = sep.match(text, match.end())
        if not gap or not item.match(text, gap.end()):
            break
        pos = gap.end()
    return items


def _head_of(lex: Lexicon, words: list[str]) -> tuple[int, str | None, bool]:
    """Index of the first head word in ``words``, its type and whether it makes a
    collaboration; ``(-1, None, False)`` when there is none."""
    lowered = [w.lower().strip(".,'’") for w in words]
    joined = " ".join(lowered)
    for multi in ("regio deal", "kamer van koophandel", "medisch centrum", "gedeputeerde staten"):
        if multi in joined:
            index = len(joined[: joined.index(multi)].split())
            kind = lex.heads.get(multi) or "intermediary"
            return index, kind if multi != "regio deal" else "government", multi == "regio deal"
    for i, word in enumerate(lowered):
        if word in _CONNECTOR_WORDS:
            continue
        kind, collab = _word_head(lex, word)
        if kind or collab:
            if kind is None:
                kind = "intermediary"
            return i, kind, collab or any(w in lex.collaboration_heads for w in lowered)
    return -1, None, False


@lru_cache(maxsize=65536)
def _word_head(lex: Lexicon, word: str) -> tuple[str | None, bool]:
    """The type a word gives as a head word, directly or as the end of a compound."""
    collab = word in lex.collaboration_heads
    kind = lex.heads.get(word)
    if kind is None and not collab:
        for head in (*lex.heads, *lex.collaboration_heads, *lex.compound_heads):
            if len(head) >= 4 and word.endswith(head) and len(word) - len(head) >= 3:
                kind = lex.heads.get(head) or lex.compound_heads.get(head)
                return kind, head in lex.collaboration_heads
    return kind, collab


@lru_cache(maxsize=4)
def _multiword(generic: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The generic nouns of more than one word, in the set's order, and each followed by
    " van " (what a chunk that names one starts with)."""
    nouns = tuple(g for g in generic if " " in g)
    return nouns, tuple(g + " van " for g in nouns)


def clean_piece(lex: Lexicon, text: str, start: int) -> tuple[int, str] | None:
    """Strip sentence openers, role words, type nouns, generic heads ("College van Bestuur
    van ...") and connectors from the start of a chunk, and a trailing "in <place>"."""
    words = text.split(" ")
    offset = start
    nouns, openings = _multiword(lex.generic)
    while words:
        low = words[0].lower()
        joined = " ".join(words).lower()
        generic = None
        if joined.startswith(openings):  # which one: the first in the set's order
            generic = next(g for g, o in zip(nouns, openings, strict=True) if joined.startswith(o))
        if generic:  # "College van Bestuur van ..."
            drop = len(generic.split()) + 1
        elif (
            low in lex.stop_words
            or low in _CONNECTOR_WORDS
            or (low in lex.type_nouns and low not in lex.heads and len(words) > 1)
            or lex.role_regex.fullmatch(words[0])
        ):
            drop = 1
        else:
            break
        offset += len(" ".join(words[:drop])) + 1
        words = words[drop:]
    gaz = lex.places
    for i in range(len(words) - 1, 0, -1):
        if words[i - 1].lower() in ("in", "op", "te", "uit", "aan"):
            tail = " ".join(words[i:]).casefold()
            if tail in gaz.municipality_names or tail in gaz.towns or tail in gaz.province_names:
                words = words[: i - 1]
                break
    while words and words[-1].lower() in _CONNECTOR_WORDS:
        words = words[:-1]
    piece = " ".join(words)
    if not piece or piece.lower() in lex.generic or len(piece) < 2:
        return None
    return offset, piece


# -- components ----------------------------------------------------------------------------
def known_orgs(ctx: Context) -> None:
    """Organisations from the gazetteer, extended by a regional suffix ("FNV Noord")."""
    lex, text = ctx.lexicon, ctx.text
    for start, end, surface, org in lex.known_matcher.finditer(text):
        # a portfolio ("Economische Zaken") names a ministry only after minister(ie) van
        portfolio = org.name.startswith("Ministerie") and "inister" not in surface
        before = text[max(0, start - 16) : start]
        if portfolio and not surface.isupper() and not _MINISTER_VAN.search(before):
            continue
        name = org.name
        suffix = _REGIONAL_SUFFIX.match(text, end)
        if suffix and org.org_type in ("intermediary", "civil_society", "business"):
            end = suffix.end()
            name = f"{surface} {suffix.group(1)}"
            surface = text[start:end]
        ctx.add_org(
            OrgSpan(
                start,
                end,
                surface,
                name,
                org.org_type,
                org.collaboration,
                "known",
                0.95,
                location=org.location,
                sectors=set(org.sectors),
            ),
        )


def government(ctx: Context) -> None:
    """Municipalities, provinces, ministries, the state and regional bodies."""
    lex, text = ctx.lexicon, ctx.text
    gaz = lex.places
    muni_re, prov_re = _place_regexes(gaz)

    def add(start, end, name, code, collab=False, rule="government", conf=0.95):
        ctx.add_org(
            OrgSpan(
                start, end, text[start:end], name, "government", collab, rule, conf, place_code=code
            )
        )

    keywords = r"\b(?:[Gg]emeente[ns]?|\w+gemeente[ns]?|\w*gemeentes)\b"
    introductions = (
        keywords + r"[ \t]*[:(]?[ \t]*",  # "de gemeenten A, B en C", "centrumgemeentes (A, B)"
        keywords + r"[^.;:]{0,80}?\bonder (?:wie|andere|meer)\s+",  # "elf gemeenten, onder wie A"
    )
    for pattern in introductions:
        for kw in re.finditer(pattern, text):
            if re.search(
                r"(?:voormalige|vroegere|oude)\s+$", text[max(0, kw.start() - 12) : kw.start()]
            ):
                continue  # "de voormalige gemeente Leeuwarderadeel" no longer exists
            named_first = kw.group(0).strip().lower().startswith(
                "gemeente"
            ) and "onder" not in kw.group(0)
            for i, (a, b) in enumerate(_list_items(text, kw.end(), muni_re)):
                codes = gaz.municipality_names.get(text[a:b].casefold(), ())
                if codes:
                    place = gaz.places[codes[0]]
                    start = kw.start() if i == 0 and named_first else a
                    add(start, b, f"gemeente {place.name}", place.code)
    for kw in re.finditer(
        r"\b(?:[Pp]rovincies?|Provinsje|Gedeputeerde Staten van|GS van)[ \t]+", text
    ):
        for i, (a, b) in enumerate(_list_items(text, kw.end(), prov_re)):
            code = gaz.province_names.get(text[a:b].casefold())
            if code:
                add(kw.start() if i == 0 else a, b, f"provincie {gaz.places[code].name}", code)
    minister = re.compile(
        r"\b(?P<kw>[Mm]inisterie|[Mm]inister|[Ss]taatssecretaris)\s+van\s+"
        r"(?P<p>[A-Z][\w-]*(?:(?:\s+|\s+en\s+|,\s+(?=[A-Z][\w-]*\s+en\s))[A-Z][\w-]*){0,5})"
    )
    for match in minister.finditer(text):
        portfolio = match.group("p")
        name = f"Ministerie van {portfolio}"
        known = lex.known_folded.get(name.lower())
        if known is not None:
            name = known.name
        if match.group("kw").lower() == "ministerie":
            start, end = match.start(), match.end()
        else:
            start, end = match.start("p"), match.end("p")
        add(start, end, name, None, rule="ministry")
    for match in re.finditer(
        r"\bRegio[ \t]+(?!Deal\b)(?!(?:Noord|Oost|Zuid|West|Midden)\b(?![ \t-][A-Z]))"
        r"(?P<n>[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)*)",
        text,
    ):
        add(
            match.start(),
            match.end(),
            f"Regio {match.group('n')}",
            None,
            collab=True,
            rule="regio",
            conf=0.85,
        )


def head_words(ctx: Context) -> None:
    """Capitalised chunks that are organisations by their head word; keep the rest."""
    lex, text = ctx.lexicon, ctx.text
    for index, seg in enumerate(ctx.segments):
        for match in CHUNK.finditer(text, seg.start, seg.end):
            for start, piece in _free_pieces(ctx, match.start(), match.group(0)):
                cleaned = clean_piece(lex, piece, start)
                if cleaned is None:
                    continue
                start, piece = cleaned
                org = _classify_chunk(lex, piece, start)
                if org is not None:
                    ctx.add_org(org)
                else:
                    ctx.named.setdefault(index, []).append((start, start + len(piece), piece))


def merge_adjacent(ctx: Context) -> None:
    """Join organisation spans that stand side by side in one name: "Landelijke Regiegroep"
    + "Techniekpact", "IBM" + "Services Center Benelux", "VNO-NCW" + "MKB Noord"."""
    text = ctx.text
    spans = sorted(ctx.orgs, key=lambda s: s.start)
    i = 0
    while i < len(spans) - 1:
        left, right = spans[i], spans[i + 1]
        joinable = (
            text[left.end : right.start] == " "
            and left.rule in ("known", "head")
            and right.rule in ("known", "head")
            and not right.name.startswith(("gemeente ", "provincie "))
        )
        if not joinable:
            i += 1
            continue
        owner = left if left.rule == "known" or right.rule != "head" else right
        surface = text[left.start : right.end]
        merged = OrgSpan(
            left.start,
            right.end,
            surface,
            surface,
            owner.org_type,
            left.collaboration or right.collaboration,
            "head",
            min(left.confidence, right.confidence),
            sectors=set(owner.sectors),
        )
        ctx.orgs.remove(left)
        ctx.orgs.remove(right)
        ctx.orgs.append(merged)
        spans[i : i + 2] = [merged]


def _free_pieces(ctx: Context, start: int, chunk: str) -> list[tuple[int, str]]:
    """Parts of a chunk that no organisation or person span covers yet."""
    end = start + len(chunk)
    taken = sorted(
        (s.start, s.end) for s in [*ctx.orgs, *ctx.persons] if s.start < end and start < s.end
    )
    pieces, pos = [], start
    for a, b in taken:
        if a > pos:
            pieces.append((pos, ctx.text[pos:a]))
        pos = max(pos, b)
    if pos < end:
        pieces.append((pos, ctx.text[pos:end]))
    out = []
    for s, piece in pieces:
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if piece:
            out.append((s + lead, piece))
    return out


def _classify_chunk(lex: Lexicon, piece: str, start: int) -> OrgSpan | None:
    words = piece.split(" ")
    index, kind, collab = _head_of(lex, words)
    if index < 0:
        return None
    # "Kennisagenda van de Universiteit van het Noorden", "Bernoulliborg op de Zernike
    # Campus": the organisation is the tail after the last connector before the head
    before = [w.lower() for w in words[:index]]
    if any(w in _CONNECTOR_WORDS for w in before):
        cut = max(i for i, w in enumerate(before) if w in _CONNECTOR_WORDS) + 1
        while cut < len(words) and words[cut].lower() in _CONNECTOR_WORDS:
            cut += 1
        offset = len(" ".join(words[:cut])) + 1
        return _classify_chunk(lex, " ".join(words[cut:]), start + offset)
    if len(words) == 1 and words[0].lower().strip(".") in (*lex.heads, *lex.collaboration_heads):
        return None  # a bare head word ("Universiteit") is not a name
    if len(words) == 1 and words[0].isupper() and len(words[0]) <= 4:
        return None
    confidence = 0.8 if len(words) > 1 else 0.7
    return OrgSpan(
        start, start + len(piece), piece, piece, kind or "intermediary", collab, "head", confidence
    )
