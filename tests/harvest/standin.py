"""A stand-in for the Home Office DHR Library on 127.0.0.1: listing pages in the real page's markup
(the reduced fixture, its first card as the template of every card), PDFs, and faults on purpose.

Every request is recorded, so tests can say exactly what was fetched and how often. The page
size the server uses can be capped below what is asked, and the server can count its offset in
its own page size ("capped") or in the size asked for ("asked"), as a real server might.
"""

from __future__ import annotations

import html
import http.server
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURE = Path(__file__).parents[1] / "fixtures" / "homeoffice" / "listing-page-1.reduced.html"

_CARD_VALUES = {  # card 1 of the fixture, replaced by each stand-in review's own values
    "Susan - Lincoln - 2018/a - DHR": "@@TITLE@@",
    "699496a0c7f5132b09d6c679": "@@ID@@",
    "\n                Susan\n": "\n                @@PSEUDONYM@@\n",
    "\n      Lincoln\n": "\n      @@CSP@@\n",
    "\n      East Midlands\n": "\n      @@REGION@@\n",
    "\n      February 2026\n": "\n      @@UPLOADED@@\n",
    "\n      September 2018\n": "\n      @@DEATH@@\n",
}
_CAPTION = "Showing results 1\n                    to 50\n                    of 647"
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
HTML_ERROR = b"<!DOCTYPE html><html><body><h1>Sorry, there is a problem with the service</h1></body></html>"


def _split_fixture() -> tuple[str, str, str]:
    page = FIXTURE.read_text(encoding="utf-8")
    start = page.index('<section aria-label="DHR result')
    end = page.rindex("</section>") + len("</section>")
    card = page[start:page.index("</section>", start) + len("</section>")]
    for value, placeholder in _CARD_VALUES.items():
        assert value in card, value
        card = card.replace(value, placeholder)
    return page[:start], card, page[end:]


HEAD, CARD, TAIL = _split_fixture()


def month(value: str) -> str:
    """ "2018-09" → "September 2018", as the cards print it."""
    year, number = value.split("-")
    return f"{_MONTHS[int(number) - 1]} {year}"


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up mid-body (a killed harvest, a refused download) is expected here


@dataclass
class Review:
    """One review of the stand-in library."""

    id: str
    title: str
    pseudonym: str
    csp: str
    region: str
    uploaded: str  # YYYY-MM
    death: str  # YYYY-MM
    pdf: bytes
    tags: tuple[str, ...] = ()
    href: str | None = None  # the card's download link, if not the usual /download/<id>


@dataclass
class Hit:
    path: str
    query: dict[str, list[str]]
    status: int
    at: float
    agent: str


@dataclass
class StandIn:
    """The stand-in library; ``faults[id]`` is a list of faults served, one per request, before the report."""

    reviews: list[Review] = field(default_factory=list)
    cap: int | None = None
    offsets: str = "capped"  # or "asked"
    caption: bool = True
    throttle_downloads: bool = False  # a 429 (Retry-After: 1) before every download
    faults: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    redirect_to: str | None = None  # where a "redirect-away" fault sends the client
    failing_filter: str | None = None  # a listing filtered by this value always answers 503
    hits: list[Hit] = field(default_factory=list)
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._throttled: set[str] = set()
        self._lock = threading.Lock()
        standin = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                standin._serve(self)

            def log_message(self, *args: object) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    # ------------------------------------------------------------ what was asked

    def downloads(self, status: int = 200) -> Counter[str]:
        """How many times each report was served with this status."""
        return Counter(hit.path.rsplit("/", 1)[1] for hit in self.hits
                       if hit.path.startswith("/download/") and hit.status == status)

    def listing_hits(self) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == "/"]

    # ------------------------------------------------------------ serving

    def _record(self, request: http.server.BaseHTTPRequestHandler, status: int) -> None:
        parts = urlsplit(request.path)
        with self._lock:
            self.hits.append(Hit(parts.path, parse_qs(parts.query), status, time.monotonic(),
                                 request.headers.get("User-Agent", "")))

    def _send(self, request: http.server.BaseHTTPRequestHandler, status: int, body: bytes, kind: str,
              headers: dict[str, str] | None = None) -> None:
        self._record(request, status)
        request.send_response(status)
        request.send_header("Content-Type", kind)
        request.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(body)

    def _serve(self, request: http.server.BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        query = parse_qs(parts.query)
        if parts.path == "/" and self.failing_filter is not None and any(
                self.failing_filter in values for values in query.values()):
            self._send(request, 503, b"unavailable", "text/plain")
        elif parts.path == "/":
            self._send(request, 200, self.page(query).encode("utf-8"), "text/html; charset=utf-8")
        elif parts.path.startswith("/download/"):
            self._download(request, parts.path.rsplit("/", 1)[1])
        else:
            self._send(request, 404, b"not found", "text/plain")

    def page(self, query: dict[str, list[str]]) -> str:
        """A listing page for a query, in the fixture's markup."""
        wanted = [r for r in self.reviews if all(
            value in r.tags for name in ("Keywords[]", "internal.dhr-category[]") for value in query.get(name, []))]
        asked = int(query.get("pagination[pageSize]", ["50"])[0])
        number = int(query.get("pagination[pageNumber]", ["0"])[0])
        size = min(asked, self.cap) if self.cap else asked
        offset = number * (size if self.offsets == "capped" else asked)
        shown = wanted[offset:offset + size]
        cards = "\n\n        \n            \n    ".join(self._card(r) for r in shown)
        caption = f"Showing results {offset + 1}\n                    to {offset + len(shown)}\n" \
                  f"                    of {len(wanted)}" if shown and self.caption else ""
        head = HEAD.replace(_CAPTION, caption)
        return head + cards + TAIL

    def _card(self, review: Review) -> str:
        card = CARD
        if review.href is not None:
            card = card.replace('href="/download/@@ID@@"', f'href="{html.escape(review.href)}"')
        for placeholder, value in (("@@TITLE@@", review.title), ("@@ID@@", review.id),
                                   ("@@PSEUDONYM@@", review.pseudonym), ("@@CSP@@", review.csp),
                                   ("@@REGION@@", review.region), ("@@UPLOADED@@", month(review.uploaded)),
                                   ("@@DEATH@@", month(review.death))):
            card = card.replace(placeholder, html.escape(value))
        return card

    def _download(self, request: http.server.BaseHTTPRequestHandler, download_id: str) -> None:
        review = next((r for r in self.reviews if r.id == download_id), None)
        if review is None:
            self._send(request, 404, b"not found", "text/plain")
            return
        with self._lock:
            fault = self.faults[download_id].pop(0) if self.faults.get(download_id) else None
            if fault is None and self.throttle_downloads and download_id not in self._throttled:
                self._throttled.add(download_id)
                fault = "429"
            elif fault is None:
                self._throttled.discard(download_id)
        pdf = review.pdf
        if fault == "429":
            self._send(request, 429, b"slow down", "text/plain", {"Retry-After": "1"})
        elif fault == "503":
            self._send(request, 503, b"unavailable", "text/plain")
        elif fault == "html":
            self._send(request, 200, HTML_ERROR, "text/html; charset=utf-8")
        elif fault == "truncated":  # a whole response carrying a PDF cut off at half
            self._send(request, 200, pdf[:len(pdf) // 2], "application/pdf")
        elif fault == "redirect-away":
            self._send(request, 302, b"", "text/plain", {"Location": f"{self.redirect_to}download/{download_id}"})
        elif fault in ("cut", "stall"):  # Content-Length of the whole file, then half of it and the connection closed
            self._record(request, 200)
            request.send_response(200)
            request.send_header("Content-Type", "application/pdf")
            request.send_header("Content-Length", str(len(pdf)))
            request.end_headers()
            request.wfile.write(pdf[:len(pdf) // 2])
            request.wfile.flush()
            if fault == "stall":
                self.stalled.set()
                self.release.wait(60)
            request.close_connection = True
        else:
            self._send(request, 200, pdf, "application/pdf")
