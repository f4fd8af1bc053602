"""The agency gazetteer: canonical organisations, their names, local names, types, areas and dates.

Read from ``ontology/gazetteer.ttl`` (and any Turtle files a user adds in the same shape);
the resolver in ``agencies.py`` looks names up here.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from graph.model.terms import DHR, ORG, RDF, SCHEMA, SKOS
from graph.model.turtle import read
from graph.resources import ontology_dir

_PUNCTUATION = re.compile(r"[^\w\s]")


@lru_cache(maxsize=1 << 16)  # the same names recur in every review of a corpus
def normalise_name(text: str) -> str:
    """A name reduced for comparison: lower case, '&' as 'and', no punctuation or leading 'the'.

    >>> normalise_name("The Children's Services & Early Help")
    'childrens services and early help'
    >>> normalise_name("Sampleton Partnership NHS FT")
    'sampleton partnership nhs foundation trust'
    """
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("&", " and ")
    text = _PUNCTUATION.sub("", text.lower().replace("'", ""))
    text = re.sub(r"\s+", " ", text).strip()
    text = _NAME_SHORTHAND.sub(lambda m: _NAME_WORDS[m.group(0)], text)
    return re.sub(r"^the ", "", text)


_NAME_WORDS = {"ft": "foundation trust", "svc": "service", "svcs": "services", "dept": "department",
               "depts": "departments"}
_NAME_SHORTHAND = re.compile(rf"\b(?:{'|'.join(_NAME_WORDS)})\b")
"""Shorthand in action plans' names ("Sampleton Partnership NHS FT", "Children's svcs"), read as
the words it stands for, so the gazetteer and the typing rules see one name."""


@dataclass(frozen=True)
class Organisation:
    iri: str
    name: str
    type: str  # A-code
    names: frozenset[str] = frozenset()  # normalised global names (prefLabel, altLabel)
    local_names: frozenset[str] = frozenset()  # normalised local labels
    areas: frozenset[str] = frozenset()  # normalised area names
    founded: date | None = None
    dissolved: date | None = None

    def serves(self, area: str | None) -> bool:
        """Whether this body serves the area a review is from."""
        if not area or not self.areas:
            return False
        wanted = normalise_name(area)
        return wanted in self.areas

    def existed_in(self, year: int | None) -> bool:
        if year is None:
            return True
        if self.founded is not None and self.founded.year > year:
            return False
        if self.dissolved is not None and self.dissolved.year < year:
            return False
        return True


@dataclass
class Gazetteer:
    """Organisations by IRI, with indexes from normalised names to organisations."""

    organisations: dict[str, Organisation]
    by_name: dict[str, list[Organisation]] = field(default_factory=dict)
    by_local_name: dict[str, list[Organisation]] = field(default_factory=dict)
    place_words: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        by_name: dict[str, list[Organisation]] = defaultdict(list)
        by_local: dict[str, list[Organisation]] = defaultdict(list)
        places: set[str] = set()
        for org in self.organisations.values():
            for name in org.names:
                by_name[name].append(org)
            for name in org.local_names:
                by_local[name].append(org)
            for area in org.areas:
                places.update(w for w in area.split() if len(w) > 3 and w not in _NOT_PLACES)
        self.by_name = dict(by_name)
        self.by_local_name = dict(by_local)
        self.place_words = frozenset(places)

    @classmethod
    def from_graph(cls, graph: Graph) -> Gazetteer:
        organisations: dict[str, Organisation] = {}
        type_codes = {
            str(concept): str(graph.value(concept, SKOS.notation) or "")
            for concept in graph.subjects(SKOS.inScheme, DHR.AgencyTypeScheme)
        }
        for iri in set(graph.subjects(RDF.type, DHR.Agency)):
            if not isinstance(iri, URIRef):
                continue
            name = graph.value(iri, SKOS.prefLabel)
            if name is None:
                continue
            classification = graph.value(iri, ORG.classification)
            names = {str(name), *map(str, graph.objects(iri, SKOS.altLabel))}
            organisations[str(iri)] = Organisation(
                iri=str(iri),
                name=str(name),
                type=type_codes.get(str(classification), "A22") or "A22",
                names=frozenset(normalise_name(n) for n in names),
                local_names=frozenset(normalise_name(str(n)) for n in graph.objects(iri, DHR.localLabel)),
                areas=frozenset(normalise_name(str(a)) for a in graph.objects(iri, DHR.area)),
                founded=_date(graph.value(iri, SCHEMA.foundingDate)),
                dissolved=_date(graph.value(iri, SCHEMA.dissolutionDate)),
            )
        return cls(organisations)

    @classmethod
    def load(cls, extra: Iterable[Path] = ()) -> Gazetteer:
        """The shipped gazetteer, extended with a user's Turtle files."""
        return cls.from_graph(_gazetteer_graph(tuple(extra)))


_NOT_PLACES = frozenset({"north", "south", "east", "west", "upon", "city", "county", "greater", "with",
                         "mid", "and", "the", "isle", "isles", "vale", "forest", "valley"})


def _date(value: object) -> date | None:
    if isinstance(value, Literal):
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            return None
    return None


@cache
def _gazetteer_graph(extra: tuple[Path, ...]) -> Graph:
    graph = read([ontology_dir() / "schemes.ttl", ontology_dir() / "gazetteer.ttl"])
    for path in extra:
        graph.parse(path)  # a user's file: rdflib's messages name what is wrong in it
    return graph


@cache
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once."""
    return Gazetteer.load()
