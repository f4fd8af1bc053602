"""Enrichment: records in, records out, with agencies resolved and themes assigned."""

from __future__ import annotations

from graph.records import Extraction


def enrich(extraction: Extraction) -> Extraction:
    """Resolve every addressee and classify every recommendation (filled in by the
    agencies and themes modules)."""
    return extraction
