"""SPARQL text without a parser: a tokenizer that knows strings, IRIs and comments, and
what regiograph does with it: bind parameters as ``VALUES`` blocks (:func:`inline_bindings`,
for endpoints without a binding API), declare the predeclared prefixes
(:func:`with_prefixes`), tell the query form (:func:`query_form`) and find keywords
(:func:`has_keyword`, to refuse ``SERVICE`` and ``LOAD`` on the server).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from .errors import QueryError
from .namespaces import PREFIXES
from .query import Term

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n\r]*)
      | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  | '''(?:[^'\\]|\\.|'(?!''))*'''
                  | "(?:[^"\\\n\r]|\\.)*"
                  | '(?:[^'\\\n\r]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][\w\u00b7]+)
      | (?P<word>[A-Za-z_][\w.-]*:?(?:[\w.%:-]|\\.)*)
      | (?P<punct>[{}()*])
      | (?P<other>\S)""",
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    start: int
    end: int

    def keyword(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


def _tokens(text: str) -> list[_Tok]:
    return [
        _Tok(m.lastgroup or "other", m.group(), m.start(), m.end())
        for m in _TOKEN.finditer(text)
        if m.lastgroup != "comment"
    ]


def _group_start(tokens: list[_Tok], i: int) -> int | None:
    """Index of the ``{`` that opens the WHERE group of the query form at ``tokens[i]``
    (skipping its projection or template); ``None`` when it has none."""
    depth = 0
    form = tokens[i]
    j = i + 1
    if form.keyword("CONSTRUCT"):
        if j < len(tokens) and tokens[j].keyword("WHERE"):
            return None  # CONSTRUCT WHERE { triples }: no room for VALUES inside
        if j < len(tokens) and tokens[j].text == "{":  # skip the template
            level = 0
            while j < len(tokens):
                level += {"{": 1, "}": -1}.get(tokens[j].text, 0)
                j += 1
                if level == 0:
                    break
    while j < len(tokens):
        tok = tokens[j]
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.text == "{" and depth == 0:
            return j
        elif depth == 0 and tok.keyword("LIMIT", "OFFSET", "ORDER", "GROUP", "VALUES", "HAVING"):
            return None  # DESCRIBE <x> without a WHERE clause
        j += 1
    return None


def _projection(tokens: list[_Tok], i: int) -> tuple[set[str], bool]:
    """The plain variables a ``SELECT`` at ``tokens[i]`` projects, and whether it is ``*``.

    Variables introduced by ``(expression AS ?v)`` are left out: they cannot be bound
    before the projection.
    """
    names: set[str] = set()
    depth = 0
    for tok in tokens[i + 1 :]:
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif depth == 0 and (tok.text == "{" or tok.keyword("WHERE", "FROM")):
            break
        elif depth == 0 and tok.text == "*":
            return names, True
        elif depth == 0 and tok.kind == "var":
            names.add(tok.text[1:])
    return names, False


def _values(names: Sequence[str], params: Mapping[str, Term]) -> str:
    terms = " ".join(_term(params[n]) for n in names)
    if len(names) == 1:
        return f"VALUES ?{names[0]} {{ {terms} }}"
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({terms}) }}"


def _term(term: Term) -> str:
    if isinstance(term, ox.NamedNode | ox.Literal):
        return str(term)  # N-Triples syntax: quotes, backslashes and newlines escaped
    raise QueryError(f"cannot bind {term!r} in a VALUES clause", hint="bind an IRI or a literal")


def inline_bindings(text: str, params: Mapping[ox.Variable | str, Term] | None) -> str:
    """``text`` with ``params`` (RDF terms from :func:`regiograph.query.bind`) bound by
    ``VALUES`` blocks, for endpoints that have no way to pass bindings.

    A block goes at the start of the WHERE group of every SELECT (the query and its
    sub-queries) that projects the variable, as pyoxigraph's substitutions do; for ASK,
    CONSTRUCT and DESCRIBE at the start of their WHERE group (or after the query, when it
    has none). Raises :class:`QueryError` when no SELECT projects a parameter.
    """
    if not params:
        return text
    bound = {(k.value if isinstance(k, ox.Variable) else k.lstrip("?$")): v
             for k, v in params.items()}
    tokens = _tokens(text)
    inserts: list[tuple[int, str]] = []
    used: set[str] = set()
    forms = [i for i, t in enumerate(tokens) if t.keyword("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")]
    trailing: list[str] = []
    for i in forms:
        if tokens[i].keyword("SELECT"):
            projected, star = _projection(tokens, i)
            names = [n for n in bound if star or n in projected]
        elif i == forms[0]:
            names = list(bound)
        else:
            continue
        if not names:
            continue
        used.update(names)
        at = _group_start(tokens, i)
        if at is None:
            trailing = names
            continue
        brace = tokens[at]
        gap = text[brace.end : tokens[at + 1].start if at + 1 < len(tokens) else len(text)]
        lead = "\n" + gap.rsplit("\n", 1)[1] if "\n" in gap else " "
        inserts.append((brace.end, f"{lead}{_values(names, bound)}"))
    missing = [n for n in bound if n not in used]
    if missing:
        raise QueryError(
            f"parameter {missing[0]!r} is not a variable the query's SELECT clause lists",
            hint="a parameter must be a variable listed in the SELECT clause",
        )
    for pos, block in sorted(inserts, reverse=True):
        text = text[:pos] + block + text[pos:]
    if trailing:
        text = text.rstrip() + "\n" + _values(trailing, bound) + "\n"
    return text


def declared_prefixes(text: str) -> set[str]:
    """The prefixes a query declares with ``PREFIX name: <iri>``."""
    tokens = _tokens(text)
    return {
        tokens[i + 1].text[:-1]
        for i, tok in enumerate(tokens[:-1])
        if tok.keyword("PREFIX") and tokens[i + 1].text.endswith(":")
    }


def with_prefixes(text: str, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """``text`` with ``PREFIX`` declarations for the regiograph prefixes it uses but does not
    declare (pyoxigraph predeclares them locally; a remote endpoint does not)."""
    declared = declared_prefixes(text)
    used = {t.text.split(":", 1)[0] for t in _tokens(text) if t.kind == "word" and ":" in t.text}
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in prefixes.items()
             if p in used and p not in declared]
    return "\n".join([*lines, "", text]) if lines else text


def query_form(text: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``, ``UPDATE`` (any SPARQL Update) or
    ``None`` for what the outermost query of ``text`` is."""
    for tok in _tokens(text):
        if tok.keyword("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return tok.text.upper()
        if tok.keyword("INSERT", "DELETE", "DROP", "CLEAR", "LOAD", "CREATE", "ADD", "MOVE",
                       "COPY", "WITH"):
            return "UPDATE"
    return None



_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def has_keyword(text: str, *words: str) -> bool:
    """Whether ``text`` uses one of the SPARQL keywords ``words`` outside strings, IRIs and
    comments (``\\u`` escapes undone first)."""
    unescaped = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    upper = {w.upper() for w in words}
    if not any(w in unescaped.upper() for w in upper):
        return False
    return any(t.keyword(*upper) for t in _tokens(unescaped))
