"""The store: where the graph lives and how it is queried.

It owns the embedded Oxigraph store (``embedded``) and a remote SPARQL server used as the
store (``remote``), both behind one interface (``base``); choosing one from a ``--store``
value (``opening``); query results that own their formats (``results``); the library of
named queries (``named_queries``); what a query may do (``safety``); typed lookups
without SPARQL (``lookups``); validation against the SHACL shapes (``validation``); and where
curated corrections are kept and how they reach the graphs they concern (``curation``).
"""
