"""A polite HTTP client for one site: one request at a time, paced, retried, never elsewhere.

- **One site.** Every URL, and every redirect, must have the base URL's scheme, host and port;
  anything else is refused before a byte is sent (redirects are followed by hand for that).
- **Paced.** At least ``delay`` seconds between the end of one request and the start of the
  next, retries included (default 1 s).
- **Retried.** Network errors, 5xx answers and bodies cut off in transit are retried with
  exponential backoff (``backoff``, 2×, 4×… seconds) up to ``attempts`` times; a ``429`` waits
  what its ``Retry-After`` says (seconds or an HTTP date), and stops the harvest when that is
  longer than ``max_wait``. Other 4xx answers fail at once.
- **Named.** A User-Agent naming dhrkg and its version.

A body is handed to a *receiver* (text for listing pages, a file for reports) that may say the
body was cut off (:class:`Incomplete`, fetched again) or is unusable (:class:`Unusable`, a
:class:`~graph.harvest.errors.FetchError` at once).
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import TypeVar

import httpx

from graph.harvest.errors import FetchError, HarvestError
from graph.harvest.urls import base_url, resolve, same_site

T = TypeVar("T")

MAX_PAGE_BYTES = 20 * 1024 * 1024
"""A listing page is about half a megabyte; anything this big is not one."""
MAX_REDIRECTS = 5


class Incomplete(Exception):
    """The body was cut off in transit: worth fetching again."""


class Unusable(Exception):
    """The body arrived whole but is not what was asked for (an HTML page instead of a PDF)."""


def user_agent() -> str:
    """The User-Agent: dhrkg, its version, and what it does.

    >>> user_agent().startswith("dhrkg/")
    True
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("dhrkg")
    except PackageNotFoundError:
        release = "unknown"
    return (f"dhrkg/{release} (Domestic Homicide Review knowledge graph; harvests the Home Office DHR "
            "Library's listing and reports one request at a time)")


def read_text(response: httpx.Response) -> str:
    """A page's text, decoded as the server says (UTF-8 otherwise), refused when absurdly large."""
    body = bytearray()
    for chunk in response.iter_bytes():
        body.extend(chunk)
        if len(body) > MAX_PAGE_BYTES:
            raise Unusable(f"over {MAX_PAGE_BYTES:,} bytes: not a listing page")
    return bytes(body).decode(response.encoding or "utf-8", errors="replace")


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date); None if absent or unreadable.

    >>> retry_after("7"), retry_after(None), retry_after("soon")
    (7.0, None, None)
    >>> retry_after("Wed, 21 Oct 2026 07:28:30 GMT", datetime(2026, 10, 21, 7, 28, tzinfo=timezone.utc))
    30.0
    """
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class PoliteClient:
    """GET requests to one site, paced and retried (see the module's docstring).

    ``sleep`` and ``notify`` (told each wait and retry, for a progress display) can be replaced.

    >>> with PoliteClient("https://homicide-review.homeoffice.gov.uk/") as client:
    ...     client.get("https://elsewhere.example/download/abc")
    Traceback (most recent call last):
    ...
    graph.harvest.errors.HarvestError: refusing to request https://elsewhere.example/download/abc: it is not on https://homicide-review.homeoffice.gov.uk/
    """

    def __init__(self, base: str, *, delay: float = 1.0, attempts: int = 5, backoff: float = 1.0,
                 max_wait: float = 600.0, timeout: float = 60.0, sleep: Callable[[float], None] = time.sleep,
                 notify: Callable[[str], None] | None = None) -> None:
        if delay < 0 or backoff < 0 or attempts < 1:
            raise HarvestError("delay and backoff must be at least 0 and attempts at least 1")
        self.base = base_url(base)
        self.delay, self.attempts, self.backoff, self.max_wait = delay, attempts, backoff, max_wait
        self.requests = 0  # requests sent, retries and redirects included
        self._sleep = sleep
        self._notify = notify or (lambda message: None)
        self._last = float("-inf")
        self._http = httpx.Client(headers={"User-Agent": user_agent()}, timeout=timeout, follow_redirects=False)

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def check(self, url: str) -> None:
        """Refuse a URL off the base URL's site.

        :raises HarvestError: naming the URL.
        """
        if not same_site(url, self.base):
            raise HarvestError(f"refusing to request {url}: it is not on {self.base}")

    def get(self, url: str, params: Mapping[str, str | int] | None = None,
            receive: Callable[[httpx.Response], T] = read_text) -> T:  # type: ignore[assignment]
        """GET ``url`` (with ``params`` encoded into it) and hand the body to ``receive``.

        :raises FetchError: when the request fails for good, naming the URL and why.
        :raises HarvestError: for a URL off the site, or a server asking to wait over ``max_wait``.
        """
        self.check(url)
        request = self._http.build_request("GET", url, params=dict(params) if params else None)
        self.check(str(request.url))
        attempt, redirects = 0, 0
        while True:
            attempt += 1
            self._pace()
            try:
                self.requests += 1
                response = self._http.send(request, stream=True)
            except httpx.TransportError as err:
                self._last = time.monotonic()
                self._retry(attempt, str(request.url), f"network error ({type(err).__name__}: {err})")
                continue
            try:
                status = response.status_code
                if status in (301, 302, 303, 307, 308) and "location" in response.headers:
                    target = resolve(response.headers["location"], str(request.url))
                    if not same_site(target, self.base):
                        raise FetchError(str(request.url), f"redirected to another site ({target}); not followed")
                    redirects += 1
                    if redirects > MAX_REDIRECTS:
                        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")
                    request = self._http.build_request("GET", target)
                    attempt -= 1  # a redirect is not a failed attempt
                    continue
                if status == 429:
                    self._throttled(attempt, str(request.url), retry_after(response.headers.get("retry-after")))
                    continue
                if status >= 500:
                    self._retry(attempt, str(request.url), f"HTTP {status}")
                    continue
                if status >= 400:
                    raise FetchError(str(request.url), f"HTTP {status} {response.reason_phrase}".rstrip())
                try:
                    return receive(response)
                except Unusable as err:
                    raise FetchError(str(request.url), str(err)) from err
                except (Incomplete, httpx.TransportError) as err:
                    self._retry(attempt, str(request.url), str(err) or type(err).__name__)
                    continue
            finally:
                response.close()
                self._last = time.monotonic()

    # ------------------------------------------------------------ waiting

    def _pace(self) -> None:
        wait = self._last + self.delay - time.monotonic()
        if wait > 0:
            self._sleep(wait)

    def _retry(self, attempt: int, url: str, problem: str) -> None:
        """Wait before the next attempt, or fail when the attempts are used up."""
        if attempt >= self.attempts:
            raise FetchError(url, f"{problem} (gave up after {attempt} attempt(s))")
        wait = self.backoff * 2 ** (attempt - 1)
        self._notify(f"{url}: {problem}; retrying in {wait:g} s (attempt {attempt + 1} of {self.attempts})")
        self._sleep(wait)

    def _throttled(self, attempt: int, url: str, asked: float | None) -> None:
        """A 429: wait what the server asks (else back off), within ``max_wait``."""
        if asked is not None and asked > self.max_wait:
            raise HarvestError(f"the library asks to wait {asked:g} s before the next request (HTTP 429, "
                               f"Retry-After); more than {self.max_wait:g} s, so the harvest stops: try again later")
        if attempt >= self.attempts:
            raise FetchError(url, f"HTTP 429 Too Many Requests (gave up after {attempt} attempt(s))")
        wait = asked if asked is not None else self.backoff * 2 ** (attempt - 1)
        self._notify(f"{url}: HTTP 429 Too Many Requests; waiting {wait:g} s as asked")
        self._sleep(wait)
