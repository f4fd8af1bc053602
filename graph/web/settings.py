"""The web app's settings, in one object rather than a long parameter list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.web.executor import Limits


@dataclass(frozen=True)
class WebSettings:
    query_timeout: float = 10.0  # seconds a user query may run
    max_rows: int = 10_000  # rows or triples returned at most
    max_body: int = 1_000_000  # bytes of a request body
    workers: int = 2  # query worker processes (or threads for an in-memory store)
    allow_update: bool = False  # SPARQL Update on /sparql; needs update_token too
    update_token: str | None = None
    federation: bool = False  # allow SERVICE; off: dhrkg never fetches remote data
    per_client: int = 1  # queries one client address may run at once
    queue_timeout: float | None = None  # seconds a query may wait for a worker (default: query_timeout)
    worker_memory: int | None = 2 * 2**30  # bytes of address space per query worker; None: no limit
    fast_workers: int = 1  # workers reserved for queries that have not been slow

    def limits(self) -> Limits:
        """The executor's limits from these settings."""
        from graph.web.executor import Limits

        return Limits(timeout=self.query_timeout, max_rows=self.max_rows, workers=self.workers,
                      fast_workers=self.fast_workers, per_client=self.per_client,
                      queue_timeout=self.queue_timeout, memory=self.worker_memory)
