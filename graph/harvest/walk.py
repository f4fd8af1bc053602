"""Walking the listing's pages: every card once, whatever page size the server really uses.

Each page is requested with every parameter (page number, page size, the upload-date sort and
any filter), never by following the pager's links, which carry the page number only. The
server may return fewer results than asked: the first page's count is then taken as the page
size for the pages after it, so no result is skipped. The walk ends when the caption's total
is reached, a page comes back empty, or a page brings nothing new; with ``since`` it ends at
the first page reaching back before that month (newest uploads come first).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

from graph.harvest.client import PoliteClient
from graph.harvest.errors import FetchError
from graph.harvest.listing import Card, Filter, parse_listing

SORT = {"pagination[sortField]": "uploadDate", "pagination[sortDirection]": "desc"}
MAX_PAGES = 10_000


@dataclass
class Walk:
    """What a walk over the listing found."""

    cards: list[Card] = field(default_factory=list)  # newest first, each review once
    pages: int = 0
    total: int | None = None  # as the first page's caption says
    filters: tuple[Filter, ...] = ()  # the filter values the first page's form offers
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # why the walk stopped early, if a page could not be fetched


def before(month: str | None, since: str) -> bool:
    """True when an upload month (``YYYY-MM`` or ``YYYY``) is before ``since`` (``YYYY-MM``).

    >>> before("2025-12", "2026-01"), before("2026-01", "2026-01"), before("2025", "2026-01"), before(None, "2026-01")
    (True, False, True, False)
    """
    if month is None:
        return False
    return month < since if len(month) == 7 else month < since[:4]


def walk_listing(client: PoliteClient, *, filters: Mapping[str, str] | None = None, page_size: int = 100,
                 since: str | None = None, limit: int | None = None,
                 on_page: Callable[[Walk, int | None], None] | None = None) -> Walk:
    """Every card of the listing (filtered by ``filters``, one value per parameter), newest first.

    ``on_page`` is told of each page with the number of pages expected (once known). A page
    that cannot be fetched ends the walk with ``error`` set and the cards found so far.
    """
    walk = Walk()
    seen: dict[str, Card] = {}
    size, number = page_size, 0
    while number < MAX_PAGES:
        params: dict[str, str | int] = {"pagination[pageNumber]": number, "pagination[pageSize]": size, **SORT,
                                        **(filters or {})}
        url = str(httpx.URL(client.base, params=params))
        try:
            page = parse_listing(client.get(client.base, params), url, client.base)
        except FetchError as err:
            walk.error = f"the listing stopped at page {number + 1}: {err.message}"
            break
        walk.pages += 1
        if number == 0:
            walk.total, walk.filters = page.total, page.filters
            if page.cards and len(page.cards) < size and (page.total is None or len(page.cards) < page.total):
                size = len(page.cards)  # the server caps the page size: walk in its steps
        if on_page is not None:
            on_page(walk, -(-walk.total // size) if walk.total else None)
        if not page.cards:
            break
        if page.first is not None and page.first != number * size + 1:
            walk.warnings.append(f"page {number + 1} of the listing starts at result {page.first}, not "
                                 f"{number * size + 1}: the listing changed during the walk or pages overlap")
        new = [card for card in page.cards if card.key not in seen]
        for card in new:
            seen[card.key] = card
        wanted = [card for card in seen.values() if since is None or not before(card.uploaded, since)]
        if not new or (since is not None and before(page.cards[-1].uploaded, since)) \
                or (limit is not None and len(wanted) >= limit) \
                or (walk.total is not None and len(seen) >= walk.total):
            break
        number += 1
    walk.cards = [card for card in seen.values() if since is None or not before(card.uploaded, since)][:limit]
    if walk.error is None and since is None and limit is None and walk.total is not None and len(seen) < walk.total:
        walk.warnings.append(f"the listing says {walk.total} review(s) but {len(seen)} were found on its pages "
                             "(it may have changed during the walk; the next run picks up the rest)")
    return walk
