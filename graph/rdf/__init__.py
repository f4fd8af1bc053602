"""Records → RDF: the triples each source document contributes to the graph.

It owns the mapping of enriched records to triples (``documents``: summary pages and
reports; ``datasets``: the DHRD tables), the triple builder and literal helpers they share
(``builder``), and curated corrections: what they add up to (``corrections``) and how they
change a graph's triples (``curated``); nothing else: no reading, no classifying, no store.
Every IRI is derived from the input, so the same file always gives the same triples.
"""
