"""Analysis time: every measure of ``regiograph analyse`` on synthetic organisation
networks of 1,000 and 10,000 organisations (seeded, see ``regiograph.synthetic``).

    python bench/bench_analyse.py [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from regiograph.analyse import metrics as m
from regiograph.synthetic import synthetic_org_network

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    header = f"{'measure':<18}" + "".join(f"{n:>12,}" for n in args.sizes)
    graphs = {n: synthetic_org_network(n) for n in args.sizes}
    times = {name: {} for name in MEASURES}
    for n, G in graphs.items():
        for name, measure in MEASURES.items():
            t = time.perf_counter()
            measure(G)
            times[name][n] = time.perf_counter() - t
    print("organisations / ties: " + ", ".join(
        f"{n:,} / {G.number_of_edges():,}" for n, G in graphs.items()))
    print(header)
    for name, row in times.items():
        print(f"{name:<18}" + "".join(f"{row[n]:>11.2f}s" for n in args.sizes))
    print(f"{'total':<18}" + "".join(
        f"{sum(r[n] for r in times.values()):>11.2f}s" for n in args.sizes))


if __name__ == "__main__":
    main()
