"""The fields of an action plan as printed: target dates and statuses, normalised.

A target is kept as precise as it is printed: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``
("March 2025" → ``2025-03``; "Q2 2024" → ``2024-06``, the quarter's last month; "2024/25", a UK
financial year, → ``2025-03``, the month it ends), always with the printed text kept beside
it. Words that are not dates ("Ongoing", "Complete", "N/A", "TBC") give no date, never a
guess. Statuses are matched against the labels of the ontology's implementation-status scheme
(``ontology/implementation.ttl``), so a new synonym is added there, not here.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import cache

from graph.model.dates import period_end
from graph.model.terms import SCHEMES, SKOS, STATUSES

_MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1)
    for name in names
}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?" \
         r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_YEAR = r"((?:19|20)\d\d)"
_LEAD_IN = re.compile(r"^(?:by|before|end of|the end of|end|due|target|from|w/?c|no later than|deadline)\b[:\s]*",
                      re.IGNORECASE)


@dataclass(frozen=True)
class TargetDate:
    """A printed target: its normalised value, how precise it is, and the words printed."""

    value: str  # "2025-03-31", "2025-03" or "2025"
    text: str

    @property
    def due_by(self) -> str:
        """The last day of the target period, so that targets of any precision compare.

        >>> TargetDate("2024-02", "Feb 2024").due_by, TargetDate("2025", "2025").due_by
        ('2024-02-29', '2025-12-31')
        """
        return period_end(self.value)


def _year(text: str) -> int:
    number = int(text)
    return number + 2000 if number < 100 else number


def _ymd(year: int, month: int, day: int) -> str | None:
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _month(year: int, month: int) -> str | None:
    return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None


def parse_date(text: str) -> str | None:
    """The first date in a printed cell, as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; None if
    the cell holds no date.

    >>> [parse_date(t) for t in ["31/03/2025", "31st March 2025", "March 2025", "Mar-25", "Q2 2024",
    ...                          "2024/25", "2025", "by end of June 2026", "Ongoing", "N/A", "30/02/2025"]]
    ['2025-03-31', '2025-03-31', '2025-03', '2025-03', '2024-06', '2025-03', '2025', '2026-06', None, None, None]
    """
    v = _LEAD_IN.sub("", " ".join(text.lower().replace(",", " ").split()))
    v = _LEAD_IN.sub("", v)  # "by the end of"
    patterns: list[tuple[str, object]] = [
        (rf"\b{_YEAR}-(\d{{1,2}})-(\d{{1,2}})\b", lambda m: _ymd(int(m[1]), int(m[2]), int(m[3]))),
        (r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b", lambda m: _ymd(_year(m[3]), int(m[2]), int(m[1]))),
        (rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\s+{_YEAR}\b",
         lambda m: _ymd(int(m[3]), _MONTHS[m[2]], int(m[1]))),
        (rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\s+{_YEAR}\b",
         lambda m: _ymd(int(m[3]), _MONTHS[m[1]], int(m[2]))),
        (rf"\bq(?:uarter)?\s*([1-4])\s+{_YEAR}\b", lambda m: _month(int(m[2]), 3 * int(m[1]))),
        (rf"\b{_YEAR}\s*/\s*(\d{{2}}|\d{{4}})\b",
         lambda m: _month(int(m[1]) + 1, 3) if _year(m[2]) in (int(m[1]) + 1, (int(m[1]) + 1) % 100) else None),
        (rf"\b{_MONTH}[\s'’-]+{_YEAR}\b", lambda m: _month(int(m[2]), _MONTHS[m[1]])),
        (rf"\b{_MONTH}[\s'’-]+(\d{{2}})\b", lambda m: _month(_year(m[2]), _MONTHS[m[1]])),
        (rf"\b{_YEAR}-(\d{{1,2}})\b", lambda m: _month(int(m[1]), int(m[2]))),
        (rf"\b(\d{{1,2}})/{_YEAR}\b", lambda m: _month(int(m[2]), int(m[1]))),
        (rf"\b{_YEAR}\b", lambda m: m[1]),
    ]
    for pattern, build in patterns:
        if match := re.search(pattern, v):
            return build(match)  # type: ignore[operator, no-any-return]
    return None


_DATE_WORDS = re.compile(
    rf"\b(?:{_MONTH}|q(?:uarter)?\s*[1-4]|\d+(?:st|nd|rd|th)?|by|before|end|the|of|due|target|from|w/?c|"
    r"no later than|deadline|fy)\b|[/.,'’()–-]", re.IGNORECASE)


def is_date_text(text: str) -> bool:
    """Whether a printed line is a date and nothing else (so it is not, say, an agency's name).

    >>> [is_date_text(t) for t in ["by end of June 2026", "Q2 2024", "2024/25", "Exampleton Police 2024", "Ongoing"]]
    [True, True, True, False, False]
    """
    return parse_date(text) is not None and not _DATE_WORDS.sub(" ", text).strip()


def target_date(text: str | None) -> TargetDate | None:
    """A printed target cell as a :class:`TargetDate`, or None when it holds no date.

    >>> target_date("Q2 2024")
    TargetDate(value='2024-06', text='Q2 2024')
    >>> target_date("Ongoing") is None
    True
    """
    if not text or not text.strip():
        return None
    value = parse_date(text)
    return TargetDate(value, " ".join(text.split())) if value else None


@cache
def _status_words() -> list[tuple[str, str]]:
    """(label, status code), longest label first, from the scheme's preferred and alternative labels."""
    words = []
    for code, concept in STATUSES.items():
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            for label in SCHEMES.objects(concept, predicate):
                words.append((str(label).lower(), code))
    return sorted(words, key=lambda item: -len(item[0]))


def status_label(text: str | None) -> tuple[str, str] | None:
    """The status label a printed cell names and its code, or None; the longest label wins.

    >>> status_label("Partially complete")
    ('partially complete', 'in-progress')
    """
    if not text:
        return None
    cell = " ".join(text.lower().split())
    for label, code in _status_words():
        # "Not complete" is not completed: a status the cell denies is not the one it names.
        if re.search(rf"(?<!\w)(?<!\bnot )(?<!\bnot yet ){re.escape(label)}(?!\w)", cell):
            return label, code
    return None


def status_code(text: str | None) -> str | None:
    """The implementation status a printed cell names, as a code of the scheme; None for a cell
    that names none (a date alone, an empty cell).

    >>> cells = ["Complete – 12/05/2024", "ongoing", "Not yet started", "RAG: Green", "", "12/05/2024",
    ...          "Not complete"]
    >>> [status_code(cell) for cell in cells]
    ['completed', 'in-progress', 'not-started', 'completed', None, None, None]
    """
    found = status_label(text)
    return found[1] if found else None
