"""The person-organisation projection (``queries/person_org.rq``).

Re-exported by :mod:`regiograph.analyse.projections`.
"""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox

from .sparql import confident, rows

__all__ = ["person_network"]


def person_network(store: ox.Store, *, min_confidence: float = 0.0) -> nx.Graph:
    """The two-mode person-organisation network of roles.

    Nodes have ``kind`` ``"person"`` or ``"organisation"``, a ``label`` (``foaf:name`` /
    ``skos:prefLabel``) and, for organisations, ``type``. An edge links a person to an
    organisation (or collaboration) they hold a membership in; when a person has several
    memberships in one organisation the distinct values are joined with ``"; "``:

    ``role``
        the role concept IRI(s) (``org:role``), ``""`` when none;
    ``role_label``
        its Dutch ``skos:prefLabel``;
    ``role_name``
        ``schema:roleName``, the role as written;
    ``documents``
        the number of documents evidencing the memberships.

    ``min_confidence`` keeps membership nodes with at least that ``rg:confidence``; a bare
    ``org:memberOf`` (no membership node) is kept only when it is 0.
    """
    graph = nx.Graph(projection="persons", min_confidence=min_confidence)
    edges: dict[tuple[str, str], dict[str, set[str]]] = {}
    labels: dict[str, tuple[str, str, str]] = {}
    for row in rows(store, "person_org"):
        person, organisation = row["person"], row["organisation"]
        if row["membership"] is None:
            if min_confidence > 0:
                continue
        elif not confident(row["confidence"], min_confidence):
            continue
        labels.setdefault(person, ("person", str(row["person_label"]), ""))
        old = labels.get(organisation)
        label, kind = str(row["organisation_label"]), str(row["organisation_type"] or "")
        if old is None or (label, kind) < old[1:]:
            labels[organisation] = ("organisation", label, kind)
        edge = edges.setdefault(
            (person, organisation),
            {"role": set(), "role_label": set(), "role_name": set(), "documents": set()},
        )
        for name in ("role", "role_label", "role_name"):
            if row[name] is not None:
                edge[name].add(str(row[name]))
        if row["document"] is not None:
            edge["documents"].add(row["document"])
    for node, (kind, label, org_type) in sorted(labels.items()):
        attrs = {"kind": kind, "label": label}
        if kind == "organisation":
            attrs["type"] = org_type
        graph.add_node(node, **attrs)
    for (person, organisation), edge in sorted(edges.items()):
        graph.add_edge(
            person,
            organisation,
            role="; ".join(sorted(edge["role"])),
            role_label="; ".join(sorted(edge["role_label"])),
            role_name="; ".join(sorted(edge["role_name"])),
            documents=len(edge["documents"]),
        )
    return graph
