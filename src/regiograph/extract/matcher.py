"""A token-based phrase matcher for large lexicons (in the spirit of spaCy's PhraseMatcher).

One regular expression with thousands of alternatives is slow in Python's ``re``; looking
phrases up by their first token in a dictionary is not. Phrases match on token boundaries;
a phrase may also start after a glued lower-case prefix ("fbwkWetterskip Fryslân").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generic, TypeVar

V = TypeVar("V")

TOKEN = re.compile(r"\w[\w'’&+]*(?:[-.]\w[\w'’&+]*)*-?|&")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-ZÀ-Þ][a-zà-ÿ])")


@lru_cache(maxsize=8)
def tokenize(text: str) -> tuple[tuple[int, int, str], ...]:
    """Word tokens with offsets; a name glued to a lower-case prefix is a token too. Cached:
    every matcher of a document tokenises the same text."""
    if _CAMEL.search(text) is None:  # no glued name in the text, so none in any of its words
        return tuple((m.start(), m.end(), m.group()) for m in TOKEN.finditer(text))
    out = []
    for match in TOKEN.finditer(text):
        word = match.group(0)
        start, end = match.span()
        out.append((start, end, word))
        if word[1:].islower():  # no upper-case letter after the first: nothing glued
            continue
        for inner in _CAMEL.finditer(word):  # a name glued to a prefix
            out.append((start + inner.start(), end, word[inner.start() :]))
    return tuple(out)


@dataclass
class PhraseMatcher(Generic[V]):
    """Find phrases of a lexicon in text, longest first, without overlaps.

    ``exact`` phrases match case-sensitively, ``folded`` phrases ignore case. A phrase ending
    in ``-`` ("it-") matches as a prefix of a token.

    >>> m = PhraseMatcher(exact={"NHL Stenden": 1}, folded={"groene chemie": 2})
    >>> [(t, v) for _, _, t, v in m.finditer("NHL Stenden en Groene Chemie")]
    [('NHL Stenden', 1), ('Groene Chemie', 2)]
    """

    exact: Mapping[str, V] = field(default_factory=dict)
    folded: Mapping[str, V] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # a trie of tokens per table: token -> [value, has value, children]; a node's value
        # is that of the first phrase of the table that ends there
        self._tries: tuple[dict, dict] = ({}, {})
        self._prefixes: dict[str, V] = {}
        for table, fold in ((self.exact, False), (self.folded, True)):
            root = self._tries[fold]
            for phrase, value in table.items():
                key = phrase.lower() if fold else phrase
                if key.endswith("-") and " " not in key:
                    self._prefixes[key] = value
                    continue
                tokens = [t.group(0) for t in TOKEN.finditer(key)]
                if not tokens:
                    continue
                children, node = root, None
                for token in tokens:
                    node = children.get(token)
                    if node is None:
                        node = children[token] = [None, False, {}]
                    children = node[2]
                if not node[1]:
                    node[0], node[1] = value, True

    def finditer(self, text: str) -> Iterator[tuple[int, int, str, V]]:
        """Matches (start, end, text, value) from left to right: at each token the longest
        phrase (in tokens) of ``exact``, replaced by the longest of ``folded`` when that one
        ends later; then a prefix."""
        tokens = tokenize(text)
        words, lowered = _words(text)
        exact, folded = self._tries
        prefixes = self._prefixes
        # the tokens a phrase can start at, found in one pass (most tokens start none)
        starts = tuple(prefixes)
        candidates = [
            i
            for i, (word, low) in enumerate(zip(words, lowered, strict=True))
            if word in exact or low in folded or (starts and low.startswith(starts))
        ]
        taken_until = -1
        for i in candidates:
            start = tokens[i][0]
            if start < taken_until:
                continue
            best = None
            if words[i] in exact:
                best = _walk(exact, text, tokens, words, i)
            if lowered[i] in folded:
                found = _walk(folded, text, tokens, lowered, i)
                if found is not None and (best is None or found[0] > best[0]):
                    best = found
            if best is not None:
                end, value = best
            elif prefixes:
                low = lowered[i]
                for prefix, prefix_value in prefixes.items():
                    if low.startswith(prefix):
                        end, value = start + len(prefix), prefix_value
                        break
                else:
                    continue
            else:
                continue
            taken_until = end
            yield start, end, text[start:end], value


@lru_cache(maxsize=8)
def _words(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words of the tokens of ``text``, as they are and in lower case."""
    words = tuple(t[2] for t in tokenize(text))
    return words, tuple(w.lower() for w in words)


def _walk(root: dict, text: str, tokens, words, i: int) -> tuple[int, object] | None:
    """The longest phrase of the trie ``root`` at token ``i``: (end offset, value). Glued
    sub-tokens after the first are skipped; the words of a phrase are separated by spaces
    or tabs only. ``words`` are the tokens' strings (lower-cased for a folded trie)."""
    node = root[words[i]]
    best = (tokens[i][1], node[0]) if node[1] else None
    n, j = len(tokens), i + 1
    while node[2]:
        while j < n and tokens[j][0] < tokens[j - 1][1]:
            j += 1  # skip glued sub-tokens
        if j >= n:
            break
        node = node[2].get(words[j])
        if node is None:
            break
        if text[tokens[j - 1][1] : tokens[j][0]].strip(" \t") != "":
            break  # words of one phrase are separated by spaces only
        if node[1]:
            best = (tokens[j][1], node[0])
        j += 1
    return best
