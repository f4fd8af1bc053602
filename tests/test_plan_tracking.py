"""Action plans read from generated reports and tracked in the store, end to end: ``dhrkg ingest``
reads the plans, ``dhrkg status import`` records progress, the status history survives reading a
changed report again, and the three oversight queries give the answers the plans hold by
construction.

The reports are generated here in generic wording (a reportlab PDF and an HTML page, with
``scripts/generate_plan_fixtures.py``), beside a committed Word-made one.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import Store, ingest, validate
from graph.cli import main
from graph.ingestion.status import export_status, import_status
from graph.model.dates import period_end
from graph.model.iris import recommendation_iri
from scripts.generate_plan_fixtures import write_html, write_reportlab
from scripts.plan_fixtures import Act, Plan, Rec, Status, Target, tuning_plans

POLICE, COUNCIL, GP, HOMES = ("Exampleshire Police", "Exampleton Borough Council", "Exampleton GP Practices",
                              "Exampleton Homes")
TRAINING = "Exampleshire Police should ensure that all response officers receive domestic abuse awareness training."
PATHWAY = "Exampleton Borough Council should review its referral pathway for adults at risk of abuse."
ASK = "Exampleton GP Practices should ask patients about domestic abuse when they present with low mood."
TRAINING_AGAIN = "Exampleshire Police should make sure that officers receive further training on coercive control."
HOUSING = "Exampleton Homes should record every report of anti-social behaviour at the property on the tenancy file."
COLUMNS = [("Rec no.", "number"), ("Recommendation", "recommendation"), ("Action", "action"), ("Lead agency", "lead"),
           ("Target date", "target_date"), ("Status", "status")]
WORD = Path(__file__).parent / "fixtures" / "plans" / "tuning" / "word-plan-rec-lead-date.pdf"


def earlier(*, published: tuple[str, str] = ("June 2021", "2021-06"), pathway: Status = Status("In progress", "in-progress"),
            ask_target: Target = Target("31/03/2022", "2022-03-31")) -> Plan:
    """A review of 2021 whose plan says: training done, pathway under way, the GP ask not started."""
    return Plan("earlier", "reportlab", "Exampleton", "Adult A", published, 2019, COLUMNS, [
        Rec("1", TRAINING, [Act("Deliver the training to every response team.", [POLICE], Target("March 2022", "2022-03"),
                                Status("Complete – 12/05/2021", "completed", "2021-05-12"))]),
        Rec("2", PATHWAY, [Act("Publish a revised pathway.", [COUNCIL], Target("Q2 2022", "2022-06"), pathway)]),
        Rec("3", ASK, [Act("Add a prompt to the patient record.", [GP], ask_target, Status("Not started", "not-started")),
                       Act("Audit twenty records.", [GP], Target("Ongoing", None))]),
    ], widths_cm=[1.2, 5.0, 4.0, 3.0, 2.2, 2.2])


def later() -> Plan:
    """A review of 2023 that asks the police for training again, and the housing provider for records."""
    return Plan("later", "html", "Exampleton", "Adult B", ("May 2023", "2023-05"), 2021,
                [COLUMNS[0], COLUMNS[1], COLUMNS[3], COLUMNS[4]],
                [Rec("1", TRAINING_AGAIN, [Act(None, [POLICE], Target("December 2023", "2023-12"))]),
                 Rec("2", HOUSING, [Act(None, [HOMES], Target("2024", "2024"))])])


def rec(key: str, position: int, text: str) -> str:
    return str(recommendation_iri(key, position, text))


EARLIER = {n: rec("earlier.pdf", n, text) for n, text in ((1, TRAINING), (2, PATHWAY), (3, ASK))}
LATER = {n: rec("later.html", n, text) for n, text in ((1, TRAINING_AGAIN), (2, HOUSING))}
UPDATES = ("target,status,as_of,note,recorded_by\n"
           f"{EARLIER[2]}/action/1,completed,2023-01-15,Pathway published,CSP coordinator\n"
           f"{EARLIER[3]},In progress,2023-02-01,Prompt being tested,CSP coordinator\n")


def reports(folder: Path, plan: Plan | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    write_reportlab(plan or earlier(), folder / "earlier.pdf")
    write_html(later(), folder / "later.html")
    return folder


def named(runner: CliRunner, store: Path, name: str, **params: str) -> list[dict[str, str]]:
    args = ["query", "--named", name, "--format", "csv", "--store", str(store)]
    for key, value in params.items():
        args += ["--param", f"{key}={value}"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


def test_plans_ingested_by_dhrkg_answer_the_three_oversight_questions(tmp_path: Path) -> None:
    folder = reports(tmp_path / "plans")
    shutil.copy(WORD, folder / WORD.name)
    store, runner = tmp_path / "store", CliRunner()
    done = runner.invoke(main, ["ingest", str(folder), "--store", str(store)])
    assert done.exit_code == 0, done.output

    outstanding = named(runner, store, "outstanding-recommendations", date="2022-12-31", csp="Exampleton")
    # the training is printed complete; the later review was not published yet
    assert [(r["recommendation"], r["agencyName"], r["status"], r["dueBy"]) for r in outstanding] == [
        (EARLIER[2], COUNCIL, "in-progress", "2022-06-30"), (EARLIER[3], GP, "not-started", "2022-03-31")]
    overdue = named(runner, store, "overdue-actions", date="2022-12-31", csp="Exampleton")
    assert [(r["action"], r["leadName"], r["targetText"], r["status"]) for r in overdue] == [
        (f"{EARLIER[3]}/action/1", GP, "31/03/2022", "not-started"),
        (f"{EARLIER[2]}/action/1", COUNCIL, "Q2 2022", "in-progress")]

    updates = tmp_path / "updates.csv"
    updates.write_text(UPDATES, encoding="utf-8")
    recorded = runner.invoke(main, ["status", "import", str(updates), "--store", str(store)])
    assert recorded.exit_code == 0, recorded.output
    outstanding = named(runner, store, "outstanding-recommendations", date="2024-06-30", csp="Exampleton")
    assert [(r["recommendation"], r["agencyName"], r["status"]) for r in outstanding] == [  # by agency
        (LATER[1], POLICE, ""), (EARLIER[3], GP, "in-progress"), (LATER[2], HOMES, "")]
    overdue = named(runner, store, "overdue-actions", date="2024-06-30", csp="Exampleton")
    assert [(r["action"], r["dueBy"]) for r in overdue] == [
        (f"{EARLIER[3]}/action/1", "2022-03-31"), (f"{LATER[1]}/action/1", "2023-12-31")]

    repeats = named(runner, store, "repeated-after-completion")
    assert [(r["completed"], r["repeat"], r["agencyName"], r["how"], r["themeCode"]) for r in repeats] == [
        (EARLIER[1], LATER[1], POLICE, "same theme for the same agency", "T5")]
    assert repeats[0]["completedOn"] == "2021-06-01"  # printed complete in the plan published in June 2021

    # The Word-made plan: no statuses, so every action past its target is overdue, known from its plan.
    dalebridge = next(p for p in tuning_plans() if p.name == WORD.stem)
    wanted = sorted(period_end(a.target.value) for r in dalebridge.recs for a in r.actions for _ in a.leads
                    if a.target and a.target.value and period_end(a.target.value) < "2025-07-01")  # per lead
    overdue = named(runner, store, "overdue-actions", date="2025-07-01", csp="Dalebridge")
    assert [r["dueBy"] for r in overdue] == wanted and len(wanted) >= 5
    assert len(named(runner, store, "outstanding-recommendations", date="2025-07-01", csp="Dalebridge")) == \
        sum(len(a.leads) for r in dalebridge.recs for a in r.actions[:1])  # one row per recommendation and agency


def test_status_history_survives_reading_a_changed_plan_again(tmp_path: Path) -> None:
    folder = reports(tmp_path / "plans")
    store = Store()
    assert ingest(store, [folder]).count("added") == 2
    updates = tmp_path / "updates.csv"
    updates.write_text(UPDATES, encoding="utf-8")
    assert import_status(store, updates).outcome == "imported"
    assert [r["action"] for r in store.named("overdue-actions", date="2023-06-30", csp="Exampleton").to_dicts()] == [
        f"{EARLIER[3]}/action/1"]

    # The plan as republished in 2023: the pathway printed complete, the GP action given a new target.
    reports(folder, earlier(published=("March 2023", "2023-03"), pathway=Status("Complete – 15/01/2023", "completed", "2023-01-15"),
                            ask_target=Target("Q4 2023", "2023-12")))
    assert ingest(store, [folder]).count("replaced") == 1

    history = list(csv.DictReader(io.StringIO(export_status(store))))
    imported = [(r["target"], r["status"], r["as_of"], r["note"]) for r in history if r["source"] == "updates.csv"]
    assert imported == [(f"{EARLIER[2]}/action/1", "completed", "2023-01-15", "Pathway published"),
                        (EARLIER[3], "in-progress", "2023-02-01", "Prompt being tested")]
    printed = {(r["target"], r["status"], r["as_of"]) for r in history if r["source"] == "earlier.pdf"}
    assert (f"{EARLIER[2]}/action/1", "completed", "2023-03-01") in printed  # the new version's
    assert validate(store).conforms
    assert store.named("overdue-actions", date="2023-06-30", csp="Exampleton").to_dicts() == []  # due Q4 2023 now
    outstanding = store.named("outstanding-recommendations", date="2023-06-30", csp="Exampleton").to_dicts()
    # The latest observation wins: the plan republished in March 2023 still prints the GP action
    # "Not started", which is newer than the coordinator's note of February.
    assert [(r["recommendation"], r.get("status"), str(r.get("statusAsOf"))) for r in outstanding] == [
        (LATER[1], None, "None"), (EARLIER[3], "not-started", "2023-03-01"), (LATER[2], None, "None")]


@pytest.mark.parametrize("date", ["2021-05-31", "2021-06-01"])
def test_a_plan_is_not_outstanding_before_its_review_was_published(tmp_path: Path, date: str) -> None:
    store = Store()
    ingest(store, [reports(tmp_path / "plans")])
    listed = {r["recommendation"] for r in store.named("outstanding-recommendations", date=date).to_dicts()}
    assert listed == (set() if date < "2021-06-01" else {EARLIER[2], EARLIER[3]})
