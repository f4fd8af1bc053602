"""The dhrkg web app: the SPARQL endpoint, server-rendered pages, and entity dereferencing.

``create_app(store, settings)`` builds the same app for ``dhrkg serve``, for tests and for
embedding. Every page is rendered by Jinja2 with autoescaping (review text is untrusted),
loads nothing from a CDN, and is sent with a Content-Security-Policy that forbids inline
scripts, inline event handlers and anything from another origin. Errors are rendered one
way, as the client asks (:mod:`graph.web.errors`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from graph.store.base import GraphStore
from graph.web import curation_page, entities, errors, network_pages, pages, query_page, sparql
from graph.web.context import AppContext
from graph.web.executor import QueryExecutor
from graph.web.settings import WebSettings

STATIC = Path(__file__).parent / "static"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def create_app(store: GraphStore, settings: WebSettings = WebSettings()) -> FastAPI:
    """The web app over ``store``; queries obey ``settings`` (time limit, row cap, workers,
    fairness, memory). With updates enabled on a store on disk, the app takes the store over:
    its writer process opens it, and the pages read the writer's checkpoints."""
    executor = QueryExecutor(store, settings.limits(), writable=settings.allow_update)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(executor.wait_ready)
        yield
        executor.close()

    app = FastAPI(title="dhrkg", description="A knowledge graph of UK Domestic Homicide Reviews.",
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.context = AppContext(executor.store, executor, settings)
    app.add_middleware(SecurityHeaders)
    errors.install(app)
    for module in (sparql, pages, query_page, network_pages, curation_page, entities):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
