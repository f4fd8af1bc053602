"""The pages of a report's recommendations section, laid out with pdfplumber: lines and tables.

Only these pages pay for pdfplumber (word positions, ruled tables); the rest of the report is
read from pypdfium2's plain text. A page with a table becomes its lines outside the table and
the table itself, in reading order, so headings between tables ("Single agency
recommendations") stay where they are. In the lead column, a cell's lines are told apart by
where they break: a line continues the one above when its first word would not have fitted
at the end of it, so several agencies on separate lines stay apart and a wrapped name stays whole.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graph.extraction.columns import Columns, header_columns
from graph.extraction.layout import Block, Table, TableRow
from graph.extraction.pdf_text_tables import text_table_blocks
from graph.extraction.pdf_words import cell_lines, inside, word_lines


def page_blocks(page: Any, number: int, columns: Columns | None, is_boilerplate: Callable[[str], bool],
                plain: str = "") -> tuple[list[Block], Columns | None] | None:
    """A page as lines and tables, or ``None`` when it has no table (its plain text will do)."""
    tables = _closed(page, page.find_tables())
    # One pass over the page's words serves the lines outside the tables and every lead cell.
    words = page.extract_words(keep_blank_chars=False, use_text_flow=True) if tables or _may_hold_table(plain) \
        else []
    if not tables:
        return text_table_blocks(words, number, is_boilerplate, float(page.width)) if words else None
    boxes = [t.bbox for t in tables]
    placed: list[tuple[float, Block]] = []
    for top, line in word_lines([w for w in words if not any(inside(w, box) for box in boxes)]):
        if not is_boilerplate(line):
            placed.append((top, Block("line", line, page=number)))
    first = True
    for table in tables:
        rows, columns = _rows(words, table, number, columns, first)
        first = False
        placed.append((table.bbox[1], Block("table", page=number, table=Table(rows))))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed], columns


def _closed(page: Any, tables: list[Any]) -> list[Any]:
    """The tables, with a last row that a page break left open closed: some PDF libraries draw no
    rule under the part of a row that ends a page, so the row would be lost to its table; its
    column rules still run on below the last rule across, to where the row ends."""
    bottoms = []
    for table in tables:
        left, _, right, bottom = table.bbox
        below = [float(e["bottom"]) for e in page.edges if e["orientation"] == "v"
                 and left - 1 <= float(e["x0"]) <= right + 1 and float(e["top"]) < bottom < float(e["bottom"]) - 5]
        if len(below) >= 2:
            bottoms.append(min(below))
    return page.find_tables({"explicit_horizontal_lines": bottoms}) if bottoms else tables


def _rows(words: list[dict[str, Any]], table: Any, number: int, columns: Columns | None,
          first_table: bool) -> tuple[list[TableRow], Columns | None]:
    rows: list[TableRow] = []
    first_on_page = first_table
    for cells, row in zip(table.extract(), table.rows):
        texts = [cell or "" for cell in cells]
        header = header_columns(texts)
        if header is not None:
            columns = header
            rows.append(TableRow(texts, number))
            continue
        lead = columns.index("lead") if columns is not None else None
        if lead is not None and lead < len(row.cells) and row.cells[lead] is not None:
            texts[lead] = "\n".join(cell_lines(words, row.cells[lead]))
        rows.append(TableRow(texts, number, first_on_page=first_on_page))
        first_on_page = False
    return rows, columns


def _may_hold_table(plain: str) -> bool:
    """Whether a page without ruled tables (its plain text) may hold one drawn without rules."""
    text = plain.lower()
    return "recommendation" in text and any(word in text for word in ("lead", "agenc", "target", "timescale",
                                                                          "responsib", "addressed"))
