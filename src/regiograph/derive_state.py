"""The derived graph carried from one build to the next.

The derived graph (:mod:`regiograph.derive`) is a function of the facts of every
document. Recomputing it took about 2.5 s of a 7.5 s rebuild of 10,000 documents with one
changed, so a build keeps, in ``OUT/cache``:

:data:`FACTS_PACK`
    each document's :func:`~regiograph.derive.contribution`, pickled, one after the
    other (the cache index says where each document's is);
:data:`DERIVED_STATE`
    a :class:`DerivedState`: the facts with how many documents state each
    (:class:`FactCounts`) and where each subject's lines are in ``graph.trig``'s derived
    block.

An incremental build adds the contributions of the documents that are new or whose
resolution changed, takes back those of the documents that changed or went (read from the
previous pack), and recomputes the derived triples only of the subjects whose facts changed
and of the subjects that depend on them (:func:`dirty_subjects`); every other subject's
lines are copied from the previous ``graph.trig``. The result is byte for byte a full
build's (tested).
"""

from __future__ import annotations

import pickle
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .derive import (
    COLLABORATION,
    DOC_YEAR,
    DOCUMENT,
    FLAT,
    MEMBER,
    MEMBER_DOC,
    PROVINCE,
    TYPE,
    Fact,
    Facts,
    Memberships,
    TermTriple,
    V,
    contribution,
    derived_triples,
    membership_index,
    partner_counts,
    tables,
)
from .filecopy import BlockCopier, Pack, read_pickle, write_pickle
from .model import ResolvedDocument
from .namespaces import DERIVED_GRAPH
from .render import Rendered, parse_block, render_triples

#: Every document's contribution, pickled one after the other, in ``OUT/cache``.
FACTS_PACK = "facts.pack"
#: The :class:`DerivedState` of a build, pickled, in ``OUT/cache``.
DERIVED_STATE = "derived.pkl"


@dataclass
class FactCounts:
    """:class:`~regiograph.derive.Facts` and how many documents state each fact: a fact
    two documents state stays when one of them goes."""

    facts: Facts = field(default_factory=Facts)
    #: fact -> how many documents state it besides the first (facts stated once: absent)
    extra: dict[Fact, int] = field(default_factory=dict)

    def add(self, contributed: Iterable[Fact]) -> list[Fact]:
        """Count the facts of one document in; return those that were not stated yet."""
        fields, extra, new = tables(self.facts), self.extra, []
        for fact in contributed:
            kind, subject, value = fact
            if kind in FLAT:
                values = fields[kind]
                present, item = subject in values, subject
            else:
                values = fields[kind][subject]
                present, item = value in values, value
            if present:
                extra[fact] = extra.get(fact, 0) + 1
            else:
                values.add(item)
                new.append(fact)
        return new

    def remove(self, contributed: Iterable[Fact]) -> list[Fact]:
        """Count the facts of one document out; return those no document states now."""
        fields, extra, gone = tables(self.facts), self.extra, []
        for fact in contributed:
            n = extra.get(fact, 0)
            if n > 1:
                extra[fact] = n - 1
                continue
            if n == 1:
                del extra[fact]
                continue
            kind, subject, value = fact
            if kind in FLAT:
                fields[kind].discard(subject)
            else:
                values = fields[kind].get(subject)
                if values is not None:
                    values.discard(value)
                    if not values:
                        del fields[kind][subject]
            gone.append(fact)
        return gone


@dataclass
class Dirty:
    """The subjects whose derived triples may differ after a change of the facts."""

    #: any of their derived triples may differ
    subjects: set[str]
    #: only their ``rg:partnerCount`` may differ (organisations that became or stopped
    #: being partners of a member whose memberships changed; not in ``subjects``)
    partners: set[str]


def dirty_subjects(
    facts: Facts,
    appeared: Iterable[Fact],
    gone: Iterable[Fact],
    index: Memberships | None = None,
) -> Dirty:
    """The subjects whose derived triples may differ once the facts ``appeared`` were added
    to ``facts`` and ``gone`` were taken out of them (``facts`` holds the result;
    ``index``: its :func:`~regiograph.derive.membership_index`, when the caller has it).

    Their own subjects, plus

    * for every collaboration whose members, or whose members' types or provinces,
      changed: its members whose partner types or collaboration provinces can change
      (those of every member when its provinces changed; those of the members for which a
      type crossed the count that makes it a partner type);
    * for every membership that came or went: the organisations that became or stopped
      being partners of the member (their partner counts only: :attr:`Dirty.partners`);
    * every member of a collaboration that became or stopped being one;
    * the organisations and collaborations that name a document that came, went or whose
      date changed (document counts, first years, reports).
    """
    dirty: set[str] = set()
    docs: set[str] = set()
    whole: set[str] = set()  # collaborations all of whose members are dirty
    #: [came, went] per collaboration (its members), organisation (types, provinces)
    members: dict[str, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    types: dict[str, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    provinces: dict[str, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for side, changed in ((0, appeared), (1, gone)):
        for kind, subject, value in changed:
            if kind == MEMBER_DOC:
                dirty.add(subject[0])
                continue
            if kind in (DOCUMENT, DOC_YEAR):
                docs.add(subject)
                continue
            dirty.add(subject)
            if kind == MEMBER:
                dirty.add(value)
                members[subject][side].add(value)
            elif kind == COLLABORATION:
                whole.add(subject)
            elif kind == TYPE:
                types[subject][side].add(value)
            elif kind == PROVINCE:
                provinces[subject][side].add(value)
    view = _Before(facts, members, types, provinces, index)
    for c in whole:  # every member, whether c is a collaboration now or was before
        dirty.update(facts.members.get(c, ()), members[c][1] if c in members else ())
    affected = set(members)
    for o in types.keys() | provinces.keys():
        affected.update(view.collaborations(o, before=False), view.collaborations(o, before=True))
    for c in affected - whole:
        dirty.add(c)
        dirty.update(view.changed_views(c))
    partners: set[str] = set()
    for came, went in members.values():
        for m in came | went:
            partners.update(view.partners(m, before=True) ^ view.partners(m, before=False))
    if docs:
        for table in (facts.collab_docs, facts.mentioned_in):
            dirty.update(c for c, ds in table.items() if not ds.isdisjoint(docs))
        dirty.update(m for (m, _), ds in facts.member_docs.items() if not ds.isdisjoint(docs))
    return Dirty(dirty, partners - dirty)


class _Before:
    """Members, collaborations, types and provinces as :func:`derived_triples` sees them,
    now and before the change (now, with what came taken out and what went put back)."""

    def __init__(self, facts: Facts, members, types, provinces, index=None) -> None:
        self.facts = facts
        self.delta = {"members": members, "types": types, "provinces": provinces}
        self._index: Memberships | None = index
        self._partners: dict[tuple[str, bool], set[str]] = {}

    def _get(self, name: str, table: dict, key: str, before: bool) -> set:
        now = table.get(key, set())
        if not before or key not in self.delta[name]:
            return now
        came, went = self.delta[name][key]
        return (now - came) | went

    def members(self, c: str, *, before: bool) -> set[str]:
        if c not in self.facts.collaborations:  # derived_triples ignores its members
            return set()
        return self._get("members", self.facts.members, c, before)

    def collaborations(self, o: str, *, before: bool) -> set[str]:
        if self._index is None:
            self._index = membership_index(self.facts)
        now = self._index[1].get(o, set())  # collaborations only
        if not before:
            return now
        came = {c for c, (add, _) in self.delta["members"].items() if o in add}
        went = {c for c, (_, drop) in self.delta["members"].items() if o in drop}
        return {c for c in (now - came) | went if c in self.facts.collaborations}

    def partners(self, m: str, *, before: bool) -> set[str]:
        """The organisations that share a collaboration with ``m``."""
        key = (m, before)
        if key not in self._partners:
            cs = self.collaborations(m, before=before)
            self._partners[key] = set().union(*(self.members(c, before=before) for c in cs))
        return self._partners[key]

    def changed_views(self, c: str) -> set[str]:
        """The members of ``c`` (before or now) whose collaboration provinces or partner
        types from ``c`` differ between before and now."""
        facts = self.facts
        ms = {False: self.members(c, before=False), True: self.members(c, before=True)}
        everyone = ms[False] | ms[True]
        kinds, where = {}, {}
        for before in (False, True):
            kinds[before] = Counter(
                t for m in ms[before] for t in self._get("types", facts.types, m, before)
            )
            where[before] = set().union(
                *(self._get("provinces", facts.provinces, m, before) for m in ms[before])
            )
        if where[False] != where[True]:
            return everyone
        counts = {
            t: (kinds[True][t], kinds[False][t])
            for t in kinds[False].keys() | kinds[True].keys()
            if kinds[False][t] != kinds[True][t]
        }
        if not counts:
            return set()

        def sees(n: int, t: str, own: set) -> bool:  # as derived_triples' partner types
            return n > (1 if t in own else 0)

        out = set()
        for x in everyone:
            old = self._get("types", facts.types, x, True)
            new = facts.types.get(x, set())
            if any(sees(b, t, old) != sees(a, t, new) for t, (b, a) in counts.items()):
                out.add(x)
        return out


# --------------------------------------------------------------------------- blocks

#: Where a subject's lines start in a TriG block pyoxigraph wrote: after a line break, one
#: tab and no second one (a subject's further predicates are indented by two tabs).
_SUBJECT_LINE = re.compile(rb"\n\t(?!\t)")
_TAIL = b"}\n"


def render_derived(triples: list[TermTriple]) -> tuple[Rendered | None, dict[str, tuple[int, int]]]:
    """The derived graph's block (``None`` when it has no triples) and, per subject, the
    (offset, length) of its lines in the block's TriG. ``triples`` are sorted by subject,
    as :func:`~regiograph.derive.derived_triples` returns them."""
    if not triples:
        return None, {}
    rendered = render_triples(str(DERIVED_GRAPH), triples)
    trig = rendered.trig
    head, end = trig.index(b"\n"), len(trig) - len(_TAIL)
    starts = [m.start() + 1 for m in _SUBJECT_LINE.finditer(trig, head, end)]
    subjects = list(dict.fromkeys(s.value for s, _, _ in triples))
    if len(starts) != len(subjects) or not trig.endswith(_TAIL):  # pragma: no cover
        raise RuntimeError("unexpected TriG from pyoxigraph: cannot split it by subject")
    ends = [*starts[1:], end]
    return rendered, {s: (a, b - a) for s, a, b in zip(subjects, starts, ends, strict=True)}


def block_head() -> bytes:
    """The first line of the derived graph's TriG block (its name and the brace)."""
    probe = ox.NamedNode("urn:x")
    rendered = render_triples(str(DERIVED_GRAPH), [(probe, probe, probe)])
    return rendered.trig[: rendered.trig.index(b"\n") + 1]


@dataclass
class DerivedState:
    """What a build keeps of its derived graph for the next one."""

    counts: FactCounts
    #: subject IRI -> (offset, length) of its lines in ``graph.trig``
    subjects: dict[str, tuple[int, int]]


def write_state(directory: Path, state: DerivedState) -> None:
    write_pickle(directory / DERIVED_STATE, state)


def read_state(directory: Path) -> DerivedState | None:
    """The :data:`DERIVED_STATE` in ``directory``, or ``None`` when it cannot be read."""
    return read_pickle(directory / DERIVED_STATE, DerivedState)


@dataclass
class Patch:
    """An incremental build's change of the derived graph."""

    #: subject -> its new lines (absent: the subject has no derived triple any more)
    lines: dict[str, bytes]
    #: the subjects whose lines changed (a subject of ``lines`` may have kept them)
    changed: set[str]
    gone: list[ox.Triple]
    added: list[ox.Triple]


def patch(state: DerivedState, appeared: list[Fact], gone: list[Fact], old_trig: BinaryIO) -> Patch:
    """Recompute the derived triples of the subjects that the facts which ``appeared`` and
    are ``gone`` make dirty (``state.counts`` already holds the new facts) and compare them
    with their lines in the previous build's graph.trig (``old_trig``, where
    ``state.subjects`` point)."""
    facts = state.counts.facts
    index = membership_index(facts)  # for all three below
    dirty = dirty_subjects(facts, appeared, gone, index)
    # a subject whose partner count alone may differ has that number changed in its lines
    recount = sorted(dirty.partners)
    counts = partner_counts(facts, recount, index)
    quick: dict[str, tuple[bytes, int, int]] = {}  # subject -> (lines, count before, now)
    slow = set(dirty.subjects)
    for s in recount:
        lines = _read(old_trig, state.subjects.get(s))
        found = _partner_count_in(lines) if s in counts else None
        if found is None:  # not in the lines, or no partner count any more: derive it
            slow.add(s)
        elif int(found.group(1)) != counts[s]:
            number = str(counts[s]).encode()
            new = lines[: found.start(1)] + number + lines[found.end(1) :]
            quick[s] = (new, int(found.group(1)), counts[s])
    triples = derived_triples(facts, slow, index)
    rendered, spans = render_derived(triples)
    new_lines = {s: rendered.trig[a : a + n] for s, (a, n) in spans.items()} if rendered else {}
    kept = sorted(slow & state.subjects.keys())
    old_lines = {s: _read(old_trig, state.subjects[s]) for s in kept}
    changed_subjects = {s for s in slow if old_lines.get(s) != new_lines.get(s)}
    head = block_head()
    old = _triples(head, [old_lines[s] for s in sorted(changed_subjects & old_lines.keys())])
    new = {ox.Triple(s, p, o) for s, p, o in triples if s.value in changed_subjects}
    gone_triples, added = list(old - new), list(new - old)
    for s, (lines, before, now) in quick.items():
        node = ox.NamedNode(s)
        gone_triples.append(ox.Triple(node, V.partner_count, _integer(before)))
        added.append(ox.Triple(node, V.partner_count, _integer(now)))
        new_lines[s] = lines
    return Patch(new_lines, changed_subjects | quick.keys(), gone_triples, added)


def _read(handle: BinaryIO, where: tuple[int, int] | None) -> bytes:
    if where is None:
        return b""
    handle.seek(where[0])
    return handle.read(where[1])


@lru_cache(maxsize=1)
def _partner_count_line() -> re.Pattern:
    """The ``rg:partnerCount`` line of a subject's lines, its number the group."""
    probe = ox.NamedNode("urn:x")
    block = render_triples(str(DERIVED_GRAPH), [(probe, V.partner_count, _integer(7))]).trig
    line = block.splitlines()[1]  # "\t<urn:x> rg:partnerCount 7 ."
    token = line.split(b" ")[1]
    return re.compile(rb"[\t ]" + re.escape(token) + rb" (\d+) [;.]$", re.MULTILINE)


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=V.integer)


def _partner_count_in(lines: bytes) -> re.Match | None:
    return _partner_count_line().search(lines)


def _triples(head: bytes, lines: list[bytes]) -> set[ox.Triple]:
    if not lines:
        return set()
    return {q.triple for q in parse_block(head + b"".join(lines) + _TAIL)}


class DerivedUpdate:
    """The derived graph's part of writing a build.

    Each document's facts are counted in as it is written and kept in the facts pack
    (:meth:`document`); an incremental build copies those of the documents resolved as
    before and takes back those of the documents that changed or went (:meth:`take_back`).
    :meth:`write` then writes the derived graph's block: all of it in a full build, in an
    incremental one the previous lines of every subject the change leaves alone and new
    lines for the others (:func:`patch`).
    """

    def __init__(
        self,
        directory: Path,
        previous: DerivedState | None = None,
        previous_directory: Path | None = None,
        contributions: dict[str, list[list[int]]] | None = None,
    ) -> None:
        self.previous = previous
        self.counts = FactCounts() if previous is None else previous.counts
        copy_from = None  # a full build has no previous pack to copy from
        if previous is not None and previous_directory is not None:
            copy_from = previous_directory / FACTS_PACK
        self.pack = Pack(directory / FACTS_PACK, copy_from)
        #: document key -> where the previous build's documents of that key have their
        #: facts in its pack (those copied are taken out)
        self.old = contributions or {}
        self.appeared: list[Fact] = []  # facts no document stated before
        self.gone: list[Fact] = []  # facts no document states any more

    def document(self, key: str, res: ResolvedDocument, *, unchanged: bool) -> list[int]:
        """Count in the facts of the document ``key`` (``unchanged``: resolved as in the
        previous build, whose record of its facts is copied); return where they are in the
        pack."""
        ranges = self.old.get(key)
        if unchanged and ranges:
            return self.pack.copy(*ranges.pop())
        contributed = contribution(res)
        new = self.counts.add(contributed)
        if self.previous is not None:  # a full build derives everything
            self.appeared += new
        return self.pack.write(pickle.dumps(contributed, protocol=pickle.HIGHEST_PROTOCOL))

    def take_back(self) -> None:
        """Count out the facts of the previous build's documents not copied: those that
        changed, were resolved otherwise, or went."""
        for ranges in self.old.values():
            for where in ranges:
                self.gone += self.counts.remove(pickle.loads(self.pack.previous(*where)))
        self.old = {}

    def write(
        self, trig: BinaryIO, copier: BlockCopier, old_trig: BinaryIO | None
    ) -> tuple[Rendered | Patch | None, dict[str, tuple[int, int]]]:
        """Write the derived graph's block at the end of ``trig``; return the rendered
        graph (full build) or the patch (incremental build) and where each subject's lines
        are."""
        if self.previous is None:
            rendered, spans = render_derived(derived_triples(self.counts.facts))
            start = trig.tell()
            if rendered is not None:
                trig.write(rendered.trig)
            return rendered, {s: (start + a, n) for s, (a, n) in spans.items()}
        result = patch(self.previous, self.appeared, self.gone, old_trig)
        return result, write_block(trig, copier, self.previous, result)

    def save(self, directory: Path, subjects: dict[str, tuple[int, int]]) -> None:
        """Write :data:`DERIVED_STATE` for the next build."""
        write_state(directory, DerivedState(self.counts, subjects))

    def close(self) -> None:
        self.pack.close()


def write_block(
    trig: BinaryIO, copier: BlockCopier, state: DerivedState, result: Patch
) -> dict[str, tuple[int, int]]:
    """Write the derived graph's block into ``trig`` (at its end): the lines of unchanged
    subjects copied from the previous graph.trig by ``copier``, those of ``result``'s
    changed subjects new. Returns where each subject's lines now are."""
    subjects = (state.subjects.keys() - result.changed) | (result.lines.keys() & result.changed)
    if not subjects:
        return {}
    copier.flush()
    trig.write(block_head())
    position = trig.tell()
    where = {}
    for s in sorted(subjects):
        if s in result.changed:
            copier.flush()
            data = result.lines[s]
            trig.write(data)
            length = len(data)
        else:
            offset, length = state.subjects[s]
            copier.add(offset, length)
        where[s] = (position, length)
        position += length
    copier.flush()
    trig.write(_TAIL)
    return where
