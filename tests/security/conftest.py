"""Fixtures for the security tests: a canary HTTP server that records every request it gets."""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import Store
from graph.web.app import create_app
from graph.web.settings import WebSettings
from tests.web.browser import browser, watched  # noqa: F401
from tests.web.conftest import Served, disk_store, server  # noqa: F401  (fixtures shared with the web tests)


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


@pytest.fixture(scope="module")
def fuzz_canary() -> Iterator[Canary]:
    watcher = Canary()
    yield watcher
    watcher.close()


@pytest.fixture(scope="session")
def write_server(disk_store: Path,  # noqa: F811 - the web tests' fixture, by name
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A server with SPARQL Update enabled (token "secret") over a copy of the web tests' store:
    its writer process holds the store; queries run in workers over its checkpoints."""
    copy = tmp_path_factory.mktemp("writable") / "store"
    shutil.copytree(disk_store, copy)
    settings = WebSettings(query_timeout=3.0, max_rows=500, workers=2, allow_update=True, update_token="secret")
    with Served(create_app(Store(copy), settings)) as served:
        yield served
