"""No query makes dhrkg fetch anything over the network unless federation is on."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from graph import QueryError, Store
from graph.cli import main
from tests.security.conftest import Canary
from tests.web.conftest import Served


def hostile_queries(url: str) -> list[str]:
    return [
        f"SELECT * FROM <{url}/from.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}/named.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}/lower> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ GRAPH <{url}/graph.ttl> {{ ?s ?p ?o }} }}",
        f"DESCRIBE <{url}/describe>",
    ]


def test_the_endpoint_fetches_nothing(server: Served, canary: Canary) -> None:
    for query in hostile_queries(canary.url):
        response = httpx.get(f"{server.url}/sparql", params={"query": query})
        assert response.status_code in (200, 400), query
        if "SERVICE" in query.upper():
            assert response.status_code == 400 and "SERVICE is disabled" in response.text
    for update in (f"LOAD <{canary.url}/data.ttl>", f"LOAD SILENT <{canary.url}/data.ttl> INTO GRAPH <urn:g>"):
        response = httpx.post(f"{server.url}/sparql", data={"update": update})
        assert response.status_code == 403
    time.sleep(0.3)
    assert canary.hits == []


def test_the_library_and_the_cli_fetch_nothing(tmp_path: Path, canary: Canary) -> None:
    store = Store()
    for query in hostile_queries(canary.url):
        try:
            store.query(query)
        except QueryError as err:
            assert "SERVICE is disabled" in err.message
    with pytest.raises(QueryError, match="LOAD is disabled"):
        store.update(f"LOAD <{canary.url}/data.ttl>")
    Store(tmp_path / "store").flush()
    for query in hostile_queries(canary.url):
        CliRunner().invoke(main, ["query", query, "--store", str(tmp_path / "store")])
    time.sleep(0.3)
    assert canary.hits == []


def test_federation_is_an_explicit_choice() -> None:
    store = Store(federation=True)
    assert store.federation is True
    assert Store().federation is False
