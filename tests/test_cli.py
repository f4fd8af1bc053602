"""The dhrkg command, used as a user would: build, extract, query, stats, export, validate."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph import Store, ingest
from graph.cli import main
from graph.model.iris import review_iri
from graph.model.terms import DHR, RDF
from graph.store.base import SUMMARY_GRAPH
from tests.conftest import PAGES, SEED


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder built by `dhrkg build` from the bundled data."""
    path = tmp_path_factory.mktemp("cli") / "store"
    result = CliRunner().invoke(main, ["build", "--store", str(path)])
    assert result.exit_code == 0, result.output
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_help() -> None:
    for name, command in main.commands.items():
        assert command.help, f"dhrkg {name} has no help"
        code, out, _ = run(name, "--help")
        assert code == 0 and "Usage:" in out


def test_build_shows_what_is_in_the_store(built: Path) -> None:
    code, out, _ = run("stats", "--store", str(built))
    assert code == 0
    counts = " ".join(out.split())
    # The seed page and the 647 DHRD incidents, one of which (INC-0293) is the seed's review:
    # a review known from two sources counts once.
    assert "reviews: 647 " in counts
    assert "recommendations: 35 " in counts
    assert "review matches: 1 " in counts  # the seed and its DHRD incident: linked, not merged


def test_extract_json_touches_no_store_and_follows_the_contract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DHRKG_STORE", str(tmp_path / "never"))
    code, out, _ = run("extract", str(SEED), "--json")
    assert code == 0
    document = json.loads(out)
    assert document["review"]["csp"] == "Northampton"
    assert len(document["recommendations"]) == 35
    assert not (tmp_path / "never").exists()


def test_extract_of_a_bad_file_names_it(tmp_path: Path) -> None:
    code, _, err = run("extract", str(PAGES / "binary.txt"), "--json")
    assert code == 1
    assert "binary.txt: file is binary" in err


def test_query_named_with_formats(built: Path) -> None:
    code, out, _ = run("query", "--named", "recommendations-per-agency", "--format", "csv", "--store", str(built))
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0] == "agency,name,type,recommendations,reviews"
    assert ",Northampton Partnership Homes,A10,13,1" in lines[1]
    code, out, _ = run("query", "--named", "reviews-per-csp", "--format", "json", "--store", str(built))
    bindings = json.loads(out)["results"]["bindings"]
    northampton = next(b for b in bindings if b["name"]["value"] == "Northampton")
    assert northampton["reviews"]["value"] == "4"  # four DHRD incidents, one of them the seed page's review
    code, out, _ = run("query", "--named", "reviews-per-csp", "--store", str(built))
    assert "Northampton" in out


def test_query_with_a_bound_parameter(built: Path) -> None:
    review = str(review_iri("seed/000_58cfa34b200ccabd.txt"))
    code, out, _ = run("query", "--named", "recommendations-of-review", "--param", f"review={review}",
                       "--format", "tsv", "--store", str(built))
    assert code == 0, out
    assert len(out.strip().splitlines()) == 36


def test_query_text_and_file_with_a_literal_parameter(built: Path, tmp_path: Path) -> None:
    sparql = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
              "SELECT DISTINCT ?csp ?name WHERE { ?csp skos:prefLabel ?name }")
    code, out, _ = run("query", sparql, "--param", "name=Northampton", "--format", "csv", "--store", str(built))
    assert out.strip().splitlines() == ["csp,name", "https://w3id.org/dhrkg/id/csp/northampton,Northampton"]
    path = tmp_path / "q.rq"
    path.write_text("ASK { ?s ?p ?o }")
    code, out, _ = run("query", "-f", str(path), "--store", str(built))
    assert (code, out.strip()) == (0, "true")


def test_malformed_query_is_a_clear_error(built: Path) -> None:
    code, _, err = run("query", "SELECT WHERE {", "--store", str(built))
    assert code == 1
    assert "malformed SPARQL" in err


def test_export_formats(built: Path, tmp_path: Path) -> None:
    for fmt in ("ttl", "nt", "nq", "trig", "jsonld"):
        target = tmp_path / f"graph.{fmt}"
        code, _, err = run("export", "--format", fmt, "-o", str(target), "--store", str(built))
        assert code == 0, err
        assert target.stat().st_size > 10_000
    quads = list(ox.parse(path=str(tmp_path / "graph.nq"), format=ox.RdfFormat.N_QUADS))
    graphs = {str(q.graph_name.value) for q in quads}  # type: ignore[union-attr]
    summary = {g for g in graphs if g == str(SUMMARY_GRAPH) or g.startswith(f"{SUMMARY_GRAPH}/")}
    # the ontology, the seed page, the three DHRD tables, the review matches and the analysis
    assert len(graphs - summary) == 7
    assert str(SUMMARY_GRAPH) in summary and len(summary) > 1  # the summary's marker, and its reports


def test_validate_passes_on_the_seed(built: Path) -> None:
    code, _, err = run("validate", "--store", str(built))
    assert code == 0
    assert "no violations" in err


def test_validate_reports_a_crafted_invalid_graph(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = Store(path)
    ingest(store, [SEED.parent])
    broken = ox.NamedNode("https://example.org/broken-recommendation")
    store.replace_document("crafted", [
        ox.Triple(broken, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(DHR.Recommendation))),
        ox.Triple(broken, ox.NamedNode(str(DHR.theme)), ox.NamedNode("https://example.org/not-a-theme")),
    ])
    store.flush()
    store.close()
    code, out, _ = run("validate", "--store", str(path))
    assert code == 1
    assert "https://example.org/broken-recommendation" in out
    assert "exactly one non-empty text" in out
    assert "belongs to exactly one review" in out
    assert "not in the theme scheme" in out


def test_ingest_reports_bad_files_and_exits_non_zero(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text((PAGES / "one-line-metadata.txt").read_text())
    (folder / "bad.txt").write_bytes(b"")
    code, _, err = run("ingest", str(folder), "--store", str(tmp_path / "store"))
    assert code == 1
    assert "bad.txt: file is empty" in err
    assert "1 added" in err and "1 failed" in err


def test_reading_a_missing_store_says_how_to_make_one(tmp_path: Path) -> None:
    code, _, err = run("stats", "--store", str(tmp_path / "nothing"))
    assert code == 1
    assert "dhrkg build" in err
