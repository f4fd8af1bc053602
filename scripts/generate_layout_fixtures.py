"""Generate the SYNTHETIC report PDFs of the layout fixtures, with the reading each should give.

Real reports are mostly Word documents exported to PDF, and their tables read worse than
those a PDF library draws: narrow columns wrap every cell, rows break over pages, the header
row repeats, a cell holds several agencies as separate paragraphs, and an action plan
merges the recommendation cell over its action rows. This script writes such documents
with python-docx, converts them once with LibreOffice, and writes beside each PDF the JSON
a correct reader gives, so the tests and CI need neither python-docx nor LibreOffice:

    pip install python-docx && apt-get install libreoffice-writer-nogui
    python scripts/generate_layout_fixtures.py tests/fixtures/layouts

Beside them, reports drawn with a PDF library (reportlab, by ``generate_reports.py``).

Every document is invented, in generic wording, and says so on its title page. The
``heldout`` set is never tuned on (see ``scripts/eval_reader.py``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

FINDINGS = [
    "The panel considered the contact each agency had with the family during the period under review.",
    "Information about earlier incidents was held by several agencies but was not brought together.",
    "The GP practice saw the victim on several occasions for anxiety and low mood.",
    "Housing officers visited the property after a neighbour raised concerns about noise.",
]


@dataclass
class Row:
    number: str | None
    text: str
    leads: list[str]
    target: str = "March 2025"
    actions: list[tuple[str, str, str, str]] = field(default_factory=list)  # action, lead, target, status
    status: str = "Complete"


@dataclass
class WordReport:
    name: str
    title_lines: list[str]
    expected_review: dict[str, Any]
    columns: list[str]
    widths_cm: list[float]
    rows: list[Row]
    narrative_pages: int = 3
    merged: bool = False  # recommendation cell merged over its action rows
    borders: bool = True  # False: a table drawn without rules, its columns only in where the text stands
    level_headings: list[tuple[str, int]] = field(default_factory=list)  # (heading, rows under it)
    expected_levels: list[str | None] = field(default_factory=list)


def _row_cells(report: WordReport, row: Row) -> list[list[str]]:
    """The table rows (cells as paragraphs) that one recommendation takes."""
    out: list[list[str]] = []
    lines: list[list[str]] = []
    for column in report.columns:
        name = column.lower()
        if name in ("ref", "no.", "no", "rec no."):
            lines.append([row.number or ""])
        elif name.startswith("recommendation"):
            lines.append([row.text])
        elif name in ("action", "actions"):
            lines.append([row.actions[0][0] if row.actions else "Agree a plan with partners."])
        elif "lead" in name or "agency" in name:
            lines.append(list(row.leads))
        elif "date" in name or "timescale" in name:
            lines.append([row.target])
        elif name == "status":
            lines.append([row.status])
        else:
            lines.append([""])
    out.append([*("\n".join(cell) for cell in lines)])
    for action, lead, target, status in row.actions[1:]:
        cells = []
        for column in report.columns:
            name = column.lower()
            cells.append({"action": action, "actions": action, "lead": lead, "lead agency": lead,
                          "target date": target, "status": status}.get(name, ""))
        out.append(cells)
    return out


def write_docx(report: WordReport, path: Path) -> None:
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Liberation Sans"
    style.font.size = Pt(10)
    section = document.sections[0]
    section.footer.paragraphs[0].text = "OFFICIAL - SENSITIVE"
    section.header.paragraphs[0].text = f"{report.title_lines[0]} - SYNTHETIC"
    document.add_paragraph("SYNTHETIC REPORT FOR TESTING - NOT A REAL REVIEW")
    for index, line in enumerate(report.title_lines):
        if index == 0:
            document.add_heading(line, level=0)
        else:
            document.add_paragraph(line)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for page in range(report.narrative_pages):
        document.add_heading(f"{page + 2}. Analysis", level=1)
        for k in range(7):
            document.add_paragraph(f"{page + 2}.{k + 1} {FINDINGS[(page + k) % 4]} The agency should have recorded "
                                   f"this. {FINDINGS[(page + 2 * k) % 4]} {FINDINGS[(k + 1) % 4]}")
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading(f"{report.narrative_pages + 2}. Recommendations", level=1)
    headings = list(report.level_headings) or [("", len(report.rows))]
    start = 0
    for heading, count in headings:
        if heading:
            document.add_heading(heading, level=2)
        rows = report.rows[start:start + count]
        start += count
        table_rows = [cells for row in rows for cells in _row_cells(report, row)]
        table = document.add_table(rows=1 + len(table_rows), cols=len(report.columns))
        if report.borders:
            table.style = "Table Grid"
        header = table.rows[0]
        marker = OxmlElement("w:tblHeader")
        marker.set(qn("w:val"), "true")
        header._tr.get_or_add_trPr().append(marker)
        for cell, name in zip(header.cells, report.columns):
            cell.paragraphs[0].add_run(name).bold = True
        for r, cells in enumerate(table_rows, start=1):
            for c, text in enumerate(cells):
                cell = table.rows[r].cells[c]
                parts = text.split("\n")
                cell.paragraphs[0].text = parts[0]
                for part in parts[1:]:
                    cell.add_paragraph(part)
        if report.merged:
            r = 1
            for row in rows:
                span = max(1, len(row.actions))
                for c, name in enumerate(report.columns):
                    if name.lower().startswith(("recommendation", "ref", "no")) and span > 1:
                        table.cell(r, c).merge(table.cell(r + span - 1, c))
                r += span
        for row in table.rows:
            for cell, width in zip(row.cells, report.widths_cm):
                cell.width = Cm(width)
        document.add_paragraph()
    document.add_heading("Appendix A: Terms of reference", level=1)
    document.add_paragraph("1. The review should consider the contact agencies had with the victim.")
    document.save(str(path))


def convert(docx_path: Path, out_dir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice is needed: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out_dir), str(docx_path)], check=True, capture_output=True, timeout=300)
    return out_dir / f"{docx_path.stem}.pdf"


def expected(report: WordReport) -> dict[str, Any]:
    levels = report.expected_levels or [None] * len(report.rows)
    return {
        "review": report.expected_review,
        "recommendations": [
            {"number": row.number, "text": row.text,
             "addressed_to": row.leads, "level": level}
            for row, level in zip(report.rows, levels)
        ],
    }


LEADS = ["Exampleshire Police", "Exampleton Borough Council", "Exampleton and District Clinical Commissioning Group",
         "Exampleton GP Practices", "Exampleshire Probation Delivery Unit", "Exampleton Domestic Abuse Service"]
ASKS = [
    "ensure that a risk assessment is completed at every domestic abuse incident and that supervisors check it",
    "review how information is shared with partner agencies at the MARAC, including with housing providers",
    "ensure that staff receive training on coercive and controlling behaviour and on economic abuse",
    "ask patients about domestic abuse when they present with anxiety or low mood, and record the answer",
    "follow up people who miss appointments and record the outcome of every attempt to contact them",
    "review its safeguarding policy so that concerns from neighbours and relatives are acted upon",
]
HELD_LEADS = ["Northvale Constabulary", "Northvale County Council Adult Social Care", "Northvale Integrated Care Board",
              "Northvale Healthcare NHS Foundation Trust", "Northvale Homes", "Northvale Women's Aid"]
HELD_ASKS = [
    "Introduce a routine question about domestic abuse at every housing needs assessment",
    "Make sure that officers record the voice of the child at every domestic incident they attend",
    "Review the pathway between substance misuse services and specialist domestic abuse support",
    "Provide training for reception staff on recognising signs of coercive control in people who attend",
    "Audit the use of the DASH risk checklist by frontline staff and report the findings to the board",
    "Develop guidance for practitioners on working with families where there is parental conflict",
]


def tuning_reports() -> list[WordReport]:
    ref = WordReport(
        name="word-ref-lead-target",
        title_lines=["Exampleton Community Safety Partnership", "Domestic Homicide Review",
                     "Overview Report into the death of Adult K", "Published: May 2024", "Year of death: 2021"],
        expected_review={"csp": "Exampleton", "published": "2024-05", "year_of_death": 2021, "pseudonym": "Adult K"},
        columns=["Ref", "Recommendation", "Lead agency", "Target date"], widths_cm=[1.2, 8.0, 3.0, 2.4],
        rows=[Row(str(i + 1), f"{ASKS[i % 6][0].upper()}{ASKS[i % 6][1:]} (item {i + 1}).",
                  [LEADS[i % 6]] if i % 3 else [LEADS[i % 6], LEADS[(i + 1) % 6]],
                  target=["March 2025", "December 2024", "Ongoing"][i % 3]) for i in range(14)],
    )
    plan = WordReport(
        name="word-action-plan",
        title_lines=["Sampleshire Community Safety Partnership", "Domestic Homicide Review into the death of Mr L",
                     "Action Plan", "Published: February 2023", "Year of death: 2020"],
        expected_review={"csp": "Sampleshire", "published": "2023-02", "year_of_death": 2020, "pseudonym": "Mr L"},
        columns=["Recommendation", "Action", "Lead", "Target date", "Status"], widths_cm=[5.0, 4.5, 2.6, 2.0, 1.9],
        rows=[Row(None, f"{ASKS[(i + 2) % 6][0].upper()}{ASKS[(i + 2) % 6][1:]} (item {i + 1}).",
                  [LEADS[(i + 1) % 6]],
                  actions=[(f"Action {k + 1} for item {i + 1}: brief staff and audit after three months.",
                            LEADS[(i + 1) % 6], ["June 2024", "Q3 2024"][k % 2], ["Complete", "In progress"][k % 2])
                           for k in range(1 + i % 3)]) for i in range(10)],
        merged=True,
    )
    levels = WordReport(
        name="word-levels",
        title_lines=["Dalebridge Community Safety Partnership", "Executive Summary",
                     "Domestic Homicide Review into the death of Adult M", "Published: July 2022",
                     "Year of death: 2019"],
        expected_review={"csp": "Dalebridge", "published": "2022-07", "year_of_death": 2019, "pseudonym": "Adult M"},
        columns=["No.", "Recommendation", "Lead agency", "Target date"], widths_cm=[1.2, 9.0, 3.2, 2.2],
        rows=[Row(str(i + 1), f"{ASKS[(i + 4) % 6][0].upper()}{ASKS[(i + 4) % 6][1:]} (item {i + 1}).",
                  [["All agencies", "Dalebridge Police", "Dalebridge Council", "Home Office"][min(i // 2, 3)]])
              for i in range(7)],
        level_headings=[("Overview report recommendations", 2), ("Single agency recommendations", 4),
                        ("National recommendations", 1)],
        expected_levels=["overview"] * 2 + ["single-agency"] * 4 + ["national"],
    )
    borderless = WordReport(
        name="word-borderless",
        title_lines=["Eastleigh Vale Community Safety Partnership", "Domestic Homicide Review",
                     "Overview Report into the death of Mrs R", "Published: 3 March 2022", "Year of death: 2018"],
        expected_review={"csp": "Eastleigh Vale", "published": "2022-03", "year_of_death": 2018, "pseudonym": "Mrs R"},
        columns=["Ref", "Recommendation", "Lead agency", "Target date"], widths_cm=[1.2, 8.4, 3.4, 2.6],
        rows=[Row(f"{i + 1}", f"{ASKS[(i + 1) % 6][0].upper()}{ASKS[(i + 1) % 6][1:]} (part {i + 1}).",
                  [LEADS[(i + 3) % 6]] if i % 3 else [LEADS[(i + 3) % 6], LEADS[(i + 4) % 6]],
                  target=["June 2023", "Ongoing", "December 2022"][i % 3]) for i in range(11)],
        borders=False,
    )
    return [ref, plan, levels, borderless]


def heldout_reports() -> list[WordReport]:
    timescale = WordReport(
        name="word-timescale",
        title_lines=["Northvale Community Safety Partnership", "Domestic Homicide Review",
                     "Report into the death of Adult N", "Published: January 2022", "Year of death: 2019"],
        expected_review={"csp": "Northvale", "published": "2022-01", "year_of_death": 2019, "pseudonym": "Adult N"},
        columns=["No.", "Recommendation", "Lead Agency", "Timescale"], widths_cm=[1.0, 7.5, 3.6, 2.5],
        rows=[Row(f"{i + 1}", f"{HELD_ASKS[i % 6]} (point {i + 1}).",
                  [HELD_LEADS[i % 6]] if i % 4 else [HELD_LEADS[i % 6], HELD_LEADS[(i + 2) % 6]],
                  target=["April 2023", "Six months", "September 2022"][i % 3]) for i in range(12)],
    )
    plan = WordReport(
        name="word-plan-status",
        title_lines=["Northvale Community Safety Partnership", "Domestic Homicide Review (Ms P)",
                     "Action Plan", "Published: October 2023", "Year of death: 2021"],
        expected_review={"csp": "Northvale", "published": "2023-10", "year_of_death": 2021, "pseudonym": "Ms P"},
        columns=["Recommendation", "Action", "Lead", "Target date", "Status"], widths_cm=[4.6, 4.6, 3.0, 2.2, 1.8],
        rows=[Row(None, f"{HELD_ASKS[(i + 3) % 6]} (point {i + 1}).", [HELD_LEADS[(i + 3) % 6]],
                  actions=[(f"Step {k + 1} for point {i + 1}: agree the approach with partners and report back.",
                            HELD_LEADS[(i + 3) % 6], ["January 2024", "March 2024"][k % 2],
                            ["Not started", "Complete"][k % 2]) for k in range(1 + (i + 1) % 3)])
              for i in range(9)],
        merged=False,
    )
    borderless = WordReport(
        name="word-borderless-numbered",
        title_lines=["Southmoor Community Safety Partnership", "Domestic Homicide Review Executive Summary",
                     "Into the death of Adult S", "Date of publication: August 2024", "Year of death: 2022"],
        expected_review={"csp": "Southmoor", "published": "2024-08", "year_of_death": 2022, "pseudonym": "Adult S"},
        columns=["No.", "Recommendation", "Lead", "Timescale"], widths_cm=[1.0, 8.8, 3.6, 2.2],
        rows=[Row(f"{i + 1}.", f"{HELD_ASKS[(i + 5) % 6]} (point {i + 1}).",
                  [HELD_LEADS[(i + 1) % 6]] if i % 2 else [HELD_LEADS[(i + 1) % 6], HELD_LEADS[(i + 4) % 6]],
                  target=["March 2025", "Twelve months", "July 2024"][i % 3]) for i in range(10)],
        borders=False,
    )
    return [timescale, plan, borderless]


def write_reportlab(folder: Path, name: str, *, layout: str, seed: int, csp: str, pseudonym: str,
                    agencies: tuple[str, ...]) -> None:
    """A report drawn with reportlab, and its expected reading (levels: agency headings → single-agency)."""
    from generate_reports import write_report

    report = write_report(folder / f"{name}.pdf", layout=layout, seed=seed, pages=6, csp=csp, pseudonym=pseudonym,
                          agencies=agencies)
    level = "single-agency" if layout == "paragraphs" else None
    document = {
        "review": {"csp": csp, "published": f"{2018 + seed % 5}-03", "year_of_death": 2015 + seed % 5,
                   "pseudonym": pseudonym},
        "recommendations": [{"number": e.number, "text": e.text, "addressed_to": list(e.addressed_to),
                             "level": level} for e in report.expected],
    }
    (folder / f"{name}.json").write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {folder / name}.pdf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="the folder holding tuning/ and heldout/")
    parser.add_argument("--only", nargs="*", help="write only the reports of these names")
    args = parser.parse_args()
    for folder, reports in (("tuning", tuning_reports()), ("heldout", heldout_reports())):
        reports = [r for r in reports if not args.only or r.name in args.only]
        target = args.out / folder
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as scratch:
            for report in reports:
                docx_path = Path(scratch) / f"{report.name}.docx"
                write_docx(report, docx_path)
                pdf = convert(docx_path, Path(scratch))
                shutil.copy(pdf, target / pdf.name)
                (target / f"{report.name}.json").write_text(
                    json.dumps(expected(report), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
                print(f"wrote {target / pdf.name}")
    if args.only:
        return
    write_reportlab(args.out / "tuning", "reportlab-paragraphs", layout="paragraphs", seed=2, csp="Sampletown",
                    pseudonym="Adult A", agencies=("Sampleshire Police", "Sampletown Council", "Sampletown GP Practices"))
    write_reportlab(args.out / "heldout", "reportlab-action-plan", layout="action-plan", seed=6, csp="Westford",
                    pseudonym="Adult Q", agencies=("Westford Police", "Westford City Council",
                                                   "Westford Mental Health NHS Trust"))


if __name__ == "__main__":
    main()
