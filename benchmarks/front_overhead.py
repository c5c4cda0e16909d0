"""Latency of queries through the serve front against the same Oxigraph server directly, same run.

    python benchmarks/front_overhead.py [--clients 8] [--seconds 5]

Starts `oxigraph serve-read-only` over a small synthetic store on a free loopback port, puts a
Front before it, and sends the same mixed queries to each (direct first, then through the
front) from N client threads; prints p50/p99 of each and the ratio front / direct.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ip5graph.serve import front  # noqa: E402

QUERIES = [
    "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
    "SELECT ?s ?o { ?s <http://e/p> ?o } ORDER BY ?o LIMIT 50",
    "ASK { <http://e/1> ?p ?o }",
    "SELECT ?o { <http://e/7> ?p ?o }",
]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _load(url: str, clients: int, seconds: float) -> list[float]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    out: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run(k: int) -> None:
        mine = []
        i = k
        while time.monotonic() < stop:
            q = QUERIES[i % len(QUERIES)]
            i += 1
            t = time.perf_counter()
            with opener.open(url + "/query?query=" + urllib.parse.quote(q), timeout=30) as r:
                r.read()
            mine.append(time.perf_counter() - t)
        with lock:
            out.extend(mine)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=5.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = ox.Store(str(Path(tmp) / "db"))
        p = ox.NamedNode("http://e/p")
        store.extend([ox.Quad(ox.NamedNode(f"http://e/{i}"), p, ox.Literal(str(i))) for i in range(5000)])
        store.flush()
        del store
        port = _port()
        proc = subprocess.Popen(
            ["oxigraph", "serve-read-only", "--location", str(Path(tmp) / "db"), "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(200):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.05)
            f = front.Front("127.0.0.1", 0, ("127.0.0.1", port))
            f.start()
            direct = _load(f"http://127.0.0.1:{port}", args.clients, args.seconds)
            fronted = _load(f"http://127.0.0.1:{f.port}", args.clients, args.seconds)
            f.stop()
        finally:
            proc.terminate()
            proc.wait(10)
    for name, xs in (("direct", direct), ("front", fronted)):
        xs.sort()
        print(
            f"{name:7} {len(xs):6} requests  p50 {statistics.median(xs) * 1000:.2f} ms  "
            f"p99 {xs[int(len(xs) * 0.99)] * 1000:.2f} ms"
        )
    print(f"ratio p50 front / direct = {statistics.median(fronted) / statistics.median(direct):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
