"""The correction form of the web app's write mode: the same correction as `dhrkg curate`, only
from this site and with the write token, through the store's writer; and the pages that show
what curators corrected."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph import Store, ingest
from graph.ingestion.curation import export_corrections
from graph.web.app import create_app
from graph.web.settings import WebSettings
from tests.test_curation import ALPHA, ALPHA_POLICE, record
from tests.test_links import PAGES, write_pages

TOKEN = "a long random token"
ALPHA_PAGE = "/review/" + ALPHA.rsplit("/", 1)[1]
CORRECTION = {"target": ALPHA_POLICE.split("/id/", 1)[1], "field": "theme", "action": "add", "value": "T9.1",
              "curator": "Analyst A", "note": "The victim was 81", "token": TOKEN}


@pytest.fixture
def corpus(tmp_path: Path) -> Store:
    write_pages(tmp_path / "pages", PAGES)
    store = Store()
    ingest(store, [tmp_path / "pages"])
    return store


@pytest.fixture
def client(corpus: Store) -> Iterator[TestClient]:
    """The write-enabled app over an in-memory store (corrections are applied in a thread)."""
    with TestClient(create_app(corpus, WebSettings(allow_update=True, update_token=TOKEN))) as client:
        yield client


def post(client: TestClient, form: dict[str, str], **headers: str) -> object:
    return client.post("/curate", data=form, headers={"Accept": "text/html", **headers}, follow_redirects=False)


def test_the_form_records_a_correction_and_the_review_page_shows_it_as_curated(client: TestClient,
                                                                               corpus: Store) -> None:
    assert 'name="token"' in client.get(f"/curate?target={CORRECTION['target']}").text
    response = post(client, CORRECTION, Origin=str(client.base_url))
    assert response.status_code == 303 and response.headers["location"] == f"{ALPHA_PAGE}#recommendations"
    html = client.get(ALPHA_PAGE).text
    assert 'class="curated">T9.1</a><span class="curated-mark"> curated</span>' in html
    assert "theme added: T9.1 older victims and carers" in html and "(Analyst A, " in html
    assert "The victim was 81" in html
    assert "Analyst A" in export_corrections(corpus)
    assert "curated" in client.get("/theme/T9").text


def test_a_browser_posting_the_form_under_no_referrer_is_accepted_from_this_site_only(client: TestClient) -> None:
    # The pages send Referrer-Policy: no-referrer, so a browser posts the form with Origin: null
    # and says where the post comes from in Sec-Fetch-Site.
    assert post(client, CORRECTION, Origin="null", **{"Sec-Fetch-Site": "same-origin"}).status_code == 303
    assert post(client, CORRECTION, Origin="null", **{"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert post(client, CORRECTION, Origin="null").status_code == 403  # null, and nothing else to go by


def test_a_removed_theme_is_struck_through_and_says_who_removed_it(client: TestClient) -> None:
    response = post(client, {**CORRECTION, "action": "remove", "value": "T2"})
    assert response.status_code == 303
    html = client.get(ALPHA_PAGE).text
    assert '<del class="curated" title="removed by Analyst A, ' in html and ">T2.1</del>" in html


def test_the_agency_page_marks_the_curated_themes_of_the_recommendations_it_received(client: TestClient) -> None:
    post(client, CORRECTION)
    post(client, {**CORRECTION, "action": "remove", "value": "T2"})
    received = client.get("/agency/alphatown/alphashire-police").text.split("Recommendations received", 1)[1]
    assert 'title="older victims and carers (added by Analyst A, ' in received
    assert 'class="curated">T9.1</a><span class="curated-mark"> curated</span>' in received
    assert '<del class="curated" title="removed by Analyst A, ' in received and ">T2.1</del>" in received


def test_the_form_refuses_without_the_token_from_another_site_and_says_what_is_wrong(client: TestClient,
                                                                                   corpus: Store) -> None:
    wrong = post(client, {**CORRECTION, "token": "guess"})
    assert wrong.status_code == 403 and "the write token is missing or wrong" in wrong.text
    assert post(client, CORRECTION, Origin="https://elsewhere.example").status_code == 403
    assert post(client, CORRECTION, **{"Sec-Fetch-Site": "cross-site"}).status_code == 403
    bad = post(client, {**CORRECTION, "value": "T99"})
    assert bad.status_code == 400 and "unknown theme code &#39;T99&#39;" in bad.text and "line 2" not in bad.text
    assert 'value="Analyst A"' in bad.text  # the row comes back to be fixed
    assert export_corrections(corpus).count("\n") == 1  # nothing recorded
    by_header = client.post("/curate", data={k: v for k, v in CORRECTION.items() if k != "token"},
                            headers={"Authorization": f"Bearer {TOKEN}"}, follow_redirects=False)
    assert by_header.status_code == 303


def test_printed_words_resolved_elsewhere_are_recorded_and_confirmed_on_the_form(client: TestClient) -> None:
    form = {**CORRECTION, "target": "Gammaford GP practices", "field": "addressee",
            "value": "Betaville GP Federation", "note": ""}
    response = post(client, form)
    assert response.status_code == 200 and "1 correction(s) recorded" in response.text
    assert "already recorded, nothing changed" in post(client, form).text


def test_a_read_only_server_offers_no_form(corpus: Store) -> None:
    with TestClient(create_app(corpus, WebSettings())) as client:
        assert client.get("/curate", headers={"Accept": "text/html"}).status_code == 403
        assert post(client, CORRECTION).status_code == 403
        assert "/curate?" not in client.get(ALPHA_PAGE).text
    with TestClient(create_app(corpus, WebSettings(allow_update=True, update_token=TOKEN))) as client:
        assert "/curate?target=recommendation" in client.get(ALPHA_PAGE).text


def test_pages_show_corrections_recorded_with_the_cli(corpus: Store) -> None:
    record(corpus, "Alphashire Police,agency-type,add,A21,Analyst B,A national force")
    with TestClient(create_app(corpus, WebSettings())) as client:
        html = client.get("/agency/alphatown/alphashire-police").text
    assert "A21" in html and '<span class="curated-mark"> curated</span>' in html
    assert "agency-type add" in html and "A national force" in html


def test_on_a_store_on_disk_the_writer_process_records_the_correction(disk_store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "store"
    shutil.copytree(disk_store, copy)
    settings = WebSettings(allow_update=True, update_token=TOKEN, workers=1, query_timeout=30.0)
    with TestClient(create_app(Store(copy), settings)) as client:  # the writer process holds the store
        assert post(client, CORRECTION).status_code == 303
        assert 'class="curated">T9.1</a>' in client.get(ALPHA_PAGE).text  # the pages read its checkpoint
        bad = post(client, {**CORRECTION, "target": "recommendation/nothing-1-00"})
        assert bad.status_code == 400 and "no recommendation recommendation/nothing-1-00" in bad.text
    store = Store.open_read_only(copy)
    assert export_corrections(store).count("Analyst A") == 1
    del store
