"""The ``regiograph`` command line: a thin layer over the library.

Every command calls one library function. Errors the library raises are printed as one
line ``Error: <what> (<fix>)`` on stderr, with a non-zero exit code.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import RegiographError, UsageError


class _Group(click.Group):
    """Turns library errors into one-line messages."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except RegiographError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Error: interrupted (nothing was written)", err=True)
            ctx.exit(130)


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A plain aligned text table (numbers right-aligned)."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    numeric = [
        all(isinstance(r[i], int | float) for r in rows) and rows for i in range(len(headers))
    ]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if numeric[i] else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    return "\n".join(out)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="regiograph")
def main() -> None:
    """Turn Dutch documents about regional collaboration into a knowledge graph of
    stakeholders (W3C ORG, RDF), and query, validate and export it.

    Start with:  regiograph build data/corpus --out build
    """


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(path_type=Path),
    help="Output directory (replaced atomically when the build succeeds).",
)
@click.option("--strict", is_flag=True, help="Fail when any input document is skipped.")
@click.option(
    "--curation",
    type=click.Path(path_type=Path),
    default=None,
    help="Curation file (default: data/curation.yaml when it exists).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes for extraction; the output does not depend on it.",
)
@click.option(
    "--full",
    is_flag=True,
    help="Extract every document again instead of reusing OUT/cache.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def build(
    inputs: tuple[Path, ...],
    out: Path,
    strict: bool,
    curation: Path | None,
    jobs: int,
    full: bool,
    quiet: bool,
) -> None:
    """Build the stakeholder graph of INPUTS (files or folders) into --out.

    Writes OUT/graph.trig (one named graph per document), OUT/graph.ttl (their union),
    OUT/store (the pyoxigraph store that `query` reads), OUT/cache (what the next build
    reuses) and OUT/build-report.json. When OUT holds an earlier build, only new and
    changed documents are extracted again (--full turns that off). Unreadable documents
    are skipped with a warning and listed in the report.
    """
    from .pipeline import build as run_build

    bar = None
    show = not quiet and sys.stderr.isatty()

    def progress(done: int, total: int, name: str) -> None:
        nonlocal bar
        if not show:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="Extracting", file=sys.stderr)
            bar.__enter__()
        bar.update(1)
        if done == total:
            bar.__exit__(None, None, None)

    def warn(skipped) -> None:
        click.echo(f"Warning: skipped {skipped.path}: {skipped.reason}", err=True)

    report = run_build(
        list(inputs),
        out,
        strict=strict,
        curation=curation,
        progress=progress,
        on_skip=warn,
        jobs=jobs,
        incremental=not full,
    )
    counts = report.counts
    rows = [
        [key.replace("_", " "), counts[key]]
        for key in (
            "documents_read",
            "documents_skipped",
            "documents_extracted",
            "documents_reused",
            "documents_removed",
            "organisations",
            "collaborations",
            "persons",
            "memberships",
            "roles",
            "places",
        )
    ]
    click.echo(table(["built", "count"], rows))
    click.echo(
        f"\nGraph written to {out}/ (graph.trig, graph.ttl, store/, cache/, "
        f"build-report.json) in {report.seconds['total']:.1f} s ({report.mode} build)"
    )


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        if "=" not in item:
            raise UsageError(
                f"--param {item!r} is not name=value", hint='write it as --param name="NHL Stenden"'
            )
        name, value = item.split("=", 1)
        params[name.strip()] = value
    return params


@main.command()
@click.argument("query", required=False)
@click.option("-e", "--expression", help="A SPARQL query given on the command line.")
@click.option(
    "--store",
    "store_dir",
    type=click.Path(path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Build directory (or its store/) to query.",
)
@click.option(
    "--endpoint",
    default=None,
    metavar="URL",
    help="Query a remote SPARQL endpoint (e.g. http://host:7878/query) instead of --store.",
)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a query parameter (repeatable); values are bound as RDF terms.",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["table", "csv", "json", "md"]),
    default="table",
    show_default=True,
    help="Output format.",
)
def query(
    query: str | None,
    expression: str | None,
    store_dir: Path,
    endpoint: str | None,
    params: tuple[str, ...],
    fmt: str,
) -> None:
    """Run a SPARQL query: a saved query NAME, a FILE.rq, or -e "SPARQL".

    Examples:

        regiograph query 03_partners_of --param name="NHL Stenden"

        regiograph query -e "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    """
    from . import query as q
    from .store import open_store

    if bool(query) == bool(expression):
        raise UsageError(
            "give either a query name or file, or -e SPARQL",
            hint="run `regiograph queries` to list the saved queries",
        )
    values = _parse_params(params)
    if expression:
        text, bound = expression, q.bind(values)
    else:
        text, bound, _saved = q.prepare(query, values)
    if endpoint:
        from .remote import remote_query

        result = remote_query(endpoint, text, bound)
    else:
        result = q.run(open_store(store_dir), text, bound)
    click.echo(q.format_result(result, fmt))


@main.command()
def queries() -> None:
    """List the saved queries with their titles and parameters."""
    from .query import load_saved_queries

    rows = []
    for name, saved in load_saved_queries().items():
        params = ", ".join(
            f"{p.name}={p.default!r}" if p.default is not None else p.name for p in saved.params
        )
        rows.append([name, saved.title_en, saved.title_nl, params or "-"])
    click.echo(table(["name", "title", "titel", "parameters"], rows))


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--limit", default=20, show_default=True, help="Violations to print at most.")
def validate(directory: Path, limit: int) -> None:
    """Check the graph in DIRECTORY against the SHACL shapes (exit 1 on violations)."""
    from .validate import validate_build

    report = validate_build(directory)
    if report.conforms:
        click.echo(f"{directory}: conforms to ontology/shapes.ttl (0 violations)")
        return
    click.echo(f"{directory}: {len(report.violations)} violation(s) of ontology/shapes.ttl")
    rows = [[v.severity, v.focus, v.path, v.message] for v in report.violations[:limit]]
    click.echo(table(["severity", "focus node", "path", "message"], rows))
    sys.exit(1)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "-f",
    "fmt",
    required=True,
    type=click.Choice(["ttl", "trig", "nt", "nq", "jsonld"]),
    help="RDF format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (default: DIRECTORY/graph.FORMAT; '-' for stdout).",
)
def export(directory: Path, fmt: str, output: Path | None) -> None:
    """Export the graph in DIRECTORY as Turtle, TriG, N-Triples, N-Quads or JSON-LD."""
    from .store import load_dataset, serialise, write_atomic

    data = serialise(load_dataset(directory), fmt)
    if output is not None and str(output) == "-":
        click.echo(data.decode("utf-8"), nl=False)
        return
    target = output or directory / f"graph.{fmt}"
    write_atomic(target, data)
    click.echo(f"Wrote {target} ({len(data):,} bytes)")


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--since", type=int, default=None, help="Only ties active in or after this year.")
@click.option("--until", type=int, default=None, help="Only ties active in or before this year.")
@click.option(
    "--resolution",
    type=float,
    default=1.0,
    show_default=True,
    help="Louvain resolution: higher gives more, smaller communities.",
)
@click.option("--top", type=int, default=10, show_default=True, help="Rows per summary table.")
def analyse(
    directory: Path, since: int | None, until: int | None, resolution: float, top: int
) -> None:
    """Network analysis of the graph in DIRECTORY: centrality, brokerage, communities,
    helix mix and cross-province bridges.

    Writes the measures into the store (named graph .../graph/metrics, so SPARQL can ask
    for "the top brokers in Drenthe") and to DIRECTORY/metrics.csv, and prints a summary.
    """
    from .analyse import analyse as run_analysis
    from .analyse import summary, write_metrics

    result = run_analysis(directory, since=since, until=until, resolution=resolution)
    csv_path = write_metrics(directory, result)
    click.echo(summary(result, top=top))
    click.echo(f"\nMeasures written to {csv_path} and the store's metrics graph.")


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--focus", help="Show only this organisation (any of its names) and its neighbours.")
@click.option("--depth", type=int, default=1, show_default=True, help="Steps around --focus.")
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    help="Keep organisations of this type (repeatable): government, education, ...",
)
@click.option(
    "--province",
    "provinces",
    multiple=True,
    metavar="PROVINCE",
    help="Keep organisations in this province (name or CBS code; repeatable).",
)
@click.option("--since", type=int, default=None, help="Only ties active in or after this year.")
@click.option(
    "--size-by",
    default="betweenness",
    show_default=True,
    help="Node measure that sets the node size (degree, betweenness, pagerank, ...).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="Page to write (default: DIRECTORY/network.html).",
)
def viz(
    directory: Path,
    focus: str | None,
    depth: int,
    types: tuple[str, ...],
    provinces: tuple[str, ...],
    since: int | None,
    size_by: str,
    output: Path | None,
) -> None:
    """Write the interactive network page of the graph in DIRECTORY.

    One self-contained HTML file that opens offline in a browser: organisations coloured by
    type (with a legend), sized by a measure, ties as wide as their weight, tooltips with
    places, collaborations and evidence sentences, a search box and type/province filters.
    """
    from .store import write_atomic
    from .visualise import page_html

    page = page_html(
        directory,
        focus=focus,
        depth=depth,
        types=types or None,
        provinces=provinces or None,
        since=since,
        size_by=size_by,
    )
    target = output or directory / "network.html"
    write_atomic(target, page.encode("utf-8"))
    click.echo(f"Wrote {target} ({len(page) / 1e6:.1f} MB); open it in a browser (works offline).")


@main.command("export-network")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "-f",
    "fmt",
    required=True,
    type=click.Choice(["graphml", "gexf", "csv", "vosviewer"]),
    help="graphml/gexf (Gephi, yEd), csv (node and edge lists), vosviewer (JSON map).",
)
@click.option("--since", type=int, default=None, help="Only ties active in or after this year.")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (default: DIRECTORY/network.FORMAT; for csv the node list, "
    "with the edge list beside it).",
)
def export_network(directory: Path, fmt: str, since: int | None, output: Path | None) -> None:
    """Export the organisation network of DIRECTORY, with all measures, for Gephi, yEd,
    spreadsheets or VOSviewer."""
    from . import exports
    from .visualise import measured_network

    G = measured_network(directory, since=since)
    suffix = {"graphml": "graphml", "gexf": "gexf", "csv": "nodes.csv", "vosviewer": "json"}
    target = output or directory / f"network.{suffix[fmt]}"
    if fmt == "csv":
        edges = (
            target.with_name(target.name.replace("nodes", "edges"))
            if "nodes" in target.name
            else target.with_suffix(".edges.csv")
        )
        exports.write_csv(G, target, edges)
        click.echo(
            f"Wrote {target} and {edges} ({len(G)} organisations, {G.number_of_edges()} ties)"
        )
        return
    {
        "graphml": exports.write_graphml,
        "gexf": exports.write_gexf,
        "vosviewer": exports.write_vosviewer,
    }[fmt](G, target)
    click.echo(f"Wrote {target} ({len(G)} organisations, {G.number_of_edges()} ties)")


@main.command()
@click.argument("corpus", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--gold",
    required=True,
    type=click.Path(path_type=Path),
    help="Gold annotations (YAML, the format of tests/gold/seeds.yaml).",
)
@click.option("--details", is_flag=True, help="List every miss, false hit and duplicate.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Keep the build in this directory (default: a temporary one).",
)
def evaluate(
    corpus: tuple[Path, ...], gold: Path, details: bool, as_json: bool, out: Path | None
) -> None:
    """Build CORPUS and score the graph against gold annotations.

    Prints precision, recall and F1 for organisations, persons, roles, memberships, ties
    and places, type accuracy and macro F1: the same numbers as the reference scorer.
    """
    import json

    from .evaluate import evaluate as run_evaluation

    result = run_evaluation(list(corpus), gold, out=out, details=details)
    if as_json:
        click.echo(json.dumps(result.to_dict()))
        return
    for note in result.notes:
        click.echo(note)
    click.echo(result.format_table())


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0 exposes the server to the network).",
)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=float,
    help="Seconds a query may take before the server answers 503.",
)
@click.option(
    "--max-rows",
    default=10000,
    show_default=True,
    type=int,
    help="Rows a SELECT answer is cut at (the answer then says so in a header).",
)
@click.option("--cors", is_flag=True, help="Allow browsers on other sites to query (CORS).")
@click.option(
    "--allow-update", is_flag=True, help="Accept SPARQL Update with --token (read-only without it)."
)
@click.option(
    "--token",
    envvar="REGIOGRAPH_TOKEN",
    default=None,
    help="Bearer token for updates (or REGIOGRAPH_TOKEN).",
)
@click.option(
    "--workers", default=4, show_default=True, type=int, help="Queries that may run at once."
)
def serve(
    directory: Path,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    cors: bool,
    allow_update: bool,
    token: str | None,
    workers: int,
) -> None:
    """Serve the graph in DIRECTORY: a SPARQL 1.1 Protocol endpoint at /sparql, a SPARQL
    editor with the saved queries at /, the network view and a page per organisation,
    person and document (with its evidence), until Ctrl-C. Read-only by default."""
    from .serve import serve as run_server

    run_server(
        directory,
        host=host,
        port=port,
        allow_update=allow_update,
        token=token,
        timeout=timeout,
        max_rows=max_rows,
        cors=cors,
        workers=workers,
    )


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="Graph Store Protocol address, e.g. http://host:7878/store (Oxigraph) or "
    "http://host:3030/DATASET/data (Fuseki).",
)
@click.option(
    "--graph",
    default=None,
    metavar="IRI",
    help="Push the union into this one named graph instead of one per document.",
)
@click.option("--user", default=None, help="User name for HTTP basic authentication.")
@click.option(
    "--password",
    default=None,
    envvar="REGIOGRAPH_PASSWORD",
    help="Password (or REGIOGRAPH_PASSWORD).",
)
@click.option("--token", default=None, envvar="REGIOGRAPH_TOKEN", help="Bearer token.")
@click.option(
    "--no-default-graph",
    is_flag=True,
    help="Do not also write the union to the default graph (GraphDB, Virtuoso).",
)
def push(
    directory: Path,
    endpoint: str,
    graph: str | None,
    user: str | None,
    password: str | None,
    token: str | None,
    no_default_graph: bool,
) -> None:
    """Load the graph of DIRECTORY into a remote triple store through the SPARQL 1.1 Graph
    Store HTTP Protocol, one named graph per document; pushing again replaces them."""
    from .remote import push as run_push

    auth = (user, password or "") if user else token
    report = run_push(
        directory, endpoint, graph=graph, auth=auth, default_graph=not no_default_graph
    )
    click.echo(report.summary())


if __name__ == "__main__":  # pragma: no cover
    main()
