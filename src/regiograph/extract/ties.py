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
from .context import Context, OrgSpan, name_key

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
_LIST_GAP = re.compile(
    r"^\s*(?:,|,?\s+en|,?\s+&)\s+(?:(?:de|het)\s+)?$"
    r"|^\s*,\s*[^,.;:()]{1,40},\s*(?:en\s+)?(?:(?:de|het)\s+)?$"
)


def _distinct(spans: list[OrgSpan]) -> list[OrgSpan]:
    seen: dict[str, OrgSpan] = {}
    for span in spans:
        seen.setdefault(name_key(span.name), span)
    return list(seen.values())


def _list_groups(ctx: Context, spans: list[OrgSpan]) -> list[list[OrgSpan]]:
    groups: list[list[OrgSpan]] = []
    for span in spans:
        if groups and _LIST_GAP.match(ctx.text[groups[-1][-1].end : span.start]):
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


def memberships(ctx: Context) -> None:
    lex, text = ctx.lexicon, ctx.text
    unnamed: list[tuple[frozenset[str], Segment]] = []
    named_members: dict[str, set[str]] = {}
    for index, seg in enumerate(ctx.segments):
        spans = [s for s in ctx.orgs_in(seg) if s.rule != "implied"]
        if not spans:
            continue
        cue = any(c.search(seg.text) for c in lex.cues)
        groups = _list_groups(ctx, spans)
        in_list = {id(s) for g in groups if len(g) >= 2 for s in g}
        big_subject = next(
            (g for g in groups if len(_distinct(g)) >= 3 and g[0].start - seg.start <= 12), None
        )
        if not cue and big_subject is None:
            continue
        collabs = _distinct([s for s in spans if s.collaboration and id(s) not in in_list])
        collab = collabs[0] if len(collabs) == 1 else None
        agreements = [c for c in collabs if _AGREEMENT.search(c.name)]
        if len(collabs) > 1 and len(agreements) == 1:  # "Regio X tekent Regio Deal Y"
            collab = agreements[0]
        elif len(collabs) > 1:  # prefer the one introduced as a setting: "in de X", "aan X"
            collab = next(
                (
                    c
                    for c in collabs
                    if re.search(
                        r"(?:\bin|\baan|\bbinnen|\bmet|\bvoor)\s+(?:de\s+|het\s+|een\s+samenwerking\s+in\s+"
                        r"(?:de\s+|het\s+)?)?$",
                        text[max(seg.start, c.start - 40) : c.start],
                    )
                ),
                collabs[0],
            )
        if collab is None and big_subject is not None and index > 0:
            # "... de Universiteit van het Noorden. De RUG, NHL Stenden, ... en het UMCG willen"
            previous = [s for s in ctx.orgs_in(ctx.segments[index - 1]) if s.collaboration]
            if len(_distinct(previous)) == 1 and ctx.segments[index - 1].paragraph == seg.paragraph:
                collab = previous[0]
        if collab is None:
            anaphor = _ANAPHOR.search(seg.text)
            if anaphor and not _OWN.search(seg.text):
                collab = _antecedent(ctx, index, anaphor.group("noun"))
        members = []
        for span in spans:
            if collab is not None and name_key(span.name) == name_key(collab.name):
                continue
            if (span.start, span.end) in ctx.role_orgs and id(span) not in in_list:
                continue
            if (
                _NOT_MEMBER.search(text[max(seg.start, span.start - 30) : span.start])
                and id(span) not in in_list
            ):
                continue
            if _FUNDS.match(text, span.end):  # "De provincie ondersteunt ..." funds, not joins
                continue
            members.append(span)
        members = _distinct(members)
        if (
            collab is None
            and len(members) == 1
            and _WITH.search(text[max(seg.start, members[0].start - 40) : members[0].start])
        ):
            # "... in samenwerking met X": X joins the partnership the text is about
            if unnamed:
                partners = [s for s in ctx.orgs if name_key(s.name) in unnamed[-1][0]]
                members += _distinct(partners)
            else:
                focal = ctx.focal_org()
                if focal is not None and name_key(focal.name) != name_key(members[0].name):
                    members.append(focal)
        if collab is not None and members:
            collab.collaboration = True
            for member in members:
                ctx.memberships.append(
                    MembershipFact(member.name, collab.name, ctx.evidence(seg), confidence=0.8)
                )
                named_members.setdefault(name_key(collab.name), set()).add(name_key(member.name))
        elif collab is None and len(members) >= 2:
            unnamed.append((frozenset(name_key(m.name) for m in members), seg))
            ctx.sectors.setdefault("", set())
            for member in members:
                ctx.memberships.append(
                    MembershipFact(
                        member.name, None, ctx.evidence(seg), group=f"s{index}", confidence=0.7
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
    ctx.sectors.pop("", None)
    ctx.memberships = [
        m for m in ctx.memberships if m.collaboration is not None or m.group not in drop
    ]
