"""Plain-text pages as a layout: lines, bullets, Markdown headings and tables.

A page saved or copied from a browser keeps little structure: blank lines between
paragraphs, bullets ("•", "-", "*"), ``#`` headings when it was Markdown, ``|`` tables, and
tab-separated cells when a table was copied. Each becomes the block it stands for; every
other line is a ``line`` whose role the report reader works out.
"""

from __future__ import annotations

import re

from graph.extraction.layout import Block, Layout, Table, TableRow
from graph.extraction.summary_page import normalise_space

_BULLET = re.compile(r"^(?:[•·▪●◦‣∙*]|-(?=\s)|–(?=\s)|o(?=\s))\s*(?P<text>\S.*)$")
_MARKDOWN_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>\S.*)$")
_LINK = re.compile(r"https?://[^\s<>\"')\]]+")


def _cells(line: str) -> list[str] | None:
    stripped = line.strip()
    if "\t" in stripped:
        return [normalise_space(c) for c in stripped.split("\t")]
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        cells = [normalise_space(c) for c in re.split(r"(?:(?<=\s)|^)\|(?=\s|$)", stripped[1:-1])]
        return None if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c) and any(cells) else cells
    return None


def text_layout(text: str) -> Layout:
    """The layout of a plain-text page.

    >>> layout = text_layout("Recommendations\\n\\nExampleshire Police\\n• Train staff.\\nRef\\tRecommendation")
    >>> [(b.kind, b.text, b.gap_before) for b in layout.blocks][:3]
    [('line', 'Recommendations', False), ('line', 'Exampleshire Police', True), ('item', 'Train staff.', False)]
    """
    blocks: list[Block] = []
    table: Table | None = None
    gap = False
    for raw in text.splitlines():
        line = raw.replace("\u00a0", " ")
        if not line.strip():
            gap, table = True, None
            continue
        cells = _cells(line)
        if cells is not None and len(cells) > 1:
            if table is None:
                table = Table()
                blocks.append(Block("table", table=table, gap_before=gap))
            table.rows.append(TableRow(cells))
            gap = False
            continue
        if cells is not None:  # a separator row
            continue
        table = None
        stripped = normalise_space(line)
        if m := _MARKDOWN_HEADING.match(stripped):
            blocks.append(Block("heading", m.group("text"), depth=len(m.group("hashes")), gap_before=gap))
        elif m := _BULLET.match(stripped):
            blocks.append(Block("item", m.group("text"), marker="•", gap_before=gap))
        else:
            blocks.append(Block("line", stripped, gap_before=gap))
        gap = False
    return Layout(blocks, None, _LINK.findall(text))
