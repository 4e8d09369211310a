"""Analysis time at 1,000, 10,000 and 100,000 organisations.

Two measurements:

``store``
    what ``regiograph analyse`` does end to end on a build: project the organisation and
    bipartite networks from the store with SPARQL and compute every measure. The store is
    a synthetic graph on the contract (``bench/synth_graph.py --orgs N``, about one
    document per organisation, sent through regiograph's own resolution and RDF stages)
    loaded as a build loads it. Sizes up to ``--store-max`` (default 10,000): a
    100,000-organisation store has about 18 million quads.
``measures``
    every measure of ``regiograph analyse`` on the seeded synthetic organisation network
    of ``regiograph.synthetic`` (no store), per measure.

    python bench/bench_analyse.py [--sizes 1000 10000 100000] [--store-max 10000]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from regiograph.analyse import metrics as m  # noqa: E402
from regiograph.synthetic import synthetic_org_network  # noqa: E402

#: Issue target: analysis of 10,000 organisations under 30 s.
TARGET_SECONDS = {10_000: 30.0}

MEASURES = {
    "degree": lambda G: m.degree(G),
    "weighted_degree": lambda G: m.weighted_degree(G, weight="weight"),
    "betweenness": lambda G: m.betweenness(G),
    "eigenvector": lambda G: m.eigenvector(G, weight="weight"),
    "pagerank": lambda G: m.pagerank(G, weight="weight"),
    "core": lambda G: m.kcore(G),
    "constraint": lambda G: m.constraint(G, weight="weight"),
    "effective_size": lambda G: m.effective_size(G, weight="weight"),
    "communities": lambda G: m.communities(G, weight="weight"),
    "brokerage": lambda G: m.brokerage(G, {n: d["type"] for n, d in G.nodes(data=True)}),
    "bridges": lambda G: m.cross_province_bridges(G),
}


def time_measures(n: int) -> tuple[dict[str, float], int]:
    """Seconds per measure on the synthetic network of ``n`` organisations, and its ties."""
    G = synthetic_org_network(n)
    times = {}
    for name, measure in MEASURES.items():
        t = time.perf_counter()
        measure(G)
        times[name] = time.perf_counter() - t
    return times, G.number_of_edges()


def synthetic_store(work: Path, orgs: int, seed: int = 1) -> Path:
    """A store of a synthetic graph of ``orgs`` organisations (made once, then reused)."""
    from regiograph.store import load_nquads
    from synth_graph import write_nquads

    store = work / f"analyse-{orgs}" / "store"
    if (store.parent / "done").exists():
        return store
    shutil.rmtree(store.parent, ignore_errors=True)
    store.parent.mkdir(parents=True)
    nq = store.parent / "graph.nq"
    write_nquads(nq, orgs=orgs, seed=seed)
    load_nquads(store, nq)
    nq.unlink()
    (store.parent / "done").write_text("")
    return store


def time_store(work: Path, orgs: int) -> dict[str, float]:
    """``analyse()`` on a synthetic store: seconds to project, for the measures, total."""
    from regiograph.analyse.core import analyse
    from regiograph.store import open_store

    store = open_store(synthetic_store(work, orgs))
    result = analyse(store)
    seconds = dict(result.seconds)
    seconds["organisations"] = len(result.metrics)
    seconds["ties"] = result.graph.number_of_edges()
    return seconds


def measure(
    work_dir: Path,
    sizes: tuple[int, ...] = (1_000, 10_000, 100_000),
    store_max: int = 10_000,
) -> list[dict]:
    """Benchmark rows (``measure``, ``value``, ``unit``, ``target``, ``ok``)."""
    rows = []
    for n in sizes:
        if n <= store_max:
            s = time_store(work_dir, n)
            target = TARGET_SECONDS.get(n)
            rows.append(
                {
                    "measure": f"analyse a store of {n:,} organisations "
                    f"({s['organisations']:,} in the network, {s['ties']:,} ties): "
                    f"project {s['project']:.1f} s + measures {s['metrics']:.1f} s",
                    "value": s["total"],
                    "unit": "s",
                    "target": f"< {target:.0f} s" if target else "",
                    "ok": s["total"] < target if target else None,
                }
            )
        times, ties = time_measures(n)
        slowest = max(times, key=times.get)
        total = sum(times.values())
        target = TARGET_SECONDS.get(n)
        rows.append(
            {
                "measure": f"all measures, network of {n:,} organisations and {ties:,} ties "
                f"(slowest: {slowest} {times[slowest]:.1f} s)",
                "value": total,
                "unit": "s",
                "target": f"< {target:.0f} s" if target else "",
                "ok": total < target if target else None,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--store-max", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--per-measure", action="store_true", help="one column per size")
    args = parser.parse_args()
    if args.per_measure:
        results = {n: time_measures(n) for n in args.sizes}
        print(f"{'measure':<18}" + "".join(f"{n:>12,}" for n in args.sizes))
        for name in MEASURES:
            print(f"{name:<18}" + "".join(f"{results[n][0][name]:>11.2f}s" for n in args.sizes))
        return
    for row in measure(args.work, tuple(args.sizes), args.store_max):
        print(f"{row['value']:8.2f} {row['unit']}  {row['target']:<8} {row['measure']}")


if __name__ == "__main__":
    main()
