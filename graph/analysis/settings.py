"""What a user can tune in the analysis, in one object whose defaults the command line shows.

Kept apart from the analysis itself so that reading the defaults (``dhrkg link --help``)
loads no numerical library.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_THRESHOLD = 0.55
"""Cosine similarity. Measured with ``dhrkg eval`` on the 30 hand-labelled pairs of
graph/devset/duplicate-pairs.jsonl (15 paraphrases, 15 near misses with the same agency and
many shared words), with word weights in octaves (:mod:`graph.analysis.clusters`): precision
1.00 and recall 0.67 at 0.55, against 0.92/0.73 at 0.5 and 0.92/0.80 at 0.45; a false cluster
costs users more trust than a missed one. (With exact weights 0.5 gave 1.00/0.67.)"""


@dataclass(frozen=True)
class AnalysisSettings:
    """Link threshold and fan-out, and the near-duplicate threshold of repeated recommendations."""

    link_threshold: float = 1.0
    """Keep links between reviews scoring at least this (the sum of their shared failures' weights)."""
    top_k: int = 5
    """Each review keeps at most this many best links."""
    cluster_threshold: float = DEFAULT_THRESHOLD
    """Cosine similarity from which two recommendations count as the same ask."""
