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

from graph.extract.agency_names import complete_name_then_name
from graph.extract.columns import Columns, header_columns
from graph.extract.layout import Block, Table, TableRow
from graph.extract.summary_page import normalise_space

CELL_PADDING = 6.0
"""Points between a cell's edge and its text, at most: reportlab pads 6, Word and LibreOffice 5.4."""


def page_blocks(page: Any, number: int, columns: Columns | None,
                is_boilerplate: Callable[[str], bool]) -> tuple[list[Block], Columns | None] | None:
    """A page as lines and tables, or ``None`` when it has no table (its plain text will do)."""
    tables = page.find_tables()
    if not tables:
        return None
    # One pass over the page's words serves the lines outside the tables and every lead cell.
    words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
    boxes = [t.bbox for t in tables]
    placed: list[tuple[float, Block]] = []
    for top, line in _word_lines([w for w in words if not any(_inside(w, box) for box in boxes)]):
        if not is_boilerplate(line):
            placed.append((top, Block("line", line, page=number)))
    first = True
    for table in tables:
        rows, columns = _rows(words, table, number, columns, first)
        first = False
        placed.append((table.bbox[1], Block("table", page=number, table=Table(rows))))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed], columns


def _word_lines(words: list[dict[str, Any]]) -> list[tuple[float, str]]:
    """Words grouped into lines (same top, left to right), each with its top."""
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(float(w["top"])), float(w["x0"]))):
        if rows and abs(float(rows[-1][0]["top"]) - float(word["top"])) < 2:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [(float(row[0]["top"]), normalise_space(" ".join(str(w["text"]) for w in row))) for row in rows]


def _inside(obj: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    middle_x = (float(obj["x0"]) + float(obj["x1"])) / 2
    middle_y = (float(obj["top"]) + float(obj["bottom"])) / 2
    return box[0] <= middle_x <= box[2] and box[1] <= middle_y <= box[3]


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


def cell_lines(words: list[dict[str, Any]], bbox: tuple[float, float, float, float]) -> list[str]:
    """A cell's lines (from the page's words), wrapped lines rejoined and names on lines of their own kept apart."""
    rows: list[list[dict[str, Any]]] = []
    # A word belongs to the cell its middle is in: glyphs reach a little over the row's rules.
    for word in sorted((w for w in words if _inside(w, bbox)), key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - word["top"]) < 2:
            rows[-1].append(word)
        else:
            rows.append([word])
    right_edge = bbox[2] - CELL_PADDING
    lines: list[str] = []
    previous_right = None
    for row in rows:
        text = " ".join(w["text"] for w in row)
        first_width = row[0]["x1"] - row[0]["x0"]
        could_wrap = previous_right is not None and previous_right + 4 + first_width > right_edge
        if lines and could_wrap and not complete_name_then_name(lines[-1], text):
            lines[-1] = f"{lines[-1]} {text}"
        else:
            lines.append(text)
        previous_right = row[-1]["x1"]
    return lines
