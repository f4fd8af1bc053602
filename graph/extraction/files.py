"""Reading a source file's bytes safely: size limit, hash, binary sniffing, text decoding."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

from graph.errors import ExtractError

MAX_TEXT_BYTES = 20 * 1024 * 1024
"""A summary page is a few kilobytes; anything this big is not one."""


def read_bytes(path: Path, *, limit: int) -> bytes:
    """The file's bytes, or a clear error if it cannot be read or is too large."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise ExtractError(str(path), f"file is {size:,} bytes, over the {limit:,}-byte limit")
        return path.read_bytes()
    except OSError as err:
        raise ExtractError(str(path), f"cannot read file: {err.strerror or err}") from err


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in chunks so large reports are not held in memory."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as err:
        raise ExtractError(str(path), f"cannot read file: {err.strerror or err}") from err
    return digest.hexdigest()


def looks_binary(data: bytes) -> bool:
    """True for bytes that are no text encoding's output (NULs, many control bytes)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) // 20


def decode_text(data: bytes, path: str, warnings: list[str]) -> str:
    """Decode a text page: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Pages saved on Windows are often cp1252; decoding them as such keeps every
    character, and the warning tells the user why quotes may look different.
    """
    if not data.strip():
        raise ExtractError(path, "file is empty")
    if looks_binary(data):
        raise ExtractError(path, "file is binary, not a text or HTML summary page")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise ExtractError(path, f"invalid UTF-16 text: {err.reason}") from err
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ExtractError(
                path, f"not valid UTF-8 (byte {err.start}) nor Windows-1252 text"
            ) from err
        warnings.append(f"not valid UTF-8 (byte {err.start}); read as Windows-1252")
        return text
