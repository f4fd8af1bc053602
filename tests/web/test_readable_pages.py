"""Pages that read as written for people: names rather than web addresses or slugs, codes as
their labels, recommendations in natural order, no empty rows, and errors as pages with the
site's navigation. Over the bundled data, as `dhrkg build` makes it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph import Store, ingest
from graph.model.iris import review_iri
from graph.model.labels import natural_key
from graph.web.app import create_app
from tests.conftest import SEED

DHRD_REVIEW = "/review/dhrd-INC-0293"  # the DHRD record of the seed's review (Northampton, 2016)


@pytest.fixture(scope="module")
def client(bundled_store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(bundled_store)) as client:
        client.headers["Accept"] = "text/html"
        yield client


def title_and_heading(html: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert title and heading, html[:500]
    return title.group(1), heading.group(1)


@pytest.mark.parametrize("path", [
    DHRD_REVIEW, "/review/dhrd-INC-0001", "/review/be687d6216b31eca", "/csp/northampton", "/csp/kent",
    "/agency/northampton-partnership-homes", "/theme/T2", "/agency-type/A10", "/",
])
def test_no_page_title_or_heading_is_a_web_address(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    for text in title_and_heading(response.text):
        assert "http" not in text and "w3id.org" not in text, (path, text)


def test_a_dhrd_review_is_titled_by_its_csp_name(client: TestClient) -> None:
    title, heading = title_and_heading(client.get(DHRD_REVIEW).text)
    assert heading == "Northampton 2016 (INC-0293)" and title.startswith(heading)


def test_a_dhrd_review_has_no_empty_declared_recommendations_row(client: TestClient) -> None:
    html = client.get(DHRD_REVIEW).text
    assert "Declared recommendations" not in html
    assert not re.search(r"<dd>\s*</dd>", html)


def test_agency_pages_name_the_bodies_they_belong_to(client: TestClient) -> None:
    html = client.get("/agency/northampton-partnership-homes").text
    part_of = re.search(r"<dt>Part of</dt><dd>(.*?)</dd>", html, re.S)
    assert part_of is not None
    assert ">Northampton Borough Council</a>" in part_of.group(1)
    assert "northampton-borough-council<" not in part_of.group(1)  # the slug only in the link's address


def test_an_agency_receives_its_recommendations_in_natural_order(client: TestClient) -> None:
    html = client.get("/agency/northampton-partnership-homes").text
    table = html.split("Recommendations received", 1)[1]
    numbers = re.findall(r"<tr><td><a [^>]*>[^<]*</a></td><td>([^<]*)</td>", table)
    assert len(numbers) == 13 and "10" in numbers and "2" in numbers
    assert numbers == sorted(numbers, key=natural_key), numbers


def test_agency_themes_are_in_natural_order(client: TestClient) -> None:
    html = client.get("/agency/northamptonshire-county-council").text
    themes = re.findall(r"<tr><td>(T\d+) ", html)
    assert themes and themes == sorted(themes, key=natural_key)


def test_csp_pages_show_characteristics_by_their_labels(client: TestClient) -> None:
    html = client.get("/csp/northampton").text
    assert "Coercive or controlling behaviour" in html
    assert "coercive_control" not in html and "coercive control" not in html
    assert "mh other" not in html and "vuln other" not in html


@pytest.mark.parametrize("path", [
    "/review/no-such-review", "/agency/no-such-agency", "/csp/no-such-csp", "/theme/T99",
    "/agency-type/A99", "/network/no-such-view", "/id/review/no-such-review", "/no/such/page",
    "/static/no-such-file.css", "/static/vendor/no-such-script.js", "/review/", "/id/",
])
def test_every_missing_page_is_a_page_with_the_site_navigation(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404, path
    assert response.headers["content-type"].startswith("text/html"), path
    assert '<nav>' in response.text and 'href="/query"' in response.text and 'action="/search"' in response.text


def search_groups(client: TestClient, words: str) -> dict[str, str]:
    html = client.get("/search", params={"q": words}).text
    return {name: section for name, section in re.findall(r'<section id="(\w+)">(.*?)</section>', html, re.S)}


def test_search_finds_a_csps_reviews_and_the_csp(client: TestClient) -> None:
    groups = search_groups(client, "Kent")
    assert "<h2>Reviews (28)</h2>" in groups["reviews"]
    assert groups["reviews"].count('href="/review/dhrd-') == 28
    assert 'href="/csp/kent">Kent</a>' in groups["csps"] and "28 review(s)" in groups["csps"]


def test_search_finds_a_review_by_identifier_agencies_and_recommendations(client: TestClient) -> None:
    assert 'href="/review/dhrd-INC-0293"' in search_groups(client, "inc-0293")["reviews"]
    agencies = search_groups(client, "partnership homes")["agencies"]
    assert ">Northampton Partnership Homes</a>" in agencies and "13 recommendation(s)" in agencies
    recommendations = search_groups(client, "housing officers")["recommendations"]
    assert "Housing Officers" in recommendations and ">Northampton Partnership Homes</a>" in recommendations


def test_search_that_finds_nothing_says_where_it_looked(client: TestClient) -> None:
    html = client.get("/search", params={"q": "zzzz-nothing"}).text
    assert "0 match(es)" in html and "CSP names" in html and "pseudonyms" in html


def test_search_finds_a_review_by_the_victims_pseudonym(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(
        "CSP: Exampleton\nYear of death: 2020\nPseudonym: Adult Q\n| # | Recommendation | Addressed to |\n"
        "|---|---|---|\n| 1 | Agencies should share information. | All agencies |\n", encoding="utf-8")
    store = Store()
    ingest(store, [tmp_path])
    with TestClient(create_app(store)) as client:
        reviews = search_groups(client, "adult q")["reviews"]
    assert "Adult Q" in reviews and "Exampleton" in reviews


@pytest.mark.parametrize(("path", "closest"), [
    ("/review/dhrd-INC-02933", "review/dhrd-INC-0293"), ("/csp/northamton", "Northampton"),
    ("/agency/northampton-partnership-home", "agency/northampton-partnership-homes"),
])
def test_a_page_for_a_name_the_graph_lacks_offers_the_closest(client: TestClient, path: str, closest: str) -> None:
    response = client.get(path)
    assert response.status_code == 404 and "<nav>" in response.text
    assert f"closest: {closest}" in response.text


def test_a_review_without_links_says_why(client: TestClient, tmp_path: Path) -> None:
    assert "No linked reviews: no review shares enough failures" in client.get(DHRD_REVIEW).text
    store = Store()
    ingest(store, [SEED.parent])  # never analysed
    with TestClient(create_app(store)) as fresh:
        html = fresh.get("/review/" + str(review_iri(SEED.name)).rsplit("/", 1)[1], headers={"Accept": "text/html"}).text
    assert "No linked reviews: links between reviews have not been computed yet" in html
