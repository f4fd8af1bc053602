"""Instance IRIs: every node dhrkg mints, derived from its input so the same input always
gives the same IRI (under the ontology's ``void:uriSpace``)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

from graph.model.terms import HOLIB, ID, LIBRARY_TAGS, LIBRARY_URL


def short_hash(text: str, length: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def slug(text: str, *, limit: int = 80) -> str:
    """A readable IRI segment: lower case ASCII words joined by hyphens.

    >>> slug("Northampton Partnership Homes (NPH)")
    'northampton-partnership-homes-nph'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].rstrip("-") or short_hash(text, 12)


# ------------------------------------------------------------------ IRIs

_REVIEWS = f"{ID}review/"  # a review's IRI is this and its source key's hash


def source_iri(key: str) -> URIRef:
    """The source document, and the named graph holding everything read from it."""
    return ID[f"source/{short_hash(key)}"]


def review_iri(key: str) -> URIRef:
    return URIRef(_REVIEWS + short_hash(key))


def recommendation_iri(key: str, position: int, text: str) -> URIRef:
    """Review + position + text hash: printed numbers repeat within a review, so they
    cannot identify a recommendation."""
    return ID[f"recommendation/{short_hash(key)}-{position}-{short_hash(text, 8)}"]


def recommendation_review(iri: str) -> str:
    """The review record of a recommendation minted by :func:`recommendation_iri` (both IRIs
    carry the hash of the source's key), read without a query: see :func:`failure_key`.

    >>> recommendation_review(recommendation_iri("page.txt", 3, "Train staff.")) == str(review_iri("page.txt"))
    True
    """
    return _REVIEWS + iri.rsplit("/", 1)[1].split("-", 1)[0]


def csp_iri(name: str) -> URIRef:
    """One node per CSP name, shared by every source that names it."""
    return ID[f"csp/{slug(name)}"]


def local_agency_iri(label: str, area: str | None) -> URIRef:
    """An organisation no gazetteer entry matched: a body of the review's area."""
    return ID[f"agency/{slug(area or 'unknown-area')}/{slug(label)}"]


def failure_iri(key: str, theme_code: str, agency_type_code: str | None) -> URIRef:
    """One node per review and failure key: its theme code and agency-type code (if any)
    end the IRI, so :func:`failure_key` can read them back."""
    return _failure(short_hash(key), theme_code, agency_type_code)


def review_failure_iri(review: str, theme_code: str, agency_type_code: str | None) -> URIRef:
    """:func:`failure_iri` from the review's IRI instead of its source's key (both carry the
    key's hash), for deriving failures from a document's triples alone.

    >>> review_failure_iri(str(review_iri("page.txt")), "T2", "A01") == failure_iri("page.txt", "T2", "A01")
    True
    """
    return _failure(review.rsplit("/", 1)[1], theme_code, agency_type_code)


def _failure(key_hash: str, theme_code: str, agency_type_code: str | None) -> URIRef:
    suffix = f"{theme_code}-{agency_type_code}" if agency_type_code else theme_code
    return ID[f"failure/{key_hash}/{suffix}"]


def failure_key(iri: str) -> tuple[str, str | None]:
    """The theme and agency-type codes of a failure node minted by :func:`failure_iri`.

    Linking reads hundreds of thousands of failures; reading the codes from the IRI instead
    of joining each failure to its theme and type cut that read from 13 s to 3 s at 10,000 reviews.

    >>> failure_key(failure_iri("page.txt", "T2", "A01")), failure_key(failure_iri("page.txt", "T4", None))
    (('T2', 'A01'), ('T4', None))
    """
    theme_code, _, type_code = iri.rsplit("/", 1)[1].partition("-")
    return theme_code, type_code or None


def correction_iri(target: str, field: str, action: str, value: str, curator: str, note: str | None) -> URIRef:
    """A curated correction, named by what it says: the same row recorded twice is one node."""
    said = "\x1f".join((target, field, action, value, curator, note or ""))
    return ID[f"correction/{short_hash(said)}"]


def curator_iri(name: str) -> URIRef:
    """The curator a correction is attributed to (a ``prov:Agent``), one node per name.

    >>> str(curator_iri("Analyst A")).rsplit("/", 1)[1]
    'analyst-a'
    """
    return ID[f"curator/{slug(name)}"]


def library_record_iri(key: str) -> URIRef:
    """The library's record of the review read from a source document."""
    return ID[f"record/{short_hash(key)}/library"]


def document_record_iri(key: str) -> URIRef:
    """What a source document itself says about its review, kept beside the library's record."""
    return ID[f"record/{short_hash(key)}/document"]


def library_download_iri(download_id: str) -> URIRef:
    """The canonical address of a report in the Home Office DHR Library, whatever mirror served it.

    >>> str(library_download_iri("699496a0c7f5132b09d6c679"))
    'https://homicide-review.homeoffice.gov.uk/download/699496a0c7f5132b09d6c679'
    """
    return URIRef(f"{LIBRARY_URL.rstrip('/')}/download/{download_id}")


def library_tag_iri(value: str) -> URIRef:
    """The concept of a library filter value: the scheme's own where it declares the value, else
    one minted the same way (the site may add tags after the scheme was written).

    >>> library_tag_iri("DHR process - police recommendations").rsplit("/", 1)[1]
    'dhr-process-police-recommendations'
    >>> library_tag_iri("A tag added later") == HOLIB["a-tag-added-later"]
    True
    """
    return LIBRARY_TAGS.get(value) or HOLIB[slug(value, limit=200)]
