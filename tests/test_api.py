"""The Python API an analyst learns in ten minutes: small, typed, documented by examples."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import graph
from graph import (
    GraphStore,
    Store,
    agency_recommendations,
    analyse,
    ingest,
    linked_reviews,
    open_store,
    recommendations,
    reviews,
    to_networkx,
)
from graph.resources import data_dir
from tests.test_links import PAGES, write_pages


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    pages = tmp_path_factory.mktemp("pages")
    write_pages(pages, PAGES)
    store = Store()
    ingest(store, [data_dir(), pages])
    analyse(store)
    return store


def test_every_public_function_documents_itself_with_an_example() -> None:
    for name in graph.__all__:
        thing = getattr(graph, name)
        if inspect.isfunction(thing):
            assert thing.__doc__ and ">>>" in thing.__doc__, f"graph.{name} has no runnable example"
    for method in ("query", "named", "stats"):
        doc = getattr(Store, method).__doc__ or getattr(GraphStore, method).__doc__ or ""
        assert doc, f"Store.{method} is undocumented"


def test_the_package_ships_its_type_information() -> None:
    assert (Path(graph.__file__).parent / "py.typed").exists()


def test_open_a_store_in_memory_on_disk_or_by_address(tmp_path: Path) -> None:
    assert isinstance(open_store("memory", write=True), Store)
    on_disk = open_store(str(tmp_path / "store"), write=True)
    assert isinstance(on_disk, Store) and on_disk.path == tmp_path / "store"
    with pytest.raises(graph.DhrkgError, match="not a SPARQL store address"):
        open_store("sparql+ftp://example.org/query", write=False)


def test_reviews_filter_by_csp_region_year_theme_and_agency_type(store: Store) -> None:
    assert len(reviews(store)) == 650  # 647 DHRD incidents (one the seed's review), three pages
    assert {r.csp for r in reviews(store, region="East Midlands")} >= {"Northampton", "Lincoln"}
    assert [r.csp for r in reviews(store, theme="T2", year=2020)] == ["Betaville"]
    assert {r.csp for r in reviews(store, agency_type="A02")} == {"Betaville", "Gammaford"}
    assert len(reviews(store, csp="northampton")) == 4  # the seed page and INC-0293: one review
    seed = next(r for r in reviews(store, csp="northampton") if r.recommendations)
    assert seed.records[1].endswith("/review/dhrd-INC-0293") and seed.region == "East Midlands"  # from the DHRD
    assert any(s.endswith("incidents.csv") for s in seed.sources) and len(seed.sources) == 2


def test_a_reviews_recommendations_agencies_and_links(store: Store) -> None:
    beta = next(r for r in reviews(store) if r.csp == "Betaville")
    recs = recommendations(store, beta.iri)
    assert [r.number for r in recs] == ["1", "2"]
    assert recs[0].agencies[0].addressed_as == "Betashire Police" and recs[0].themes[0].startswith("T2")
    links = linked_reviews(store, beta.iri)
    assert {link.review for link in links} >= {r.iri for r in reviews(store) if r.csp in ("Alphatown", "Gammaford")}
    assert all(link.score > 0 and link.shared_failures for link in links)


def test_an_agencys_recommendations(store: Store) -> None:
    received = agency_recommendations(store, "agency/northampton-partnership-homes")
    assert len(received) == 13
    assert {r.agencies[0].addressed_as for r in received} == {"Northampton Partnership Homes",
                                                              "Northampton Partnership Housing"}


def test_results_convert_to_rows_dicts_dataframes_and_formats(store: Store) -> None:
    pd = pytest.importorskip("pandas")
    result = store.named("reviews-per-region")
    frame = result.to_dataframe()
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == ["region", "reviews"]
    assert frame["reviews"].sum() == 647
    assert result.rows()[0] == tuple(result.to_dicts()[0].values())
    assert result.serialize("csv").decode().startswith("region,reviews")


def test_to_networkx_for_each_view(store: Store) -> None:
    beta = next(r for r in reviews(store) if r.csp == "Betaville")
    assert to_networkx(store, "review").number_of_edges() >= 2
    assert to_networkx(store, "theme-agency", agency_type="A01").number_of_nodes() > 0
    assert to_networkx(store, "review-ego", review=beta.iri).has_node(beta.iri)
    assert to_networkx(store, "agency-recommendation", collapse=True).number_of_nodes() > 0
