"""Web pages (text or HTML): a summary page by its fast path, anything else by the report reader.

In order:

1. a summary page with its ``| # | Recommendation | Addressed to |`` table (as text, HTML or
   tab-separated cells copied from a browser): the exact fast path of :mod:`summary_page`;
2. the same page flattened, its table's text run into one line: :mod:`flattened`;
3. any other page about a review (a council or CSP page, an executive summary, an action
   plan): its layout, read by :mod:`report`, with the metadata the page prints;
4. a page about domestic homicide that holds no recommendations (a news item, a national
   report): no recommendations and a warning; a page that is not about a review: refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from graph.errors import ExtractError
from graph.extraction.agency_names import AgencyNames, default_names
from graph.extraction.columns import role_of
from graph.extraction.files import decode_text, sha256
from graph.extraction.flattened import find_header, read_flattened
from graph.extraction.front_matter import read_front_matter
from graph.extraction.html_layout import html_layout, parse_html
from graph.extraction.layout import Layout
from graph.extraction.report import find_sections, read_recommendations
from graph.extraction.summary_page import PageParts, normalise_space, page_parts_from_text, read_metadata, read_page
from graph.extraction.summary_page_html import page_parts_from_html
from graph.extraction.text_layout import text_layout
from graph.model.records import Extraction, RecommendationRecord, ReviewFacts, Source

ABOUT_A_REVIEW = re.compile(
    r"domestic homicide|\bDHRs?\b|domestic abuse related death|domestic violence homicide|"
    r"community safety partnership|domestic abuse|domestic violence", re.IGNORECASE)
"""What a page must mention to be read as one about a review (or about domestic homicide)."""


def read_page_file(path: Path, data: bytes, fmt: str, names: AgencyNames | None = None) -> Extraction:
    """Read a text or HTML page.

    :raises ExtractError: for a page that is not about a domestic homicide review.
    """
    warnings: list[str] = []
    text = decode_text(data, str(path), warnings)
    is_html = fmt == "summary-html" or text.lstrip()[:1] == "<" and re.search(r"<(?:html|body|table|p|div)\b",
                                                                              text[:5000], re.IGNORECASE) is not None
    parts = page_parts_from_html(text, str(path)) if is_html else page_parts_from_text(text)
    kind = "html" if is_html else "text"
    if _is_summary_table(parts):
        facts, recommendations = read_page(parts, str(path), warnings)
        return _extraction(path, data, f"summary-{kind}", parts.links, facts, recommendations, warnings)
    if (header := find_header(parts.text)) is not None:
        return _flattened(path, data, kind, parts, header.start(), header.end(), names, warnings)
    layout = html_layout(parse_html(text, str(path))) if is_html else text_layout(text)
    page_text = layout.text()
    if not ABOUT_A_REVIEW.search(page_text) and not ABOUT_A_REVIEW.search(layout.title or ""):
        if parts.rows or read_metadata(parts.text, [])[1]:
            facts, recommendations = read_page(parts, str(path), warnings)
            return _extraction(path, data, f"summary-{kind}", parts.links, facts, recommendations, warnings)
        raise ExtractError(str(path), "not a DHR summary page or review page: it does not mention a domestic "
                                      "homicide review, and has no 'CSP:'/'Published:' metadata nor a "
                                      "recommendations table")
    summary_facts, has_summary_metadata = read_metadata(parts.text, [])
    recommendations, sections = read_recommendations(layout, names or default_names())
    if has_summary_metadata and not recommendations:
        facts, recommendations = read_page(parts, str(path), warnings)
        return _extraction(path, data, f"summary-{kind}", parts.links, facts, recommendations, warnings)
    facts = _page_facts(layout, summary_facts if has_summary_metadata else None)
    if not recommendations:
        warnings.append("the page is about domestic homicide but holds no recommendations"
                        if not sections else "the page has a recommendations section but no recommendations "
                        "could be read from it")
    return _extraction(path, data, f"page-{kind}", layout.links, facts, recommendations, warnings)


def _is_summary_table(parts: PageParts) -> bool:
    """Whether the page's table is the summary page's own (number, recommendation, addressee)."""
    if parts.header is None:
        return bool(parts.rows) and all(len(r.cells) <= 4 for r in parts.rows[:3])
    roles = [role_of(cell) for cell in parts.header]
    return "recommendation" in roles and all(r in ("number", "recommendation", "lead") for r in roles if r) \
        and len(parts.header) <= 3


def _flattened(path: Path, data: bytes, kind: str, parts: PageParts, start: int, end: int,
               names: AgencyNames | None, warnings: list[str]) -> Extraction:
    before = parts.text[:start]
    facts, _ = read_metadata(before, warnings)
    if summary := re.search(r"\bSummary\s+(.+?)\s+(?:Extracted recommendations|Recommendations)\s*$", before):
        facts.summary = normalise_space(summary.group(1))
    recommendations = read_flattened(parts.text[end:], facts.declared_recommendations, names or default_names(),
                                     warnings)
    declared = facts.declared_recommendations
    if declared is not None and declared != len(recommendations):
        warnings.append(f"page declares {declared} recommendations but {len(recommendations)} could be told apart "
                        "in its flattened table")
    return _extraction(path, data, f"summary-{kind}", parts.links, facts, recommendations, warnings)


def _page_facts(layout: Layout, summary: ReviewFacts | None) -> ReviewFacts:
    """The facts a page prints before its recommendations (its title included)."""
    sections = find_sections(layout.blocks)
    front_end = sections[0].start - 1 if sections else len(layout.blocks)
    lines = [b.text for b in layout.blocks[:front_end] if b.table is None]
    facts = read_front_matter(lines, title=layout.title)
    if summary is not None:  # a summary page's own labels come first
        for name in ("csp", "published", "year_of_death", "pseudonym", "declared_recommendations", "summary"):
            if getattr(summary, name) is not None:
                setattr(facts, name, getattr(summary, name))
    return facts


def _extraction(path: Path, data: bytes, fmt: str, links: list[str], facts: ReviewFacts,
                recommendations: list[RecommendationRecord], warnings: list[str]) -> Extraction:
    return Extraction(Source(str(path), sha256(data), fmt, tuple(dict.fromkeys(links))), facts, recommendations,
                      warnings)
