"""dhrkg: a knowledge graph of UK Domestic Homicide Reviews.

The public API is small::

    from graph import Store, extract, ingest

    store = Store("my-store")           # or Store() in memory
    ingest(store, ["reviews/"])         # files and folders
    store.named("recommendations-per-agency").rows()
    store.query("SELECT ...").serialize("csv")
"""

from graph.errors import DhrkgError, ExtractError, QueryError
from graph.extract import extract
from graph.ingest import IngestReport, ingest
from graph.records import Extraction
from graph.results import Format, Result
from graph.store import Store
from graph.validate import ValidationReport, validate

__all__ = [
    "DhrkgError", "ExtractError", "Extraction", "Format", "IngestReport", "QueryError",
    "Result", "Store", "ValidationReport", "extract", "ingest", "validate",
]
