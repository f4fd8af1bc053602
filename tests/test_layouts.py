"""The report reader on every layout reviews are published in: each fixture against its expected JSON.

Fixtures live in ``tests/fixtures/layouts/``: ``tuning/`` (the reader was developed against
these, and each must be read exactly) and ``heldout/`` (written before the reader and never
tuned on; ``scripts/eval_reader.py`` reports how well they are read). PDFs were made once by
``scripts/generate_layout_fixtures.py`` (Word + LibreOffice, and reportlab).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import ExtractError, Store, extract, ingest
from graph.cli import main
from graph.model.records import Extraction
from scripts.eval_reader import LAYOUTS, actual_of, evaluate, expected_of, fixtures

TUNING = fixtures(LAYOUTS / "tuning")
HELDOUT = fixtures(LAYOUTS / "heldout")


@pytest.mark.parametrize("path", TUNING, ids=[p.name for p in TUNING])
def test_each_layout_is_read_exactly(path: Path) -> None:
    expected, actual = expected_of(path), actual_of(path)
    if "error" in expected:
        assert expected["error"] in actual.get("error", ""), actual
        return
    assert "error" not in actual, actual["error"] if "error" in actual else None
    assert actual["review"] == expected["review"]
    assert actual["recommendations"] == expected["recommendations"]
    for wanted in expected.get("warnings_contain", []):
        assert any(wanted in w for w in actual["warnings"]), actual["warnings"]


@pytest.mark.parametrize("path", TUNING + HELDOUT, ids=[f"{p.parent.name}/{p.name}" for p in TUNING + HELDOUT])
def test_dhrkg_extract_never_crashes_and_a_refusal_is_one_line(path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(path), "--json"])
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert result.exception is None or isinstance(result.exception, SystemExit)
        message = result.output.strip()
        assert "\n" not in message and path.name in message, message
    else:
        document = json.loads(result.output)
        assert all({"level", "addressed_to", "number"} <= set(rec) for rec in document["recommendations"])


def test_the_held_out_set_is_measured_without_errors() -> None:
    score = evaluate(LAYOUTS / "heldout")
    assert score.pages == len(HELDOUT) and score.expected > 50
    assert 0.0 <= score.report()["f1"] <= 1.0


def test_a_flattened_page_finds_rows_by_numbering_and_addressees_by_their_names() -> None:
    result = extract(LAYOUTS / "tuning" / "flattened-summary.txt")
    assert isinstance(result, Extraction) and result.source.format == "summary-text"
    assert [r.number for r in result.recommendations] == ["1", "1", "2a", "15.2.1", "3.140(a)", "16"]
    # No full stop before the addressee, and a body named in the text ("with the MARAC") stays in it.
    assert result.recommendations[3].text.endswith("share them with the MARAC")
    assert result.recommendations[3].addressed_to == ["Exampleton GP Federation", "Exampleshire ICB"]
    assert result.review.summary == "Agencies did not share what they knew about the risk to the victim."


def test_when_no_addressee_can_be_told_the_text_is_kept_whole_with_a_warning() -> None:
    result = extract(LAYOUTS / "tuning" / "flattened-unsure.txt")
    first = result.recommendations[0]
    assert first.addressed_to == [] and first.text.endswith("whenever they are worried about someone")
    assert any("recommendation 1: no addressee" in w for w in result.warnings)


def test_an_executive_summary_records_the_level_of_each_recommendation() -> None:
    recs = extract(LAYOUTS / "tuning" / "executive-summary.txt").recommendations
    assert [r.level for r in recs] == ["overview", "overview", "single-agency", "single-agency", "single-agency",
                                       "national"]
    assert recs[3].addressed_to == ["Greendale Hospitals NHS Trust"]  # from the agency heading above it


def test_an_action_plan_row_keeps_every_cell_under_its_role() -> None:
    recs = extract(LAYOUTS / "tuning" / "word-action-plan.pdf").recommendations
    first = recs[0].rows[0]
    assert [cell.role for cell in first.cells] == ["recommendation", "action", "lead", "target_date", "status"]
    assert " ".join((first.get("action") or "").split()) == \
        "Action 1 for item 1: brief staff and audit after three months."
    assert (first.get("target_date"), first.get("status")) == ("March 2025", "Complete")
    several = next(r for r in recs if len(r.rows) == 3)  # its action rows, each with its own cells
    assert [row.get("target_date") for row in several.rows] == ["March 2025", "Q3 2024", "June 2024"]
    assert [row.get("status") for row in several.rows] == ["Complete", "In progress", "Complete"]


def test_a_row_broken_over_a_page_is_one_recommendation() -> None:
    recs = extract(LAYOUTS / "tuning" / "word-action-plan.pdf").recommendations
    broken = [r for r in recs if len({row.page for row in r.rows}) > 1]
    assert broken, "the fixture breaks a recommendation's rows over a page"
    assert all(r.text.endswith(").") for r in recs)


def test_a_date_or_a_heading_in_the_lead_column_is_never_an_addressee(tmp_path: Path) -> None:
    page = tmp_path / "plan.html"
    page.write_text(
        "<html><body><h1>Domestic Homicide Review: action plan</h1><table>"
        "<tr><th>Ref</th><th>Recommendation</th><th>Lead agency</th><th>Target date</th></tr>"
        "<tr><td>1</td><td>Train staff in routine enquiry.</td><td>Lead agency Target date</td><td></td></tr>"
        "<tr><td>2</td><td>Audit referrals to the MARAC.</td><td>March 2025<br>Exampleshire Police</td>"
        "<td>March 2025</td></tr>"
        "<tr><td>3</td><td>Review the escalation policy.</td><td>Ongoing</td><td>Q2 2025</td></tr>"
        "</table></body></html>", encoding="utf-8")
    recs = extract(page).recommendations
    assert [r.addressed_to for r in recs] == [[], ["Exampleshire Police"], []]
    assert recs[1].rows[0].get("target_date") == "March 2025"


def test_pages_about_domestic_homicide_without_recommendations_warn_and_others_are_refused() -> None:
    news = extract(LAYOUTS / "tuning" / "news-item.html")
    assert news.recommendations == [] and news.source.format == "page-html"
    assert news.warnings == ["the page is about domestic homicide but holds no recommendations"]
    with pytest.raises(ExtractError, match=r"bin-collection\.txt: not a DHR summary page or review page"):
        extract(LAYOUTS / "tuning" / "bin-collection.txt")


def test_a_council_page_is_ingested_with_its_recommendations(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in ("recommendation-number.html", "agency-headings.html", "news-item.html"):
        (folder / name).write_bytes((LAYOUTS / "tuning" / name).read_bytes())
    store = Store()
    report = ingest(store, [folder])
    assert report.ok and report.count("added") == 3
    assert store.stats()["recommendations"] == 3 + 4


def test_a_table_drawn_without_rules_reads_like_a_ruled_one() -> None:
    recs = extract(LAYOUTS / "tuning" / "word-borderless.pdf").recommendations
    assert [r.number for r in recs] == [str(n) for n in range(1, 12)]
    assert recs[0].addressed_to == ["Exampleton GP Practices", "Exampleshire Probation Delivery Unit"]
    assert {row.get("target_date") for r in recs for row in r.rows} == {"June 2023", "Ongoing", "December 2022"}


def test_a_bold_recommendations_line_runs_to_the_next_heading_that_names_no_agency(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><h1>Domestic homicide review: Adult T</h1><p><strong>Recommendations</strong></p>"
                    "<h3>Exampleshire Police</h3><ol><li>Train staff in routine enquiry.</li></ol>"
                    "<h2>Other news</h2><ul><li>Bin collections change</li></ul></body></html>", encoding="utf-8")
    result = extract(page)
    assert [(r.number, r.text, r.addressed_to) for r in result.recommendations] == \
        [("1", "Train staff in routine enquiry.", ["Exampleshire Police"])]
    assert result.review.pseudonym == "Adult T" and result.review.csp is None
