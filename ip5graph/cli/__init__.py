"""The command line (`ip5graph`, `python -m ip5graph`): one module per command group.

app: the parser, the fast query path and main(); common: the helpers every group shares;
query, data, network, site, serve: the command groups.
"""

from ip5graph.cli.app import main

__all__ = ["main"]
