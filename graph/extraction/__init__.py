"""Readers: one per kind of source file, chosen by a registry.

``extract(path)`` reads any supported file into an :class:`~graph.model.records.Extraction`
without touching a store. New readers (PDF reports, dataset tables) register here, the
same way the built-in ones do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from graph.errors import ExtractError
from graph.extraction.dhrd import read_dhrd_table
from graph.extraction.files import MAX_TEXT_BYTES, decode_text, read_bytes, sha256
from graph.extraction.library_record import read_library_record
from graph.extraction.pages import read_page_file
from graph.extraction.pdf import MAX_PDF_BYTES, read_report
from graph.extraction.pdf_budget import read_within_budget
from graph.model.records import DatasetTable, ExtractedDocument, Extraction

__all__ = ["READERS", "Reader", "extract", "reader_for"]


@dataclass(frozen=True)
class Reader:
    """How to read one kind of file: which files it claims and how it reads them."""

    format: str
    suffixes: tuple[str, ...]
    read: Callable[[Path, bytes, str], ExtractedDocument]
    limit: int = MAX_TEXT_BYTES  # the largest file this reader accepts


def _dhrd_table(path: Path, data: bytes, fmt: str) -> DatasetTable:
    warnings: list[str] = []
    table = read_dhrd_table(str(path), decode_text(data, str(path), warnings), sha256(data))
    table.warnings.extend(warnings)
    return table


READERS: dict[str, Reader] = {
    "summary-text": Reader("summary-text", (".txt", ".text"), read_page_file),
    "summary-html": Reader("summary-html", (".html", ".htm", ".xhtml"), read_page_file),
    "dhrd-csv": Reader("dhrd-csv", (".csv",), _dhrd_table),
    "pdf": Reader("pdf", (".pdf",), lambda path, data, fmt: read_within_budget(read_report, path, data), MAX_PDF_BYTES),
}
"""Every reader dhrkg knows, by format name."""


def reader_for(path: Path) -> Reader | None:
    """The reader that claims a file by its suffix, or ``None`` if no reader does."""
    suffix = path.suffix.lower()
    return next((r for r in READERS.values() if suffix in r.suffixes), None)


def extract(path: str | Path) -> ExtractedDocument:
    """Read one source file into records, touching no store; a library record saved beside
    the file (:mod:`graph.extraction.library_record`) comes with it.

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
    document = reader.read(path, data, reader.format)
    if isinstance(document, Extraction) and (found := read_library_record(path)) is not None:
        document.library, digest = found
        document.source = replace(document.source, record_sha256=digest)
    return document
