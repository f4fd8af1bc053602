"""The library's own review-level tags: one listing query per filter value.

The cards carry no tags. The listing form offers the tag values (every "Filter by theme"
``Keywords[]`` value and every "Most filtered for DHRs" category), and a review has a tag when
the listing filtered by that value lists it. So each value is walked like the listing itself
(all pages, capped page sizes and all), and each review collects the values it came back under.
The result is kept only whole: if any query fails, no review's tags are changed, because a
missing tag would then mean "not asked" rather than "not given".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from graph.harvest.client import PoliteClient
from graph.harvest.listing import Filter
from graph.harvest.walk import walk_listing


@dataclass
class TagResult:
    """The tag values each review came back under, and the queries that failed."""

    tags: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # download id → values
    failed: dict[str, str] = field(default_factory=dict)  # value → why its query failed
    queries: int = 0
    pages: int = 0

    @property
    def complete(self) -> bool:
        return not self.failed


def collect_tags(client: PoliteClient, filters: Sequence[Filter], *, page_size: int = 100, since: str | None = None,
                 on_query: Callable[[Filter], None] | None = None) -> TagResult:
    """Run one listing query per filter value and note which reviews each lists."""
    result = TagResult()
    for tag in filters:
        walk = walk_listing(client, filters={tag.parameter: tag.value}, page_size=page_size, since=since)
        result.queries += 1
        result.pages += walk.pages
        if walk.error is not None:
            result.failed[tag.value] = walk.error
        else:
            for card in walk.cards:
                if card.download_id is not None:
                    result.tags[card.download_id].add(tag.value)
        if on_query is not None:
            on_query(tag)
    return result
