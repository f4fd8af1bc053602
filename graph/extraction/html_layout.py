"""HTML pages as a layout: headings, paragraphs, list items and tables in document order.

Council and CSP pages mark their structure (``<h3>`` agency headings, ``<ol>`` numbered
recommendations, ``<table>`` action plans), and the layout keeps it; navigation, footers and
scripts are dropped. Tables come out as a grid: a cell spanning rows or columns is repeated
as empty cells, so every row lines up with its header.
"""

from __future__ import annotations

import re
import warnings as pywarnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from bs4.element import NavigableString, Tag

from graph.errors import ExtractError
from graph.extraction.layout import Block, Layout, Table, TableRow
from graph.extraction.summary_page import normalise_space
from graph.extraction.summary_page_html import MAX_NESTING

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "aside", "blockquote", "dl", "dt", "dd", "figure",
    "figcaption", "address", "pre", "form", "fieldset", "details", "summary", "center", "body", "html", "ul",
    "ol", "li", "table", "br", "hr", "caption"})
_DROPPED = ("script", "style", "template", "noscript", "nav", "footer", "svg", "button", "select", "iframe")


def parse_html(html: str, path: str) -> BeautifulSoup:
    """The page parsed, with hostile nesting refused and scripts, navigation and footers dropped."""
    with pywarnings.catch_warnings():
        pywarnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        if len(list(tag.parents)) > MAX_NESTING:
            raise ExtractError(path, f"HTML nested more than {MAX_NESTING} levels deep")
    for hidden in soup.find_all(_DROPPED):
        hidden.decompose()
    return soup


def html_layout(soup: BeautifulSoup) -> Layout:
    """The layout of a parsed page."""
    title_tag = soup.find("title")
    title = normalise_space(title_tag.get_text(" ")) if isinstance(title_tag, Tag) else None
    links = [str(a["href"]) for a in soup.find_all("a", href=True) if re.match(r"https?://", str(a["href"]))]
    blocks: list[Block] = []
    root = soup.body if soup.body is not None else soup
    _walk(root, blocks, [])
    return Layout([b for b in blocks if b.text or b.table is not None], title or None, links)


def _flush(buffer: list[str], blocks: list[Block]) -> None:
    text = normalise_space("".join(buffer))
    if text:
        blocks.append(Block("line", text))
    buffer.clear()


def _walk(node: Tag, blocks: list[Block], buffer: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not a comment or doctype
                buffer.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if name in _HEADINGS:
            _flush(buffer, blocks)
            blocks.append(Block("heading", normalise_space(child.get_text(" ")), depth=_HEADINGS[name]))
        elif name == "table":
            _flush(buffer, blocks)
            blocks.append(Block("table", table=_table(child)))
        elif name == "li":
            _flush(buffer, blocks)
            _item(child, blocks)
        elif name == "br":
            _flush(buffer, blocks)
        elif name in _BLOCK_TAGS:
            _flush(buffer, blocks)
            _walk(child, blocks, buffer)
            _flush(buffer, blocks)
        else:
            buffer.append(" " if name in ("td", "th") else "")
            buffer.append(child.get_text(""))


def _item(li: Tag, blocks: list[Block]) -> None:
    parent = li.find_parent(["ol", "ul"])
    marker = "•"
    if parent is not None and parent.name == "ol":
        siblings = [s for s in parent.find_all("li", recursive=False)]
        start = int(str(parent.get("start", "1"))) if str(parent.get("start", "1")).isdigit() else 1
        position = siblings.index(li) if li in siblings else 0
        marker = str(start + position)
    nested = li.find_all(["ul", "ol", "table"], recursive=False)
    for inner in nested:
        inner.extract()
    blocks.append(Block("item", normalise_space(li.get_text(" ")), marker=marker))
    for inner in nested:
        _walk(inner, blocks, []) if inner.name != "table" else blocks.append(Block("table", table=_table(inner)))


def cell_text(cell: Tag) -> str:
    """A cell's text; line breaks, paragraphs, blocks and list items become newlines."""
    for br in cell.find_all("br"):
        br.replace_with("\n")
    for block in cell.find_all(["p", "div", "li"]):
        block.insert_after("\n")
    return "\n".join(normalise_space(part) for part in cell.get_text("").split("\n") if part.strip()).strip()


def _span(cell: Tag, attribute: str) -> int:
    value = str(cell.get(attribute, "1"))
    return max(1, min(int(value), 50)) if value.isdigit() else 1


def _table(table: Tag) -> Table:
    rows: list[TableRow] = []
    pending: dict[int, int] = {}  # column → rows still covered by a rowspan above
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        cells: list[str] = []
        column = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while pending.get(column, 0) > 0:
                pending[column] -= 1
                cells.append("")
                column += 1
            text = cell_text(cell)
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            for offset in range(colspan):
                cells.append(text if offset == 0 else "")
                if rowspan > 1:
                    pending[column] = rowspan - 1
                column += 1
        while pending.get(column, 0) > 0:
            pending[column] -= 1
            cells.append("")
            column += 1
        if any(c.strip() for c in cells):
            rows.append(TableRow(cells))
    return Table(rows)
