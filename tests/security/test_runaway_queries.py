"""Runaway queries are stopped by the time limit while the server keeps answering."""

from __future__ import annotations

import concurrent.futures
import time

import httpx
import pytest

from tests.web.conftest import Served

RUNAWAYS = {
    "cartesian product": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "unbounded property path": "SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:x>|!<urn:x>)* ?b . ?c ?d ?e }",
    "huge offset": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } OFFSET 100000000000 LIMIT 1",
}


@pytest.mark.parametrize("name", sorted(RUNAWAYS))
def test_a_runaway_query_is_stopped_with_a_clear_error(server: Served, name: str) -> None:
    started = time.time()
    response = httpx.get(f"{server.url}/sparql", params={"query": RUNAWAYS[name]}, timeout=60)
    assert response.status_code == 503, response.text
    assert "was stopped" in response.text
    # Stopped near the 3 s limit, not left to run for the minutes these take: the slack is wide
    # because a loaded 2-core machine (CI runs the suite under stress-ng) slows everything else.
    assert time.time() - started < 3.0 * 4


def test_concurrent_slow_queries_cannot_exhaust_the_server(server: Served) -> None:
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        slow = [pool.submit(httpx.get, f"{server.url}/sparql", params={"query": RUNAWAYS["cartesian product"]},
                            timeout=60) for _ in range(5)]
        time.sleep(0.5)
        for path in ("/", "/query", "/search?q=training"):
            page = httpx.get(f"{server.url}{path}", timeout=60)
            # Answered while the runaways still hold the workers (five for two: three time limits),
            # not within a fixed time: a loaded machine broke the old 2.5 s bound.
            assert page.status_code == 200 and not all(f.done() for f in slow), path
        answers = [f.result() for f in slow]
    assert {a.status_code for a in answers} == {503}
    recovered = httpx.get(f"{server.url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
    assert recovered.status_code == 200
