"""Agency resolution: one node per body however a review spells it, and no silent merges."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import Store, extract, ingest
from graph.cli import main
from graph.enrich import AgencyResolver, Gazetteer, enrich
from graph.enrich.agencies import FUZZY_THRESHOLD, Context
from graph.enrich.gazetteer import normalise_name
from graph.model.terms import DHR, ID
from tests.conftest import SEED

NORTHAMPTON = Context("Northampton", 2016)
AGENCY = str(ID["agency/"])


@pytest.fixture(scope="module")
def resolver() -> AgencyResolver:
    return AgencyResolver()


@pytest.fixture(scope="module")
def seed_agencies() -> dict[str, tuple[str, str, str]]:
    """Printed addressee → (organisation IRI, type, method) for the seed."""
    result = enrich(extract(SEED))
    return {a.label: (a.id or "", a.type or "", a.method or "") for r in result.recommendations for a in r.agencies}


def test_every_seed_addressee_resolves_to_a_known_body(seed_agencies: dict[str, tuple[str, str, str]]) -> None:
    assert len(seed_agencies) == 11
    for label, (iri, code, method) in seed_agencies.items():
        assert method != "new", f"{label} was not resolved"
        assert code != "A22"


def test_spelling_variants_of_one_body_are_one_organisation(seed_agencies: dict[str, tuple[str, str, str]]) -> None:
    homes = seed_agencies["Northampton Partnership Homes"]
    housing = seed_agencies["Northampton Partnership Housing"]
    assert homes[0] == housing[0] == AGENCY + "northampton-partnership-homes"
    assert housing[2] == "fuzzy"


def test_two_bodies_in_one_cell_stay_two(seed_agencies: dict[str, tuple[str, str, str]]) -> None:
    public_health, ccg = seed_agencies["NCC Public Health"], seed_agencies["CCG commissioner"]
    assert public_health[0] != ccg[0]
    assert (public_health[1], ccg[1]) == ("A07", "A06")
    assert public_health[0] == AGENCY + "northamptonshire-county-council-public-health"
    # In 2016 the CCG serving Northampton was Nene CCG; later bodies are its successors.
    assert ccg[0] == AGENCY + "nhs-nene-clinical-commissioning-group"


def test_the_police_is_the_territorial_force_of_northamptonshire(seed_agencies: dict[str, tuple[str, str, str]]) -> None:
    assert seed_agencies["Northamptonshire Police"][:2] == (AGENCY + "northamptonshire-police", "A01")


def test_acronyms_resolve_in_the_context_of_the_reviews_area(resolver: AgencyResolver) -> None:
    assert resolver.resolve("NSAB", NORTHAMPTON).id == AGENCY + "northamptonshire-safeguarding-adults-board"
    assert resolver.resolve("NCC", NORTHAMPTON).id == AGENCY + "northamptonshire-county-council"
    assert resolver.resolve("EMAS", NORTHAMPTON).id == AGENCY + "east-midlands-ambulance-service-nhs-trust"
    assert resolver.resolve("MPS", Context("Croydon", 2019)).type == "A22"  # unknown acronym: never guessed
    assert resolver.resolve("Met Police", Context("Croydon", 2019)).id == AGENCY + "metropolitan-police-service"
    assert resolver.resolve("the Police", Context("Croydon", 2019)).id == AGENCY + "metropolitan-police-service"
    assert resolver.resolve("Police", Context("Kent", 2019)).id == AGENCY + "kent-police"
    # "NCC" in a Nottingham review is not Northamptonshire County Council.
    assert resolver.resolve("NCC", Context("Nottingham", 2019)).method == "new"


def test_reorganised_bodies_resolve_to_the_one_that_existed_at_the_time(resolver: AgencyResolver) -> None:
    assert resolver.resolve("CCG", Context("Northampton", 2021)).id == \
        AGENCY + "nhs-northamptonshire-clinical-commissioning-group"
    assert resolver.resolve("ICB", Context("Northampton", 2023)).id == \
        AGENCY + "nhs-northamptonshire-integrated-care-board"


@pytest.mark.parametrize("label", ["All agencies", "All Agencies", "Multiple Agencies", "all partner agencies",
                                   "All agencies named in the action plan", "All agencies in Exampleton",
                                   "Partners in Sampleshire", "Partner agencies across Exampleton",
                                   "All agencies represented on the Exampleton Domestic Abuse Partnership Board"])
def test_collective_addressees_are_all_agencies(resolver: AgencyResolver, label: str) -> None:
    ref = resolver.resolve(label, NORTHAMPTON)
    assert (ref.id, ref.type, ref.method) == (str(DHR.AllAgencies), "A00", "collective")


@pytest.mark.parametrize(("label", "code"), [("Partners on the MARAC", "A12"),
                                             ("Agencies on the Exampleton Safeguarding Adults Board", "A14")])
def test_the_members_of_one_body_are_not_all_agencies(resolver: AgencyResolver, label: str, code: str) -> None:
    assert resolver.resolve(label, NORTHAMPTON).type == code


def test_similar_names_of_different_bodies_are_never_merged(resolver: AgencyResolver) -> None:
    northants = resolver.resolve("Northamptonshire Police", NORTHAMPTON)
    notts = resolver.resolve("Nottinghamshire Police", NORTHAMPTON)
    assert northants.id != notts.id
    assert notts.id == AGENCY + "nottinghamshire-police"
    for label, wrong in [("Gwent Police", "kent-police"), ("North Wales Police", "south-wales-police"),
                         ("West Mercia Police", "west-midlands-police"), ("Surrey Police", "sussex-police")]:
        assert resolver.resolve(label, NORTHAMPTON).id != AGENCY + wrong


@pytest.mark.parametrize(("variant", "body"), [
    ("Northamptonshre Police", "northamptonshire-police"),
    ("East Midlands Ambulance Services", "east-midlands-ambulance-service-nhs-trust"),
    ("Northampton General Hospitals", "northampton-general-hospital-nhs-trust"),
    ("Home Offices", "home-office"),
])
def test_small_spelling_variants_are_tolerated(resolver: AgencyResolver, variant: str, body: str) -> None:
    ref = resolver.resolve(variant, NORTHAMPTON)
    assert (ref.id, ref.method) == (AGENCY + body, "fuzzy")
    assert ref.confidence is not None and FUZZY_THRESHOLD / 100 <= ref.confidence < 1


def test_unknown_bodies_become_new_organisations_of_the_area_with_a_guessed_type(resolver: AgencyResolver) -> None:
    refuge = resolver.resolve("Northampton Women's Aid", NORTHAMPTON)
    assert refuge.method == "new" and refuge.type == "A12"
    assert refuge.id == AGENCY + "northampton/northampton-women-s-aid"
    assert resolver.resolve("Acme Widgets Ltd", NORTHAMPTON).type == "A22"


def test_variants_of_an_unknown_body_in_one_review_are_one_body(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "CSP: Sampleford\nPublished: 2022\n| # | Recommendation | Addressed to |\n|---|---|---|\n"
        "| 1 | Review the tenancy policy. | Sampleford Homes Trust |\n"
        "| 2 | Train staff. | Sampleford Home Trust |\n"
        "| 3 | Train staff on MARAC. | Samplefordshire Police |\n", encoding="utf-8")
    refs = [r.agencies[0] for r in enrich(extract(page)).recommendations]
    assert refs[0].id == refs[1].id and refs[1].method == "variant"
    assert refs[2].id != refs[0].id and refs[2].type == "A01"


def test_agencies_the_text_directs_to_act_are_recorded_apart(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "CSP: Northampton\nYear of death: 2016\n| # | Recommendation | Addressed to |\n|---|---|---|\n"
        "| 1 | Northamptonshire Police and the NSAB should jointly review the referral pathway. "
        "| Northamptonshire Police |\n", encoding="utf-8")
    rec = enrich(extract(page)).recommendations[0]
    assert [a.id for a in rec.agencies] == [AGENCY + "northamptonshire-police"]
    assert {m.id for m in rec.mentioned} == {AGENCY + "northamptonshire-police",
                                             AGENCY + "northamptonshire-safeguarding-adults-board"}
    store = Store()
    ingest(store, [page])
    rows = store.named("agencies-named-only-in-text").to_dicts()
    assert [(r["agencyName"], r["namedAs"]) for r in rows] == [("Northamptonshire Safeguarding Adults Board", "the NSAB")]


def test_the_graph_keeps_the_printed_label_method_and_confidence(seed_store: Store) -> None:
    rows = seed_store.query("""
        PREFIX dhr: <https://w3id.org/dhrkg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT DISTINCT ?label ?agency ?method ?confidence WHERE {
          ?rec dhr:addressing ?a . ?a dhr:addresseeLabel ?label ; dhr:addressee ?agency ;
             prov:wasGeneratedBy ?method ; dhr:confidence ?confidence .
        } ORDER BY ?label""").to_dicts()
    housing = next(r for r in rows if r["label"] == "Northampton Partnership Housing")
    assert housing["method"] == str(DHR.FuzzyName)
    assert 0.88 <= float(housing["confidence"]) < 1  # type: ignore[arg-type]
    assert len({r["label"] for r in rows}) == 11


def test_recommendations_per_agency_type_on_the_seed(seed_store: Store) -> None:
    rows = {r["code"]: r["recommendations"] for r in seed_store.named("recommendations-per-agency-type").to_dicts()}
    assert rows == {"A10": 13, "A15": 9, "A00": 3, "A05": 3, "A01": 2, "A03": 2, "A14": 2,
                    "A06": 1, "A07": 1, "A08": 1}


def test_a_user_gazetteer_extends_the_shipped_one(tmp_path: Path) -> None:
    extension = tmp_path / "local.ttl"
    extension.write_text("""
        @prefix dhr: <https://w3id.org/dhrkg/ontology#> .
        @prefix org: <http://www.w3.org/ns/org#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://example.org/agency/sampleford-homes> a dhr:Agency, org:Organization ;
            skos:prefLabel "Sampleford Homes" ; dhr:localLabel "SH" ; dhr:area "Sampleford" ;
            org:classification <https://w3id.org/dhrkg/scheme/agency-type/A10> .
    """)
    resolver = AgencyResolver(Gazetteer.load([extension]))
    assert resolver.resolve("SH", Context("Sampleford", None)).id == "https://example.org/agency/sampleford-homes"
    page = tmp_path / "pages" / "p.txt"
    page.parent.mkdir()
    page.write_text("CSP: Sampleford\n| # | Recommendation | Addressed to |\n|---|---|---|\n| 1 | Train staff. | SH |\n")
    out = CliRunner().invoke(main, ["extract", str(page), "--json", "--gazetteer", str(extension)]).stdout
    assert json.loads(out)["recommendations"][0]["agencies"] == [
        {"label": "SH", "id": "https://example.org/agency/sampleford-homes", "type": "A10"}]
    store = Store()
    ingest(store, [page.parent], gazetteer=[extension])
    names = {r["name"] for r in store.named("recommendations-per-agency").to_dicts()}
    assert names == {"Sampleford Homes"}


def test_names_are_normalised_for_comparison_only() -> None:
    assert normalise_name("The  Northampton General Hospital (NGH)") == "northampton general hospital ngh"
