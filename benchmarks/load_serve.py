"""Bounded load test of `ip5graph serve`: many concurrent clients on loopback, for a fixed time.

    python benchmarks/load_serve.py [--clients 50] [--seconds 10] [--rounds 4] [--direct-nice N]

Starts `ip5graph serve` on a free 127.0.0.1 port and, beside it, `oxigraph serve-read-only` on the
same store started the same way but with no front ("direct"). Then, in paired rounds whose order
alternates (front, direct, direct, front, ...: drift on a shared machine cancels out), N client
threads (urllib, one connection per request) send the named queries (with their example
parameters) round-robin for a fixed time. Prints p50/p99 and throughput per round and the median
ratios front / direct, beside the embedded engine in this process and one client alone over
HTTP. Stops the server with SIGINT and checks that it exits 0. Traffic never leaves 127.0.0.1;
the run always ends by itself.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ip5graph.kg.graph import open as open_graph  # noqa: E402
from ip5graph.query import catalogue, parameters  # noqa: E402
from ip5graph.query.engines import remote  # noqa: E402
from ip5graph.serve import client as http_client  # noqa: E402

MAX_SECONDS = 300
MAX_CLIENTS = 500


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def workload() -> list[tuple[str, str, str, parameters.Prepared]]:
    """(name, text with parameters bound, Accept header, prepared) for every named query."""
    out = []
    for q in catalogue.catalogue():
        prepared = parameters.prepare_named(q, q.example_bindings())
        text = remote.bind_text(prepared.text, prepared.bindings, prepared.source)
        graph = prepared.form in ("CONSTRUCT", "DESCRIBE")
        out.append((q.name, text, http_client.GRAPH_ACCEPT if graph else http_client.SELECT_ACCEPT, prepared))
    return out


def baseline(queries: list[tuple[str, str, str, parameters.Prepared]], rounds: int = 5) -> float:
    """Median time of one named query on the embedded engine (same store, this process)."""
    kg = open_graph()
    for *_, prepared in queries:  # warm up: open the store, first parse
        kg.run(prepared)
    times = []
    for _ in range(rounds):
        for *_, prepared in queries:
            t = time.perf_counter()
            kg.run(prepared)
            times.append(time.perf_counter() - t)
    return statistics.median(times)


def start_server(port: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "ip5graph", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if proc.poll() is not None or "http://127.0.0.1:" not in line:
        proc.kill()
        raise SystemExit(f"ip5graph serve did not start: {line.strip() or proc.returncode}")
    url = line[line.index("http://127.0.0.1:") :].split()[0].rstrip("/;,")
    return proc, url


def start_direct(nice: int) -> tuple[subprocess.Popen[bytes], str]:
    """`oxigraph serve-read-only` on the same store, started as `ip5graph serve` starts its child
    (same command; `nice` as process.CHILD_NICE unless told), but with no front before it."""
    from ip5graph.kg.inputs import Inputs
    from ip5graph.serve import process

    port = free_port()
    server = process.Server(process.store_location(Inputs.default()), "127.0.0.1", port)

    def setup() -> None:
        process.child_setup()
        os.nice(nice - process.CHILD_NICE)

    proc = subprocess.Popen(
        server.command(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=setup
    )
    process.accepts("127.0.0.1", port, within=10)
    return proc, f"http://127.0.0.1:{port}"


def load(url: str, queries: list, clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    """N clients for `seconds` against url: latencies, errors, elapsed time."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = time.monotonic()
    stop_at = start + seconds
    threads = [
        threading.Thread(target=client, args=(url, queries, k, stop_at, latencies, errors, lock), daemon=True)
        for k in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    return latencies, errors, time.monotonic() - start


def client(
    url: str,
    queries: list,
    offset: int,
    stop_at: float,
    latencies: list[float],
    errors: list[str],
    lock: threading.Lock,
) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    i = offset
    mine: list[float] = []
    bad: list[str] = []
    while time.monotonic() < stop_at:
        name, text, accept, _ = queries[i % len(queries)]
        i += 1
        req = urllib.request.Request(
            url + "/query",
            data=text.encode(),
            method="POST",
            headers={"Content-Type": "application/sparql-query", "Accept": accept},
        )
        t = time.perf_counter()
        try:
            with opener.open(req, timeout=30) as resp:
                resp.read()
                if resp.status != 200:
                    bad.append(f"{name}: HTTP {resp.status}")
        except (urllib.error.URLError, OSError) as e:
            bad.append(f"{name}: {e}")
            continue
        mine.append(time.perf_counter() - t)
    with lock:
        latencies.extend(mine)
        errors.extend(bad)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=10.0, help="per server per round")
    ap.add_argument("--rounds", type=int, default=4, help="paired rounds, order alternating (ABBA)")
    ap.add_argument(
        "--direct-nice", type=int, default=None, help="niceness of the direct Oxigraph (default: as ip5graph serve's)"
    )
    args = ap.parse_args()
    from ip5graph.serve import process

    clients = max(1, min(args.clients, MAX_CLIENTS))
    seconds = max(1.0, min(args.seconds, MAX_SECONDS))
    rounds = max(1, min(args.rounds, 20))
    nice = process.CHILD_NICE if args.direct_nice is None else args.direct_nice

    queries = workload()
    base = baseline(queries)
    proc, url = start_server(free_port())
    direct_proc, direct_url = start_direct(nice)
    single: list[float] = []
    single_errors: list[str] = []
    lock = threading.Lock()
    runs: dict[str, list[tuple[list[float], list[str], float]]] = {"front": [], "direct": []}
    try:
        # unloaded: one client for a few seconds, to separate HTTP cost from queueing under load
        client(url, queries, 0, time.monotonic() + min(5.0, seconds), single, single_errors, lock)
        for r in range(rounds):
            order = ("front", "direct") if r % 2 == 0 else ("direct", "front")
            for which in order:
                runs[which].append(load(url if which == "front" else direct_url, queries, clients, seconds))
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        direct_proc.terminate()
        direct_proc.wait(15)

    print(f"ip5graph serve at {url}: {clients} clients, {rounds} paired rounds of {seconds:g} s per server,")
    print(f"{len(queries)} named queries round-robin; direct = oxigraph serve-read-only at nice {nice}, no front")
    print(f"baseline      {base * 1000:.2f} ms median per query, embedded engine, one thread")
    if single:
        one = percentile(single, 50)
        print(f"one client    {one * 1000:.2f} ms p50 over HTTP through the front, unloaded ({len(single)} requests)")
    print("round  front p50   p99  req/s | direct p50   p99  req/s | p50 ratio")
    ratios: dict[str, list[float]] = {"p50": [], "p99": [], "throughput": []}
    errors: list[str] = list(single_errors)
    for r, (f, d) in enumerate(zip(runs["front"], runs["direct"], strict=True)):
        errors += f[1] + d[1]
        if not f[0] or not d[0]:
            continue
        fp50, fp99, ft = percentile(f[0], 50), percentile(f[0], 99), (len(f[0]) + len(f[1])) / f[2]
        dp50, dp99, dt = percentile(d[0], 50), percentile(d[0], 99), (len(d[0]) + len(d[1])) / d[2]
        ratios["p50"].append(fp50 / dp50)
        ratios["p99"].append(fp99 / dp99)
        ratios["throughput"].append(ft / dt)
        print(
            f"{r + 1:5}  {fp50 * 1000:6.1f} {fp99 * 1000:6.1f} {ft:5.0f}  | "
            f"{dp50 * 1000:6.1f} {dp99 * 1000:6.1f} {dt:5.0f}  | {fp50 / dp50:.2f}x"
        )
    if ratios["p50"]:
        print(
            f"front ratio   median over rounds, through ip5graph serve / direct: "
            f"p50 {statistics.median(ratios['p50']):.2f}x (target <= 1.10), "
            f"p99 {statistics.median(ratios['p99']):.2f}x, throughput {statistics.median(ratios['throughput']):.2f}x"
        )
    print(f"errors        {len(errors)}")
    print(f"server exit   {code} after SIGINT")
    for e in sorted(set(errors))[:10]:
        print(f"  error: {e}")
    return 0 if not errors and code == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
