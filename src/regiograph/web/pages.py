"""The HTML of the web explorer: the SPARQL editor page and the entity pages.

Every piece of text from the graph (labels, evidence sentences, titles, addresses) is
escaped with :func:`html.escape` before it goes into a page; the entity pages have no
script at all and are served with a Content-Security-Policy that forbids scripts.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlencode

from .. import __version__
from ..namespaces import BASE, PREFIXES
from ..query import SavedQuery
from .entities import Entity, Evidence, Link

KIND_TITLES = {"org": "Organisation", "person": "Person", "doc": "Document", "place": "Place"}
LIST_TITLES = {"org": "Organisations and collaborations", "person": "People",
               "doc": "Documents", "place": "Places the documents mention"}
_SAFE_URL = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _layout(title: str, body: str, *, active: str = "", head: str = "",
            body_class: str = "") -> str:
    nav = [("/", "SPARQL", "sparql"), ("/?tab=network", "Network", "network"),
           ("/id/org/", "Organisations", "org"), ("/id/person/", "People", "person"),
           ("/id/doc/", "Documents", "doc")]
    links = "".join(
        f'<a href="{href}"{" class=active" if key == active else ""}>{esc(text)}</a>'
        for href, text, key in nav)
    cls = f' class="{esc(body_class)}"' if body_class else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{esc(title)}</title>"
        '<link rel="stylesheet" href="/static/regiograph.css">'
        f"{head}</head><body{cls}>"
        f'<header class="rg-bar"><a class="rg-brand" href="/">regiograph</a>'
        f'<nav>{links}</nav></header>'
        f"{body}"
        f'<footer class="rg-foot">regiograph {esc(__version__)} &middot; '
        'SPARQL endpoint: <code>/sparql</code></footer>'
        "</body></html>\n"
    )


# --------------------------------------------------------------------------- editor


def saved_query_data(queries: Mapping[str, SavedQuery]) -> list[dict]:
    """The saved queries as the editor page needs them."""
    return [
        {
            "name": q.name, "title": q.title_en, "titel": q.title_nl, "question": q.question,
            "params": [{"name": p.name, "kind": p.kind, "default": p.default or "",
                        "description": p.description} for p in q.params],
        }
        for q in queries.values()
    ]


def _script_json(data: object) -> str:
    """JSON that cannot close the ``<script>`` element holding it."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def index_page(queries: Mapping[str, SavedQuery], *, types: Sequence[str],
               measures: Sequence[str]) -> str:
    """The SPARQL editor (YASGUI) with the saved queries as examples, and the network view."""
    page_data = {"queries": saved_query_data(queries), "prefixes": PREFIXES}
    examples = []
    for q in queries.values():
        params = ", ".join(p.name for p in q.params)
        examples.append(
            f'<li><button type="button" class="rg-example" data-name="{esc(q.name)}" '
            f'title="{esc(q.question)}"><span class="rg-ex-title">{esc(q.title_en)}</span>'
            f'<span class="rg-ex-sub">{esc(q.title_nl)}'
            f'{" &middot; " + esc(params) if params else ""}</span></button></li>')
    type_boxes = "".join(
        f'<label><input type="checkbox" name="type" value="{esc(t)}"> {esc(t)}</label>'
        for t in types)
    size_options = "".join(
        f'<option value="{esc(m)}"{" selected" if m == "betweenness" else ""}>{esc(m)}</option>'
        for m in measures)
    body = f"""
<main class="rg-main">
  <div class="rg-tabs" role="tablist">
    <button type="button" class="rg-tab active" data-tab="sparql">SPARQL</button>
    <button type="button" class="rg-tab" data-tab="network">Network</button>
  </div>
  <section id="rg-sparql" class="rg-panel active">
    <aside class="rg-side">
      <h2>Saved queries</h2>
      <p class="rg-hint">Pick one to open it in a new tab; its parameters are bound as
      <code>VALUES</code> in the query text.</p>
      <ul class="rg-examples">{"".join(examples)}</ul>
      <form id="rg-params" class="rg-params" hidden>
        <h3 id="rg-params-title"></h3>
        <div id="rg-params-fields"></div>
        <button type="submit">Open and run</button>
      </form>
      <p id="rg-message" class="rg-message" role="status"></p>
      <p id="rg-status" class="rg-message" data-rows=""></p>
      <pre id="rg-errors" class="rg-message error"></pre>
    </aside>
    <div class="rg-editor"><div id="yasgui"></div></div>
  </section>
  <section id="rg-network" class="rg-panel">
    <form id="rg-network-form" class="rg-filters" action="/network" target="rg-network-frame">
      <label>Focus <input name="focus" placeholder="organisation name"></label>
      <label>Depth <input name="depth" type="number" min="1" max="4" value="1"></label>
      <label>Province <input name="province" placeholder="name or CBS code"></label>
      <label>Since <input name="since" type="number" min="1900" max="2100"
        placeholder="year"></label>
      <label>Size by <select name="size_by">{size_options}</select></label>
      <fieldset><legend>Types</legend>{type_boxes}</fieldset>
      <button type="submit">Show</button>
      <a id="rg-network-open" href="/network" target="_blank">open full page</a>
    </form>
    <iframe id="rg-network-frame" name="rg-network-frame" title="Organisation network"
      data-src="/network"></iframe>
  </section>
</main>
<script id="rg-queries" type="application/json">{_script_json(page_data)}</script>
<script src="/static/vendor/yasgui.min.js"></script>
<script src="/static/editor.js"></script>
"""
    head = '<link rel="stylesheet" href="/static/vendor/yasgui.min.css">'
    return _layout("regiograph: SPARQL and network", body, active="sparql", head=head,
                   body_class="rg-app")


# --------------------------------------------------------------------------- entities


def _a(link: Link | None) -> str:
    if link is None:
        return ""
    text = esc(link.text)
    note = f' <span class="rg-note">{esc(link.note)}</span>' if link.note else ""
    if link.href:
        return f'<a href="{esc(link.href)}">{text}</a>{note}'
    if link.iri and _SAFE_URL.fullmatch(link.iri) and not link.iri.startswith(BASE):
        return f'<a class="rg-ext" href="{esc(link.iri)}" rel="nofollow noopener">{text}</a>{note}'
    if not link.iri and _SAFE_URL.fullmatch(link.text):  # a literal address (schema:url)
        return f'<a class="rg-ext" href="{text}" rel="nofollow noopener">{text}</a>{note}'
    return f"{text}{note}"


def _table(headers: Sequence[str], rows: Iterable[Sequence[Link]]) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_a(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="rg-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _evidence(items: Sequence[Evidence], *, on_document: bool) -> str:
    out = []
    for ev in items:
        anchor = f"ev-{ev.start}" if ev.start is not None else ""
        where = ""
        if ev.document and not on_document:
            href = (ev.document.href or "") + (f"#{anchor}" if anchor else "")
            where = (f'<div class="rg-ev-doc">in <a href="{esc(href)}">'
                     f"{esc(ev.document.text)}</a></div>") if ev.document.href else (
                f'<div class="rg-ev-doc">in {esc(ev.document.text)}</div>')
        offsets = (f'<span class="rg-note">characters {ev.start}&ndash;{ev.end}</span>'
                   if on_document and ev.start is not None and ev.end is not None else "")
        statements = "".join(f"<li>{esc(s)}</li>" for s in ev.statements)
        ident = f' id="{esc(anchor)}"' if on_document and anchor else ""
        out.append(
            f'<li class="rg-evidence"{ident}><blockquote>{esc(ev.sentence)}</blockquote>'
            f"{offsets}{where}"
            + (f'<ul class="rg-statements">{statements}</ul>' if statements else "")
            + "</li>")
    return f'<ol class="rg-evidence-list">{"".join(out)}</ol>'


def entity_page(entity: Entity, *, network: bool = True) -> str:
    """The page of an organisation, person, document or place."""
    kind = KIND_TITLES.get(entity.kind, "Entity")
    facts = "".join(
        f"<dt>{esc(title)}</dt><dd>{', '.join(_a(lk) for lk in links)}</dd>"
        for title, links in entity.facts)
    parts = [
        f'<p class="rg-kind">{esc(kind)}'
        + (f' &middot; {esc(", ".join(entity.types))}' if entity.types else "") + "</p>",
        f"<h1>{esc(entity.label)}</h1>",
        f'<p class="rg-iri"><code>{esc(entity.iri)}</code> &middot; '
        f'<a href="?format=ttl">Turtle</a> &middot; <a href="?format=nt">N-Triples</a>'
        f' &middot; <a href="?format=jsonld">JSON-LD</a>'
        + (f' &middot; <a href="/network?{urlencode({"focus": entity.label})}">'
           "show in the network</a>" if network and entity.kind == "org" else "")
        + "</p>",
    ]
    if facts:
        parts.append(f'<dl class="rg-facts">{facts}</dl>')
    if entity.kind == "doc":
        parts.append(f"<h2>Evidence sentences ({len(entity.evidence)})</h2>")
        parts.append(_evidence(entity.evidence, on_document=True) if entity.evidence
                     else "<p>No evidence sentences.</p>")
    for title, headers, rows in entity.tables:
        parts.append(f"<h2>{esc(title)} ({len(rows)})</h2>")
        parts.append(_table(headers, rows))
    if entity.kind in ("org", "person"):
        parts.append(f"<h2>Evidence ({len(entity.evidence)})</h2>")
        parts.append(_evidence(entity.evidence, on_document=False) if entity.evidence
                     else "<p>No evidence sentences.</p>")
    parts.append(f"<h2>All statements ({len(entity.statements)})</h2>")
    parts.append(_table(["property", "value"], [[Link(p), o] for p, o in entity.statements]))
    body = f'<main class="rg-page">{"".join(parts)}</main>'
    return _layout(f"{entity.label} · regiograph", body, active=entity.kind)


def listing_page(kind: str, links: Sequence[Link]) -> str:
    """The list of all entities of a kind."""
    items = "".join(f"<li>{_a(lk)}</li>" for lk in links)
    title = LIST_TITLES.get(kind, kind)
    body = (f'<main class="rg-page"><h1>{esc(title)} ({len(links)})</h1>'
            f'<ul class="rg-list">{items}</ul></main>')
    return _layout(f"{title} · regiograph", body, active=kind)


def error_page(status: int, message: str) -> str:
    body = (f'<main class="rg-page"><h1>{status}</h1><p>{esc(message)}</p>'
            '<p><a href="/">Back to the SPARQL editor</a></p></main>')
    return _layout(f"{status} · regiograph", body)
