"""Records → RDF: the triples one source document contributes to the graph.

Every IRI is derived from its input (the document key, positions, text hashes, names),
so the same file always gives the same triples, and re-ingesting it replaces its named
graph exactly. Triples are built as pyoxigraph terms, the form the store takes without
conversion.
"""

from __future__ import annotations

from datetime import datetime, timezone

from rdflib import URIRef

from graph.model.iris import (
    csp_iri,
    failure_iri,
    local_agency_iri,
    recommendation_iri,
    review_iri,
    short_hash,
    source_iri,
)
from graph.model.records import AgencyRef, Extraction, RecommendationRecord, Source
from graph.model.terms import (
    DCTERMS,
    DHR,
    ID,
    ORG,
    PROV,
    RDF,
    SCHEMA,
    SKOS,
    UNCLASSIFIABLE,
    XSD,
    agency_type,
    theme,
    top_level,
)
from graph.rdf.builder import Triple, Triples, boolean, published, string, typed

READER_VERSION = 2
"""Raise it when the triples read from an unchanged file change (new derived facts, a better
extraction), so that the next ingest reads every document again. 2: dhr:namedOnlyInText."""


def source_triples(out: Triples, source_record: Source, warnings: list[str], key: str,
                   ingested_at: datetime | None) -> None:
    """The source document's own description: path key, hash, format, ingest time, warnings."""
    source = source_iri(key)
    when = (ingested_at or datetime.now(timezone.utc)).replace(microsecond=0)
    out.add(source, RDF.type, DHR.SourceDocument)
    out.add(source, DHR.sourcePath, string(key))
    out.add(source, DHR.sha256, string(source_record.sha256))
    out.add(source, DHR.sourceFormat, string(source_record.format))
    out.add(source, DHR.readerVersion, typed(READER_VERSION, XSD.integer))
    stamp = when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")  # the form Oxigraph stores
    out.add(source, PROV.generatedAtTime, typed(stamp, XSD.dateTime))
    for link in source_record.links:
        out.add(source, DHR.link, typed(link, XSD.anyURI))
    for warning in warnings:
        out.add(source, DHR.warning, string(warning))


def csp_triples(out: Triples, name: str, region: str | None = None) -> URIRef:
    """The CSP node of a name, shared by every source that prints the same name."""
    csp = csp_iri(name)
    out.add(csp, RDF.type, DHR.CommunitySafetyPartnership)
    out.add(csp, RDF.type, ORG.Organization)
    out.add(csp, SKOS.prefLabel, string(name))
    out.add(csp, ORG.classification, agency_type("A15"))
    if region:
        out.add(csp, DHR.region, string(region))
    return csp


def document_triples(extraction: Extraction, key: str, *, ingested_at: datetime | None = None) -> list[Triple]:
    """All triples one source contributes; they go into the named graph ``source_iri(key)``."""
    return document_tuples(extraction, key, ingested_at=ingested_at).items


def document_tuples(extraction: Extraction, key: str, *, ingested_at: datetime | None = None) -> Triples:
    """The triples of :func:`document_triples` as plain tuples, which ingest writes as text."""
    out = Triples()
    facts = extraction.review
    source = source_iri(key)
    review = review_iri(key)

    source_triples(out, extraction.source, extraction.warnings, key, ingested_at)

    out.add(review, RDF.type, DHR.Review)
    out.add(review, PROV.wasDerivedFrom, source)
    out.add(review, DCTERMS.identifier, string(short_hash(key)))
    if facts.title:
        out.add(review, DCTERMS.title, string(facts.title))
    if facts.csp:
        out.add(review, DHR.communitySafetyPartnership, csp_triples(out, facts.csp))
    if facts.published:
        out.add(review, DCTERMS.issued, published(facts.published))
    if facts.year_of_death is not None:
        out.add(review, DHR.yearOfDeath, typed(facts.year_of_death, XSD.gYear))
    if facts.pseudonym:
        out.add(review, DHR.victimPseudonym, string(facts.pseudonym))
    if facts.summary:
        out.add(review, DCTERMS.abstract, string(facts.summary))
    if facts.declared_recommendations is not None:
        out.add(review, DHR.declaredRecommendationCount, typed(facts.declared_recommendations, XSD.integer))

    for position, rec in enumerate(extraction.recommendations, start=1):
        _recommendation(out, rec, key, position, review, source, facts.csp)
    _failures(out, extraction, key, review)
    return out


def _failures(out: Triples, extraction: Extraction, key: str, review: URIRef) -> None:
    """What the review found wanting: each recommendation's themes × the types of the agencies
    it is addressed to, and the themes of each summary sentence (no agency type), as enrichment
    found them (:mod:`graph.enrich.summary_evidence`)."""
    def failure(theme_code: str, type_code: str | None) -> URIRef:
        node = failure_iri(key, theme_code, type_code)
        out.add(review, DHR.failure, node)
        out.add(node, RDF.type, DHR.Failure)
        out.add(node, DHR.failureTheme, theme(theme_code))
        if type_code:
            out.add(node, DHR.failureAgencyType, agency_type(type_code))
        return node

    for position, rec in enumerate(extraction.recommendations, start=1):
        themes = {top_level(t.code) for t in rec.themes if t.code != UNCLASSIFIABLE}
        types = {a.type for a in rec.agencies if a.type}
        for theme_code in sorted(themes):
            for type_code in sorted(types):
                out.add(failure(theme_code, type_code), PROV.wasDerivedFrom,
                        recommendation_iri(key, position, rec.text))
    for finding in extraction.review.findings:
        for code in finding.themes:
            out.add(failure(code, None), DHR.evidence, string(finding.sentence))


def _recommendation(out: Triples, rec: RecommendationRecord, key: str, position: int,
                    review: URIRef, source: URIRef, area: str | None) -> None:
    iri = recommendation_iri(key, position, rec.text)
    out.add(iri, RDF.type, DHR.Recommendation)
    out.add(review, DHR.hasRecommendation, iri)
    out.add(iri, DHR.inReview, review)
    out.add(iri, PROV.wasDerivedFrom, source)
    out.add(iri, SCHEMA.text, string(rec.text))
    out.add(iri, DHR.position, typed(position, XSD.integer))
    out.add(iri, DHR.truncated, boolean(rec.truncated))
    if rec.number:
        out.add(iri, DHR.recommendationNumber, string(rec.number))
    if rec.page is not None:
        out.add(iri, DHR.page, typed(rec.page, XSD.integer))

    agencies = rec.agencies or [AgencyRef(label) for label in rec.addressed_to]
    addressed = _addressings(out, iri, agencies, "addressee", DHR.addressing, DHR.addressedTo, area)
    mentioned = _addressings(out, iri, rec.mentioned, "mention", DHR.mention, DHR.mentionsAgency, area)
    addressees = {target for _, target in addressed}
    for node, target in mentioned:  # kept as a fact: finding them by query joins every mention
        if target not in addressees:
            out.add(iri, DHR.namedOnlyInText, node)
    for rank, assigned in enumerate(rec.themes, start=1):
        concept = theme(assigned.code)
        node = ID[f"{iri[len(ID):]}/theme/{assigned.code}"]
        out.add(iri, DHR.theme, concept)
        out.add(iri, DHR.themeAssignment, node)
        out.add(node, RDF.type, DHR.ThemeAssignment)
        out.add(node, DHR.assignedTheme, concept)
        out.add(node, DHR.rank, typed(rank, XSD.integer))
        out.add(node, DHR.confidence, typed(f"{assigned.confidence:.3f}", XSD.decimal))
        for words in assigned.evidence:
            out.add(node, DHR.evidence, string(words))


def _addressings(out: Triples, iri: URIRef, refs: list[AgencyRef], kind: str, qualified: URIRef,
                 direct: URIRef, area: str | None) -> list[tuple[URIRef, URIRef]]:
    """Each printed name as a dhr:Addressing node (label, resolved body, method, confidence),
    plus the direct link to the body: the addressee column, or the agencies the text names.
    Returns the nodes with the bodies they resolved to."""
    resolved = []
    for index, ref in enumerate(refs, start=1):
        node = ID[f"{iri[len(ID):]}/{kind}/{index}"]
        target = _addressee(out, ref, area)
        out.add(iri, qualified, node)
        out.add(node, RDF.type, DHR.Addressing)
        out.add(node, DHR.addresseeLabel, string(ref.label))
        out.add(node, DHR.addressee, target)
        out.add(iri, direct, target)
        _resolution(out, node, ref)
        resolved.append((node, target))
    return resolved


def _addressee(out: Triples, ref: AgencyRef, area: str | None) -> URIRef:
    """The addressee node of a reference; a body no gazetteer knew is described here, in the
    document that named it."""
    if ref.id is not None and ref.method != "new":
        return URIRef(ref.id)
    target = URIRef(ref.id) if ref.id is not None else local_agency_iri(ref.label, area)
    out.add(target, RDF.type, DHR.Agency)
    out.add(target, RDF.type, ORG.Organization)
    out.add(target, SKOS.prefLabel, string(ref.label))
    if area:
        out.add(target, DHR.area, string(area))
    out.add(target, ORG.classification, agency_type(ref.type or "A22"))
    return target


RESOLUTION_METHODS = {
    "collective": DHR.CollectiveName, "exact": DHR.ExactName, "local": DHR.LocalName,
    "fuzzy": DHR.FuzzyName, "variant": DHR.SameReviewVariant, "new": DHR.NewOrganisation,
    "mention": DHR.TextMention,
}


def _resolution(out: Triples, node: URIRef, ref: AgencyRef) -> None:
    if ref.method:
        out.add(node, PROV.wasGeneratedBy, RESOLUTION_METHODS[ref.method])
    if ref.confidence is not None:
        out.add(node, DHR.confidence, typed(f"{ref.confidence:.3f}", XSD.decimal))
