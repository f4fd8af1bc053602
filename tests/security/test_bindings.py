"""Parameters are bound by a VALUES block put in from the query's tokens: nothing in a
comment, a string or an IRI (escaped '#', \\u escapes, braces, the word WHERE) can move it,
and a value can never become query text."""

from __future__ import annotations

import os

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import QueryError, Store
from graph.store.safety import bind, inspect
from graph.store.sparql_text import tokens

NOISE = "{}#\\'\"WHERE u0041 SELECT<>:"
comments = st.text(NOISE + "x", max_size=15).map(lambda t: "# " + t.replace("\n", " ").replace("\r", " ") + "\n")
strings = st.text(NOISE.replace("\\", "").replace('"', "") + "x", max_size=15).map(lambda t: f'BIND("{t}" AS ?t)')
escaped = st.sampled_from(['BIND("\\u0022{" AS ?u)', "BIND(<urn:a\\u0041#\\u00E9> AS ?i)", "BIND(e:a\\#b AS ?n)",
                           "BIND('''{ WHERE {''' AS ?l)", "BIND(<urn:x#WHERE> AS ?w)"])
pieces = st.lists(comments | strings | escaped, max_size=6)

STORE = Store()
for subject in ("urn:s", "urn:t"):
    STORE._ox.add(ox.Quad(ox.NamedNode(subject), ox.NamedNode("urn:p"), ox.Literal("o"), ox.NamedNode("urn:g")))
VALUE = {ox.Variable("x"): ox.NamedNode("urn:s")}


def code(text: str) -> list[str]:
    return [t.text for t in tokens(text) if t.kind not in ("ws", "comment")]


@settings(max_examples=int(os.environ.get("DHRKG_FUZZ_EXAMPLES", "200")), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(before=pieces, after=pieces, subquery=st.booleans())
def test_bindings_land_at_the_top_of_each_where_group_whatever_the_noise(before: list[str], after: list[str],
                                                                      subquery: bool) -> None:
    unique = [piece.replace(" AS ?", f" AS ?v{i}") for i, piece in enumerate(before + after)]
    inner = f"{' '.join(unique[:len(before)])}\n ?x ?p ?o \n{' '.join(unique[len(before):])}"
    if subquery:
        query = f"PREFIX e: <urn:e:>\nSELECT ?x WHERE {{ {{ SELECT ?x WHERE {{ {inner} }} }} }}"
    else:
        query = f"PREFIX e: <urn:e:>\nSELECT ?x WHERE {{ {inner} }}"
    inspection = inspect(query)
    bound = bind(inspection, VALUE)
    values = ["VALUES", "?x", "{", "<urn:s>", "}"]
    expected = code(inspection.text)
    groups = [i for i, t in enumerate(expected) if t == "{" and expected[i - 1] == "WHERE"]
    assert len(groups) == (2 if subquery else 1)
    for position in reversed(groups):
        expected[position + 1:position + 1] = values
    assert code(bound) == expected
    assert {str(row[0]) for row in STORE.query(query, bindings=VALUE).rows()} == {"urn:s"}


@pytest.mark.parametrize("value", [ox.Literal('x" } ; DROP ALL ; SELECT * { "'), ox.Literal("a\nb", language="en"),
                                   ox.NamedNode("urn:a#b'c"), ox.Literal("1", datatype=ox.NamedNode("urn:t#x"))])
def test_a_value_is_one_term_whatever_it_holds(value: ox.NamedNode | ox.Literal) -> None:
    bound = bind(inspect("SELECT ?v WHERE { }"), {ox.Variable("v"): value})
    assert code(bound)[3:6] == ["{", "VALUES", "?v"] and len(code(bound)) in (10, 11, 12)
    assert STORE.query("SELECT ?v WHERE { }", bindings={ox.Variable("v"): value}).terms() == [(value,)]


def test_a_query_without_a_group_cannot_be_bound() -> None:
    with pytest.raises(QueryError, match="no group pattern"):
        bind(inspect("DESCRIBE <urn:a>"), VALUE)
