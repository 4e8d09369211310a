"""Everything the extractor knows about Dutch, loaded once.

Sources: ``lexicons/patterns.yaml`` (head words, type nouns, cue phrases, stop words),
``lexicons/organisations.yaml`` (known organisations), ``lexicons/first_names.txt``, the
role and sector concept schemes in ``ontology/`` (their Dutch labels are the role and
sector lexicons) and the reference places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
import yaml
from rdflib.namespace import SKOS

from ..errors import ReferenceDataError
from ..reference import Gazetteer, load_places
from ..resources import lexicon_path, resource
from .matcher import PhraseMatcher


@dataclass(frozen=True)
class KnownOrg:
    name: str
    aliases: tuple[str, ...]
    org_type: str
    collaboration: bool = False
    location: str | None = None
    sectors: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Lexicon:
    known_orgs: tuple[KnownOrg, ...]
    #: surface form (exact case) -> KnownOrg, for single-word forms and acronyms
    known_exact: dict[str, KnownOrg]
    #: lower-cased multi-word surface form -> KnownOrg
    known_folded: dict[str, KnownOrg]
    known_matcher: PhraseMatcher[KnownOrg]
    first_names: frozenset[str]
    #: head word (lower) -> type
    heads: dict[str, str]
    collaboration_heads: frozenset[str]
    #: head words that count only as the end of a compound -> type
    compound_heads: dict[str, str]
    type_nouns: dict[str, str]
    #: any partnership cue (one regular expression of all ``cues`` in patterns.yaml)
    cue: re.Pattern[str]
    stop_words: frozenset[str]
    generic: frozenset[str]
    #: Dutch role label (lower) -> role concept key, longest first
    roles: dict[str, str]
    role_regex: re.Pattern[str]
    #: sector trigger (lower) -> sector key
    sector_words: dict[str, str]
    sector_matcher: PhraseMatcher[str]
    places: Gazetteer


#: role words that also end compounds naming a role ("vestigingsmanager", "FNV-bestuurder")
COMPOUND_ROLES = (
    "manager",
    "directeur",
    "voorzitter",
    "bestuurder",
    "coördinator",
    "adviseur",
    "secretaris",
    "woordvoerder",
)


def _alternation(words: list[str]) -> str:
    """An expression that matches the longest of ``words`` that lets the rest match, as
    ``w1|w2|...`` longest first would, but with the words' common prefixes shared (a trie):
    ``re`` tries the branches of an alternation one by one at every position, and a
    hundred words made that the slowest step of extraction."""
    trie: dict = {}
    for word in set(words):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _trie_expression(trie)


def _trie_expression(node: dict) -> str:
    # longer words first: the continuation of a word that ends here is optional and greedy
    branches = [re.escape(char) + _trie_expression(node[char]) for char in sorted(node) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in node:
        return body
    return f"(?:{body})?"


def _yaml(text: str):
    """``yaml.safe_load`` with libyaml's parser where PyYAML has it (five times faster on
    the organisations lexicon, which every build loads)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _load_known() -> tuple[KnownOrg, ...]:
    path = lexicon_path("organisations.yaml")
    try:
        entries = _yaml(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"organisations.yaml is not valid YAML: {exc}") from exc
    return tuple(
        KnownOrg(
            name=str(e["name"]),
            aliases=tuple(str(a) for a in e.get("aliases") or ()),
            org_type=str(e.get("type", "business")),
            collaboration=bool(e.get("collaboration", False)),
            location=e.get("location"),
            sectors=tuple(e.get("sectors") or ()),
        )
        for e in entries
    )


def _concept_labels(filename: str, *, hidden: bool) -> dict[str, str]:
    """Label (lower-cased, Dutch or untagged) -> concept key of a SKOS scheme, the first
    concept in the file winning a label two share (read with pyoxigraph: rdflib took
    0.15 s, which every incremental build that extracts a document paid)."""
    props = [SKOS.prefLabel, SKOS.altLabel] + ([SKOS.hiddenLabel] if hidden else [])
    found: dict[str, list] = {str(p): [] for p in props}
    path = str(resource("ontology", filename))
    for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
        if quad.predicate.value in found:
            found[quad.predicate.value].append((quad.subject, quad.object))
    out: dict[str, str] = {}
    for prop in props:
        for concept, label in found[str(prop)]:
            if not isinstance(label, ox.Literal) or label.language not in (None, "nl"):
                continue
            if not isinstance(concept, ox.NamedNode) or not concept.value.startswith("http"):
                continue
            key = concept.value.rstrip("/").rsplit("/", 1)[-1]
            out.setdefault(label.value.lower(), key)
    return out


@lru_cache(maxsize=1024)
def has_cue(cue: re.Pattern, text: str) -> bool:
    """Whether ``text`` (a sentence) has a partnership cue; remembered, because several
    components ask about the same sentences and the cue expression is costly."""
    return cue.search(text) is not None


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Load and compile all lexicons (cached for the life of the process)."""
    patterns = _yaml(lexicon_path("patterns.yaml").read_text(encoding="utf-8"))
    known = _load_known()
    known_exact: dict[str, KnownOrg] = {}
    known_folded: dict[str, KnownOrg] = {}
    for org in known:
        for form in (org.name, *org.aliases):
            if " " in form or (len(form) > 12 and not form.isupper()):
                known_folded.setdefault(form.lower(), org)
            known_exact.setdefault(form, org)
    # acronyms and one-word names match case-sensitively, longer names ignoring case
    known_matcher = PhraseMatcher(
        exact={f: o for f, o in known_exact.items() if f.lower() not in known_folded},
        folded=known_folded,
    )
    first_names = frozenset(
        line.strip()
        for line in lexicon_path("first_names.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    heads = {w.lower(): t for t, spec in patterns["heads"].items() for w in spec["words"]}
    type_nouns = {w.lower(): t for t, words in patterns["type_nouns"].items() for w in words}
    roles = _concept_labels("roles.ttl", hidden=False)
    role_words = list(roles)
    # a role word, or a compound ending in one: "regiomanager", "FNV-bestuurder"
    role_regex = re.compile(
        r"(?<![\w-])(?:(?:collega|oud|vice|interim|waarnemend|demissionair)[- ])?"
        r"(" + _alternation(role_words) + r"|[\w]+-?(?:" + "|".join(COMPOUND_ROLES) + r"))"
        r"(?![\w])",
        re.IGNORECASE,
    )
    sectors = _concept_labels("sectors.ttl", hidden=True)
    # whole words only; a trigger ending in "-" ("it-") is a prefix
    sector_matcher = PhraseMatcher(folded=sectors)
    return Lexicon(
        known_orgs=known,
        known_exact=known_exact,
        known_folded=known_folded,
        known_matcher=known_matcher,
        first_names=first_names,
        heads=heads,
        collaboration_heads=frozenset(w.lower() for w in patterns["collaboration_heads"]),
        compound_heads={
            w.lower(): t for t, words in patterns["compound_heads"].items() for w in words
        },
        type_nouns=type_nouns,
        cue=re.compile("|".join(f"(?:{c})" for c in patterns["cues"]), re.IGNORECASE),
        stop_words=frozenset(w.lower() for w in patterns["stop_words"]),
        generic=frozenset(w.lower() for w in patterns["generic"]),
        roles=roles,
        role_regex=role_regex,
        sector_words=sectors,
        sector_matcher=sector_matcher,
        places=load_places(),
    )
