"""What a recommendation asks and what it merely mentions: the weighted zones of its text."""

from __future__ import annotations

import time

from graph.enrich.clauses import ASK, CONDITION, CONTEXT, PURPOSE, SUBJECT, zones


def kinds(text: str) -> list[tuple[str, str]]:
    return [(z.kind, text[z.start:z.end].strip()) for z in zones(text)]


def test_the_body_is_the_subject_and_what_follows_the_directive_is_the_ask() -> None:
    assert kinds("The Trust should update its safeguarding policy.") == [
        (SUBJECT, "The Trust"), (ASK, "update its safeguarding policy.")]


def test_a_purpose_is_cut_from_the_ask() -> None:
    assert kinds("The Trust should review its policy so that staff ask about abuse.")[-1] == (
        PURPOSE, "so that staff ask about abuse.")


def test_in_a_passive_ask_the_subject_is_what_is_asked_for() -> None:
    assert [k for k, _ in kinds("Referrals to MARAC should be made the same day.")] == [ASK, ASK]
    assert kinds("Training to be delivered to all call handlers.")[0] == (ASK, "Training")


def test_action_plan_lines_and_body_to_forms_are_asks() -> None:
    assert kinds("Review of the domestic abuse policy to include economic abuse.") == [
        (ASK, "Review of the domestic abuse policy to include economic abuse.")]
    assert kinds("The Department to strengthen its processes.")[0] == (SUBJECT, "The Department")
    assert kinds("It is recommended that the Council reviews its housing allocation policy.")[-1][0] == ASK


def test_an_action_plan_line_naming_the_action_is_an_ask_with_its_purpose() -> None:
    assert kinds("A review of the recording system to ensure that it prompts staff to note who lives there.") == [
        (ASK, "A review of the recording system"), (PURPOSE, "to ensure that it prompts staff to note who lives there.")]


def test_conditions_count_for_less_but_cases_where_name_what_is_asked_about() -> None:
    text = "Health visitors should refer to children's social care whenever a mother discloses abuse."
    condition = next(z for z in zones(text) if z.kind == CONDITION)
    assert text[condition.start:condition.end] == "whenever a mother discloses abuse."
    assert condition.weight < 1
    assert CONDITION not in {z.kind for z in zones("Adult social care should review its approach to cases where "
                                                    "an older person is cared for by a son.")}


def test_the_story_around_the_ask_is_context() -> None:
    text = "In this case letters went unanswered. The practice should telephone patients who miss appointments."
    assert [z.kind for z in zones(text)][0] == CONTEXT
    assert next(z.weight for z in zones(text) if z.kind == CONTEXT) < 1


def test_a_finding_without_any_directive_is_read_whole() -> None:
    assert kinds("Agencies did not share information.") == [(ASK, "Agencies did not share information.")]


def test_the_first_directive_of_a_sentence_opens_the_ask() -> None:
    text = "A procedure to be created for when a tenant calls: staff must always record the call."
    assert kinds(text)[0] == (ASK, "A procedure")
    assert kinds("In order to improve outcomes, the CSP should review its strategy.")[-1] == (
        ASK, "review its strategy.")


def test_a_body_then_its_verb_after_it_is_recommended_that_is_the_subject_and_the_ask() -> None:
    assert kinds("It is recommended that Exampleton Police take account of the learning.")[-1] == (
        ASK, "take account of the learning.")
    assert kinds("It is recommended that Victim Support reviews its leaflets.")[-1] == (ASK, "reviews its leaflets.")
    assert kinds("It is recommended that the Partnership reviews its policy to ensure that staff ask about abuse.")[:2] \
        == [(SUBJECT, "It is recommended that the Partnership"), (ASK, "reviews its policy")]
    # A noun that is also a verb is no verb after "the" or before "is" or a body noun.
    assert kinds("It is recommended that the review panel chair writes to the Home Office.")[-1] == (
        ASK, "writes to the Home Office.")
    assert kinds("It is recommended that a multi-agency audit is undertaken.")[-1] == (
        ASK, "a multi-agency audit is undertaken.")


def test_an_action_plan_line_in_any_common_verb_has_its_body_as_subject() -> None:
    assert kinds("Exampleton Housing Options to acknowledge every referral within two days.")[0] == (
        SUBJECT, "Exampleton Housing Options")
    # A body whose name starts with a verb, and a finding that starts with one, are no imperative.
    assert kinds("Change Grow Live to review its assessment.")[0] == (SUBJECT, "Change Grow Live")
    text = "Second, the GP was not told about the MARAC. The practice should ensure that clinicians ask about abuse."
    assert kinds(text)[0] == (CONTEXT, "Second, the GP was not told about the MARAC.")


def test_what_a_comma_and_including_adds_counts_like_a_condition() -> None:
    text = "Staff should check every incident, including those where no crime was recorded, before closing a case."
    assert (CONDITION, "including those where no crime was recorded") in kinds(text)


def test_a_trailing_condition_runs_on_over_a_list_up_to_another_clause() -> None:
    text = "Health visitors should ask about abuse at every contact when a family has moved, changed GP or registered a new partner."
    assert kinds(text)[-1] == (CONDITION, "when a family has moved, changed GP or registered a new partner.")
    text = "Health visitors should ask about abuse when a family has moved, changed GP, or registered a new partner."
    assert kinds(text)[-1] == (CONDITION, "when a family has moved, changed GP, or registered a new partner.")
    text = "Crews should tell the hospital when they suspect abuse, and record who was present."
    assert kinds(text)[-1] == (ASK, ", and record who was present.")


def test_a_long_condition_full_of_commas_is_cut_in_time_proportional_to_its_length() -> None:
    # Review text is untrusted and unbounded: 128 KB of list took minutes when every comma
    # rescanned the text before it; in one pass it takes a fraction of a second.
    text = "Staff should ask about abuse " + "word " * 16_000 + "when a" + ", b" * 16_000 + "."
    started = time.process_time()
    assert kinds(text)[-1][0] == CONDITION
    assert time.process_time() - started < 10


def test_hedged_lead_ins_of_older_reviews_and_of_agencies_own_reports_open_the_ask() -> None:
    assert kinds("It is suggested that the Trust reviews its discharge letters.")[-1] == (ASK, "reviews its discharge letters.")
    assert kinds("The IMR author recommends that the Service audits its case files.")[-1] == (
        ASK, "audits its case files.")
    assert kinds("The overview author would propose that the Board audits its case files.")[-1] == (
        ASK, "audits its case files.")
    # A wish in the past tense ("if the Council provided…") has its verb there, not in a noun after it.
    assert kinds("It would be beneficial if the Council provided advice for its contact centre staff.")[:2] == [
        (SUBJECT, "It would be beneficial if the Council"), (ASK, "provided advice for its contact centre staff.")]



def test_a_passive_after_a_lead_in_keeps_what_is_asked_as_the_ask() -> None:
    assert kinds("It is recommended that a sanctuary scheme is offered to every victim assessed as high risk.")[-1] \
        == (ASK, "a sanctuary scheme is offered to every victim assessed as high risk.")
    # A past tense with a doubled consonant is a verb too.
    assert kinds("It would be beneficial if trained officers referred victims to MARAC.")[-1] == (
        ASK, "referred victims to MARAC.")


def test_reported_speech_has_its_directive() -> None:
    assert kinds("Exampleton Homes was asked to review its rent arrears procedure.")[-1] == (
        ASK, "review its rent arrears procedure.")
    assert kinds("It recommended that the Council reviews its allocations policy.")[-1] == (
        ASK, "reviews its allocations policy.")
    assert kinds("Recommendations included that the police review their bail checks.")[-1] == (
        ASK, "review their bail checks.")


def test_the_cells_of_an_action_plan_row_that_name_who_and_when_are_not_its_ask() -> None:
    # "Lead" is a verb too; opening a cell it names the body, and the row's ask stays its ask.
    text = "Council tax team to print the helpline number on arrears letters. Lead: Exampleton Council. Target date: May 2026."
    assert (zones(text)[0].kind, zones(text)[0].weight) == (ASK, 1.0)
    text = "The council tax team should print the helpline number on arrears letters. Lead: Exampleton Council."
    assert kinds(text)[-1] == (CONTEXT, "Lead: Exampleton Council.")
    # A flattened table row whose first cell names the lead still holds the ask in its next cell.
    assert SUBJECT in [kind for kind, _ in kinds("Lead agency: Exampleton Council | The council should add a "
                                                 "question to its form.")]


def test_the_action_cell_of_a_row_opens_what_it_asks() -> None:
    text = ("Action: revise the housing procedure. Outcome: the procedure covers abuse by adult children. "
            "Lead: Exampleton Housing.")
    assert kinds(text)[:3] == [(SUBJECT, "Action:"), (ASK, "revise the housing procedure."),
                               (CONTEXT, "Outcome: the procedure covers abuse by adult children.")]
    # After "Action to take:" a verb that is also a noun ("Place", "Plan") is the verb of the line.
    assert kinds("Action to take: Place a domestic abuse worker in the team to advise staff.") == [
        (SUBJECT, "Action to take:"), (ASK, "Place a domestic abuse worker in the team to advise staff.")]
    assert kinds("Action to take: The panel to invite friends to contribute.")[0] == (SUBJECT, "Action to take: The panel")
    assert kinds("Action: Change Grow Live to offer outreach.")[0] == (SUBJECT, "Action: Change Grow Live")


def test_a_directive_inside_the_purpose_of_an_action_plan_line_is_the_purpose() -> None:
    assert kinds("Amend the protocol so that the school is invited to attend the meeting.") == [
        (ASK, "Amend the protocol"), (PURPOSE, "so that the school is invited to attend the meeting.")]
    # A line that only looks imperative ("Review processes…") keeps its directive after a "to" purpose.
    assert kinds("Review processes to identify repeat victims should be strengthened.")[0] == (
        ASK, "Review processes to identify repeat victims")


def test_be_with_an_adjective_is_no_passive_so_who_is_asked_stays_the_subject() -> None:
    assert kinds("Staff should be aware of the signs of stalking.")[0] == (SUBJECT, "Staff")
    assert kinds("The Board should be assured that the actions are complete.")[0] == (SUBJECT, "The Board")
    assert kinds("Referrals should be made the same day.")[0] == (ASK, "Referrals")
    assert kinds("Records should be clear about who was present.")[0] == (ASK, "Records")  # only people are aware


def test_a_finding_set_before_its_recommendation_is_never_the_ask() -> None:
    text = ("Finding 2: Each agency followed its own procedure. No one stood back to look at the whole picture. "
            "Recommendation 2: The Board should audit joint cases.")
    assert [kind for kind, _ in kinds(text)] == [CONTEXT, CONTEXT, SUBJECT, ASK]


def test_a_numbered_recommendation_may_open_with_a_lead_in_too() -> None:
    for label in ("Recommendation 3:", "Recommendation 3a –", "Multi-agency recommendation 2 -",
                  "Recommendation 4 (Carers Centre):"):
        assert kinds(f"{label} It is recommended that the Carers Centre ensures that every carer is offered a "
                     "private conversation.")[-1] == (ASK, "ensures that every carer is offered a private conversation."), label


def test_a_finding_ends_at_its_recommendation_however_that_is_labelled() -> None:
    finding = "Finding 2: No one stood back to look at the whole picture."
    for recommendation in ("Recommendation 2 – The Board should audit joint cases.",
                           "Recommendation 2a: The Board should audit joint cases.",
                           "It is recommended that the Board audits joint cases."):
        assert kinds(f"{finding} {recommendation}")[0] == (CONTEXT, finding), recommendation
    # A heading with no full stop before the recommendation is cut there.
    assert kinds("Finding 4: Risk management Recommendation 4: The Board should audit joint cases.")[0] == (
        CONTEXT, "Finding 4: Risk management")
    # A heading that calls the recommendation itself a finding keeps its ask.
    assert kinds("Key finding 3: The service should ask every client about abuse.")[:2] == [
        (SUBJECT, "Key finding 3: The service"), (ASK, "ask every client about abuse.")]


def test_knowing_how_to_do_something_is_no_body_to_line() -> None:
    # "The Service to review…" names who is asked before "to"; "…know where to refer" does not.
    assert kinds("The Service to review its referral form.")[0] == (SUBJECT, "The Service")
    for text in ("Receptionists know where to refer a patient who discloses abuse.",
                 "Youth workers understand how to refer a young person to the specialist service."):
        assert not any(kind == SUBJECT and words.endswith(("where", "how")) for kind, words in kinds(text)), text
    # Nor is what a noun opens: "a reason to take…", "the right to see…".
    assert SUBJECT not in [kind for kind, _ in kinds("A fall at home is a reason to take the patient to hospital.")]
    assert kinds("Practitioners consider whether the patient has capacity to make that decision.")[0] == (
        SUBJECT, "Practitioners")


def test_an_outcome_stated_instead_of_asked_names_who_acts_first() -> None:
    assert kinds("Dental teams ask about abuse when a patient has an injury to the face.")[:2] == [
        (SUBJECT, "Dental teams"), (ASK, "ask about abuse")]
    assert kinds("Outcome: the service offers every caller a named worker.")[0] == (SUBJECT, "Outcome: the service")
    # A verb whose "-s" follows "sh" or "ch" as well ("publishes", "reaches").
    assert kinds("Outcome: the Partnership publishes a short guide for employers.")[:2] == [
        (SUBJECT, "Outcome: the Partnership"), (ASK, "publishes a short guide for employers.")]
    # Not inside a relative clause, and not where something else in the text asks.
    assert SUBJECT not in [kind for kind, _ in kinds("Victims who contact the service receive a call back.")]
    assert kinds("Health visitors know the family. The Trust should audit its records.")[0] == (
        CONTEXT, "Health visitors know the family.")
