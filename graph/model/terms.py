"""The terms of the dhrkg model, read from ``ontology/``.

The Turtle files are the single source of truth: namespaces come from their prefix
declarations and ``DHR`` is closed over the terms ``dhr.ttl`` declares, so a term used
in code but missing from the ontology fails at import, not in a query that silently
matches nothing.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib import namespace as _rdflib

from graph.model.turtle import read
from graph.resources import ontology_dir

__all__ = [
    "DCTERMS", "DHR", "ID", "ORG", "OWL", "PROV", "RDF", "RDFS", "SCHEMA", "SKOS", "XSD",
    "MODEL", "SCHEMES", "THEMES", "AGENCY_TYPES", "CHARACTERISTICS", "STATUSES", "UNCLASSIFIABLE",
    "theme", "agency_type", "implementation_status", "top_level", "HOLIB", "LIBRARY_TAGS", "LIBRARY_URL",
]

class Vocabulary:
    """The terms of one namespace as attributes (``DHR.Review``); a name the ontology does not
    declare is an AttributeError. Plain attributes, because term lookups sit on hot paths
    (rdflib's own namespaces build the term at every lookup)."""

    def __init__(self, base: str, names: list[str]) -> None:
        self._base = base
        for name in names:
            setattr(self, name, URIRef(base + name))

    def __getattr__(self, name: str) -> URIRef:
        # Only reached for names that were not set: terms the ontology does not declare.
        raise AttributeError(f"term {name!r} is not declared in the ontology ({self._base})")

    def __str__(self) -> str:
        return self._base

    def __repr__(self) -> str:
        return f"Vocabulary({self._base!r})"


def _standard(namespace: type[_rdflib.DefinedNamespace]) -> Vocabulary:
    """One of rdflib's closed vocabularies (RDF, XSD, SKOS, …) with its terms as plain attributes."""
    return Vocabulary(str(namespace._NS), [*namespace.__annotations__, *getattr(namespace, "_extras", [])])


DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD = map(_standard, (
    _rdflib.DCTERMS, _rdflib.ORG, _rdflib.OWL, _rdflib.PROV, _rdflib.RDF, _rdflib.RDFS, _rdflib.SKOS, _rdflib.VOID,
    _rdflib.XSD))

MODEL = read(ontology_dir() / name for name in ("dhr.ttl", "implementation.ttl", "curation.ttl"))
SCHEMES = read(ontology_dir() / name for name in ("schemes.ttl", "characteristics.ttl", "implementation.ttl"))

_prefixes = {prefix: str(ns) for prefix, ns in MODEL.namespaces()}
_dhr = _prefixes["dhr"]

DHR = Vocabulary(
    _dhr,
    sorted({str(s)[len(_dhr):] for model in (MODEL, SCHEMES) for s in model.subjects() if str(s).startswith(_dhr)}),
)
SCHEMA = Namespace(_prefixes["schema"])

_ontology_iri = next(MODEL.subjects(RDF.type, OWL.Ontology))
ID = Namespace(str(MODEL.value(_ontology_iri, VOID.uriSpace)))
"""Where instance IRIs (reviews, recommendations, sources, agencies) are minted."""


def _notations(scheme: URIRef) -> dict[str, URIRef]:
    return {
        str(SCHEMES.value(concept, SKOS.notation)): concept
        for concept in SCHEMES.subjects(SKOS.inScheme, scheme)
        if isinstance(concept, URIRef) and SCHEMES.value(concept, SKOS.notation) is not None
    }


THEMES: dict[str, URIRef] = _notations(DHR.ThemeScheme)
"""Theme concepts by code: ``THEMES["T1.2"]``."""

AGENCY_TYPES: dict[str, URIRef] = _notations(DHR.AgencyTypeScheme)
"""Agency-type concepts by code: ``AGENCY_TYPES["A01"]``."""

CHARACTERISTICS: dict[str, URIRef] = _notations(DHR.CaseCharacteristicScheme)
"""Case-characteristic concepts by DHRD column stem: ``CHARACTERISTICS["coercive_control"]``."""

STATUSES: dict[str, URIRef] = _notations(DHR.ImplementationStatusScheme)
"""Implementation-status concepts by code: ``STATUSES["completed"]``."""

HOLIB = Namespace(dict(SCHEMES.namespaces())["holib"])
"""Where the Home Office DHR Library's filter tags live (``dhr:HomeOfficeLibraryTags``)."""

LIBRARY_TAGS: dict[str, URIRef] = _notations(DHR.HomeOfficeLibraryTags)
"""Library tag concepts by the filter value the library's form sends:
``LIBRARY_TAGS["DHR process - police recommendations"]``."""

LIBRARY_URL = str(MODEL.value(DHR.HomeOfficeLibrary, SCHEMA.url))
"""The Home Office DHR Library's address, the canonical prefix of every report's download IRI."""


UNCLASSIFIABLE = "T11.5"
"""The theme of a recommendation that asks for nothing concrete."""


def top_level(code: str) -> str:
    """The top-level theme of a code.

    >>> top_level("T11.5"), top_level("T4")
    ('T11', 'T4')
    """
    return code.split(".")[0]


def theme(code: str) -> URIRef:
    """The theme concept of a code.

    >>> theme("T1").endswith("/theme/T1")
    True
    """
    try:
        return THEMES[code]
    except KeyError:
        raise ValueError(f"unknown theme code {code!r}") from None


def implementation_status(code: str) -> URIRef:
    """The implementation-status concept of a code.

    >>> implementation_status("completed").endswith("/status/completed")
    True
    """
    try:
        return STATUSES[code]
    except KeyError:
        raise ValueError(f"unknown implementation status {code!r}; known: {', '.join(STATUSES)}") from None


def agency_type(code: str) -> URIRef:
    """The agency-type concept of a code.

    >>> agency_type("A01").endswith("/agency-type/A01")
    True
    """
    try:
        return AGENCY_TYPES[code]
    except KeyError:
        raise ValueError(f"unknown agency-type code {code!r}") from None
