"""Harvest: fetch review reports from an online library into a local cache, politely, for ingest.

The one library today is the Home Office DHR Library (https://homicide-review.homeoffice.gov.uk/),
which publishes about 650 review reports as PDFs with no API and no bulk export:

- ``listing``: a listing page's cards, results caption and filter values;
- ``walk``: every page of a listing, whatever page size the server really uses;
- ``client``: one site only, paced, retried, 429s honoured, a User-Agent naming dhrkg;
- ``downloads``: reports whole or not at all (temporary file, checked, renamed);
- ``manifest``: what the cache holds, written atomically;
- ``tags``: the library's review-level tags, one listing query per filter value;
- ``homeoffice``: the harvest itself; ``progress``: its progress bars.

The harvest never writes to a store: it leaves each report with the library's record of it
beside it (``REPORT.pdf.library.json``), and ingest reads the two together
(:mod:`graph.extraction.library_record`, :mod:`graph.enrich.library`, :mod:`graph.rdf.library`).
Only ``graph.cli`` imports this package.
"""

from graph.harvest.errors import FetchError, HarvestError
from graph.harvest.homeoffice import HarvestReport, HarvestSettings, default_cache, harvest_homeoffice

__all__ = ["FetchError", "HarvestError", "HarvestReport", "HarvestSettings", "default_cache", "harvest_homeoffice"]
