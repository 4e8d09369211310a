"""The one place where regiograph names RDF terms.

Every other module refers to vocabulary terms through the namespaces and helper
functions defined here, never through string IRIs of its own. Standard vocabularies
(ORG, SKOS, FOAF, schema.org, PROV-O, DCTERMS) are reused wherever they fit; the few
terms of regiograph's own live in ``RG`` and are declared in ``ontology/regiograph.ttl``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Final

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

__all__ = [
    "BASE",
    "DCTERMS",
    "DERIVED_GRAPH",
    "FOAF",
    "GRAPH",
    "ORG",
    "ORGTYPE",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "RG",
    "ROLE",
    "SCHEMA",
    "SECTOR",
    "SH",
    "SKOS",
    "XSD",
    "doc_graph",
    "doc_iri",
    "evidence_iri",
    "membership_iri",
    "org_iri",
    "person_iri",
    "place_iri",
    "slugify",
]

BASE: Final = "https://w3id.org/regiograph/"

#: regiograph's own ontology terms (``rg:``).
RG: Final = Namespace(BASE + "ontology#")
#: schema.org, in the ``http://`` form the graph contract uses.
SCHEMA: Final = Namespace("http://schema.org/")

#: SKOS concept schemes shipped in ``ontology/``.
ORGTYPE: Final = Namespace(BASE + "concept/orgtype/")
SECTOR: Final = Namespace(BASE + "concept/sector/")
ROLE: Final = Namespace(BASE + "concept/role/")

#: Named graphs.
GRAPH: Final = Namespace(BASE + "graph/")
ONTOLOGY_GRAPH: Final = GRAPH["ontology"]
REFERENCE_GRAPH: Final = GRAPH["reference"]
METRICS_GRAPH: Final = GRAPH["metrics"]
#: Aggregates computed at build time (:mod:`regiograph.derive`), recomputed every build.
DERIVED_GRAPH: Final = GRAPH["derived"]

_ID: Final = BASE + "id/"

#: Prefixes bound in every serialisation and offered to every SPARQL query.
PREFIXES: Final[dict[str, str]] = {
    "rg": str(RG),
    "org": str(ORG),
    "skos": str(SKOS),
    "foaf": str(FOAF),
    "schema": str(SCHEMA),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "orgtype": str(ORGTYPE),
    "sector": str(SECTOR),
    "role": str(ROLE),
    "rgg": str(GRAPH),
    "rgo": _ID + "org/",
    "rgp": _ID + "person/",
    "place": _ID + "place/",
    "rgd": _ID + "doc/",
}


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Readable, stable IRI segment for a name: ``"NHL Stenden"`` -> ``"nhl-stenden"``.

    >>> slugify("Provincie Fryslân")
    'provincie-fryslan'
    >>> slugify("Alfa-college (Groningen)")
    'alfa-college-groningen'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", folded.lower()).strip("-")
    return slug or "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def org_iri(key: str) -> URIRef:
    """IRI of an organisation (or collaboration) from its resolved key (a slug)."""
    return URIRef(f"{_ID}org/{key}")


def person_iri(key: str) -> URIRef:
    return URIRef(f"{_ID}person/{key}")


def place_iri(cbs_code: str) -> URIRef:
    """IRI of a reference place by its CBS code (``GM0090``, ``PV22``, ``CR05``, ``LD01``)."""
    return URIRef(f"{_ID}place/{cbs_code}")


def doc_iri(doc_id: str) -> URIRef:
    """IRI of a source document from its identifier (its file name)."""
    return URIRef(f"{_ID}doc/{slugify(doc_id)}")


def doc_graph(doc_id: str) -> URIRef:
    """The named graph that holds everything derived from one document."""
    return GRAPH[f"doc/{slugify(doc_id)}"]


def membership_iri(doc_id: str, member: str, organization: str, role: str = "") -> URIRef:
    return URIRef(f"{_ID}membership/{_digest(doc_id, member, organization, role)}")


def evidence_iri(doc_id: str, start: int, end: int) -> URIRef:
    return URIRef(f"{_ID}evidence/{slugify(doc_id)}-{start}-{end}")
