"""A real Oxigraph server as the store: ingest → query → analyse → serve, over the SPARQL protocol."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from graph import Store, ingest
from graph.analysis.pipeline import analyse
from graph.cli import main
from graph.errors import DhrkgError
from graph.model.iris import review_iri
from graph.store.remote import RemoteStore
from graph.store.safety import bind, inspect
from graph.web.app import create_app
from tests.conftest import SEED
from tests.test_links import PAGES, write_pages
from tests.web.conftest import Served, free_port

OXIGRAPH = shutil.which("oxigraph") or str(Path(__file__).parents[1] / ".venv" / "bin" / "oxigraph")


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`oxigraph serve` (from the oxigraph package) on a free loopback port."""
    if not Path(OXIGRAPH).exists():
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    process = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
         "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1)
            break
        except httpx.HTTPError:
            if time.time() > deadline:
                process.kill()
                raise RuntimeError("oxigraph did not start") from None
            time.sleep(0.1)
    yield f"sparql+{url}/query"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def remote(oxigraph_server: str, tmp_path_factory: pytest.TempPathFactory) -> RemoteStore:
    pages = tmp_path_factory.mktemp("pages")
    write_pages(pages, PAGES)
    store = RemoteStore.from_spec(oxigraph_server)
    report = ingest(store, [SEED.parent, pages])
    assert report.ok, report.failed
    analyse(store)
    return store


def test_ingest_and_named_queries_through_the_protocol(remote: RemoteStore) -> None:
    assert remote.stats()["recommendations"] == 41
    rows = {r["name"]: r["recommendations"] for r in remote.named("recommendations-per-agency").to_dicts()}
    assert rows["Northampton Partnership Homes"] == 13
    seed = str(review_iri(SEED.name))
    assert {row["review"] for row in remote.named("linked-reviews", review=seed).to_dicts()} <= {seed}
    assert remote.query("ASK { ?r a dhr:Review }").boolean  # the predeclared prefixes, written out for the server


def test_reingest_is_idempotent_and_replaces_documents(remote: RemoteStore, tmp_path: Path) -> None:
    before = remote.stats()
    report = ingest(remote, [SEED.parent])
    assert report.count("unchanged") == 1
    assert remote.stats() == before


def test_links_are_the_same_as_with_the_embedded_store(remote: RemoteStore, tmp_path: Path) -> None:
    write_pages(tmp_path, PAGES)
    embedded = Store()
    ingest(embedded, [SEED.parent, tmp_path])
    analyse(embedded)
    count = ("PREFIX dhr: <https://w3id.org/dhrkg/ontology#> "
             "SELECT (COUNT(DISTINCT ?l) AS ?n) WHERE { ?l a dhr:ReviewLink }")
    assert remote.query(count).rows() == embedded.query(count).rows()
    assert remote.query(count).rows()[0][0] > 0


def test_the_cli_reads_and_writes_a_remote_store(oxigraph_server: str, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["query", "--named", "reviews-per-csp", "--format", "csv", "--store", oxigraph_server])
    assert result.exit_code == 0, result.output
    assert "Northampton" in result.stdout
    page = tmp_path / "extra.txt"
    page.write_text("CSP: Deltaham\nYear of death: 2018\n| # | Recommendation | Addressed to |\n|---|---|---|\n"
                    "| 1 | Schools should teach healthy relationships. | Deltaham Schools |\n")
    result = runner.invoke(main, ["ingest", str(page), "--store", oxigraph_server])
    assert result.exit_code == 0, result.output
    assert "stale" in result.stderr


def test_the_web_app_serves_a_remote_store(oxigraph_server: str) -> None:
    app = create_app(RemoteStore.from_spec(oxigraph_server, read_only=True))
    with Served(app) as served:
        home = httpx.get(f"{served.url}/", headers={"Accept": "text/html"})
        assert home.status_code == 200 and "Northampton Partnership Homes" in home.text
        sparql = httpx.get(f"{served.url}/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert sparql.json()["boolean"] is True


def test_bindings_are_values_blocks_of_escaped_terms() -> None:
    import pyoxigraph as ox

    hostile = ox.Literal('x" } ; DROP ALL ; SELECT * { "')
    bound = bind(inspect("SELECT ?t WHERE { ?s ?p ?t }"), {ox.Variable("t"): hostile})
    assert bound == 'SELECT ?t WHERE { VALUES ?t { "x\\" } ; DROP ALL ; SELECT * { \\"" } ?s ?p ?t }'


def test_credentials_in_the_address_are_refused() -> None:
    with pytest.raises(DhrkgError, match="DHRKG_REMOTE_USER"):
        RemoteStore.from_spec("sparql+http://user:secret@127.0.0.1:9/query")


def test_an_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(DhrkgError, match="could not be reached"):
        RemoteStore.from_spec(f"sparql+http://127.0.0.1:{free_port()}/query")
