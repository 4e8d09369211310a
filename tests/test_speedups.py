"""The faster forms of build steps find exactly what the plain forms find.

Each optimisation of ``regiograph.extract`` replaced a simple formulation (one regular
expression alternative per word, a scan of every phrase that starts with a token, a
case-insensitive ``finditer`` over the whole text) by a faster one. These tests run the
simple formulation beside the fast one on made-up and lexicon text, including the
characters ``re.IGNORECASE`` treats specially.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from regiograph.extract import names, people
from regiograph.extract.lexicon import COMPOUND_ROLES, _alternation, load_lexicon
from regiograph.extract.matcher import TOKEN, PhraseMatcher, tokenize
from regiograph.extract.places import _place_matcher


class PlainMatcher(PhraseMatcher):
    """The matcher as first written: every phrase starting with a token, longest first."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self._index: dict = {}
        for table, fold in ((self.exact, False), (self.folded, True)):
            for phrase, value in table.items():
                key = phrase.lower() if fold else phrase
                if key.endswith("-") and " " not in key:
                    continue
                tokens = tuple(t.group(0) for t in TOKEN.finditer(key))
                if tokens:
                    self._index.setdefault((tokens[0], fold), []).append((tokens, value))
        for entries in self._index.values():
            entries.sort(key=lambda e: -len(e[0]))

    def finditer(self, text):
        tokens = tokenize(text)
        taken_until = -1
        for i, (start, _end, word) in enumerate(tokens):
            if start < taken_until:
                continue
            best = None
            for fold in (False, True):
                probe = word.lower() if fold else word
                for phrase_tokens, value in self._index.get((probe, fold), ()):
                    end = self._plain_match(text, tokens, i, phrase_tokens, fold)
                    if end is not None and (best is None or end > best[1]):
                        best = (start, end, value)
                        break
            if best is None and self._prefixes:
                for prefix, value in self._prefixes.items():
                    if word.lower().startswith(prefix):
                        best = (start, start + len(prefix), value)
                        break
            if best is not None:
                taken_until = best[1]
                yield best[0], best[1], text[best[0] : best[1]], best[2]

    @staticmethod
    def _plain_match(text, tokens, i, phrase_tokens, fold):
        j = i
        for k, expected in enumerate(phrase_tokens):
            while j < len(tokens) and k > 0 and tokens[j][0] < tokens[j - 1][1]:
                j += 1
            if j >= len(tokens):
                return None
            word = tokens[j][2].lower() if fold else tokens[j][2]
            if word != expected:
                return None
            if k > 0 and text[tokens[j - 1][1] : tokens[j][0]].strip(" \t") != "":
                return None
            j += 1
        return tokens[j - 1][1]


def test_the_trie_matcher_finds_the_longest_phrase_and_prefers_a_longer_folded_one():
    m = PhraseMatcher(
        exact={"NHL": 1, "NHL Stenden": 2, "Wetterskip": 3},
        folded={"nhl stenden hogeschool": 4, "groene chemie": 5, "it-": 6, "a b": 7, "a  b": 8},
    )
    text = (
        "NHL Stenden Hogeschool, NHL Stenden en NHL, fbwkWetterskip, IT-bedrijf, A b, "
        "Groene  Chemie"
    )
    assert [(t, v) for _, _, t, v in m.finditer(text)] == [
        ("NHL Stenden Hogeschool", 4),
        ("NHL Stenden", 2),
        ("NHL", 1),
        ("Wetterskip", 3),  # glued to a lower-case prefix
        ("IT-", 6),  # a prefix
        ("A b", 7),  # the first phrase with those tokens
        ("Groene  Chemie", 5),  # words separated by spaces only
    ]
    assert list(m.finditer("NHL,Stenden")) == [(0, 3, "NHL", 1)]


def _lexicon_texts(phrases: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    seps = [" ", " en ", ", ", "\n", "-", "\t", ""]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 8)):
            w = rng.choice(phrases)
            forms = [w, w.upper(), w.lower(), w.title(), "xx" + w, w.replace(" ", "  "),
                     w.replace(" ", ", "), w[: len(w) // 2]]  # fmt: skip
            parts.append(rng.choice(forms))
        out.append("".join(p + rng.choice(seps) for p in parts))
    return out


@pytest.mark.parametrize("which", ["known", "sector", "place"])
def test_the_trie_matcher_equals_the_plain_matcher_on_the_lexicons(which: str):
    lex = load_lexicon()
    fast = {
        "known": lex.known_matcher,
        "sector": lex.sector_matcher,
        "place": _place_matcher(lex.places),
    }[which]
    plain = PlainMatcher(exact=fast.exact, folded=fast.folded)
    phrases = sorted([*fast.exact, *fast.folded])
    for text in _lexicon_texts(phrases, 1500, seed=len(which)):
        assert list(fast.finditer(text)) == list(plain.finditer(text)), text


def test_tokenize_splits_a_name_glued_to_a_prefix_only_where_there_is_one():
    def plain(text):
        out = []
        for m in TOKEN.finditer(text):
            out.append((m.start(), m.end(), m.group(0)))
            for inner in re.finditer(r"(?<=[a-z0-9])(?=[A-ZÀ-Þ][a-zà-ÿ])", m.group(0)):
                out.append((m.start() + inner.start(), m.end(), m.group(0)[inner.start() :]))
        return tuple(out)

    assert tokenize("fbwkWetterskip Fryslân") == (
        (0, 14, "fbwkWetterskip"),
        (4, 14, "Wetterskip"),
        (15, 22, "Fryslân"),
    )
    rng = random.Random(5)
    alphabet = "aAbzZéÉàÀÞþ×ǅǆ019_ -.'’&+ßẞİıK"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert tokenize(text) == plain(text), text


def _plain_role_regex(roles: list[str]) -> re.Pattern:
    words = "|".join(re.escape(w) for w in sorted(set(roles), key=lambda w: (-len(w), w)))
    return re.compile(
        r"(?<![\w-])(?:(?:collega|oud|vice|interim|waarnemend|demissionair)[- ])?"
        r"(" + words + r"|[\w]+-?(?:" + "|".join(COMPOUND_ROLES) + r"))(?![\w])",
        re.IGNORECASE,
    )


def test_the_trie_alternation_matches_as_longest_first_alternatives_do():
    words = ["lid", "lid van de raad", "lid van", "lector", "le", "a.b", "x y"]
    fast = re.compile(rf"(?:{_alternation(words)})(?!\w)")
    assert [m.group(0) for m in fast.finditer("lid van de raad, lid van het, lector, le")] == [
        "lid van de raad",
        "lid van",
        "lector",
        "le",
    ]
    assert fast.fullmatch("a.b") and not fast.fullmatch("axb") and fast.fullmatch("x y")
    assert re.fullmatch(_alternation(["in", "i"]), "i")


def test_the_role_expression_equals_the_plain_alternation():
    lex = load_lexicon()
    roles = sorted(lex.roles)
    plain = _plain_role_regex(roles)
    rng = random.Random(7)
    texts = []
    for _ in range(5000):
        words = [rng.choice([*roles, *COMPOUND_ROLES, "oud", "vice-", "de", "van", "FNV-"])
                 for _ in range(rng.randint(1, 6))]  # fmt: skip
        words = [rng.choice([w, w.upper(), w.title(), w[:-1], w + "s", "regio" + w]) for w in words]
        texts.append(rng.choice([" ", "", "-", ", "]).join(words))
    for text in texts:
        fast = [(m.span(), m.groups()) for m in lex.role_regex.finditer(text)]
        assert fast == [(m.span(), m.groups()) for m in plain.finditer(text)], text
        for word in text.split():
            assert bool(lex.role_regex.fullmatch(word)) == bool(plain.fullmatch(word)), word


def test_full_names_start_only_at_a_known_given_name():
    # people.persons tries its full-name expressions only where a known given name starts;
    # trying them at every capitalised word start finds the same names
    lex = load_lexicon()
    word_start = re.compile(r"(?<![\w-])[A-ZÀ-Þ]")
    givens = [*sorted(lex.first_names)[:40], "Jan-Willem", "Anne-Marie"]
    others = ["Meer", "Vries", "Jansen-de Boer", "van der", "de", "ter", "Gemeente", "NHL",
              "Ä", "Éva", "x", "-", ".", "'t", "Groningen"]  # fmt: skip
    rng = random.Random(3)
    for _ in range(4000):
        words = [rng.choice(givens if rng.random() < 0.4 else others) for _ in range(8)]
        text = "".join(w + rng.choice([" ", "  ", "\t", "-", ", ", ""]) for w in words)
        fast = [m.start() for m in people._GIVEN_AT.finditer(text) if m.group() in lex.first_names]
        for regex in (people._FULL2, people._FULL):
            found = [regex.match(text, pos) for pos in fast]
            plain = [regex.match(text, m.start()) for m in word_start.finditer(text)]
            plain = [m for m in plain if m and m.group("given").split()[0] in lex.first_names]
            assert [m.span() for m in found if m] == [m.span() for m in plain], text


ODD_CASES = "sSſıiIİkKKµμΣσςéÉ"  # the characters re.IGNORECASE equates unusually


def test_alias_spans_equal_finditer_of_the_alias_expression():
    rng = random.Random(11)
    alphabet = ODD_CASES + " -_xyXY'’.”5٣²ǅ"  # ٣ (a digit), ² (numeric), ǅ (title case)
    for _ in range(40000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        alias = "".join(rng.choice(alphabet) for _ in range(rng.randint(2, 4)))
        expected = [m.span() for m in names._alias_regex(alias).finditer(text)]
        assert list(names._alias_spans(alias, text)) == expected, (alias, text)


def test_alias_spans_are_whole_words_ignoring_case_unless_upper_case():
    text = "NHL Stenden, nhl stenden; de NHL-vestiging en NHL. Stenden"

    def found(alias: str) -> list[str]:
        return [text[start:end] for start, end in names._alias_spans(alias, text)]

    assert found("NHL Stenden") == ["NHL Stenden", "nhl stenden"]
    assert [start for start, _ in names._alias_spans("NHL", text)] == [0, 46]
    assert found("stenden") == ["Stenden", "stenden", "Stenden"]


def test_the_odd_characters_are_those_of_the_re_module():
    from re._casefix import _EXTRA_CASES

    chars = {chr(k) for k in _EXTRA_CASES} | {chr(v) for vs in _EXTRA_CASES.values() for v in vs}
    odd = {c for c in chars if c.upper().lower() != c} | {"\u0130", "\u03a3"}
    assert odd == names._CASE_EXCEPTIONS
    assert names._lowered("Ab") == "ab" and names._lowered("İb") is None


def test_discover_keeps_each_real_file_once_following_file_links(tmp_path: Path, monkeypatch):
    from regiograph.ingest import discover

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "c").mkdir()
    for name in ("a/x.txt", "a/b/y.txt", "c/z.txt"):
        (tmp_path / name).write_text(name, encoding="utf-8")
    (tmp_path / "a" / "b" / "link.txt").symlink_to(tmp_path / "c" / "z.txt")
    (tmp_path / "a" / "dirlink").symlink_to(tmp_path / "c")  # not descended into
    (tmp_path / "alink").symlink_to(tmp_path / "a")
    monkeypatch.chdir(tmp_path)

    def found(*inputs: str) -> list[str]:
        return [str(p) for p in discover(inputs)]

    assert found("a") == ["a/b/link.txt", "a/b/y.txt", "a/x.txt"]
    assert found("a", "a/x.txt", "alink") == ["a/b/link.txt", "a/b/y.txt", "a/x.txt"]
    assert found("alink", "./a/../a") == ["alink/b/link.txt", "alink/b/y.txt", "alink/x.txt"]
    assert found("c", "a") == ["a/b/y.txt", "a/x.txt", "c/z.txt"]  # z.txt once


def test_model_objects_pickle_as_their_field_values_and_come_back_equal():
    import dataclasses
    import pickle

    from regiograph import model
    from regiograph.extract import extract
    from regiograph.ingest import read_document

    classes = [
        c for c in vars(model).values() if isinstance(c, type) and dataclasses.is_dataclass(c)
    ]
    assert len(classes) == 12
    for cls in classes:
        names = [f.name for f in dataclasses.fields(cls)]
        obj = cls.__new__(cls)
        for i, name in enumerate(names):
            object.__setattr__(obj, name, i)
        assert obj.__reduce__() == (cls, tuple(range(len(names))))
    root = Path(__file__).resolve().parents[1] / "data" / "corpus"
    extractions = [extract(read_document(path)) for path in sorted(root.glob("*.txt"))]
    assert all(any(getattr(e, part) for e in extractions) for part in ("roles", "dates"))
    again = pickle.loads(pickle.dumps(extractions, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == extractions
