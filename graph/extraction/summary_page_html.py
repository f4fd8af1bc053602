"""Saved HTML summary pages: the same page as the text form, with a ``<table>``.

BeautifulSoup (with Python's own parser) turns the page into the intermediate form of
``summary.py``; nothing here reads metadata or rows itself.
"""

from __future__ import annotations

import re
import warnings as pywarnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from bs4.element import Tag

from graph.errors import ExtractError
from graph.extraction.summary_page import PageParts, TableRow, is_number, normalise_space

MAX_NESTING = 200
"""Deeper than any real page; a page nested deeper is hostile or broken."""

_BLOCKS = ("p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
           "header", "footer", "article", "br", "table")


def _cell_text(cell: Tag) -> str:
    """A cell's text; line breaks, list items and blocks become newlines (addressee separators)."""
    for br in cell.find_all("br"):
        br.replace_with("\n")
    for item in cell.find_all(["li", "div", "p"]):
        item.insert_after("\n")
    return "\n".join(normalise_space(part) for part in cell.get_text("").split("\n")).strip()


def _header_cells(cells: list[str]) -> bool:
    """A first row of short cells, one of them "Recommendation": a header drawn with ``<td>``."""
    return any("recommendation" in c.lower() for c in cells) and all(len(c.split()) <= 4 for c in cells) \
        and not is_number(cells[0])


def _depth(soup: BeautifulSoup) -> int:
    deepest = 0
    for tag in soup.find_all(True):
        depth = len(list(tag.parents))
        if depth > deepest:
            deepest = depth
            if deepest > MAX_NESTING:
                break
    return deepest


def _recommendation_table(soup: BeautifulSoup) -> Tag | None:
    for table in soup.find_all("table"):
        first = table.find("tr")
        if first is not None and "recommendation" in first.get_text(" ").lower():
            return table
    tables = soup.find_all("table")
    return tables[0] if tables else None


def page_parts_from_html(html: str, path: str) -> PageParts:
    """Split an HTML page into its text (outside the table), header, rows and links."""
    with pywarnings.catch_warnings():
        pywarnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "html.parser")
    if _depth(soup) > MAX_NESTING:
        raise ExtractError(path, f"HTML nested more than {MAX_NESTING} levels deep")
    for hidden in soup.find_all(["script", "style", "template", "noscript"]):
        hidden.decompose()
    links = [
        str(a["href"]) for a in soup.find_all("a", href=True)
        if re.match(r"https?://", str(a["href"]))
    ]

    header: list[str] | None = None
    rows: list[TableRow] = []
    table = _recommendation_table(soup)
    if table is not None:
        # A page cut off inside the table has no closing tag after its last row.
        table_closed = "</table>" in html[html.lower().rfind("<tr"):].lower()
        trs = table.find_all("tr")
        for index, tr in enumerate(trs):
            cells = [_cell_text(c) for c in tr.find_all(["td", "th"])]
            if not any(cells):
                continue
            is_header = tr.find("td") is None or header is None and not rows and (
                tr.find_parent("thead") is not None or _header_cells(cells))
            if is_header and header is None and not rows:
                header = [normalise_space(c) for c in cells]
                continue
            truncated = not table_closed and index == len(trs) - 1
            rows.append(TableRow(cells=cells, truncated=truncated))
        table.decompose()

    for term in soup.find_all("dt"):
        definition = term.find_next_sibling("dd")
        if definition is not None:
            # <dt>CSP</dt><dd>Northampton</dd> reads as the text page's "CSP: Northampton".
            term.string = f"{normalise_space(term.get_text(' ')).rstrip(':')}: "
            term.append(normalise_space(definition.get_text(" ")))
            definition.decompose()
    for block in soup.find_all(_BLOCKS):
        block.insert_after("\n")
    body = soup.body if soup.body is not None else soup
    text = "\n".join(normalise_space(line) for line in body.get_text("").splitlines())
    return PageParts(text=text, header=header, rows=rows, links=links)
