"""A document's digest: the few facts of its triples that the corpus summary, review matching
and the analysis count and compare, read from the triples themselves.

Ingest digests a document from the triples it is about to write; a store whose cached digests
are lost or out of date is digested again from the triples it holds (see
:mod:`graph.store.corpus_index`). Both go through :func:`digest`, so what is counted never
depends on which way the digest was made. A digest holds IRIs, codes, dates and the words
of recommendations (for finding repeated ones), never anything else of a review's text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from graph.model.terms import DCTERMS, DHR, ORG, RDF, SCHEMA, SKOS
from graph.rdf.builder import Lit, Object


class RecommendationDigest(NamedTuple):
    iri: str
    record: str  # the review record it is in (dhr:inReview)
    text: str | None
    agencies: tuple[str, ...]  # dhr:addressedTo, sorted
    themes: tuple[str, ...]  # dhr:theme concepts, sorted
    named_only: tuple[tuple[str, Lit], ...]  # agencies the text alone names, with the words used


class RecordDigest(NamedTuple):
    iri: str
    csp: str | None
    year: str | None  # dhr:yearOfDeath, lexical
    month: str | None  # dhr:monthOfDeath, lexical
    issued: str | None  # dcterms:issued, lexical
    failures: tuple[str, ...]  # dhr:failure nodes, sorted
    recommendations: tuple[str, ...]  # dhr:hasRecommendation, sorted


class DocumentDigest(NamedTuple):
    key: str
    graph: str
    sha256: str
    reader: int | None
    format: str
    records: tuple[RecordDigest, ...]
    recommendations: tuple[RecommendationDigest, ...]  # every node typed dhr:Recommendation, by IRI
    labels: tuple[tuple[str, Lit], ...]  # skos:prefLabel given here (agencies, CSPs)
    classifications: tuple[tuple[str, str], ...]  # org:classification given here
    organisations: tuple[str, ...]  # nodes typed org:Organization here
    csps: tuple[str, ...]  # nodes typed dhr:CommunitySafetyPartnership here
    sources: int  # nodes typed dhr:SourceDocument here (one)
    record_sha256: str | None = None  # of the library record read with it (graph.extraction.library_record)


TYPED = (str(DHR.Review), str(DHR.Recommendation), str(DHR.SourceDocument), str(DHR.CommunitySafetyPartnership),
         str(ORG.Organization))
"""The classes whose members a digest counts (every other rdf:type triple is ignored)."""

PREDICATES = tuple(str(p) for p in (
    DHR.sourcePath, DHR.sha256, DHR.recordSha256, DHR.sourceFormat, DHR.readerVersion, DHR.communitySafetyPartnership,
    DHR.yearOfDeath, DHR.monthOfDeath, DCTERMS.issued, DHR.failure, DHR.hasRecommendation, DHR.inReview,
    SCHEMA.text, DHR.addressedTo, DHR.theme, DHR.namedOnlyInText, DHR.addressee, DHR.addresseeLabel,
    SKOS.prefLabel, ORG.classification))
"""The predicates a digest reads, besides rdf:type of :data:`TYPED`."""

_TYPE = str(RDF.type)
_WANTED = frozenset(PREDICATES)
_TYPED = frozenset(TYPED)


def digest(key: str, graph: str, triples: Iterable[tuple[str, str, Object]]) -> DocumentDigest:
    """The digest of the document ``key`` from its triples (``(s, p, o)``, an IRI object as ``str``).

    >>> from graph.resources import data_dir
    >>> from graph.enrich import enrich
    >>> from graph.extraction import extract
    >>> from graph.rdf.documents import document_tuples
    >>> out = document_tuples(enrich(extract(data_dir() / "seed" / "000_58cfa34b200ccabd.txt")), "seed.txt")
    >>> found = digest("seed.txt", "urn:graph", out.tuples)
    >>> len(found.records), len(found.recommendations), found.records[0].year
    (1, 35, '2016')
    """
    values: dict[str, dict[str, list[Object]]] = defaultdict(lambda: defaultdict(list))
    typed: dict[str, set[str]] = defaultdict(set)
    for s, p, o in triples:
        if p == _TYPE:
            if o in _TYPED:
                typed[str(o)].add(s)
        elif p in _WANTED:
            values[p][s].append(o)

    def one(predicate: object, subject: str) -> str | None:
        found = values[str(predicate)].get(subject)
        if not found:
            return None
        first = min(found, key=str)
        return first.value if isinstance(first, Lit) else first

    def iris(predicate: object, subject: str) -> tuple[str, ...]:
        return tuple(sorted({o for o in values[str(predicate)].get(subject, ()) if isinstance(o, str)}))

    sources = typed[str(DHR.SourceDocument)]
    source = min(sources) if sources else graph
    reader = one(DHR.readerVersion, source)
    records = tuple(
        RecordDigest(record, one(DHR.communitySafetyPartnership, record), one(DHR.yearOfDeath, record),
                     one(DHR.monthOfDeath, record), one(DCTERMS.issued, record), iris(DHR.failure, record),
                     iris(DHR.hasRecommendation, record))
        for record in sorted(typed[str(DHR.Review)]))
    recommendations = []
    for rec in sorted(typed[str(DHR.Recommendation)]):
        named = sorted({(agency, words)
                        for mention in iris(DHR.namedOnlyInText, rec)
                        for agency in iris(DHR.addressee, mention)
                        for words in values[str(DHR.addresseeLabel)].get(mention, ()) if isinstance(words, Lit)},
                       key=_by_text)
        recommendations.append(RecommendationDigest(
            rec, one(DHR.inReview, rec) or "", one(SCHEMA.text, rec), iris(DHR.addressedTo, rec),
            iris(DHR.theme, rec), tuple(named)))
    return DocumentDigest(
        key, graph, one(DHR.sha256, source) or "", int(reader) if reader is not None else None,
        one(DHR.sourceFormat, source) or "", records, tuple(recommendations),
        tuple(sorted(((s, o) for s, objects in values[str(SKOS.prefLabel)].items() for o in objects
                      if isinstance(o, Lit)), key=_by_text)),
        tuple(sorted((s, o) for s, objects in values[str(ORG.classification)].items() for o in objects
                     if isinstance(o, str))),
        tuple(sorted(typed[str(ORG.Organization)])), tuple(sorted(typed[str(DHR.CommunitySafetyPartnership)])),
        len(sources), one(DHR.recordSha256, source))


def _by_text(pair: tuple[str, Lit]) -> tuple[str, str]:
    return pair[0], str(pair[1])
