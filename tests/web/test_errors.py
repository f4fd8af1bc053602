"""Every error is rendered one way, as the client asks: a page with the site's navigation for a
browser, JSON for an API client, plain text for a SPARQL client; never internals."""

from __future__ import annotations

import httpx

from tests.web.conftest import Served


def test_a_browser_gets_a_page_with_the_sites_navigation(server: Served) -> None:
    response = httpx.get(f"{server.url}/review/no-such-review", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert '<nav>' in response.text and 'href="/query"' in response.text and "no review" in response.text.lower()


def test_an_unknown_address_is_a_page_too(server: Served) -> None:
    response = httpx.get(f"{server.url}/nowhere", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 404 and '<nav>' in response.text


def test_an_api_client_gets_json(server: Served) -> None:
    response = httpx.get(f"{server.url}/network/nowhere.json")
    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "message": "No network view nowhere."}}
    asked = httpx.get(f"{server.url}/theme/T99", headers={"Accept": "application/json"})
    assert asked.status_code == 404 and asked.json()["error"]["message"] == "No theme T99."


def test_a_sparql_client_gets_the_protocols_plain_text(server: Served) -> None:
    response = httpx.get(f"{server.url}/sparql", params={"query": "SELEC nothing"},
                         headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("malformed SPARQL")
    assert response.headers["access-control-allow-origin"] == "*"
