"""Command-line pairs for serving and remote stores: serve, push, and the
remote options of `ip5graph query` (--endpoint, --query-url, --default-graph, --user ...).

Same rules as every command module: parse, call one library function (ip5graph.serve, query.engines.remote), print.
"""

from __future__ import annotations

import argparse
import sys

from ip5graph.cli.common import ProgressBar, data_option, formatter, out
from ip5graph.errors import UsageError

TYPE_CHECKING = False  # typing costs milliseconds on the cold query path
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable

    from ip5graph.query.engines.remote import RemoteEngine
    from ip5graph.query.limits import Budget
    from ip5graph.query.parameters import Prepared
    from ip5graph.query.results import Result
    from ip5graph.serve.client import Remote

# ---------------------------------------------------------------- serve, push, remote endpoints


def _remote_options(p: argparse.ArgumentParser, store: bool = False, default_graph: bool = False) -> None:
    g = p.add_argument_group("remote SPARQL endpoint")
    g.add_argument(
        "--endpoint",
        metavar="URL",
        help="an Oxigraph server's base URL (its /query and /store); for other servers give "
        "--query-url" + (" and --store-url" if store else ""),
    )
    g.add_argument(
        "--query-url",
        metavar="URL",
        help="the SPARQL query URL (Fuseki: .../ds/sparql, GraphDB: .../repositories/REPO, Virtuoso: .../sparql)",
    )
    if store:
        g.add_argument(
            "--store-url",
            metavar="URL",
            help="the Graph Store Protocol URL (Fuseki: .../ds/data, "
            "GraphDB: .../repositories/REPO/rdf-graphs/service, "
            "Virtuoso: .../sparql-graph-crud-auth)",
        )
    if default_graph:
        g.add_argument(
            "--default-graph",
            action="append",
            default=[],
            metavar="IRI",
            help="query the merge of these named graphs (repeatable; default: the endpoint's own default graph)",
        )
    g.add_argument(
        "--user",
        metavar="NAME",
        help="log in as NAME: HTTP Basic, or Digest when the server asks for it (password: --password or $IP5GRAPH_PASSWORD)",
    )
    g.add_argument("--password", metavar="SECRET", help="the password for --user (prefer $IP5GRAPH_PASSWORD)")
    g.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop after this long in all: a local query (default 120), a request to an endpoint "
        "(default 60, push 600); 0: no limit",
    )


def _remote(args: argparse.Namespace, default_timeout: float, default_graphs: list[str] | None = None) -> Remote:
    import urllib.parse

    from ip5graph.query import limits
    from ip5graph.serve import client

    r = client.remote(
        args.endpoint,
        query_url=args.query_url,
        store_url=getattr(args, "store_url", None),
        user=args.user,
        password=args.password,
        timeout=(limits.seconds(args.timeout) or 1e9) if args.timeout is not None else default_timeout,
        default_graphs=default_graphs or (),
    )
    if r.authorization:
        for url in (r.query_url, r.store_url):
            if url and url.startswith("http://") and not client.is_loopback(urllib.parse.urlsplit(url).hostname or ""):
                sys.stderr.write(f"ip5graph: warning: sending credentials unencrypted to {url}\n")
                break
    return r


def _add_serve(sub: argparse._SubParsersAction) -> None:
    from ip5graph.serve.process import DEFAULT_HOST, DEFAULT_PORT

    p = sub.add_parser(
        "serve",
        help="serve the graph read-only over SPARQL 1.1 (with a query page)",
        formatter_class=formatter,
        description="Run the Oxigraph server, read-only, over the same cached store `ip5graph query` uses: "
        "a SPARQL 1.1 Protocol endpoint at /query and a query page at /. Updates and Graph "
        "Store writes are refused. Ctrl-C stops it. Needs the `oxigraph` package "
        "(pip install 'ip5graph[serve]').",
        epilog="examples:\n"
        "  ip5graph serve\n"
        "  ip5graph serve --port 8080\n"
        "  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' "
        "http://127.0.0.1:7878/query",
    )
    p.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST}: this machine only)"
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="answer 503 to a query still running after this long (default 30; 0: no limit); the query is stopped",
    )
    p.add_argument(
        "--max-result-bytes",
        type=int,
        default=None,
        metavar="BYTES",
        help="answer 507 instead of an answer larger than this (default 64 MiB)",
    )
    data_option(p)


def cmd_serve(args: argparse.Namespace) -> int:
    from ip5graph.kg.inputs import Inputs
    from ip5graph.query import limits
    from ip5graph.serve import client, process
    from ip5graph.serve.front import DEFAULT_MAX_RESULT_BYTES, Limits

    timeout = limits.seconds(args.timeout) if args.timeout is not None else limits.SERVE_TIMEOUT
    size = limits.count(args.max_result_bytes, "--max-result-bytes") if args.max_result_bytes is not None else None
    front_limits = Limits(
        timeout=timeout or 1e9,
        max_result_bytes=DEFAULT_MAX_RESULT_BYTES if args.max_result_bytes is None else size or 1 << 62,
    )
    inputs = Inputs.default(args.data)
    server = process.Server(
        process.store_location(inputs),
        args.host,
        args.port,
        timeout_s=timeout,
        # the child's own lines get its name; the server's notes (replaced children) already say "ip5graph:"
        log=lambda line: print(line if line.startswith("ip5graph: ") else f"oxigraph: {line}", file=sys.stderr),
        limits=front_limits,
    )

    def ready(url: str) -> None:
        if not client.is_loopback(args.host):
            sys.stderr.write(f"ip5graph: warning: listening on {args.host}: other machines can query this server\n")
        out(f"serving the IP5 graph read-only at {url}/ (SPARQL endpoint: {url}/query); Ctrl-C stops it\n")
        sys.stdout.flush()

    server.run(on_ready=ready)
    sys.stderr.write("ip5graph: server stopped\n")
    return 0


def _add_push(sub: argparse._SubParsersAction) -> None:
    from ip5graph.serve.client import TOKEN_ENV
    from ip5graph.serve.push import GRAPH_BASE

    p = sub.add_parser(
        "push",
        help="upload the graph to a SPARQL store (Graph Store Protocol)",
        formatter_class=formatter,
        description="Upload the ontology and graph data to a SPARQL 1.1 store: one named graph per source "
        f"file ({GRAPH_BASE}FILE-STEM), or all in one graph with --graph. Each graph is "
        "replaced whole by one HTTP PUT, then its triple count is checked with a SPARQL query; "
        f"a mismatch fails (exit 1). A token in ${TOKEN_ENV} is sent as a Bearer token.",
        epilog="examples:\n"
        "  ip5graph push --endpoint http://127.0.0.1:7878\n"
        "  ip5graph push --query-url http://127.0.0.1:3030/ip5/sparql "
        "--store-url http://127.0.0.1:3030/ip5/data --user admin\n"
        "  ip5graph push --endpoint http://127.0.0.1:7878 --graph https://example.org/graph/ip5",
    )
    _remote_options(p, store=True)
    p.add_argument("--graph", metavar="IRI", help="put everything into this one named graph")
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on stderr (default: for pushes over 1 MB, on a terminal)",
    )
    data_option(p)


def cmd_push(args: argparse.Namespace) -> int:
    from ip5graph.kg.inputs import Inputs
    from ip5graph.serve import push

    r = _remote(args, default_timeout=600)
    if r.store_url is None:
        raise UsageError("ip5graph push: give --endpoint URL, or --query-url and --store-url")
    uploads = push.plan_push(list(Inputs.default(args.data).files), args.graph)
    total = sum(len(u.body) for u in uploads)
    show = args.progress if args.progress is not None else (sys.stderr.isatty() and total > 1_000_000)
    width = max(len(u.iri) for u in uploads)

    def done(p: push.Pushed) -> None:
        if show:
            sys.stderr.write("\r\033[K")
        out(f"{p.iri:<{width}}  {p.triples:>8} triples  {'created' if p.created else 'replaced'}\n")
        sys.stdout.flush()

    # the bar's line is cleared when a graph is done (see done above)
    pushed = push.push(r, uploads, progress=ProgressBar(scale=1e6, unit="MB") if show else None, on_graph=done)
    n = sum(p.triples for p in pushed)
    out(f"pushed {n} triples in {len(pushed)} graph{'s' if len(pushed) != 1 else ''}; counts verified\n")
    return 0


def add_query_options(p: argparse.ArgumentParser) -> None:
    """The options `ip5graph query` takes to run on a remote SPARQL endpoint instead."""
    _remote_options(p, default_graph=True)


def remote_engine(args: argparse.Namespace) -> RemoteEngine | _HintingEngine | None:
    """The RemoteEngine for `ip5graph query --endpoint ...`, or None to query locally."""
    remote = args.endpoint or args.query_url
    if not remote:
        given = [
            o
            for o, v in (
                ("--default-graph", args.default_graph),
                ("--user", args.user),
                ("--password", args.password),
                ("--timeout", args.timeout),
            )
            if v
        ]
        if given:
            raise UsageError(f"{given[0]} needs --endpoint URL or --query-url URL")
        return None
    if args.data:
        raise UsageError("--data does not go with --endpoint: the endpoint has its own data")
    if args.engine != "oxigraph":
        raise UsageError("--engine does not go with --endpoint: the endpoint runs the query")
    from ip5graph.query.engines.remote import RemoteEngine

    engine = RemoteEngine(_remote(args, 60, args.default_graph))
    return engine if args.default_graph else _HintingEngine(engine)


class _HintingEngine:
    """Says, on stderr, why a remote query may find nothing: the usual cause is that the graph
    sits in named graphs the endpoint's default graph does not include."""

    def __init__(self, engine: RemoteEngine) -> None:
        self.engine = engine

    def run(self, prepared: Prepared, budget: Budget | None = None, *, with_labels: bool = True) -> Result:
        result = self.engine.run(prepared, budget, with_labels=with_labels)
        if result.form == "SELECT" and not result.rows or result.is_graph and not result.triples:
            from ip5graph.serve.push import GRAPH_BASE

            sys.stderr.write(
                "ip5graph: note: nothing found. If the graph was pushed into named graphs "
                f"({GRAPH_BASE}...), query their merge with --default-graph IRI (repeatable) "
                "or use a server whose default graph is the union of all graphs "
                "(oxigraph serve --union-default-graph)\n"
            )
        return result

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        return self.engine.labels(iris)


COMMANDS = [
    ("serve", _add_serve, cmd_serve),
    ("push", _add_push, cmd_push),
]
