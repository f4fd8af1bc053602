"""DHR summary pages: the page's metadata and its table of extracted recommendations.

The same page comes as plain text (a Markdown-style ``| # | Recommendation |
Addressed to |`` table) or as saved HTML (a ``<table>`` with the same columns). Both
are turned into the same intermediate form (metadata text + table rows), which this
module reads into records. Realities handled here, all seen on real pages: numbers
that repeat or restart, numbers such as ``7.2.1(a)``, several addressees in one cell,
metadata on one line or several, pages cut off mid-row, declared counts that do not
match, and pages with no table at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from graph.errors import ExtractError
from graph.model.records import RecommendationRecord, ReviewFacts

# ------------------------------------------------------------------ the intermediate form


@dataclass
class TableRow:
    cells: list[str]
    truncated: bool = False
    line: int | None = None  # where the row starts, for messages


@dataclass
class PageParts:
    """A summary page reduced to what the reader needs, whatever its format."""

    text: str  # the page's text outside the table, one block per line
    header: list[str] | None
    rows: list[TableRow] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ small text helpers

_SPACE = re.compile(r"\s+")


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace (including non-breaking spaces) to one space."""
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


NUMBER = re.compile(
    r"""^(?:(?:R|Rec\.?|Recommendation)\s*)?   # R10, Rec 3, Recommendation 3
        \d+(?:\.\d+)*                         # 5, 5.1, 21.10.1
        [a-z]?                                # 10.2a
        (?:\s*\([a-z0-9]+\))?                 # 7.2.1(a)
        [.:)]?$                               # 3.  3:  3)
    """,
    re.IGNORECASE | re.VERBOSE,
)


def is_number(cell: str) -> bool:
    """Whether a cell reads as a recommendation number.

    >>> [is_number(n) for n in ["1", "9.10", "7.2.1(a)", "10.2a", "R10", "Summary"]]
    [True, True, True, True, True, False]
    """
    return bool(NUMBER.match(cell.strip()))


_ADDRESSEE_SEPARATORS = re.compile(r"\s+\|\s+|\n|;")


def split_addressees(cells: Iterable[str]) -> list[str]:
    """Addressee cells split into one string per body, as printed.

    Bodies are separated by `` | `` (spaces around the bar), line breaks or semicolons;
    a bar inside a name (no spaces) stays.

    >>> split_addressees(["NCC Public Health | CCG commissioner"])
    ['NCC Public Health', 'CCG commissioner']
    >>> split_addressees(["Police|Crime Commissioner"])
    ['Police|Crime Commissioner']
    """
    out: list[str] = []
    for cell in cells:
        for part in _ADDRESSEE_SEPARATORS.split(cell):
            part = normalise_space(part)
            if part:
                out.append(part)
    return out


# ------------------------------------------------------------------ metadata

_KEYS = ("CSP", "Published", "Year of death", "Extracted", "Pseudonym")
_KEY_ALT = "|".join(re.escape(k) for k in _KEYS)


def _field(text: str, key: str) -> str | None:
    """The value after ``Key:``, up to the next known key or the end of the line."""
    # The value may follow on the next line ("CSP:\nNorthampton"), so the space after
    # the colon may hold a newline; the value then ends at the next key or line end.
    pattern = rf"(?im)(?:^|\s){re.escape(key)}\s*:\s*(.*?)\s*(?=(?:(?:^|\s)(?:{_KEY_ALT})\s*:)|$)"
    match = re.search(pattern, text)
    if match is None:
        return None
    value = normalise_space(match.group(1))
    return value or None


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


def parse_month(value: str) -> str | None:
    """A printed date as ``YYYY-MM`` or ``YYYY``; ``None`` if it is not a date.

    >>> [parse_month(v) for v in ["July 2023", "Sept. 2019", "2023-07", "07/2023", "2020", "soon"]]
    ['2023-07', '2019-09', '2023-07', '2023-07', '2020', None]
    """
    v = value.strip().lower().replace(",", " ")
    if m := re.fullmatch(r"([a-z]+)\.?\s+((?:19|20)\d\d)", v):
        month = _MONTHS.get(m.group(1))
        return f"{m.group(2)}-{month:02d}" if month else None
    if m := re.fullmatch(r"((?:19|20)\d\d)-(\d{1,2})", v):
        month_number = int(m.group(2))
        return f"{m.group(1)}-{month_number:02d}" if 1 <= month_number <= 12 else None
    if m := re.fullmatch(r"(\d{1,2})/((?:19|20)\d\d)", v):
        month_number = int(m.group(1))
        return f"{m.group(2)}-{month_number:02d}" if 1 <= month_number <= 12 else None
    if re.fullmatch(r"(?:19|20)\d\d", v):
        return v
    return None


def _summary(lines: Sequence[str]) -> str | None:
    """The paragraph(s) under a line reading "Summary", up to the recommendations."""
    for i, line in enumerate(lines):
        if line.strip().lower() == "summary":
            body: list[str] = []
            for following in lines[i + 1:]:
                stripped = following.strip()
                if stripped.lower().startswith(("extracted recommendations", "recommendations")) \
                        or stripped.startswith("|"):
                    break
                body.append(stripped)
            return normalise_space(" ".join(body)) or None
    return None


def _title(lines: Sequence[str]) -> str | None:
    for i, line in enumerate(lines[:-1]):
        if "domestic homicide review" in line.lower() and line.lower().startswith("source"):
            candidate = normalise_space(lines[i + 1])
            if candidate and ":" not in candidate:
                return candidate
    return None


def read_metadata(text: str, warnings: list[str]) -> tuple[ReviewFacts, bool]:
    """The review facts printed on the page, and whether any metadata key was seen."""
    lines = text.splitlines()
    facts = ReviewFacts(summary=_summary(lines), title=_title(lines))
    seen = False
    if (csp := _field(text, "CSP")) is not None:
        facts.csp, seen = csp, True
    if (published := _field(text, "Published")) is not None:
        seen = True
        facts.published = parse_month(published)
        if facts.published is None:
            warnings.append(f"'Published: {published}' is not a month or year; left empty")
    if (year := _field(text, "Year of death")) is not None:
        seen = True
        if re.fullmatch(r"(?:19|20)\d\d", year):
            facts.year_of_death = int(year)
        elif year.lower() not in ("unknown", "not known", "n/a"):
            warnings.append(f"'Year of death: {year}' is not a year; left empty")
    if (declared := _field(text, "Extracted")) is not None:
        seen = True
        if m := re.match(r"(\d+)\s*rec", declared, re.IGNORECASE):
            facts.declared_recommendations = int(m.group(1))
        else:
            warnings.append(f"'Extracted: {declared}' does not give a count; left empty")
    if (pseudonym := _field(text, "Pseudonym")) is not None:
        facts.pseudonym, seen = pseudonym, True
    return facts, seen


# ------------------------------------------------------------------ the table


@dataclass(frozen=True)
class Columns:
    number: int | None
    text: int
    addressees: int | None


def _columns(header: list[str] | None, first_row: list[str] | None) -> Columns:
    if header:
        names = [normalise_space(h).lower() for h in header]
        number = next(
            (i for i, h in enumerate(names)
             if re.fullmatch(r"#|no\.?|num(ber)?|ref\.?|rec(ommendation)?\s*(no\.?|number|#)", h)),
            None,
        )
        text = next(
            (i for i, h in enumerate(names) if "recommendation" in h and i != number), None
        )
        addressees = next(
            (i for i, h in enumerate(names)
             if re.search(r"address|agenc|lead|recipient|owner|organisation|responsib", h)
             and i not in (number, text)),
            None,
        )
        if text is not None:
            return Columns(number, text, addressees)
    if first_row and is_number(first_row[0]):
        return Columns(0, 1, 2)
    return Columns(None, 0, 1)


def _looks_like_sentence(cell: str) -> bool:
    words = cell.split()
    return len(words) > 10 or (bool(cell) and cell[0].islower())


def read_table(header: list[str] | None, rows: list[TableRow],
               warnings: list[str]) -> list[RecommendationRecord]:
    """Table rows as recommendations, in page order; header and caption rows skipped."""
    columns = _columns(header, rows[0].cells if rows else None)
    width = len(header) if header else None
    recommendations: list[RecommendationRecord] = []
    for row in rows:
        cells = [c.strip() for c in row.cells]
        if not any(cells):
            continue
        # A recommendation's own text may hold " | ": when a row has more cells than
        # the header and the cell after the text reads as a sentence, it belongs to the text.
        if width is not None and columns.addressees is not None:
            while len(cells) > max(width, columns.text + 1) and _looks_like_sentence(cells[columns.text + 1]):
                cells[columns.text] += " | " + cells.pop(columns.text + 1)
        number = cells[columns.number] if columns.number is not None and columns.number < len(cells) else ""
        text = cells[columns.text] if columns.text < len(cells) else ""
        if not text:
            if number and not is_number(number):
                continue  # a caption row spanning the table ("Recommendations extracted from…")
            where = f" (line {row.line})" if row.line else ""
            warnings.append(f"table row{where} has no recommendation text; skipped")
            continue
        addressee_cells = cells[columns.addressees:] if columns.addressees is not None else []
        recommendations.append(
            RecommendationRecord(
                number=normalise_space(number) or None,
                text=normalise_space(text),
                addressed_to=split_addressees(addressee_cells),
                truncated=row.truncated,
            )
        )
    return recommendations


# ------------------------------------------------------------------ plain-text pages

_CELL_BAR = re.compile(r"(?:(?<=\s)|^)\|(?=\s|$)")


def _split_row(line: str, *, closed: bool) -> list[str]:
    inner = line.strip()[1:]
    if closed and inner.endswith("|"):
        inner = inner[:-1]
    return [cell.strip() for cell in _CELL_BAR.split(inner)]


def _is_separator(cells: list[str]) -> bool:
    return all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c) and any(cells)


def page_parts_from_text(text: str) -> PageParts:
    """Split a plain-text page into its text and its ``|``-table."""
    lines = text.splitlines()
    outside: list[str] = []
    header: list[str] | None = None
    rows: list[TableRow] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if "\t" in line and (header is not None or "recommendation" in line.lower()):
            # A table copied from a browser: cells separated by tabs.
            cells = [normalise_space(c) for c in line.split("\t")]
            if header is None and not rows and not is_number(cells[0]):
                header = cells
            else:
                rows.append(TableRow(cells=cells, line=i + 1))
            i += 1
            continue
        if not line.startswith("|"):
            outside.append(lines[i])
            i += 1
            continue
        start = i
        # A row may wrap over several lines; it ends at a line closing with "|".
        joined = line
        while not joined.endswith("|") and i + 1 < len(lines) and not lines[i + 1].strip().startswith("|"):
            i += 1
            joined += " " + lines[i].strip()
        closed = joined.endswith("|") and len(joined) > 1
        cells = _split_row(joined, closed=closed)
        i += 1
        if _is_separator(cells):
            continue
        if header is None and not rows and any("recommendation" in c.lower() for c in cells) \
                and not any(is_number(c) for c in cells[:1]):
            header = cells
            continue
        rows.append(TableRow(cells=cells, truncated=not closed, line=start + 1))
    links = re.findall(r"https?://[^\s<>\"')\]]+", text)
    return PageParts(text="\n".join(outside), header=header, rows=rows, links=links)


# ------------------------------------------------------------------ both formats


def read_page(parts: PageParts, path: str, warnings: list[str]) -> tuple[ReviewFacts, list[RecommendationRecord]]:
    """Review facts and recommendations of a page, with warnings for what does not add up."""
    facts, has_metadata = read_metadata(parts.text, warnings)
    if not has_metadata and not parts.rows:
        raise ExtractError(
            path, "not a DHR summary page: no 'CSP:'/'Published:' metadata and no recommendations table"
        )
    recommendations = read_table(parts.header, parts.rows, warnings)
    for rec in recommendations:
        if rec.truncated:
            label = f"recommendation {rec.number}" if rec.number else "the last recommendation"
            warnings.append(f"page is cut off inside {label}; its text is partial and kept as printed")
    if not parts.rows and parts.header is None:
        if facts.declared_recommendations != 0:
            warnings.append("no recommendations table on the page")
    declared = facts.declared_recommendations
    if declared is not None and declared != len(recommendations):
        relation = "more" if declared > len(recommendations) else "fewer"
        warnings.append(
            f"page declares {declared} recommendations but holds {len(recommendations)} "
            f"({relation} declared than present)"
        )
    return facts, recommendations
