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
    out = []
    for match in TOKEN.finditer(text):
        word, start = match.group(0), match.start()
        out.append((start, match.end(), word))
        for inner in _CAMEL.finditer(word):  # a name glued to a prefix
            out.append((start + inner.start(), match.end(), word[inner.start() :]))
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
        self._index: dict[tuple[str, bool], list[tuple[tuple[str, ...], str, V]]] = {}
        self._prefixes: dict[str, V] = {}
        for table, fold in ((self.exact, False), (self.folded, True)):
            for phrase, value in table.items():
                key = phrase.lower() if fold else phrase
                if key.endswith("-") and " " not in key:
                    self._prefixes[key] = value
                    continue
                tokens = tuple(t.group(0) for t in TOKEN.finditer(key))
                if tokens:
                    self._index.setdefault((tokens[0], fold), []).append((tokens, phrase, value))
        for entries in self._index.values():
            entries.sort(key=lambda e: -len(e[0]))

    def finditer(self, text: str) -> Iterator[tuple[int, int, str, V]]:
        tokens = tokenize(text)
        taken_until = -1
        for i, (start, _end, word) in enumerate(tokens):
            if start < taken_until:
                continue
            best = None
            for fold in (False, True):
                probe = word.lower() if fold else word
                for phrase_tokens, _phrase, value in self._index.get((probe, fold), ()):
                    end = self._match(text, tokens, i, phrase_tokens, fold)
                    if end is not None and (best is None or end > best[1]):
                        best = (start, end, value)
                        break
            if best is None and self._prefixes:
                low = word.lower()
                for prefix, value in self._prefixes.items():
                    if low.startswith(prefix):
                        best = (start, start + len(prefix), value)
                        break
            if best is not None:
                taken_until = best[1]
                yield best[0], best[1], text[best[0] : best[1]], best[2]

    @staticmethod
    def _match(text, tokens, i, phrase_tokens, fold) -> int | None:
        j = i
        for k, expected in enumerate(phrase_tokens):
            while j < len(tokens) and k > 0 and tokens[j][0] < tokens[j - 1][1]:
                j += 1  # skip glued sub-tokens
            if j >= len(tokens):
                return None
            word = tokens[j][2].lower() if fold else tokens[j][2]
            if word != expected:
                return None
            if k > 0 and text[tokens[j - 1][1] : tokens[j][0]].strip(" \t") != "":
                return None  # words of one phrase are separated by spaces only
            j += 1
        return tokens[j - 1][1]
