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
"""

from graph.analysis import AnalysisSettings, analyse
from graph.errors import DhrkgError, ExtractError, QueryError
from graph.extract import extract
from graph.ingest.pipeline import IngestReport, ingest
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

__all__ = [
    "AnalysisSettings", "DhrkgError", "ExtractError", "Extraction", "Format", "GraphStore", "IngestReport",
    "LinkedReview", "QueryError", "Recommendation", "RemoteStore", "Result", "Review", "Store", "ValidationReport",
    "agency_recommendations", "analyse", "extract", "ingest", "linked_reviews", "open_store", "recommendations",
    "reviews", "to_networkx", "validate",
]
