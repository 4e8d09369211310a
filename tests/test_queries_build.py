"""The saved queries on a real build answer what their straightforward forms answer.

The saved queries are shaped for speed and read the derived graph
(:mod:`regiograph.derive`); ``fixtures/naive_queries/`` keeps each one's first,
straightforward form, which reads only the document graphs (and the metrics graph). On the
demo build, analysed, both give the same rows, and so do they with other parameters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from regiograph import query as q

HERE = Path(__file__).parent
NAIVE = q.load_saved_queries(HERE / "fixtures" / "naive_queries")
SAVED = q.load_saved_queries()
#: parameters besides the defaults: (query, values)
CASES = [(name, {}) for name in sorted(SAVED)] + [
    ("03_partners_of", {"name": "drenthe college"}),
    ("03_partners_of", {"name": "Gemeente Emmen"}),
    ("04_partners_of_partners", {"name": "Drenthe College"}),
    ("07_people_and_roles", {"name": "NHL Stenden"}),
    ("07_people_and_roles", {"name": "gemeente emmen"}),
    ("10_evidence_for_tie", {"a": "Drenthe College", "b": "gemeente Emmen"}),
    ("16_top_brokers_in_province", {"province": "Groningen"}),
]


@pytest.fixture(scope="module")
def store(analysed_store):
    """The demo build after `analyse` + `write_metrics` (query 16 reads the metrics)."""
    return analysed_store


def test_every_saved_query_has_its_naive_form() -> None:
    assert set(NAIVE) == set(SAVED)
    for name, saved in SAVED.items():
        assert saved.params == NAIVE[name].params, name
        assert (saved.title_en, saved.title_nl) == (NAIVE[name].title_en, NAIVE[name].title_nl)


@pytest.mark.parametrize(
    ("name", "values"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)]
)
def test_saved_query_answers_as_its_naive_form(store, name: str, values: dict) -> None:
    expected = q.run(store, NAIVE[name].text, q.bind(values, NAIVE[name].params, strict=True))
    actual = q.run(store, SAVED[name].text, q.bind(values, SAVED[name].params, strict=True))
    assert actual.columns == expected.columns
    assert actual.rows == expected.rows
    assert expected.rows or name in ("04_partners_of_partners",), f"{name} {values}: no rows"
