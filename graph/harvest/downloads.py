"""Reports downloaded whole or not at all, and checked for what a PDF must be.

A report is streamed into ``partial/ID.pdf.part`` and renamed into ``reports/ID.pdf`` only once
it is complete (its size matches ``Content-Length``, it starts with ``%PDF-`` and ends with
``%%EOF``), so a file under ``reports/`` is always whole: a harvest killed mid-download leaves
at most a ``.part`` file, which the next run starts again. A body that is not a PDF at all (an
HTML error page served in its place) is an error for that review, never a file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from graph.extraction.pdf import MAX_PDF_BYTES
from graph.harvest.client import Incomplete, Unusable

HEAD = 1024
"""Where a PDF's ``%PDF-`` header may stand (readers accept junk before it), and how far from
the end its last ``%%EOF`` may stand."""


@dataclass(frozen=True)
class Downloaded:
    """A report saved whole: its hash and size."""

    sha256: str
    size: int


def pdf_problem(head: bytes, tail: bytes, size: int, expected: int | None = None) -> str | None:
    """Why bytes with this start, end and size are not a whole PDF, or None.

    >>> pdf_problem(b"%PDF-1.7 ...", b"... %%EOF\\n", 2048) is None
    True
    >>> pdf_problem(b"%PDF-1.7 ...", b"... stream data", 2048)
    'no %%EOF at its end: the file is cut off'
    >>> pdf_problem(b"<!DOCTYPE html>", b"</html>", 300)
    "not a PDF (it starts with '<!DOCTYPE html>')"
    """
    if size == 0:
        return "empty"
    if not head[:HEAD].lstrip().startswith(b"%PDF-"):
        return f"not a PDF (it starts with {head[:40].decode('latin-1')!r})"
    if expected is not None and size != expected:
        return f"{size:,} bytes instead of {expected:,}: the file is cut off"
    if b"%%EOF" not in tail[-HEAD:]:
        return "no %%EOF at its end: the file is cut off"
    return None


def check_pdf_file(path: Path, expected_size: int | None = None) -> str | None:
    """Why a file on disk is not a whole PDF (missing, empty, cut off, not a PDF), or None."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(HEAD)
            handle.seek(max(0, size - HEAD))
            tail = handle.read(HEAD)
    except FileNotFoundError:
        return "missing"
    except OSError as err:
        return f"unreadable ({err.strerror or err})"
    return pdf_problem(head, tail, size, expected_size)


def file_digest(path: Path) -> Downloaded:
    """The hash and size of a file on disk."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return Downloaded(digest.hexdigest(), size)


def pdf_receiver(part: Path, final: Path) -> Callable[[httpx.Response], Downloaded]:
    """A receiver for :meth:`PoliteClient.get` that streams a report into ``part`` and renames it
    to ``final`` once it is whole."""

    def receive(response: httpx.Response) -> Downloaded:
        part.parent.mkdir(parents=True, exist_ok=True)
        final.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size, head, tail = 0, b"", b""
        kind = response.headers.get("content-type", "no content type")
        try:
            with part.open("wb") as handle:
                for chunk in response.iter_bytes():
                    if len(head) < HEAD:
                        head += chunk[:HEAD - len(head)]
                        if len(head) == HEAD and not head.lstrip().startswith(b"%PDF-"):  # stop reading at once
                            raise Unusable(f"the server sent {kind}, not a PDF (it starts with "
                                           f"{head[:40].decode('latin-1')!r})")
                    size += len(chunk)
                    if size > MAX_PDF_BYTES:
                        raise Unusable(f"over {MAX_PDF_BYTES:,} bytes: not a review report")
                    digest.update(chunk)
                    handle.write(chunk)
                    tail = (tail + chunk)[-HEAD:]
                handle.flush()
                os.fsync(handle.fileno())
            expected = response.headers.get("content-length")
            problem = pdf_problem(head, tail, size, int(expected) if expected and expected.isdigit() else None)
            if problem is not None:
                if problem.startswith(("not a PDF", "empty")):
                    raise Unusable(f"the server sent {kind}, {problem}")
                raise Incomplete(problem)
            os.replace(part, final)
        finally:
            part.unlink(missing_ok=True)
        return Downloaded(digest.hexdigest(), size)

    return receive
