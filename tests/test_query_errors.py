"""Queries as people type them: the common prefixes need no declaring, and a mistake gets one
short line saying what is wrong (an update sent as a query, an unknown prefix, a file that
cannot be written), never a wall of Unicode ranges or a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from graph import Store
from graph.cli import main
from graph.errors import QueryError
from graph.store.prefixes import predeclared, with_prologue
from graph.web.app import create_app

COMMON = ("dhr", "skos", "dcterms", "org", "prov", "rdfs", "rdf", "xsd", "owl")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store on disk holding the seed page, as the CLI reads it."""
    from tests.conftest import SEED

    path = tmp_path_factory.mktemp("cli") / "store"
    result = CliRunner().invoke(main, ["ingest", str(SEED.parent), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_the_common_prefixes_come_from_the_ontology() -> None:
    assert set(COMMON) <= set(predeclared())
    assert predeclared()["dhr"].endswith("/ontology#")


def test_queries_use_the_common_prefixes_without_declaring_them(seed_store: Store) -> None:
    rows = seed_store.query("SELECT (COUNT(?r) AS ?n) WHERE { ?r a dhr:Review ; dcterms:title ?t }").rows()
    assert rows == [(1,)]
    assert seed_store.query("ASK { ?c skos:notation 'T2' ; rdf:type skos:Concept }").boolean


def test_a_querys_own_prefix_wins(seed_store: Store) -> None:
    assert not seed_store.query("PREFIX dhr: <urn:other#> ASK { ?r a dhr:Review }").boolean


def test_a_remote_store_gets_the_prefixes_written_out() -> None:
    text = with_prologue("SELECT * { ?s a dhr:Review }")
    assert all(f"PREFIX {name}: <{predeclared()[name]}>" in text for name in COMMON)


def test_an_update_sent_as_a_query_is_refused_as_an_update(seed_store: Store) -> None:
    with pytest.raises(QueryError, match="^updates are not accepted here"):
        seed_store.query("PREFIX ex: <urn:ex#>\nDELETE WHERE { ?s ?p ?o }")
    assert seed_store.stats()["reviews"] == 1


def test_an_unknown_prefix_is_named_in_one_short_line(seed_store: Store) -> None:
    with pytest.raises(QueryError) as caught:
        seed_store.query("SELECT * WHERE {\n  ?s foaf:name ?o\n}")
    message = caught.value.message
    assert message.startswith("unknown prefix 'foaf:' at line 2, column 6")
    assert "dhr:, " in message and "\\u{" not in message and "\n" not in message and len(message) < 300


def test_a_syntax_error_lists_no_character_classes(seed_store: Store) -> None:
    with pytest.raises(QueryError) as caught:
        seed_store.query("SELECT ?x WHERE {")
    assert caught.value.message.startswith("malformed SPARQL: line 1, column 18")  # where, then what: one line
    assert "\\u{" not in caught.value.message and "..=" not in caught.value.message


def test_the_cli_refuses_an_update_in_words(built: Path) -> None:
    code, output = run("query", "DELETE WHERE { ?s ?p ?o }", "--store", str(built))
    assert code == 1 and "updates are not accepted here" in output and "CONSTRUCT\n" not in output
    code, output = run("query", "SELECT (COUNT(*) AS ?n) { ?r a dhr:Review }", "--format", "csv", "--store", str(built))
    assert code == 0 and output.splitlines() == ["n", "1"]


def test_the_endpoint_and_the_query_page_predeclare_the_prefixes(seed_store: Store) -> None:
    with TestClient(create_app(seed_store)) as client:
        answer = client.get("/sparql", params={"query": "ASK { ?r a dhr:Review }"},
                            headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        refused = client.get("/sparql", params={"query": "DELETE WHERE { ?s ?p ?o }"})
        assert refused.status_code == 400 and "updates are not accepted here" in refused.text
        page = client.get("/query", headers={"Accept": "text/html"}).text
    assert all(f"PREFIX {name}: &lt;{predeclared()[name]}&gt;" in page for name in COMMON)


@pytest.mark.parametrize("command", [
    ["viz", "agency-recommendation", "--out"], ["plot", "agency-types", "--out"], ["network", "theme-agency", "--graphml"],
])
def test_writing_into_a_missing_folder_is_one_line(built: Path, tmp_path: Path, command: list[str]) -> None:
    target = tmp_path / "missing" / "out.png"
    code, output = run(*command, str(target), "--store", str(built))
    assert code == 1
    assert output.strip() == f"Error: cannot write {target}: the folder {target.parent} does not exist"


def test_the_cli_table_shows_whole_compact_names_that_param_takes_back(built: Path) -> None:
    code, output = run("query", "--named", "reviews-of-csp", "--param", "csp=Northampton", "--store", str(built))
    assert code == 0 and "…" not in output and "https://" not in output
    names = re.findall(r"review/[0-9a-f]{16}\b", output)
    assert len(names) == 1
    code, output = run("query", "--named", "recommendations-of-review", "--param", f"review={names[0]}",
                       "--format", "csv", "--store", str(built))
    assert code == 0 and len(output.splitlines()) == 36
    code, output = run("query", "--named", "recommendations-per-agency", "--store", str(built))
    assert "dhr:AllAgencies" in output
    code, output = run("query", "--named", "recommendations-of-agency", "--param", "agency=dhr:AllAgencies",
                       "--format", "csv", "--store", str(built))
    assert code == 0 and len(output.splitlines()) == 4
