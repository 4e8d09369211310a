"""Extraction: one document in, mentions and facts out.

Like a spaCy pipeline, extraction is a sequence of small registered components, each a
function ``component(ctx: Context) -> None`` that reads what earlier components found and
adds its own. :func:`extract` runs them in :data:`DEFAULT_PIPELINE` order; pass
``pipeline=`` to run a subset or your own registered component.

>>> from regiograph.model import Document
>>> result = extract(Document("a.txt", "De gemeente Emmen en NHL Stenden werken samen."))
>>> sorted(o.name for o in result.organisations)
['NHL Stenden', 'gemeente Emmen']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..errors import UsageError
from ..model import Document, Extraction
from . import names, orgs, people, places, ties, topics
from .context import Context
from .lexicon import Lexicon, load_lexicon
from .segment import segment

Component = Callable[[Context], None]
REGISTRY: dict[str, Component] = {}


def component(name: str) -> Callable[[Component], Component]:
    """Register an extraction component under ``name``."""

    def register(func: Component) -> Component:
        REGISTRY[name] = func
        return func

    return register


def _segment(ctx: Context) -> None:
    ctx.segments = segment(ctx.text)
    ctx.index_segments()


for _name, _func in (
    ("segment", _segment),
    ("document_date", topics.document_date),
    ("known_orgs", orgs.known_orgs),
    ("government", orgs.government),
    ("persons", people.persons),
    ("head_words", orgs.head_words),
    ("merge_adjacent", orgs.merge_adjacent),
    ("acronyms", names.acronyms),
    ("promote", names.promote),
    ("short_forms", names.short_forms),
    ("one_word_short_forms", names.one_word_short_forms),
    ("is_a", names.is_a),
    ("places", places.places),
    ("roles", people.roles),
    ("memberships", ties.memberships),
    ("dates", topics.dates),
    ("sectors", topics.sectors),
):
    component(_name)(_func)

DEFAULT_PIPELINE: tuple[str, ...] = tuple(REGISTRY)


def extract(
    document: Document,
    *,
    lexicon: Lexicon | None = None,
    pipeline: Sequence[str] = DEFAULT_PIPELINE,
) -> Extraction:
    """Run the extraction components over one document (a pure function of its input)."""
    unknown = [name for name in pipeline if name not in REGISTRY]
    if unknown:
        raise UsageError(
            f"unknown extraction component(s): {', '.join(unknown)}",
            hint=f"choose from {', '.join(REGISTRY)}",
        )
    ctx = Context(document, lexicon or load_lexicon())
    for name in pipeline:
        REGISTRY[name](ctx)
    return ctx.to_extraction()


__all__ = ["DEFAULT_PIPELINE", "REGISTRY", "Context", "component", "extract", "segment"]
