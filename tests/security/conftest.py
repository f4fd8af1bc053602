"""Fixtures for the security tests: a canary HTTP server that records every request it gets."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from tests.web.browser import browser, watched  # noqa: F401
from tests.web.conftest import disk_store, server  # noqa: F401  (fixtures shared with the web tests)


class Canary:
    def __init__(self) -> None:
        self.hits: list[str] = []
        canary = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                canary.hits.append(f"GET {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "text/turtle")
                self.end_headers()
                self.wfile.write(b"<urn:a> <urn:b> <urn:c> .")

            def do_POST(self) -> None:  # noqa: N802
                canary.hits.append(f"POST {self.path}")
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def canary() -> Iterator[Canary]:
    watcher = Canary()
    yield watcher
    watcher.close()
