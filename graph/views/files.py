"""Writing a view or a chart to a file, with one clear error for a path that cannot be written
(a missing folder, a folder in the way, no permission) instead of a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from graph.errors import DhrkgError

T = TypeVar("T")


def write_to(out: Path, write: Callable[[Path], T]) -> T:
    """Run ``write(out)``, turning a path that cannot be written into a one-line error.

    >>> import tempfile
    >>> write_to(Path(tempfile.mkdtemp()) / "missing" / "view.html", lambda p: p.write_text("x"))
    Traceback (most recent call last):
    ...
    graph.errors.DhrkgError: cannot write .../missing/view.html: the folder .../missing does not exist
    """
    if not out.parent.is_dir():
        raise DhrkgError(f"cannot write {out}: the folder {out.parent} does not exist")
    if out.is_dir():
        raise DhrkgError(f"cannot write {out}: it is a folder")
    try:
        return write(out)
    except OSError as err:
        raise DhrkgError(f"cannot write {out}: {err.strerror or err}") from err
