"""Bounded load test of `ip5graph serve`: many concurrent clients on loopback, for a fixed time.

    python benchmarks/load_serve.py [--clients 50] [--seconds 30]

Starts `ip5graph serve` on a free 127.0.0.1 port, then N client threads (urllib, one connection
per request) send the named queries (with their example parameters) round-robin until the time
is up. Prints requests, errors, throughput and p50/p99 latency, beside two baselines measured in
the same run: the same queries on the embedded engine in this process, and one client alone over
HTTP (first, for a few seconds); and the ratios. Stops the server with
SIGINT and checks that it exits 0. Traffic never leaves 127.0.0.1; the run always ends by itself.
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


def direct_load(queries: list, clients: int, seconds: float, lock: threading.Lock) -> tuple[list[float], list[str]]:
    """The same clients against `oxigraph serve-read-only` on the same store, without the front."""
    from ip5graph.kg.inputs import Inputs
    from ip5graph.serve import process

    port = free_port()
    proc = subprocess.Popen(
        [
            process.oxigraph_executable(),
            "serve-read-only",
            "--location",
            str(process.store_location(Inputs.default())),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    latencies: list[float] = []
    errors: list[str] = []
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        stop_at = time.monotonic() + seconds
        url = f"http://127.0.0.1:{port}"
        threads = [
            threading.Thread(target=client, args=(url, queries, k, stop_at, latencies, errors, lock), daemon=True)
            for k in range(clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 60)
    finally:
        proc.terminate()
        proc.wait(15)
    return latencies, errors


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
    ap.add_argument("--seconds", type=float, default=30.0)
    args = ap.parse_args()
    clients = max(1, min(args.clients, MAX_CLIENTS))
    seconds = max(1.0, min(args.seconds, MAX_SECONDS))

    queries = workload()
    base = baseline(queries)
    proc, url = start_server(free_port())
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    single: list[float] = []
    single_errors: list[str] = []
    try:
        # unloaded: one client for a few seconds, to separate HTTP cost from queueing under load
        client(url, queries, 0, time.monotonic() + min(5.0, seconds), single, single_errors, lock)
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
        elapsed = time.monotonic() - start
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()

    # the same load on `oxigraph serve-read-only` over the same store, with no front: what the front costs
    direct, direct_errors = direct_load(queries, clients, seconds, lock)

    n = len(latencies) + len(errors)
    print(f"ip5graph serve at {url}: {clients} clients for {seconds:g} s, {len(queries)} named queries round-robin")
    print(f"requests      {n}")
    print(f"errors        {len(errors)}")
    print(f"throughput    {n / elapsed:.0f} requests/s")
    if latencies:
        p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
        print(f"latency p50   {p50 * 1000:.1f} ms")
        print(f"latency p99   {p99 * 1000:.1f} ms")
        print(f"latency max   {max(latencies) * 1000:.1f} ms")
        print(f"baseline      {base * 1000:.2f} ms median per query, embedded engine, one thread")
        if single:
            one = percentile(single, 50)
            print(
                f"one client    {one * 1000:.2f} ms p50 over HTTP, unloaded ({len(single)} requests, "
                f"{len(single_errors)} errors)"
            )
            print(
                f"ratios        one client / embedded = {one / base:.1f}x; "
                f"{clients} clients p50 / embedded = {p50 / base:.1f}x"
            )
    if latencies and direct:
        d50 = percentile(direct, 50)
        print(
            f"direct        {d50 * 1000:.1f} ms p50, {percentile(direct, 99) * 1000:.1f} ms p99 on oxigraph "
            f"serve-read-only without the front ({len(direct)} requests, {len(direct_errors)} errors)"
        )
        print(
            f"front ratio   p50 through ip5graph serve / direct = {percentile(latencies, 50) / d50:.2f}x (target <= 1.10)"
        )
    print(f"server exit   {code} after SIGINT")
    for e in sorted(set(errors))[:10]:
        print(f"  error: {e}")
    return 0 if not errors and not single_errors and code == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
