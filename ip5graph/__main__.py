"""`python -m ip5graph` runs the command line."""

from ip5graph.cli import main

raise SystemExit(main())
