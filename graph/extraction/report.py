"""The report reader: recommendations, their addressees and levels, from any document's layout.

Every format (text page, HTML page, PDF) is first reduced to a :class:`~graph.extraction.layout.Layout`;
this module reads it the same way whatever the format:

- the sections headed "Recommendations", "Action plan", "Overview report recommendations"…
  (contents pages skipped), each running to the next heading of its rank or a closing
  heading ("Conclusion", "Appendix", "Contact us"); when several state the recommendations,
  the fullest wins;
- inside a section: level headings ("Overview report recommendations", "Single agency
  recommendations", "National recommendations") set the ``level``; agency headings set the
  addressee of the items under them (which are then single-agency, unless a level heading
  says otherwise); numbered items ("Recommendation number 3", "Recommendation 3:", "3.",
  "R3", "5.1", "7.2.1(a)", an ``<ol>``), bullets, label lines ("Lead agency: …"), and lines
  continuing the item above;
- tables, by the role of each column (:mod:`graph.extraction.columns`): the addressee comes
  from the lead column only, action rows under a recommendation are kept with it (every
  cell, for action plans), a row broken over a page is joined again, and repeated header
  rows are skipped;
- each recommendation's plan rows (or "Lead agency: …" lines) become its actions
  (:mod:`graph.extraction.plans`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from graph.extraction.agency_names import AGENCY_END, AgencyNames, complete_name_then_name
from graph.extraction.columns import Columns, header_columns, role_of
from graph.extraction.layout import Block, Layout, Table
from graph.extraction.plans import cell_text, lead_names, read_plan
from graph.extraction.summary_page import normalise_space, split_addressees
from graph.model.records import RecommendationRecord, RowCell, SourceRow

_LEVEL_WORDS = (
    ("overview", re.compile(r"overview|multi[- ]?agency|panel|partnership[- ]wide|strategic|dhr recommendations|"
                            r"review recommendations|cross[- ]agency", re.IGNORECASE)),
    ("single-agency", re.compile(r"single[- ]agency|individual agency|agency[- ]specific|\bimr\b|"
                                 r"individual management review|internal", re.IGNORECASE)),
    ("national", re.compile(r"national|government|home office", re.IGNORECASE)),
)
_SECTION = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+|[A-Z]\.\s+)?(?:summary of\s+(?:the\s+)?|list of\s+|the\s+)?"
    r"(?:(?:overview(?: report)?|single[- ]agency|individual agency|multi[- ]?agency|national|panel|imr|"
    r"agency|review|dhr|local)\s+)?(?:recommendations?|action plan)"
    r"(?:\s+(?:and|&)\s+(?:action plan|learning|lessons learnt|lessons learned))?"
    r"(?:\s+(?:of|from|made by) the (?:review|panel|dhr))?\s*:?$", re.IGNORECASE)
_END = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:(?:appendix|appendices|annex|glossary|references|bibliography|"
    r"terms of reference|conclusions?|concluding|signed|acknowledg)"
    r"|(?:contact us|contact|related pages|related information|related links|useful links|further information|"
    r"more information|share this page|was this page helpful\??|downloads?|documents|help and support|"
    r"support services|getting help|get help|feedback|sources of support)\s*:?$)", re.IGNORECASE)
_TOC_LINE = re.compile(r"(?:\.{4,}|…{2,}|\s{3,})\s*\d+\s*$")
_ITEM = re.compile(
    r"^(?:(?:Recommendation|Rec\.?)\s+(?:number\s+|no\.?\s*)?(?P<labelled>[A-Za-z]?\d+(?:\.\d+)*[a-z]?"
    r"(?:\([a-z0-9]+\))?)\s*[:.)–-]?"
    r"|(?P<r>R\d+[a-z]?)[:.)]?"
    r"|(?P<plain>\d+(?:\.\d+)*[a-z]?(?:\([a-z0-9]+\))?[.)]?))(?:\s+(?P<text>\S.*))?$", re.IGNORECASE)
_HEADING_NOISE = re.compile(r"^(?:recommendations?\s+(?:for|to)\s+(?:the\s+)?)|(?:\s+recommendations?)$|:$",
                            re.IGNORECASE)
_LABEL = re.compile(
    r"^(?P<label>lead(?: agency| agencies| organisation| officer| partner)?|agency|agencies|addressed to|"
    r"responsible(?: agency| body| organisation| officer)?|owner|organisation|recipient|target date|"
    r"timescale|status|action|completed|date completed)\s*[:\-–]\s*(?P<value>\S.*)$", re.IGNORECASE)
_INTRO = re.compile(r"(?:following recommendations|recommendations? (?:are|is) (?:made|as follows)|"
                    r"makes? the following|recommends the following)\b|:$", re.IGNORECASE)
def level_of(heading: str) -> str | None:
    """The level a heading files its recommendations under, if it names one.

    >>> [level_of(h) for h in ["Overview Report Recommendations", "Single agency recommendations",
    ...                        "National recommendations", "Recommendations"]]
    ['overview', 'single-agency', 'national', None]
    """
    if "recommendation" not in heading.lower() and "action" not in heading.lower():
        return None
    return next((level for level, pattern in _LEVEL_WORDS if pattern.search(heading)), None)


def is_section_heading(text: str) -> bool:
    return bool(_SECTION.match(text.strip())) and not _TOC_LINE.search(text)


@dataclass
class Section:
    start: int  # index of the block after the heading
    end: int
    level: str | None
    page: int | None = None


def find_sections(blocks: Sequence[Block]) -> list[Section]:
    """Every section of recommendations; a level heading inside one does not start another."""
    sections: list[Section] = []
    index = 0
    first_page = min((b.page for b in blocks if b.page is not None), default=None)
    while index < len(blocks):
        block = blocks[index]
        if block.kind in ("heading", "line") and is_section_heading(block.text):
            end = _section_end(blocks, index)
            sections.append(Section(index + 1, end, level_of(block.text), block.page))
            index = max(end, index + 1)
            continue
        index += 1
    # In a report of several pages, a title page naming the document ("Action Plan") is not its
    # section when another section follows.
    later = [s for s in sections if s.page is None or s.page != first_page]
    several_pages = len({b.page for b in blocks}) > 2
    return later if later and first_page is not None and several_pages else sections


def _section_end(blocks: Sequence[Block], start: int) -> int:
    opening = blocks[start]
    for j in range(start + 1, len(blocks)):
        block = blocks[j]
        if block.kind not in ("heading", "line"):
            continue
        text = block.text
        if is_section_heading(text):
            if block.kind == opening.kind == "line" and level_of(text) is None and level_of(opening.text) is None:
                return j  # the recommendations stated again (an action plan after the list): a section of its own
            continue  # a level heading or a sub-heading inside the section
        if _END.match(text) and len(text.split()) <= 10:
            return j
        if block.kind == "heading" and opening.kind == "heading" and 0 < block.depth <= opening.depth:
            return j
        if block.kind == "heading" and opening.kind == "line" and not _ITEM.match(text) \
                and _agency_heading(text, _NO_NAMES) is None:
            return j  # "Recommendations" in bold text: the next heading that names no agency ends it
    return len(blocks)


_NO_NAMES = AgencyNames(frozenset())


@dataclass
class _State:
    names: AgencyNames
    level: str | None
    addressee: str | None = None
    current: RecommendationRecord | None = None
    columns: Columns | None = None
    found: list[RecommendationRecord] = field(default_factory=list)

    def start(self, number: str | None, text: str, page: int | None) -> None:
        level = self.level or ("single-agency" if self.addressee else None)
        self.current = RecommendationRecord(number=number, text=text,
                                            addressed_to=[self.addressee] if self.addressee else [],
                                            page=page, level=level)
        self.found.append(self.current)


def read_section(blocks: Sequence[Block], section: Section, names: AgencyNames) -> list[RecommendationRecord]:
    """The recommendations of one section, in order."""
    state = _State(names, section.level)
    for block in blocks[section.start:section.end]:
        if block.table is not None:
            _read_table(block.table, state)
            state.current = None
            continue
        _read_block(block, state)
    return [rec for rec in state.found if rec.text and not _INTRO.search(rec.text)]


def _read_block(block: Block, state: _State) -> None:
    text = normalise_space(block.text)
    if not text:
        return
    if block.kind == "item":
        inner = _ITEM.match(text)
        if inner and inner.group("text"):  # the item prints its own number ("3. …", "Recommendation 3: …")
            state.start(inner.group("labelled") or inner.group("r") or inner.group("plain"), inner.group("text"),
                        block.page)
        else:
            state.start(None if block.marker in (None, "•") else block.marker, text, block.page)
        return
    if (level := level_of(text)) is not None and is_section_heading(text):
        state.level, state.addressee, state.current = level, None, None
        return
    if match := _ITEM.match(text):
        number = match.group("labelled") or match.group("r") or match.group("plain")
        if match.group("text") or match.group("labelled") or block.kind == "heading":
            state.start(number, match.group("text") or "", block.page)
            return
    if (label := _LABEL.match(text)) and state.current is not None:
        role = role_of(label.group("label")) or "other"
        value = label.group("value")
        state.current.rows.append(SourceRow([RowCell(role, label.group("label"), value)], block.page))
        if role == "lead":
            state.current.addressed_to = split_addressees([value])
        return
    pending = state.current is not None and not state.current.text
    ends_sentence = state.current is None or pending or \
        state.current.text.rstrip().endswith((".", ":", ";", "?", "!"))
    if block.kind == "heading" or (ends_sentence and not pending and _heading_like(text)):
        heading = _agency_heading(text, state.names)
        if heading is not None or block.kind == "heading":
            state.addressee, state.current = heading, None
            return
    if state.current is not None and (block.kind == "line" or pending):
        state.current.text = normalise_space(f"{state.current.text} {text}")


def _heading_like(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 8 and not text.endswith((".", ",", ";")) and text[0].isupper() \
        and not _ITEM.match(text)


def _agency_heading(text: str, names: AgencyNames) -> str | None:
    """An agency heading's name ("Recommendations for Sampleshire Police" → the force), or None."""
    name = _HEADING_NOISE.sub("", text).strip()
    if not name or len(name.split()) > 10:
        return None
    last = re.sub(r"[^\w]", "", name.split()[-1])
    if names.known(name) or names.is_name(name) or (AGENCY_END.fullmatch(last) and name[0].isupper()):
        return name
    return None


# ------------------------------------------------------------------ tables


def _read_table(table: Table, state: _State) -> None:
    for row in table.rows:
        cells = [c or "" for c in row.cells]
        if (header := header_columns(cells)) is not None:
            state.columns = header
            continue
        columns = state.columns
        if columns is None or not any(c.strip() for c in cells):
            continue
        text_index = columns.index("recommendation")
        number_index = columns.index("number")
        if text_index is None or text_index >= len(cells):
            continue
        text = cell_text(cells[text_index])
        printed = normalise_space(cells[number_index]) if number_index is not None and number_index < len(cells) \
            else ""
        if number_index is None and (m := re.match(r"^(\d+(?:\.\d+)*[a-z]?[.)]?)\s+(\S.*)$", text)):
            printed, text = m.group(1), m.group(2)
        source = SourceRow([RowCell(role, header, cells[i] if i < len(cells) else "")
                            for i, (role, header) in enumerate(zip(columns.roles, columns.headers))], row.page)
        previous = state.found[-1] if state.found and state.found[-1].rows else None
        if not text:
            if previous is not None:
                _continue_row(previous, source, row.first_on_page and _looks_broken(source, previous.rows[-1]))
            continue
        if previous is not None and text == previous.text and printed in ("", previous.number):
            _continue_row(previous, source, False)  # a plan that prints its recommendation on every action row
            continue
        if previous is not None and row.first_on_page and not printed and (
                number_index is not None or not text[:1].isupper()
                or not previous.text.rstrip().endswith((".", "?", "!"))):
            previous.text = normalise_space(f"{previous.text} {text}")
            _continue_row(previous, source, True)
            continue
        level = state.level or ("single-agency" if state.addressee else None)
        addressees = _lead(source) if columns.index("lead") is not None else \
            ([state.addressee] if state.addressee else [])
        state.found.append(RecommendationRecord(number=printed or None, text=text, addressed_to=addressees,
                                                page=row.page, level=level, rows=[source]))


_CONTINUES = re.compile(r"^(?:[a-z]|[(,;:)\]–-](?!\s*[a-z0-9]{1,3}\)\s))")
"""A cell going on from the page before: in lower case, or after punctuation ("(step 4.2)."),
but not an item marker of its own ("(a) Review …")."""


def _looks_broken(row: SourceRow, above: SourceRow) -> bool:
    """Whether the first row on a page is the rest of the row above rather than a row of its own:
    a cell of it goes on in lower case or after a bracket or a comma, or it lacks every date and
    status the row above has (an action row of its own prints its own, even under a lead cell
    merged over the rows); in a table without dates or statuses, it lacks the lead or the number
    the row above has."""
    if any(_CONTINUES.match(cell.text) for cell in row.cells):
        return True
    filled = [cell for cell, before in zip(row.cells, above.cells) if before.text.strip()]
    fields = [cell for cell in filled if cell.role in ("target_date", "status", "completed")]
    if fields:
        return not any(cell.text.strip() for cell in fields)
    return any(cell.role in ("lead", "number") and not cell.text.strip() for cell in filled)


def _join(role: str, first: str, rest: str) -> str:
    """A cell's text before a page break and after it; a lead name broken over the pages is rejoined."""
    if not first.strip() or not rest.strip():
        return first if first.strip() else rest
    if role != "lead":
        return f"{first}\n{rest}"
    head, tail = first.split("\n"), rest.split("\n")
    if not complete_name_then_name(head[-1], tail[0]):
        return "\n".join([*head[:-1], f"{head[-1]} {tail[0]}", *tail[1:]])
    return f"{first}\n{rest}"


def _continue_row(rec: RecommendationRecord, source: SourceRow, broken: bool) -> None:
    """An action row under a recommendation, or the rest of a row broken over a page."""
    if broken and rec.rows:
        last = rec.rows[-1]
        merged = [RowCell(a.role, a.header, _join(a.role, a.text, b.text)) for a, b in zip(last.cells, source.cells)]
        rec.rows[-1] = SourceRow(merged, last.page)
        if len(rec.rows) == 1:
            rec.addressed_to = _lead(rec.rows[0])
        return
    rec.rows.append(source)


def _lead(row: SourceRow) -> list[str]:
    """The addressees in a lead cell: one per line; dates, statuses and headings are not addressees."""
    return lead_names(row.get("lead"))


# ------------------------------------------------------------------ the whole document


def read_recommendations(layout: Layout, names: AgencyNames) -> tuple[list[RecommendationRecord], int]:
    """The fullest statement of the recommendations, and how many sections were found."""
    sections = find_sections(layout.blocks)
    best: list[RecommendationRecord] = []
    for section in sections:
        found = read_section(layout.blocks, section, names)
        if len(found) > len(best):
            best = found
    if not best:  # an action plan or table of recommendations under a heading of its own
        state = _State(names, None)
        for block in layout.blocks:
            if block.table is not None:
                _read_table(block.table, state)
        best = state.found
    for rec in best:
        read_plan(rec)
    return best, len(sections)
