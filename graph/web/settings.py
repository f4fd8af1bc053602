"""The web app's settings, in one object rather than a long parameter list."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WebSettings:
    query_timeout: float = 10.0  # seconds a user query may run
    max_rows: int = 10_000  # rows or triples returned at most
    max_body: int = 1_000_000  # bytes of a request body
    workers: int = 2  # query worker processes (or threads for an in-memory store)
    allow_update: bool = False  # SPARQL Update on /sparql; needs update_token too
    update_token: str | None = None
    federation: bool = False  # allow SERVICE; off: dhrkg never fetches remote data
