"""Full review reports (PDF): opened safely, laid out, and read by the report reader.

Measured here: pypdfium2 reads plain text ~80x faster than pdfplumber, so every page's text
comes from pypdfium2 (running headers and footers dropped) and pdfplumber (word positions,
tables) runs only on the pages of the recommendations sections (:mod:`pdf_tables`). The
layout is then read like any other (:mod:`report`): numbered paragraphs under agency and level
headings, and tables by the role of their columns. The metadata comes from the first pages
(:mod:`front_matter`). Every recommendation keeps its page.

Bad files give an error naming the problem: not a PDF, encrypted, corrupt or truncated,
too many pages, or no text layer (a scanned report needs OCR).
"""

from __future__ import annotations

import logging
import re
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from graph.errors import ExtractError
from graph.extraction.agency_names import AgencyNames, default_names
from graph.extraction.files import sha256
from graph.extraction.front_matter import read_front_matter
from graph.extraction.layout import Block, Layout
from graph.extraction.pdf_tables import page_blocks
from graph.extraction.report import find_sections, read_recommendations
from graph.extraction.summary_page import normalise_space
from graph.model.records import Extraction, RecommendationRecord, Source

MAX_PDF_BYTES = 200 * 1024 * 1024
MAX_PAGES = 2000
MIN_TEXT_PER_PAGE = 20  # characters; less on every page means there is no text layer

Engine = Literal["pdfium", "pdfplumber"]

for _noisy in ("pdfminer", "pypdfium2"):
    logging.getLogger(_noisy).setLevel(logging.ERROR)

_BOILERPLATE = re.compile(
    r"^(?:page\s+\d+(?:\s+of\s+\d+)?|\d+\s*(?:of|/)\s*\d+|official(?:\s*[-–]\s*sensitive)?|"
    r"protect(?:ive)?\s+marking.*|not\s+protectively\s+marked|\d+)$", re.IGNORECASE)


@dataclass
class _Line:
    page: int  # 1-based
    text: str


# ------------------------------------------------------------------ opening


def _open(path: Path, data: bytes) -> Any:
    import pypdfium2

    head = data[:1024].lstrip()
    if not head.startswith(b"%PDF-"):
        raise ExtractError(str(path), "not a PDF file (no %PDF- header)")
    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as err:
        message = str(err).lower()
        if "password" in message:
            raise ExtractError(str(path), "the PDF is encrypted: a password is needed to open it") from err
        repaired = _repaired(data)
        if repaired is not None:
            return pypdfium2.PdfDocument(repaired)
        raise ExtractError(str(path), f"corrupt or truncated PDF ({err})") from err


def _repaired(data: bytes) -> bytes | None:
    """pdfplumber's repair (Ghostscript) recovers truncated files; tried when Ghostscript is here."""
    if shutil.which("gs") is None:
        return None
    import io

    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data), repair=True) as pdf:
            return bytes(pdf.stream.getvalue()) if hasattr(pdf.stream, "getvalue") else None
    except Exception:  # noqa: BLE001 - any failure of the repair means: not repairable
        return None


def page_texts(document: Any, path: Path, data: bytes, engine: Engine = "pdfium") -> list[str]:
    """Every page's plain text: pypdfium2 (fast) or pdfplumber (the baseline)."""
    count = len(document)
    if count > MAX_PAGES:
        raise ExtractError(str(path), f"{count:,} pages, over the {MAX_PAGES:,}-page limit")
    if engine == "pdfplumber":
        import io

        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [page.extract_text() or "" for page in pdf.pages]
    texts = []
    for index in range(count):
        page = document[index]
        textpage = page.get_textpage()
        texts.append(textpage.get_text_range())
        textpage.close()
        page.close()
    return texts


# ------------------------------------------------------------------ lines, boilerplate, metadata


def _lines(texts: Sequence[str]) -> tuple[list[_Line], Callable[[str], bool]]:
    """The pages' lines without running headers and footers, and the test that drops those.

    A line is boilerplate when it is a page number or protective marking, or when (digits
    aside) it stands on at least half of the pages: report titles in headers and footers.
    """
    per_page = [[normalise_space(line) for line in text.replace("\r", "\n").split("\n")] for text in texts]
    # Counted once per page: lines of one page that differ only in their digits are not a running header.
    shape = Counter(s for page in per_page for s in {re.sub(r"\d+", "#", line) for line in page if line})
    repeated = {s for s, n in shape.items() if len(per_page) >= 4 and n >= max(3, len(per_page) // 2)}

    def is_boilerplate(line: str) -> bool:
        return bool(_BOILERPLATE.match(line)) or re.sub(r"\d+", "#", line) in repeated \
            or line.upper().startswith("OFFICIAL") and len(line) < 60

    lines = [_Line(number, line) for number, page in enumerate(per_page, start=1)
             for line in page if line and not is_boilerplate(line)]
    return lines, is_boilerplate


def read_report(path: Path, data: bytes, *, engine: Engine = "pdfium", names: AgencyNames | None = None) -> Extraction:
    """Read a full review report.

    :raises ExtractError: for a file that is not a PDF, encrypted, corrupt, too long, or
        has no text layer.
    """
    import io

    import pdfplumber

    if len(data) > MAX_PDF_BYTES:
        raise ExtractError(str(path), f"file is {len(data):,} bytes, over the {MAX_PDF_BYTES:,}-byte limit")
    document = _open(path, data)
    warnings: list[str] = []
    try:
        texts = page_texts(document, path, data, engine)
    finally:
        document.close()
    empty = [i + 1 for i, t in enumerate(texts) if len(t.strip()) < MIN_TEXT_PER_PAGE]
    if texts and len(empty) == len(texts):
        raise ExtractError(str(path), "no text layer; OCR needed (every page is an image)")
    if empty:
        warnings.append(f"page(s) {', '.join(map(str, empty[:20]))} have no text layer (scanned?); OCR needed "
                        "to read them")
    lines, is_boilerplate = _lines(texts)
    facts = read_front_matter([line.text for line in lines if line.page <= 3])
    blocks = [Block("line", line.text, page=line.page) for line in lines]
    sections = find_sections(blocks)
    best: list[RecommendationRecord] = []
    if sections:
        pages = sorted({block.page for s in sections for block in blocks[s.start - 1:s.end] if block.page})
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            laid_out = _with_tables(blocks, pdf, pages, is_boilerplate, texts)
        best, _ = read_recommendations(Layout(laid_out), names or default_names())
    if not sections:
        warnings.append("no recommendations section found")
    elif not best:
        warnings.append("the recommendations section holds no numbered recommendations or table")
    return Extraction(Source(str(path), sha256(data), "pdf"), facts, best, warnings)


def _with_tables(blocks: list[Block], pdf: Any, pages: Sequence[int], is_boilerplate: Callable[[str], bool],
                 texts: Sequence[str]) -> list[Block]:
    """The blocks, with each section page that holds a table laid out again by pdfplumber."""
    replaced: dict[int, list[Block]] = {}
    columns = None
    for number in pages:
        laid_out = page_blocks(pdf.pages[number - 1], number, columns, is_boilerplate, texts[number - 1])
        if laid_out is not None:
            replaced[number], columns = laid_out
    out: list[Block] = []
    for block in blocks:
        if block.page not in replaced:
            out.append(block)
        elif block.page is not None and (laid_out_page := replaced.pop(block.page, None)) is not None:
            out.extend(laid_out_page)  # in place of the page's plain lines, once
            replaced[block.page] = []
    return out
