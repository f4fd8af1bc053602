"""What can go wrong while harvesting: the whole run (:class:`HarvestError`) or one request
(:class:`FetchError`), which fails one review's download or one listing walk, never the batch."""

from __future__ import annotations

from graph.errors import DhrkgError


class HarvestError(DhrkgError):
    """The harvest cannot go on (a bad base URL, an unreadable listing, a server asking to wait hours)."""


class FetchError(HarvestError):
    """One request failed for good (after its retries); the message names the URL and the problem."""

    def __init__(self, url: str, problem: str) -> None:
        super().__init__(f"{url}: {problem}")
        self.url = url
        self.problem = problem
