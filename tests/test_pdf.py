"""Full review reports as PDF: each layout, page numbers, headers and footers, and bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import ExtractError, Store, extract, ingest
from scripts.generate_reports import ExpectedRecommendation, Report, write_report

reportlab = pytest.importorskip("reportlab")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Report]:
    folder = tmp_path_factory.mktemp("reports")
    return {layout: write_report(folder / f"{layout}.pdf", layout=layout, pages=14, seed=3)
            for layout in ("paragraphs", "table", "action-plan")}


def found(path: Path) -> list[ExpectedRecommendation]:
    return [ExpectedRecommendation(r.number, r.text, tuple(r.addressed_to), r.page or -1)
            for r in extract(path).recommendations]


@pytest.mark.parametrize("layout", ["paragraphs", "table", "action-plan"])
def test_each_layout_gives_the_exact_recommendations_addressees_numbers_and_pages(
        reports: dict[str, Report], layout: str) -> None:
    report = reports[layout]
    assert found(report.path) == report.expected


def test_numbered_paragraphs_keep_numbers_as_printed_under_agency_headings(reports: dict[str, Report]) -> None:
    recs = extract(reports["paragraphs"].path).recommendations
    assert [r.number for r in recs] == ["1", "2.", "R3", "5.1", "7.2.1(a)", "9.1", "9.10", "10.2a"]
    assert recs[0].addressed_to == ["Sampleshire Police"] and recs[-1].addressed_to == ["Sampletown GP Practices"]


def test_tables_over_pages_and_agencies_on_separate_lines(reports: dict[str, Report]) -> None:
    recs = extract(reports["table"].path).recommendations
    assert len({r.page for r in recs}) >= 2  # the table continues over pages, its header repeated
    assert recs[0].addressed_to == ["Sampleshire Police", "Sampletown Council"]
    assert not any(r.text.startswith(("No ", "Recommendation")) for r in recs)


def test_action_rows_are_not_recommendations(reports: dict[str, Report]) -> None:
    recs = extract(reports["action-plan"].path).recommendations
    assert len(recs) == 22
    assert not any("Action 2" in r.text or "brief staff and audit" in r.text for r in recs)


def test_headers_footers_contents_and_findings_are_skipped(reports: dict[str, Report]) -> None:
    for report in reports.values():
        texts = " ".join(r.text for r in extract(report.path).recommendations)
        assert "OFFICIAL" not in texts and "Page " not in texts and "SYNTHETIC" not in texts
        assert "The agency should have recorded this" not in texts  # a finding, not a recommendation


def test_metadata_from_the_first_pages(reports: dict[str, Report]) -> None:
    result = extract(reports["table"].path)
    assert (result.review.csp, result.review.pseudonym, result.review.year_of_death,
            result.review.published) == ("Sampletown", "Adult A", 2018, "2021-03")
    assert result.source.format == "pdf" and result.warnings == []


def test_json_contract_for_a_pdf(reports: dict[str, Report]) -> None:
    document = extract(reports["paragraphs"].path).to_json()
    assert document["recommendations"][0]["page"] == reports["paragraphs"].expected[0].page


def _canvas_pdf(path: Path, draw: object, **options: object) -> Path:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), **options)  # type: ignore[arg-type]
    draw(pdf)  # type: ignore[operator]
    pdf.save()
    return path


def test_an_encrypted_pdf_is_a_clear_error(tmp_path: Path) -> None:
    from reportlab.lib import pdfencrypt

    locked = _canvas_pdf(tmp_path / "locked.pdf", lambda c: (c.drawString(72, 720, "Recommendations"), c.showPage()),
                         encrypt=pdfencrypt.StandardEncryption("user-secret", "owner-secret"))
    with pytest.raises(ExtractError, match=r"locked\.pdf: the PDF is encrypted"):
        extract(locked)


def test_an_owner_password_only_pdf_opens(tmp_path: Path) -> None:
    from reportlab.lib import pdfencrypt

    owner_only = _canvas_pdf(tmp_path / "owner.pdf", lambda c: (c.drawString(72, 720, "Some text on the page."),
                                                                c.showPage()),
                             encrypt=pdfencrypt.StandardEncryption("", "owner-secret"))
    assert "no recommendations section found" in extract(owner_only).warnings


def test_a_truncated_pdf_is_a_clear_error(tmp_path: Path, reports: dict[str, Report]) -> None:
    data = reports["table"].path.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 3])
    try:
        result = extract(cut)  # repaired when Ghostscript is installed: then it must not invent rows
        assert len(result.recommendations) <= len(reports["table"].expected)
    except ExtractError as err:
        assert "cut.pdf: corrupt or truncated PDF" in str(err)


def test_a_scanned_report_says_ocr_is_needed(tmp_path: Path) -> None:
    def draw(c: object) -> None:
        for _ in range(2):
            c.rect(72, 72, 400, 600, fill=1)  # type: ignore[attr-defined]
            c.showPage()  # type: ignore[attr-defined]

    scanned = _canvas_pdf(tmp_path / "scanned.pdf", draw)
    with pytest.raises(ExtractError, match="no text layer; OCR needed"):
        extract(scanned)


def test_an_image_only_page_among_text_pages_is_a_warning(tmp_path: Path) -> None:
    def draw(c: object) -> None:
        c.drawString(72, 720, "Sampletown Community Safety Partnership")  # type: ignore[attr-defined]
        c.showPage()  # type: ignore[attr-defined]
        c.rect(72, 72, 400, 600, fill=1)  # type: ignore[attr-defined]
        c.showPage()  # type: ignore[attr-defined]

    result = extract(_canvas_pdf(tmp_path / "mixed.pdf", draw))
    assert any("page(s) 2 have no text layer" in w for w in result.warnings)


def test_not_a_pdf_and_no_recommendations(tmp_path: Path) -> None:
    fake = tmp_path / "fake.pdf"
    fake.write_text("Recommendations\n1. Agencies should do better.\n")
    with pytest.raises(ExtractError, match=r"fake\.pdf: not a PDF file"):
        extract(fake)
    none = _canvas_pdf(tmp_path / "none.pdf", lambda c: (c.drawString(72, 720, "Introduction to the review."),
                                                          c.showPage()))
    result = extract(none)
    assert result.recommendations == [] and "no recommendations section found" in result.warnings


def test_a_folder_of_pdfs_and_pages_is_ingested_and_bad_files_do_not_stop_it(
        tmp_path: Path, reports: dict[str, Report]) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for report in reports.values():
        (folder / report.path.name).write_bytes(report.path.read_bytes())
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    (folder / "page.txt").write_text("CSP: Otherton\nPublished: 2021\n| # | Recommendation | Addressed to |\n"
                                     "|---|---|---|\n| 1 | Train staff. | Otherton Council |\n")
    store = Store()
    report = ingest(store, [folder])
    assert {o.key: o.status for o in report.outcomes}["broken.pdf"] == "failed"
    assert report.count("added") == 4
    assert store.stats()["recommendations"] == 8 + 22 + 22 + 1
    pages = store.query("PREFIX dhr: <https://w3id.org/dhrkg/ontology#> "
                        "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a dhr:Recommendation ; dhr:page ?p }").rows()[0][0]
    assert pages == 52
    assert ingest(store, [folder]).count("unchanged") == 4


def test_a_summary_page_and_its_report_are_one_review_with_both_sources(
        tmp_path: Path, reports: dict[str, Report]) -> None:
    report = reports["table"]
    folder = tmp_path / "same-review"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(report.path.read_bytes())
    rows = "".join(f"| {e.number} | {e.text} | {' | '.join(e.addressed_to)} |\n" for e in report.expected)
    (folder / "summary.txt").write_text("CSP: Sampletown\nPublished: March 2021\nYear of death: 2018\n"
                                        f"| # | Recommendation | Addressed to |\n|---|---|---|\n{rows}")
    store = Store()
    result = ingest(store, [folder])
    assert result.matches is not None and len(result.matches.matches) == 2  # found from both sides
    [match] = [m for m in result.matches.matches if m.review < m.other]
    assert match.confidence == 0.95
    assert "22 of 22 recommendation texts agree" in match.evidence
    sources = store.query("""PREFIX dhr: <https://w3id.org/dhrkg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT DISTINCT ?format WHERE { ?a dhr:sameReviewAs ?b . ?b prov:wasDerivedFrom/dhr:sourceFormat ?format }""")
    assert sorted(r[0] for r in sources.rows()) == ["pdf", "summary-text"]


def test_a_different_review_of_the_same_csp_and_year_is_not_matched(
        tmp_path: Path, reports: dict[str, Report]) -> None:
    folder = tmp_path / "different"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(reports["table"].path.read_bytes())
    (folder / "summary.txt").write_text("CSP: Sampletown\nYear of death: 2018\n| # | Recommendation | Addressed to |\n"
                                        "|---|---|---|\n| 1 | Schools should teach healthy relationships. | Schools |\n")
    store = Store()
    result = ingest(store, [folder])
    assert result.matches is not None and result.matches.matches == []


def test_reading_in_worker_processes_gives_the_same_graph(tmp_path: Path, reports: dict[str, Report]) -> None:
    folder = tmp_path / "pool"
    folder.mkdir()
    for index, report in enumerate([*reports.values(), *reports.values()]):
        (folder / f"{index}-{report.path.name}").write_bytes(report.path.read_bytes() + b"\n%" + bytes([48 + index]))
    inline, pooled = Store(), Store()
    ingest(inline, [folder], workers=1)
    ingest(pooled, [folder], workers=2)
    assert inline.stats() == pooled.stats()
    assert inline.named("recommendations-per-agency").rows() == pooled.named("recommendations-per-agency").rows()
