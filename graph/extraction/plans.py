"""Action plans: a recommendation's table rows (or "Lead agency: …" lines) → its actions.

The report reader keeps every row a recommendation was read from, each cell under the role of
its column (:mod:`graph.extraction.columns`). Here each row becomes one
:class:`~graph.model.records.ActionRecord`:

- ``text`` from the action column (``None`` when the plan has none: a row of only a
  recommendation, a lead and a date is still an action, without text);
- ``lead``: the bodies of the lead cell as printed, one per printed line, joined by ``"; "``;
  dates, statuses and column headings in that cell are not bodies. An action row whose lead
  cell is empty takes the lead of the row above within the same recommendation: a lead cell
  merged over the action rows (``rowspan``, a merged Word cell) prints once;
- ``target_date``/``target_text`` from the target column (:func:`plan_fields.target_date`;
  "Ongoing" keeps its text, gives no date); ``status`` from the status column, or from a
  "Completion" column that holds statuses; ``completed`` from a date in a completion column,
  or the date beside a completed status ("Complete – 12/05/2024");
- the page the row starts on.

A row only becomes an action in a plan: a table with an action, target, status or
completion column, or label lines ("Target date: …") under a numbered recommendation. A
table of only numbers, recommendations and leads gives addressees, no actions.

A recommendation whose only agency column is the lead column is addressed to every body that
leads an action of it, in the order they first appear (so a plan with one row per action and a
different lead on each addresses the recommendation to all of them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from graph.extraction.front_matter import parse_date as parse_month_date
from graph.extraction.plan_fields import is_date_text, parse_date, status_code, status_label, target_date
from graph.extraction.summary_page import normalise_space, split_addressees
from graph.model.records import ActionRecord, RecommendationRecord, SourceRow

PLAN_ROLES = frozenset({"action", "target_date", "status", "completed"})
"""Columns that make a table an action plan rather than a list of recommendations."""

_NOT_ADDRESSEE = re.compile(
    r"^(?:ongoing|complete[d]?|in progress|not started|n/?a|tbc|tbd|none|yes|no|immediate(?:ly)?|"
    r"on-?going|achieved|open|closed|q[1-4]\s*\d{4}|\d+\s+(?:weeks?|months?|years?)|"
    r"(?:six|three|twelve|nine|one|two)\s+(?:weeks?|months?|years?))$", re.IGNORECASE)
_HEADER_WORDS = frozenset({
    "lead", "agency", "agencies", "target", "date", "dates", "status", "timescale", "timescales", "action",
    "actions", "recommendation", "recommendations", "responsible", "owner", "officer", "organisation",
    "completion", "completed", "progress", "ref", "no", "no.", "rag", "by", "when", "deadline", "/", "&", "and"})


def lead_names(cell: str | None) -> list[str]:
    """The bodies a lead cell names, one per printed line; dates, statuses and column headings
    in the cell are not bodies.

    >>> lead_names("Exampleton Police\\nExampleton Council")
    ['Exampleton Police', 'Exampleton Council']
    >>> lead_names("March 2025\\nOngoing\\nLead agency Target date")
    []
    """
    lines = [normalise_space(line) for line in (cell or "").split("\n")]
    return split_addressees(line for line in lines if line and not _NOT_ADDRESSEE.match(line)
                            and parse_month_date(line) is None and not is_date_text(line)
                            and not _is_header_text(line))


def _is_header_text(line: str) -> bool:
    """Whether a line is made of column headings only ("Lead agency Target date")."""
    return all(word in _HEADER_WORDS for word in line.lower().split())


def cell_text(text: str) -> str:
    """A cell of running text on one line; a word broken after its hyphen ("seven-" / "minute")
    stays one word.

    >>> cell_text("Circulate a seven-\\nminute briefing")
    'Circulate a seven-minute briefing'
    """
    return normalise_space(re.sub(r"(?<=\w-)\n(?=[a-z])", "", text))


_BROKEN_NUMBER = re.compile(r"(\d[/.-]\d*)\n(\d+\b)(?![/.-]\d)")
"""A date a narrow column broke inside its numbers ("12/05/20" / "24"); "Q2" / "2024" is two words."""


def _cell(row: SourceRow, role: str, reads: Callable[[str], int] | None = None) -> str | None:
    """A cell's text on one line. In a date or status cell (``reads``: how much of a date or a
    status a text gives), a number a narrow column broke ("31/03/202" / "5") is rejoined, and so
    is a word ("Decembe" / "r 2024", "Complete" / "d") when the rejoined text reads more."""
    text = row.get(role)
    if not text or not text.strip():
        return None
    if reads is None:
        return cell_text(text)
    text = re.sub(r"([(\[])\n", r"\1", _BROKEN_NUMBER.sub(r"\1\2", text))
    spaced = normalise_space(text)
    glued = normalise_space(re.sub(r"(?<=[a-z])\n(?=[a-z])", "", text))
    return glued if reads(glued) > reads(spaced) else spaced


def _date_read(text: str) -> int:
    """How precise a date a text gives: 10 (a day), 7 (a month), 4 (a year) or 0."""
    return len(parse_date(text) or "")


def _status_read(text: str) -> int:
    """How long a status label a text names (0: none), so "Completed" beats "Complete"."""
    found = status_label(text)
    return len(found[0]) if found else 0


def action_of(row: SourceRow) -> ActionRecord:
    """One plan row as an action (its lead as printed, nothing inherited).

    >>> from graph.model.records import RowCell
    >>> row = SourceRow([RowCell("recommendation", "Recommendation", "Train staff."),
    ...                  RowCell("lead", "Lead", "Exampleton Police\\nExampleton Council"),
    ...                  RowCell("target_date", "Target date", "Q2 2024"),
    ...                  RowCell("status", "Status", "Complete – 12/05/2024")], page=7)
    >>> action = action_of(row)
    >>> action.lead, action.target_date, action.target_text, action.status, action.completed, action.page
    ('Exampleton Police; Exampleton Council', '2024-06', 'Q2 2024', 'completed', '2024-05-12', 7)
    """
    names = lead_names(row.get("lead"))
    target_text = _cell(row, "target_date", _date_read)
    target = target_date(target_text)
    status_text = _cell(row, "status", lambda text: _status_read(text) + _date_read(text))
    completed_text = _cell(row, "completed", lambda text: _status_read(text) + _date_read(text))
    status = status_code(status_text)
    if status is None and completed_text is not None and (status := status_code(completed_text)) is not None:
        status_text = completed_text  # a "Completion" column that holds statuses
    completed = None
    if completed_text is not None and (dated := parse_date(completed_text)) is not None:
        completed = dated
        status = status or "completed"
    elif status == "completed" and status_text is not None:
        completed = parse_date(status_text)
    return ActionRecord(
        text=_cell(row, "action"), lead="; ".join(names) or None,
        target_date=target.value if target else None, target_text=target_text,
        status=status, status_text=status_text if status else None, completed=completed, page=row.page)


def _is_table_row(row: SourceRow) -> bool:
    """A row of a table (it has the recommendation column), not a "Lead agency: …" line."""
    return any(cell.role == "recommendation" for cell in row.cells)


def _merge(into: ActionRecord, part: ActionRecord) -> bool:
    """Fill an action from a label line; False when the line's field is already filled (a new action)."""
    fields = ("text", "lead", "target_date", "target_text", "status", "status_text", "completed")
    given = [name for name in fields if getattr(part, name) is not None]
    if any(getattr(into, name) is not None for name in given if name not in ("target_date", "status_text")):
        return False
    for name in given:
        setattr(into, name, getattr(part, name))
    return True


def actions_of(rows: Sequence[SourceRow]) -> list[ActionRecord]:
    """A recommendation's plan rows as its actions, in order; rows outside a plan give none."""
    plan = any(cell.role in PLAN_ROLES for row in rows for cell in row.cells)
    if not plan:
        return []
    actions: list[ActionRecord] = []
    for row in rows:
        action = action_of(row)
        empty = not any((action.text, action.lead, action.target_text, action.status_text, action.completed))
        if empty:
            continue
        if not _is_table_row(row) and actions and _merge(actions[-1], action):
            continue
        if action.lead is None and actions and _is_table_row(row):
            action.lead = actions[-1].lead  # a lead cell merged over the action rows prints once
        actions.append(action)
    return actions


def read_plan(rec: RecommendationRecord) -> None:
    """Fill a recommendation's actions from its rows, and address it to the bodies that lead them
    when the plan's lead column is where its addressees come from."""
    rec.actions = actions_of(rec.rows)
    leads = [name for action in rec.actions for name in action.lead_labels()]
    if leads and any(cell.role == "lead" for row in rec.rows for cell in row.cells):
        rec.addressed_to = list(dict.fromkeys(leads))
