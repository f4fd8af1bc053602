"""Dataset tables → RDF: DHRD incidents become reviews, victims and perpetrators anonymous
persons, and every indicator a concept of the case-characteristics scheme.

Reviews are linked to the same CSP nodes as summary pages and reports (one node per CSP
name, kept as printed). A characteristic marked False is ``dhr:notIndicated``; an unknown
one has no triple at all.
"""

from __future__ import annotations

from datetime import datetime

import pyoxigraph as ox
from rdflib import URIRef

from graph.model.iris import source_iri
from graph.model.records import DatasetRow, DatasetTable
from graph.model.terms import CHARACTERISTICS, DCTERMS, DHR, ID, PROV, RDF, XSD
from graph.rdf.builder import Triples, string, typed
from graph.rdf.documents import csp_triples, source_triples

_PERSON_PROPERTIES = {
    "age_band": DHR.ageBand, "sex": DHR.sex, "sexual_orientation": DHR.sexualOrientation,
    "religion": DHR.religion, "ethnicity": DHR.ethnicity,
    "relationship_to_perpetrator": DHR.relationshipToPerpetrator, "court_verdict": DHR.courtVerdict,
}


def dataset_review_iri(incident: str) -> URIRef:
    """The review of a DHRD incident: the same IRI from every table that names it."""
    return ID[f"review/dhrd-{incident}"]


def person_iri(identifier: str) -> URIRef:
    return ID[f"person/dhrd-{identifier}"]


def dataset_triples(table: DatasetTable, key: str, *, ingested_at: datetime | None = None) -> list[ox.Triple]:
    """All triples of one DHRD table; they go into the named graph ``source_iri(key)``."""
    return dataset_tuples(table, key, ingested_at=ingested_at).items


def dataset_tuples(table: DatasetTable, key: str, *, ingested_at: datetime | None = None) -> Triples:
    """The triples of :func:`dataset_triples` as plain tuples, which ingest writes as text."""
    out = Triples()
    source = source_iri(key)
    source_triples(out, table.source, table.warnings, key, ingested_at)
    for row in table.rows:
        if table.table == "incidents":
            _incident(out, row, source)
        else:
            _person(out, row, source, victim=table.table == "victims")
    return out


def _characteristics(out: Triples, subject: URIRef, row: DatasetRow) -> None:
    for notation in row.indicated:
        out.add(subject, DHR.caseCharacteristic, CHARACTERISTICS[notation])
    for notation in row.not_indicated:
        out.add(subject, DHR.notIndicated, CHARACTERISTICS[notation])


def _incident(out: Triples, row: DatasetRow, source: URIRef) -> None:
    review = dataset_review_iri(row.id)
    out.add(review, RDF.type, DHR.Review)
    out.add(review, PROV.wasDerivedFrom, source)
    out.add(review, DCTERMS.identifier, string(row.id))
    values = row.values
    if csp_name := values.get("csp"):
        out.add(review, DHR.communitySafetyPartnership, csp_triples(out, csp_name, values.get("region")))
    if region := values.get("region"):
        out.add(review, DHR.region, string(region))
    if death := values.get("death_date"):
        out.add(review, DHR.yearOfDeath, typed(death[:4], XSD.gYear))
        if len(death) == 7:
            out.add(review, DHR.monthOfDeath, typed(death, XSD.gYearMonth))
    if cause := values.get("cause_of_death"):
        out.add(review, DHR.causeOfDeath, string(cause))
    if place := values.get("place_of_death"):
        out.add(review, DHR.placeOfDeath, string(place))
    _characteristics(out, review, row)


def _person(out: Triples, row: DatasetRow, source: URIRef, *, victim: bool) -> None:
    person = person_iri(row.id)
    review = dataset_review_iri(row.incident)
    out.add(person, RDF.type, DHR.Victim if victim else DHR.Perpetrator)
    out.add(person, PROV.wasDerivedFrom, source)
    out.add(person, DCTERMS.identifier, string(row.id))
    out.add(review, DHR.victim if victim else DHR.perpetrator, person)
    for field_name, prop in _PERSON_PROPERTIES.items():
        if value := row.values.get(field_name):
            out.add(person, prop, string(value))
    _characteristics(out, person, row)
