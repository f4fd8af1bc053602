"""The DHRD tables in the graph: counts checked against the CSV files themselves."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from graph import ExtractError, Store, extract, ingest
from graph.model.terms import CHARACTERISTICS
from graph.rdf.datasets import dataset_review_iri
from graph.resources import data_dir
from tests.conftest import SEED

DHRD = data_dir() / "dhrd"
PREFIXES = """PREFIX dhr: <https://w3id.org/dhrkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def rows(name: str) -> list[dict[str, str]]:
    with (DHRD / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def count(store: Store, where: str) -> int:
    result = store.query(f"{PREFIXES} SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}")
    return int(result.rows()[0][0])  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def dhrd_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The three DHRD tables and the seed page, as `dhrkg build` ingests them."""
    folder = tmp_path_factory.mktemp("data")
    shutil.copytree(DHRD, folder / "dhrd")
    shutil.copytree(SEED.parent, folder / "seed")
    store = Store()
    report = ingest(store, [folder])
    assert report.ok, report.failed
    return store


def test_every_incident_is_a_review_and_every_person_is_linked(dhrd_store: Store) -> None:
    assert count(dhrd_store, "?x a dhr:Review ; dhr:victim|dhr:perpetrator ?p") == len(rows("incidents"))
    assert count(dhrd_store, "?r dhr:victim ?x . ?x a dhr:Victim") == len(rows("victims"))
    assert count(dhrd_store, "?r dhr:perpetrator ?x . ?x a dhr:Perpetrator") == len(rows("perpetrators"))


@pytest.mark.parametrize("flag", ["coercive_control", "stalking", "separation", "intimate_partner_violence",
                                  "honour_based_violence", "multiple_victims"])
def test_case_flags_match_the_csv(dhrd_store: Store, flag: str) -> None:
    concept = f"<{CHARACTERISTICS[flag]}>"
    expected_true = sum(r[flag] == "True" for r in rows("incidents"))
    expected_false = sum(r[flag] == "False" for r in rows("incidents"))
    assert count(dhrd_store, f"?x a dhr:Review ; dhr:caseCharacteristic {concept}") == expected_true
    assert count(dhrd_store, f"?x a dhr:Review ; dhr:notIndicated {concept}") == expected_false


def test_victims_aged_65_and_over_match_the_csv(dhrd_store: Store) -> None:
    expected = sum(r["age_at_death"] == "65+" for r in rows("victims"))
    assert count(dhrd_store, '?x a dhr:Victim ; dhr:ageBand "65+"') == expected == 88


def test_person_indicators_match_the_csv(dhrd_store: Store) -> None:
    mh = f"<{CHARACTERISTICS['mh_depression']}>"
    expected = sum(r["perpetrator_mh_depression"] == "True" for r in rows("perpetrators"))
    assert count(dhrd_store, f"?x a dhr:Perpetrator ; dhr:caseCharacteristic {mh}") == expected
    alcohol = f"<{CHARACTERISTICS['vuln_alcohol']}>"
    expected = sum(r["victim_vuln_alcohol"] == "True" for r in rows("victims"))
    assert count(dhrd_store, f"?x a dhr:Victim ; dhr:caseCharacteristic {alcohol}") == expected


def test_unknown_values_are_absent_not_false(dhrd_store: Store) -> None:
    unknown_age = sum(r["age_at_death"] == "Unknown" for r in rows("victims"))
    assert count(dhrd_store, "?x a dhr:Victim . FILTER NOT EXISTS { ?x dhr:ageBand ?a }") == unknown_age
    unknown_place = sum(r["location_of_death"] in ("", "not_known") for r in rows("incidents"))
    assert count(dhrd_store, "?x a dhr:Review ; dhr:victim|dhr:perpetrator ?p . "
                             "FILTER NOT EXISTS { ?x dhr:placeOfDeath ?a }") == unknown_place
    bare_years = sum(len(r["death_date"]) == 4 for r in rows("incidents"))
    assert count(dhrd_store, "?x a dhr:Review ; dhr:yearOfDeath ?y ; dhr:perpetrator ?p . "
                             "FILTER NOT EXISTS { ?x dhr:monthOfDeath ?m }") == bare_years == 50
    assert count(dhrd_store, '?x dhr:causeOfDeath "unknown"') == 0
    assert count(dhrd_store, '?x dhr:sex "Unknown"') == 0


def test_csps_are_shared_with_summary_pages_and_keep_their_region(dhrd_store: Store) -> None:
    result = dhrd_store.query(PREFIXES + """
        SELECT DISTINCT ?csp ?region WHERE { ?csp skos:prefLabel "Northampton" ; dhr:region ?region }""")
    assert result.to_dicts() == [{"csp": "https://w3id.org/dhrkg/id/csp/northampton", "region": "East Midlands"}]
    assert count(dhrd_store, '?x dhr:communitySafetyPartnership/skos:prefLabel "Northampton"') == 5
    # A CSP named for a city is kept as printed, not folded into its county.
    assert count(dhrd_store, '?x skos:prefLabel "Lincoln" ; a dhr:CommunitySafetyPartnership') == 1
    assert count(dhrd_store, '?x skos:prefLabel "Lincolnshire" ; a dhr:CommunitySafetyPartnership') == 0


def test_the_seed_page_is_matched_to_its_incident_with_evidence(dhrd_store: Store) -> None:
    result = dhrd_store.query(PREFIXES + """
        SELECT ?other ?confidence (GROUP_CONCAT(?why; separator="; ") AS ?evidence) WHERE {
          ?m dhr:matchedReview ?seed, ?other ; dhr:confidence ?confidence ; dhr:evidence ?why .
          ?seed dhr:hasRecommendation ?r .
          FILTER (?other != ?seed)
        } GROUP BY ?other ?confidence""").to_dicts()
    assert len(result) == 1
    assert result[0]["other"] == str(dataset_review_iri("INC-0293"))
    assert "same CSP 'Northampton'" in str(result[0]["evidence"])
    assert "year of death 2016 in both" in str(result[0]["evidence"])


def test_two_fitting_incidents_are_never_merged(dhrd_store: Store, tmp_path: Path) -> None:
    # Kent has two incidents with a death in 2019 (September and June).
    page = tmp_path / "kent.txt"
    page.write_text("CSP: Kent\nPublished: 2021\nYear of death: 2019\nExtracted: 0 recs\n")
    store = Store()
    ingest(store, [DHRD / "incidents.csv"])
    report = ingest(store, [page])
    assert report.matches is not None and report.matches.matches == []
    page_review = next(r for r in report.matches.ambiguous if "dhrd" not in r)
    assert report.matches.ambiguous[page_review] == [
        str(dataset_review_iri("INC-0009")), str(dataset_review_iri("INC-0357"))]
    assert count(store, "?x dhr:sameReviewAs ?y") == 0


def test_named_queries_answer_from_the_dataset(dhrd_store: Store) -> None:
    regions = {r["region"]: r["reviews"] for r in dhrd_store.named("reviews-per-region").to_dicts()}
    expected_regions: dict[str, int] = {}
    for r in rows("incidents"):
        expected_regions[r["region"]] = expected_regions.get(r["region"], 0) + 1
    assert regions == expected_regions
    shares = {(r["notation"], r["about"]): r for r in dhrd_store.named("characteristic-shares").to_dicts()}
    coercive = shares[("coercive_control", "case")]
    assert (coercive["indicated"], coercive["notIndicated"]) == (403, 244)
    assert float(coercive["share"]) == pytest.approx(403 / 647, abs=0.001)  # type: ignore[arg-type]
    years = {r["year"]: r["reviews"] for r in dhrd_store.named("reviews-per-year-of-death").to_dicts()}
    assert years["2016"] == sum(r["death_date"].endswith("2016") for r in rows("incidents")) + 1  # + the seed
    by_relationship = dhrd_store.named("characteristics-by-relationship").to_dicts()
    ex_spouse_stalking = next(r["reviews"] for r in by_relationship
                              if r["relationship"] == "Ex-spouse" and r["notation"] == "stalking")
    victims = {r["incident_id"]: r["relationship_to_perpetrator"] for r in rows("victims")}
    assert ex_spouse_stalking == sum(
        1 for r in rows("incidents") if r["stalking"] == "True" and victims.get(r["incident_id"]) == "Ex-spouse")
    northampton = dhrd_store.named("reviews-of-csp", csp="Northampton").to_dicts()
    assert len(northampton) == 5
    inc_0293 = next(r for r in northampton if r["identifier"] == "INC-0293")
    assert "coercive_control" in str(inc_0293["caseCharacteristics"])
    assert inc_0293["sameReviewAs"]


def test_ingesting_the_dataset_twice_changes_nothing(dhrd_store: Store) -> None:
    before = dhrd_store.stats()
    report = ingest(dhrd_store, [DHRD])
    assert report.count("duplicate") == 3  # same content, stored from another folder
    assert dhrd_store.stats() == before


def broken_copy(tmp_path: Path, name: str, edit: str, replacement: str, count: int = 1) -> Path:
    target = tmp_path / f"{name}.csv"
    text = (DHRD / f"{name}.csv").read_text(encoding="utf-8")
    assert edit in text
    target.write_text(text.replace(edit, replacement, count), encoding="utf-8")
    return target


@pytest.mark.parametrize(("name", "edit", "replacement", "problem"), [
    ("incidents", ",stalking\n", "\n", "missing column(s) stalking"),
    ("victims", "victim_vuln_other\n", "victim_vuln_other,shoe_size\n", "unexpected column(s) shoe_size"),
    ("incidents", "INC-0002,Norfolk,East,March 2020,False,", "INC-0002,Norfolk,East,March 2020,Maybe,",
     "row 3, column multiple_victims: 'Maybe' is not True or False"),
    ("incidents", "INC-0002,Norfolk,East,March 2020,", "INC-0002,Norfolk,East,Marchish 2020,",
     "row 3, column death_date: 'Marchish 2020' is not a month and year or a year"),
    ("perpetrators", "SUS-0002,INC-0002,", "SUS-0002,", "row 3 has 27 fields, the header has 28"),
    ("victims", "VIC-0002,INC-0002", "VIC-0001,INC-0002", "row 3, column victim_id: VIC-0001 appears twice"),
])
def test_a_broken_file_names_the_row_and_column(tmp_path: Path, name: str, edit: str, replacement: str,
                                                problem: str) -> None:
    path = broken_copy(tmp_path, name, edit, replacement)
    with pytest.raises(ExtractError) as caught:
        extract(path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


def test_a_broken_table_leaves_the_stored_one_intact(tmp_path: Path) -> None:
    store = Store()
    folder = tmp_path / "dhrd"
    folder.mkdir()
    shutil.copy(DHRD / "incidents.csv", folder / "incidents.csv")
    ingest(store, [folder])
    before = store.stats()
    broken_copy(folder, "incidents", "INC-0002,Norfolk,East,March 2020,False,",
                "INC-0002,Norfolk,East,March 2020,Perhaps,")
    report = ingest(store, [folder])
    assert report.count("failed") == 1
    assert store.stats() == before


def test_the_attribution_ships_with_the_data() -> None:
    for name in ("LICENSE", "CITATION.cff", "SOURCE.md", "CODEBOOK.md"):
        assert (DHRD / name).exists()
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "10.5281/zenodo.21108268" in readme
