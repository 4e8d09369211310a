"""Latency of every saved query on synthetic graphs, pyoxigraph (on disk) against rdflib.

For each size it builds (seeded, cached in the work directory) a synthetic graph with
``bench/synth_graph.py`` -- one named graph per document, ontology, reference places, the
derived graph a build writes and a synthetic metrics graph -- loads it into an on-disk
store the way a build does (named graphs plus their union as the default graph), and
times every saved query with its parameters bound to values that exist in the data (the
organisation in most collaborations and the one after it, the province Drenthe): best
of 3 after one warm-up, each query in its own process with a hard timeout.

The same query text then runs on rdflib's own SPARQL engine over the same union triples
(an ``rdflib.Graph``, parameters as ``initBindings``), with a timeout; ``ratio`` is rdflib's
time over pyoxigraph's. rdflib cannot parse LATERAL (SEP-0006): for those queries it runs
the straightforward SPARQL 1.1 form kept in ``tests/fixtures/naive_queries`` (same answer,
tested), marked "naive form". Loading 1M quads into rdflib takes about 3 minutes on the
2-core benchmark machine and 5M would take over 10 minutes and several GB, so the rdflib
comparison runs only for sizes up to ``rdflib_max`` (default 1M).

    python bench/bench_queries.py [--work build/bench] [--sizes 1000000 5000000]
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from regiograph import query as q  # noqa: E402
from regiograph.namespaces import PREFIXES  # noqa: E402

SEED = 1
PROVINCE = "Drenthe"
REPEAT = 3


# --------------------------------------------------------------------------- data


def _fingerprint() -> str:
    files = [ROOT / "bench" / n for n in ("synth_graph.py", "synth_docs.py")]
    stages = ("derive.py", "rdf.py", "resolve.py", "store.py")
    files += [ROOT / "src" / "regiograph" / n for n in stages]
    h = hashlib.sha256()
    for path in files:
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def dataset(work_dir: Path, size: int) -> tuple[Path, Path]:
    """The N-Quads file and the store of ``size`` quads, made when missing or stale."""
    import synth_graph
    from regiograph.store import load_nquads

    work_dir.mkdir(parents=True, exist_ok=True)
    stem = work_dir / f"queries-{size}-s{SEED}-{_fingerprint()}"
    nq, store = stem.with_suffix(".nq"), stem.with_suffix(".store")
    done = stem.with_suffix(".done")
    if not done.exists():
        for old in work_dir.glob(f"queries-{size}-s{SEED}-*"):
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        synth_graph.write_nquads(nq, triples=size, seed=SEED, derived=True, metrics=True)
        load_nquads(store, nq)
        done.write_text("ok\n")
    return nq, store


def parameters(store_dir: Path) -> dict[str, str]:
    """Values that exist in the data: the two organisations in most collaborations."""
    from regiograph.store import open_store

    store = open_store(store_dir)
    result = q.run(
        store,
        """SELECT ?o (SAMPLE(?l) AS ?label) (COUNT(?c) AS ?n) WHERE {
             ?c org:hasMember ?o . ?o skos:prefLabel ?l } GROUP BY ?o
           ORDER BY DESC(?n) ?o LIMIT 2""",
    )
    del store
    first, second = (row[1] for row in result.rows)
    return {"name": first, "a": first, "b": second, "province": PROVINCE}


def _values(saved: q.SavedQuery, params: dict[str, str]) -> dict[str, str]:
    return {p.name: params[p.name] for p in saved.params if p.name in params}


# --------------------------------------------------------------------------- running


def _in_child(target, args: tuple, timeout: float):
    """``target(*args)`` in a forked process; ``None`` when it takes over ``timeout``."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def work() -> None:
        try:
            child.send(("ok", target(*args)))
        except BaseException as exc:
            child.send(("error", repr(exc)))

    proc = ctx.Process(target=work, daemon=True)
    proc.start()
    child.close()
    if not parent.poll(timeout):
        proc.kill()
        proc.join()
        return None
    status, value = parent.recv()
    proc.join()
    if status == "error":
        raise RuntimeError(value)
    return value


def _time_oxigraph(store_dir: Path, name: str, values: dict[str, str]) -> tuple[float, int]:
    from regiograph.store import open_store

    store = open_store(store_dir)
    text, params, _ = q.prepare(name, values)
    rows = len(q.run(store, text, params).rows)  # warm-up
    best = float("inf")
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        q.run(store, text, params)
        best = min(best, time.perf_counter() - t0)
    return best, rows


def _rdflib_graph(nq: Path):
    import rdflib

    graph = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    ds = rdflib.Dataset()
    ds.parse(str(nq), format="nquads")
    for s, p, o, _ in ds.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


#: the straightforward SPARQL 1.1 form of each saved query (the test oracle): rdflib reads
#: no LATERAL (SEP-0006), so it runs these where it cannot parse the saved text
NAIVE = ROOT / "tests" / "fixtures" / "naive_queries"


def _time_rdflib(graph, name: str, values: dict[str, str]) -> tuple[float, int, str]:
    import rdflib
    from rdflib.plugins.sparql import prepareQuery

    text, _, _ = q.prepare(name, values)
    form = ""
    try:
        prepareQuery(text, initNs=PREFIXES)
    except Exception:  # any parse failure: time the SPARQL 1.1 form instead
        text, _, _ = q.prepare(name, values, NAIVE)
        form = "naive form"
    bindings = {k: rdflib.Literal(v) for k, v in values.items()}
    t0 = time.perf_counter()
    rows = len(list(graph.query(text, initNs=PREFIXES, initBindings=bindings)))
    return time.perf_counter() - t0, rows, form


def measure(
    work_dir: Path = Path("build/bench"),
    sizes: tuple[int, ...] = (1_000_000, 5_000_000),
    rdflib_timeout: float = 30.0,
    *,
    rdflib_max: int = 1_000_000,
    oxigraph_timeout: float = 120.0,
    names: list[str] | None = None,
    log=print,
) -> list[dict]:
    """One dict per (query, size): ``query``, ``triples``, ``oxigraph_s`` (``None`` when it
    took over ``oxigraph_timeout``), ``rdflib_s`` (``None`` when it timed out or was not
    run: see ``rdflib_note``), ``ratio`` (rdflib over pyoxigraph, or ``None``), ``rows``."""
    saved = q.load_saved_queries()
    names = names or list(saved)
    results = []
    for size in sizes:
        t0 = time.perf_counter()
        nq, store = dataset(Path(work_dir), size)
        log(f"{size:,} quads: data ready in {time.perf_counter() - t0:.0f} s")
        params = parameters(store)
        rows: dict[str, dict] = {}
        for name in names:
            values = _values(saved[name], params)
            found = _in_child(_time_oxigraph, (store, name, values), oxigraph_timeout)
            rows[name] = {
                "query": name,
                "triples": size,
                "oxigraph_s": found[0] if found else None,
                "rdflib_s": None,
                "ratio": None,
                "rows": found[1] if found else None,
                "rdflib_note": "not run",
            }
        if size <= rdflib_max:
            t1 = time.perf_counter()
            graph = _rdflib_graph(nq)
            log(f"{size:,} quads: rdflib loaded {len(graph):,} triples in "
                f"{time.perf_counter() - t1:.0f} s")  # fmt: skip
            for name in names:
                values = _values(saved[name], params)
                row = rows[name]
                try:
                    found = _in_child(_time_rdflib, (graph, name, values), rdflib_timeout)
                except RuntimeError as exc:
                    row["rdflib_note"] = f"rdflib error: {str(exc)[:50]}"
                    continue
                if found is None:
                    row["rdflib_note"] = f">{rdflib_timeout:.0f} s"
                    if row["oxigraph_s"]:
                        row["rdflib_note"] += f" (>{rdflib_timeout / row['oxigraph_s']:.0f}x)"
                else:
                    row["rdflib_s"], row["rdflib_note"] = found[0], found[2]
                    if row["oxigraph_s"]:
                        row["ratio"] = found[0] / row["oxigraph_s"]
                    if found[1] != row["rows"]:
                        row["rdflib_note"] += f" rdflib gave {found[1]} rows"
            del graph
        results += rows.values()
    return results


def table(results: list[dict]) -> str:
    lines = [f"{'query':<46} {'quads':>10} {'oxigraph':>9} {'rows':>7} {'rdflib':>9} "
             f"{'ratio':>7}  note"]  # fmt: skip
    for r in results:
        ox_s = f"{r['oxigraph_s']:.3f}" if r["oxigraph_s"] is not None else "timeout"
        rd_s = f"{r['rdflib_s']:.2f}" if r["rdflib_s"] is not None else "-"
        ratio = f"{r['ratio']:.0f}x" if r["ratio"] is not None else "-"
        lines.append(
            f"{r['query']:<46} {r['triples']:>10,} {ox_s:>9} {r['rows'] or 0:>7} {rd_s:>9} "
            f"{ratio:>7}  {r.get('rdflib_note', '')}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("build/bench"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--rdflib-timeout", type=float, default=30.0)
    parser.add_argument("--rdflib-max", type=int, default=1_000_000,
                        help="largest size compared with rdflib (0: none)")  # fmt: skip
    parser.add_argument("--query", action="append", help="only these saved queries")
    args = parser.parse_args()
    results = measure(
        args.work, tuple(args.sizes), args.rdflib_timeout,
        rdflib_max=args.rdflib_max, names=args.query,
    )  # fmt: skip
    print(table(results))
    slow = [r for r in results if r["oxigraph_s"] is None or r["oxigraph_s"] >= 1.0]
    print(f"\n{len(slow)} of {len(results)} measurements at or over 1 s")


if __name__ == "__main__":
    main()
