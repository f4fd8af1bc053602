"""Agency typing: ordered rules type the bodies the gazetteer does not know, each rule tested alone."""

from __future__ import annotations

import pytest

from graph.enrich import AgencyResolver
from graph.enrich.agencies import Context
from graph.enrich.agency_types import OTHER, TypingRule, agency_type, typing_rule, typing_rules
from graph.model.terms import AGENCY_TYPES

SAMPLETON = Context("Sampleton", 2021)  # an invented place: nothing of it is in the gazetteer

RULE_EXAMPLES = [(rule, example) for rule in typing_rules() for example in rule.examples]


@pytest.fixture(scope="module")
def resolver() -> AgencyResolver:
    return AgencyResolver()


@pytest.mark.parametrize(("rule", "example"), RULE_EXAMPLES, ids=[f"{r.name}:{e}" for r, e in RULE_EXAMPLES])
def test_each_rule_types_its_examples_and_no_earlier_rule_takes_them(rule: TypingRule, example: str) -> None:
    assert rule.matches(example)
    assert typing_rule(example) == rule


def test_rules_have_examples_distinct_orders_and_known_types() -> None:
    rules = typing_rules()
    assert all(rule.examples for rule in rules)
    assert len({rule.order for rule in rules}) == len(rules)
    assert {rule.code for rule in rules} <= set(AGENCY_TYPES)


def test_every_agency_type_but_all_agencies_and_other_has_a_rule() -> None:
    assert {rule.code for rule in typing_rules()} == set(AGENCY_TYPES) - {"A00", OTHER}


# The ways the issue found names typed wrongly (issue #20), each now typed by its rule, through
# the resolver as ingest uses it: a body of an invented place is always a new organisation.
@pytest.mark.parametrize(("label", "code", "rule"), [
    ("Sampleton University Hospitals NHS Foundation Trust", "A03", "acute-hospital"),
    ("Sampleton and District Teaching Hospitals NHS Trust", "A03", "acute-hospital"),
    ("Sampleton NHS Foundation Trust", "A03", "nhs-trust"),
    ("Safe City Partnership", "A15", "community-safety-partnership"),
    ("Safer Communities Partnership", "A15", "community-safety-partnership"),
    ("Safe Sampleton Partnership", "A15", "community-safety-partnership"),
    ("Sampleton Domestic Abuse Partnership Board", "A15", "community-safety-partnership"),
    ("Sampleton Recovery Network", "A13", "substance-misuse"),
    ("NHS Sampleton", "A06", "nhs-place"),
    ("NHS Sampleton and Testford", "A06", "nhs-place"),
])
def test_names_the_issue_found_mistyped(resolver: AgencyResolver, label: str, code: str, rule: str) -> None:
    ref = resolver.resolve(label, SAMPLETON)
    assert (ref.type, ref.method) == (code, "new")
    assert typing_rule(label).name == rule  # type: ignore[union-attr]


@pytest.mark.parametrize(("label", "code"), [
    ("Sampleton Safeguarding Adults Partnership Board", "A14"),  # a safeguarding board before a partnership
    ("Sampleton Community Mental Health Team", "A04"),  # mental health before community health
    ("Sampleton Community Healthcare NHS Trust", "A02"),  # community health before "Healthcare" trusts
    ("Sampleton Healthcare NHS Foundation Trust", "A04"),
    ("Sampleton Youth Offending Team", "A11"),  # youth justice before youth services
    ("Sampleton Borough Council Environmental Health", "A15"),  # no "mental health" inside a word
    ("Sampleton City Council Housing Department", "A10"),  # a department before its council
    ("Sampleton Council for Voluntary Service", "A18"),
    ("Sampleton Council Public Health", "A07"),
    ("Royal College of General Practitioners", "A21"),  # a royal college before general practice
    ("NHS England North region", "A06"),  # a region before the national body
    ("Sampleton Fire and Rescue Service", OTHER),
    ("Sampleton 24 hr Crisis Team", "A04"),  # "hr" after a number is hours, not human resources
    ("Sampleton Council Treasury Team", "A15"),  # only HM Treasury is the national one
    ("The Old Barracks Community Centre", "A18"),
])
def test_order_decides_between_rules_that_both_match(label: str, code: str) -> None:
    assert agency_type(label) == code


@pytest.mark.parametrize(("label", "not_code"), [
    ("Sampleshire General Dental Practice", "A21"),  # a practice, not the regulator
    ("Sampleton General Medical Practice", "A21"),
    ("Sampleshire Partnership NHS", "A06"),  # a trust's short name, not a commissioner
    ("Sampleshire Healthy Lifestyles Behaviour Change Service", "A12"),  # public health, not perpetrator work
])
def test_names_that_look_like_a_rule_but_are_not_its_kind(label: str, not_code: str) -> None:
    assert agency_type(label) != not_code


@pytest.mark.parametrize("label", ["Every agency involved in this review", "All statutory partners",
                                   "Each agency involved", "All agencies represented on the panel", "Partner agencies",
                                   "Partners", "Agencies", "its partner agencies"])
def test_more_ways_of_saying_all_agencies(resolver: AgencyResolver, label: str) -> None:
    assert resolver.resolve(label, SAMPLETON).type == "A00"


# Bodies of reviews held in Wales, which the rules written for England's names missed.
@pytest.mark.parametrize(("label", "code"), [
    ("Sampleton University Health Board", "A06"),  # a health board before a university
    ("Sampleton Teaching Health Board", "A06"),
    ("Sampleton Area Planning Board", "A13"),
    ("Sampleton Public Services Board", "A15"),
    ("Sampleton VAWDASV Team", "A15"),
    ("Sampleton Flying Start", "A09"),
    ("Sampleton Integrated Family Support Service", "A09"),
    ("Older People's Commissioner for Wales", "A21"),
    ("Age Cymru Sampleton", "A18"),
    ("Older People's Commissioner", "A21"),
    ("Sampleton VAWDASV Helpline", "A12"),  # a helpline is a service, not the partnership
    ("Sampleton Domestic Abuse Family Support Service", "A12"),
    ("Sampleton University Health Board Early Help Service", "A09"),  # a specific service beats its parent
    ("Sampleton Health Board Adult Safeguarding Team", "A08"),
])
def test_welsh_bodies_get_the_type_of_the_body_as_a_whole(label: str, code: str) -> None:
    assert agency_type(label) == code


@pytest.mark.parametrize(("label", "code"), [("Social Care Wales", "A21"), ("Live Fear Free Helpline", "A12")])
def test_welsh_national_bodies_are_in_the_gazetteer(resolver: AgencyResolver, label: str, code: str) -> None:
    assert (resolver.resolve(label, SAMPLETON).type, resolver.resolve(label, SAMPLETON).method) == (code, "exact")


def test_supporting_people_is_a_housing_team_only_by_that_name() -> None:
    assert agency_type("Sampleton Supporting People Team") == "A10"
    assert agency_type("Sampleton Supporting People with Dementia Service") != "A10"


# National charities that reviews name without a place: the service they run, or voluntary (A18)
# where their work is wider, and never the body a near-spelling or a word of their name suggests.
@pytest.mark.parametrize(("label", "code"), [
    ("NSPCC", "A18"),  # not the NPCC, one letter away
    ("The Salvation Army", "A18"),  # a church, not the army
    ("Barnardo's", "A18"),
    ("Mind", "A18"),
    ("Humankind", "A13"),
    ("Hestia", "A12"),
    ("Paladin", "A12"),
])
def test_national_charities_are_in_the_gazetteer(resolver: AgencyResolver, label: str, code: str) -> None:
    assert (resolver.resolve(label, SAMPLETON).type, resolver.resolve(label, SAMPLETON).method) == (code, "exact")


@pytest.mark.parametrize(("label", "code"), [
    ("Sampleton Mind", "A18"), ("Mind in Sampleton", "A18"), ("Sampleton Young Carers", "A18"),
    ("Sampleton DA Service", "A12"), ("Sampleton Royal Infirmary", "A03"),
    # action plans' shorthand
    ("Sampleton ASC", "A08"), ("Sampleton CSC", "A09"), ("Sampleton Children's svcs", "A09"),
    ("Sampleton Partnership NHS FT", "A04"), ("Sampleton General ED", "A03"), ("Sampleton Recovery", "A13"),
    ("Sampleton Parish Council", "A15"),  # a parish is a council here, not a church
    ("Sampleton Mindfulness Project", "A22"),
    ("Sampleton Older People's Forum", "A18"), ("Sampleton Naval Families Welfare Service", "A19"),
    # bodies of reviews written before 2013, typed as what they were
    ("Sampleton Primary Care Trust", "A06"), ("The PCT", "A06"), ("The DAAT", "A13"),
    # near misses a fresh-eyes review found: further education is no emergency department, mental health no drugs
    ("Sampleton College of Further Ed", "A16"), ("Sampleton Mental Health Recovery", "A04"),
    ("NSPCC Sampleton Service Centre", "A18"),
    ("Sampleton Domestic Violence Forum", "A15"),
])
def test_local_branches_and_short_names(label: str, code: str) -> None:
    assert agency_type(label) == code
