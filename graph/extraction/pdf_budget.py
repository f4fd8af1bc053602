"""A memory and decompression budget for reading one PDF.

Measured (issue #24): a 1 MB PDF holding a stream that inflates to 1 GB took 2.3 GB to read
and was reported as having "no text layer"; the same stream referenced four times took 5.3 GB.
So before pdfium or pdfplumber see a file, every compressed stream they would decode for text
(content, forms, fonts, object and cross-reference streams: not images, which text extraction
never decodes) is inflated here in small pieces that are counted and thrown away, and a file
whose streams inflate past :data:`DECOMPRESSED_LIMIT` is refused with that reason. Then the
file is read in a forked child process whose address space may grow by at most
:data:`MEMORY_LIMIT` (``RLIMIT_AS``), so what no count can foresee (a stream drawn many times,
a filter other than Flate) still cannot take more than that.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from graph.errors import ExtractError

DECOMPRESSED_LIMIT = int(os.environ.get("DHRKG_PDF_DECOMPRESSED_LIMIT", 512 * 2**20))
"""Bytes the non-image streams of one PDF may inflate to, all together."""

MEMORY_LIMIT = int(os.environ.get("DHRKG_PDF_MEMORY_LIMIT", 2 * 2**30))
"""Bytes of address space reading one PDF may add (where ``fork`` and ``RLIMIT_AS`` exist)."""

_STREAM = re.compile(rb">>\s*stream\r?\n")
_CHUNK = 1 << 20

T = TypeVar("T")


def check_decompression(path: Path, data: bytes, limit: int | None = None) -> int:
    """Inflate every Flate stream of ``data`` that text extraction would decode, counting, and
    return the total; images are skipped. Constant memory: nothing inflated is kept.

    :raises ExtractError: naming the file, when the streams inflate beyond ``limit``.

    >>> import zlib
    >>> bomb = b"%PDF-1.4\\n1 0 obj << /Filter /FlateDecode >> stream\\n" + zlib.compress(b"0" * 10**6) + b"endstream"
    >>> check_decompression(Path("bomb.pdf"), bomb, limit=10**7)  # doctest: +ELLIPSIS
    1000000
    >>> check_decompression(Path("bomb.pdf"), bomb, limit=10**5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    graph.errors.ExtractError: bomb.pdf: its compressed streams decompress beyond the limit of ...
    """
    limit = DECOMPRESSED_LIMIT if limit is None else limit
    total = 0
    for match in _STREAM.finditer(data):
        before = data[max(0, match.start() - 4096):match.start()]
        header = before[before.rfind(b"obj") + 1:]  # the stream's dictionary (and a little more)
        if b"/Image" in header or b"FlateDecode" not in header and b"/Fl" not in header:
            continue
        inflater = zlib.decompressobj()
        piece = data[match.end():match.end() + _CHUNK]
        position = match.end() + len(piece)
        while piece and not inflater.eof:
            try:
                out = inflater.decompress(piece, _CHUNK)
                while out:
                    total += len(out)
                    if total > limit:
                        raise ExtractError(str(path), f"its compressed streams decompress beyond the limit of "
                                                      f"{_size(limit)} (a decompression bomb?)")
                    out = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
            except zlib.error:
                break  # a damaged stream: pdfium decides what to make of it
            piece = data[position:position + _CHUNK]
            position += len(piece)
    return total


def read_within_budget(read: Callable[[Path, bytes], T], path: Path, data: bytes) -> T:
    """``read(path, data)`` after :func:`check_decompression`, in a forked child process whose
    address space may grow by :data:`MEMORY_LIMIT` at most (in this process where there is
    no ``fork``).

    :raises ExtractError: naming the file, for a bomb, for reading past the memory limit, and
        whatever ``read`` raises.
    """
    check_decompression(path, data)
    if not hasattr(os, "fork") or MEMORY_LIMIT <= 0:
        return read(path, data)
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(read, path, data, sender), daemon=True)
    child.start()
    sender.close()
    try:
        status, payload = receiver.recv()
    except EOFError:
        child.join()
        raise ExtractError(str(path), f"reading it needs more than the {_size(MEMORY_LIMIT)} of memory "
                                      f"a PDF may use (the reader stopped with status {child.exitcode})") from None
    finally:
        receiver.close()
    child.join()
    if status == "error":
        raise payload
    result: T = payload
    return result


def _child(read: Callable[[Path, bytes], Any], path: Path, data: bytes, sender: Any) -> None:
    try:
        _limit_growth(MEMORY_LIMIT)
        sender.send(("ok", read(path, data)))
    except ExtractError as err:
        sender.send(("error", err))
    except MemoryError:
        sender.send(("error", ExtractError(str(path), f"reading it needs more than the {_size(MEMORY_LIMIT)} "
                                                      "of memory a PDF may use")))
    except Exception as err:  # noqa: BLE001 - the parent re-raises it as the reader would have
        sender.send(("error", err))
    finally:
        sender.close()
        os._exit(0)  # no atexit handlers of the parent's, no flushing of its buffers


def _size(count: int) -> str:
    """Bytes for people.

    >>> _size(2 * 2**30), _size(400_000_000)
    ('2 GiB', '381 MiB')
    """
    return f"{count / 2**30:g} GiB" if count >= 2**30 else f"{count / 2**20:.0f} MiB"


def _limit_growth(extra: int) -> None:
    try:
        import resource

        with open("/proc/self/status", encoding="ascii") as status:
            size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    except (ImportError, OSError, StopIteration):
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + extra if hard == resource.RLIM_INFINITY else min(size + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
