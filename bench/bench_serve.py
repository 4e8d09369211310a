"""Load test of ``regiograph serve``: concurrent clients running the saved queries.

Builds ``data/corpus`` (or takes ``--build DIR``), starts ``python -m regiograph.serve`` on
127.0.0.1 on a free port in a separate process, and lets ``--clients`` threads each send
``--queries`` SPARQL requests (POST, SPARQL results JSON) that cycle through the saved
queries with their default parameters bound as ``VALUES``. Prints the latency percentiles
(p50, p90, p99, max), throughput and errors, and exits 1 when any request failed::

    python bench/bench_serve.py [--clients 20] [--queries 50] [--build DIR] [--json]

Bounded: clients x queries requests in all, each with a 60 s timeout, only to 127.0.0.1,
and the server process is stopped at the end. Target (issue "SPARQL endpoint, web explorer
and remote triple stores"): 20 clients x 50 queries with no errors.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from regiograph.query import bind, load_saved_queries  # noqa: E402
from regiograph.remote import inline_bindings  # noqa: E402

REQUEST_TIMEOUT = 60.0
SKIP = {"16_top_brokers_in_province"}  # reads the metrics graph, empty until `analyse` runs


def query_mix() -> list[tuple[str, str]]:
    """(name, text) of every saved query, parameters bound to their defaults."""
    mix = []
    for name, saved in load_saved_queries().items():
        if name in SKIP:
            continue
        mix.append((name, inline_bindings(saved.text, bind({}, saved.params, strict=True))))
    return mix


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    rank = max(1, round(p / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def run_load(base_url: str, *, clients: int = 20, queries: int = 50,
             mix: list[tuple[str, str]] | None = None) -> dict:
    """``clients`` threads x ``queries`` POSTs to ``base_url/sparql``; latencies and errors."""
    mix = mix or query_mix()
    endpoint = base_url.rstrip("/") + "/sparql"
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(clients)

    def client(index: int) -> None:
        start_gate.wait()
        for i in range(queries):
            name, text = mix[(index + i) % len(mix)]
            data = urllib.parse.urlencode({"query": text}).encode()
            request = urllib.request.Request(endpoint, data=data, headers={
                "Accept": "application/sparql-results+json",
                "Content-Type": "application/x-www-form-urlencoded"})
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
                    body = response.read()
                json.loads(body)
                ok, problem = True, ""
            except (urllib.error.URLError, OSError, ValueError) as exc:
                ok, problem = False, f"{name}: {exc}"
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(problem)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(REQUEST_TIMEOUT * queries)
    wall = time.perf_counter() - started
    ms = [x * 1000 for x in latencies]
    return {
        "clients": clients, "queries_per_client": queries, "requests": len(latencies),
        "errors": len(errors), "error_examples": errors[:5], "seconds": round(wall, 2),
        "requests_per_second": round(len(latencies) / wall, 1) if wall else None,
        "p50_ms": round(percentile(ms, 50), 1), "p90_ms": round(percentile(ms, 90), 1),
        "p99_ms": round(percentile(ms, 99), 1), "max_ms": round(max(ms), 1),
        "mean_ms": round(statistics.fmean(ms), 1), "distinct_queries": len(mix),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(build: Path, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "regiograph.serve", str(build), "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server stopped: " + process.stderr.read().decode()[-2000:])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/prefixes", timeout=2):
                return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("the server did not start within 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--queries", type=int, default=50, help="queries per client")
    parser.add_argument("--workers", type=int, default=4, help="server query workers")
    parser.add_argument("--build", type=Path, default=None,
                        help="a build directory (default: build data/corpus in a temp dir)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 1 <= args.queries <= 1000:
        raise SystemExit("keep the load bounded: 1-200 clients, 1-1000 queries each")
    with tempfile.TemporaryDirectory() as tmp:
        build = args.build
        if build is None:
            from regiograph.pipeline import build as run_build

            build = Path(tmp) / "build"
            run_build([ROOT / "data" / "corpus"], build, curation=ROOT / "data" / "curation.yaml")
        port = free_port()
        server = start_server(build, port, args.workers)
        try:
            result = run_load(f"http://127.0.0.1:{port}", clients=args.clients,
                              queries=args.queries)
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
    result["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python " \
                        f"{platform.python_version()}"
    result["server_workers"] = args.workers
    if args.json:
        print(json.dumps(result))
    else:
        print(f"regiograph serve load test: {result['clients']} clients x "
              f"{result['queries_per_client']} queries ({result['distinct_queries']} saved "
              f"queries) on {result['machine']}, {args.workers} server workers")
        print(f"  requests {result['requests']}, errors {result['errors']}, "
              f"{result['seconds']} s, {result['requests_per_second']} requests/s")
        print(f"  latency p50 {result['p50_ms']} ms, p90 {result['p90_ms']} ms, "
              f"p99 {result['p99_ms']} ms, max {result['max_ms']} ms")
        for example in result["error_examples"]:
            print(f"  error: {example}")
    sys.exit(1 if result["errors"] or result["requests"] != args.clients * args.queries else 0)


if __name__ == "__main__":
    main()
