"""Generate SYNTHETIC full review reports as PDF (reportlab), in the layouts real reviews use.

For tests and benchmarks only: every report is invented and says so on its cover. Layouts:

- ``paragraphs``: numbered recommendations ("Recommendation 3:", "3.", "R3", "5.1",
  "7.2.1(a)") grouped under agency headings, items wrapping over lines;
- ``table``: a recommendations table (No | Recommendation | Lead agency | Target date) that
  continues over pages with its header repeated, agencies on separate lines in one cell;
- ``action-plan``: Recommendation | Scope | Action | Lead agency | Target date | Completion,
  several action rows under each recommendation.

Every page carries a running header ("OFFICIAL - SENSITIVE", the report title) and footer
("Page N of M"); narrative pages hold numbered paragraphs that contain "should" but are not
recommendations; a contents page lists the sections with dot leaders.

    python scripts/generate_reports.py --out /tmp/reports --reports 6 --pages 60
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=STYLES["BodyText"], fontSize=10, leading=13)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=9, leading=11)
HEADING = STYLES["Heading1"]
SUBHEADING = STYLES["Heading3"]

NARRATIVE = [
    "The panel considered the contact each agency had with the family during the period under review.",
    "Information about previous incidents was held by several agencies but was not brought together.",
    "The GP surgery saw the victim on a number of occasions for anxiety and low mood.",
    "Housing officers visited the property after a neighbour raised concerns about noise.",
    "The panel noted that the police attended three domestic incidents in the year before the death.",
]
ASKS = [
    "ensure that a risk assessment is completed at every domestic abuse incident",
    "review how information is shared with partner agencies at the MARAC",
    "ensure that staff receive training on coercive and controlling behaviour",
    "ask patients about domestic abuse when they present with anxiety or low mood",
    "follow up people who miss appointments and record the outcome",
    "review its safeguarding policy so that concerns from neighbours are acted upon",
    "make referrals to specialist domestic abuse services with the victim's consent",
    "ensure that case records show the decisions taken and why",
]


@dataclass(frozen=True)
class ExpectedRecommendation:
    number: str | None
    text: str
    addressed_to: tuple[str, ...]
    page: int


@dataclass
class Report:
    path: Path
    layout: str
    csp: str
    pseudonym: str
    expected: list[ExpectedRecommendation] = field(default_factory=list)


def header_footer(title: str):  # type: ignore[no-untyped-def]
    def draw(canvas, doc):  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, A4[1] - 1.2 * cm, "OFFICIAL - SENSITIVE")
        canvas.drawRightString(A4[0] - 2 * cm, A4[1] - 1.2 * cm, title)
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, f"Page {doc.page}")
        canvas.restoreState()
    return draw


def write_report(path: Path, *, layout: str, seed: int = 1, pages: int = 12, csp: str = "Sampletown",
                 pseudonym: str = "Adult A", agencies: tuple[str, ...] = ("Sampleshire Police", "Sampletown Council",
                                                                           "Sampletown GP Practices")) -> Report:
    """Write one synthetic report and return what a correct extractor should find in it."""
    rng = random.Random(seed)
    title = f"DHR {pseudonym} – SYNTHETIC"
    story: list = []  # type: ignore[type-arg]
    story += [Paragraph("SYNTHETIC REPORT FOR TESTING – NOT A REAL REVIEW", SUBHEADING),
              Paragraph(f"{csp} Community Safety Partnership", HEADING),
              Paragraph(f"Domestic Homicide Review into the death of {pseudonym}", HEADING),
              Paragraph(f"who died in June {2015 + seed % 5}", BODY),
              Paragraph(f"Report completed: March {2018 + seed % 5}", BODY), PageBreak()]
    story += [Paragraph("Contents", HEADING)]
    for number, name in enumerate(["Introduction", "Chronology", "Analysis", "Conclusions", "Recommendations"], 1):
        story.append(Paragraph(f"{number}. {name} {'.' * 60} {number * 3}", BODY))
    story.append(PageBreak())
    narrative_pages = max(1, pages - 4)
    for page in range(narrative_pages):
        story.append(Paragraph(f"{page + 1}. Analysis", HEADING) if page % 5 == 0 else Spacer(1, 6))
        for k in range(6):
            # Numbered paragraphs that say "should" but are findings, not recommendations.
            story.append(Paragraph(f"{page + 1}.{k + 1} {rng.choice(NARRATIVE)} The agency should have "
                                   f"recorded this. {rng.choice(NARRATIVE)} {rng.choice(NARRATIVE)}", BODY))
        story.append(PageBreak())
    story.append(Paragraph("Recommendations", HEADING))
    report = Report(path, layout, csp, pseudonym)
    doc = SimpleDocTemplate(str(path), pagesize=A4, title=title, topMargin=2 * cm, bottomMargin=2 * cm)
    items: list[tuple[str, str, tuple[str, ...]]] = []
    if layout == "paragraphs":
        numbering = ["Recommendation 1:", "2.", "R3", "5.1", "7.2.1(a)", "9.1", "9.10", "10.2a"]
        for index, label in enumerate(numbering):
            agency = agencies[index * len(agencies) // len(numbering)]
            if not items or items[-1][2] != (agency,):
                story.append(Paragraph(agency, SUBHEADING))
            text = f"{agency} should {rng.choice(ASKS)}, and report progress ({index + 1}) to the partnership within six months."
            number = label.removeprefix("Recommendation ").rstrip(":")
            story.append(Paragraph(f"{label} {text}", BODY))
            items.append((label, text, (agency,)))
            report.expected.append(ExpectedRecommendation(number, text, (agency,), -1))
    else:
        columns = (["No", "Recommendation", "Lead agency", "Target date"] if layout == "table" else
                   ["Recommendation", "Scope", "Action", "Lead agency", "Target date", "Completion"])
        rows = [[Paragraph(c, CELL) for c in columns]]
        for index in range(22):
            lead = (agencies[index % len(agencies)],) if index % 4 else (agencies[0], agencies[1])
            text = f"{rng.choice(ASKS).capitalize()} across {csp}, with update {index + 1} to the board."
            lead_cell = Paragraph("<br/>".join(lead), CELL)
            if layout == "table":
                rows.append([Paragraph(str(index + 1), CELL), Paragraph(text, CELL), lead_cell,
                             Paragraph("March 2022", CELL)])
            else:
                rows.append([Paragraph(f"{index + 1}. {text}", CELL), Paragraph("Local", CELL),
                             Paragraph("Agree a plan with partners.", CELL), lead_cell,
                             Paragraph("March 2022", CELL), Paragraph("Complete", CELL)])
                for extra in range(index % 3):  # actions under a recommendation are not recommendations
                    rows.append([Paragraph("", CELL), Paragraph("", CELL),
                                 Paragraph(f"Action {extra + 2}: brief staff and audit after three months.", CELL),
                                 Paragraph(lead[0], CELL), Paragraph("June 2022", CELL), Paragraph("Ongoing", CELL)])
            report.expected.append(ExpectedRecommendation(
                str(index + 1) if layout == "table" else f"{index + 1}.", text, lead, -1))
            items.append((f"row-{index}", text, lead))
        widths = [1.2 * cm, 8.5 * cm, 4 * cm, 2.5 * cm] if layout == "table" else \
            [6 * cm, 1.5 * cm, 3.5 * cm, 3 * cm, 1.5 * cm, 1.5 * cm]
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
    story += [PageBreak(), Paragraph("Appendix A: Terms of reference", HEADING),
              Paragraph("1. The review should consider the contact agencies had with the victim.", BODY)]
    draw = header_footer(title)
    doc.build(story, onFirstPage=draw, onLaterPages=draw)
    report.expected = [ExpectedRecommendation(e.number, e.text, e.addressed_to, _page_of(path, e.text))
                       for e in report.expected]
    return report


def _page_of(path: Path, text: str) -> int:
    """The page a (unique) text stands on, read back from the PDF (1-based)."""
    import pypdfium2

    start = " ".join(text.split())
    document = pypdfium2.PdfDocument(str(path))
    try:
        for index in range(len(document)):
            page_text = " ".join(document[index].get_textpage().get_text_range().split())
            if start in page_text:
                return index + 1
    finally:
        document.close()
    raise ValueError(f"{text[:40]!r} is not in {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--reports", type=int, default=6)
    parser.add_argument("--pages", type=int, default=60)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    layouts = ["paragraphs", "table", "action-plan"]
    for index in range(args.reports):
        layout = layouts[index % len(layouts)]
        write_report(args.out / f"synthetic-report-{index:03d}-{layout}.pdf", layout=layout, seed=index,
                     pages=args.pages + (index * 7) % 20)
    print(f"wrote {args.reports} synthetic report(s) to {args.out}")


if __name__ == "__main__":
    main()
