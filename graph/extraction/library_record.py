"""The library record saved beside a downloaded report: ``REPORT.pdf.library.json``.

A harvester writes it (:mod:`graph.harvest`); :func:`graph.extraction.extract` reads it with the
report, so ingesting the harvest cache by hand gives the same graph as ``dhrkg harvest
homeoffice --ingest``. Its hash is kept with the document (``dhr:recordSha256``) so a changed
record is read again even when the report is not.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from graph.errors import ExtractError
from graph.extraction.files import sha256
from graph.model.records import LIBRARY_RECORD_FORMAT, LibraryRecord

SUFFIX = ".library.json"
"""Appended to the report's file name: ``699496a0c7f5132b09d6c679.pdf.library.json``."""

MAX_RECORD_BYTES = 1024 * 1024

_MONTH = re.compile(r"(?:19|20)\d\d(?:-(?:0[1-9]|1[0-2]))?")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")


def record_path(path: Path) -> Path:
    """Where the library record of a file is kept.

    >>> record_path(Path("cache/reports/abc.pdf")).name
    'abc.pdf.library.json'
    """
    return path.with_name(path.name + SUFFIX)


def is_record(path: Path) -> bool:
    """True for a library record file (ingest reads it with its report, never on its own)."""
    return path.name.endswith(SUFFIX)


def record_sha256(path: Path) -> str | None:
    """The hash of the library record beside a file, or ``None`` when it has none."""
    try:
        return sha256(record_path(path).read_bytes())
    except FileNotFoundError:
        return None
    except OSError as err:
        raise ExtractError(str(record_path(path)), f"cannot read the library record: {err.strerror or err}") from err


def read_library_record(path: Path) -> tuple[LibraryRecord, str] | None:
    """The library record beside ``path`` and its hash, or ``None`` when there is none.

    :raises ExtractError: naming the record file when it is unreadable or malformed.
    """
    where = record_path(path)
    try:
        if where.stat().st_size > MAX_RECORD_BYTES:
            raise ExtractError(str(where), f"over {MAX_RECORD_BYTES:,} bytes: not a library record")
        data = where.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise ExtractError(str(where), f"cannot read the library record: {err.strerror or err}") from err
    return parse_library_record(data, str(where)), sha256(data)


def parse_library_record(data: bytes, where: str) -> LibraryRecord:
    """A library record from its JSON bytes, every field checked.

    >>> record = b'{"format": "dhrkg-library-record/1", "download_id": "abc", "death": "2018-09"}'
    >>> parse_library_record(record, "x").death
    '2018-09'
    >>> parse_library_record(record.replace(b"2018-09", b"Sept"), "x")
    Traceback (most recent call last):
    ...
    graph.errors.ExtractError: x: field 'death' must be YYYY or YYYY-MM, not 'Sept'
    """
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ExtractError(where, f"not a library record: invalid JSON ({err})") from err
    if not isinstance(value, dict) or value.get("format") != LIBRARY_RECORD_FORMAT:
        raise ExtractError(where, f"not a library record: a JSON object with format {LIBRARY_RECORD_FORMAT!r} expected")
    download_id = value.get("download_id")
    if not isinstance(download_id, str) or not _ID.fullmatch(download_id):
        raise ExtractError(where, f"field 'download_id' must be a download id, not {download_id!r}")
    tags = value.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise ExtractError(where, "field 'tags' must be a list of filter values")
    collected = value.get("tags_collected", False)
    if not isinstance(collected, bool):
        raise ExtractError(where, "field 'tags_collected' must be true or false")
    return LibraryRecord(
        download_id=download_id,
        title=_text(value, "title", where), pseudonym=_text(value, "pseudonym", where),
        csp=_text(value, "csp", where), region=_text(value, "region", where),
        uploaded=_month(value, "uploaded", where), death=_month(value, "death", where),
        tags=tuple(dict.fromkeys(tags)), tags_collected=collected,
    )


def _text(value: dict[str, Any], name: str, where: str) -> str | None:
    text = value.get(name)
    if text is None:
        return None
    if not isinstance(text, str):
        raise ExtractError(where, f"field {name!r} must be text, not {text!r}")
    return " ".join(text.split()) or None


def _month(value: dict[str, Any], name: str, where: str) -> str | None:
    text = _text(value, name, where)
    if text is not None and not _MONTH.fullmatch(text):
        raise ExtractError(where, f"field {name!r} must be YYYY or YYYY-MM, not {text!r}")
    return text
