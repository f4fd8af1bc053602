"""Records → RDF: the triples one source document contributes to the graph.

Every IRI is derived from its input (the document key, positions, text hashes, names),
so the same file always gives the same triples, and re-ingesting it replaces its named
graph exactly. Triples are built as pyoxigraph terms, the form the store takes without
conversion.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from rdflib import URIRef

from graph.model.dates import period_end, period_start
from graph.model.iris import (
    csp_iri,
    local_agency_iri,
    recommendation_iri,
    review_failure_iri,
    review_iri,
    short_hash,
    source_iri,
)
from graph.model.records import AgencyRef, Extraction, RecommendationRecord, ReviewFacts, Source
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
    implementation_status,
    theme,
    top_level,
)
from graph.rdf.builder import Triple, Triples, boolean, dated, string, typed
from graph.rdf.library import library_triples

READER_VERSION = 6
"""Raise it when the triples read from an unchanged file change (new derived facts, a better
extraction), so that the next ingest reads every document again. 2: dhr:namedOnlyInText.
3: the layout-aware report reader (council pages, flattened pages, Word-made tables).
4: dhr:addresseeType on each addressing (curated corrections derive failures from it).
5: action plans (each recommendation's actions, leads, targets and printed statuses).
6: themes scored with the field's wider vocabulary and the verb of the ask."""


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
    if source_record.record_sha256:
        out.add(source, DHR.recordSha256, string(source_record.record_sha256))
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
        out.add(review, DHR.communitySafetyPartnership, csp_triples(out, facts.csp, facts.region))
    if facts.region:
        out.add(review, DHR.region, string(facts.region))
    if facts.published:
        out.add(review, DCTERMS.issued, dated(facts.published))
    if facts.year_of_death is not None:
        out.add(review, DHR.yearOfDeath, typed(facts.year_of_death, XSD.gYear))
    if facts.month_of_death:
        out.add(review, DHR.monthOfDeath, typed(facts.month_of_death, XSD.gYearMonth))
    if facts.pseudonym:
        out.add(review, DHR.victimPseudonym, string(facts.pseudonym))
    if facts.summary:
        out.add(review, DCTERMS.abstract, string(facts.summary))
    if facts.declared_recommendations is not None:
        out.add(review, DHR.declaredRecommendationCount, typed(facts.declared_recommendations, XSD.integer))

    library_triples(out, extraction, key, review, source)

    for position, rec in enumerate(extraction.recommendations, start=1):
        _recommendation(out, rec, key, position, review, source, facts.csp)
        _actions(out, rec, recommendation_iri(key, position, rec.text), source, facts)
    _failures(out, extraction, key, review)
    return out


def _failures(out: Triples, extraction: Extraction, key: str, review: URIRef) -> None:
    """What the review found wanting: each recommendation's failures
    (:func:`recommendation_failures`), and the themes of each summary sentence (no agency type),
    as enrichment found them (:mod:`graph.enrich.summary_evidence`)."""
    for position, rec in enumerate(extraction.recommendations, start=1):
        recommendation_failures(out, review, recommendation_iri(key, position, rec.text),
                                [t.code for t in rec.themes], [a.type for a in rec.agencies if a.type])
    for finding in extraction.review.findings:
        for code in finding.themes:
            out.add(failure_node(out, review, code, None), DHR.evidence, string(finding.sentence))


def recommendation_failures(out: Triples, review: URIRef | str, recommendation: URIRef | str,
                            themes: Iterable[str], types: Iterable[str]) -> None:
    """The failures one recommendation answers: each top-level theme of its themes ("no
    concrete ask" is none) paired with the type of each agency it is addressed to. Reading a
    document and applying curated corrections (:mod:`graph.rdf.curated`) both derive them here.

    >>> out = Triples()
    >>> review = "https://w3id.org/dhrkg/id/review/ab"
    >>> recommendation_failures(out, review, "urn:rec", ["T1.2", "T1.1", "T11.5"], ["A01"])
    >>> sorted({str(t.subject.value) for t in out.items if t.subject.value.endswith("A01")})
    ['https://w3id.org/dhrkg/id/failure/ab/T1-A01']
    """
    tops = {top_level(code) for code in themes if code != UNCLASSIFIABLE}
    kinds = sorted(set(types))
    for theme_code in sorted(tops):
        for type_code in kinds:
            out.add(failure_node(out, review, theme_code, type_code), PROV.wasDerivedFrom, recommendation)


def failure_node(out: Triples, review: URIRef | str, theme_code: str, type_code: str | None) -> URIRef:
    """The review's failure node of a theme (and agency type), described and linked to the review."""
    node = review_failure_iri(str(review), theme_code, type_code)
    out.add(review, DHR.failure, node)
    out.add(node, RDF.type, DHR.Failure)
    out.add(node, DHR.failureTheme, theme(theme_code))
    if type_code:
        out.add(node, DHR.failureAgencyType, agency_type(type_code))
    return node


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


def _actions(out: Triples, rec: RecommendationRecord, iri: URIRef, source: URIRef, facts: ReviewFacts) -> None:
    """The recommendation's action plan: each action with its lead (resolved like an addressee),
    its target and, where the plan prints one, a status observation dated by the document."""
    for index, action in enumerate(rec.actions, start=1):
        node = ID[f"{iri[len(ID):]}/action/{index}"]
        out.add(node, RDF.type, DHR.Action)
        out.add(iri, DHR.action, node)
        out.add(node, DHR.actionOf, iri)
        out.add(node, DHR.position, typed(index, XSD.integer))
        out.add(node, PROV.wasDerivedFrom, source)
        if action.text:
            out.add(node, SCHEMA.text, string(action.text))
        if action.page is not None:
            out.add(node, DHR.page, typed(action.page, XSD.integer))
        leads = action.leads or [AgencyRef(label) for label in action.lead_labels()]
        _addressings(out, node, leads, "lead", DHR.leadAddressing, DHR.lead, facts.csp)
        if action.target_text:
            out.add(node, DHR.targetDateText, string(action.target_text))
        if action.target_date:
            out.add(node, DHR.targetDate, dated(action.target_date))
            out.add(node, DHR.dueBy, typed(period_end(action.target_date), XSD.date))
        status = action.status or ("completed" if action.completed else None)
        if status is None:
            continue
        observation = ID[f"{node[len(ID):]}/status"]
        out.add(observation, RDF.type, DHR.StatusObservation)
        out.add(observation, DHR.statusOf, node)
        out.add(observation, DHR.observedStatus, implementation_status(status))
        out.add(observation, PROV.wasDerivedFrom, source)
        out.add(observation, PROV.wasGeneratedBy, DHR.PrintedStatus)
        if action.status_text:
            out.add(observation, DHR.statusText, string(action.status_text))
        if action.completed:
            out.add(observation, DHR.completedOn, dated(action.completed))
        as_of = facts.published or (action.completed if action.completed and len(action.completed) == 10 else None)
        if as_of:
            out.add(observation, DHR.asOf, typed(period_start(as_of), XSD.date))


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
        if ref.type:
            out.add(node, DHR.addresseeType, agency_type(ref.type))
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
