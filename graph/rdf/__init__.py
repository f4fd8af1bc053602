"""Records → RDF: the triples each source document contributes to the graph.

It owns the mapping of enriched records to triples (``documents``: summary pages and
reports; ``datasets``: the DHRD tables), the triple builder and literal helpers they share
(``builder``), and nothing else: no reading, no classifying, no store. Every IRI is derived
from the input, so the same file always gives the same triples.
"""
