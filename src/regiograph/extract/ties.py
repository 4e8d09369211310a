"""Collaborations and their members.

A sentence makes organisations partners only when it says so: a cue ("werken samen",
"slaan de handen ineen", "ondertekenden", "deelnemers aan", "doen mee met",
"in samenwerking met", ...) or a coordinated list of three or more organisations as its
subject. Mere co-mention in one sentence is not a tie.

The members join the collaboration the sentence names; failing that, the one an
anaphor points to ("deze Regio Deal", "Het project", "Dit project"); failing that they
form an unnamed partnership.
"""

from __future__ import annotations

import re

from ..model import MembershipFact, Segment
from .context import LIST_GAP, Context, OrgSpan, name_key
from .lexicon import has_cue

_ANAPHOR = re.compile(
    r"\b(?:[Dd]eze|[Dd]ie|[Dd]it|[Hh]et|[Dd]e|[Oo]nze)\s+(?P<noun>regio deal|regiodeal|"
    r"samenwerking|project|initiatief|akkoord|convenant|alliantie|pact|programma|netwerk|"
    r"platform|overeenkomst|deal|board)\b"
)
_AGREEMENT = re.compile(r"(?i)deal|akkoord|convenant|pact\b|alliantie|overeenkomst|agenda")
_OWN = re.compile(r"\b(?:hun|onze)\s+samenwerking\b", re.IGNORECASE)
_WITH = re.compile(
    r"\b(?:in (?:nauwe )?samenwerking met|samen met)\s+(?:de\s+|het\s+)?$", re.IGNORECASE
)
_NOT_MEMBER = re.compile(
    r"(?:in opdracht van|ondersteun\w*|subsidie\w*|namens de regering|financier\w*|\bvoor|"
    r"\b(?:zoals|als)|"
    r"(?:op|in) het terrein van|in de|op het)\s+(?:de\s+|het\s+)?$",
    re.IGNORECASE,
)
_FUNDS = re.compile(
    r"\s+(?:ondersteun|subsidie|financier|betaal|investeer|sponsor)\w*", re.IGNORECASE
)


def _distinct(spans: list[OrgSpan]) -> list[OrgSpan]:
    seen: dict[str, OrgSpan] = {}
    for span in spans:
        seen.setdefault(name_key(span.name), span)
    return list(seen.values())


def _list_groups(ctx: Context, spans: list[OrgSpan]) -> list[list[OrgSpan]]:
    groups: list[list[OrgSpan]] = []
    for span in spans:
        if groups and LIST_GAP.match(ctx.text[groups[-1][-1].end : span.start]):
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups


def _antecedent(ctx: Context, index: int, noun: str) -> OrgSpan | None:
    """The collaboration an anaphor ("deze Regio Deal", "Het project") refers to."""
    noun = noun.lower().replace("regiodeal", "regio deal")
    for back in range(index, max(-1, index - 4), -1):
        seg = ctx.segments[back]
        orgs = ctx.orgs_in(seg) if back < index else []
        if noun in ("project", "initiatief", "programma", "samenwerking"):
            if back == index:
                continue
            collabs = [s for s in orgs if s.collaboration]
            if collabs:
                return collabs[-1]
            if noun != "samenwerking":
                named = [s for s in orgs if s.rule in ("head", "acronym", "quoted")]
                if named:
                    return named[-1]
                things = [
                    n
                    for n in ctx.named.get(back, [])
                    if len(n[2].split()) >= 2 and not ctx.overlaps(n[0], n[1])
                ]
                if things:
                    a, b, t = things[-1]
                    return ctx.add_org(OrgSpan(a, b, t, t, "intermediary", True, "anaphor", 0.6))
            continue
        for span in reversed(orgs):
            if span.collaboration and noun in span.name.lower():
                return span
    for span in ctx.canonical().values():  # fall back to the document's own
        if span.collaboration and noun in span.name.lower():
            return span
    return None


_JOIN = re.compile(
    r"\bpartners?\b[^.;]{0,40}\b(?:zijn|is)\b|\bdeelnemers?\b|\bleden\b|\b(?:onder)?getekend door\b"
    r"|\bondertekend door\b|\bondergetekenden\b|\bdoe[nt]\b[^.;]{0,200}\bmee\b|\bsluit\w*\b"
    r"[^.;]{0,40}\baan\b|\baangesloten\b|^Ook\b|\bnamens\b",
    re.IGNORECASE,
)
_FOUNDING = re.compile(
    r"\b(?:onder)?teken(?:en|den|de|t)\b|\b(?:onder)?getekend\b|\bopgericht\b|\bopenen\b|"
    r"\bopenden\b|\bstarten\b|\bstartten\b|\blanceren\b|\bgesloten\b|\bvormen\b|\bbundelen\b",
    re.IGNORECASE,
)
_THERE = re.compile(r"\b(?:daarvoor|hiervoor|daarin|hierin|daarbinnen|daarbij)\b", re.IGNORECASE)
_SETTING = re.compile(
    r"(?:\bin|\baan|\bbinnen|\bmet|\bvoor)\s+(?:de\s+|het\s+|een\s+samenwerking\s+in\s+"
    r"(?:de\s+|het\s+)?)?$"
)


def _recent_collab(ctx: Context, index: int, back: int = 4) -> OrgSpan | None:
    """The collaboration named most recently before segment ``index`` (or the document's
    only one)."""
    for i in range(index - 1, max(-1, index - back - 1), -1):
        collabs = [s for s in ctx.orgs_in(ctx.segments[i]) if s.collaboration]
        if collabs:
            return collabs[-1]
    before = ctx.segments[index].start
    named = {name_key(s.name): s for s in ctx.orgs if s.collaboration and s.start < before}
    return next(iter(named.values())) if len(named) == 1 else None


def _list_items_after(ctx: Context, index: int) -> list[int]:
    """Indexes of the list items that follow a lead-in segment ("Partners zijn:")."""
    items = []
    for i in range(index + 1, len(ctx.segments)):
        if ctx.segments[i].kind != "list_item" and not re.match(r"\d+\.", ctx.segments[i].text):
            break
        items.append(i)
    return items


def _promote_item_names(ctx: Context, item: int) -> None:
    """A list item under a partner lead-in that names no known organisation names one."""
    seg = ctx.segments[item]
    if ctx.orgs_in(seg):
        return
    named = [n for n in ctx.named.get(item, []) if not ctx.overlaps(n[0], n[1])]
    if named:
        a, b, t = named[0]
        if t.split()[0] not in ctx.lexicon.first_names:
            ctx.add_org(OrgSpan(a, b, t, t, "business", False, "list-item", 0.65))


def _choose_collab(
    ctx: Context,
    index: int,
    seg: Segment,
    spans: list[OrgSpan],
    in_list: set[int],
    big_subject: bool,
) -> OrgSpan | None:
    text = ctx.text
    collabs = _distinct([s for s in spans if s.collaboration and id(s) not in in_list])
    if len(collabs) == 1:
        return collabs[0]
    if collabs:
        agreements = [c for c in collabs if _AGREEMENT.search(c.name)]
        if len(agreements) == 1:  # "Regio X tekent Regio Deal Y"
            return agreements[0]
        return next(
            (c for c in collabs if _SETTING.search(text[max(seg.start, c.start - 40) : c.start])),
            collabs[0],
        )
    if big_subject and index > 0 and ctx.segments[index - 1].paragraph == seg.paragraph:
        # "... de Universiteit van het Noorden. De RUG, NHL Stenden, ... en het UMCG willen"
        previous = _distinct([s for s in ctx.orgs_in(ctx.segments[index - 1]) if s.collaboration])
        if len(previous) == 1:
            return previous[0]
    anaphor = _ANAPHOR.search(seg.text)
    if anaphor and not _OWN.search(seg.text):
        found = _antecedent(ctx, index, anaphor.group("noun"))
        if found is not None:
            return found
    if _THERE.search(seg.text) and index > 0:  # "gaan daarvoor samenwerken"
        found = _antecedent(ctx, index, "project")
        if found is not None:
            return found
    if _FOUNDING.search(seg.text):  # "A en B hebben het Actieplan X ondertekend"
        first = min(s.start for s in spans)
        for a, b, t in ctx.named.get(index, []):
            if (
                a > first
                and len(t.split()) >= 2
                and not ctx.overlaps(a, b)
                and re.search(r"\b(?:de|het|een)\s+$", text[max(seg.start, a - 8) : a])
            ):
                return ctx.add_org(OrgSpan(a, b, t, t, "intermediary", True, "founded", 0.65))
        loose = [
            s
            for s in spans
            if id(s) not in in_list
            and s.start > first
            and re.search(r"\b(?:de|het)\s+$", text[max(seg.start, s.start - 6) : s.start])
        ]
        if len(_distinct(loose)) == 1 and loose[0].rule in ("head", "acronym", "known"):
            return loose[0]
    if _JOIN.search(seg.text):
        return _recent_collab(ctx, index)
    return None


def _members(
    ctx: Context, seg: Segment, spans: list[OrgSpan], collab: OrgSpan | None, in_list: set[int]
) -> list[OrgSpan]:
    text = ctx.text
    members = []
    for span in spans:
        if collab is not None and name_key(span.name) == name_key(collab.name):
            continue
        listed = id(span) in in_list
        if (span.start, span.end) in ctx.role_orgs and not listed:
            continue
        if _NOT_MEMBER.search(text[max(seg.start, span.start - 30) : span.start]) and not listed:
            continue
        if _FUNDS.match(text, span.end):  # "De provincie ondersteunt ..." funds, not joins
            continue
        members.append(span)
    return _distinct(members)


_NEGATED = re.compile(
    r"\b(?:niet|geen)\s+(?:\w+\s+){0,2}(?:getekend|ondertekend|mee|partner|lid|deel|aangesloten)\b"
    r"|\b(?:tekent|tekenen|doet|doen|werkt|werken|sluit|sluiten)\s+(?:\w+\s+){0,3}niet\b",
    re.IGNORECASE,
)


def _evidence_of(ctx: Context, span: OrgSpan, lead: Segment) -> Segment:
    """The sentence that names a member: the list item under a lead-in, or the lead-in."""
    return ctx.segments[ctx.segment_index(span.start)] if span.start >= lead.end else lead


def _cue(lex, seg: Segment) -> bool:
    """Whether the sentence ``seg`` has a partnership cue that is not negated."""
    return has_cue(lex.cue, seg.text) and not _NEGATED.search(seg.text)


def memberships(ctx: Context) -> None:
    lex, text = ctx.lexicon, ctx.text
    unnamed: list[tuple[frozenset[str], Segment]] = []
    named_members: dict[str, set[str]] = {}
    done_items: set[int] = set()
    for index, seg in enumerate(ctx.segments):
        if index in done_items:
            continue
        cue = None  # asked when needed: the cue expression is costly
        if seg.text.rstrip().endswith(":"):
            cue = _cue(lex, seg)
        items = _list_items_after(ctx, index) if cue else []
        for item in items:
            _promote_item_names(ctx, item)
        spans = [s for s in ctx.orgs_in(seg) if s.rule != "implied"]
        item_spans = [s for i in items for s in ctx.orgs_in(ctx.segments[i]) if s.rule != "implied"]
        if not spans and not item_spans:
            continue
        groups = _list_groups(ctx, spans)
        in_list = {id(s) for g in groups if len(g) >= 2 for s in g} | {id(s) for s in item_spans}
        big_subject = any(len(_distinct(g)) >= 3 and g[0].start - seg.start <= 12 for g in groups)
        if not big_subject and not (_cue(lex, seg) if cue is None else cue):
            continue
        done_items.update(items)
        collab = _choose_collab(ctx, index, seg, spans or item_spans, in_list, big_subject)
        members = _members(ctx, seg, spans + item_spans, collab, in_list)
        if (
            collab is None
            and len(members) == 1
            and _WITH.search(text[max(seg.start, members[0].start - 40) : members[0].start])
        ):
            # "... in samenwerking met X": X joins the partnership the text is about
            if unnamed:
                members += _distinct([s for s in ctx.orgs if name_key(s.name) in unnamed[-1][0]])
            else:
                focal = ctx.focal_org()
                if focal is not None and name_key(focal.name) != name_key(members[0].name):
                    members.append(focal)
        if collab is not None and members:
            collab.collaboration = True
            for member in members:
                ctx.memberships.append(
                    MembershipFact(
                        member.name,
                        collab.name,
                        ctx.evidence(_evidence_of(ctx, member, seg)),
                        confidence=0.8,
                    )
                )
                named_members.setdefault(name_key(collab.name), set()).add(name_key(member.name))
        elif collab is None and len(members) >= 2:
            unnamed.append((frozenset(name_key(m.name) for m in members), seg))
            for member in members:
                ctx.memberships.append(
                    MembershipFact(
                        member.name,
                        None,
                        ctx.evidence(_evidence_of(ctx, member, seg)),
                        group=f"s{index}",
                        confidence=0.7,
                    )
                )
    _drop_redundant(ctx, named_members)


def _drop_redundant(ctx: Context, named_members: dict[str, set[str]]) -> None:
    """An unnamed group whose members all belong to one named collaboration of the
    document adds nothing; unnamed groups with the same members are one partnership."""
    groups: dict[str, set[str]] = {}
    for fact in ctx.memberships:
        if fact.collaboration is None:
            groups.setdefault(fact.group, set()).add(name_key(fact.member))
    drop: set[str] = set()
    canonical_group: dict[frozenset[str], str] = {}
    for group, members in groups.items():
        if any(members <= named for named in named_members.values()):
            drop.add(group)
            continue
        key = frozenset(members)
        if key in canonical_group:
            drop.add(group)
        else:
            canonical_group[key] = group
    ctx.memberships = [
        m for m in ctx.memberships if m.collaboration is not None or m.group not in drop
    ]
