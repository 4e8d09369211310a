"""Compact extractions: what a build keeps of every document between extraction and
rendering.

A build resolves all documents at once, so it holds every document's extraction until
its named graph is written. Rendering reads the extraction back from its pickled bytes
(the cache entry, :class:`regiograph.render.RenderTask`); resolution, the derived graph
and the build's counts read only names, types and the shape of the facts. A
:class:`Compactor` keeps just that, with equal parts shared across documents (the same
organisation is named the same way in thousands of them): at 100,000 documents the
extractions took about 0.9 GB of the build's memory, their compact forms and pickled
bytes about a third of that.

What a compact extraction drops: the document's text and metadata besides its
identifier and date, character offsets and surface forms of mentions, the surface
forms of places, and every fact's evidence (:data:`NO_EVIDENCE`).
"""

from __future__ import annotations

from .model import (
    DateFact,
    Document,
    Evidence,
    Extraction,
    MembershipFact,
    OrgMention,
    PersonMention,
    PlaceMention,
    RoleFact,
)

#: The evidence of every fact of a compact extraction.
NO_EVIDENCE = Evidence("", 0, 0, "")


class Compactor:
    """Makes compact extractions whose equal parts are one object.

    Examples
    --------
    >>> from regiograph.model import Document, Extraction, OrgMention
    >>> org = OrgMention("gemeente Emmen", "government", 10, 24, "Gemeente Emmen")
    >>> a = Extraction(Document("a.txt", "..."), organisations=(org,))
    >>> moved = OrgMention("gemeente Emmen", "government", 3, 17, "gemeente Emmen")
    >>> b = Extraction(Document("b.txt", "..."), organisations=(moved,))
    >>> compactor = Compactor()
    >>> ca, cb = compactor(a), compactor(b)
    >>> ca.organisations[0] is cb.organisations[0]
    True
    >>> ca.organisations[0].surface, ca.document.text
    ('', '')
    """

    def __init__(self) -> None:
        # one table per kind, keyed by a tuple of the fields kept (tuples hash and compare
        # in C; the dataclasses' own __eq__ made this three times slower)
        self._orgs: dict[tuple, OrgMention] = {}
        self._persons: dict[tuple, PersonMention] = {}
        self._roles: dict[tuple, RoleFact] = {}
        self._memberships: dict[tuple, MembershipFact] = {}
        self._places: dict[str, PlaceMention] = {}
        self._dates: dict[tuple, DateFact] = {}
        self._values: dict = {}

    def __call__(self, ext: Extraction) -> Extraction:
        doc = ext.document
        value = self._values
        return Extraction(
            document=Document(doc.doc_id, "", date=doc.date),
            organisations=tuple(map(self._org, ext.organisations)),
            persons=tuple(map(self._person, ext.persons)),
            roles=tuple(map(self._role, ext.roles)),
            memberships=tuple(map(self._membership, ext.memberships)),
            places=tuple(map(self._place, ext.places)),
            dates=tuple(map(self._date, ext.dates)),
            sectors={
                value.setdefault(k, k): value.setdefault(v, v) for k, v in ext.sectors.items()
            },
        )

    # the model's constructors are called positionally (the fastest way to build a slotted
    # dataclass)

    def _org(self, o: OrgMention) -> OrgMention:
        key = (
            o.name, o.org_type, o.collaboration, o.aliases, o.place_code, o.sectors,
            o.confidence, o.location,
        )  # fmt: skip
        found = self._orgs.get(key)
        if found is None:
            found = self._orgs[key] = OrgMention(key[0], key[1], 0, 0, "", *key[2:])
        return found

    def _person(self, p: PersonMention) -> PersonMention:
        key = (p.name, p.confidence)
        found = self._persons.get(key)
        if found is None:
            found = self._persons[key] = PersonMention(p.name, 0, 0, p.confidence)
        return found

    def _role(self, r: RoleFact) -> RoleFact:
        key = (r.person, r.organisation, r.role, r.label, r.confidence)
        found = self._roles.get(key)
        if found is None:
            found = self._roles[key] = RoleFact(*key[:4], NO_EVIDENCE, r.confidence)
        return found

    def _membership(self, m: MembershipFact) -> MembershipFact:
        key = (m.member, m.collaboration, m.group, m.confidence)
        found = self._memberships.get(key)
        if found is None:
            found = self._memberships[key] = MembershipFact(
                m.member, m.collaboration, NO_EVIDENCE, m.group, m.confidence
            )
        return found

    def _place(self, p: PlaceMention) -> PlaceMention:
        found = self._places.get(p.code)
        if found is None:
            found = self._places[p.code] = PlaceMention(p.code, "", 0, 0)
        return found

    def _date(self, d: DateFact) -> DateFact:
        key = (d.collaboration, d.start, d.end)
        found = self._dates.get(key)
        if found is None:
            found = self._dates[key] = DateFact(*key, NO_EVIDENCE)
        return found
