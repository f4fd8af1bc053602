"""Reading a curation file: every row checked against the store before anything is written.

A curation file is CSV with a header and one correction per row::

    target,field,action,value,curator,note
    recommendation/3f2a…-4-9c1d…,theme,add,T9.1,Analyst A,The victim was 81
    agency/exampleton/exampleton-university-hospitals,agency-type,add,A03,Analyst A,An acute trust
    Safe Exampleton,addressee,add,agency/exampleton/safe-exampleton-partnership,Analyst B,

``target`` is a recommendation (fields ``theme`` and ``agency``) or an organisation
(``agency-type``, ``same-as``), as an IRI or as pages and queries print it
(``recommendation/…``, ``agency/…``, ``dhr:AllAgencies``), or, for ``addressee``, the words
exactly as printed; ``value`` is a theme code (``T9.1``), an agency-type code (``A03``), or an
organisation (an IRI, or its exact name). An optional ``recorded_at`` column (ISO date and
time, as ``dhrkg curate --export`` writes it) dates a row; other rows are dated when imported,
in file order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from graph.ingestion.row_files import RowProblems, read_table
from graph.model.terms import AGENCY_TYPES, DHR, ID, THEMES
from graph.rdf.corrections import ACTIONS, FIELDS, Correction, parse_stamp, value_term
from graph.store.base import GraphStore
from graph.store.known_names import UnknownName, check_agency, closest
from graph.store.named_queries import internal_query
from graph.store.prefixes import expand_name

COLUMNS = ("target", "field", "action", "value", "curator", "note", "recorded_at")
REQUIRED = ("target", "field", "action", "value", "curator")
_COLLECTIVE = str(DHR.AllAgencies)


@dataclass(frozen=True)
class CorrectionRow:
    """One checked row: its line, and the correction it records (``at`` is None when the row
    gives no time: it is dated when imported)."""

    line: int
    target: str
    field: str
    action: str
    value: str
    curator: str
    note: str | None
    at: datetime | None

    def correction(self, at: datetime) -> Correction:
        return Correction(self.target, self.field, self.action, self.value, self.curator, self.at or at, self.note)


class CurationError(RowProblems):
    """A curation file with rows that cannot be recorded; nothing of it was written."""

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(source, problems, outcome="nothing recorded")


def read_rows(store: GraphStore, source: str, text: str) -> list[CorrectionRow]:
    """Every row of a curation file, checked against the store: the target and value exist,
    codes are codes, no two rows of the file contradict each other.

    :raises CurationError: listing each bad row by its line (the header is line 1).
    """
    problem, table = read_table(text, REQUIRED, COLUMNS)
    if problem:
        raise CurationError(source, [problem])
    checker = _Checker(store)
    rows: list[CorrectionRow] = []
    problems: list[str] = []
    for number, cells in table:
        errors: list[str] = []
        row = checker.row(number, cells, errors)
        if errors or row is None:
            problems.extend(f"line {number}: {error}" for error in errors)
        else:
            rows.append(row)
    problems.extend(_contradictions(rows))
    if problems:
        raise CurationError(source, problems)
    return rows


class _Checker:
    """Checks the cells of rows, remembering what the store said."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._asked: dict[tuple[str, str], bool] = {}
        self._names: dict[str, list[str]] | None = None

    def row(self, line: int, cells: dict[str, str], errors: list[str]) -> CorrectionRow | None:
        field, action = cells.get("field", "").lower(), cells.get("action", "").lower()
        if field not in FIELDS:
            errors.append(f"unknown field {cells.get('field', '')!r} (use one of {', '.join(FIELDS)})")
        if action not in ACTIONS:
            errors.append(f"unknown action {cells.get('action', '')!r} (use add or remove)")
        curator = cells.get("curator", "")
        if not curator:
            errors.append("no curator: say who made the correction")
        at = _time(cells.get("recorded_at", ""), errors)
        if field not in FIELDS:
            return None
        target = self.target(field, cells.get("target", ""), errors)
        value = self.value(field, cells.get("value", ""), errors)
        if target is not None and value is not None:
            _sense(field, target, value, errors)
        if errors or target is None or value is None:
            return None
        return CorrectionRow(line, target, field, action, value, curator, cells.get("note") or None, at)

    def target(self, field: str, text: str, errors: list[str]) -> str | None:
        if not text:
            errors.append("no target")
            return None
        if field == "addressee":
            if not self._ask("is-addressee-label", "label", text):
                errors.append(f"no addressee printed as {text!r} in this graph (the words must be exactly as printed)")
                return None
            return text
        if field in ("theme", "agency"):
            iri = _iri(text)
            if iri is None or not self._ask("is-recommendation", "recommendation", iri):
                errors.append(f"no recommendation {text} in this graph")
                return None
            return iri
        return self.organisation(text, errors)

    def value(self, field: str, text: str, errors: list[str]) -> str | None:
        if not text:
            errors.append("no value")
            return None
        if field == "theme":
            if text.upper() not in THEMES:
                errors.append(f"unknown theme code {text!r} (a code of the theme scheme, such as T9.1 or T4)")
                return None
            return text.upper()
        if field == "agency-type":
            if text.upper() not in AGENCY_TYPES:
                errors.append(f"unknown agency-type code {text!r} (A00 to A22)")
                return None
            return text.upper()
        return self.organisation(text, errors)

    def organisation(self, text: str, errors: list[str]) -> str | None:
        """An organisation given by IRI (full, ``agency/…``, ``dhr:AllAgencies``) or exact name."""
        iri = _iri(text)
        if iri is not None and self._ask("is-agency", "agency", iri):
            return iri
        by_name = self.names().get(text.lower(), [])
        if len(by_name) == 1:
            return by_name[0]
        if len(by_name) > 1:
            errors.append(f"{text!r} names {len(by_name)} organisations ({', '.join(sorted(by_name)[:4])}): "
                          "give the IRI")
            return None
        try:
            check_agency(self.store, iri or text)
        except UnknownName as err:
            named = closest(text, {name: name for name in self.names()})
            errors.append(err.message + (f"; by name: {', '.join(named)}" if named and iri is None else ""))
        return None

    def names(self) -> dict[str, list[str]]:
        """Organisations by lower-case name (each name may belong to several)."""
        if self._names is None:
            self._names = {}
            for row in self.store.query(internal_query("agency-names").text).to_dicts():
                self._names.setdefault(str(row["name"]).lower(), []).append(str(row["agency"]))
        return self._names

    def _ask(self, name: str, param: str, value: str) -> bool:
        if (name, value) not in self._asked:
            query = internal_query(name)
            self._asked[(name, value)] = bool(self.store.query(
                query.text, bindings=query.bindings({param: value})).boolean)
        return self._asked[(name, value)]


def _iri(text: str) -> str | None:
    """An IRI as written, or made whole from ``kind/id`` or ``prefix:name``; None for words."""
    if (expanded := expand_name(text)) is not None:
        return expanded
    if re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]+$", text, re.IGNORECASE):
        return text
    if re.match(r"^[\w.-]+(/[\w.-]+)+$", text):
        return str(ID[text])
    return None


def _time(text: str, errors: list[str]) -> datetime | None:
    if not text:
        return None
    try:
        return parse_stamp(text)
    except ValueError:
        errors.append(f"recorded_at {text!r} is not a date and time (YYYY-MM-DDTHH:MM:SSZ)")
        return None


def _sense(field: str, target: str, value: str, errors: list[str]) -> None:
    """What no correction can say: an organisation the same as itself, the collective
    'All agencies' merged or typed."""
    if field == "same-as" and target == value:
        errors.append("an organisation is always the same as itself: name two different ones")
    if field in ("same-as", "agency-type") and _COLLECTIVE in (target, value):
        errors.append("'All agencies' is a collective, not an organisation: it cannot be merged or typed")


def _contradictions(rows: list[CorrectionRow]) -> list[str]:
    """Rows of one file that say opposite things about the same thing at the same time."""
    said: dict[tuple[object, ...], CorrectionRow] = {}
    problems = []
    for row in rows:
        probe = row.correction(datetime.min)
        key = (*probe.key, row.at)
        earlier = said.get(key)
        if earlier is not None and (earlier.action, earlier.value) != (row.action, row.value):
            problems.append(f"line {row.line}: contradicts line {earlier.line} (same {row.field} of the same "
                            "target; give each a different recorded_at to say which came later)")
        said.setdefault(key, row)
    return problems


def value_iri(row: CorrectionRow) -> str:
    """The IRI a row's value stands for (a concept of a code, or the organisation)."""
    return value_term(row.correction(datetime.min))



