"""The layout every format is read into: headings, lines, list items and tables, in page order.

Text pages, HTML pages and PDFs each reduce their source to a :class:`Layout`; one reader
(:mod:`graph.extraction.report`) then finds the metadata and the recommendations in it, so a
layout learnt once (agency headings, "Recommendation number N", action-plan tables) is read
the same way whatever the format. What a format knows for certain is kept: an HTML heading
is a heading, an ``<li>`` an item; a PDF or text line is only a ``line`` whose role the reader
works out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "line", "item", "table"]


@dataclass
class TableRow:
    """One row of a table: its cells (lines inside a cell kept as ``\\n``) and its page."""

    cells: list[str]
    page: int | None = None
    first_on_page: bool = False  # the first row of this table on a page (after a repeated header)


@dataclass
class Table:
    rows: list[TableRow] = field(default_factory=list)


@dataclass
class Block:
    """One block of a page.

    ``line``: a line (PDF, text) or paragraph (HTML) of running text; ``heading``: a heading the
    format marks as one (``depth`` 1–6); ``item``: a list item, ``marker`` its printed number
    or bullet; ``table``: a table.
    """

    kind: BlockKind
    text: str = ""
    page: int | None = None
    depth: int = 0
    marker: str | None = None
    table: Table | None = None
    gap_before: bool = False  # a blank line (text) or page break separates it from the block before


@dataclass
class Layout:
    """A whole document as blocks, with what the format says about it besides."""

    blocks: list[Block]
    title: str | None = None  # HTML <title>, PDF metadata title
    links: list[str] = field(default_factory=list)

    def text(self) -> str:
        """All the text, one block per line (tables one row per line, cells by tabs)."""
        out: list[str] = []
        for block in self.blocks:
            if block.table is not None:
                out.extend("\t".join(c.replace("\n", " ") for c in row.cells) for row in block.table.rows)
            else:
                out.append(f"{block.marker} {block.text}" if block.marker else block.text)
        return "\n".join(out)
