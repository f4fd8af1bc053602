"""What every route works with, in one typed object: the store, the query executor and the
server's settings. The app keeps it in ``app.state.context``; routes take it with
``Depends(context)``, so a route is a plain module-level function of its request and context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import anyio
from fastapi import Request

from graph.store.base import GraphStore
from graph.store.results import Result
from graph.store.safety import Bindings
from graph.web.executor import QueryExecutor
from graph.web.settings import WebSettings


@dataclass(frozen=True)
class AppContext:
    store: GraphStore  # trusted reads: the pages' own named queries
    executor: QueryExecutor  # user queries: time limit, row cap, worker processes
    settings: WebSettings
    _waiters: list[anyio.CapacityLimiter] = field(default_factory=list)

    def _limiter(self) -> anyio.CapacityLimiter:
        # Queries waiting for a worker wait in threads of their own, never in the pool that
        # serves the pages: a client flooding the queue cannot hold up a page.
        if not self._waiters:
            self._waiters.append(anyio.CapacityLimiter(self.executor.limits.max_waiting + self.settings.workers
                                                       + self.settings.fast_workers))
        return self._waiters[0]

    async def query(self, request: Request, sparql: str, *, bindings: Bindings | None = None,
                    **options: Any) -> Result:
        """Run a user's query through the executor, as this request's client."""
        client = request.client.host if request.client else None

        def run() -> Result:
            return self.executor.run(sparql, bindings=bindings, client=client, **options)

        return await anyio.to_thread.run_sync(run, limiter=self._limiter())

    async def update(self, sparql: str) -> None:
        """Run a SPARQL Update through the executor (the writer process, for a store on disk)."""
        await anyio.to_thread.run_sync(self.executor.update, sparql, limiter=self._limiter())


    async def curate(self, text: str, source: str) -> dict[str, Any]:
        """Record corrections through the executor (the writer process, for a store on disk)."""
        return await anyio.to_thread.run_sync(self.executor.curate, text, source, limiter=self._limiter())


def context(request: Request) -> AppContext:
    """The context of the app serving ``request``."""
    found: AppContext = request.app.state.context
    return found
