"""Entity resolution: one key per real organisation and person across all documents.

Mentions are the same organisation when their names (or strong aliases: acronyms and
known short forms, never bare place names) fold to the same key, when the gazetteer knows
them as one organisation, or when ``data/curation.yaml`` says so. Keys are readable slugs
of the canonical name, so IRIs are stable across builds.

``curation.yaml`` (all sections optional)::

    aliases:            # more names of one organisation
      Rijksuniversiteit Groningen: [RUG, University of Groningen]
    merges:             # names the rules keep apart that are one organisation
      Noorderpoort: [Noorderpoortcollege, Noorderpoort College]
    splits:             # names that must stay apart although they look alike
      - [VNO-NCW, VNO-NCW Noord]
    rejected:           # names that are not organisations
      - Open Drachten
    types:              # organisation type overrides
      Hof van Saksen: business
    collaborations:     # force (true) or deny (false) collaboration status
      Energy Valley: false
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .errors import CurationError
from .extract.context import name_key
from .extract.lexicon import Lexicon, load_lexicon
from .model import ORG_TYPES, Entity, Extraction, ResolvedDocument
from .namespaces import slugify


@dataclass(frozen=True)
class Curation:
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    splits: tuple[frozenset[str], ...] = ()
    rejected: frozenset[str] = frozenset()
    types: dict[str, str] = field(default_factory=dict)
    collaborations: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None) -> Curation:
        """Read a curation file; a missing path gives an empty curation."""
        if path is None or not Path(path).exists():
            return cls()
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise CurationError(
                f"cannot read {path}: {exc}", hint="fix the YAML syntax (see docs/curation.md)"
            ) from exc
        if not isinstance(data, dict):
            raise CurationError(f"{path}: expected a mapping of sections")
        unknown = set(data) - {"aliases", "merges", "splits", "rejected", "types", "collaborations"}
        if unknown:
            raise CurationError(
                f"{path}: unknown section(s) {', '.join(sorted(unknown))}",
                hint="use aliases, merges, splits, rejected, types, collaborations",
            )
        aliases: dict[str, tuple[str, ...]] = {}
        for section in ("aliases", "merges"):
            for canonical, others in (data.get(section) or {}).items():
                if not isinstance(others, list):
                    raise CurationError(f"{path}: {section}.{canonical} must be a list of names")
                aliases[str(canonical)] = aliases.get(str(canonical), ()) + tuple(map(str, others))
        types = {str(k): str(v) for k, v in (data.get("types") or {}).items()}
        bad = {k: v for k, v in types.items() if v not in ORG_TYPES}
        if bad:
            raise CurationError(
                f"{path}: unknown type(s) {bad}", hint=f"use one of {', '.join(ORG_TYPES)}"
            )
        return cls(
            aliases=aliases,
            splits=tuple(frozenset(name_key(n) for n in pair) for pair in data.get("splits") or ()),
            rejected=frozenset(name_key(n) for n in data.get("rejected") or ()),
            types={name_key(k): v for k, v in types.items()},
            collaborations={
                name_key(str(k)): bool(v) for k, v in (data.get("collaborations") or {}).items()
            },
        )


_SPACES_AND_DASHES = re.compile(r"[\s-]+")


def _compact(key: str) -> str:
    return _SPACES_AND_DASHES.sub("", key)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _strong_alias(alias: str, lex: Lexicon) -> bool:
    """An alias that may join two mentions: not a place name, not a generic word."""
    key = alias.casefold()
    gaz = lex.places
    if key in gaz.municipality_names or key in gaz.province_names or key in gaz.region_names:
        return False
    if key in gaz.towns or key in lex.generic or len(alias) < 2:
        return False
    return not (alias.isupper() and len(alias) <= 2)


def resolve(
    extractions: Sequence[Extraction],
    *,
    curation: Curation | None = None,
    lexicon: Lexicon | None = None,
) -> list[ResolvedDocument]:
    """Map every organisation and person mention to an entity key, across documents."""
    cur = curation or Curation()
    lex = lexicon or load_lexicon()
    uf = _UnionFind()
    known_key: dict[str, str] = {}
    for org in lex.known_orgs:
        for form in (org.name, *org.aliases):
            known_key.setdefault(_compact(name_key(form)), _compact(name_key(org.name)))
    for canonical, others in cur.aliases.items():
        for other in others:
            known_key[_compact(name_key(other))] = _compact(name_key(canonical))

    folded: dict[str, str] = {}  # name -> name_key(name), each name folded once
    nodes: dict[str, str] = {}

    def fold(name: str) -> str:
        found = folded.get(name)
        if found is None:
            found = folded[name] = name_key(name)
        return found

    def node(name: str) -> str:
        found = nodes.get(name)
        if found is None:
            key = _compact(fold(name))
            found = nodes[name] = known_key.get(key, key)
        return found

    blocked = [frozenset(_compact(k) for k in pair) for pair in cur.splits]

    def join(a: str, b: str) -> None:
        if any({a, b} <= pair for pair in blocked):
            return
        uf.union(a, b)

    # equal mentions are one object across documents (regiograph.compact): each is
    # joined once, and grouped once with the number of times it occurs
    seen: set[int] = set()
    for ext in extractions:
        for org in ext.organisations:
            if id(org) in seen:
                continue
            seen.add(id(org))
            if fold(org.name) in cur.rejected:
                continue
            main = node(org.name)
            uf.find(main)
            for alias in org.aliases:
                if _strong_alias(alias, lex) and org.org_type != "government":
                    join(main, node(alias))
    # group
    roots: dict[str, str] = {}  # name -> its root ("" when rejected)
    members: dict[str, dict[int, list]] = {}  # root -> id(mention) -> [mention, count]
    for ext in extractions:
        for org in ext.organisations:
            root = roots.get(org.name)
            if root is None:
                rejected = fold(org.name) in cur.rejected
                root = roots[org.name] = "" if rejected else uf.find(node(org.name))
            if not root:
                continue
            group = members.get(root)
            if group is None:
                group = members[root] = {}
            counted = group.get(id(org))
            if counted is None:
                group[id(org)] = [org, 1]
            else:
                counted[1] += 1
    known_by_key = {_compact(name_key(o.name)): o for o in lex.known_orgs}
    curated_names = {_compact(name_key(c)): c for c in cur.aliases}
    entities: dict[str, Entity] = {}
    root_to_key: dict[str, str] = {}
    used: set[str] = set()
    for root in sorted(members):
        counted = members[root].values()
        mentions = [m for m, _ in counted]  # each once, in the order they first occur
        known = known_by_key.get(root)
        if root in curated_names:
            name = curated_names[root]
        elif known is not None:
            name = known.name
        else:
            counts: Counter[str] = Counter()
            for m, n in counted:
                counts[m.name] += n
            name = max(counts, key=lambda n: (counts[n], len(n), n))
        nkey = name_key(name)
        types: Counter[str] = Counter()
        for m, n in counted:
            types[m.org_type] += n
        org_type = cur.types.get(nkey) or (
            known.org_type if known else max(types, key=lambda t: (types[t], t))
        )
        collab = cur.collaborations.get(
            nkey, any(m.collaboration for m in mentions) or bool(known and known.collaboration)
        )
        aliases = {m.name for m in mentions} | {a for m in mentions for a in m.aliases}
        aliases |= set(cur.aliases.get(name, ()))
        aliases.discard(name)
        key = slugify(name)
        while key in used:
            key += "-2"
        used.add(key)
        root_to_key[root] = key
        entities[key] = Entity(
            key=key,
            name=name,
            org_type=org_type,
            collaboration=collab,
            aliases=frozenset(a for a in aliases if name_key(a) != nkey),
            place_code=next((m.place_code for m in mentions if m.place_code), None),
            location=next((m.location for m in mentions if m.location), None)
            or (known.location if known else None),
            sectors=frozenset(s for m in mentions for s in m.sectors)
            | frozenset(known.sectors if known else ()),
            confidence=max(m.confidence for m in mentions),
        )

    key_of: dict[str, str] = {}  # name -> entity key

    def keys_of(ext: Extraction) -> dict[str, str]:
        out = {}
        for o in ext.organisations:
            key = key_of.get(o.name)
            if key is None:
                if fold(o.name) in cur.rejected:
                    continue
                key = key_of[o.name] = root_to_key[uf.find(node(o.name))]
            out[o.name] = key
        return out

    all_keys = [keys_of(ext) for ext in extractions]
    extra: dict[str, set[str]] = {}
    for ext, org_keys in zip(extractions, all_keys, strict=True):
        for org_name, found in ext.sectors.items():
            if org_name in org_keys:
                extra.setdefault(org_keys[org_name], set()).update(found)
    for key, found in extra.items():
        ent = entities[key]
        entities[key] = replace(ent, sectors=ent.sectors | frozenset(found))
    slugs: dict[str, str] = {}
    resolved = []
    for ext, org_keys in zip(extractions, all_keys, strict=True):
        person_keys = {}
        for p in ext.persons:
            slug = slugs.get(p.name)
            if slug is None:
                slug = slugs[p.name] = slugify(p.name)
            person_keys[p.name] = slug
        doc_entities = {key: entities[key] for key in set(org_keys.values())}
        resolved.append(ResolvedDocument(ext, org_keys, person_keys, doc_entities))
    return resolved


def counts(
    extractions: Sequence[Extraction], resolved: Sequence[ResolvedDocument]
) -> dict[str, int]:
    """What a build's report counts: distinct organisations, collaborations (named ones
    and unnamed partnerships), persons and places; memberships and roles."""
    orgs = {k for r in resolved for k in r.org_keys.values()}
    collabs = {k for r in resolved for k in r.org_keys.values() if r.entities[k].collaboration}
    persons = {k for r in resolved for k in r.person_keys.values()}
    places = {p.code for e in extractions for p in e.places}
    groups = {
        (e.document.doc_id, m.group)
        for e in extractions
        for m in e.memberships
        if m.collaboration is None
    }
    return {
        "organisations": len(orgs),
        "collaborations": len(collabs) + len(groups),
        "persons": len(persons),
        "memberships": sum(len(e.memberships) for e in extractions),
        "roles": sum(len(e.roles) for e in extractions),
        "places": len(places),
    }
