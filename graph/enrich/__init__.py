"""Enrichment: records in, records out, with every addressee resolved and every
recommendation classified.

- ``agencies``: printed addressees → organisations of the gazetteer (or new ones) and types;
  agencies the text itself directs to act.
- ``themes``: 1–3 themes of the T-scheme with confidence and evidence.
- ``summary_evidence``: the sentences of a review's summary and the themes each names.
- ``library``: the library's record of a report outranks the report's own first pages.
"""

from __future__ import annotations

from graph.enrich.agencies import AgencyResolver
from graph.enrich.gazetteer import Gazetteer
from graph.enrich.library import outrank
from graph.enrich.summary_evidence import summary_findings
from graph.enrich.themes import classify
from graph.model.records import Extraction

__all__ = ["AgencyResolver", "Gazetteer", "classify", "enrich"]


def enrich(extraction: Extraction, *, resolver: AgencyResolver | None = None) -> Extraction:
    """Resolve every addressee and classify every recommendation of one extraction, in place,
    after a library record that came with it has outranked the document's own facts.

    >>> from graph import extract
    >>> from graph.resources import data_dir
    >>> result = enrich(extract(data_dir() / "seed" / "000_58cfa34b200ccabd.txt"))
    >>> result.recommendations[2].agencies[0].type, result.recommendations[2].themes[0].code
    ('A01', 'T5.1')
    """
    outrank(extraction)
    (resolver or _default_resolver()).resolve_review(extraction)
    for rec in extraction.recommendations:
        rec.themes = classify(rec.text)
    extraction.review.findings = summary_findings(extraction.review.summary)
    return extraction


_resolver: AgencyResolver | None = None


def _default_resolver() -> AgencyResolver:
    global _resolver
    if _resolver is None:
        _resolver = AgencyResolver()
    return _resolver
