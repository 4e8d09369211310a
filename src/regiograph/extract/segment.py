"""Segmentation: lines first, then sentences.

Headlines, datelines ("DRENTHE -"), list items and bylines are kept apart from running
sentences, so a headline is never glued to the sentence below it.
"""

from __future__ import annotations

import re

from ..model import Segment

_BULLET = re.compile(r"^\s*(?:[•·▪●◦*–—-]|\d{1,2}[.)])\s+")
_DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ'’ .-]{2,40}?|[A-ZÀ-Þ][a-zà-ÿ]+(?:[- ][A-ZÀ-Þ][a-zà-ÿ]+)?)"
    r"\s+[–—-]\s+(?=\S)"
)
_BYLINE = re.compile(
    r"^\s*(?:\(?\s*(?:door|tekst|foto|beeld|auteur|geschreven door)\s*:|©)", re.IGNORECASE
)
_ABBREVIATIONS = frozenset(
    [
        "o.a",
        "bijv",
        "bv",
        "d.w.z",
        "dhr",
        "mevr",
        "mw",
        "mr",
        "drs",
        "dr",
        "ir",
        "ing",
        "prof",
        "ca",
        "nr",
        "resp",
        "incl",
        "excl",
        "evt",
        "vs",
        "jl",
        "jr",
        "sr",
        "st",
        "t.a.v",
        "i.s.m",
        "m.b.t",
        "z.g.a.n",
        "e.d",
        "etc",
        "enz",
        "min",
        "max",
        "mln",
        "mld",
        "blz",
        "tel",
    ]
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-ZÀ-Þ0-9])")


def _sentences(line: str, offset: int, paragraph: int) -> list[Segment]:
    """Split one line of running text into sentences."""
    out: list[Segment] = []
    start = 0
    for match in _SENTENCE_END.finditer(line):
        before = line[start : match.start()].rstrip("\"'”’)")
        last_word = before.rsplit(None, 1)[-1] if before.split() else ""
        stem = last_word.rstrip(".").lower()
        # keep initials ("W. Koolmees", "M.L. Kremer") and abbreviations ("o.a.") inside
        if re.fullmatch(r"(?:[A-ZÀ-Þ]\.)+", last_word):
            continue
        if stem in _ABBREVIATIONS:
            continue
        _add(out, line, start, match.start(), offset, "sentence", paragraph)
        start = match.end()
    _add(out, line, start, len(line), offset, "sentence", paragraph)
    return out


def _add(out: list[Segment], line: str, a: int, b: int, offset: int, kind: str, para: int):
    text = line[a:b]
    stripped = text.strip()
    if not stripped:
        return
    lead = len(text) - len(text.lstrip())
    start = offset + a + lead
    out.append(Segment(start, start + len(stripped), stripped, kind, para))


def _is_headline(line: str) -> bool:
    words = line.split()
    return len(words) <= 14 and not re.search(r"[.!?:;…\"”’]\s*$", line)


def segment(text: str) -> list[Segment]:
    """Split a document's text into segments with character offsets.

    >>> [s.kind for s in segment("Nieuws\\n\\nDRENTHE - Het Drenthe College groeit. Dat is goed.")]
    ['headline', 'dateline', 'sentence', 'sentence']
    """
    segments: list[Segment] = []
    offset = 0
    paragraph = 0
    previous_blank = True
    for raw in text.split("\n"):
        line_start = offset
        offset += len(raw) + 1
        if not raw.strip():
            if not previous_blank:
                paragraph += 1
            previous_blank = True
            continue
        previous_blank = False
        bullet = _BULLET.match(raw)
        if bullet:
            for seg in _sentences(raw[bullet.end() :], line_start + bullet.end(), paragraph):
                segments.append(Segment(seg.start, seg.end, seg.text, "list_item", paragraph))
            continue
        if _BYLINE.match(raw):
            _add(segments, raw, 0, len(raw), line_start, "byline", paragraph)
            continue
        body_start = 0
        dateline = _DATELINE.match(raw)
        if dateline and not _is_headline(raw):
            _add(segments, raw, 0, dateline.end("place"), line_start, "dateline", paragraph)
            body_start = dateline.end()
        body = raw[body_start:]
        if body_start == 0 and _is_headline(body):
            _add(segments, raw, 0, len(raw), line_start, "headline", paragraph)
            continue
        segments.extend(_sentences(body, line_start + body_start, paragraph))
    return segments
