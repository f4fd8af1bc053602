"""The library of named queries: headers, safe parameter binding, and their answers on the seed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph import QueryError, Store
from graph.model.iris import review_iri
from graph.store.named_queries import named_queries, named_query, parse_named_query
from tests.conftest import seed_parameters

SEED_REVIEW = str(review_iri("000_58cfa34b200ccabd.txt"))
README = Path(__file__).parents[1] / "README.md"


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_runs_on_the_seed_and_is_documented(seed_store: Store, name: str) -> None:
    query = named_query(name)
    assert query.summary
    seed_store.named(name, **seed_parameters([p.name for p in query.params if not p.optional]))
    assert f"`{name}`" in README.read_text(encoding="utf-8")


def test_recommendations_per_agency_counts_the_seed(seed_store: Store) -> None:
    rows = {row["name"]: row["recommendations"] for row in seed_store.named("recommendations-per-agency").to_dicts()}
    assert sum(rows.values()) == 37  # 35 recommendations, two of them addressed to two bodies
    assert rows["All agencies"] == 3
    assert rows["Northamptonshire County Council"] == 9
    assert rows["Northampton Partnership Homes"] == 13  # "…Housing" (12) and "…Homes" (1) are one body


def test_recommendations_of_one_review_come_in_page_order(seed_store: Store) -> None:
    rows = seed_store.named("recommendations-of-review", review=SEED_REVIEW).to_dicts()
    assert [r["position"] for r in rows] == list(range(1, 36))
    assert rows[4]["addressedTo"] == "NCC Public Health | CCG commissioner"


def test_reviews_per_csp(seed_store: Store) -> None:
    assert seed_store.named("reviews-per-csp").to_dicts() == [
        {"csp": "https://w3id.org/dhrkg/id/csp/northampton", "name": "Northampton",
         "reviews": 1, "recommendations": 35}]


def test_parameters_are_bound_not_pasted(seed_store: Store) -> None:
    hostile = SEED_REVIEW + "> } } ; DROP ALL ; SELECT * { <x"
    with pytest.raises(QueryError, match="must be an IRI"):
        seed_store.named("recommendations-of-review", review=hostile)


def test_missing_and_unknown_parameters_are_named(seed_store: Store) -> None:
    with pytest.raises(QueryError, match="needs parameter review"):
        seed_store.named("recommendations-of-review")
    with pytest.raises(QueryError, match="has no parameter colour"):
        seed_store.named("recommendations-per-agency", colour="red")


def test_unknown_named_query_lists_the_known_ones(seed_store: Store) -> None:
    with pytest.raises(QueryError, match="known: .*recommendations-per-agency"):
        seed_store.named("no-such-query")


@pytest.mark.parametrize(("header", "problem"), [
    ("#+ summary: ok\n#+ param x: colour  What.\nSELECT ?x {}", "parameter type 'colour'"),
    ("#+ summary: ok\n#+ param y: string  What.\nSELECT ?x {}", "parameter y is not used"),
    ("#+ sumary: typo\nSELECT ?x {}", "unknown header 'sumary'"),
    ("SELECT ?x {}", "missing '#+ summary:' header"),
])
def test_a_bad_header_fails_loudly(tmp_path: Path, header: str, problem: str) -> None:
    path = tmp_path / "bad.rq"
    path.write_text(header)
    with pytest.raises(QueryError, match=re.escape(problem)):
        parse_named_query(path)


def test_malformed_sparql_gives_the_parsers_message(seed_store: Store) -> None:
    with pytest.raises(QueryError, match="malformed SPARQL"):
        seed_store.query("SELECT ?x WHERE { ?x }")
