"""Counts that describe the graph: triples, instances per class, sources and citations per tier."""

from __future__ import annotations

from dataclasses import dataclass

from ip5graph.query import parameters
from ip5graph.query.results import Result
from ip5graph.rdf.namespaces import sparql_prefixes

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from ip5graph.kg.graph import KnowledgeGraph

CLASS_COUNTS = (
    sparql_prefixes()
    + """
SELECT ?class (COUNT(DISTINCT ?node) AS ?instances)
WHERE { ?node a ?class }
GROUP BY ?class
ORDER BY DESC(?instances) ?class
"""
)

TIER_COUNTS = (
    sparql_prefixes()
    + """
SELECT ?tier (COUNT(DISTINCT ?source) AS ?sources) (COUNT(DISTINCT ?node) AS ?citingNodes)
WHERE {
  ?source a ip5:Source .
  OPTIONAL { ?source ip5:tier ?tier }
  OPTIONAL { ?node dcterms:source ?source }
}
GROUP BY ?tier
ORDER BY DESC(?sources) ?tier
"""
)

TRIPLES = "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"


@dataclass
class Stats:
    triples: int
    classes: Result
    tiers: Result


def stats(kg: KnowledgeGraph) -> Stats:
    """Run the three counting queries on a KnowledgeGraph."""

    def run(text: str, name: str) -> Result:
        return kg.run(parameters.prepare_text(text, {}, f"<stats:{name}>"))

    total = run(TRIPLES, "triples").rows[0][0]
    return Stats(int(total.value) if total is not None else 0, run(CLASS_COUNTS, "classes"), run(TIER_COUNTS, "tiers"))
