"""The model: what the rest of dhrkg talks about, and nothing that reads or writes it.

It owns the plain records every reader fills (``records``), the terms of the ontology
(``terms``, read from ``ontology/``, the single source of truth), the IRIs dhrkg mints for
reviews, recommendations and agencies (``iris``), and the words shown for codes and
records (``labels``). Every other package may import it; it imports none of them.
"""
