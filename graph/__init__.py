"""dhrkg: a knowledge graph of UK Domestic Homicide Reviews.

The public API is small; every name has a runnable example in its docstring::

    from graph import Store, ingest, analyse, reviews, recommendations, linked_reviews

    store = Store("my-store")                   # or Store() in memory, or open_store("sparql+http://…")
    ingest(store, ["reviews/"])                 # files and folders, same behaviour as `dhrkg ingest`
    analyse(store)                              # links, repeated recommendations, communities
    reviews(store, csp="Northampton")           # typed records, no SPARQL needed
    store.named("recommendations-per-agency").to_dataframe()
    store.query("SELECT ...").serialize("csv")
    to_networkx(store, "review")                # a networkx graph of any view

Names resolve on first use, so ``import graph`` (and the ``dhrkg`` command) load only what
they need: the analysis and the views bring scikit-learn, SciPy, networkx and graspologic-native with them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_PUBLIC = {
    "AnalysisSettings": "graph.analysis.settings",
    "analyse": "graph.analysis.pipeline",
    "DhrkgError": "graph.errors",
    "ExtractError": "graph.errors",
    "QueryError": "graph.errors",
    "extract": "graph.extraction",
    "Extraction": "graph.model.records",
    "IngestReport": "graph.ingestion.pipeline",
    "ingest": "graph.ingestion.pipeline",
    "GraphStore": "graph.store.base",
    "Store": "graph.store.embedded",
    "RemoteStore": "graph.store.remote",
    "open_store": "graph.store.opening",
    "Format": "graph.store.results",
    "Result": "graph.store.results",
    "LinkedReview": "graph.store.lookups",
    "Recommendation": "graph.store.lookups",
    "Review": "graph.store.lookups",
    "agency_recommendations": "graph.store.lookups",
    "linked_reviews": "graph.store.lookups",
    "recommendations": "graph.store.lookups",
    "reviews": "graph.store.lookups",
    "ValidationReport": "graph.store.validation",
    "validate": "graph.store.validation",
    "to_networkx": "graph.views.networks",
}

__all__ = [
    "AnalysisSettings", "DhrkgError", "ExtractError", "Extraction", "Format", "GraphStore", "IngestReport",
    "LinkedReview", "QueryError", "Recommendation", "RemoteStore", "Result", "Review", "Store", "ValidationReport",
    "agency_recommendations", "analyse", "extract", "ingest", "linked_reviews", "open_store", "recommendations",
    "reviews", "to_networkx", "validate",
]


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'graph' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value  # resolved once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))


if TYPE_CHECKING:  # what type checkers and editors see
    from graph.analysis.pipeline import analyse
    from graph.analysis.settings import AnalysisSettings
    from graph.errors import DhrkgError, ExtractError, QueryError
    from graph.extraction import extract
    from graph.ingestion.pipeline import IngestReport, ingest
    from graph.model.records import Extraction
    from graph.store.base import GraphStore
    from graph.store.embedded import Store
    from graph.store.lookups import (
        LinkedReview,
        Recommendation,
        Review,
        agency_recommendations,
        linked_reviews,
        recommendations,
        reviews,
    )
    from graph.store.opening import open_store
    from graph.store.remote import RemoteStore
    from graph.store.results import Format, Result
    from graph.store.validation import ValidationReport, validate
    from graph.views.networks import to_networkx
