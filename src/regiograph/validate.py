"""SHACL validation of a build against ``ontology/shapes.ttl`` (with pyshacl)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import SH

from .resources import resource
from .store import load_dataset, union_graph


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]
    text: str


def shapes_graph() -> Graph:
    graph = Graph()
    graph.parse(resource("ontology", "shapes.ttl"), format="turtle")
    return graph


def validate_graph(data: Graph) -> ValidationReport:
    """Validate a graph (which must include the ontology and concept schemes)."""
    conforms, results, text = shacl_validate(
        data, shacl_graph=shapes_graph(), inference="none", advanced=True
    )
    violations = []
    for result in results.subjects(SH.resultSeverity, None):
        violations.append(
            Violation(
                focus=str(results.value(result, SH.focusNode)),
                path=str(results.value(result, SH.resultPath) or ""),
                message=str(results.value(result, SH.resultMessage) or ""),
                severity=str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            )
        )
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(bool(conforms), tuple(violations), str(text))


def validate_build(directory: str | Path) -> ValidationReport:
    """Validate the graph of a build directory (its ``graph.trig``)."""
    return validate_graph(union_graph(load_dataset(directory)))
