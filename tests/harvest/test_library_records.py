"""A report ingested with the library's record of it: the card outranks the report's pages, both are
kept with their sources, the review matches its DHRD incident, and the library's tags are compared
with dhrkg's own classification."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from rdflib import URIRef

from graph import Store, analyse, extract, ingest
from graph.analysis.pipeline import analysis_state
from graph.enrich import enrich
from graph.extraction.library_record import record_path
from graph.harvest.listing import parse_listing
from graph.model.iris import library_download_iri, library_tag_iri, review_iri, slug
from graph.model.records import LibraryRecord
from graph.model.terms import AGENCY_TYPES, HOLIB, LIBRARY_TAGS, LIBRARY_URL, SCHEMES, SKOS, THEMES, top_level
from graph.store.validation import validate
from tests.harvest.conftest import POLICE, TRAINING, Generated
from tests.harvest.standin import FIXTURE

RECORDS = """
    PREFIX dhr: <https://w3id.org/dhrkg/ontology#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    SELECT ?kind ?from ?pseudonym ?csp ?region ?death WHERE {
      ?record dhr:recordOf ?review ; a ?kind ; prov:wasDerivedFrom ?from .
      OPTIONAL { ?record dhr:recordedPseudonym ?pseudonym } OPTIONAL { ?record dhr:recordedCsp ?csp }
      OPTIONAL { ?record dhr:recordedRegion ?region } OPTIONAL { ?record dhr:recordedDeath ?death }
    } ORDER BY ?kind"""
FACTS = """
    PREFIX dhr: <https://w3id.org/dhrkg/ontology#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?pseudonym ?csp ?year ?month ?region ?title ?source WHERE {
      ?review dhr:victimPseudonym ?pseudonym ; dhr:communitySafetyPartnership/skos:prefLabel ?csp ;
              dhr:yearOfDeath ?year ; dhr:monthOfDeath ?month ; dhr:region ?region ; dcterms:title ?title ;
              dcterms:source ?source .
    }"""


def harvested(folder: Path, chosen: list[Generated], *, collected: bool = True) -> Path:
    """The reports as a harvest leaves them: each PDF with the library's record beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    for g in chosen:
        pdf = folder / f"{g.review.id}.pdf"
        shutil.copyfile(g.report.path, pdf)
        r = g.review
        record = LibraryRecord(r.id, r.title, r.pseudonym, r.csp, r.region, r.uploaded, r.death,
                               r.tags if collected else (), collected)
        record_path(pdf).write_text(json.dumps(record.to_json()))
    return folder


def test_the_card_outranks_the_pages_and_both_are_kept(generated: list[Generated], tmp_path: Path) -> None:
    card = replace(generated[3].review, pseudonym="Adult C & Adult D (siblings)", death="2020-11")
    g = Generated(generated[3].report, card)  # the pages print "Adult C & Adult D" and a death in 2018
    folder = harvested(tmp_path / "reports", [g])
    store = Store()
    assert ingest(store, [folder]).count("added") == 1
    facts = store.query(FACTS).to_dicts()
    assert facts == [{"pseudonym": "Adult C & Adult D (siblings)", "csp": g.review.csp, "year": g.review.death[:4],
                      "month": g.review.death, "region": g.review.region, "title": g.review.title,
                      "source": str(library_download_iri(g.review.id))}]
    library, document = store.query(RECORDS).to_dicts()
    assert library["kind"].endswith("#DocumentRecord") and document["kind"].endswith("#LibraryRecord")
    library, document = document, library
    assert library["from"].endswith("#HomeOfficeLibrary") and "/source/" in document["from"]
    assert (library["pseudonym"], library["csp"], library["region"], str(library["death"])) == (
        "Adult C & Adult D (siblings)", g.review.csp, g.review.region, "2020-11")
    pages = extract(g.report.path).review
    assert (document["pseudonym"], document["csp"], str(document["death"])) == (pages.pseudonym, pages.csp, "2018")
    assert pages.pseudonym == "Adult C" and pages.year_of_death == 2018  # what the pages gave, kept beside the card
    assert validate(store).conforms


def test_a_changed_record_rereads_the_unchanged_report(generated: list[Generated], tmp_path: Path) -> None:
    g = generated[0]
    folder = harvested(tmp_path / "reports", [g], collected=False)
    store = Store()
    ingest(store, [folder])
    analyse(store)
    assert ingest(store, [folder]).count("unchanged") == 1 and analysis_state(store) == "fresh"
    harvested(folder.parent / "reports", [g], collected=True)  # the tags were collected since
    assert ingest(store, [folder]).count("replaced") == 1
    assert analysis_state(store) == "stale"  # what was derived from the old reading is out of date
    rows = store.query("PREFIX dhr: <https://w3id.org/dhrkg/ontology#> SELECT ?tag WHERE { ?r dhr:libraryTag ?tag }")
    assert {str(row["tag"]) for row in rows.to_dicts()} == {str(library_tag_iri(t)) for t in g.review.tags}


def test_a_broken_record_fails_its_report_with_the_record_named(generated: list[Generated], tmp_path: Path) -> None:
    folder = harvested(tmp_path / "reports", generated[:2])
    broken = record_path(folder / f"{generated[0].review.id}.pdf")
    broken.write_text('{"format": "dhrkg-library-record/1", "download_id": "../../etc"}')
    report = ingest(Store(), [folder])
    assert report.count("added") == 1 and report.skipped == []
    assert f"{broken}: field 'download_id' must be a download id" in (report.failed[0].message or "")


def test_the_review_matches_its_dhrd_incident_by_csp_and_month(generated: list[Generated], tmp_path: Path) -> None:
    g = generated[0]
    folder = harvested(tmp_path / "reports", [g])
    header = (Path(__file__).parents[2] / "data" / "dhrd" / "incidents.csv").read_text().splitlines()[0]
    flags = ",".join(["False"] * (len(header.split(",")) - 7))
    year, month = g.review.death.split("-")
    other = f"{int(month) % 12 + 1:02d}"  # the same CSP and year, another month: not the same death
    names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
    (tmp_path / "dhrd").mkdir()
    (tmp_path / "dhrd" / "incidents.csv").write_text(
        f"{header}\nINC-9001,{g.review.csp},{g.review.region},{names[int(month) - 1]} {year},False,unknown,other,"
        f"{flags}\nINC-9002,{g.review.csp},{g.review.region},{names[int(other) - 1]} {year},False,unknown,other,"
        f"{flags}\n")
    store = Store()
    report = ingest(store, [folder, tmp_path / "dhrd"])
    assert report.ok, report.failed
    assert report.matches is not None
    pairs = {(m.review, m.other) for m in report.matches.matches}
    review = str(review_iri(f"{g.review.id}.pdf"))
    assert (review, "https://w3id.org/dhrkg/id/review/dhrd-INC-9001") in pairs
    assert not any("INC-9002" in other for _, other in pairs)


def found_by_dhrkg(path: Path) -> set[URIRef]:
    """The recommendation tags dhrkg's own reading gives a report, computed without the store."""
    read = enrich(extract(path))  # type: ignore[arg-type]
    concepts = {THEMES[top_level(t.code)] for rec in read.recommendations for t in rec.themes}
    concepts |= {AGENCY_TYPES[a.type] for rec in read.recommendations for a in rec.agencies if a.type}
    return {URIRef(str(tag)) for concept in concepts for tag in SCHEMES.objects(concept, SKOS.closeMatch)}


def test_library_tag_agreement_counts_what_each_side_finds(generated: list[Generated], tmp_path: Path) -> None:
    chosen = generated[:6]
    store = Store()
    ingest(store, [harvested(tmp_path / "reports", chosen)])
    ingest(store, [harvested(tmp_path / "untagged", generated[6:8], collected=False)])  # never asked: not compared
    rows = {str(row["tag"]): row for row in store.named("library-tag-agreement").to_dicts()}
    assert len(rows) == 20  # 12 recipient tags, 8 theme tags

    library: dict[str, set[str]] = defaultdict(set)
    dhrkg: dict[str, set[str]] = defaultdict(set)
    for g in chosen:
        for value in g.review.tags:
            library[str(LIBRARY_TAGS[value])].add(g.review.id)
        for tag in found_by_dhrkg(g.report.path):
            dhrkg[str(tag)].add(g.review.id)
    for tag, row in rows.items():
        both = library[tag] & dhrkg[tag]
        assert (row["reviews"], row["library"], row["dhrkg"], row["both"]) == (
            6, len(library[tag]), len(dhrkg[tag]), len(both)), row["label"]
    police, training = rows[str(LIBRARY_TAGS[POLICE])], rows[str(LIBRARY_TAGS[TRAINING])]
    assert police["codes"] == "A01" and police["kind"] == "agency type" and training["codes"] == "T5"
    assert police["library"] == 3 and police["dhrkg"] == 6  # the reports all address the police; the tags say half
    assert float(str(police["libraryFoundByDhrkg"])) == 1.0 and float(str(police["dhrkgFoundByLibrary"])) == 0.5


def test_the_tag_scheme_holds_every_filter_value_of_the_real_page_under_its_minted_iri() -> None:
    page = parse_listing(FIXTURE.read_text(encoding="utf-8"), LIBRARY_URL, LIBRARY_URL)
    assert {f.value for f in page.filters} <= set(LIBRARY_TAGS)
    assert len(LIBRARY_TAGS) == 131  # 120 Keywords[] values and 11 categories, as the spec lists them
    assert all(LIBRARY_TAGS[value] == HOLIB[slug(value, limit=200)] for value in LIBRARY_TAGS)
