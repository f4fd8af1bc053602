"""Render the SYNTHETIC action plans of ``plan_fixtures.py`` as reports, with the reading each should give.

    pip install python-docx reportlab && apt-get install libreoffice-writer-nogui
    python scripts/generate_plan_fixtures.py tests/fixtures/plans

Three renderings, the layouts action plans reach users in:

- ``word``: python-docx, converted once by LibreOffice, the way most reports are published:
  narrow columns wrap every cell, rows break over pages (Word's default), the header row
  repeats on each page, the recommendation cell is merged over its action rows, a lead cell
  holds several agencies as separate paragraphs;
- ``reportlab``: a table drawn by a PDF library, its header repeated and rows split inside
  (``splitInRow``), merged cells as spans;
- ``html``: a page with a table, merged cells as ``rowspan``, agencies split by ``<br>``.

Beside each file, ``NAME.json``: the expected reading, from the plan's own values (written by
hand in ``plan_fixtures.py``) and, for PDFs, the page each action row starts on, found by
its first words in each page's text (pypdfium2). The committed files are what CI reads; CI
needs neither python-docx nor LibreOffice.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_layout_fixtures import FINDINGS, convert  # noqa: E402
from generate_reports import header_footer  # noqa: E402
from plan_fixtures import Act, Plan, Rec, heldout_plans, tuning_plans  # noqa: E402

TITLE = "Domestic Homicide Review"
FILLER = "Audit report to the partnership board"


def front_lines(plan: Plan) -> list[str]:
    return [f"{plan.csp} Community Safety Partnership", f"{TITLE} into the death of {plan.pseudonym}",
            "Action Plan", f"Published: {plan.published[0]}", f"Year of death: {plan.year_of_death}"]


def cells(plan: Plan, rec: Rec, k: int, act: Act) -> list[str]:
    """The printed cells of one action row (lines of a cell split by ``\\n``)."""
    roles = [role for _, role in plan.columns]
    out = []
    for role in roles:
        if role == "number":
            out.append(rec.number or "" if k == 0 else "")
        elif role == "recommendation":
            prefix = f"{rec.number}. " if plan.number_in_text and rec.number else ""
            out.append(prefix + rec.text if k == 0 else "")
        elif role == "action":
            out.append(act.text or "")
        elif role == "lead":
            out.append("\n".join(act.leads) if k == 0 or not plan.lead_once else "")
        elif role == "target_date":
            out.append(act.target.printed if act.target else "")
        elif role == "status":
            out.append(act.status.printed if act.status else "")
        elif role == "completed":
            if act.completed is not None or "status" in roles:
                out.append(act.completed.printed if act.completed else "")
            else:  # a "Completion" column holding statuses
                out.append(act.status.printed if act.status else "")
        else:
            out.append(FILLER)
    return out


def merged_columns(plan: Plan) -> list[int]:
    """The columns whose cell spans a recommendation's action rows."""
    merged = {"number", "recommendation"} if plan.merged else set()
    if plan.lead_once:
        merged.add("lead")
    return [i for i, (_, role) in enumerate(plan.columns) if role in merged]


def markers(plan: Plan) -> list[str]:
    """The first words printed in each action row, in row order, to find the page it starts on."""
    found = []
    for rec in plan.recs:
        for k, act in enumerate(rec.actions):
            row = cells(plan, rec, k, act)
            roles = [role for _, role in plan.columns]
            text = next(row[roles.index(role)] for role in ("recommendation", "action", "lead", "target_date")
                        if role in roles and row[roles.index(role)])
            found.append(" ".join(text.split()[:3]))
    return found


def pages_of(pdf: Path, wanted: list[str]) -> list[int | None]:
    """The page each marker first appears on, searching on from the one before (1-based)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        texts = [" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document))]
    finally:
        document.close()
    page, offset, out = 0, 0, []
    for marker in wanted:
        for words in (marker.split(), marker.split()[:2]):
            pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
            hit = None
            for index in range(page, len(texts)):
                if match := pattern.search(texts[index], offset if index == page else 0):
                    hit = (index, match.end())
                    break
            if hit is not None:
                break
        if hit is None:
            raise ValueError(f"{marker!r} is not in {pdf}")
        page, offset = hit
        out.append(page + 1)
    return out


# ------------------------------------------------------------------ Word (python-docx → LibreOffice)


def write_docx(plan: Plan, path: Path) -> None:
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    document.styles["Normal"].font.name = "Liberation Sans"
    document.styles["Normal"].font.size = Pt(10)
    section = document.sections[0]
    section.footer.paragraphs[0].text = "OFFICIAL - SENSITIVE"
    section.header.paragraphs[0].text = f"{TITLE} - {plan.pseudonym} - SYNTHETIC"
    document.add_paragraph("SYNTHETIC REPORT FOR TESTING - NOT A REAL REVIEW")
    lines = front_lines(plan)
    document.add_heading(lines[0], level=0)
    for line in lines[1:]:
        document.add_paragraph(line)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for page in range(plan.narrative_pages):
        document.add_heading(f"{page + 2}. Analysis", level=1)
        for k in range(6):
            document.add_paragraph(f"{page + 2}.{k + 1} {FINDINGS[(page + k) % 4]} {FINDINGS[(k + 1) % 4]}")
    document.add_heading(f"{plan.narrative_pages + 2}. Action plan", level=1)
    rows = [(rec, k, cells(plan, rec, k, act)) for rec in plan.recs for k, act in enumerate(rec.actions)]
    table = document.add_table(rows=1 + len(rows), cols=len(plan.columns))
    if plan.borders:
        table.style = "Table Grid"
    header = table.rows[0]
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(marker)
    for cell, (name, _) in zip(header.cells, plan.columns):
        cell.paragraphs[0].add_run(name).bold = True
    spans = merged_columns(plan)
    first = 1
    for rec in plan.recs:  # merge first, then write, so a merged cell holds its text once
        last = first + len(rec.actions) - 1
        for column in spans:
            if last > first:
                table.cell(first, column).merge(table.cell(last, column))
        first = last + 1
    for r, (rec, k, texts) in enumerate(rows, start=1):
        for c, text in enumerate(texts):
            if c in spans and k > 0:
                continue
            cell = table.cell(r, c)
            parts = text.split("\n")
            cell.paragraphs[0].text = parts[0]
            for part in parts[1:]:
                cell.add_paragraph(part)
    table.autofit = False
    for column, width in zip(table.columns, plan.widths_cm):  # LibreOffice reads the grid, Word the cells
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, plan.widths_cm):
            cell.width = Cm(width)
    document.add_heading("Appendix A: Terms of reference", level=1)
    document.add_paragraph("1. The review should consider the contact agencies had with the victim.")
    document.save(str(path))


# ------------------------------------------------------------------ reportlab


def write_reportlab(plan: Plan, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=10, leading=13)
    cell_style = ParagraphStyle("cell", parent=body, fontSize=9, leading=11)
    title = f"{TITLE} {plan.pseudonym} - SYNTHETIC"

    draw = header_footer(title)

    def para(text: str) -> Paragraph:
        return Paragraph("<br/>".join(html.escape(line) for line in text.split("\n")), cell_style)

    lines = front_lines(plan)
    story = [Paragraph("SYNTHETIC REPORT FOR TESTING - NOT A REAL REVIEW", styles["Heading3"]),
             Paragraph(lines[0], styles["Heading1"]), *[Paragraph(line, body) for line in lines[1:]], PageBreak()]
    for page in range(plan.narrative_pages):
        story.append(Paragraph(f"{page + 2}. Analysis", styles["Heading1"]))
        for k in range(5):
            story.append(Paragraph(f"{page + 2}.{k + 1} {FINDINGS[(page + k) % 4]} {FINDINGS[(k + 1) % 4]}", body))
    story.append(Paragraph(f"{plan.narrative_pages + 2}. Action plan", styles["Heading1"]))
    rows = [[para(name) for name, _ in plan.columns]]
    spans = merged_columns(plan)
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
             ("VALIGN", (0, 0), (-1, -1), "TOP")]
    for rec in plan.recs:
        start = len(rows)
        for k, act in enumerate(rec.actions):
            rows.append([para(text) for text in cells(plan, rec, k, act)])
        if len(rec.actions) > 1:
            style += [("SPAN", (c, start), (c, len(rows) - 1)) for c in spans]
    table = Table(rows, colWidths=[w * cm for w in plan.widths_cm], repeatRows=1, splitByRow=0, splitInRow=1)
    table.setStyle(TableStyle(style))
    story += [table, PageBreak(), Paragraph("Appendix A: Terms of reference", styles["Heading1"]),
              Paragraph("1. The review should consider the contact agencies had with the victim.", body)]
    SimpleDocTemplate(str(path), pagesize=A4, title=title, topMargin=2 * cm, bottomMargin=2 * cm).build(
        story, onFirstPage=draw, onLaterPages=draw)


# ------------------------------------------------------------------ HTML


def write_html(plan: Plan, path: Path) -> None:
    e = html.escape
    lines = front_lines(plan)
    out = ["<!doctype html><html><head><meta charset='utf-8'>",
           f"<title>{e(lines[1])} - SYNTHETIC</title></head><body>",
           "<p>SYNTHETIC PAGE FOR TESTING - NOT A REAL REVIEW</p>", f"<h1>{e(lines[1])}</h1>",
           *[f"<p>{e(line)}</p>" for line in (lines[0], *lines[3:])],
           "<h2>Action plan</h2>", "<table>",
           "<thead><tr>" + "".join(f"<th>{e(name)}</th>" for name, _ in plan.columns) + "</tr></thead><tbody>"]
    spans = merged_columns(plan)
    for rec in plan.recs:
        for k, act in enumerate(rec.actions):
            row = []
            for c, text in enumerate(cells(plan, rec, k, act)):
                if c in spans and k > 0:
                    continue
                span = f" rowspan='{len(rec.actions)}'" if c in spans and len(rec.actions) > 1 else ""
                row.append(f"<td{span}>" + "<br>".join(e(line) for line in text.split("\n")) + "</td>")
            out.append("<tr>" + "".join(row) + "</tr>")
    out += ["</tbody></table>", "<h2>Contact us</h2><p>Exampleton community safety team.</p></body></html>"]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def render(plan: Plan, folder: Path) -> Path:
    """Write one plan's file and its expected JSON into a folder."""
    if plan.kind == "html":
        target = folder / f"{plan.name}.html"
        write_html(plan, target)
        pages: list[int | None] = [None] * sum(len(rec.actions) for rec in plan.recs)
    else:
        target = folder / f"{plan.name}.pdf"
        if plan.kind == "reportlab":
            write_reportlab(plan, target)
        else:
            with tempfile.TemporaryDirectory() as scratch:
                source = Path(scratch) / f"{plan.name}.docx"
                write_docx(plan, source)
                shutil.copy(convert(source, Path(scratch)), target)
        pages = list(pages_of(target, markers(plan)))
    target.with_suffix(".json").write_text(json.dumps(plan.expected(pages), ensure_ascii=False, indent=1) + "\n",
                                           encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="the folder holding tuning/ and heldout/")
    parser.add_argument("--only", nargs="*", help="write only the plans of these names")
    args = parser.parse_args()
    for name, plans in (("tuning", tuning_plans()), ("heldout", heldout_plans())):
        folder = args.out / name
        folder.mkdir(parents=True, exist_ok=True)
        for plan in plans:
            if not args.only or plan.name in args.only:
                print(f"wrote {render(plan, folder)}")


if __name__ == "__main__":
    main()
