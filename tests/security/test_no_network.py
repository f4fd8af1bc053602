"""No query or update makes dhrkg fetch anything over the network unless federation is on,
whatever its spelling: a canary HTTP server on loopback must never receive a request."""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import QueryError, Store
from graph.cli import main
from tests.security.conftest import Canary
from tests.web.conftest import Served


def bypasses(url: str) -> list[str]:
    """Queries that reach the canary if the guard misreads them (the first two are the issue's)."""
    return [
        f"SELECT ?x {{ BIND(<urn:a\\u0041#> AS ?z) SERVICE <{url}/x> {{ ?x ?p ?o }} }}",
        f"PREFIX e: <urn:e:> SELECT ?x {{ OPTIONAL {{ ?q e:a\\# ?r }} SERVICE <{url}/y> {{ ?x ?p ?o }} }}",
        # Oxigraph reads `<'b>` in an expression as "less than" and a string: it hides the rest
        f"SELECT * {{ ?s ?p ?o FILTER(?o <'b> && ?o = \"') }} SERVICE <{url}/lt> {{ ?s ?p ?o }} }} #\")",
        f"SELECT * {{ ?s ?p ?o FILTER(?o <#> \"\"\"\n1) SERVICE <{url}/lthash> {{ ?s ?p ?o }} }} #\"\"\"",
        # Oxigraph matches keywords without a word boundary
        f"PREFIX x: <{url}/> SELECT * {{ SERVICEx:y {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICESILENT<{url}/silent>{{ ?s ?p ?o }} }}",
        f"PREFIX : <{url}/> SELECT * {{ SERVICE:colon {{ ?s ?p ?o }} }}",
        # a comment ends at CR too; rdflib expands \\u everywhere, Oxigraph only in IRIs and strings
        f"SELECT * {{ ?s ?p ?o # note\r SERVICE <{url}/cr> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ BIND(\"\\u0022 AS ?x) }} #\" AS ?y) SERVICE <{url}/u> {{ ?s ?p ?o }} }}",
        # at any depth
        f"SELECT * {{ {{ SELECT ?s {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}/exists> {{ ?s ?p ?o }} }} }} }} }}",
        f"SELECT * {{ ?s ?p ?o BIND(<{url}/var> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}/lower> {{ ?s ?p ?o }} }}",
    ]


def updates(url: str) -> list[str]:
    return [
        f"INSERT DATA {{ <urn:a\\u0041#> <urn:b> <urn:c> }} ; LOAD <{url}/z>",
        f"LOAD SILENT <{url}/data.ttl> INTO GRAPH <urn:g>",
        f"PREFIX x: <{url}/> LOADx:y",
        f"INSERT {{ GRAPH <urn:g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{url}/upd> {{ ?s ?p ?o }} }}",
    ]


def local_only(url: str) -> list[str]:
    """Queries that choose graphs by address: refused unless the store holds the graph."""
    return [f"SELECT * FROM <{url}/from.ttl> WHERE {{ ?s ?p ?o }}",
            f"SELECT * FROM NAMED <{url}/named.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"]


def test_the_endpoint_refuses_every_spelling(server: Served, canary: Canary) -> None:
    for query in bypasses(canary.url) + local_only(canary.url):
        response = httpx.get(f"{server.url}/sparql", params={"query": query}, timeout=30)
        assert response.status_code == 400, (query, response.text)
    for query in (f"SELECT * WHERE {{ GRAPH <{canary.url}/graph.ttl> {{ ?s ?p ?o }} }}", f"DESCRIBE <{canary.url}/d>"):
        assert httpx.get(f"{server.url}/sparql", params={"query": query}, timeout=30).status_code == 200
    for update in updates(canary.url):  # read-only: refused before anything else
        assert httpx.post(f"{server.url}/sparql", data={"update": update}, timeout=30).status_code == 403
    time.sleep(0.3)
    assert canary.hits == []


def test_the_query_page_refuses_every_spelling(server: Served, canary: Canary) -> None:
    for query in bypasses(canary.url):
        response = httpx.get(f"{server.url}/query", params={"query": query}, timeout=30)
        assert response.status_code == 400 and ("disabled" in response.text or "malformed" in response.text), query
    time.sleep(0.3)
    assert canary.hits == []


def test_a_write_enabled_server_refuses_every_spelling(write_server: Served, canary: Canary) -> None:
    token = {"Authorization": "Bearer secret"}
    for update in updates(canary.url):
        response = httpx.post(f"{write_server.url}/sparql", data={"update": update}, headers=token, timeout=30)
        assert response.status_code == 400, (update, response.text)
    for query in bypasses(canary.url):
        assert httpx.get(f"{write_server.url}/sparql", params={"query": query}, timeout=30).status_code == 400
    time.sleep(0.3)
    assert canary.hits == []


def test_the_cli_and_the_library_refuse_every_spelling(disk_store: Path, canary: Canary) -> None:
    store = Store()
    store._ox.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o")))
    for query in bypasses(canary.url) + local_only(canary.url):
        with pytest.raises(QueryError):
            store.query(query)
        for timeout in ([], ["--timeout", "5"]) if query == bypasses(canary.url)[0] else ([],):
            done = CliRunner().invoke(main, ["query", query, "--store", str(disk_store), *timeout])
            assert done.exit_code == 1 and "Error:" in done.output, (query, done.output)
    for update in updates(canary.url):
        with pytest.raises(QueryError):
            store.update(update)
    time.sleep(0.3)
    assert canary.hits == []


def test_federation_is_an_explicit_choice(canary: Canary) -> None:
    store = Store(federation=True)
    assert store.federation is True and Store().federation is False
    store.query(f"SELECT * WHERE {{ SERVICE SILENT <{canary.url}/allowed> {{ ?s ?p ?o }} }}")
    assert canary.hits  # the canary does hear a query when federation is on: the test can tell


# Fragments that have confused SPARQL guards: escapes, comment starts, quotes, IRIs, keywords
# glued to names. Whatever text they make, if dhrkg accepts it, running it fetches nothing.
FRAGMENTS = ["#", "\\#", "\\u0041", "\\u0022", "\\u0027", "\\u003E", '"', "'", '"""', "'''", "<", ">", "<urn:a>",
             "<'b>", "<#>", "\n", "\r", " ", "e:a", "?o", "1", "(", ")", "{", "}", ".", "&&", "=", "FILTER(",
             "BIND(", " AS ?z)", "OPTIONAL {", "SERVICE", "SILENT", "x:", ":", "SERVICEx:y", "e:", "LOAD"]


@settings(max_examples=int(os.environ.get("DHRKG_FUZZ_EXAMPLES", "300")), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(before=st.lists(st.sampled_from(FRAGMENTS), max_size=8), after=st.lists(st.sampled_from(FRAGMENTS), max_size=8))
def test_no_spelling_gets_past_the_guard(fuzz_canary: Canary, before: list[str], after: list[str]) -> None:
    service = f"SERVICE <{fuzz_canary.url}/fuzz> {{ ?s ?p ?o }}"
    text = f"PREFIX e: <urn:e:> PREFIX x: <{fuzz_canary.url}/> SELECT * {{ ?s ?p ?o {''.join(before)} {service} {''.join(after)} }}"
    try:
        FUZZ_STORE.query(text)
    except QueryError:
        pass
    assert fuzz_canary.hits == [], text


FUZZ_STORE = Store()
FUZZ_STORE._ox.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("b"), ox.NamedNode("urn:g")))
