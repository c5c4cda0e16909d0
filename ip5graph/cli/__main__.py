"""`python -m ip5graph.cli` runs the command line too."""

from ip5graph.cli.app import main

raise SystemExit(main())
