"""The working state one document passes through the extraction components.

Components (see :mod:`regiograph.extract`) read and add to a :class:`Context`; at the end
:meth:`Context.to_extraction` freezes it into a :class:`~regiograph.model.Extraction`.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import (
    DateFact,
    Document,
    Evidence,
    Extraction,
    MembershipFact,
    OrgMention,
    PersonMention,
    PlaceMention,
    RoleFact,
    Segment,
)
from .lexicon import Lexicon

#: the text between two items of a coordinated list: "A, B en C", "A (ACR), de B",
#: "A, 24 Friese gemeenten, B"
LIST_GAP = re.compile(
    r"^\s*(?:\([^()]{1,12}\)\s*)?(?:,|,?\s+en|,?\s+&|\s+of)\s+(?:(?:de|het)\s+)?$"
    r"|^\s*,\s*[^,.;:()]{1,40},\s*(?:en\s+)?(?:(?:de|het)\s+)?$"
)
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")


_PUNCTUATION = re.compile(r"[\"'‘’“”()\[\].,;:!?]")
_SPACES = re.compile(r"\s+")
_ARTICLE = re.compile(r"^(?:de|het|the|een) ")


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Comparison key of a name: case, dashes, punctuation and a leading article folded.

    >>> name_key("De Alliantie van Drachten") == name_key("alliantie van drachten")
    True
    """
    text = unicodedata.normalize("NFKC", name).translate(_DASHES).casefold()
    text = _PUNCTUATION.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    return _ARTICLE.sub("", text)


@dataclass
class OrgSpan:
    """One occurrence of an organisation in the text."""

    start: int
    end: int
    surface: str
    name: str
    org_type: str
    collaboration: bool = False
    rule: str = ""
    confidence: float = 0.7
    place_code: str | None = None  # area a government body serves
    location: str | None = None  # municipality it is based in
    sectors: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)


@dataclass
class PersonSpan:
    start: int
    end: int
    name: str
    confidence: float = 0.8


@dataclass
class Context:
    document: Document
    lexicon: Lexicon
    segments: list[Segment] = field(default_factory=list)
    orgs: list[OrgSpan] = field(default_factory=list)
    persons: list[PersonSpan] = field(default_factory=list)
    roles: list[RoleFact] = field(default_factory=list)
    memberships: list[MembershipFact] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    dates: list[DateFact] = field(default_factory=list)
    sectors: dict[str, set[str]] = field(default_factory=dict)
    #: named things that are not (yet) organisations, per segment index: (start, end, text)
    named: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)
    #: role attachments: (start, end) of org spans used as the organisation of a role
    role_orgs: set[tuple[int, int]] = field(default_factory=set)
    _starts: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.document.text

    # -- segments ---------------------------------------------------------------------
    def index_segments(self) -> None:
        self._starts = [s.start for s in self.segments]

    def segment_index(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self._starts, pos) - 1)

    def evidence(self, segment: Segment) -> Evidence:
        return Evidence(self.document.doc_id, segment.start, segment.end, segment.text)

    # -- organisations ----------------------------------------------------------------
    def overlaps(self, start: int, end: int, *, persons: bool = True) -> bool:
        if any(s.start < end and start < s.end for s in self.orgs):
            return True
        return persons and any(p.start < end and start < p.end for p in self.persons)

    def add_org(self, span: OrgSpan, *, replace_shorter: bool = True) -> OrgSpan | None:
        """Add an organisation span unless a longer one already covers it."""
        if not span.name.strip():
            return None
        clashes = [s for s in self.orgs if s.start < span.end and span.start < s.end]
        for other in clashes:
            if other.end - other.start >= span.end - span.start or not replace_shorter:
                return None
        for other in clashes:
            self.orgs.remove(other)
        self.orgs.append(span)
        return span

    def orgs_between(self, start: int, end: int) -> list[OrgSpan]:
        return sorted(
            (s for s in self.orgs if start <= s.start and s.end <= end), key=lambda s: s.start
        )

    def orgs_in(self, segment: Segment) -> list[OrgSpan]:
        return self.orgs_between(segment.start, segment.end)

    def persons_in(self, segment: Segment) -> list[PersonSpan]:
        return sorted(
            (p for p in self.persons if segment.start <= p.start and p.end <= segment.end),
            key=lambda p: p.start,
        )

    def canonical(self) -> dict[str, OrgSpan]:
        """The first span of every distinct organisation name, by :func:`name_key`."""
        out: dict[str, OrgSpan] = {}
        for span in sorted(self.orgs, key=lambda s: s.start):
            out.setdefault(name_key(span.name), span)
        return out

    def focal_org(self) -> OrgSpan | None:
        """The organisation the document is most about (most occurrences, then first)."""
        counts: dict[str, int] = {}
        first: dict[str, OrgSpan] = {}
        for span in sorted(self.orgs, key=lambda s: s.start):
            key = name_key(span.name)
            counts[key] = counts.get(key, 0) + 1
            first.setdefault(key, span)
        if not counts:
            return None
        best = max(counts, key=lambda k: (counts[k], -first[k].start))
        return first[best]

    # -- result -----------------------------------------------------------------------
    def to_extraction(self) -> Extraction:
        grouped: dict[str, list[OrgSpan]] = {}
        for span in sorted(self.orgs, key=lambda s: s.start):
            grouped.setdefault(name_key(span.name), []).append(span)
        members = {name_key(m.collaboration) for m in self.memberships if m.collaboration}
        orgs = []
        for key, spans in grouped.items():
            first = spans[0]
            aliases = {a for s in spans for a in (s.surface, *s.aliases)}
            aliases = {a for a in aliases if a.strip() and name_key(a) != key}
            collab = any(s.collaboration for s in spans) or key in members
            types = [s.org_type for s in spans if s.org_type]
            orgs.append(
                OrgMention(
                    name=first.name,
                    org_type=max(set(types), key=types.count) if types else "business",
                    start=first.start,
                    end=first.end,
                    surface=first.surface,
                    collaboration=collab,
                    aliases=tuple(sorted(aliases)),
                    place_code=next((s.place_code for s in spans if s.place_code), None),
                    sectors=tuple(sorted({x for s in spans for x in s.sectors})),
                    confidence=max(s.confidence for s in spans),
                    location=next((s.location for s in spans if s.location), None),
                )
            )
        persons: dict[str, PersonSpan] = {}
        for p in sorted(self.persons, key=lambda p: p.start):
            persons.setdefault(p.name, p)
        places: dict[str, PlaceMention] = {}
        for place in sorted(self.places, key=lambda p: p.start):
            places.setdefault(place.code, place)
        return Extraction(
            document=self.document,
            organisations=tuple(orgs),
            persons=tuple(
                PersonMention(p.name, p.start, p.end, p.confidence) for p in persons.values()
            ),
            roles=tuple(dict.fromkeys(self.roles)),
            memberships=tuple(dict.fromkeys(self.memberships)),
            places=tuple(places.values()),
            dates=tuple(self.dates),
            sectors={k: tuple(sorted(v)) for k, v in sorted(self.sectors.items())},
        )
