"""Tables drawn without rules: the columns are where the header's headings stand.

A Word table whose borders were removed exports to a PDF with no lines for pdfplumber to find,
so its cells would read as lines of running text (and its header, "Lead agency Target date",
as a heading). Here a line whose words fall in separate phrases naming columns (a
recommendation column and another role) is taken for the header; each heading's left edge
starts a column, every word below is placed in the column it starts in, and a row starts
where the number column (or a number opening the recommendation cell) has one. The table
ends at a closing heading or a wide gap; the header repeated on the next page starts it again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from graph.extraction.columns import Columns, header_columns
from graph.extraction.layout import Block, Table, TableRow
from graph.extraction.pdf_words import CELL_PADDING, Word, cell_lines
from graph.extraction.summary_page import normalise_space

PHRASE_GAP = 7.0
"""Points between two words of one heading at most; columns stand further apart."""
_ROW_NUMBER = re.compile(r"^(?:R|Rec\.?\s?)?\d+(?:\.\d+)*[a-z]?(?:\([a-z0-9]+\))?[.)]?$")
_TABLE_END = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:appendix|annex|glossary|references|conclusions?|signed|"
                        r"acknowledg|terms of reference)", re.IGNORECASE)


def _lines(words: Sequence[Word]) -> list[list[Word]]:
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (round(float(w["top"])), float(w["x0"]))):
        if lines and abs(float(lines[-1][0]["top"]) - float(word["top"])) < 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def _phrases(line: list[Word]) -> list[list[Word]]:
    phrases: list[list[Word]] = [[line[0]]]
    for word in line[1:]:
        if float(word["x0"]) - float(phrases[-1][-1]["x1"]) > PHRASE_GAP:
            phrases.append([word])
        else:
            phrases[-1].append(word)
    return phrases


def _text(words: Sequence[Word]) -> str:
    return normalise_space(" ".join(str(w["text"]) for w in words))


def _header(line: list[Word]) -> tuple[Columns, list[float]] | None:
    phrases = _phrases(line)
    if len(phrases) < 2:
        return None
    columns = header_columns([_text(p) for p in phrases])
    if columns is None or columns.index("lead") is None and columns.index("number") is None:
        return None
    return columns, [float(p[0]["x0"]) for p in phrases]


def text_table_blocks(words: list[Word], number: int, is_boilerplate: Callable[[str], bool],
                      page_width: float) -> tuple[list[Block], Columns | None] | None:
    """The page as lines and the tables drawn without rules on it, or ``None`` if it holds none."""
    lines = [line for line in _lines(words) if not is_boilerplate(_text(line))]
    blocks: list[Block] = []
    found: Columns | None = None
    index = 0
    while index < len(lines):
        header = _header(lines[index])
        if header is None:
            blocks.append(Block("line", _text(lines[index]), page=number))
            index += 1
            continue
        columns, starts = header
        found = columns
        end = _table_end(lines, index + 1)
        rows = _rows(lines[index + 1:end], columns, starts, number, page_width)
        blocks.append(Block("table", page=number, table=Table([TableRow(list(columns.headers), number), *rows])))
        index = end
    return (blocks, found) if found is not None else None


def _table_end(lines: list[list[Word]], start: int) -> int:
    for index in range(start, len(lines)):
        text = _text(lines[index])
        gap = float(lines[index][0]["top"]) - float(lines[index - 1][0]["bottom"])
        if _TABLE_END.match(text) and len(text.split()) <= 10 or gap > 36 or _header(lines[index]) is not None:
            return index
    return len(lines)


def _column(word: Word, starts: Sequence[float]) -> int:
    x = float(word["x0"]) + 2
    return max((i for i, start in enumerate(starts) if start <= x), default=0)


def _rows(lines: list[list[Word]], columns: Columns, starts: list[float], number: int,
          page_width: float) -> list[TableRow]:
    number_column = columns.index("number")
    text_column = columns.index("recommendation")
    groups: list[list[list[Word]]] = []
    for line in lines:
        cells = [[w for w in line if _column(w, starts) == c] for c in range(len(starts))]
        opens = number_column is not None and bool(cells[number_column]) and \
            bool(_ROW_NUMBER.match(_text(cells[number_column])))
        if number_column is None and text_column is not None and cells[text_column]:
            opens = bool(re.match(r"^\d+(?:\.\d+)*[.)]\s", _text(cells[text_column])))
        if opens or not groups:
            groups.append([])
        groups[-1].append(line)
    rows = []
    for position, group in enumerate(groups):
        group_words = [w for line in group for w in line]
        texts: list[str] = []
        for c in range(len(starts)):
            left = starts[c] - 2
            right = (starts[c + 1] - CELL_PADDING) if c + 1 < len(starts) else page_width
            top = min(float(w["top"]) for w in group_words) - 1
            bottom = max(float(w["bottom"]) for w in group_words) + 1
            mine = [w for w in group_words if _column(w, starts) == c]
            texts.append("\n".join(cell_lines(mine, (left, top, right, bottom))) if c == columns.index("lead")
                         else "\n".join(_text(line) for line in _lines(mine)))
        rows.append(TableRow(texts, number, first_on_page=position == 0))
    return rows
