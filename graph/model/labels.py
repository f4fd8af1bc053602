"""The words shown for codes and records: one place decides how a theme, an agency type or a
review is named, so the CLI, the pages, the views and the charts agree.

A review read from several sources may lack a title; it is then named by its CSP and year
(the CSP's *name*, never its IRI), and last by its identifier.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from graph.model.terms import AGENCY_TYPES, CHARACTERISTICS, SCHEMES, SKOS, STATUSES, THEMES


def code_label(code: str) -> str:
    """The preferred label of a theme, agency-type, case-characteristic or implementation-status
    code; the code itself when the schemes do not know it.

    >>> code_label("T2"), code_label("A01"), code_label("in-progress"), code_label("nope")
    ('Information sharing', 'Police', 'In progress', 'nope')
    """
    concept = THEMES.get(code) or AGENCY_TYPES.get(code) or CHARACTERISTICS.get(code) or STATUSES.get(code)
    label = SCHEMES.value(concept, SKOS.prefLabel) if concept is not None else None
    return str(label) if label is not None else code


def review_label(row: Mapping[str, object]) -> str:
    """A short name for a review row (``title``, ``csp``/``cspName``, ``year``, ``id``): its
    title, else its CSP and year with its identifier, else its identifier.

    >>> review_label({"csp": "Exampleton", "year": 2016, "id": "INC-0001"})
    'Exampleton 2016 (INC-0001)'
    >>> review_label({"title": "Review of Adult A"})
    'Review of Adult A'
    """
    if row.get("title"):
        return str(row["title"])
    csp = row.get("cspName") or row.get("csp")
    if csp and str(csp).startswith(("http://", "https://")):
        csp = None  # an IRI is not a name: better no CSP than a web address as a title
    parts = [str(value) for value in (csp, row.get("year")) if value]
    identifier = f" ({row['id']})" if row.get("id") else ""
    if parts:
        return " ".join(parts) + identifier
    return str(row.get("id") or "review")


def review_short_label(row: Mapping[str, object]) -> str:
    """The fewest words that tell a review apart in a drawing: its CSP (name, never IRI) and
    year, else its title, else its identifier.

    >>> review_short_label({"csp": "Exampleton", "year": 2016, "id": "be687d6216b31eca"})
    'Exampleton 2016'
    >>> review_short_label({"csp": "https://w3id.org/dhrkg/id/csp/x", "id": "INC-0001"})
    'INC-0001'
    """
    csp = row.get("cspName") or row.get("csp")
    if csp and not str(csp).startswith(("http://", "https://")):
        return " ".join(str(value) for value in (csp, row.get("year")) if value)
    return str(row.get("title") or row.get("id") or "review")


_PIECES = re.compile(r"(\d+)")


def natural_key(number: object) -> tuple[tuple[int, int | str], ...]:
    """A sort key that orders printed recommendation numbers as people do: 2 before 10,
    7.2.1(a) before 7.2.1(b), numbers before words, and an absent number last.

    >>> sorted(["11", "2", "7.2.1(b)", "10", "7.2.1(a)", "R3"], key=natural_key)
    ['2', '7.2.1(a)', '7.2.1(b)', '10', '11', 'R3']
    """
    if number is None or number == "":
        return ((2, ""),)
    return tuple((0, int(piece)) if piece.isdigit() else (1, piece.lower())
                 for piece in _PIECES.split(str(number)) if piece)
