"""Table columns by role: which column holds the recommendation, the lead agency, the dates.

Reviews print their recommendations and action plans in tables whose headings vary
("Ref", "Rec no.", "Lead agency", "Lead officer / agency", "Timescale", "RAG status"); each
heading is given one role, so a row keeps all its cells (for action plans) and the addressee
is read from the lead column only, never from a date or a status.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.extraction.summary_page import normalise_space

ROLES = ("number", "recommendation", "action", "lead", "target_date", "status", "completed", "scope", "other")

_NUMBER = re.compile(r"#|no\.?|nos?\.?|num(ber)?|ref\.?(\s*(no\.?|number))?|item|"
                     r"rec(ommendation)?\.?\s*(no\.?|number|ref\.?|#)|r\s*#")
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("other", re.compile(r"evidence|outcome")),  # "Evidence of completion" holds no date
    ("target_date", re.compile(r"target|timescale|time\s*scale|deadline|by when|due|timeframe|time frame|"
                               r"^date$|date to be")),
    ("completed", re.compile(r"complet|date achieved|date closed|closed")),
    ("status", re.compile(r"status|progress|\brag\b|update|position")),
    ("lead", re.compile(r"lead|agenc|address|responsib|owner|organisation|organization|recipient|who\b|partner")),
    ("action", re.compile(r"action|how\b|activity|activities|task|steps?\b|measures?")),
    ("recommendation", re.compile(r"recommendation")),
    ("scope", re.compile(r"scope|level|local|national|single|multi")),
    ("other", re.compile(r"outcome|evidence|impact|comment|note|measure|success|resource|risk")),
)


def role_of(header: str) -> str | None:
    """The role of a column from its heading, or ``None`` for a heading that names none.

    >>> [role_of(h) for h in ["Ref", "Recommendation", "Lead agency", "Target date", "RAG status"]]
    ['number', 'recommendation', 'lead', 'target_date', 'status']
    >>> [role_of(h) for h in ["Action to be taken", "Lead officer / agency", "Date completed", "Timescale"]]
    ['action', 'lead', 'completed', 'target_date']
    >>> [role_of(h) for h in ["Evidence of completion", "Completion", "Progress update"]]
    ['other', 'completed', 'status']
    """
    name = normalise_space(header).lower().strip(" :")
    if not name:
        return None
    if _NUMBER.fullmatch(name):
        return "number"
    if "recommendation" in name and not re.search(r"action|lead|agenc|date|status", name):
        return "recommendation"
    for role, pattern in _RULES:
        if pattern.search(name):
            return role
    return None


@dataclass(frozen=True)
class Columns:
    """A table's columns: each column's role and heading as printed."""

    roles: tuple[str, ...]
    headers: tuple[str, ...]

    def index(self, role: str) -> int | None:
        return next((i for i, r in enumerate(self.roles) if r == role), None)


def header_columns(cells: list[str]) -> Columns | None:
    """The columns of a header row, or ``None`` if the row is not a recommendations header.

    A header names a recommendation column and at least one other known role, and no cell
    of it is long: so a row whose text merely says "recommendation" is not taken for one.

    >>> header_columns(["Recommendation", "Action", "Lead", "Target date", "Status"]).roles
    ('recommendation', 'action', 'lead', 'target_date', 'status')
    >>> header_columns(["1", "The recommendation is that agencies share records.", "Police"]) is None
    True
    """
    names = [normalise_space(c) for c in cells]
    if not names or any(len(n.split()) > 6 for n in names):
        return None
    # A narrow column breaks its heading inside a word ("Recommendati" / "on").
    roles = [role_of(n) or role_of(c.replace("\n", "")) for n, c in zip(names, cells)]
    if "recommendation" not in roles:
        return None
    known = [r for r in roles if r is not None]
    if len(known) < 2 and len([n for n in names if n]) > 1:
        return None
    if sum(1 for n, r in zip(names, roles) if n and r is None) > len(known):
        return None
    filled = tuple(r or "other" for r in roles)
    # A second column of a role keeps its cells but is not the one read as that role.
    seen: set[str] = set()
    unique = []
    for role in filled:
        unique.append(role if role not in seen or role == "other" else "other")
        seen.add(role)
    return Columns(tuple(unique), tuple(names))
