"""What a review's summary finds wanting: each sentence of the summary with the themes it names.

A summary page's narrative ("agencies did not share information…") is evidence of failures
too, without an agency type. Classification belongs to enrichment, so the sentences and
their themes are found here and kept on the record; the RDF mapping only writes them down.
"""

from __future__ import annotations

import re

from graph.enrich.themes import classify
from graph.model.records import SummaryFinding
from graph.model.terms import UNCLASSIFIABLE, top_level


def summary_findings(summary: str | None) -> list[SummaryFinding]:
    """Each sentence of a summary that names a theme, with its top-level themes.

    >>> [f.themes for f in summary_findings("Agencies did not share information. It rained.")]
    [('T2',)]
    """
    findings = []
    for sentence in split_sentences(summary or ""):
        themes = sorted({top_level(t.code) for t in classify(sentence, every_theme=True) if t.code != UNCLASSIFIABLE},
                        key=lambda code: int(code[1:]))
        if themes:
            findings.append(SummaryFinding(sentence, tuple(themes)))
    return findings


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph.

    >>> split_sentences("Agencies failed. They did not share information! Why?")
    ['Agencies failed.', 'They did not share information!', 'Why?']
    """
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“‘'(])", text) if s.strip()]
