"""Score a stakeholder graph against hand-made gold annotations (a gold YAML file).

The metrics and the graph contract they read are those of the project's reference scorer, so
a user's clone can evaluate a build without it. Per document, micro-averaged over documents:

* **organisations** / **persons**: each mentioned node is assigned to at most one gold id by
  its :func:`norm`-alised labels (required ids first, then the id holding the primary label);
  unassigned nodes and second nodes for one id are false hits.
* **roles**: person + organisation + a role word contained in a role label.
* **memberships**: organisation members of *named* gold collaborations.
* **ties**: pairs of co-members of any container node with memberships derived from the
  document; optional ties and ties touching optional organisations are never false.
* **places**: CBS codes of the mentioned nodes; a gold place may list alternatives.

``macro_f1`` is the mean of the six F1 figures, ``type_accuracy`` the share of matched
organisations with an accepted type. ``details=True`` lists every miss, false hit, duplicate
and wrong type in the reference scorer's words (its order of type and tie notes follows
Python's string hashing; here those are sorted).
"""

from __future__ import annotations

import itertools
import re
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pyoxigraph import RdfFormat, Store

from .errors import UsageError

__all__ = [
    "METRICS",
    "EvaluationResult",
    "Metric",
    "evaluate",
    "load_gold",
    "norm",
    "score_files",
    "score_store",
]

METRICS = ("organisations", "persons", "roles", "memberships", "ties", "places")

_PREFIXES = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX schema: <http://schema.org/>
PREFIX sdo: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
_LABELS = (
    "rdfs:label|skos:prefLabel|skos:altLabel|skos:hiddenLabel|foaf:name|"
    "schema:name|schema:alternateName|sdo:name|sdo:alternateName"
)
_SOURCE = (
    "(prov:wasDerivedFrom|prov:hadPrimarySource|dcterms:source)/"
    "(schema:isPartOf|sdo:isPartOf|dcterms:isPartOf|prov:wasDerivedFrom)*"
)
_ORG_CLASSES = (
    "org:Organization org:FormalOrganization org:OrganizationalCollaboration org:OrganizationalUnit"
)
_PERSON_CLASSES = "foaf:Person schema:Person sdo:Person prov:Person"
_CODE = re.compile(r"^(GM\d{4}|PV\d{2})$")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_PUNCT = re.compile(r"[\"'\u2018\u2019\u201c\u201d()\[\].,;:!?]")
_SPACE = re.compile(r"\s+")
_ARTICLE = re.compile(r"^(de|het|the|een) ")

Pair = frozenset  # an unordered pair of gold ids (or ("?", node) for an unassigned node)


def norm(text: str) -> str:
    """Normalise a name: NFKC, dash folding, case folding, no punctuation, no leading article.

    >>> norm("De Alliantie van Drachten")
    'alliantie van drachten'
    >>> norm("Noord\u2013Nederland (SNN).")
    'noord-nederland snn'
    """
    text = unicodedata.normalize("NFKC", str(text)).translate(_DASHES).casefold()
    text = _SPACE.sub(" ", _PUNCT.sub(" ", text)).strip()
    return _ARTICLE.sub("", text)


@dataclass(frozen=True)
class Metric:
    """Precision, recall and F1 (rounded to three decimals) with the raw counts."""

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int

    @classmethod
    def from_counts(cls, tp: int, fp: int, fn: int) -> Metric:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return cls(round(p, 3), round(r, 3), round(f, 3), tp, fp, fn)

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)


@dataclass
class EvaluationResult:
    """The scores of one graph against one gold file."""

    metrics: dict[str, Metric]
    type_accuracy: float
    typed_total: int
    macro_f1: float
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object the reference scorer prints with ``--json``."""
        out: dict[str, Any] = {k: m.to_dict() for k, m in self.metrics.items()}
        out["type_accuracy"] = self.type_accuracy
        out["macro_f1"] = self.macro_f1
        return out

    def format_table(self) -> str:
        """The summary table (lines joined by newlines, no trailing newline)."""
        lines = [f"{'metric':<13}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
        for name, m in self.metrics.items():
            lines.append(
                f"{name:<13}{m.precision:>7.3f}{m.recall:>7.3f}{m.f1:>7.3f}"
                f"{m.tp:>6}{m.fp:>6}{m.fn:>6}"
            )
        lines.append(
            f"type accuracy {self.type_accuracy:.3f} over {self.typed_total} matched organisations"
        )
        lines.append(f"macro F1 {self.macro_f1:.3f}")
        return "\n".join(lines)


@dataclass
class _GoldDoc:
    """One document's gold annotations, names already normalised."""

    orgs: dict[str, tuple[set[str], set[str], bool]]  # id -> (forms, types, required)
    persons: dict[str, tuple[set[str], bool]]  # canonical name -> (forms, required)
    roles: list[tuple[str, str, list[str]]]  # (person, org id, role words)
    optional_roles: list[tuple[str, str, list[str]]]
    memberships: set[tuple[str, str]]  # (collaboration id, member id)
    optional_memberships: set[tuple[str, str]]
    ties: set[Pair]
    optional_ties: set[Pair]
    places: list[frozenset[str]]  # each: alternative CBS codes
    optional_places: set[str]


def _parse_doc(spec: dict[str, Any]) -> _GoldDoc:
    orgs: dict[str, tuple[set[str], set[str], bool]] = {}
    for o in spec.get("organisations") or []:
        orgs[o["id"]] = ({norm(n) for n in o["names"]}, set(o.get("types") or []), True)
    for i, o in enumerate(spec.get("optional_organisations") or []):
        oid, names = (
            (o.get("id") or f"optional-{i}", o["names"])
            if isinstance(o, dict)
            else (f"optional-{i}", o)
        )
        orgs[oid] = ({norm(n) for n in names}, set(), False)
    persons: dict[str, tuple[set[str], bool]] = {}
    for p in spec.get("persons") or []:
        persons[p["names"][0]] = ({norm(n) for n in p["names"]}, True)
    for names in spec.get("optional_persons") or []:
        persons[names[0]] = ({norm(n) for n in names}, False)

    def roles(key: str) -> list[tuple[str, str, list[str]]]:
        return [
            (r["person"], r["org"], [w.lower() for w in r["role"]]) for r in spec.get(key) or []
        ]

    members: dict[str, set[tuple[str, str]]] = {"memberships": set(), "optional_memberships": set()}
    ties: dict[str, set[Pair]] = {"memberships": set(), "optional_memberships": set()}
    for key in members:
        for m in spec.get(key) or []:
            if m.get("collaboration"):
                members[key].update((m["collaboration"], x) for x in m["members"])
            ties[key].update(Pair(ab) for ab in itertools.combinations(sorted(m["members"]), 2))
    required_ties = ties["memberships"] | {Pair((a, b)) for a, b in spec.get("ties") or []}
    optional_ties = ties["optional_memberships"] | {
        Pair((a, b)) for a, b in spec.get("optional_ties") or []
    }
    for oid, (_, _, required) in orgs.items():
        if not required:  # a tie touching an optional organisation is never wrong
            optional_ties.update(Pair((oid, other)) for other in orgs)
    optional_places: set[str] = set()
    for p in spec.get("optional_places") or []:
        optional_places.update([p] if isinstance(p, str) else p)
    return _GoldDoc(
        orgs=orgs,
        persons=persons,
        roles=roles("roles"),
        optional_roles=roles("optional_roles"),
        memberships=members["memberships"],
        optional_memberships=members["optional_memberships"],
        ties=required_ties,
        optional_ties=optional_ties - required_ties,
        places=[frozenset([p] if isinstance(p, str) else p) for p in spec.get("places") or []],
        optional_places=optional_places,
    )


def _parse_gold(gold: Any, source: str) -> dict[str, _GoldDoc]:
    hint = "see the gold format: documents: {FILE_NAME: {organisations: [...], ...}}"
    docs = gold.get("documents") if isinstance(gold, dict) else None
    if not isinstance(docs, dict):
        raise UsageError(f"{source}: no 'documents' mapping", hint=hint)
    parsed = {}
    for name, spec in docs.items():
        if spec is not None and not isinstance(spec, dict):
            raise UsageError(f"{source}: document {name!r} is not a mapping", hint=hint)
        try:
            parsed[str(name)] = _parse_doc(spec or {})
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise UsageError(
                f"{source}: document {name!r} is malformed ({exc!r})", hint=hint
            ) from exc
    return parsed


def load_gold(path: str | Path) -> dict[str, Any]:
    """Read and check a gold YAML file; returns it as a dict with a ``documents`` mapping."""
    path = Path(path)
    try:
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UsageError(
            f"gold file {path} not found", hint="pass the path of a gold YAML file"
        ) from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UsageError(
            f"cannot read gold file {path}: {exc}", hint="it must be UTF-8 YAML"
        ) from exc
    _parse_gold(gold, str(path))
    return gold


def _rows(store: Store, query: str) -> Iterator[tuple[str, ...]]:
    """Solutions of ``query`` (all variables bound) over the union of all graphs, each term
    as its string value (an IRI, a blank node id or a literal's lexical form)."""
    for solution in store.query(_PREFIXES + query, use_default_graph_as_union=True):
        yield tuple(term.value for term in solution)


class _GraphView:
    """Everything the scores need, read once from the store. Nodes are their string values."""

    def __init__(self, store: Store) -> None:
        def instances(classes: str) -> set[str]:
            return {
                x
                for (x,) in _rows(
                    store,
                    f"""SELECT DISTINCT ?x WHERE {{
                VALUES ?root {{ {classes} }} ?x a ?c . ?c rdfs:subClassOf* ?root }}""",
                )
            }

        self.orgs = instances(_ORG_CLASSES)
        self.collabs = instances("org:OrganizationalCollaboration")
        self.persons = instances(_PERSON_CLASSES)
        # document node -> identifier (the file name)
        self.docs = dict(
            _rows(
                store,
                """SELECT ?doc ?id WHERE { ?doc dcterms:identifier ?id .
              { ?doc schema:mentions|sdo:mentions ?x } UNION { ?m prov:wasDerivedFrom ?doc } }""",
            )
        )
        self.labels: dict[str, set[str]] = defaultdict(set)
        for node, label in _rows(store, f"SELECT ?s ?l WHERE {{ ?s {_LABELS} ?l }}"):
            self.labels[node].add(label)
        self.primary: dict[str, str] = {}
        for node, label in _rows(
            store,
            """SELECT ?s ?l WHERE {
                                           ?s rdfs:label|skos:prefLabel|foaf:name ?l }""",
        ):
            self.primary.setdefault(node, label)
        self.types: dict[str, set[str]] = defaultdict(set)
        for node, notation in _rows(
            store,
            """SELECT ?o ?n WHERE { ?o org:classification ?c .
                                              ?c skos:notation ?n }""",
        ):
            self.types[node].add(notation.strip().lower())
        for node in self.collabs:
            self.types[node].add("collaboration")
        self.mentions: dict[str, set[str]] = defaultdict(set)
        for doc, node in _rows(store, "SELECT ?d ?x WHERE { ?d schema:mentions|sdo:mentions ?x }"):
            self.mentions[doc].add(node)
        self.codes: dict[str, set[str]] = defaultdict(set)
        for node, code in _rows(store, "SELECT ?x ?c WHERE { ?x dcterms:identifier ?c }"):
            if _CODE.match(code.strip()):
                self.codes[node].add(code.strip())
        role_labels: dict[str, set[str]] = defaultdict(set)
        for m, label in itertools.chain(
            _rows(
                store,
                """SELECT ?m ?rl WHERE { ?m a org:Membership ; org:role ?r .
                                  ?r rdfs:label|skos:prefLabel|skos:altLabel ?rl }""",
            ),
            _rows(
                store,
                """SELECT ?m ?r WHERE { ?m a org:Membership ; org:role ?r .
                                  FILTER(isLiteral(?r)) }""",
            ),
        ):
            role_labels[m].add(label)
        # doc -> [(member, organisation, role labels)]; one entry per membership and document
        self.memberships: dict[str, list[tuple[str, str, set[str]]]] = defaultdict(list)
        seen: set[tuple[str, str]] = set()
        for m, member, container, doc in _rows(
            store,
            f"""SELECT DISTINCT ?m ?member ?o ?doc
                WHERE {{ ?m a org:Membership ; org:member ?member ; org:organization ?o .
                         ?m {_SOURCE} ?doc }}""",
        ):
            if (doc, m) not in seen:
                seen.add((doc, m))
                self.memberships[doc].append((member, container, role_labels.get(m, set())))

    def name(self, node: str) -> str:
        return self.primary.get(node, node)

    def assign(self, node: str, candidates: dict[str, tuple[Any, ...]]) -> str | None:
        """The gold id ``node`` stands for: its labels must share a form with the candidate;
        required candidates beat optional ones, then the one holding the primary label wins.
        Each candidate is a tuple ``(forms, ..., required)``."""
        labels = {norm(label) for label in self.labels.get(node, ())}
        hits = [gid for gid, cand in candidates.items() if labels & cand[0]]
        if not hits:
            return None
        pool = [g for g in hits if candidates[g][-1]] or hits
        primary = norm(self.primary[node]) if node in self.primary else ""
        return next((g for g in pool if primary and primary in candidates[g][0]), pool[0])


class _Scorer:
    """Accumulates counts and notes over the documents of one gold file."""

    def __init__(self, graph: _GraphView, details: bool) -> None:
        self.graph = graph
        self.details = details
        self.counts = {k: [0, 0, 0] for k in METRICS}
        self.typed = [0, 0]
        self.notes: list[str] = []
        self.by_name: dict[str, str] = {}
        for doc, ident in graph.docs.items():
            self.by_name.setdefault(Path(ident).name, doc)

    def add(self, metric: str, *counts: int) -> None:
        self.counts[metric] = [a + b for a, b in zip(self.counts[metric], counts, strict=True)]

    def document(self, name: str, gold: _GoldDoc) -> None:
        g = self.graph

        def say(msg: str) -> None:
            if self.details:
                self.notes.append(f"{name}: {msg}")

        doc = self.by_name.get(Path(name).name)
        if doc is None:
            say("document not found in graph (no node with this dcterms:identifier)")
        mentioned = g.mentions.get(doc, set()) if doc is not None else set()
        self._organisations(gold, mentioned, say)
        self._matched(
            "persons",
            mentioned & g.persons,
            gold.persons,
            say,
            "person FP ",
            lambda k: f"person FN {k!r}",
        )
        self._relations(gold, g.memberships.get(doc, []) if doc is not None else [], say)
        codes = set().union(*(g.codes.get(x, set()) for x in mentioned))
        found = [p for p in gold.places if p & codes]
        false = codes - set().union(*gold.places, gold.optional_places)
        for c in sorted(false):
            say(f"place FP {c}")
        for p in gold.places:
            if not p & codes:
                say(f"place FN {'/'.join(sorted(p))}")
        self.add("places", len(found), len(false), len(gold.places) - len(found))

    def _matched(
        self,
        metric: str,
        nodes: set[str],
        candidates: dict[str, tuple[Any, ...]],
        say: Callable[[str], None],
        false: str,
        missed: Callable[[str], str],
    ) -> tuple[dict[str, list[str]], list[str]]:
        """Assign ``nodes`` to gold ids and count them: false hits are unassigned nodes and
        second nodes for one id. Returns the nodes per id and the matched required ids."""
        hits: dict[str, list[str]] = defaultdict(list)
        unassigned = 0
        for node in sorted(nodes):
            gid = self.graph.assign(node, candidates)
            if gid is None:
                unassigned += 1
                say(f"{false}{self.graph.name(node)!r}")
            else:
                hits[gid].append(node)
        required = {k for k, v in candidates.items() if v[-1]}
        for k in sorted(required - hits.keys()):
            say(missed(k))
        matched = sorted(required & hits.keys())
        self.add(
            metric,
            len(matched),
            unassigned + sum(len(v) - 1 for v in hits.values()),
            len(required) - len(matched),
        )
        return hits, matched

    def _organisations(
        self, gold: _GoldDoc, mentioned: set[str], say: Callable[[str], None]
    ) -> None:
        g = self.graph
        hits, matched = self._matched(
            "organisations",
            mentioned & g.orgs,
            gold.orgs,
            say,
            "org FP  ",
            lambda k: f"org FN  {min(gold.orgs[k][0])!r}",
        )
        for k, nodes in hits.items():
            if len(nodes) > 1:
                say(f"org DUP {k}: {[g.name(n) for n in nodes]}")
        for k in matched:
            self.typed[1] += 1
            got = set().union(*(g.types.get(n, set()) for n in hits[k]))
            if got & gold.orgs[k][1]:
                self.typed[0] += 1
            else:
                say(f"type    {k}: got {sorted(got)}, want one of {sorted(gold.orgs[k][1])}")

    def _relations(
        self,
        gold: _GoldDoc,
        memberships: list[tuple[str, str, set[str]]],
        say: Callable[[str], None],
    ) -> None:
        """Roles, memberships and ties from the memberships derived from one document."""
        g = self.graph
        role_found: set[int] = set()
        role_fp = member_fp = 0
        member_found: set[tuple[str, str]] = set()
        containers: dict[str, set[Any]] = defaultdict(set)
        named = {c for c, _ in gold.memberships | gold.optional_memberships}
        for member, container, rlabels in memberships:
            c_gid = g.assign(container, gold.orgs) if container in g.orgs else None
            if member in g.persons:
                p_gid = g.assign(member, gold.persons)
                labels = {label.lower() for label in rlabels}
                hit = [
                    i
                    for i, (gp, go, words) in enumerate(gold.roles)
                    if gp == p_gid
                    and go == c_gid
                    and any(w in lab for w in words for lab in labels)
                ]
                role_found.update(hit)
                if not hit and not any(
                    gp == p_gid and go == c_gid for gp, go, _ in gold.optional_roles
                ):
                    role_fp += 1
                    say(f"role FP {g.name(member)!r} {sorted(labels)} @ {g.name(container)!r}")
                continue
            if member not in g.orgs:
                continue
            m_gid = g.assign(member, gold.orgs)
            containers[container].add(m_gid if m_gid else ("?", member))
            if c_gid in named:
                if (c_gid, m_gid) in gold.memberships:
                    member_found.add((c_gid, m_gid))
                elif (c_gid, m_gid) not in gold.optional_memberships:
                    member_fp += 1
                    say(f"member FP {g.name(member)!r} in {c_gid}")
        for i, (gp, go, words) in enumerate(gold.roles):
            if i not in role_found:
                say(f"role FN {gp!r} {words} @ {go}")
        self.add("roles", len(role_found), role_fp, len(gold.roles) - len(role_found))
        for collab, member in sorted(gold.memberships - member_found):
            say(f"member FN {member} in {collab}")
        self.add(
            "memberships", len(member_found), member_fp, len(gold.memberships) - len(member_found)
        )
        pairs = {
            Pair(ab)
            for members in containers.values()
            for ab in itertools.combinations(sorted(members, key=str), 2)
        }
        tp = pairs & gold.ties
        false = pairs - gold.ties - gold.optional_ties

        def shown(pair: Pair) -> list[str]:
            return sorted(map(str, pair))

        for pair in sorted(false, key=shown):
            say(f"tie FP  {shown(pair)}")
        for pair in sorted(gold.ties - tp, key=shown):
            say(f"tie FN  {shown(pair)}")
        self.add("ties", len(tp), len(false), len(gold.ties - tp))

    def result(self) -> EvaluationResult:
        metrics = {k: Metric.from_counts(*self.counts[k]) for k in METRICS}
        done, total = self.typed
        return EvaluationResult(
            metrics=metrics,
            type_accuracy=round(done / total, 3) if total else 0.0,
            typed_total=total,
            macro_f1=round(sum(m.f1 for m in metrics.values()) / len(metrics), 3),
            notes=self.notes,
        )


def score_store(store: Store, gold: dict[str, Any], *, details: bool = False) -> EvaluationResult:
    """Score the graph in ``store`` (all graphs, as their union) against ``gold``
    (as :func:`load_gold` returns it). ``details`` fills ``notes``."""
    docs = _parse_gold(gold, "gold")
    scorer = _Scorer(_GraphView(store), details)
    for name, spec in docs.items():
        scorer.document(name, spec)
    return scorer.result()


def load_graph(paths: Sequence[str | Path]) -> Store:
    """An in-memory store holding the RDF files ``paths`` (format told by file extension)."""
    store = Store()
    for path in map(Path, paths):
        fmt = RdfFormat.from_extension(path.suffix.lstrip("."))
        if fmt is None:
            raise UsageError(
                f"cannot tell the RDF format of {path}",
                hint="use .ttl, .trig, .nq, .nt, .rdf or .jsonld",
            )
        if not path.is_file():
            raise UsageError(f"graph file {path} not found", hint="build the graph first")
        try:
            store.bulk_load(path=str(path), format=fmt)
        except (SyntaxError, ValueError, OSError) as exc:
            raise UsageError(
                f"cannot read graph file {path}: {exc}", hint=f"is it valid {fmt.name}?"
            ) from exc
    return store


def score_files(
    paths: Sequence[str | Path], gold_path: str | Path, *, details: bool = False
) -> EvaluationResult:
    """Score the graph in the RDF files ``paths`` against the gold file ``gold_path``."""
    gold = load_gold(gold_path)
    return score_store(load_graph(paths), gold, details=details)


def evaluate(
    corpus: Sequence[str | Path],
    gold_path: str | Path,
    *,
    out: Path | None = None,
    details: bool = False,
) -> EvaluationResult:
    """Build ``corpus`` (into ``out``, or a temporary directory) and score its graph."""
    from .pipeline import build

    gold = load_gold(gold_path)  # fail before a long build
    with (
        nullcontext(None)
        if out is not None
        else tempfile.TemporaryDirectory(prefix="regiograph-eval-")
    ) as tmp:
        target = Path(out) if out is not None else Path(str(tmp)) / "build"
        build(list(corpus), target)
        return score_store(load_graph([target / "graph.ttl"]), gold, details=details)
