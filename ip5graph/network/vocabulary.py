"""The ontology's terms as the network layer reads them: namespaces, class order, phrases, role edges,
the colour and shape of each class, and naming helpers.

Why one module: these tables restate ontology knowledge by hand; keeping them together makes that
visible (and is where a test against the ontology would look).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ip5graph.rdf.namespaces import DCTERMS_SOURCE, ID, IP5, PREFIXES, RDF_TYPE, RDFS_LABEL

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
SKOS = PREFIXES["skos"]
FOAF = PREFIXES["foaf"]
SH = PREFIXES["sh"]
QB = PREFIXES["qb"]

TYPE = RDF_TYPE
LABEL = RDFS_LABEL
COMMENT = RDFS + "comment"
PREF_LABEL = SKOS + "prefLabel"
ALT_LABEL = SKOS + "altLabel"
SOURCE = DCTERMS_SOURCE

# the languages of the labels, in the order views, pages and exports list them
LANGS = ("en", "ja", "zh", "ko")

SOURCE_CLASS = IP5 + "Source"
TENURE = IP5 + "Tenure"
PARTICIPATION = IP5 + "Participation"
STATEMENT = IP5 + "Statement"
PERSON = FOAF + "Person"

# Classes whose instances are never graph nodes (they describe terms, not the world).
META_CLASSES = {
    OWL + "Class",
    OWL + "ObjectProperty",
    OWL + "DatatypeProperty",
    OWL + "AnnotationProperty",
    OWL + "Ontology",
    OWL + "TransitiveProperty",
    OWL + "SymmetricProperty",
    OWL + "FunctionalProperty",
    RDFS + "Class",
    RDFS + "Datatype",
    RDF + "Property",
    SKOS + "Concept",
    SKOS + "ConceptScheme",
    SH + "NodeShape",
    SH + "PropertyShape",
    # the statistics cube: its figures are shown on the statistics page, not as graph nodes
    QB + "Observation",
    QB + "DataSet",
    QB + "DataStructureDefinition",
    QB + "ComponentSpecification",
}
META_NAMESPACES = (OWL, RDFS, RDF, SH, PREFIXES["xsd"])

# The most specific class wins when a node has several types (e.g. ip5:PatentOffice and
# org:FormalOrganization); anything not listed comes after, in IRI order.
CLASS_ORDER = [
    IP5 + "HeadsMeeting",
    IP5 + "HeadsIndustryMeeting",
    IP5 + "DeputyHeadsMeeting",
    IP5 + "Meeting",
    IP5 + "PatentOffice",
    IP5 + "InternationalOrganization",
    IP5 + "IndustryAssociation",
    IP5 + "Forum",
    IP5 + "WorkingGroup",
    PERSON,
    IP5 + "Initiative",
    IP5 + "OutcomeDocument",
    IP5 + "Aim",
    IP5 + "Place",
    IP5 + "NameChange",
    IP5 + "OrganizationName",
    IP5 + "ApplicationShare",
    IP5 + "Conflict",
    TENURE,
    PARTICIPATION,
    STATEMENT,
    SOURCE_CLASS,
]
CLASS_RANK = {c: i for i, c in enumerate(CLASS_ORDER)}

VOCAB_KINDS = {"role", "format", "kind", "tier", "scheme", "rank"}
STATISTICS_KINDS = {"observation", "share", "dataset", "structure", "component", "period", "unit", "area"}
# IRIs of these kinds are never entities, even when a partial graph does not type them
NOT_ENTITY_KINDS = VOCAB_KINDS | {"source", "statement", "tenure", "participation"} | STATISTICS_KINDS

DATE_PROPERTIES = (
    "startDate",
    "endDate",
    "date",
    "seriesStartDate",
    "seriesEndDate",
    "foundingDate",
    "inOfficeOn",
)

# How an edge reads in a sentence, forwards (subject -> object) and backwards.
# Keys are edge keys: the property's local name, or the collapsed n-ary edge's key.
PHRASES: dict[str, tuple[str, str]] = {
    "host": ("was hosted by", "hosted"),
    "chair": ("was chaired by", "chaired"),
    "place": ("was held in", "was the venue of"),
    "plannedPlace": ("was originally planned for", "was the originally planned venue of"),
    "nextMeeting": ("was followed by", "followed"),
    "previousMeeting": ("followed", "was followed by"),
    "partOfSeries": ("was held alongside", "had alongside it"),
    "heldBy": ("was a meeting of", "held"),
    "proposedBy": ("was proposed by", "proposed"),
    "nameOf": ("was a name of", "went by the name"),
    "predecessor": ("came after", "came before"),
    "successor": ("came before", "came after"),
    "outcomeOf": ("came out of", "produced"),
    "leadOffice": ("is led by", "leads"),
    "memberOf": ("is a member of", "has as a member"),
    "subOrganizationOf": ("is part of", "includes"),
    "headquarters": ("has its seat in", "is the seat of"),
    "partOf": ("is part of", "includes"),
    "relatedTo": ("is related to", "is related to"),
    "hasAim": ("has the aim", "is an aim of"),
    "affectedOrganization": ("renamed", "was renamed by"),
    "subject": ("is about", "is the subject of"),
    "concerns": ("concerns", "is the subject of"),
    "exactMatch": ("is the same as", "is the same as"),
    "headed": ("headed", "was headed by"),
    "headed-acting": ("headed (acting)", "was headed (acting) by"),
    "stood-in-for": ("stood in for", "was represented by"),
    "holder": ("was held by", "held"),
    "organization": ("was at", "had"),
    "participant": ("had as participant", "took part as"),
    "meeting": ("was in", "had"),
    "representing": ("was for", "was represented in"),
    "onBehalfOf": ("was on behalf of", "was represented in"),
}

# Collapsed participation edges: role local name -> (edge label, forwards, backwards phrase);
# '{}' marks where the other end goes.
ROLE_EDGES: dict[str, tuple[str, str, str]] = {
    "chair": ("chaired", "chaired {}", "was chaired by {}"),
    "co-chair": ("co-chaired", "co-chaired {}", "was co-chaired by {}"),
    "head-of-delegation": (
        "attended (head of delegation)",
        "attended {} as head of delegation",
        "was attended by {} as head of delegation",
    ),
    "acting-head-of-delegation": (
        "attended (acting head of delegation)",
        "attended {} as acting head of delegation",
        "was attended by {} as acting head of delegation",
    ),
    "representative": (
        "attended (representative)",
        "attended {} as a representative",
        "was attended by {} as a representative",
    ),
    "observer": ("attended (observer)", "attended {} as an observer", "was attended by {} as an observer"),
    "industry-representative": ("attended (industry)", "attended {} for industry", "was attended by {} for industry"),
    "participant": ("attended", "attended {}", "was attended by {}"),
}


def local_name(iri: str) -> str:
    """The part after the last '#' or '/': the key used for edges and facts."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


@lru_cache(maxsize=4096)
def humanize(name: str) -> str:
    """camelCase -> 'camel case', used when the ontology gives no label."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("-", " ").lower()


def slug_of(iri: str) -> str:
    """'office/jpo' for a data IRI; the whole IRI for anything else."""
    return iri.removeprefix(ID)


def main_class(types: Iterable[str]) -> str:
    """The most specific known class of a node, or '' when it has no type."""
    ranked = sorted(types, key=lambda c: (CLASS_RANK.get(c, len(CLASS_ORDER)), c))
    return ranked[0] if ranked else ""


def is_meta(types: set[str], iri: str) -> bool:
    return bool(types & META_CLASSES) or iri.startswith(META_NAMESPACES)


def role_of(types: set[str], iri: str) -> str:
    """What the projection makes of a subject with these types: '' (nothing: untyped, or an ontology
    term), 'source', 'statement', 'tenure' or 'participation' (n-ary records), or 'entity' (a node).
    One rule for the projection and for name lookup straight from the store (network.lookup)."""
    if not types or is_meta(types, iri):
        return ""
    if SOURCE_CLASS in types:
        return "source"
    if STATEMENT in types:
        return "statement"
    if TENURE in types:
        return "tenure"
    if PARTICIPATION in types:
        return "participation"
    return "entity"


def undescribed_entity(iri: str) -> bool:
    """Whether an IRI that an entity points at, with no triples of its own (partial data, query
    results), is still drawn as a node: a data IRI of an entity kind."""
    return iri.startswith(ID) and slug_of(iri).split("/")[0] not in NOT_ENTITY_KINDS


# class -> (colour, vis shape); the legend shows them in this order.
CLASS_STYLE: dict[str, tuple[str, str]] = {
    IP5 + "HeadsMeeting": ("#d62728", "diamond"),
    IP5 + "HeadsIndustryMeeting": ("#ff7f0e", "diamond"),
    IP5 + "DeputyHeadsMeeting": ("#e377c2", "diamond"),
    IP5 + "Meeting": ("#bcbd22", "diamond"),
    IP5 + "PatentOffice": ("#1f77b4", "square"),
    IP5 + "InternationalOrganization": ("#17becf", "square"),
    IP5 + "IndustryAssociation": ("#9467bd", "square"),
    IP5 + "Forum": ("#2ca02c", "hexagon"),
    IP5 + "WorkingGroup": ("#98df8a", "hexagon"),
    PERSON: ("#8c564b", "dot"),
    IP5 + "Initiative": ("#e7ba52", "triangle"),
    IP5 + "OutcomeDocument": ("#aec7e8", "triangleDown"),
    IP5 + "Aim": ("#c5b0d5", "triangleDown"),
    IP5 + "Place": ("#7f7f7f", "dot"),
    IP5 + "NameChange": ("#ff9896", "star"),
    IP5 + "OrganizationName": ("#f7b6d2", "star"),
    IP5 + "ApplicationShare": ("#c49c94", "star"),
    IP5 + "Conflict": ("#393b79", "star"),
    TENURE: ("#c7c7c7", "dot"),
    PARTICIPATION: ("#dbdb8d", "dot"),
}
_FALLBACK_COLOURS = ("#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#31a354", "#756bb1", "#636363")
_FALLBACK_SHAPES = ("dot", "square", "triangle", "diamond")


def class_styles(classes: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Colour and vis shape per class: fixed for the ontology's classes, a palette for others."""
    styles: dict[str, tuple[str, str]] = {}
    extra = 0
    for c in classes:
        if c in CLASS_STYLE:
            styles[c] = CLASS_STYLE[c]
        else:
            styles[c] = (
                _FALLBACK_COLOURS[extra % len(_FALLBACK_COLOURS)],
                _FALLBACK_SHAPES[extra % len(_FALLBACK_SHAPES)],
            )
            extra += 1
    return styles


def class_order(c: str) -> tuple[int, str]:
    """The legend's order: CLASS_STYLE's order, then other classes by IRI."""
    keys = list(CLASS_STYLE)
    return (keys.index(c), c) if c in CLASS_STYLE else (len(keys), c)
