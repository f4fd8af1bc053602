"""Reading the library's listing: the real page's markup, and walking its pages whatever the server does."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from graph.harvest.client import PoliteClient
from graph.harvest.errors import HarvestError
from graph.harvest.listing import CATEGORIES, KEYWORDS, Filter, parse_listing
from graph.harvest.walk import walk_listing
from tests.harvest.standin import FIXTURE, Review, StandIn

LIBRARY = "https://homicide-review.homeoffice.gov.uk/"
PAGE = FIXTURE.read_text(encoding="utf-8")


def test_the_real_page_gives_eight_cards_with_every_field() -> None:
    page = parse_listing(PAGE, LIBRARY + "?pagination%5BpageNumber%5D=0", LIBRARY)
    assert (page.first, page.last, page.total) == (1, 50, 647)
    first = page.cards[0]
    assert (first.download_id, first.title, first.pseudonym, first.csp, first.region, first.uploaded, first.death) == (
        "699496a0c7f5132b09d6c679", "Susan - Lincoln - 2018/a - DHR", "Susan", "Lincoln", "East Midlands",
        "2026-02", "2018-09")
    assert first.url == LIBRARY + "download/699496a0c7f5132b09d6c679" and first.problem is None
    assert [c.csp for c in page.cards] == ["Lincoln", "Norfolk", "Norfolk", "Ealing", "Manchester", "Southend-on-Sea",
                                           "Liverpool", "Westminster"]


def test_entities_are_unescaped_in_titles_and_pseudonyms() -> None:
    card = parse_listing(PAGE, LIBRARY, LIBRARY).cards[-1]
    assert card.title == "Elizabeth & Ash - Westminster - 2021/a - DHR"
    assert card.pseudonym == "Elizabeth & Ash"


def test_the_filter_values_are_read_from_the_form_decoded() -> None:
    filters = parse_listing(PAGE, LIBRARY, LIBRARY).filters
    keywords = [f.value for f in filters if f.parameter == KEYWORDS]
    assert len(keywords) == 11 and "" not in keywords
    assert "Victim - cognitive disorder (dementia or alzheimer's disease)" in keywords
    assert [f.value for f in filters if f.parameter == CATEGORIES] == [
        "Intimate-partner homicide", "Older victim homicides (65 plus)", "Familial homicide"]


def test_fields_are_found_by_their_caption_not_their_position() -> None:
    # Drop the CSP Region column of the first card: the other fields keep their values.
    start = PAGE.index('<section aria-label="DHR result')
    region = PAGE.index("CSP Region", start)
    column_start = PAGE.rindex('<div class="govuk-grid-column-one-quarter">', start, region)
    column_end = PAGE.index('<div class="govuk-grid-column-one-quarter">', region)
    card = parse_listing(PAGE[:column_start] + PAGE[column_end:], LIBRARY, LIBRARY).cards[0]
    assert (card.csp, card.region, card.uploaded, card.death) == ("Lincoln", None, "2026-02", "2018-09")


def test_a_download_link_to_another_site_is_reported_not_kept() -> None:
    page = PAGE.replace('href="/download/699496a0c7f5132b09d6c679"',
                        'href="https://elsewhere.example/download/699496a0c7f5132b09d6c679"')
    card = parse_listing(page, LIBRARY, LIBRARY).cards[0]
    assert card.url is None and card.download_id == "699496a0c7f5132b09d6c679"
    assert "points to another site (https://elsewhere.example/download/" in (card.problem or "")


def test_a_page_that_is_no_listing_is_an_error() -> None:
    with pytest.raises(HarvestError, match="not a listing page"):
        parse_listing("<html><body><h1>Service unavailable</h1></body></html>", LIBRARY, LIBRARY)


def test_an_empty_listing_is_not_an_error(library: Callable[..., StandIn]) -> None:
    standin = library([])
    with PoliteClient(standin.url, delay=0) as client:
        walk = walk_listing(client)
    assert walk.cards == [] and walk.pages == 1 and walk.error is None


def reviews_of(count: int) -> list[Review]:
    return [Review(f"{index:024x}", f"Adult {index} - Exampleton - 2020/a - DHR", f"Adult {index}", "Exampleton",
                   "East", f"{2026 - index // 10}-{12 - index % 10:02d}", "2020-01", b"%PDF-1.4\n%%EOF\n")
            for index in range(count)]


@pytest.mark.parametrize("offsets", ["capped", "asked"])
def test_a_capped_page_size_is_walked_in_the_servers_steps(library: Callable[..., StandIn], offsets: str) -> None:
    standin = library(reviews_of(23), cap=5, offsets=offsets)
    with PoliteClient(standin.url, delay=0) as client:
        walk = walk_listing(client, page_size=100)
    assert [c.download_id for c in walk.cards] == [r.id for r in standin.reviews]
    assert walk.total == 23 and walk.pages == 5 and walk.warnings == []
    sizes = [hit.query["pagination[pageSize]"][0] for hit in standin.listing_hits()]
    assert sizes == ["100", "5", "5", "5", "5"]  # every page asked with every parameter
    assert all(hit.query["pagination[sortField]"] == ["uploadDate"] for hit in standin.listing_hits())


def test_without_a_caption_the_walk_goes_on_until_an_empty_page(library: Callable[..., StandIn]) -> None:
    standin = library(reviews_of(12), cap=5, caption=False)
    with PoliteClient(standin.url, delay=0) as client:
        walk = walk_listing(client, page_size=100)
    assert len(walk.cards) == 12 and walk.total is None
    assert walk.pages == 4  # 5 + 5 + 2, then the empty page that ends it


def test_since_stops_at_the_first_page_reaching_back_before_it(library: Callable[..., StandIn]) -> None:
    standin = library(reviews_of(30), cap=5)  # uploads: 10 in 2026 (Dec..Mar), 10 in 2025, 10 in 2024
    with PoliteClient(standin.url, delay=0) as client:
        walk = walk_listing(client, since="2026-06")
    assert [c.uploaded for c in walk.cards] == ["2026-12", "2026-11", "2026-10", "2026-09", "2026-08", "2026-07",
                                                "2026-06"]
    assert walk.pages == 2


def test_limit_takes_the_newest(library: Callable[..., StandIn]) -> None:
    standin = library(reviews_of(30), cap=5)
    with PoliteClient(standin.url, delay=0) as client:
        walk = walk_listing(client, limit=7)
    assert [c.download_id for c in walk.cards] == [r.id for r in standin.reviews[:7]] and walk.pages == 2


def test_a_filtered_walk_sends_the_plain_value(library: Callable[..., StandIn]) -> None:
    reviews = reviews_of(8)
    for review in reviews[::2]:
        review.tags = ("Victim - cognitive disorder (dementia or alzheimer's disease)",)
    standin = library(reviews, cap=3)
    tag = Filter(KEYWORDS, "Victim - cognitive disorder (dementia or alzheimer's disease)")
    with PoliteClient(standin.url, delay=0) as client:
        walk = walk_listing(client, filters={tag.parameter: tag.value})
    assert [c.download_id for c in walk.cards] == [r.id for r in reviews[::2]]
    assert standin.listing_hits()[0].query["Keywords[]"] == [tag.value]
