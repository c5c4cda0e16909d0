"""The IRIs and prefixes of the project, in one place.

Kept free of rdflib imports so that the query path (which must not import rdflib) can use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

IP5 = "https://w3id.org/ip5graph/ontology#"
ID = "https://w3id.org/ip5graph/id/"

# The stable prefix table: the order here is the order in every written Turtle file.
PREFIXES: dict[str, str] = {
    "ip5": IP5,
    "id": ID,
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "shape": "https://w3id.org/ip5graph/shapes#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "qb": "http://purl.org/linked-data/cube#",
}

# a data kind that can be a prefix name for every strict Turtle parser
_PREFIX_OK = re.compile(r"^[a-z][a-z0-9-]*$")

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
DCTERMS_SOURCE = PREFIXES["dcterms"] + "source"


def sparql_prefixes() -> str:
    """PREFIX lines for every project prefix, for queries written in code."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def prefixes_for(iris: Iterable[str], *, with_id: bool = False) -> dict[str, str]:
    """The project prefixes (`id:` only when asked) plus one per data kind (office:, meeting:) that
    the IRIs use: the one prefix logic of the exports, query results and canonical Turtle."""
    out = {p: ns for p, ns in PREFIXES.items() if with_id or p != "id"}
    kinds = set()
    for iri in iris:
        if iri.startswith(ID) and "/" in iri[len(ID) :]:
            kinds.add(iri[len(ID) :].split("/", 1)[0])
    for kind in sorted(kinds):
        if _PREFIX_OK.match(kind) and kind not in out:
            out[kind] = f"{ID}{kind}/"
    return out
