"""Dates as precise as a source prints them: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``, and the
first and last day of such a period, so that dates of any precision compare."""

from __future__ import annotations

import calendar


def precision(value: str) -> str:
    """``date``, ``month`` or ``year``.

    >>> precision("2025-03-31"), precision("2025-03"), precision("2025")
    ('date', 'month', 'year')
    """
    return {10: "date", 7: "month", 4: "year"}[len(value)]


def period_end(value: str) -> str:
    """The last day of the period a date names.

    >>> period_end("2024-02"), period_end("2025"), period_end("2025-03-14")
    ('2024-02-29', '2025-12-31', '2025-03-14')
    """
    kind = precision(value)
    if kind == "date":
        return value
    if kind == "month":
        return f"{value}-{calendar.monthrange(int(value[:4]), int(value[5:7]))[1]:02d}"
    return f"{value}-12-31"


def period_start(value: str) -> str:
    """The first day of the period a date names.

    >>> period_start("2024-02"), period_start("2025"), period_start("2025-03-14")
    ('2024-02-01', '2025-01-01', '2025-03-14')
    """
    kind = precision(value)
    return value if kind == "date" else f"{value}-01" if kind == "month" else f"{value}-01-01"
