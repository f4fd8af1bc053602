"""Reading DHR summary pages (text and HTML): the seed, and each reality of real pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph import ExtractError, extract
from tests.conftest import PAGES, SEED


def test_seed_gives_all_35_recommendations_with_metadata_and_no_warnings() -> None:
    result = extract(SEED)
    assert result.review.csp == "Northampton"
    assert result.review.published == "2023-07"
    assert result.review.year_of_death == 2016
    assert result.review.declared_recommendations == 35
    assert result.review.pseudonym is None
    assert result.review.summary is not None
    assert result.review.summary.startswith("The review highlights systemic failures")
    assert len(result.recommendations) == 35
    assert result.warnings == []


def test_seed_keeps_text_and_numbers_exactly_as_printed() -> None:
    recs = extract(SEED).recommendations
    assert [r.number for r in recs[:8]] == ["1"] * 7 + ["10"]
    assert recs[0].text == (
        "Agencies making reference to a person’s mental capacity should be precise as to what "
        "decisions the person can and cannot be deemed to have capacity to make especially where "
        "the person’s safeguarding is involved."
    )
    assert recs[-1].text == (
        "Liaise with Contact Centre managers to ensure that when there is concerning information "
        "taken this is shared with Housing Officers."
    )
    assert not any(r.truncated for r in recs)


def test_seed_splits_multi_body_addressee_cells() -> None:
    recs = extract(SEED).recommendations
    assert recs[4].addressed_to == ["NCC Public Health", "CCG commissioner"]
    nsab = [r for r in recs if r.addressed_to == ["NSAB", "Northampton County Council"]]
    assert len(nsab) == 1 and nsab[0].number == "9"
    assert all(r.addressed_to for r in recs)


def test_seed_json_follows_the_contract() -> None:
    document = extract(SEED).to_json()
    assert set(document) == {"source", "review", "recommendations", "warnings"}
    assert set(document["source"]) >= {"path", "sha256", "format"}
    assert document["source"]["format"] == "summary-text"
    assert len(document["source"]["sha256"]) == 64
    assert set(document["review"]) == {
        "csp", "published", "year_of_death", "pseudonym", "summary", "declared_recommendations"}
    for rec in document["recommendations"]:
        # "level" and "actions" were added to the contract (additions only); a summary page prints neither
        assert set(rec) == {"number", "text", "addressed_to", "truncated", "page", "level", "agencies", "themes",
                            "actions"}
        assert rec["page"] is None and rec["level"] is None and rec["actions"] == []


def test_numbers_that_differ_only_in_their_digits_stay_distinct() -> None:
    recs = extract(PAGES / "one-line-metadata.txt").recommendations
    assert [r.number for r in recs] == ["9.1", "9.10", "7.2.1(a)", "R10"]


def test_metadata_on_one_line() -> None:
    result = extract(PAGES / "one-line-metadata.txt")
    assert (result.review.csp, result.review.published, result.review.year_of_death,
            result.review.declared_recommendations) == ("Exampleton", "2021-03", 2019, 4)
    assert result.warnings == []


def test_metadata_over_several_lines_and_unknown_year_of_death() -> None:
    result = extract(PAGES / "several-lines-metadata.txt")
    assert result.review.csp == "Sampleford"
    assert result.review.published == "2022"
    assert result.review.year_of_death is None  # "Unknown": never guessed
    assert [r.number for r in result.recommendations] == ["10.2a", "1"]


def test_whitespace_is_normalised_but_text_otherwise_kept() -> None:
    recs = extract(PAGES / "one-line-metadata.txt").recommendations
    assert recs[1].text == "The Council should audit its housing allocations policy."


def test_pipe_separated_addressees_split_but_a_pipe_inside_a_name_stays() -> None:
    one_line = extract(PAGES / "one-line-metadata.txt").recommendations
    assert one_line[3].addressed_to == ["Exampleton Hospitals NHS Trust", "Exampleshire ICB"]
    assert one_line[3].text.endswith("(b) hospital emergency departments.")
    several = extract(PAGES / "several-lines-metadata.txt").recommendations
    assert several[1].addressed_to == ["Police|Crime Commissioner"]


def test_a_row_wrapped_over_two_lines_is_one_recommendation() -> None:
    recs = extract(PAGES / "wrapped-row.txt").recommendations
    assert recs[0].text == ("The Council should commission an independent review of its homelessness "
                            "pathway for people leaving hospital.")
    assert recs[1].addressed_to == ["Wrapton GP Federation", "Wrapton ICB"]


def test_page_cut_off_mid_row_keeps_partial_row_flagged_and_warns() -> None:
    result = extract(PAGES / "truncated.txt")
    assert len(result.recommendations) == 2
    last = result.recommendations[-1]
    assert last.truncated
    assert last.text == "The police force should ensure that officers complete the DASH risk"
    assert last.addressed_to == []
    assert not result.recommendations[0].truncated
    assert any("cut off" in w for w in result.warnings)
    assert any("declares 5" in w for w in result.warnings)


def test_declared_count_larger_than_rows_warns() -> None:
    result = extract(PAGES / "no-table-declared.txt")
    assert result.recommendations == []
    assert any("no recommendations table" in w for w in result.warnings)
    assert any("declares 7 recommendations but holds 0" in w for w in result.warnings)


def test_page_with_no_recommendations_is_valid_and_empty() -> None:
    result = extract(PAGES / "no-table.txt")
    assert result.recommendations == []
    assert result.review.declared_recommendations == 0
    assert result.warnings == []


def test_html_page_reads_like_the_text_page() -> None:
    result = extract(PAGES / "table.html")
    assert result.source.format == "summary-html"
    assert (result.review.csp, result.review.published, result.review.year_of_death,
            result.review.declared_recommendations) == ("Htmlton", "2022-09", 2020, 3)
    assert result.review.summary == "The review found that agencies missed chances to ask about abuse."
    assert result.source.links == ("https://example.org/reports/htmlton.pdf",)
    recs = result.recommendations
    assert [r.number for r in recs] == ["1", "1", "2"]
    assert recs[0].text == "All agencies should ask about coercive & controlling behaviour."
    assert recs[1].text == "The Trust should train staff on routine enquiry."
    assert recs[1].addressed_to == ["Htmlton Hospital NHS Trust", "Htmlton ICB"]
    assert recs[2].addressed_to == ["Htmlton Council", "Htmlton Police"]
    assert result.warnings == []


def test_html_page_cut_off_mid_row() -> None:
    result = extract(PAGES / "truncated.html")
    assert [r.truncated for r in result.recommendations] == [False, True]
    assert result.recommendations[1].text == "The police should improve how officers record"
    assert any("cut off" in w for w in result.warnings)


def test_the_seed_as_html_gives_the_same_recommendations(tmp_path: Path) -> None:
    text = extract(SEED)
    rows = "".join(
        f"<tr><td>{r.number}</td><td>{r.text}</td><td>{' | '.join(r.addressed_to)}</td></tr>"
        for r in text.recommendations
    )
    page = tmp_path / "seed.html"
    page.write_text(
        "<html><body><p>CSP: Northampton</p><p>Published: July 2023</p><p>Year of death: 2016</p>"
        f"<p>Extracted: 35 recs</p><table><tr><th>#</th><th>Recommendation</th><th>Addressed to</th></tr>"
        f"{rows}</table></body></html>",
        encoding="utf-8",
    )
    html = extract(page)
    assert [(r.number, r.text, r.addressed_to) for r in html.recommendations] == \
        [(r.number, r.text, r.addressed_to) for r in text.recommendations]
    assert html.warnings == []


def test_windows_1252_page_is_read_with_a_warning() -> None:
    result = extract(PAGES / "cp1252.txt")
    assert result.recommendations[0].text == "The café staff should be trained – urgently."
    assert any("Windows-1252" in w for w in result.warnings)


@pytest.mark.parametrize(("name", "problem"), [
    ("empty.txt", "file is empty"),
    ("binary.txt", "file is binary"),
    ("not-a-page.txt", "not a DHR summary page"),
])
def test_bad_files_give_a_clear_error_naming_the_file(name: str, problem: str) -> None:
    with pytest.raises(ExtractError) as caught:
        extract(PAGES / name)
    assert name in str(caught.value)
    assert problem in str(caught.value)


def test_unsupported_file_type_is_a_clear_error(tmp_path: Path) -> None:
    odd = tmp_path / "review.docx"
    shutil.copy(SEED, odd)
    with pytest.raises(ExtractError, match=r"review\.docx: unsupported file type '\.docx'"):
        extract(odd)
