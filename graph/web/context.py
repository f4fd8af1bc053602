"""What every route works with, in one typed object: the store, the query executor and the
server's settings. The app keeps it in ``app.state.context``; routes take it with
``Depends(context)``, so a route is a plain module-level function of its request and context."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from graph.store.base import GraphStore
from graph.web.executor import QueryExecutor
from graph.web.settings import WebSettings


@dataclass(frozen=True)
class AppContext:
    store: GraphStore  # trusted reads: the pages' own named queries
    executor: QueryExecutor  # user queries: time limit, row cap, worker processes
    settings: WebSettings


def context(request: Request) -> AppContext:
    """The context of the app serving ``request``."""
    found: AppContext = request.app.state.context
    return found
