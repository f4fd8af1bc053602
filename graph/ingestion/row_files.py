"""What the CSV files people write for dhrkg have in common (curation files, status files): a
header that must name some columns, rows read by their line number, and an error that lists
every bad row, so a whole file is fixed in one go and nothing of it is written until it is."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from graph.errors import DhrkgError

SHOWN = 20
"""Problems listed in an error; the rest are counted."""


class RowProblems(DhrkgError):
    """A file with rows that cannot be taken; nothing of it was written."""

    def __init__(self, source: str, problems: list[str], *, outcome: str, status: int = 400) -> None:
        shown = problems[:SHOWN] + ([f"… and {len(problems) - SHOWN} more"] if len(problems) > SHOWN else [])
        super().__init__(f"{source}: {outcome}, {len(problems)} problem(s):\n" + "\n".join(shown), status=status)
        self.problems = problems


def read_table(text: str, required: Sequence[str],
               columns: Sequence[str]) -> tuple[str | None, Iterator[tuple[int, dict[str, str]]]]:
    """The header's problem (None if it names every ``required`` column) and the file's
    non-blank rows as ``(line number, cells)``, cells keyed by lower-case column name, stripped.

    >>> problem, rows = read_table("Target,Status\\n x , done \\n,\\n", ["target", "status"], ["target", "status"])
    >>> problem, list(rows)
    (None, [(2, {'target': 'x', 'status': 'done'})])
    >>> read_table("target\\n", ["target", "status"], ["target", "status"])[0]
    'line 1: the header lacks status (expected target,status)'
    """
    reader = csv.DictReader(io.StringIO(text))
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in required if name not in header]
    problem = f"line 1: the header lacks {', '.join(missing)} (expected {','.join(columns)})" if missing else None

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for number, raw in enumerate(reader, start=2):
            cells = {(key or "").strip().lower(): (value or "").strip() for key, value in raw.items()
                     if not isinstance(value, list)}  # a row longer than the header: its extra cells
            if any(cells.values()):
                yield number, cells

    return problem, rows()
