"""The hand-written views fixture, parsed with the ontology, for the network and view tests.

Each test module projects it itself (module-scoped), so no module sees another's changes.
"""

from __future__ import annotations

from pathlib import Path

import rdflib

from ip5graph.kg import resources

FIXTURE = Path(__file__).parent / "fixtures" / "views_small.ttl"
FILES = [*resources.ontology_files(), FIXTURE]


def fixture_rdf() -> rdflib.Graph:
    """The ontology and the fixture in one rdflib Graph."""
    g = rdflib.Graph()
    for f in FILES:
        g.parse(f)
    return g
