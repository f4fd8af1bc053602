"""Theme classification: 1–3 themes, most important first, with confidence and evidence."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from graph import Store, extract
from graph.analysis.evaluation import default_labels, evaluate
from graph.cli import main
from graph.enrich import classify, enrich
from graph.enrich.lexicon import theme_lexicon
from graph.model.terms import THEMES, top_level
from tests.conftest import SEED


def test_every_seed_recommendation_gets_one_to_three_known_themes() -> None:
    for rec in enrich(extract(SEED)).recommendations:
        assert 1 <= len(rec.themes) <= 3
        assert all(t.code in THEMES for t in rec.themes)
        assert all(0 < t.confidence < 1 for t in rec.themes)


def test_themes_carry_the_words_that_triggered_them() -> None:
    themes = classify("Agencies should refer high-risk victims to MARAC and complete a DASH risk assessment.")
    codes = [t.code for t in themes]
    assert top_level(codes[0]) in {"T1", "T4"} and {"T1", "T4"} <= {top_level(c) for c in codes}
    evidence = " | ".join(e for t in themes for e in t.evidence)
    assert "MARAC" in evidence and "DASH" in evidence  # as matched: a phrase ("DASH risk") or a word


def test_a_vague_recommendation_is_unclassifiable_not_forced() -> None:
    [only] = classify("Agencies should work better.")
    assert (only.code, only.evidence) == ("T11.5", ())
    assert [t.code for t in classify("All partners should take note of the issues raised in this report.")] == ["T11.5"]


def test_findings_passed_to_a_national_body_without_a_stated_change_are_routing() -> None:
    assert [t.code for t in classify("The Home Office should consider the findings of this review.")] == ["T11.4"]
    # What the findings are about is no ask of its own (labelling guide, special cases).
    assert [t.code for t in classify(
        "NHS England should consider the findings of this review as they relate to young carers.")] == ["T11.4"]


@pytest.mark.parametrize("text", [
    "It is recommended that the Exampleton Trust take account of the learning in this review.",
    "All partners should work together more effectively to keep victims safe.",
    "All partners should work together more effectively to protect victims of domestic abuse in Exampleton.",
    "All agencies should take into account the findings of this review.",
    # Agencies' own reports and older reviews say the same in other words.
    "Exampleton Police will take note of the learning identified in this IMR.",
    "All agencies should reflect on this report and consider what it means for their own practice.",
    "It is hoped that partners in Exampleton will continue to work more closely together in the light of this case.",
    "The Service recognises that its practice fell short of what it expects and is committed to improving its "
    "practice with victims.",
    "Partners should reflect on how the victim's needs could have been better understood.",
    "Agencies should continue to improve the way they work together to protect older people.",
    "Partner agencies to work together more effectively to keep young people safe.",
    "Action to take: Continue to improve joint working.",
    # Action-plan rows that only take note.
    "Recommendation: Every agency involved in this review to consider the findings and whether there is anything "
    "more it could have done. Target date: Six months.",
    "Recommendation: The Partnership to note the findings of this review. Scope: Local. Action to take: Report "
    "noted. Lead agency: Exampleton Partnership. Target date: N/A.",
])
def test_asks_that_name_no_action_are_no_concrete_ask(text: str) -> None:
    assert [t.code for t in classify(text)] == ["T11.5"]


def test_a_search_of_records_ranks_after_the_risk_it_should_find_and_is_kept_beside_it() -> None:
    codes = [t.code for t in classify("The force should run a quarterly search of its incident records for addresses "
                                      "with two or more domestic calls in a month.")]
    assert codes == ["T1.1", "T3.2"]
    codes = [t.code for t in classify("The force should run a monthly search of incident records for addresses with "
                                      "three or more calls, and refer each victim found to an IDVA and to MARAC.")]
    assert codes[0] != "T3.2" and codes[1] == "T3.2"
    # A change to the records themselves is no search.
    assert classify("Housing should review its data systems to record the housing needs of victims.")[0].code == "T3.2"


def test_weak_secondary_hints_are_not_over_assigned() -> None:
    codes = [t.code for t in classify(
        "All staff to complete domestic abuse training, with a training needs analysis and an e-learning package.")]
    assert codes == ["T5.1"]


# The kinds of recommendation a list of cue words got wrong on real text (issue #20), in words
# of our own; labelled by docs/labelling.md.
@pytest.mark.parametrize(("text", "first"), [
    ("Staff should arrange to call the victim back at a time she chooses, on a number only she uses.", "T8"),
    ("The referral template should have a box for the names and ages of everyone living at the address.", "T3"),
    ("The service should run a monthly report from its case system listing people seen three times in a quarter "
     "after an injury.", "T3"),
    ("The partnership should visit community centres used by the local Polish community to talk about the help "
     "available.", "T7"),
    ("Children's social care should ensure that the outcome of every assessment is shared with the child's school.",
     "T2"),
    ("Exampleton Children's Services should ensure that social workers speak to each child alone during every "
     "assessment.", "T10"),
    ("The Trust should ensure that nurses ask any patient whose injuries are not explained by the account given "
     "whether anyone at home hurt them.", "T1"),
    ("Exampleton Homes should ensure that officers write down what a tenant says about abuse, rather than noting only "
     "that there was a dispute.", "T3"),
    ("Practitioners should listen to the child and set down the child's wishes and views in every assessment.", "T10"),
])
def test_a_concrete_ask_without_cue_words_gets_a_theme_not_no_concrete_ask(text: str, first: str) -> None:
    themes = classify(text)
    assert top_level(themes[0].code) == first
    assert "T11.5" not in [t.code for t in themes]


def test_a_change_to_national_law_or_a_definition_is_national_policy_first() -> None:
    themes = classify("The CSP should write to the Home Office asking that the statutory definition of domestic "
                      "abuse be extended to abuse by a lodger.")
    assert themes[0].code == "T6.3"


@pytest.mark.parametrize("text", [
    "The Department for Education should bring forward legislation so that schools are told of every domestic "
    "incident involving a pupil.",
    # What the findings are about never hides a change asked for after all.
    "The Home Office should consider the findings of this review in relation to the need to amend the statutory "
    "guidance.",
    # National guidance named by its title, or what is to be named in it.
    "The force should ask the College of Policing to amend its Authorised Professional Practice so that officers "
    "check a suspect's previous partners.",
    "The Department for Education should name economic abuse explicitly in the statutory relationships education "
    "guidance for schools.",
])
def test_national_law_or_guidance_in_other_words_is_national_policy_first(text: str) -> None:
    assert classify(text)[0].code == "T6.3"


@pytest.mark.parametrize(("text", "first"), [
    ("The Trust should update its statutory and mandatory training to include coercive control.", "T5.1"),
    ("The MARAC should ensure that all MARAC actions are completed and recorded within a month.", "T4.1"),
])
def test_words_of_national_change_or_monitoring_in_an_agencys_own_ask_do_not_decide(text: str, first: str) -> None:
    assert classify(text)[0].code == first


def test_a_mechanism_heads_the_ask_only_when_named_not_by_a_word_of_its_description() -> None:
    # "understand" is a word of T5.1's description; what staff are to understand is the failing.
    themes = classify("Adult social care should ensure that staff understand when the Care Act duty to make "
                      "enquiries applies.")
    assert [t.code for t in themes] == ["T6.2"]


@pytest.mark.parametrize(("text", "first"), [
    # Hedged asks: what is to be explored or considered is the ask.
    ("The panel would urge the Council to explore the feasibility of placing an IDVA within the hospital's "
     "emergency department team.", "T4.4"),
    ("It would be beneficial if the Service provided training for its reception staff on responding to a caller "
     "who discloses abuse, including how to arrange a safe time to call back.", "T5.1"),
    # Passing a concern to a patient's GP, and consent to do so, share information between agencies.
    ("It is suggested that the Service considers how concerns raised by its crews might be copied to the "
     "patient's GP.", "T2.1"),
    ("The team should give consideration to seeking each client's consent, at assessment, to contact the other "
     "agencies involved with them.", "T2.1"),
    # Being told what help there is, is about the help, not sharing a case's information.
    ("Exampleton Police should ensure that every victim is given information about independent domestic abuse "
     "services.", "T7.1"),
    ("The domestic abuse service should explore ways of reaching older women living in the rural villages of the "
     "district.", "T7.2"),
    ("The Board to receive a report on the progress of the housing actions from this review at its next meeting.",
     "T11.3"),
])
def test_the_wording_of_agencies_own_reports_and_older_reviews_reaches_its_theme(text: str, first: str) -> None:
    assert top_level(classify(text)[0].code) == top_level(first)


@pytest.mark.parametrize("text", [
    "The Partnership should present the findings of this review at its annual practitioners' conference.",
    "The Board to publish the executive summary of this review on its website and to use it in its multi-agency "
    "training programme.",
    "Briefing for front-line managers on the findings of this review – Lead: Head of Service.",
    "The Board to include this review in its annual learning event for practitioners and to use the case in its "
    "multi-agency training.",
])
def test_presenting_or_publishing_the_reviews_findings_is_dissemination(text: str) -> None:
    assert classify(text)[0].code == "T11.2"


@pytest.mark.parametrize(("text", "first"), [
    # Whom a change concerns (older people, carers) is said in many words; the failing comes first.
    ("Practitioners completing a carer's assessment should speak to the carer and the older person separately "
     "and ask each of them whether they feel afraid at home.", "T1.2"),
    ("Adult Services should not cancel a home visit at the request of an older person's adult son without speaking "
     "to the older person directly.", "T8.5"),
    # … and leads when the change is about serving that group.
    ("Services should offer longer appointments and easy-read information to victims with a learning disability.",
     "T9.2"),
    ("The Trust should provide professional interpreters for patients who do not speak English, and never use "
     "family members to interpret.", "T9.3"),
    # One sign of the group counts in full: an interpreter booked is serving the group.
    ("The Trust should record whether a patient needs an interpreter and book one for every appointment.", "T9.3"),
])
def test_whom_a_change_concerns_comes_after_the_failing_unless_serving_them_is_the_change(
        text: str, first: str) -> None:
    themes = [t.code for t in classify(text)]
    assert themes[0] == first and any(t.startswith("T9") for t in themes)


@pytest.mark.parametrize(("text", "first"), [
    ("The Board should agree one approach to the safety of older people that brings together the regional "
     "safeguarding priorities and the ageing well plan.", "T4.4"),
    ("The two boards should publish a joint protocol setting out how their work on abuse by family members is "
     "aligned.", "T4.4"),
    ("Where a victim is supported by several services, one should be agreed as the lead professional for her "
     "safety plan.", "T4.4"),
    ("Adult Services should send letters in a plain envelope addressed to the older person.", "T8.5"),
    ("Staff should not leave voice messages on a phone shared with the victim's partner.", "T8.5"),
    ("Adult social care should amend its safeguarding referral form to include a question about fear at home.",
     "T3.2"),
    ("The service should ensure that a call from a relative reporting a concern about a client is passed to the key "
     "worker the same day.", "T2.2"),
    ("The findings of this review about the support available to older carers should be brought to the attention "
     "of the Home Office.", "T11.4"),
    # A worker "based" somewhere is no worker placed in another team.
    ("The Health Board to fund a hospital-based IDVA in the emergency department, available in the evenings.",
     "T8.1"),
])
def test_the_wording_of_reviews_of_older_parents_suicides_and_welsh_reviews_reaches_its_theme(
        text: str, first: str) -> None:
    assert classify(text)[0].code == first


def test_who_leads_an_action_plan_row_and_when_are_not_what_it_asks() -> None:
    # The lead agency's name (a recovery network: T8.3) says who acts, not what is to change.
    row = ("Recommendation: Victims to be offered a safety plan at the first contact. Lead agency: Exampleton Drug "
           "and Alcohol Recovery Network. Target date: May 2026.")
    assert classify(row)[0].code == "T4.2"


@pytest.mark.parametrize(("text", "first"), [
    ("Place a specialist practitioner from the local refuge within the community mental health team two days a "
     "week.", "T4.4"),
    ("Recommendation: The Department for Education should consider the findings of this review. Scope: National. "
     "Action to take: Report sent to the Department. Lead agency: Department for Education. Target date: N/A.",
     "T11.4"),
    ("The housing provider should offer security work, including changing the locks, to a tenant at high risk "
     "within five days of the referral.", "T8.4"),
    ("Hold an event for community leaders on the findings of this review.", "T11.2"),
])
def test_the_wording_of_action_plan_rows_reaches_its_theme(text: str, first: str) -> None:
    assert classify(text)[0].code == first


def test_sending_a_childs_file_to_the_new_school_is_information_sharing() -> None:
    codes = [t.code for t in classify("The designated safeguarding lead should send the child protection file to "
                                      "the new school within five days.")]
    assert "T2.1" in codes


# Where the rules for older reviews, action-plan rows and reviews of older people could misfire
# (a fresh-eyes review of them), in words of our own.
@pytest.mark.parametrize(("text", "first"), [
    ("It is recommended that a sanctuary scheme is offered to every victim assessed as high risk.", "T8.4"),
    ("It would be beneficial if trained officers referred high-risk victims to MARAC.", "T4.1"),
    ("Exampleton Police should reflect on how it records repeat calls and introduce a flag on addresses with three or "
     "more calls.", "T3.2"),
    ("Officers should complete the DASH checklist in every case, in addition to the national risk guidance.", "T1.1"),
    ("The Trust should change its procedure so that staff refer to the statutory guidance on domestic abuse.", "T6.1"),
    ("The Trust should revise its Code of Practice on chaperones so that patients are seen alone.", "T1.2"),
    ("The findings should be brought to the attention of the Home Office so that it amends the statutory guidance to "
     "include older victims.", "T6.3"),
    ("The CSP should bring the findings of this review to the attention of the Home Office.", "T11.4"),
    ("Exampleton Council is committed to reducing homelessness across the district. Housing officers should ask every "
     "applicant whether they are experiencing domestic abuse.", "T1.2"),
    ("The Council should ensure that housing allocations are aligned with the victim's safety plan.", "T8.4"),
    ("Probation should track the progress of the perpetrator's actions under the sentence plan.", "T1.4"),
    ("The service should reach women who are referred from the GP on the same day.", "T4.2"),
    ("Staff should amend the victim's record when she changes her phone number.", "T3.1"),
])
def test_rules_for_other_wordings_do_not_misfire(text: str, first: str) -> None:
    assert classify(text)[0].code == first


@pytest.mark.parametrize(("text", "first"), [
    # A field's name hides only a short name or date after it, and only at the start of a sentence or cell.
    ("Scope: all frontline staff to complete domestic abuse awareness training.", "T5.1"),
    ("Lead agency: Exampleton Police, who should check bail conditions before release.", "T1.4"),
    ("The ICB should take the lead: commission an IDVA based in the emergency department.", "T8.1"),
    ("Housing officers should ask about the tenant's immigration status: whether they have leave to remain and "
     "recourse to public funds.", "T9.3"),
    # What someone in the case was asked to do is no directive.
    ("The victim was asked to move to temporary accommodation out of area. Agencies should share information about "
     "high-risk victims with the MARAC.", "T4.1"),
    ("The family were asked to contribute to the review. The Council should publish the report.", "T11.2"),
    ("Recommendations for single agencies included in the IMRs are monitored by the Partnership. GPs should ask "
     "patients about domestic abuse when they are alone.", "T1.2"),
    # A case's findings shared are information sharing; a national strategy named in passing is no change to it.
    ("Health visitors should ensure that assessment findings are shared with the GP.", "T2.1"),
    ("The Home Office should include older victims in the next national domestic abuse strategy.", "T6.3"),
    ("The Ministry of Defence should ensure that unit welfare officers ask service personnel about domestic abuse.",
     "T1.2"),
    ("Where a review finds that a veteran is homeless, he should be referred to the Ministry of Defence welfare "
     "service.", "T8.4"),
    ("Agencies should work together to improve the response in cases of honour-based abuse.", "T9.3"),
    # Findings brought to a national body are routing whatever they are about (integration here).
    ("The findings of this review should be brought to the attention of NHS England, with the learning that "
     "co-located IDVAs reached more victims.", "T11.4"),
])
def test_rules_for_action_plans_and_reported_speech_do_not_misfire(text: str, first: str) -> None:
    assert classify(text)[0].code == first


def test_a_plan_aligned_with_a_national_strategy_is_no_national_change() -> None:
    assert classify("The ICB should revise its suicide prevention plan in line with the priorities in the national "
                    "suicide prevention strategy.")[0].code != "T6.3"


def test_a_local_commissioner_or_a_person_sent_to_the_gp_is_no_routing_or_information_sharing() -> None:
    assert classify("The case should be brought to the attention of the Police and Crime Commissioner's office so "
                    "that the IDVA service is funded.")[0].code != "T11.4"
    assert classify("Victims should be sent to the GP for an assessment of their injuries.")[0].code != "T2.1"
    # Protecting a group from a named harm is no empty aim: the group stays.
    codes = [t.code for t in classify("Adult Services should review its procedures to protect older people from "
                                      "financial abuse by family members.")]
    assert codes[0] == "T1.3" and "T9.1" in codes


# Councils' web pages summarise recommendations in reported speech.
@pytest.mark.parametrize(("text", "first"), [
    ("The review's findings about isolation in farming communities were to be passed to the Department for "
     "Environment, Food and Rural Affairs.", "T11.4"),
    ("The Ministry of Justice was asked to consider the findings of the review.", "T11.4"),
    ("The Partnership was asked to take account of the findings in its future work.", "T11.5"),
    ("The review recommended that partner agencies continue to work together to improve the response to domestic "
     "abuse in rural communities.", "T11.5"),
    ("The review recommended that its learning be shared with farming organisations and rural churches.", "T11.2"),
    ("The review recommended that the Department of Health and Social Care name domestic abuse as a risk factor in "
     "the national suicide prevention strategy.", "T6.3"),
])
def test_recommendations_reported_in_the_past_tense_reach_their_theme(text: str, first: str) -> None:
    assert classify(text)[0].code == first


@pytest.mark.parametrize(("text", "first"), [
    # What findings are about is no ask (labelling guide): "on", "about", "regarding" say it too.
    ("The Department for Education should take account of the findings of this review about school nurses.",
     "T11.4"),
    ("All agencies should consider the findings of this review on stalking.", "T11.5"),
    # …with whom it is about ("carers who live and work…").
    ("The Board should note the findings of this review about carers who live and work in the same small community.",
     "T11.5"),
    ("All agencies should be mindful of the lessons of this review.", "T11.5"),
    # "Employers" names who is asked; "be mindful" is no passive making them what is asked.
    ("Employers in Exampleton should be mindful of the learning from this review.", "T11.5"),
    ("Fears that a patient may harm a partner must be passed to the police.", "T2.1"),
    ("Where a victim agrees, the IDVA should inform the named contact at her college about the risk.", "T2.1"),
    ("The panel should invite the family to contribute to the review.", "T11.1"),
    ("Friends of the victim should be given the chance to take part in the review.", "T11.1"),
    ("The Partnership should make sure that the family is offered an advocate at the start of the review and "
     "asked how they wish to take part.", "T11.1"),
    ("The Partnership should ask the Department for Work and Pensions to introduce a statutory right to emergency "
     "payments for victims leaving an abuser.", "T6.3"),
    ("Practices should add a tick-box asking whether the patient can speak freely.", "T3.2"),
    # The finding before a recommendation that asks nothing is no ask either.
    ("Finding 4: No DASH risk assessment was completed and no MARAC referral was made after the assault. "
     "Recommendation 4: NHS Exampleton is asked to note the findings of this review in relation to primary care.",
     "T11.5"),
    ("Partners across Exampleton should continue to strengthen partnership working in response to domestic abuse.",
     "T11.5"),
])
def test_the_wording_of_findings_and_of_asks_to_partners_and_national_bodies_reaches_its_theme(
        text: str, first: str) -> None:
    assert classify(text)[0].code == first


@pytest.mark.parametrize(("text", "first"), [
    ("The Ministry of Justice should amend the guidance on restraining orders so that courts consider contact "
     "through apps.", "T6.3"),
    ("The Department of Health and Social Care should require every NHS trust to have a policy for staff who "
     "experience domestic abuse.", "T6.3"),
    # The phrase that put the theme first names its concept too.
    ("It is recommended that the Home Office revises the multi-agency guidance on stalking.", "T6.3"),
    ("The Home Office should revise its guidance on coercive control.", "T6.3"),
    # A national body's guidance that a local body follows is the local body's policy.
    ("The Trust should amend its policy in line with Home Office guidance.", "T6.1"),
    ("The police should, following College of Policing guidance, review their procedures for bail.", "T6.1"),
    # A national change mentioned further on decides the theme, not what of it is asked.
    ("All agencies should update their domestic abuse policies to reflect the new legislation.", "T6.1"),
])
def test_the_guidance_or_policy_of_a_national_body_asked_to_change_it_is_national_policy(
        text: str, first: str) -> None:
    assert classify(text)[0].code == first


def test_a_local_policy_named_before_a_national_body_stays_local() -> None:
    codes = [t.code for t in classify(
        "The Trust should update its stalking policy and write to the Home Office about the gaps it found.")]
    assert "T6.3" not in codes


@pytest.mark.parametrize(("text", "first"), [
    # What findings are about ends where an ask of its own begins.
    ("Agencies should consider the findings of this review about economic abuse, which should be included in "
     "their training.", "T5"),
    ("Social workers should establish the legal duty owed to the victim under the Care Act before closing a case.",
     "T6.2"),
    ("The victim should be helped by the council's homelessness team.", "T8.4"),
])
def test_the_new_wordings_do_not_misfire(text: str, first: str) -> None:
    assert classify(text)[0].code.startswith(first)


def test_taking_part_in_other_reviews_is_no_part_in_the_domestic_homicide_review() -> None:
    codes = [t.code for t in classify("GPs should take part in reviews of high-risk patients with the community "
                                      "mental health team.")]
    assert "T11.1" not in codes
    assert "T2.1" not in [t.code for t in classify("The victim should be passed to the council's homelessness team.")]
    # Training that reaches every worker is no information reaching one.
    assert not any(t.code.startswith("T2") for t in classify("The training should reach every social worker in the team."))


@pytest.mark.parametrize(("text", "first"), [
    # Training named by its topic is specialist training ("stalking training" is training on stalking).
    ("Stalking awareness training for all housing officers.", "T5.2"),
    ("Health partners to continue to work together to improve outcomes for older victims.", "T11.5"),
    ("All agencies should reflect on the learning from this case.", "T11.5"),
    ("Each agency should consider how it can better support victims who have a disability.", "T11.5"),
    ("The review's findings on pregnancy should be brought to the attention of the Royal College of General "
     "Practitioners.", "T11.4"),
    ("The council should commission its drug service with a domestic abuse worker embedded in the team.", "T4.4"),
    # A policy for an employer's own staff is a workplace policy; one for staff to follow is the agency's.
    ("A domestic abuse policy for the council's own employees, with a named contact for staff who disclose.", "T7.3"),
    ("A procedure for staff on responding to disclosures of abuse at the front desk.", "T6.1"),
    # Women who sell sex are a group the scheme names only at its top (T9).
    ("Police to treat women who sell sex as victims first.", "T9"),
    # Whom to work better for is no ask; how to do it is.
    ("Partners should work together more effectively to support people who are homeless.", "T11.5"),
    ("Partners should work together more effectively to support victims by sharing information at MARAC.", "T2.1"),
    ("All agencies should reflect on the learning from this review and consider what it means for their work with "
     "older people.", "T11.5"),
    ("The Board should take the findings of this review into account in its future work.", "T11.5"),
    # What one worker hears reaching another is information sharing, however it is said.
    ("Reception staff to pass to the duty GP, the same day, anything a patient says about being afraid at home.",
     "T2.2"),
    ("The practice should make sure that what a receptionist hears at the desk reaches the patient's GP the same "
     "day.", "T2"),
    ("Agencies should tell each other about any change of address of a high-risk victim.", "T2"),
    ("Ambulance crews to consider domestic abuse when called to a fall where the partner's account does not fit the "
     "injuries.", "T1.2"),
    ("Carer's assessments to include a private question about whether the person cared for hurts or frightens the "
     "carer.", "T1.2"),
    ("A domestic abuse policy for Exampleton Leisure Trust's own employees.", "T7.3"),
    ("All partners should continue to work together to improve the response to victims.", "T11.5"),
    ("Partners should work together to improve outcomes for children and families affected by domestic abuse.",
     "T11.5"),
    ("Partners should strengthen partnership working across Exampleton.", "T11.5"),
    # Whom better support is for may be described in any words: "with…", "and their families".
    ("The Trust should consider how it can better support victims with learning disabilities.", "T11.5"),
    ("The Council should consider how it could better support older victims and their families.", "T11.5"),
])
def test_the_wording_of_learning_briefs_reaches_its_theme(text: str, first: str) -> None:
    assert classify(text)[0].code == first


@pytest.mark.parametrize(("text", "first"), [
    ("All GPs should receive coercive control training.", ["T5.2", "T1.3"]),
    # Sex work mentioned in passing is no group the change is for.
    ("The probation service should consider sex offences and sex work convictions when assessing the "
     "perpetrator's risk.", ["T1.4"]),
    # A procedure for staff to follow is the agency's policy, even when called a policy for its own staff.
    ("The Trust should write a domestic abuse policy for its own staff on how to respond when a patient discloses "
     "abuse.", ["T6.1", "T7.3"]),
    ("The Trust should adopt a policy to support employees who are experiencing domestic abuse.", ["T7.3", "T6.1"]),
    # Findings brought to a national body with a national change asked: the change first.
    ("The findings should be brought to the attention of the Royal College of General Practitioners, with a request "
     "that it update its national guidance on routine enquiry.", ["T6.3", "T11.4"]),
    ("An IDVA should be based in the emergency department.", ["T4.4", "T8.1"]),
    # A search of records is the means of finding who is at risk, however its words are weighed.
    ("GP practices should complete a data search of patients with repeat prescriptions for injuries so that GPs can "
     "ask about domestic abuse.", ["T1.2", "T3.2"]),
])
def test_the_rules_a_second_review_narrowed_hold_on_both_sides(text: str, first: list[str]) -> None:
    assert [t.code for t in classify(text)] == first


@pytest.mark.parametrize(("text", "first"), [
    # Outcomes stated instead of asked for, and the asks of newer action plans.
    ("National practice guidance for health visitors is updated so that every home visit includes a private "
     "conversation.", "T6.3"),
    ("The statutory guidance is amended so that coercive control, stalking and economic abuse after separation are "
     "named as signs of risk.", "T6.3"),
    ("The Ministry of Justice should review the practice direction on child arrangements so that courts must see "
     "police records before a final order is made.", "T6.3"),
    ("A specialist worker is based two days a week in each community mental health team.", "T4.4"),
    ("The Partnership should offer families a specialist independent advocate from the start of each review.",
     "T11.1"),
    ("All agencies should note the findings and take them into account in their future practice.", "T11.5"),
    ("The Department of Health and Social Care should make routine enquiry about domestic abuse a statutory part of "
     "every antenatal booking appointment.", "T6.3"),
    ("Ward managers should share this briefing with their teams.", "T11.2"),
    ("The council should include a question about feeling safe at home in its annual review of adults with care needs "
     "who live with a grandchild.", "T1.2"),
    ("All partners should reflect on this review's findings.", "T11.5"),
    ("Offender managers: keep a note of each new relationship disclosed at supervision.", "T3.1"),
    ("The mental health trust and the drug and alcohol service should agree which service takes the lead for a client "
     "with both mental health and alcohol needs.", "T4.4"),
    ("Outcome: the community mental health team and the recovery service know which of them leads when a patient "
     "with psychosis is drinking heavily.", "T4.4"),
])
def test_the_wording_of_outcome_statements_reaches_its_theme(text: str, first: str) -> None:
    code = classify(text)[0].code
    assert first in (code, top_level(code))


def test_an_ask_whose_verb_tells_another_agency_what_is_known_is_information_sharing_first() -> None:
    # What is told may be full of words of another theme (release, licence, perpetrator): it is what passes.
    for text in ("The Probation Service should tell the police the release date and licence conditions of any "
                 "prisoner with a history of stalking.",
                 "Ambulance crews to tell the receiving hospital when they suspect that a perpetrator caused the "
                 "patient's injuries.",
                 "Schools should notify the child's social worker whenever a parent reports that the other parent "
                 "has breached a child arrangements order."):
        assert classify(text)[0].code.startswith("T2"), text
    # Passing on a referral is a referral; telling a whole group is awareness; the review's learning is T11.2.
    assert classify("Victim Support should pass referrals for high-risk victims to the IDVA service.")[0].code == "T4.2"
    assert not classify("The older people's forum should tell its members about abuse by grandchildren and where to "
                        "get help.")[0].code.startswith("T2")
    assert classify("Partners should share the learning from this review with their staff.")[0].code == "T11.2"
    # So when the telling is what is to be ensured.
    assert classify("The Probation Service should ensure that offender managers tell the police and the IDVA the "
                    "release date and licence conditions of a perpetrator at least ten days before release."
                    )[0].code.startswith("T2")
    assert classify("The Trust should ensure that its ward staff refer every patient who is homeless because of abuse "
                    "to the housing team's IDVA.")[0].code == "T4.2"
    # Put first by its verb, the sharing is the yardstick of the rest: a weak word of another theme is no theme.
    assert [t.code for t in classify("Exampleton Police should share information with partner agencies about "
                                     "repeat victims.")] == ["T2.1"]


def test_training_on_a_named_specialist_topic_is_training_first_however_it_is_put() -> None:
    for text in ("Exampleton Police should make sure that response officers receive specialist training on stalking, "
                 "including tracking devices and spyware.",
                 "The Trust should give ward staff training in recognising coercive control after separation."):
        assert classify(text)[0].code.startswith("T5"), text


def test_an_ask_whose_verb_refers_someone_is_the_referral_pathway_first() -> None:
    # Whom it refers and where to may be full of words of services: the referral is the ask.
    for text in ("Exampleton Housing Options should refer every applicant who is homeless because of abuse to the "
                 "IDVA service on the day they apply.",
                 "Clinicians in the crisis team to refer patients who disclose abuse to the specialist service rather "
                 "than hand them a leaflet."):
        assert classify(text)[0].code == "T4.2", text
    # Those referred before are who the ask is about, not the ask.
    assert not classify("Victims referred to the IDVA service are called back on a safe number within a day."
                        )[0].code.startswith("T4")


def test_an_ask_that_offers_a_referral_refers() -> None:
    for text in ("Exampleton Housing Options should offer every tenant who reports abuse by a neighbour's son as the "
                 "reason for leaving a tenancy a referral to the local domestic abuse service.",
                 "The Trust should ensure that a mother who discloses abuse at the antenatal booking is offered a "
                 "referral to the specialist maternity IDVA."):
        assert classify(text)[0].code == "T4.2", text
    # An offer of a referral after another act is the second act: asking comes first.
    assert classify("GP practices should ask every patient who presents with unexplained injuries about abuse in "
                    "private and offer a referral to the IDVA service.")[0].code.startswith("T1")


@pytest.mark.parametrize(("text", "first"), [
    # What a fresh-eyes review found the verb and national-change rules misread, mended: telling
    # someone about support is signposting, passing on a referral is a referral, sharing a policy is
    # the policy, telling young people is awareness, and a MARAC named in a condition is no recipient.
    ("GPs should tell patients who disclose abuse about local specialist support services.", "T8"),
    ("Victim Support should pass every high-risk referral to the IDVA service within one working day.", "T4"),
    ("The Trust should share its revised safeguarding policy with partner agencies for comment.", "T6"),
    ("Schools should tell young people about healthy relationships and where to get help.", "T7"),
    ("The police should share the DASH risk assessment with the victim's GP whenever the case is referred to the "
     "MARAC.", "T2"),
    # A national body asked to change what its own staff do, or to let a family see a report, changes no national
    # policy; "the DWP" and "the Government" are national bodies as their full names are.
    ("The Home Office should require its immigration officers to ask every applicant on a spousal visa, in private, "
     "whether they feel safe.", "T1"),
    ("The Home Office should enable the family to receive a copy of the final report before publication.", "T11"),
    ("The DWP should allow victims of economic abuse to apply for a separate Universal Credit payment.", "T6.3"),
    ("The Government should legislate to make coercive control after separation a specific offence.", "T6.3"),
    # A named practice whose importance is to be recognised is asked for ("recognise the importance of asking…").
    ("Practitioners should recognise the importance of asking about coercive control.", "T1"),
])
def test_the_verb_rules_hold_on_both_sides(text: str, first: str) -> None:
    code = classify(text)[0].code
    assert first in (code, top_level(code))


def test_jointly_commissioning_a_new_service_is_the_service_first_and_joining_two_is_integration() -> None:
    assert classify("Two councils should jointly commission an outreach IDVA for the rural villages.")[0].code == "T8.1"
    assert classify("The council and the ICB should jointly commission the drug and alcohol service and the domestic "
                    "abuse service.")[0].code == "T4.4"


def test_an_ask_whose_verb_audits_or_supervises_is_oversight_first() -> None:
    # What the audit tests comes second, even when its purpose names it.
    for text in ("Exampleton Police to audit forty domestic abuse crimes closed without a charge, to test whether the "
                 "victim's earlier reports were considered.",
                 "The ICB should dip sample GP records of patients over 75 to see whether they were asked about abuse.",
                 "Exampleton Constabulary should ensure that supervisors review every standard-risk grading within a "
                 "day."):
        assert classify(text)[0].code == "T5.3", text
    # An audit asked after the change is not the change.
    assert classify("GPs should ask every patient about abuse when alone, and the practice should audit this yearly."
                    )[0].code == "T1.2"


# Recommendation tables flattened into one line ("… | Local | Lead | Action | Outcome | Date"), and
# national recommendations.
@pytest.mark.parametrize(("text", "first"), [
    # Taking in "the learning", however it is put, asks for nothing concrete (the guide's example first).
    ("Services should reflect on the learning and improve their practice.", "T11.5"),
    ("Partners to consider whether there is any further learning for their organisation.", "T11.5"),
    ("The housing association to learn the lessons from this review.", "T11.5"),
    ("Exampleton Homes: note the learning.", "T11.5"),  # "Homes" names no national body
    ("It is recommended that the Partnership notes the learning.", "T11.5"),
    ("Agencies to keep this review's findings in mind.", "T11.5"),
    ("Continue to foster a culture of reflective practice.", "T11.5"),
    ("All agencies to embed the learning into their own practice.", "T11.5"),
    ("Every partner should embed the lessons of this review in its practice.", "T11.5"),
    ("All agencies should take note of the findings and conclusions of this report about information sharing.",
     "T11.5"),
    ("Agencies should acknowledge the value of professional challenge.", "T11.5"),
    ("Staff should recognise the importance of asking about abuse and record the answer.", "T1"),
    ("Promote a culture of learning so that the lessons are embedded in practice.", "T11.5"),
    # …and a national body asked only that is routing; a concrete ask beside it keeps its theme.
    ("His Majesty's Government should note the learning.", "T11.4"),
    ("The Trust should note the learning and revise its discharge checklist.", "T6.1"),
    ("The Trust should consider the learning and development needs of its staff on stalking.", "T5"),
    # What a national body is asked to do to its own rules is national policy…
    ("The Department for Education should legislate so that every school teaches healthy relationships from age "
     "eleven.", "T6.3"),
    ("National: the Home Office should allow victims on any visa to apply for settlement in their own right.", "T6.3"),
    ("The Ministry of Justice should require family courts to see police records before any final order.", "T6.3"),
    ("The Home Office should widen the scheme for victims on spousal visas to cover every visa type.", "T6.3"),
    ("The Ministry of Justice should amend the code of practice for victims so that they are told of every move of "
     "the prisoner.", "T6.3"),
    ("NHS England should extend its safeguarding standards to cover dental practices.", "T6.3"),
    ("The Department for Work and Pensions should change the eligibility criteria for advance payments so that a "
     "victim who leaves can get one at once.", "T6.3"),
    ("The Home Office should remove the requirement for victims to produce a police report before they can apply.",
     "T6.3"),
    ("The Department of Health and Social Care should make a question about safety at home a requirement of every "
     "health check.", "T6.3"),
    # …and the same words asked of a local body are not.
    ("The Trust should allow patients to bring a friend to their appointments.", "T8"),
    ("Exampleton Council should require its care providers to report every concern to the safeguarding team.", "T2"),
])
def test_the_wording_of_recommendation_tables_reaches_its_theme(text: str, first: str) -> None:
    code = classify(text)[0].code
    assert first in (code, top_level(code))


@pytest.mark.parametrize(("text", "first"), [
    # However a recommendation is labelled, the finding before it is not what it asks.
    ("Finding 2: The GP did not know about the children in the household and no referral was made to children's "
     "social care. Recommendation 2 – Exampleton GP practices should record a safe contact number for victims.",
     "T8"),
    ("Finding 3: The housing application was closed when she did not attend. Recommendation 3a: The council should "
     "train housing officers in coercive control.", "T5"),
    ("Finding 4: Perpetrator risk management Recommendation 4: Housing providers should record a safe contact number "
     "for every tenant who discloses abuse.", "T8"),
    ("Finding 5: No one stood back to look at the whole picture. It is recommended that the Board audits joint "
     "cases.", "T5"),
    # A heading that calls the recommendation a finding still holds its ask.
    ("Key finding 3: The drug and alcohol service should ask every client about domestic abuse at assessment.", "T1"),
    # An ask that points back at the story asks about it.
    ("The victim's housing application was closed after one missed appointment. Exampleton Council should review "
     "this practice.", "T8"),
    # A national body named only in the finding is not who is asked.
    ("Finding 7: The Home Office statutory guidance on stalking was not followed. Recommendation 7: All agencies "
     "should note the findings of this review.", "T11.5"),
])
def test_a_finding_before_its_recommendation_in_any_layout_is_not_the_ask(text: str, first: str) -> None:
    code = classify(text)[0].code
    assert first in (code, top_level(code))


def test_what_is_offered_to_the_family_at_the_start_of_the_review_is_their_part_in_it() -> None:
    codes = [t.code for t in classify(
        "The victim's family should be offered an independent advocate at the outset of the review.")]
    assert "T11.1" in codes


def test_sharing_the_reviews_learning_is_dissemination_not_information_sharing() -> None:
    codes = [t.code for t in classify("The trust should share the learning from this review with its staff.")]
    assert codes[0] == "T11.2" and not any(c.startswith("T2") for c in codes)


def test_the_failing_a_procedure_is_changed_for_comes_before_the_procedure() -> None:
    codes = [top_level(t.code) for t in classify(
        "The force should revise its procedures so that supervisors check that officers completed the risk checklist.")]
    assert codes[0] in {"T1", "T5"} and {"T1", "T5"} <= set(codes)
    assert codes.index("T6") > codes.index("T1") if "T6" in codes else True


def test_training_or_a_procedure_asked_for_as_such_comes_first_and_its_subject_second() -> None:
    assert [t.code for t in classify("All reception staff should receive specialist training on stalking.")][:2] \
        == ["T5.2", "T1.3"]
    assert classify("A procedure should be written for when a tenant reports feeling unsafe at home.")[0].code \
        == "T6.1"
    # So in an outcome stated instead of asked for: what those named first are to do.
    assert top_level(classify("Family court advisers complete training on coercive control in child arrangements "
                              "cases.")[0].code) == "T5"


def test_records_sent_on_are_information_passed() -> None:
    codes = [t.code for t in classify(
        "When a child changes school, the child protection file is sent to the new school before the first day.")]
    assert "T2.1" in codes


def test_where_a_referral_or_information_goes_is_no_support_asked_for() -> None:
    # The referral is the ask; the service it goes to says where, like a body's name.
    for text in ("Housing officers should refer every applicant who discloses abuse to the specialist domestic abuse "
                 "service.",
                 "The emergency department should refer patients who disclose abuse to the hospital IDVA before they "
                 "leave."):
        assert classify(text)[0].code == "T4.2", text
    assert classify("Midwives should refer to the hospital IDVA any woman who discloses abuse at booking.")[0].code \
        == "T4.2"
    # So is whom information is passed to: the telling is the ask.
    assert top_level(classify("The police should tell the victim's IDVA when the perpetrator is given bail.")[0].code) \
        == "T2"
    # And what "is passed to" a worker or team is information passed.
    assert top_level(classify("Ward staff should ensure that a disclosure made on the ward is passed to the community "
                              "mental health team before discharge.")[0].code) == "T2"
    # "Refer to" without anyone referred is no referral.
    assert classify("The policy should refer to coercive control and stalking.")[0].code == "T1.3"


@pytest.mark.parametrize(("text", "not_first"), [
    # What a fresh-eyes review found the wordings of outcome-style plans misread, mended.
    ("The Safeguarding Adults Board should reflect on the learning of this review regarding adults who self-neglect "
     "and develop a multi-agency self-neglect protocol.", "T11.5"),  # a relative clause ends before an ask
    ("The Trust should make staff aware of the statutory duty to make a safeguarding referral under section 42 of "
     "the Care Act.", "T6.3"),  # a statutory duty applied is no national change
    ("Each agency's policy reflecting the Domestic Abuse Act is revised by March 2026.", "T6.3"),
    ("Referrals are passed to the IDVA service within 24 hours of the incident.", "T2"),  # a referral, not news
    ("Ward staff should write a discharge summary noting the disclosure and share this summary with the patient's "
     "GP.", "T11.2"),  # only a briefing is the review's learning
    ("The domestic abuse policy should refer to coercive control and the IDVA service.", "T4.2"),  # "refer to": mention
    ("Housing officers should tell the tenant about the sanctuary scheme and the local refuge.", "T8.1"),
    ("Domestic abuse awareness training for all practice staff includes coercive control and economic abuse.",
     "T1.3"),  # the training named first is what is asked for
    ("Information is sent to every GP practice about the new domestic abuse helpline.", "T2.1"),
    ("The MARAC should record which agency takes the lead for each action.", "T4.4"),
    ("Staff should know which team leads on safeguarding in the hospital.", "T4.4"),
    ("The local Family Justice Board should review Practice Direction 12J compliance in Exampleton courts.", "T6.3"),
])
def test_the_wordings_of_outcome_style_plans_do_not_misfire(text: str, not_first: str) -> None:
    code = classify(text)[0].code
    assert not_first not in (code, top_level(code))


def test_what_a_referral_is_about_is_not_where_it_goes() -> None:
    codes = [t.code for t in classify("The police should refer any victim subject to stalking to the stalking "
                                      "advocacy service.")]
    assert "T1.3" in codes


def test_an_advocate_at_the_start_of_another_review_is_no_part_in_the_homicide_review() -> None:
    codes = [t.code for t in classify("An Independent Mental Capacity Advocate should be appointed at the outset of "
                                      "the review of the patient's accommodation.")]
    assert "T11.1" not in codes


def test_what_is_asked_weighs_more_than_who_is_asked() -> None:
    # "Housing" names the body; attending the MARAC is the ask.
    assert classify("Housing officers should attend the MARAC.")[0].code == "T4.1"
    # In a passive ask the subject is what is asked for.
    assert top_level(classify("Referrals to the IDVA service should be made on the same day for every "
                              "high-risk victim.")[0].code) == "T4"


def test_the_verb_of_the_ask_outweighs_who_it_is_done_to_and_why() -> None:
    # The schools are who is told (a passive subject), the telling is the ask.
    assert classify("Schools should be told the same morning when police attended a domestic incident in a "
                    "pupil's home.")[0].code == "T2.1"
    # The purpose of an ask that is no mechanism ranks after it (labelling guide, rule 1).
    assert classify("Children's Services should tell the health visitor when a family is open to them, so that "
                    "she can support the mother.")[0].code == "T2.1"


def test_the_words_of_a_bodys_name_are_one_sign() -> None:
    # "Children's Social Care" is where the referral goes: one sign of T10, not three.
    themes = classify("Officers should refer the family to Children's Social Care.")
    assert [top_level(t.code) for t in themes] == ["T4", "T10"]
    assert sum("Social" in words for words in themes[1].evidence) == 1


@pytest.mark.parametrize(("text", "first"), [
    ("Probation should consider every domestic abuse perpetrator on its caseload for a MATAC referral.", "T1"),
    ("Managers should dip-sample closed cases each quarter to check that the rationale for closure was recorded.",
     "T5"),
    ("The housing team should give tenants facing eviction for rent arrears advice on a sanctuary scheme.", "T8"),
    ("The partnership should work with leaders of the local Polish community to make the help available known.",
     "T7"),
])
def test_the_vocabulary_of_the_field_reaches_its_theme(text: str, first: str) -> None:
    assert top_level(classify(text)[0].code) == first


def test_a_top_level_theme_named_by_its_own_cue_is_not_narrowed_to_a_wrong_concept() -> None:
    # Male victims are a group of T9, but none of its narrower concepts (not T9.4).
    assert [t.code for t in classify("The partnership should commission a service for male victims.")] == ["T9"]


def test_themes_are_scored_from_their_description_in_the_ontology() -> None:
    # "questionnaire" is in T3.2's definition and in no cue.
    assert "questionnair" in theme_lexicon().weights("T3.2")
    assert classify("The practice should add a question about safety at home to its new patient questionnaire."
                    )[0].code.startswith("T3")


def test_skipping_cues_by_their_literal_text_never_skips_one_that_matches() -> None:
    lexicon = theme_lexicon()
    for line in default_labels().read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        matching = [cue for cue in lexicon.cues if cue.pattern.search(text)]
        candidates = lexicon.candidate_cues(text)
        assert all(cue in candidates for cue in matching), text


def test_every_cue_has_literal_text_to_be_skipped_by() -> None:
    # A cue without one ("(a|an) box for") is tried on every text: classify slows for all of them.
    assert [cue.pattern.pattern for cue in theme_lexicon().cues if not cue.prefixes and not cue.contains] == []


def test_extract_json_carries_agencies_and_themes() -> None:
    document = json.loads(CliRunner().invoke(main, ["extract", str(SEED), "--json"]).stdout)
    third = document["recommendations"][2]
    assert third["agencies"] == [{"label": "Northamptonshire Police",
                                  "id": "https://w3id.org/dhrkg/id/agency/northamptonshire-police", "type": "A01"}]
    assert third["themes"][0] == "T5.1"


def test_the_graph_holds_ranked_themes_with_evidence(seed_store: Store) -> None:
    rows = seed_store.query("""
        PREFIX dhr: <https://w3id.org/dhrkg/ontology#>
        SELECT ?rank (COUNT(*) AS ?n) WHERE {
          ?rec dhr:themeAssignment ?a . ?a dhr:rank ?rank ; dhr:confidence ?c ; dhr:assignedTheme ?t .
        } GROUP BY ?rank ORDER BY ?rank""").rows()
    assert rows[0] == (1, 35)
    evidence = seed_store.query(
        "PREFIX dhr: <https://w3id.org/dhrkg/ontology#> SELECT (COUNT(?e) AS ?n) WHERE { ?a dhr:evidence ?e }")
    assert evidence.rows()[0][0] > 35


def test_accuracy_on_the_labelled_development_set_does_not_regress() -> None:
    # The floors sit a little under the measured values (README), so a lexicon or rule change
    # that makes classification worse fails here; "held-out" was never tuned on.
    scores = evaluate()
    assert scores["tuning"].top1 >= 0.85 and scores["tuning"].set_f1 >= 0.80
    assert scores["tuning-2"].top1 >= 0.82 and scores["tuning-2"].set_f1 >= 0.76
    assert scores["tuning-3"].top1 >= 0.77 and scores["tuning-3"].set_f1 >= 0.77
    assert scores["tuning-4"].top1 >= 0.77 and scores["tuning-4"].set_f1 >= 0.75
    assert scores["tuning-5"].top1 >= 0.71 and scores["tuning-5"].set_f1 >= 0.73
    assert scores["tuning-6"].top1 >= 0.71 and scores["tuning-6"].set_f1 >= 0.74
    assert scores["tuning-7"].top1 >= 0.73 and scores["tuning-7"].set_f1 >= 0.78
    assert scores["tuning-8"].top1 >= 0.78 and scores["tuning-8"].set_f1 >= 0.78
    assert scores["tuning-9"].top1 >= 0.73 and scores["tuning-9"].set_f1 >= 0.77
    assert scores["tuning-10"].top1 >= 0.73 and scores["tuning-10"].set_f1 >= 0.71
    assert scores["tuning-11"].top1 >= 0.72 and scores["tuning-11"].set_f1 >= 0.77
    assert scores["tuning-12"].top1 >= 0.76 and scores["tuning-12"].set_f1 >= 0.77
    assert scores["tuning-13"].top1 >= 0.72 and scores["tuning-13"].set_f1 >= 0.76
    assert scores["tuning-14"].top1 >= 0.70 and scores["tuning-14"].set_f1 >= 0.73
    assert scores["tuning-15"].top1 >= 0.72 and scores["tuning-15"].set_f1 >= 0.70
    assert scores["tuning-16"].top1 >= 0.70 and scores["tuning-16"].set_f1 >= 0.72
    assert scores["tuning-17"].top1 >= 0.75 and scores["tuning-17"].set_f1 >= 0.72
    assert scores["tuning-18"].top1 >= 0.76 and scores["tuning-18"].set_f1 >= 0.73
    assert scores["held-out"].top1 >= 0.77 and scores["held-out"].set_f1 >= 0.80
    assert scores["seed"].top1 >= 0.74 and scores["holdout"].top1 >= 0.86
    # Written blind to the scorer (graph/devset/README.md), top-1 and set F1 measured: "held-out-2"
    # 0.742 and 0.760, "held-out-3" 0.742 and 0.756, "held-out-4" 0.800 and 0.778, "held-out-5" 0.750
    # and 0.730, "held-out-6" 0.742 and 0.701, "held-out-7" 0.783 and 0.761, "held-out-8" 0.792 and 0.778;
    # "held-out-9" 0.725 and 0.766, "held-out-10" 0.742 and 0.778, "held-out-11" 0.725 and 0.775 as they came,
    # "held-out-12" 0.783 and 0.727 (written after all the tuning, measured once); "held-out-13" 0.825 and 0.799 as
    # it came, "held-out-14" 0.683 and 0.730 and "held-out-15" 0.717 and 0.696 (each written before the tuning of
    # its round, unread, measured once after it).
    assert scores["held-out-2"].top1 >= 0.72 and scores["held-out-2"].set_f1 >= 0.74
    assert scores["held-out-3"].top1 >= 0.72 and scores["held-out-3"].set_f1 >= 0.74
    assert scores["held-out-4"].top1 >= 0.78 and scores["held-out-4"].set_f1 >= 0.76
    assert scores["held-out-5"].top1 >= 0.74 and scores["held-out-5"].set_f1 >= 0.72
    assert scores["held-out-6"].top1 >= 0.72 and scores["held-out-6"].set_f1 >= 0.68
    assert scores["held-out-7"].top1 >= 0.77 and scores["held-out-7"].set_f1 >= 0.75
    assert scores["held-out-8"].top1 >= 0.77 and scores["held-out-8"].set_f1 >= 0.76
    assert scores["held-out-9"].top1 >= 0.71 and scores["held-out-9"].set_f1 >= 0.75
    assert scores["held-out-10"].top1 >= 0.72 and scores["held-out-10"].set_f1 >= 0.76
    assert scores["held-out-11"].top1 >= 0.70 and scores["held-out-11"].set_f1 >= 0.75
    assert scores["held-out-12"].top1 >= 0.76 and scores["held-out-12"].set_f1 >= 0.70
    assert scores["held-out-13"].top1 >= 0.80 and scores["held-out-13"].set_f1 >= 0.77
    assert scores["held-out-14"].top1 >= 0.66 and scores["held-out-14"].set_f1 >= 0.71
    assert scores["held-out-15"].top1 >= 0.70 and scores["held-out-15"].set_f1 >= 0.68
    assert scores["all"].agency_type_accuracy >= 0.97


def test_eval_reports_precision_and_recall_per_theme_and_the_confusion_of_first_themes() -> None:
    seed = evaluate()["seed"]
    training = seed.theme("T5")
    assert training.labelled > 0 and 0 < training.precision <= 1 and 0 < training.recall <= 1
    assert sum(count for _, _, count in seed.confusion) == seed.items
    right = sum(count for labelled, predicted, count in seed.confusion if top_level(labelled) == top_level(predicted))
    assert right / seed.items == pytest.approx(seed.top1, abs=0.001)


def test_eval_command_prints_the_scores() -> None:
    out = CliRunner().invoke(main, ["eval"]).stdout
    assert "top-1" in out and "held-out" in out and "seed" in out
    out = CliRunner().invoke(main, ["eval", "--set", "seed"]).stdout
    assert "themes: seed" in out and "labelled by predicted: seed" in out and "themes: tuning" not in out
    assert "no set 'nope'" in CliRunner().invoke(main, ["eval", "--set", "nope"]).output


@pytest.mark.parametrize(("text", "first"), [
    ("CMHT to ask every pt re DA at first appt & at each CPA review, and record the answer even where nothing "
     "is disclosed.", "T1.2"),
    ("Crisis team to ask SUs re DA in private at each home visit.", "T1.2"),
    ("Ward mgrs to check perp hx on police systems before discharge.", "T1.4"),
])
def test_practitioners_shorthand_reads_as_the_words_it_stands_for(text: str, first: str) -> None:
    assert classify(text)[0].code == first


@pytest.mark.parametrize(("text", "first"), [
    # Asking a national body written to for something is asking for a national change.
    ("The Partnership should write to the Department for Work and Pensions asking that the rules on advance "
     "payments be changed so that a claimant fleeing abuse can get one without her partner knowing.", "T6.3"),
    ("CSP to write to HO asking that DVPNs last longer than 48 hours.", "T6.3"),
    ("The Partnership should ask the Home Office to introduce a licensing scheme for private investigators.", "T6.3"),
    ("The panel recommends that the Home Office establish a national register of stalking protection orders.", "T6.3"),
    ("The Government should consider creating a specific offence of threatening to share intimate images.", "T6.3"),
    ("It is recommended that the Ministry of Justice reviews the national arrangements for telling victims of a "
     "perpetrator's release.", "T6.3"),
    ("The Partnership should ask the Home Office to make stalking protection orders available to every court.",
     "T6.3"),
    ("The findings about banks should be brought to the attention of the Financial Conduct Authority.", "T11.4"),
    # Sending it findings is routing; asking a local body for something is no national change.
    ("The Partnership should write to the Home Office to draw its attention to the findings of this review.", "T11.4"),
    ("The Partnership should write to all GP practices in the area asking that they display information about "
     "local domestic abuse services in waiting rooms.", "T7.1"),
])
def test_what_a_national_body_written_to_is_asked_for_is_a_national_change(text: str, first: str) -> None:
    assert classify(text)[0].code == first


@pytest.mark.parametrize("text", [
    "Partners to note findings & consider implications for own practice.",
    "Lessons to be embedded across the partnership.",
    "The Board should keep domestic abuse high on its agenda.",
    "The Partnership should note that most of the failings found in this review were found in the last two reviews "
    "as well.",
    "Agencies should use the lessons of this review to improve the service they offer to victims.",
    "All agencies are asked to consider the findings of this review and to reflect on what they mean for their own "
    "practice.",
    "Each partner is asked to take the learning of this review to heart.",
    "Every agency should continue to work together to improve the response to domestic abuse in Upper Sampleton.",
    "Partners across Sampleshire should embrace the learning in this report.",
    "The panel commends this report to the Board and hopes that its members will learn from it.",
    "Staff are reminded that domestic abuse is everyone's business.",
    "Lessons should be learned by every agency from the circumstances of this case.",
    "Partners are asked to consider this report and to reflect upon their own involvement with the family.",
    "It is hoped that this review will help agencies in Sampleton to respond better to domestic abuse in future.",
    # A story before the ask: a noun that opens "to" ("her reluctance to engage") asks nothing.
    "Several of the issues, including the victim's reluctance to engage with services, were found in earlier reviews. "
    "All agencies are asked to take the learning of this review to heart.",
])
def test_more_ways_of_asking_for_nothing_concrete(text: str) -> None:
    assert classify(text)[0].code == "T11.5"


def test_a_concrete_ask_near_those_words_is_still_asked() -> None:
    assert classify("The Partnership should keep a log of repeat victims on its agenda for the monthly meeting."
                    )[0].code != "T11.5"


@pytest.mark.parametrize("text", [
    "The Trust should ensure that a safeguarding concern raised by ward staff is passed to the patient's GP on discharge.",
    "The Prison should ensure that the release date of a perpetrator is passed to the agencies supporting the victim "
    "before he leaves.",
    "Where a perpetrator is released on licence, victims to be told in advance of the exclusion zones.",
    "The Trust should ensure that its monitoring contractor sends breach alerts directly to the police.",
])
def test_what_is_to_be_told_to_another_in_the_passive_is_information_sharing(text: str) -> None:
    assert classify(text)[0].code.startswith("T2")


def test_a_group_told_how_to_report_is_not_told_about_a_case() -> None:
    assert classify("Neighbours should be told how to report a concern safely.")[0].code.startswith("T7")


@pytest.mark.parametrize("text", [
    "Social workers should see each child in the household alone and record what they say about life at home.",
    "The Recovery Network should ask every client at assessment whether children live in or visit the home.",
    "Older siblings to be seen on their own at every visit.",
])
def test_seeing_children_alone_and_asking_about_children_at_home_is_child_protection(text: str) -> None:
    assert classify(text)[0].code == "T10.1"


def test_confirmation_that_the_actions_are_done_is_action_plan_monitoring() -> None:
    assert classify("The Partnership should obtain written confirmation from each agency, within six months, that "
                    "the actions from this review have been completed.")[0].code == "T11.3"


def test_checking_with_another_agency_is_information_sharing() -> None:
    assert classify("Housing options must check with Probation whether an applicant has a domestic abuse history "
                    "before offering a tenancy.")[0].code.startswith("T2")


@pytest.mark.parametrize(("text", "first"), [
    ("The Council should adopt a policy for its own employees who experience domestic abuse, with paid leave for "
     "appointments.", "T7.3"),
    ("Trust HR to relaunch the staff DA policy.", "T7.3"),
    ("The Trust should update its domestic abuse policy for patients who disclose abuse.", "T6.1"),
    ("The Board should use an anonymised version of this review as a case study in its training.", "T11.2"),
    ("The ICB should arrange for GP practices to be represented at every MARAC.", "T4.1"),
])
def test_workplace_policies_case_studies_and_a_seat_at_the_marac(text: str, first: str) -> None:
    assert classify(text)[0].code == first


@pytest.mark.parametrize(("text", "first"), [
    ("The Service should amend its closure procedure so that a manager checks that the victim has been spoken to "
     "before a high-risk case is closed.", "T5.3"),
    ("Managers to discuss in supervision every case where a home visit has not taken place.", "T5.3"),
    # A manager's check added after the ask is second to it.
    ("Officers should complete the risk assessment in person; supervisors to check the grading before the log is "
     "closed.", "T1.1"),
])
def test_a_managers_check_that_is_the_change_is_oversight_first(text: str, first: str) -> None:
    assert classify(text)[0].code == first


@pytest.mark.parametrize(("text", "first"), [
    ("Paramedics should record who else was at the address and whether the patient could speak to them alone.", "T3.1"),
    ("Probation should ensure that offender managers record the name and address of any new partner an offender "
     "mentions.", "T3.1"),
    # What is recorded about children is child protection; the answers of a risk checklist are risk assessment.
    ("Officers to record the names and ages of all children in the household.", "T10.1"),
    ("Officers must record the answers to every question of the risk checklist.", "T1.1"),
])
def test_an_ask_whose_verb_records_who_whether_or_why_is_record_keeping_first(text: str, first: str) -> None:
    assert classify(text)[0].code == first


# Near misses of this round's rules, from a fresh-eyes review that wrote its own sentences and labelled
# them by the guide before running the classifier: each was wrong before the mend that follows it.
@pytest.mark.parametrize(("text", "first"), [
    # A referral offered is T4.2 only when the referral is what is offered.
    ("The maternity service should ensure that any woman who discloses abuse at her booking appointment is offered "
     "a referral to the hospital IDVA.", "T4.2"),
    ("The IDVA service should offer training to GP practices on how to make referrals to MARAC.", "T5"),
    ("The Trust should offer reflective supervision to staff who make referrals to children's social care about "
     "unborn babies.", "T5.3"),
    ("Offer victims who decline a referral to the IDVA service a follow-up call two weeks later.", "T8.5"),
    ("The Council should offer an interpreter, not a family member, to every applicant whose first language is not "
     "English, including when making referrals to other services.", "T9.3"),
    # A national body asked for something that is no change stays what it is.
    ("The Partnership should write to the Home Office asking that it notes the findings of this review.", "T11.4"),
    ("The CSP should write to the Home Office asking for funding to continue the hospital IDVA post beyond March.",
     "T8.1"),
    ("The CSP should write to the DWP asking that its Jobcentre staff complete domestic abuse awareness training.",
     "T5.1"),
    ("The Council should write to all Ofsted-registered childminders in the borough asking that they display the "
     "National Domestic Abuse Helpline number.", "T7.1"),
    ("The DWP should consider whether its work coaches should be able to refer claimants directly to the local IDVA "
     "service.", "T4.2"),
    # What is sent or told: long objects still share, licence conditions told to a perpetrator do not.
    ("The prison should send the release date of every perpetrator subject to a restraining order to the victim's "
     "IDVA.", "T2.1"),
    ("Probation should ensure that the perpetrator is told of the conditions of his licence, including the exclusion "
     "zone, in writing.", "T1.4"),
    ("Police to share info w/ MARAC for every high-risk case.", "T4.1"),
    # Seeing a young person "without delay" is not seeing them alone; a concrete ask after ", and" is kept.
    ("CAMHS should see every young person without delay when they are referred after a suicide attempt.", "T1.5"),
    ("All agencies should acknowledge that several of the failings were in information sharing, and adopt the "
     "regional information-sharing protocol by June.", "T2.1"),
    ("Lessons must be learnt by all partners from this tragic case.", "T11.5"),
])
def test_near_misses_of_this_rounds_rules(text: str, first: str) -> None:
    assert classify(text)[0].code.startswith(first)


def test_what_staff_learn_reaching_the_worker_who_holds_the_case_is_information_sharing() -> None:
    assert classify("The Service should make sure that what its outreach workers learn about a client's partner "
                    "reaches the client's key worker.")[0].code.startswith("T2")
