"""The web pages: what they show, that they escape review text, and that they are safe."""

from __future__ import annotations

import httpx
import pytest

from graph.model.iris import review_iri
from tests.web.conftest import HOSTILE, Served

SEED_REVIEW = review_iri("000_58cfa34b200ccabd.txt")
SEED_PATH = "/review/" + str(SEED_REVIEW).rsplit("/", 1)[1]


def page(server: Served, path: str, **headers: str) -> httpx.Response:
    return httpx.get(f"{server.url}{path}", headers={"Accept": "text/html", **headers}, follow_redirects=False)


def test_home_shows_counts_recent_reviews_agencies_and_themes(server: Served) -> None:
    html = page(server, "/").text
    assert "recommendations" in html and "Recent reviews" in html
    assert "Northampton Partnership Homes" in html
    assert "/theme/T5" in html


def test_review_page_shows_facts_recommendations_links_and_sources(server: Served) -> None:
    html = page(server, SEED_PATH).text
    assert "Northampton review" in html and "2023-07" in html and "2016" in html
    assert "NCC Public Health | CCG commissioner" in html
    assert "000_58cfa34b200ccabd.txt" in html
    linked = page(server, "/review/" + str(review_iri("beta.txt")).rsplit("/", 1)[1]).text
    assert "Information sharing × Police" in linked


def test_agency_theme_and_csp_pages(server: Served) -> None:
    agency = page(server, "/agency/northampton-partnership-homes").text
    assert "Recommendations received (13)" in agency and "Northampton Partnership Housing" in agency
    assert "T5 Training &amp; workforce" in agency
    assert "T2 Information sharing" in page(server, "/theme/T2").text
    assert "Northampton" in page(server, "/csp/northampton").text


def test_search_finds_text_agencies_and_csps(server: Served) -> None:
    assert "Housing Officers" in page(server, "/search?q=housing+officers").text
    assert "Northampton General Hospital" in page(server, "/search?q=general+hospital").text


def test_query_page_runs_named_and_typed_queries_with_downloads(server: Served) -> None:
    html = page(server, "/query?named=reviews-per-csp").text
    assert "Northampton" in html and "format=csv" in html
    html = page(server, "/query?query=SELECT+%3Fx+WHERE+%7B").text
    assert "malformed SPARQL" in html


def test_review_text_is_escaped_everywhere(server: Served) -> None:
    html = page(server, "/review/" + str(review_iri("hostile.txt")).rsplit("/", 1)[1]).text
    assert "<img src=x" not in html and "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    search = page(server, "/search?q=onerror").text
    assert "<img src=x" not in search and "&lt;img" in search
    reflected = page(server, "/search?q=%3Cscript%3Ealert(3)%3C%2Fscript%3E").text
    assert "<script>alert(3)" not in reflected
    assert HOSTILE not in html


def test_every_page_forbids_inline_and_external_scripts(server: Served) -> None:
    for path in ("/", SEED_PATH, "/query", "/search?q=x", "/does-not-exist"):
        policy = page(server, path).headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'self'" in policy
        assert "unsafe-inline" not in policy


@pytest.mark.parametrize("path", ["/review/..%2f..%2fetc%2fpasswd", "/review/../../etc/passwd",
                                  "/agency/%2e%2e/%2e%2e/etc", "/static/..%2f..%2fcli.py", "/static/../app.py",
                                  "/id/review/..%2f..%2fsecret"])
def test_paths_cannot_traverse(server: Served, path: str) -> None:
    response = page(server, path)
    assert response.status_code in (400, 404)
    assert "root:" not in response.text and "import" not in response.text


def test_entity_iris_dereference_to_html_or_rdf(server: Served) -> None:
    short = str(SEED_REVIEW).rsplit("/", 1)[1]
    browser = page(server, f"/id/review/{short}")
    assert browser.status_code == 303 and browser.headers["location"] == f"/review/{short}"
    turtle = httpx.get(f"{server.url}/id/review/{short}", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    assert "hasRecommendation" in turtle.text
    assert httpx.get(f"{server.url}/id/review/nothing-here", headers={"Accept": "text/turtle"}).status_code == 404


def test_errors_are_html_for_browsers_and_text_for_clients(server: Served) -> None:
    assert "<html" in page(server, "/review/nothing-here").text
    plain = httpx.get(f"{server.url}/review/nothing-here")
    assert plain.status_code == 404 and "<html" not in plain.text
