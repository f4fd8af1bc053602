"""The library's record of a report outranks what the report's own pages say about the review.

The Home Office DHR Library's card is curated metadata; a report's first pages are read by
heuristics, and many print no CSP, only a year of death, or the pseudonym in another form. So
when a library record comes with a report, the review's main facts (title, pseudonym, CSP,
region, year and month of death) are the card's wherever the card gives them, and the
document's own reading is kept aside (``Extraction.document_facts``), so that the graph keeps
both, each with its source (:mod:`graph.rdf.library`). It runs before agencies are resolved,
so the card's CSP and year are the context in which "the Police" or "NCC" are read.
"""

from __future__ import annotations

from dataclasses import replace

from graph.model.records import Extraction


def outrank(extraction: Extraction) -> Extraction:
    """Give the review the library record's facts where it has them, keeping the document's own.

    >>> from graph.model.records import LibraryRecord, ReviewFacts, Source
    >>> read = Extraction(Source("a.pdf", "0" * 64, "pdf"), ReviewFacts(csp="Lincoln", year_of_death=2017), [],
    ...                   library=LibraryRecord("abc", csp="City of Lincoln", death="2018-09"))
    >>> facts = outrank(read).review
    >>> facts.csp, facts.year_of_death, facts.month_of_death, read.document_facts.year_of_death
    ('City of Lincoln', 2018, '2018-09', 2017)
    """
    record = extraction.library
    if record is None:
        return extraction
    said = extraction.document_facts or extraction.review  # idempotent: always from the document's reading
    facts = replace(said, findings=list(said.findings))
    facts.title = record.title or said.title
    facts.pseudonym = record.pseudonym or said.pseudonym
    facts.csp = record.csp or said.csp
    facts.region = record.region or said.region
    if record.death:
        facts.year_of_death = int(record.death[:4])
        if len(record.death) == 7:
            facts.month_of_death = record.death
        elif said.month_of_death and not said.month_of_death.startswith(record.death):
            facts.month_of_death = None  # a month of another year than the card's cannot stand
    extraction.document_facts = said
    extraction.review = facts
    return extraction
