"""Small typed structures passed between the pipeline stages.

ingest -> :class:`Document`
extract -> :class:`Extraction` (mentions and facts, with :class:`Evidence`)
resolve -> :class:`ResolvedDocument` (mentions mapped to stable entity keys)
rdf     -> an ``rdflib.Graph`` per document (see :mod:`regiograph.rdf`)

All of them are frozen dataclasses so a stage cannot change its input by accident, with
``__slots__`` (a third less memory per extraction) and :func:`_pickled_as_tuple` (every
extraction is pickled by the worker that made it and unpickled by the build and by the
next incremental build).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields
from datetime import date

#: The seven organisation types of the graph contract (``skos:notation`` values).
ORG_TYPES: tuple[str, ...] = (
    "government",
    "education",
    "research",
    "business",
    "healthcare",
    "civil_society",
    "intermediary",
)


def _pickled_as_tuple(cls):
    """Pickle instances of the dataclass ``cls`` as ``cls(*values)``.

    A slotted dataclass pickles through ``dataclasses._dataclass_getstate`` and
    ``_dataclass_setstate``, which call ``fields()`` for every object: that doubled the
    time to unpickle an extraction (about 1 s per 10,000 documents against 0.5 s).
    """
    values = operator.attrgetter(*(f.name for f in fields(cls)))

    def __reduce__(self):
        return cls, values(self)

    cls.__reduce__ = __reduce__
    return cls


@_pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Document:
    """One source document after ingestion: plain text plus metadata."""

    doc_id: str  # the file name, the contract's dcterms:identifier
    text: str
    title: str | None = None
    url: str | None = None
    date: date | None = None
    author: str | None = None
    media_type: str = "text/plain"
    sha256: str = ""
    path: str | None = None


@_pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Segment:
    """A line-level unit of text: a headline, dateline, list item, byline or sentence."""

    start: int
    end: int
    text: str
    kind: str = "sentence"  # headline | dateline | list_item | byline | sentence
    paragraph: int = 0  # index of the block of lines (separated by blank lines) it is in


@_pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Evidence:
    """The sentence a fact was read from, with character offsets into the document text."""

    doc_id: str
    start: int
    end: int
    text: str


@_pickled_as_tuple
@dataclass(frozen=True, slots=True)
class OrgMention:
    """An organisation named in a document.

    ``name`` is the canonical form the extractor chose (``"gemeente Emmen"``);
    ``surface`` is the text as written; ``aliases`` other surface forms in this document
    (acronyms, short forms) that refer to the same organisation.
    """

    name: str
    org_type: str
    start: int
    end: int
    surface: str
    collaboration: bool = False
    aliases: tuple[str, ...] = ()
    place_code: str | None = None  # CBS code a government body governs (gemeente/provincie)
    sectors: tuple[str, ...] = ()
    confidence: float = 0.8
    location: str | None = None  # CBS code of the municipality it is based in


@_pickled_as_tuple
@dataclass(frozen=True, slots=True)
class PersonMention:
    name: str
    start: int
    end: int
    confidence: float = 0.8


@_pickled_as_tuple
@dataclass(frozen=True, slots=True)
class RoleFact:
    """A person holds a role in an organisation (``org:Membership`` with ``org:role``)."""

    person: str  # PersonMention.name
    organisation: str  # OrgMention.name
    role: str  # role concept key, e.g. "wethouder"
    label: str  # literal role label as written, e.g. "wethouder Economische Zaken"
    evidence: Evidence
    confidence: float = 0.7


@_pickled_as_tuple
@dataclass(frozen=True, slots=True)
class MembershipFact:
    """An organisation is a member of a collaboration.

    ``collaboration`` is the OrgMention.name of a named collaboration, or ``None`` for an
    unnamed partnership; members of one unnamed partnership share ``group``.
    """

    member: str
    collaboration: str | None
    evidence: Evidence
    group: str = ""
    confidence: float = 0.7


@_pickled_as_tuple
@dataclass(frozen=True, slots=True)
class PlaceMention:
    code: str  # CBS code
    surface: str
    start: int
    end: int


@_pickled_as_tuple
@dataclass(frozen=True, slots=True)
class DateFact:
    """A start or end date of a named collaboration."""

    collaboration: str
    start: date | None
    end: date | None
    evidence: Evidence


@_pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything the extractor read from one document."""

    document: Document
    organisations: tuple[OrgMention, ...] = ()
    persons: tuple[PersonMention, ...] = ()
    roles: tuple[RoleFact, ...] = ()
    memberships: tuple[MembershipFact, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    dates: tuple[DateFact, ...] = ()
    sectors: dict[str, tuple[str, ...]] = field(default_factory=dict)


@_pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Entity:
    """A resolved organisation: one per real organisation across all documents."""

    key: str  # slug, used in the IRI
    name: str  # canonical label
    org_type: str
    collaboration: bool = False
    aliases: frozenset[str] = frozenset()
    place_code: str | None = None
    location: str | None = None
    sectors: frozenset[str] = frozenset()
    confidence: float = 0.8


@_pickled_as_tuple
@dataclass(frozen=True, slots=True)
class ResolvedDocument:
    """An extraction whose organisation and person names are mapped to entity keys."""

    extraction: Extraction
    org_keys: dict[str, str]  # OrgMention.name -> Entity.key
    person_keys: dict[str, str]  # PersonMention.name -> person key
    entities: dict[str, Entity]  # key -> Entity, for the keys this document uses
