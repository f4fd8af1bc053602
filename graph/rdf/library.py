"""A library record → RDF: the Home Office DHR Library's card beside the report's own reading.

Design. A report fetched from the library has two witnesses to the review's main facts: the
library's card (title, pseudonym as printed, CSP, region, upload month, death month) and the
report's own first pages. The card outranks the pages (:mod:`graph.enrich.library`), so the
``dhr:Review`` node carries the card's facts wherever the card gives them: that keeps one CSP,
one pseudonym and one year of death per review (the shapes require it) and makes the review
match its DHRD incident by CSP and month of death. Both witnesses are also kept as they are,
each a ``dhr:ReviewRecord`` of the review (``dhr:recordOf``) with its provenance:

- a ``dhr:LibraryRecord`` (``prov:wasDerivedFrom dhr:HomeOfficeLibrary``) with the card's
  values (``dhr:recorded*``, ``dcterms:title``, ``dcterms:available`` for the upload month),
  the download id, and whether the library's filter tags were collected;
- a ``dhr:DocumentRecord`` (``prov:wasDerivedFrom`` the source document) with what the pages
  said, so any disagreement with the card stays visible and queryable.

The review and the source document carry ``dcterms:source`` the canonical download IRI
(``https://homicide-review.homeoffice.gov.uk/download/{id}``, from ``dhr:HomeOfficeLibrary``'s
``schema:url``) whatever mirror served the file, and the review its ``dhr:libraryTag`` concepts.
All of it goes into the document's own named graph, written with the document or not at all,
and replaced with it when the record changes (``dhr:recordSha256``).
"""

from __future__ import annotations

from rdflib import URIRef

from graph.model.iris import document_record_iri, library_download_iri, library_record_iri, library_tag_iri
from graph.model.records import Extraction, LibraryRecord, ReviewFacts
from graph.model.terms import DCTERMS, DHR, LIBRARY_TAGS, PROV, RDF, SKOS
from graph.rdf.builder import Triples, boolean, dated, string


def library_triples(out: Triples, extraction: Extraction, key: str, review: URIRef, source: URIRef) -> None:
    """The triples of a report's library record, its document record and its tags (none without a record)."""
    record = extraction.library
    if record is None:
        return
    download = library_download_iri(record.download_id)
    out.add(review, DCTERMS.source, download)
    out.add(source, DCTERMS.source, download)
    if record.uploaded:
        out.add(review, DCTERMS.available, dated(record.uploaded))
    _library_record(out, record, library_record_iri(key), review)
    for value in record.tags:
        concept = library_tag_iri(value)
        out.add(review, DHR.libraryTag, concept)
        if value not in LIBRARY_TAGS:  # a tag the site added after the scheme was written: say what it is
            out.add(concept, RDF.type, SKOS.Concept)
            out.add(concept, SKOS.inScheme, DHR.HomeOfficeLibraryTags)
            out.add(concept, SKOS.notation, string(value))
            out.add(concept, SKOS.prefLabel, string(value))
    if extraction.document_facts is not None:
        _document_record(out, extraction.document_facts, document_record_iri(key), review, source)


def _library_record(out: Triples, record: LibraryRecord, node: URIRef, review: URIRef) -> None:
    out.add(node, RDF.type, DHR.LibraryRecord)
    out.add(node, DHR.recordOf, review)
    out.add(node, PROV.wasDerivedFrom, DHR.HomeOfficeLibrary)
    out.add(node, DCTERMS.identifier, string(record.download_id))
    out.add(node, DHR.tagsCollected, boolean(record.tags_collected))
    if record.title:
        out.add(node, DCTERMS.title, string(record.title))
    if record.uploaded:
        out.add(node, DCTERMS.available, dated(record.uploaded))
    _stated(out, node, record.pseudonym, record.csp, record.region, record.death)


def _document_record(out: Triples, facts: ReviewFacts, node: URIRef, review: URIRef, source: URIRef) -> None:
    out.add(node, RDF.type, DHR.DocumentRecord)
    out.add(node, DHR.recordOf, review)
    out.add(node, PROV.wasDerivedFrom, source)
    if facts.title:
        out.add(node, DCTERMS.title, string(facts.title))
    if facts.published:
        out.add(node, DCTERMS.issued, dated(facts.published))
    death = facts.month_of_death or (str(facts.year_of_death) if facts.year_of_death is not None else None)
    _stated(out, node, facts.pseudonym, facts.csp, facts.region, death)


def _stated(out: Triples, node: URIRef, pseudonym: str | None, csp: str | None, region: str | None,
            death: str | None) -> None:
    if pseudonym:
        out.add(node, DHR.recordedPseudonym, string(pseudonym))
    if csp:
        out.add(node, DHR.recordedCsp, string(csp))
    if region:
        out.add(node, DHR.recordedRegion, string(region))
    if death:
        out.add(node, DHR.recordedDeath, dated(death))
