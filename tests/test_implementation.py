"""Action plans and implementation tracking, on a small corpus whose answers are known by
construction: which recommendations are outstanding, which actions are overdue, and which
recommendations come back after being recorded as completed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from graph import Store
from graph.enrich import enrich
from graph.ingestion.status import StatusFileError, export_status, import_status
from graph.model.iris import recommendation_iri
from graph.model.records import ActionRecord, Extraction, RecommendationRecord, ReviewFacts, Source
from graph.rdf.documents import document_triples
from graph.store.known_names import UnknownName

TRAINING = "All staff should complete domestic abuse awareness training."
PATHWAY = "The Council should review its referral pathway for adults at risk."
VAGUE = "Agencies should reflect on the learning from this review."
TRAINING_AGAIN = "Officers should receive further domestic abuse awareness training."


def review(key: str, published: str, recommendations: list[RecommendationRecord]) -> Extraction:
    return Extraction(Source(key, hashlib.sha256(key.encode()).hexdigest(), "report-pdf"),
                      ReviewFacts(csp="Exampleton", published=published, year_of_death=int(published[:4]) - 2),
                      recommendations)


def earlier() -> Extraction:
    return review("earlier.pdf", "2021-06", [
        RecommendationRecord("1", TRAINING, ["Exampleton Police"], actions=[
            ActionRecord("Deliver awareness training to all response officers", "Exampleton Police",
                         "2022-03", "March 2022")]),
        RecommendationRecord("2", PATHWAY, ["Exampleton Council"], actions=[
            ActionRecord("Publish a revised pathway", "Exampleton Council", "2022-06", "Q2 2022",
                         status="in-progress", status_text="In progress")]),
        RecommendationRecord("3", VAGUE, ["All agencies"]),
    ])


def later() -> Extraction:
    return review("later.pdf", "2023-05", [RecommendationRecord("1", TRAINING_AGAIN, ["Exampleton Police"])])


def store_documents(store: Store, *documents: Extraction) -> None:
    for document in documents:
        store.replace_document(document.source.path, document_triples(enrich(document), document.source.path))


def rec(key: str, position: int, text: str) -> str:
    return str(recommendation_iri(key, position, text))


@pytest.fixture
def tracked(tmp_path: Path) -> tuple[Store, Path]:
    store = Store()
    store_documents(store, earlier(), later())
    updates = tmp_path / "updates.csv"
    updates.write_text(
        "target,status,as_of,note,recorded_by\n"
        f"{rec('earlier.pdf', 1, TRAINING)},completed,2022-03-01,Training delivered to all teams,CSP coordinator\n"
        f"{rec('earlier.pdf', 2, PATHWAY)}/action/1,In progress,2022-09-01,Draft circulated,CSP coordinator\n",
        encoding="utf-8")
    assert import_status(store, updates).outcome == "imported"
    return store, updates


def rows(store: Store, name: str, **params: object) -> list[dict[str, object]]:
    return store.named(name, **params).to_dicts()


def test_a_recommendation_is_outstanding_until_it_is_recorded_completed(tracked: tuple[Store, Path]) -> None:
    store, _ = tracked
    before = {row["recommendation"] for row in rows(store, "outstanding-recommendations", date="2022-01-01")}
    assert before == {rec("earlier.pdf", 1, TRAINING), rec("earlier.pdf", 2, PATHWAY)}  # untracked ones are not listed
    after = rows(store, "outstanding-recommendations", date="2022-12-31")
    assert [(r["recommendation"], r["status"], r["agencyName"], r["cspName"]) for r in after] == [
        (rec("earlier.pdf", 2, PATHWAY), "in-progress", "Exampleton Council", "Exampleton")]
    assert str(after[0]["dueBy"]) == "2022-06-30"


def test_statuses_recorded_on_the_same_day_are_one_row(tracked: tuple[Store, Path], tmp_path: Path) -> None:
    store, _ = tracked
    same_day = tmp_path / "same-day.csv"
    same_day.write_text("target,status,as_of,note,recorded_by\n"
                        f"{rec('earlier.pdf', 2, PATHWAY)},in-progress,2022-10-01,,CSP coordinator\n"
                        f"{rec('earlier.pdf', 2, PATHWAY)}/action/1,not-started,2022-10-01,,Council lead\n"
                        f"{rec('earlier.pdf', 2, PATHWAY)}/action/1,in-progress,2022-10-01,,Council lead\n",
                        encoding="utf-8")
    import_status(store, same_day)
    after = rows(store, "outstanding-recommendations", date="2022-12-31")
    assert [(r["recommendation"], set(str(r["status"]).split(", ")), str(r["statusAsOf"])) for r in after] == [
        (rec("earlier.pdf", 2, PATHWAY), {"in-progress", "not-started"}, "2022-10-01")]
    overdue = rows(store, "overdue-actions", date="2022-12-31")
    assert [(r["action"], set(str(r["status"]).split(", ")), str(r["statusAsOf"])) for r in overdue] == [
        (rec("earlier.pdf", 2, PATHWAY) + "/action/1", {"in-progress", "not-started"}, "2022-10-01")]


def test_outstanding_recommendations_by_agency(tracked: tuple[Store, Path]) -> None:
    store, _ = tracked
    police = rows(store, "outstanding-recommendations", date="2022-01-01")[0]
    chosen = rows(store, "outstanding-recommendations", date="2022-01-01", agency=str(police["agency"]))
    assert {r["agency"] for r in chosen} == {police["agency"]}
    with pytest.raises(UnknownName, match="no CSP 'Elsewhere'"):  # a typo is an error, not an empty answer
        rows(store, "outstanding-recommendations", date="2022-01-01", csp="Elsewhere")


def test_an_action_is_overdue_once_its_target_has_passed_unless_it_is_closed(tracked: tuple[Store, Path]) -> None:
    store, _ = tracked
    assert rows(store, "overdue-actions", date="2022-02-01") == []
    overdue = rows(store, "overdue-actions", date="2022-12-31")
    # The training action's recommendation was recorded completed, which completes its actions.
    assert [(r["action"], r["targetText"], str(r["dueBy"]), r["status"]) for r in overdue] == [
        (rec("earlier.pdf", 2, PATHWAY) + "/action/1", "Q2 2022", "2022-06-30", "in-progress")]
    assert overdue[0]["leadName"] == "Exampleton Council"


def test_a_recommendation_repeated_after_completion_is_found(tracked: tuple[Store, Path]) -> None:
    store, _ = tracked
    repeats = rows(store, "repeated-after-completion")
    assert {(r["completed"], r["repeat"], r["how"], r.get("themeCode")) for r in repeats} == {
        (rec("earlier.pdf", 1, TRAINING), rec("later.pdf", 1, TRAINING_AGAIN), "same theme for the same agency", "T5")}
    assert str(repeats[0]["completedOn"]) == "2022-03-01"


def test_importing_the_same_file_twice_changes_nothing(tracked: tuple[Store, Path]) -> None:
    store, updates = tracked
    size = len(store)
    assert import_status(store, updates).outcome == "unchanged"
    assert len(store) == size


def test_a_bad_row_is_reported_by_line_and_nothing_is_applied(tracked: tuple[Store, Path], tmp_path: Path) -> None:
    store, _ = tracked
    size = len(store)
    bad = tmp_path / "bad.csv"
    bad.write_text("target,status,as_of\n"
                   f"{rec('earlier.pdf', 2, PATHWAY)},completed,2023-01-01\n"
                   "recommendation/nothing-here,completed,2023-01-01\n"
                   f"{rec('earlier.pdf', 2, PATHWAY)},finished-ish,2023-01-01\n"
                   f"{rec('earlier.pdf', 2, PATHWAY)},completed,31/01/2023\n", encoding="utf-8")
    with pytest.raises(StatusFileError) as raised:
        import_status(store, bad)
    assert [p.split(":")[0] for p in raised.value.problems] == ["line 3", "line 4", "line 5"]
    assert "no recommendation or action recommendation/nothing-here" in raised.value.message
    assert len(store) == size  # the good row on line 2 was not applied either


def test_status_history_survives_the_documents_being_read_again(tracked: tuple[Store, Path]) -> None:
    store, _ = tracked
    store_documents(store, earlier(), later())
    assert [r["recommendation"] for r in rows(store, "outstanding-recommendations", date="2022-12-31")] == [
        rec("earlier.pdf", 2, PATHWAY)]
    history = export_status(store).splitlines()
    assert history[0] == "target,status,as_of,note,recorded_by,source"
    assert any(line.startswith(rec("earlier.pdf", 1, TRAINING) + ",completed,2022-03-01,") for line in history)
    assert any(",in-progress,2021-06-01,,,earlier.pdf" in line for line in history)  # printed in the plan


def test_printed_targets_are_typed_as_precisely_as_printed(tracked: tuple[Store, Path]) -> None:
    store, _ = tracked
    target = store.query(
        "PREFIX dhr: <https://w3id.org/dhrkg/ontology#> SELECT ?date ?due WHERE { "
        f"<{rec('earlier.pdf', 2, PATHWAY)}/action/1> dhr:targetDate ?date ; dhr:dueBy ?due }}").terms()[0]
    assert (target[0].value, target[0].datatype.value.rsplit("#", 1)[1]) == ("2022-06", "gYearMonth")
    assert (target[1].value, target[1].datatype.value.rsplit("#", 1)[1]) == ("2022-06-30", "date")


def test_the_command_line_imports_and_exports_statuses(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from graph.cli import main

    store_path = tmp_path / "store"
    store = Store(store_path)
    store_documents(store, earlier())
    store.close()
    good = tmp_path / "good.csv"
    good.write_text(f"target,status,as_of\n{rec('earlier.pdf', 1, TRAINING)},Complete,2022-03-01\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("target,status,as_of\nrecommendation/none,completed,2022-03-01\n", encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(main, ["status", "import", str(good), "--store", str(store_path)])
    assert done.exit_code == 0 and "1 status(es) imported" in done.output
    exported = runner.invoke(main, ["status", "export", "--store", str(store_path)])
    assert f"{rec('earlier.pdf', 1, TRAINING)},completed,2022-03-01,,,good.csv" in exported.output
    # last: a failing command keeps the store open in the runner's traceback
    mixed = runner.invoke(main, ["status", "import", str(good), str(bad), "--store", str(store_path)])
    assert mixed.exit_code == 1
    assert "already imported" in mixed.output and "bad.csv: nothing imported" in mixed.output


def test_plans_and_statuses_conform_to_the_shapes(tracked: tuple[Store, Path]) -> None:
    from graph import validate

    report = validate(tracked[0])
    assert report.conforms, report.violations[:3]


HOSTILE = "<script>alert(1)</script>"


def test_pages_show_outstanding_overdue_and_the_status_timeline_escaped(tracked: tuple[Store, Path],
                                                                       tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from graph.web.app import create_app

    store, _ = tracked
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(f"target,status,as_of,note,recorded_by\n{rec('earlier.pdf', 2, PATHWAY)},in progress,"
                       f"2022-10-01,{HOSTILE},{HOSTILE}\n", encoding="utf-8")
    import_status(store, hostile)
    review = rec("earlier.pdf", 1, TRAINING).replace("recommendation/", "review/").rsplit("-", 2)[0]
    with TestClient(create_app(store)) as client:
        page = client.get("/review/" + review.rsplit("/", 1)[1], headers={"Accept": "text/html"}).text
        csp = client.get("/csp/exampleton", headers={"Accept": "text/html"}).text
        council = client.get("/agency/exampleton/exampleton-council", headers={"Accept": "text/html"}).text
    assert "Action plan and status" in page and "Publish a revised pathway" in page and "Q2 2022" in page
    assert "2022-03-01</strong> Completed" in page and "Training delivered to all teams" in page
    # A status recorded for an action says which action (the tracked file's pathway update is action 1).
    assert '2022-09-01</strong> In progress <span class="muted">(action 1)</span>' in page
    assert "In progress" in council and "in-progress" not in council  # statuses by their labels
    assert HOSTILE not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # As of today every target above has passed: the pathway is outstanding, its action overdue.
    assert "Outstanding recommendations (1)" in csp and "Overdue actions (1)" in csp and PATHWAY in csp
    assert csp.count(">Exampleton 2019</a>") == 2  # each review named by its CSP and year of death, in both tables
    assert "Outstanding recommendations (1)" in council and "Publish a revised pathway" in council
