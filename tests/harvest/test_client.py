"""The polite client: one site only, paced, retried with backoff, 429s honoured, named."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from graph.harvest.client import PoliteClient, user_agent
from graph.harvest.errors import FetchError, HarvestError
from tests.harvest.standin import Review, StandIn

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ID = "699496a0c7f5132b09d6c679"


def one_report(library: Callable[..., StandIn], **options: object) -> StandIn:
    return library([Review(ID, "Adult A - Exampleton - 2020/a - DHR", "Adult A", "Exampleton", "East", "2026-02",
                           "2020-01", PDF)], **options)


def test_a_url_on_another_site_is_refused_before_anything_is_sent(library: Callable[..., StandIn],
                                                                   canary: StandIn) -> None:
    standin = one_report(library)
    with PoliteClient(standin.url, delay=0) as client:
        for elsewhere in (f"{canary.url}download/{ID}", canary.url.replace("http:", "https:"),
                          standin.url.replace("127.0.0.1", "localhost")):
            with pytest.raises(HarvestError, match="refusing to request"):
                client.get(elsewhere)
        assert client.requests == 0
    assert canary.hits == [] and standin.hits == []


def test_a_redirect_to_another_site_is_not_followed(library: Callable[..., StandIn], canary: StandIn) -> None:
    standin = one_report(library, redirect_to=canary.url)
    standin.faults[ID] = ["redirect-away"]
    with PoliteClient(standin.url, delay=0) as client, pytest.raises(FetchError, match="redirected to another site"):
        client.get(f"{standin.url}download/{ID}")
    assert canary.hits == []


def test_429_waits_what_retry_after_says(library: Callable[..., StandIn]) -> None:
    standin = one_report(library)
    standin.faults[ID] = ["429"]
    notes: list[str] = []
    with PoliteClient(standin.url, delay=0, notify=notes.append) as client:
        assert client.get(f"{standin.url}download/{ID}", receive=lambda r: r.read()) == PDF
    first, second = standin.hits
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 0.95  # Retry-After: 1
    assert "waiting 1 s as asked" in notes[0]


def test_503_then_success_backs_off_and_succeeds(library: Callable[..., StandIn]) -> None:
    standin = one_report(library)
    standin.faults[ID] = ["503", "503"]
    waits: list[float] = []
    with PoliteClient(standin.url, delay=0, backoff=0.01, sleep=waits.append) as client:
        assert client.get(f"{standin.url}download/{ID}", receive=lambda r: r.read()) == PDF
    assert [hit.status for hit in standin.hits] == [503, 503, 200]
    assert waits == [0.01, 0.02]  # exponential


def test_attempts_run_out_with_the_url_and_the_problem_named(library: Callable[..., StandIn]) -> None:
    standin = one_report(library)
    standin.faults[ID] = ["503"] * 3
    with PoliteClient(standin.url, delay=0, backoff=0, attempts=3) as client, \
            pytest.raises(FetchError, match=f"download/{ID}: HTTP 503 \\(gave up after 3 attempt"):
        client.get(f"{standin.url}download/{ID}")
    assert len(standin.hits) == 3


def test_a_connection_cut_mid_body_is_retried(library: Callable[..., StandIn]) -> None:
    standin = one_report(library)
    standin.faults[ID] = ["cut"]
    with PoliteClient(standin.url, delay=0, backoff=0) as client:
        assert client.get(f"{standin.url}download/{ID}", receive=lambda r: r.read()) == PDF
    assert len(standin.hits) == 2


def test_a_network_error_is_retried_then_named(canary: StandIn) -> None:
    url = canary.url
    canary.close()  # nothing listens there any more: connection refused
    with PoliteClient(url, delay=0, backoff=0, attempts=2) as client, \
            pytest.raises(FetchError, match="network error .*gave up after 2 attempt"):
        client.get(url)


def test_a_server_asking_to_wait_for_hours_stops_the_harvest(library: Callable[..., StandIn]) -> None:
    standin = one_report(library)
    standin.faults[ID] = ["429"]
    with PoliteClient(standin.url, delay=0, max_wait=0.5) as client, pytest.raises(HarvestError, match="try again"):
        client.get(f"{standin.url}download/{ID}")


def test_requests_are_paced_and_name_dhrkg(library: Callable[..., StandIn]) -> None:
    standin = one_report(library)
    with PoliteClient(standin.url, delay=0.3) as client:
        for _ in range(3):
            client.get(standin.url)
    gaps = [b.at - a.at for a, b in zip(standin.hits, standin.hits[1:])]
    assert all(gap >= 0.29 for gap in gaps)
    assert {hit.agent for hit in standin.hits} == {user_agent()}
    assert user_agent().startswith("dhrkg/0.") and "Home Office DHR Library" in user_agent()


def test_the_default_pace_is_at_least_a_second() -> None:
    assert PoliteClient("https://homicide-review.homeoffice.gov.uk/").delay >= 1.0
