"""The one rule of the harvester's addresses: a request goes to the base URL's site or nowhere."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from graph.harvest.errors import HarvestError

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of an absolute http(s) URL (the default port made explicit).

    >>> origin("https://homicide-review.homeoffice.gov.uk/download/abc")
    ('https', 'homicide-review.homeoffice.gov.uk', 443)
    >>> origin("HTTP://127.0.0.1:8123/")
    ('http', '127.0.0.1', 8123)
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise HarvestError(f"{url!r} is not an absolute http(s) URL")
    try:
        port = parts.port or _DEFAULT_PORTS[scheme]
    except ValueError as err:
        raise HarvestError(f"{url!r} has an invalid port") from err
    return scheme, parts.hostname.lower(), port


def same_site(url: str, base: str) -> bool:
    """True when ``url`` has the base URL's scheme, host and port.

    >>> same_site("https://homicide-review.homeoffice.gov.uk/download/a", "https://homicide-review.homeoffice.gov.uk/")
    True
    >>> same_site("https://elsewhere.example/download/a", "https://homicide-review.homeoffice.gov.uk/")
    False
    >>> same_site("http://homicide-review.homeoffice.gov.uk/", "https://homicide-review.homeoffice.gov.uk/")
    False
    """
    try:
        return origin(url) == origin(base)
    except HarvestError:
        return False


def base_url(url: str) -> str:
    """A base URL checked and ending in ``/``, so pages resolve below it.

    >>> base_url("http://127.0.0.1:8123")
    'http://127.0.0.1:8123/'
    """
    origin(url)
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        raise HarvestError(f"the base URL {url!r} must not carry a query or fragment")
    return url if url.endswith("/") else url + "/"


def resolve(href: str, page: str) -> str:
    """An href of a page as an absolute URL.

    >>> resolve("/download/abc", "http://127.0.0.1:8123/?pagination%5BpageNumber%5D=1")
    'http://127.0.0.1:8123/download/abc'
    """
    return urljoin(page, href)
