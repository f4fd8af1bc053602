"""The SYNTHETIC action plans of ``tests/fixtures/plans/``: what each prints, and what it means.

Every plan is invented, in generic wording (invented places such as "Exampleton", agencies by
role, no people), and says so on its title page. Each printed target and status is written
here with its meaning by hand (``Target("Q2 2024", "2024-06")``), so the expected reading is
known by construction, never computed by the reader under test.

Two sets: ``tuning`` (the reader was developed against these; the tests pin them exactly)
and ``heldout`` (written before the reader was changed for action plans, and never tuned on;
``scripts/eval_plans.py`` reports both). ``scripts/generate_plan_fixtures.py`` renders them as
Word-made PDFs (python-docx → LibreOffice), reportlab PDFs and HTML pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import cycle
from typing import Any, Literal

Kind = Literal["word", "reportlab", "html"]


@dataclass(frozen=True)
class Target:
    """A target cell as printed, and the date it means (``None``: not a date)."""

    printed: str
    value: str | None


@dataclass(frozen=True)
class Status:
    """A status cell as printed, the status it means, and the completion date it prints."""

    printed: str
    code: str | None
    completed: str | None = None


@dataclass
class Act:
    text: str | None
    leads: list[str]  # one body per printed line of the lead cell
    target: Target | None
    status: Status | None = None
    completed: Target | None = None  # a "Date completed" column


@dataclass
class Rec:
    number: str | None
    text: str
    actions: list[Act]


@dataclass
class Plan:
    """One report with an action plan: its front page, its table's columns and its rows."""

    name: str
    kind: Kind
    csp: str
    pseudonym: str
    published: tuple[str, str]  # as printed, as read ("March 2024", "2024-03")
    year_of_death: int
    columns: list[tuple[str, str]]  # (heading as printed, role)
    recs: list[Rec]
    widths_cm: list[float] = field(default_factory=list)
    number_in_text: bool = False  # "3. Ensure…" in the recommendation cell, no number column
    merged: bool = False  # the recommendation (and number) cell spans its action rows
    lead_once: bool = False  # the lead cell is printed (merged) on the first action row only
    borders: bool = True
    narrative_pages: int = 2

    def __post_init__(self) -> None:
        if self.lead_once:  # the lead printed once stands for every action row under it
            for rec in self.recs:
                for act in rec.actions[1:]:
                    act.leads = list(rec.actions[0].leads)

    def expected(self, pages: list[int | None]) -> dict[str, Any]:
        """The reading a correct reader gives, with each action's page (``pages``, in row order)."""
        found = iter(pages)
        recommendations = []
        for rec in self.recs:
            actions = []
            for act in rec.actions:
                status = act.status
                completed = status.completed if status and status.completed else \
                    (act.completed.value if act.completed else None)
                code = status.code if status else ("completed" if completed else None)
                actions.append({
                    "text": act.text, "lead": "; ".join(act.leads) or None,
                    "target_date": act.target.value if act.target else None,
                    "target_text": act.target.printed if act.target else None,
                    "status": code, "status_text": status.printed if status and status.code else None,
                    "completed": completed, "page": next(found)})
            leads = list(dict.fromkeys(name for act in rec.actions for name in act.leads))
            number = f"{rec.number}." if self.number_in_text and rec.number else rec.number
            recommendations.append({"number": number, "text": rec.text, "addressed_to": leads,
                                    "actions": actions})
        return {"review": {"csp": self.csp, "published": self.published[1], "year_of_death": self.year_of_death,
                           "pseudonym": self.pseudonym}, "recommendations": recommendations}


# ------------------------------------------------------------------ printed forms and their meaning

TUNING_TARGETS = [
    Target("March 2025", "2025-03"), Target("31/03/2025", "2025-03-31"), Target("Q2 2024", "2024-06"),
    Target("Ongoing", None), Target("December 2024", "2024-12"), Target("30 September 2024", "2024-09-30"),
    Target("End of June 2025", "2025-06"), Target("N/A", None), Target("Sept 2024", "2024-09"),
    Target("2024/25", "2025-03"), Target("31st January 2025", "2025-01-31"), Target("Mar-25", "2025-03"),
    Target("2025", "2025"), Target("TBC", None), Target("Q4 2024", "2024-12"), Target("Complete", None),
]
TUNING_STATUSES = [
    Status("Complete – 12/05/2024", "completed", "2024-05-12"), Status("In progress", "in-progress"),
    Status("Not started", "not-started"), Status("Complete", "completed"), Status("Ongoing", "in-progress"),
    Status("Completed 3 March 2024", "completed", "2024-03-03"), Status("Amber", "in-progress"),
    Status("Not accepted", "not-accepted"), Status("Green", "completed"), Status("Superseded", "superseded"),
]
HELDOUT_TARGETS = [
    Target("April 2025", "2025-04"), Target("15/07/2024", "2024-07-15"), Target("Q1 2025", "2025-03"),
    Target("Immediate", None), Target("By December 2025", "2025-12"), Target("1 March 2025", "2025-03-01"),
    Target("Jan 2025", "2025-01"), Target("Ongoing", None), Target("30.06.2025", "2025-06-30"),
    Target("Q3 2024", "2024-09"), Target("2026", "2026"), Target("June '25", "2025-06"),
    Target("2025-04-30", "2025-04-30"), Target("Within 6 months", None), Target("November 2024", "2024-11"),
    Target("FY 2024/25", "2025-03"),
]
HELDOUT_STATUSES = [
    Status("Completed (14/02/2024)", "completed", "2024-02-14"), Status("Partially complete", "in-progress"),
    Status("Not yet started", "not-started"), Status("Closed – June 2024", "completed", "2024-06"),
    Status("On track", "in-progress"), Status("Complete", "completed"), Status("Red", "not-started"),
    Status("Achieved 01/10/2024", "completed", "2024-10-01"), Status("Declined by agency", "not-accepted"),
    Status("In progress", "in-progress"),
]

# ------------------------------------------------------------------ generic wording

TUNING_ASKS = [
    "Ensure that a risk assessment is completed at every domestic abuse incident and that supervisors check it",
    "Review how information is shared with partner agencies at the MARAC, including with housing providers",
    "Ensure that staff receive training on coercive and controlling behaviour and on economic abuse",
    "Ask patients about domestic abuse when they present with anxiety or low mood, and record the answer",
    "Follow up people who miss appointments and record the outcome of every attempt to contact them",
    "Review the safeguarding policy so that concerns from neighbours and relatives are acted upon",
    "Make referrals to specialist domestic abuse services with the consent of the person at risk",
    "Ensure that case records show the decisions taken about risk and the reasons for them",
    "Develop a joint protocol for responding to reports of stalking and harassment",
    "Raise awareness among employers in Exampleton of how to support staff experiencing domestic abuse",
    "Audit the quality of referrals to adult social care where domestic abuse is disclosed",
    "Introduce routine enquiry about domestic abuse in substance misuse assessments",
]
TUNING_ACTIONS = [
    "Deliver briefings to all response officers", "Publish a revised referral guide", "Audit twenty case files",
    "Add a prompt to the electronic record", "Run two workshops for practice managers",
    "Update the induction programme for new staff", "Agree an information sharing agreement",
    "Report progress to the partnership board", "Issue a practice note to frontline teams",
    "Review the escalation procedure with partners", "Commission refresher training for supervisors",
    "Circulate a seven-minute briefing on the learning", "Map the referral pathway with providers",
    "Check compliance through quarterly dip samples", "Include the topic in the annual conference",
    "Nominate a domestic abuse champion in each team", "Rewrite the missed appointments policy",
    "Test the new process with a pilot group",
]
TUNING_LEADS = ["Exampleshire Police", "Exampleton Borough Council", "Exampleton and District Clinical Commissioning Group",
                "Exampleton GP Practices", "Exampleshire Probation Delivery Unit", "Exampleton Domestic Abuse Service",
                "Exampleton Homes", "Exampleshire Healthcare NHS Foundation Trust"]

HELDOUT_ASKS = [
    "Introduce a routine question about domestic abuse at every housing needs assessment",
    "Make sure that officers record the voice of the child at every domestic incident they attend",
    "Review the pathway between substance misuse services and specialist domestic abuse support",
    "Provide training for reception staff on recognising signs of coercive control in people who attend",
    "Audit the use of the DASH risk checklist by frontline staff and report the findings to the board",
    "Develop guidance for practitioners on working with families where there is parental conflict",
    "Strengthen the links between the MARAC and the local mental health crisis service",
    "Promote the local domestic abuse helpline through community and faith groups in Northvale",
    "Agree how adult safeguarding concerns raised by ambulance crews are followed up",
    "Ensure that carers' assessments consider whether the carer is experiencing abuse",
    "Check that interpreters are used whenever a victim's first language is not English",
    "Review the management of people on licence who are known to pose a domestic abuse risk",
]
HELDOUT_ACTIONS = [
    "Hold a learning event for housing officers", "Amend the assessment form", "Carry out a multi-agency audit",
    "Send a bulletin to all GP surgeries", "Appoint a named lead for the pathway", "Refresh the e-learning module",
    "Present the findings at the safeguarding board", "Write a short guide for practitioners",
    "Set up a quarterly liaison meeting", "Record the question on the case management system",
    "Brief team leaders at their monthly meeting", "Distribute leaflets through community venues",
    "Measure uptake through a spot check", "Revise the interpreter booking guidance",
    "Share the audit results with commissioners", "Train the duty team in the new procedure",
    "Agree a memorandum with the crisis service", "Publish the revised guidance on the intranet",
]
HELDOUT_LEADS = ["Northvale Constabulary", "Northvale County Council Adult Social Care", "Northvale Integrated Care Board",
                 "Northvale Healthcare NHS Foundation Trust", "Northvale Homes", "Northvale Women's Aid",
                 "Northvale Ambulance Service NHS Trust", "Northvale Probation Delivery Unit"]


def _recs(asks: list[str], actions: list[str], leads: list[str], targets: list[Target], statuses: list[Status] | None,
          count: int, *, offset: int, per_rec: tuple[int, ...] = (1,), action_text: bool = True,
          several_every: int = 4, completed: list[Target] | None = None, long_every: int = 0) -> list[Rec]:
    """Recommendations with their actions: forms taken in turn from the pools, so every printed
    form appears; every ``several_every``-th lead cell names two bodies; every
    ``long_every``-th action runs long, so its cell wraps over many lines (and its row may
    break over a page). ``completed``: the forms of a "Date completed" column, printed for each
    completed status that gives no date, or (without statuses) for every action in turn."""
    target_of, status_of = cycle(targets[offset % len(targets):] + targets[:offset % len(targets)]), \
        cycle(statuses[offset % len(statuses):] + statuses[:offset % len(statuses)]) if statuses else None
    action_of = cycle(actions[offset % len(actions):] + actions[:offset % len(actions)])
    done_of = cycle(completed) if completed else None
    out = []
    for index in range(count):
        lead = leads[(index + offset) % len(leads)]
        cell = [lead, leads[(index + offset + 3) % len(leads)]] if several_every and index % several_every == 1 else [lead]
        acts = []
        for k in range(per_rec[index % len(per_rec)]):
            text = None
            if action_text:
                text = f"{next(action_of)} (step {index + 1}.{k + 1})."
                if long_every and (index + k) % long_every == long_every - 1:
                    text = text[:-1] + ", then check with each team that the change is understood and " \
                        "applied, and report any gaps to the lead officer with a plan to close them."
            status = next(status_of) if status_of else None
            done = None
            if done_of is not None and status_of is None:
                done = next(done_of)
            elif done_of is not None and status and status.code == "completed" and not status.completed:
                done = next(done_of)
            acts.append(Act(text, cell if k == 0 else [lead], next(target_of), status, done))
        out.append(Rec(str(index + 1), f"{asks[(index + offset) % len(asks)]}.", acts))
    return out


def tuning_plans() -> list[Plan]:
    t, s = TUNING_TARGETS, TUNING_STATUSES
    return [
        Plan("word-plan-merged", "word", "Exampleton", "Adult A", ("March 2024", "2024-03"), 2021,
             [("Recommendation", "recommendation"), ("Action", "action"), ("Lead", "lead"),
              ("Target date", "target_date"), ("Status", "status")],
             [Rec(None, r.text, r.actions) for r in
              _recs(TUNING_ASKS, TUNING_ACTIONS, TUNING_LEADS, t, s, 10, offset=0, per_rec=(1, 2, 3), long_every=5)],
             widths_cm=[4.8, 4.6, 3.0, 2.2, 2.4], merged=True),
        Plan("reportlab-plan-numbered", "reportlab", "Sampleshire", "Mr B", ("June 2023", "2023-06"), 2020,
             [("No.", "number"), ("Recommendation", "recommendation"), ("Actions", "action"),
              ("Lead agency", "lead"), ("Target date", "target_date"), ("RAG status", "status")],
             _recs(TUNING_ASKS, TUNING_ACTIONS, TUNING_LEADS, t, s, 11, offset=3, per_rec=(2, 1, 3), long_every=4),
             widths_cm=[1.0, 5.0, 4.2, 3.0, 2.0, 2.0]),
        Plan("word-plan-rec-lead-date", "word", "Dalebridge", "Adult C", ("November 2022", "2022-11"), 2019,
             [("Ref", "number"), ("Recommendation", "recommendation"), ("Lead agency", "lead"),
              ("Target date", "target_date")],
             _recs(TUNING_ASKS, TUNING_ACTIONS, TUNING_LEADS, t, None, 12, offset=5, action_text=False, several_every=3),
             widths_cm=[1.2, 8.6, 3.6, 2.6]),
        Plan("html-plan-rowspan", "html", "Marshbury", "Ms D", ("July 2024", "2024-07"), 2022,
             [("Rec no.", "number"), ("Recommendation", "recommendation"), ("Action", "action"),
              ("Lead officer / agency", "lead"), ("Timescale", "target_date"), ("Status", "status"),
              ("Date completed", "completed")],
             _recs(TUNING_ASKS, TUNING_ACTIONS, TUNING_LEADS, t, s, 9, offset=7, per_rec=(3, 1, 2),
                   completed=[Target("12/05/2024", "2024-05-12"), Target("3 June 2024", "2024-06-03")]),
             merged=True, lead_once=True),
        Plan("reportlab-plan-completion", "reportlab", "Eastleigh Vale", "Mrs E", ("2 May 2023", "2023-05"), 2021,
             [("Recommendation", "recommendation"), ("Action", "action"), ("Lead", "lead"), ("By when", "target_date"),
              ("Completion", "completed")],
             _recs(TUNING_ASKS, TUNING_ACTIONS, TUNING_LEADS, t, s, 10, offset=9, per_rec=(1, 3)),
             widths_cm=[5.2, 4.4, 3.2, 2.2, 2.2], number_in_text=True, merged=True, lead_once=True),
        Plan("word-plan-lead-once", "word", "Westbrook", "Adult F", ("January 2025", "2025-01"), 2022,
             [("No", "number"), ("Recommendation", "recommendation"), ("Action to be taken", "action"),
              ("Lead agency", "lead"), ("Target", "target_date"), ("Progress", "status"),
              ("Evidence of completion", "other")],
             _recs(TUNING_ASKS, TUNING_ACTIONS, TUNING_LEADS, t, s, 8, offset=11, per_rec=(2, 2, 1), long_every=3),
             widths_cm=[1.0, 4.2, 3.8, 2.8, 2.0, 2.0, 2.2], merged=True, lead_once=True),
    ]


def heldout_plans() -> list[Plan]:
    t, s = HELDOUT_TARGETS, HELDOUT_STATUSES
    return [
        Plan("word-plan-key-actions", "word", "Northvale", "Adult G", ("October 2023", "2023-10"), 2021,
             [("Recommendation", "recommendation"), ("Key actions", "action"), ("Responsible agency", "lead"),
              ("By when", "target_date"), ("Progress update", "status")],
             [Rec(None, r.text, r.actions) for r in
              _recs(HELDOUT_ASKS, HELDOUT_ACTIONS, HELDOUT_LEADS, t, s, 9, offset=1, per_rec=(2, 1, 3), long_every=4)],
             widths_cm=[4.6, 4.8, 3.2, 2.2, 2.6], merged=True),
        Plan("reportlab-plan-rec-lead-status", "reportlab", "Southmoor", "Mr H", ("February 2024", "2024-02"), 2022,
             [("Ref", "number"), ("Recommendation", "recommendation"), ("Lead agency", "lead"),
              ("Target date", "target_date"), ("Status", "status")],
             _recs(HELDOUT_ASKS, HELDOUT_ACTIONS, HELDOUT_LEADS, t, s, 12, offset=2, action_text=False, several_every=3),
             widths_cm=[1.2, 7.6, 3.8, 2.4, 2.4]),
        Plan("html-plan-empty-cells", "html", "Kingsmere", "Ms J", ("September 2024", "2024-09"), 2023,
             [("No", "number"), ("Recommendation", "recommendation"), ("Action(s)", "action"), ("Lead", "lead"),
              ("Deadline", "target_date"), ("RAG", "status")],
             _recs(HELDOUT_ASKS, HELDOUT_ACTIONS, HELDOUT_LEADS, t, s, 10, offset=4, per_rec=(1, 2))),
        Plan("word-plan-timescale", "word", "Fenwick", "Adult K", ("April 2024", "2024-04"), 2021,
             [("Rec no.", "number"), ("Recommendation", "recommendation"), ("Action", "action"),
              ("Lead officer/agency", "lead"), ("Timescale", "target_date"), ("Date completed", "completed")],
             _recs(HELDOUT_ASKS, HELDOUT_ACTIONS, HELDOUT_LEADS, t, None, 9, offset=6, per_rec=(3, 1, 2),
                   long_every=5, completed=[Target("", None), Target("14/03/2024", "2024-03-14"), Target("N/A", None),
                                            Target("", None), Target("September 2024", "2024-09")]),
             widths_cm=[1.2, 5.0, 4.4, 3.2, 2.2, 2.2], merged=True, lead_once=True),
        Plan("reportlab-plan-numbered-text", "reportlab", "Ashcombe", "Mrs L", ("December 2023", "2023-12"), 2020,
             [("Recommendation", "recommendation"), ("Action to be taken", "action"), ("Lead", "lead"),
              ("Target", "target_date"), ("Status", "status")],
             _recs(HELDOUT_ASKS, HELDOUT_ACTIONS, HELDOUT_LEADS, t, s, 11, offset=8, per_rec=(2, 1), long_every=3),
             widths_cm=[5.4, 4.4, 3.0, 2.2, 2.2], number_in_text=True, merged=True),
        Plan("word-plan-wide-status", "word", "Northvale", "Adult M", ("May 2025", "2025-05"), 2023,
             [("No.", "number"), ("Recommendation", "recommendation"), ("Actions", "action"),
              ("Lead agency", "lead"), ("Target date", "target_date"), ("Status", "status")],
             _recs(HELDOUT_ASKS, HELDOUT_ACTIONS, HELDOUT_LEADS, t, s, 10, offset=10, per_rec=(1, 1, 2)),
             widths_cm=[1.0, 5.6, 4.4, 3.0, 2.0, 2.4]),
    ]
