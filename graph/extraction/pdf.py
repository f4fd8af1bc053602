"""Full review reports (PDF): metadata from the first pages, recommendations from their section.

Measured here: pypdfium2 reads plain text ~80x faster than pdfplumber, so every page's text
comes from pypdfium2 and pdfplumber (layout: tables and word positions) runs only on the
pages of the recommendations section. The layouts read are the ones reviews use: numbered
paragraphs ("Recommendation 3:", "3.", "R3", "5.1", "7.2.1(a)") under agency headings, and
tables with a recommendation column and a lead-agency column (with or without number, scope,
action, target date, completion), continuing over pages with a repeated header. Running
headers and footers, table headers, contents pages, action rows and numbered findings
elsewhere in the report are skipped. Every recommendation keeps its page.

Bad files give an error naming the problem: not a PDF, encrypted, corrupt or truncated,
too many pages, or no text layer (a scanned report needs OCR).
"""

from __future__ import annotations

import logging
import re
import shutil
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from graph.errors import ExtractError
from graph.extraction.files import sha256
from graph.extraction.summary_page import normalise_space, parse_month, split_addressees
from graph.model.records import Extraction, RecommendationRecord, ReviewFacts, Source

MAX_PDF_BYTES = 200 * 1024 * 1024
MAX_PAGES = 2000
MIN_TEXT_PER_PAGE = 20  # characters; less on every page means there is no text layer

Engine = Literal["pdfium", "pdfplumber"]

for _noisy in ("pdfminer", "pypdfium2"):
    logging.getLogger(_noisy).setLevel(logging.ERROR)

_SECTION = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:summary of\s+|list of\s+)?(recommendations?|action plan)"
    r"(?:\s+(?:and|&)\s+(?:action plan|learning))?\s*:?$", re.IGNORECASE)
_END = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:appendix|appendices|annex|glossary|references|bibliography|"
    r"terms of reference|conclusions?|signed|acknowledg)", re.IGNORECASE)
_TOC_LINE = re.compile(r"(?:\.{4,}|…{2,}|\s{3,})\s*\d+\s*$")
_BOILERPLATE = re.compile(
    r"^(?:page\s+\d+(?:\s+of\s+\d+)?|\d+\s*(?:of|/)\s*\d+|official(?:\s*[-–]\s*sensitive)?|"
    r"protect(?:ive)?\s+marking.*|not\s+protectively\s+marked|\d+)$", re.IGNORECASE)
_ITEM = re.compile(
    r"^(?:(?:Recommendation|Rec\.?)\s+(?P<labelled>[A-Za-z]?\d+(?:\.\d+)*[a-z]?(?:\([a-z0-9]+\))?)\s*[:.)–-]?"
    r"|(?P<r>R\d+[a-z]?)[:.)]?"
    r"|(?P<plain>\d+(?:\.\d+)*[a-z]?(?:\([a-z0-9]+\))?[.)]?))\s+(?P<text>\S.*)$")
_HEADING_NOISE = re.compile(r"^(?:recommendations?\s+(?:for|to)\s+)|(?:\s+recommendations?)$|:$", re.IGNORECASE)


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


def _lines(texts: Sequence[str]) -> list[_Line]:
    """The pages' lines without running headers and footers.

    A line is boilerplate when it is a page number or protective marking, or when (digits
    aside) it stands on at least half of the pages: report titles in headers and footers.
    """
    per_page = [[normalise_space(line) for line in text.replace("\r", "\n").split("\n")] for text in texts]
    shape = Counter(re.sub(r"\d+", "#", line) for page in per_page for line in set(page) if line)
    repeated = {s for s, n in shape.items() if len(per_page) >= 4 and n >= max(3, len(per_page) // 2)}
    lines = []
    for number, page in enumerate(per_page, start=1):
        for line in page:
            if not line or _BOILERPLATE.match(line) or re.sub(r"\d+", "#", line) in repeated:
                continue
            if line.upper().startswith("OFFICIAL") and len(line) < 60:
                continue
            lines.append(_Line(number, line))
    return lines


_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"


def read_metadata(lines: Sequence[_Line]) -> ReviewFacts:
    """What the first pages print: the CSP, the victim's pseudonym, dates. Nothing is guessed."""
    first_pages = [line.text for line in lines if line.page <= 3]
    front = normalise_space(" ".join(first_pages))
    facts = ReviewFacts()
    for text in first_pages:  # the CSP's name stands on its own line, before the words
        if m := re.match(r"^(?:the\s+)?(.+?)\s+Community Safety Partnership\b", text, re.IGNORECASE):
            if len(m.group(1).split()) <= 8:
                facts.csp = m.group(1).strip()
                break
    if m := re.search(r"into the death of\s+((?:[A-Z][\w'’-]*|[A-Z])(?:\s+(?:[A-Z][\w'’-]*|[A-Z]\b)){0,2})", front):
        facts.pseudonym = m.group(1).strip()
    if m := re.search(rf"(?:died|death|killed|was found)[^.]{{0,60}}?\b(?:{_MONTHS}\s+)?((?:19|20)\d\d)\b", front):
        facts.year_of_death = int(m.group(1))
    if m := re.search(rf"(?:published|publication(?: date)?|completed|finali[sz]ed|final (?:report|version)|"
                      rf"report date|date of report)\W{{0,12}}({_MONTHS}\s+(?:19|20)\d\d)", front, re.IGNORECASE):
        facts.published = parse_month(m.group(1))
    return facts


# ------------------------------------------------------------------ the recommendations section


@dataclass(frozen=True)
class Section:
    start: int  # index of the first line after the heading
    end: int  # index after the last line
    pages: tuple[int, ...]


def find_sections(lines: Sequence[_Line]) -> list[Section]:
    """Every section headed "Recommendations" (or "Action plan"), outside the contents pages."""
    sections = []
    for index, line in enumerate(lines):
        if _SECTION.match(line.text) and not _TOC_LINE.search(line.text):
            end = next((j for j in range(index + 1, len(lines))
                        if _END.match(lines[j].text) and len(lines[j].text.split()) <= 10), len(lines))
            pages = tuple(sorted({lines[j].page for j in range(index, end)} | {line.page}))
            sections.append(Section(index + 1, end, pages))
    return sections


def _heading_addressee(text: str) -> str | None:
    """An agency heading's name ("Recommendations for Sampleshire Police" → the force)."""
    words = text.split()
    if not (1 <= len(words) <= 8) or text.endswith((".", ",", ";")) or not text[0].isupper():
        return None
    if _ITEM.match(text) or _SECTION.match(text):
        return None
    name = _HEADING_NOISE.sub("", text).strip()
    return name or None


def parse_paragraphs(lines: Sequence[_Line], section: Section) -> list[RecommendationRecord]:
    """Numbered recommendations, wrapping over lines, grouped under agency headings."""
    recommendations: list[RecommendationRecord] = []
    addressee: str | None = None
    current: RecommendationRecord | None = None
    for line in lines[section.start:section.end]:
        if match := _ITEM.match(line.text):
            number = match.group("labelled") or match.group("r") or match.group("plain")
            current = RecommendationRecord(number=number, text=match.group("text"),
                                     addressed_to=[addressee] if addressee else [], page=line.page)
            recommendations.append(current)
            continue
        heading = _heading_addressee(line.text)
        ends_sentence = current is None or current.text.rstrip().endswith((".", ":", ";", "?", "!"))
        if heading is not None and ends_sentence:
            addressee, current = heading, None
            continue
        if current is not None:
            current.text = normalise_space(f"{current.text} {line.text}")
    return recommendations


# ------------------------------------------------------------------ tables (pdfplumber)


@dataclass(frozen=True)
class _Columns:
    number: int | None
    text: int
    agency: int | None


def _columns(header: Sequence[str | None]) -> _Columns | None:
    names = [normalise_space(h or "").lower() for h in header]
    text = next((i for i, h in enumerate(names) if "recommendation" in h and "no" not in h.split()), None)
    if text is None:
        return None
    agency = next((i for i, h in enumerate(names)
                   if re.search(r"agenc|lead|owner|responsib|organisation|addressed", h) and i != text), None)
    number = next((i for i, h in enumerate(names)
                   if re.fullmatch(r"#|no\.?|num(ber)?|ref\.?|rec(ommendation)?\s*(no\.?|number|#)", h)), None)
    return _Columns(number, text, agency)


def _cell_lines(page: Any, bbox: tuple[float, float, float, float] | None) -> list[str]:
    """A cell's lines, wrapped lines rejoined: a line continues the one above when its first
    word would not have fitted at the end of it (so names on separate lines stay apart)."""
    if bbox is None:
        return []
    words = page.crop(bbox).extract_words(keep_blank_chars=False, use_text_flow=True)
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - word["top"]) < 2:
            rows[-1].append(word)
        else:
            rows.append([word])
    right_edge = bbox[2] - 2.5
    lines: list[str] = []
    previous_right = None
    for row in rows:
        text = " ".join(w["text"] for w in row)
        first_width = row[0]["x1"] - row[0]["x0"]
        could_wrap = previous_right is not None and previous_right + 4 + first_width > right_edge
        if lines and could_wrap and not _complete_name_then_name(lines[-1], text):
            lines[-1] = f"{lines[-1]} {text}"
        else:
            lines.append(text)
        previous_right = row[-1]["x1"]
    return lines


_AGENCY_END = re.compile(
    r"\b(?:police|constabulary|council|trust|services?|board|partnership|practices|team|group|homes|hospitals?|"
    r"ccg|icb|probation|authority|agency|agencies|commissioner|department|unit|federation|"
    r"association|aid|marac|mash|csp|schools|college|university|ltd|limited|charity|"
    r"government|prison|court|cafcass)\W*$", re.IGNORECASE)


def _complete_name_then_name(line: str, following: str) -> bool:
    """Whether a line break in an agency cell separates two names rather than wrapping one: the
    text so far ends like a body's name and the next line starts a new capitalised word.

    >>> _complete_name_then_name("Sampleshire Police", "Sampletown")
    True
    >>> _complete_name_then_name("Sampletown GP", "Practices")
    False
    >>> _complete_name_then_name("Northamptonshire Police", "and Crime Commissioner")
    False
    """
    return bool(_AGENCY_END.search(line)) and following[:1].isupper()


def parse_tables(pdf: Any, pages: Sequence[int]) -> list[RecommendationRecord]:
    """Recommendations from tables with a recommendation column, over the given pages."""
    recommendations: list[RecommendationRecord] = []
    columns: _Columns | None = None
    for number in pages:
        page = pdf.pages[number - 1]
        for table in page.find_tables():
            rows = table.extract()
            first_on_page = True
            for cells, row in zip(rows, table.rows):
                header = _columns(cells)
                if header is not None:  # a header row, first or repeated on a later page
                    columns = header
                    continue
                if columns is None or columns.text >= len(cells):
                    continue
                text = normalise_space(cells[columns.text] or "")
                printed = normalise_space(cells[columns.number] or "") if columns.number is not None else ""
                if not text:
                    first_on_page = False
                    continue  # an action row under the recommendation above: not a recommendation
                if columns.number is None and (m := re.match(r"^(\d+(?:\.\d+)*[a-z]?[.)]?)\s+(\S.*)$", text)):
                    printed, text = m.group(1), m.group(2)
                continuation = first_on_page and recommendations and not printed and (
                    columns.number is not None or not text[:1].isupper())
                first_on_page = False
                if continuation:  # a row broken over the page: its rest continues the last one
                    recommendations[-1].text = normalise_space(f"{recommendations[-1].text} {text}")
                    continue
                agencies: list[str] = []
                if columns.agency is not None and columns.agency < len(row.cells):
                    agencies = split_addressees(_cell_lines(page, row.cells[columns.agency]))
                recommendations.append(RecommendationRecord(number=printed or None, text=text,
                                                      addressed_to=agencies, page=number))
    return recommendations


# ------------------------------------------------------------------ the whole report


def read_report(path: Path, data: bytes, *, engine: Engine = "pdfium") -> Extraction:
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
    lines = _lines(texts)
    facts = read_metadata(lines)
    sections = find_sections(lines)
    best: list[RecommendationRecord] = []
    if sections:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for section in sections:
                found = parse_tables(pdf, section.pages) or parse_paragraphs(lines, section)
                if len(found) > len(best):  # the fullest statement of the recommendations wins
                    best = found
    if not sections:
        warnings.append("no recommendations section found")
    elif not best:
        warnings.append("the recommendations section holds no numbered recommendations or table")
    return Extraction(Source(str(path), sha256(data), "pdf"), facts, best, warnings)
