"""A real server on a free loopback port, over a store on disk holding the seed, a small
linked corpus and a page whose recommendation text is hostile."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from graph import Store, ingest
from graph.analysis.pipeline import analyse
from graph.web.app import create_app
from graph.web.settings import WebSettings
from tests.conftest import SEED
from tests.test_links import PAGES, write_pages

HOSTILE = "<img src=x onerror=alert(1)> </script><script>alert(2)</script>"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Served:
    def __init__(self, app: object) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.time() + 30
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def disk_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder with the seed, three linked reviews and a hostile page, analysed."""
    root = tmp_path_factory.mktemp("web")
    pages = root / "pages"
    write_pages(pages, PAGES)
    (pages / "hostile.txt").write_text(
        "CSP: Exampleton\nYear of death: 2020\n| # | Recommendation | Addressed to |\n|---|---|---|\n"
        f"| 1 | {HOSTILE} Agencies should share information. | {HOSTILE} |\n", encoding="utf-8")
    store = Store(root / "store")
    ingest(store, [SEED.parent, pages])
    analyse(store)
    store.close()
    return root / "store"


@pytest.fixture(scope="session")
def server(disk_store: Path) -> Iterator[Served]:
    """The read-only app on a real port: queries in worker processes, 3 s limit, 500 rows."""
    app = create_app(Store.open_read_only(disk_store), WebSettings(query_timeout=3.0, max_rows=500, workers=2))
    with Served(app) as served:
        yield served


# The browser fixtures, registered once for every test module here (a second
# sync_playwright() in one process would clash with the first).
from tests.web.browser import browser, watched  # noqa: E402, F401
