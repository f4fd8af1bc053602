"""No input gives a 500 or stops the server: deep nesting, bad protocol parameters, runaway
queries and updates, memory-hungry queries and a worker dying mid-query are each answered
with a clear 4xx or 503/507, and the next query is answered as usual."""

from __future__ import annotations

import concurrent.futures
import os
import signal
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import Store
from graph.errors import DhrkgError
from graph.web.app import create_app
from graph.web.executor import Limits, QueryExecutor
from graph.web.settings import WebSettings
from graph.web.workers import MemoryLimit, WorkerCrash
from tests.web.conftest import Served

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
NESTED = {
    "braces": "SELECT * WHERE " + "{" * 10_000 + "}" * 10_000,
    "parentheses": "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
    "open braces only": "{" * 10_000,
    "brackets": "SELECT * WHERE { ?s ?p " + "[ ?p " * 10_000 + "1" + " ]" * 10_000 + " }",
}


def ask(url: str) -> httpx.Response:
    return httpx.get(f"{url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)


@pytest.mark.parametrize("name", sorted(NESTED))
def test_deep_nesting_is_a_400_on_a_read_only_server(server: Served, name: str) -> None:
    response = httpx.post(f"{server.url}/sparql", data={"query": NESTED[name]}, timeout=60)
    assert response.status_code == 400 and "nest" in response.text, response.text
    assert ask(server.url).status_code == 200


@pytest.mark.parametrize("name", sorted(NESTED))
def test_deep_nesting_is_a_400_on_a_write_enabled_server(write_server: Served, name: str) -> None:
    response = httpx.post(f"{write_server.url}/sparql", data={"query": NESTED[name]}, timeout=60)
    assert response.status_code == 400, response.text
    update = "INSERT DATA { " + "[ <urn:p> " * 10_000 + "1" + " ]" * 10_000 + " <urn:p> 1 }"
    response = httpx.post(f"{write_server.url}/sparql", data={"update": update},
                          headers={"Authorization": "Bearer secret"}, timeout=60)
    assert response.status_code == 400, response.text
    assert ask(write_server.url).status_code == 200


def test_deep_nesting_is_a_400_with_an_in_memory_store() -> None:
    with TestClient(create_app(Store(), WebSettings(query_timeout=5))) as client:
        for text in NESTED.values():
            assert client.post("/sparql", data={"query": text}).status_code == 400
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


BAD_PARAMETERS = [
    {"query": "ASK {}", "default-graph-uri": "a b"},
    {"query": "ASK {}", "named-graph-uri": "not an iri"},
    {"query": "ASK {}", "default-graph-uri": "relative"},
    {"query": "ASK {}", "format": "a b"},
    {"query": "\x00"},
    {"query": "SELECT * { ?s ?p ?o } LIMIT 99999999999999999999999"},
    {"update": "DROP ALL"},
]


@pytest.mark.parametrize("params", BAD_PARAMETERS, ids=[str(p)[:40] for p in BAD_PARAMETERS])
def test_bad_protocol_parameters_are_4xx_with_a_message(server: Served, params: dict[str, str]) -> None:
    response = httpx.get(f"{server.url}/sparql", params=params, timeout=60)
    assert 400 <= response.status_code < 500 and response.text.strip(), response.text


PROTOCOL = st.fixed_dictionaries({}, optional={
    "query": st.one_of(st.text(max_size=200), st.sampled_from(["ASK {}", "SELECT * { ?s ?p ?o } LIMIT 2",
                                                               "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2"])),
    "default-graph-uri": st.text(max_size=40) | st.just("https://w3id.org/dhrkg/id/graph/ontology"),
    "named-graph-uri": st.text(max_size=40),
    "format": st.text(max_size=20) | st.sampled_from(["json", "csv", "ttl", "xml", "jsonld"]),
    "timeout": st.text(max_size=10),
    "update": st.text(max_size=40),
})


@settings(max_examples=int(os.environ.get("DHRKG_FUZZ_EXAMPLES", "150")), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(params=PROTOCOL, method=st.sampled_from(["GET", "POST"]), accept=st.sampled_from(
    ["*/*", "text/csv", "application/sparql-results+json", "text/turtle", "text/html", "x/\x7f", ""]))
def test_no_protocol_parameter_gives_a_500(server: Served, params: dict[str, str], method: str, accept: str) -> None:
    headers = {"Accept": accept}
    if method == "GET":
        response = httpx.get(f"{server.url}/sparql", params=params, headers=headers, timeout=60)
    else:
        response = httpx.post(f"{server.url}/sparql", data=params, headers=headers, timeout=60)
    assert response.status_code < 500 or response.status_code == 503, (params, response.text)


def test_the_query_after_a_stopped_runaway_is_answered_every_time(server: Served) -> None:
    """The server's limit is 3 s; a replaced worker is a warm spare, so nothing is charged to the next query."""
    for _ in range(2):
        assert httpx.get(f"{server.url}/sparql", params={"query": RUNAWAY}, timeout=60).status_code == 503
        started = time.monotonic()
        answers = [ask(server.url).status_code for _ in range(5)]
        assert answers == [200] * 5
        assert time.monotonic() - started < 5 * 2.0  # measured: about 10 ms each (scripts/bench_fairness.py)


def test_a_busy_server_says_503_with_retry_after(disk_store: Path) -> None:
    """One client runs one query at a time; its next waits (here 1 s), then is told when to retry."""
    settings = WebSettings(query_timeout=5.0, queue_timeout=1.0)
    with Served(create_app(Store.open_read_only(disk_store), settings)) as server, \
            concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        first = pool.submit(httpx.get, f"{server.url}/sparql", params={"query": RUNAWAY}, timeout=60)
        time.sleep(0.5)
        waiting = pool.submit(httpx.get, f"{server.url}/sparql", params={"query": RUNAWAY + " "}, timeout=60)
        page = httpx.get(f"{server.url}/query", params={"named": "reviews-per-csp"}, timeout=60,
                         headers={"Accept": "text/html"})
        busy = waiting.result()
        first.result()
    assert busy.status_code == 503 and int(busy.headers["Retry-After"]) >= 1, busy.text
    assert page.status_code == 503 and int(page.headers["Retry-After"]) >= 1 and "busy" in page.text


def test_a_runaway_update_is_stopped_and_nothing_of_it_is_written(write_server: Served) -> None:
    token = {"Authorization": "Bearer secret"}
    runaway = ("INSERT { GRAPH <urn:runaway> { ?a <urn:p> ?b } } WHERE { GRAPH ?g { ?a ?x ?y } "
               "GRAPH ?h { ?b ?z ?w } GRAPH ?i { ?c ?d ?e } }")
    response = httpx.post(f"{write_server.url}/sparql", data={"update": runaway}, headers=token, timeout=60)
    assert response.status_code == 503 and "nothing of it was written" in response.text
    written = httpx.get(f"{write_server.url}/sparql", params={"query": "ASK { ?a <urn:p> ?b }"}, timeout=60)
    assert written.json()["boolean"] is False
    insert = "INSERT DATA { GRAPH <urn:kept> { <urn:a> <urn:kept> 1 } }"
    assert httpx.post(f"{write_server.url}/sparql", data={"update": insert}, headers=token, timeout=60).status_code == 204
    kept = httpx.get(f"{write_server.url}/sparql", params={"query": "ASK { <urn:a> <urn:kept> 1 }"}, timeout=60)
    assert kept.json()["boolean"] is True  # the very next query reads the update
    home = httpx.get(f"{write_server.url}/", headers={"Accept": "text/html"}, timeout=60)
    assert home.status_code == 200


def test_a_write_enabled_server_stops_runaway_queries(write_server: Served) -> None:
    assert httpx.get(f"{write_server.url}/sparql", params={"query": RUNAWAY}, timeout=60).status_code == 503
    assert ask(write_server.url).status_code == 200


def test_a_query_that_needs_too_much_memory_is_507(disk_store: Path) -> None:
    executor = QueryExecutor(Store.open_read_only(disk_store),
                             Limits(timeout=60, workers=1, fast_workers=0, spares=0, memory=1 * 2**30))
    try:
        executor.wait_ready()
        started = time.monotonic()
        with pytest.raises(MemoryLimit, match="more memory than a query may use .1 GiB."):
            executor.run("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f")
        assert time.monotonic() - started < 60
        assert executor.run("ASK { ?s ?p ?o }").boolean is True
    finally:
        executor.close()


def test_a_worker_dying_mid_query_is_a_503_and_the_next_query_is_answered(disk_store: Path) -> None:
    executor = QueryExecutor(Store.open_read_only(disk_store), Limits(timeout=30, workers=1, fast_workers=0))
    try:
        executor.wait_ready()
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            running = pool.submit(executor.run, RUNAWAY)
            time.sleep(1.0)
            busy = [w for w in executor._all if w.lane == "general" and w not in executor._free["general"]]
            os.kill(busy[0].process.pid, signal.SIGKILL)
            with pytest.raises(WorkerCrash, match="stopped unexpectedly"):
                running.result()
        started = time.monotonic()
        assert executor.run("ASK { ?s ?p ?o }").boolean is True
        assert time.monotonic() - started < 5.0  # the spare took over (a fresh start would be ~1-4 s more)
    finally:
        executor.close()


def test_the_cli_stops_a_runaway_query_at_its_time_limit(disk_store: Path) -> None:
    from click.testing import CliRunner

    from graph.cli import main

    started = time.monotonic()
    done = CliRunner().invoke(main, ["query", RUNAWAY, "--timeout", "2", "--store", str(disk_store)])
    assert done.exit_code == 1 and "was stopped" in done.output
    assert time.monotonic() - started < 30


def test_errors_are_dhrkg_errors_with_a_status() -> None:
    assert issubclass(MemoryLimit, DhrkgError) and MemoryLimit.status == 507 and WorkerCrash.status == 503
