"""Shared fixtures: the seed page, small crafted pages, and stores built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import Store, ingest
from graph.resources import data_dir

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"
SEED = data_dir() / "seed" / "000_58cfa34b200ccabd.txt"


def seed_parameters(names: list[str]) -> dict[str, str]:
    """A value the seed store holds for each named-query parameter: a parameter that names a
    review, agency or CSP the graph lacks is an error, not an empty answer."""
    from graph.model.iris import review_iri

    known = {"review": str(review_iri(SEED.name)), "linked": str(review_iri(SEED.name)),
             "agency": "agency/northampton-partnership-homes", "csp": "Northampton"}
    return {name: known[name] for name in names}


@pytest.fixture(scope="session")
def seed_store() -> Store:
    """An in-memory store holding the seed page; tests must not write to it."""
    store = Store()
    report = ingest(store, [SEED.parent])
    assert report.ok, report.failed
    return store


@pytest.fixture
def store() -> Store:
    """A fresh, empty in-memory store."""
    return Store()


@pytest.fixture(scope="session")
def bundled_store() -> Store:
    """An in-memory store built from the bundled data as `dhrkg build` builds it (the seed page
    and the 647-review DHRD), analysed; tests must not write to it."""
    from graph.analysis.pipeline import analyse

    store = Store()
    report = ingest(store, [data_dir()])
    assert report.ok, report.failed
    analyse(store)
    return store
