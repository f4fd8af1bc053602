"""Words on a PDF page by position: which cell a word is in, the lines of a cell, the lines of a page."""

from __future__ import annotations

from typing import Any

from graph.extraction.agency_names import complete_name_then_name
from graph.extraction.summary_page import normalise_space

CELL_PADDING = 6.0
"""Points between a cell's edge and its text, at most: reportlab pads 6, Word and LibreOffice 5.4."""

Word = dict[str, Any]


def inside(obj: Word, box: tuple[float, float, float, float]) -> bool:
    middle_x = (float(obj["x0"]) + float(obj["x1"])) / 2
    middle_y = (float(obj["top"]) + float(obj["bottom"])) / 2
    return box[0] <= middle_x <= box[2] and box[1] <= middle_y <= box[3]


def word_lines(words: list[Word]) -> list[tuple[float, str]]:
    """Words grouped into lines (same top, left to right), each with its top."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (round(float(w["top"])), float(w["x0"]))):
        if rows and abs(float(rows[-1][0]["top"]) - float(word["top"])) < 2:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [(float(row[0]["top"]), normalise_space(" ".join(str(w["text"]) for w in row))) for row in rows]


def cell_lines(words: list[Word], bbox: tuple[float, float, float, float]) -> list[str]:
    """A cell's lines (from the page's words), wrapped lines rejoined and names on lines of their own kept apart."""
    rows: list[list[Word]] = []
    # A word belongs to the cell its middle is in: glyphs reach a little over the row's rules.
    for word in sorted((w for w in words if inside(w, bbox)), key=lambda w: (round(w["top"]), w["x0"])):
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
