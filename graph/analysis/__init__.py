"""Analysis across reviews: what the documents say together.

It owns the failures each review found, read back from the store (``failures``); links
between reviews that share them (``links``); repeated recommendations (``clusters``); network
measures, communities and centrality (``measures``); the run that computes all of it and
stores it in one named graph (``pipeline``) with the settings a user can tune (``settings``);
and the measurement of classification against hand labels (``evaluation``) and against what
curators corrected (``curated_eval``).
"""
