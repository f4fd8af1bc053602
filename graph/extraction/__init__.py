"""Readers: one per kind of source file, chosen by a registry.

``extract(path)`` reads any supported file into an :class:`~graph.model.records.Extraction`
without touching a store. New readers (PDF reports, dataset tables) register here, the
same way the built-in ones do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graph.errors import ExtractError
from graph.extraction.dhrd import read_dhrd_table
from graph.extraction.files import MAX_TEXT_BYTES, decode_text, read_bytes, sha256
from graph.extraction.pdf import MAX_PDF_BYTES, read_report
from graph.extraction.pdf_budget import read_within_budget
from graph.extraction.summary_page import page_parts_from_text, read_page
from graph.model.records import DatasetTable, ExtractedDocument, Extraction, Source

__all__ = ["READERS", "Reader", "extract", "reader_for"]


@dataclass(frozen=True)
class Reader:
    """How to read one kind of file: which files it claims and how it reads them."""

    format: str
    suffixes: tuple[str, ...]
    read: Callable[[Path, bytes, str], ExtractedDocument]
    limit: int = MAX_TEXT_BYTES  # the largest file this reader accepts


def _summary_page(path: Path, data: bytes, fmt: str) -> Extraction:
    warnings: list[str] = []
    text = decode_text(data, str(path), warnings)
    is_html = fmt == "summary-html" or text.lstrip()[:1] == "<" and "<table" in text.lower()
    if is_html:
        from graph.extraction.summary_page_html import page_parts_from_html  # BeautifulSoup, only for HTML

        parts = page_parts_from_html(text, str(path))
    else:
        parts = page_parts_from_text(text)
    facts, recommendations = read_page(parts, str(path), warnings)
    return Extraction(
        source=Source(
            path=str(path),
            sha256=sha256(data),
            format="summary-html" if is_html else "summary-text",
            links=tuple(dict.fromkeys(parts.links)),
        ),
        review=facts,
        recommendations=recommendations,
        warnings=warnings,
    )


def _dhrd_table(path: Path, data: bytes, fmt: str) -> DatasetTable:
    warnings: list[str] = []
    table = read_dhrd_table(str(path), decode_text(data, str(path), warnings), sha256(data))
    table.warnings.extend(warnings)
    return table


READERS: dict[str, Reader] = {
    "summary-text": Reader("summary-text", (".txt", ".text"), _summary_page),
    "summary-html": Reader("summary-html", (".html", ".htm", ".xhtml"), _summary_page),
    "dhrd-csv": Reader("dhrd-csv", (".csv",), _dhrd_table),
    "pdf": Reader("pdf", (".pdf",), lambda path, data, fmt: read_within_budget(read_report, path, data), MAX_PDF_BYTES),
}
"""Every reader dhrkg knows, by format name."""


def reader_for(path: Path) -> Reader | None:
    """The reader that claims a file by its suffix, or ``None`` if no reader does."""
    suffix = path.suffix.lower()
    return next((r for r in READERS.values() if suffix in r.suffixes), None)


def extract(path: str | Path) -> ExtractedDocument:
    """Read one source file into records, touching no store.

    :raises ExtractError: naming the file and the problem when it cannot be read.

    >>> from graph.resources import data_dir
    >>> result = extract(data_dir() / "seed" / "000_58cfa34b200ccabd.txt")
    >>> result.review.csp, len(result.recommendations)
    ('Northampton', 35)
    """
    path = Path(path)
    reader = reader_for(path)
    if reader is None:
        known = ", ".join(sorted(s for r in READERS.values() for s in r.suffixes))
        raise ExtractError(str(path), f"unsupported file type {path.suffix or '(none)'!r}; dhrkg reads {known}")
    data = read_bytes(path, limit=reader.limit)
    return reader.read(path, data, reader.format)
