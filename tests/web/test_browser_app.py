"""The web app in a real browser: navigate, run a query, and see nothing break or leak."""

from __future__ import annotations

from graph.model.iris import review_iri
from tests.web.browser import Watched
from tests.web.conftest import Served


def test_home_review_agency_and_query_in_a_browser(server: Served, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{server.url}/")
    assert page.title() == "Home · dhrkg"
    page.click("text=Northampton review")
    page.wait_for_url("**/review/**")
    assert page.locator("h1").inner_text() == "Northampton review"
    watched.screenshot("review")
    page.click("text=Northampton Partnership Homes >> nth=0")
    page.wait_for_url("**/agency/**")
    assert "Recommendations received (13)" in page.content()
    page.goto(f"{server.url}/query")
    page.fill("textarea#query", "PREFIX dhr: <https://w3id.org/dhrkg/ontology#>\n"
                                "SELECT (COUNT(?r) AS ?n) WHERE { ?r a dhr:Recommendation }")
    page.click("button:has-text('Run')")
    page.wait_for_selector("table.results")
    assert page.locator("table.results td").first.inner_text() == "42"
    watched.screenshot("query")
    assert watched.console_errors == [] and watched.page_errors == []
    assert watched.external_requests((server.url,)) == []


def test_hostile_review_text_runs_nothing_in_a_browser(server: Served, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{server.url}/review/" + str(review_iri("hostile.txt")).rsplit("/", 1)[1])
    page.goto(f"{server.url}/search?q=onerror")
    assert watched.dialogs == []
    assert "<img src=x onerror=alert(1)>" in page.locator("table.results").inner_text()
    assert watched.external_requests((server.url,)) == []
