"""Listing pages of the Home Office DHR Library: the result cards, the results caption and the
filter values, read from the page's markup (BeautifulSoup with Python's own parser).

Each card is a ``section[aria-label^="DHR result"]``; its fields are found by their caption
("CSP", "CSP Region", "Uploaded on", "Date of death"), not by position, so a missing field
costs that field only. Text is unescaped ("Elizabeth &amp; Ash" reads "Elizabeth & Ash") and
its whitespace collapsed. A card's download link is kept only when it points to the library's
own site: a link anywhere else is reported on the card and never requested.
"""

from __future__ import annotations

import re
import warnings as pywarnings
from dataclasses import dataclass
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from bs4.element import Tag

from graph.extraction.summary_page import normalise_space, parse_month
from graph.harvest.errors import HarvestError
from graph.harvest.urls import resolve, same_site

KEYWORDS = "Keywords[]"
"""The "Filter by theme" parameter: recommendation recipients and themes, victim, perpetrator,
children, aggravating factors and DHR process tags."""
CATEGORIES = "internal.dhr-category[]"
"""The "Most filtered for DHRs" parameter."""

_CAPTION = re.compile(r"Showing results\s+([\d,]+)\s+to\s+([\d,]+)\s+of\s+([\d,]+)", re.IGNORECASE)
_DOWNLOAD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")
_FIELDS = {"csp": "csp", "csp region": "region", "uploaded on": "uploaded", "date of death": "death"}


@dataclass(frozen=True)
class Card:
    """One review as the listing prints it; ``problem`` says why it cannot be downloaded."""

    download_id: str | None
    url: str | None  # the download URL, on the library's own site
    title: str | None
    pseudonym: str | None = None
    csp: str | None = None
    region: str | None = None
    uploaded: str | None = None  # "YYYY-MM"
    death: str | None = None  # "YYYY-MM" or "YYYY"
    problem: str | None = None

    @property
    def key(self) -> str:
        """What names the review in reports: its download id, else its title."""
        return self.download_id or self.title or "(a card without title or download link)"


@dataclass(frozen=True)
class Filter:
    """One filter value of the listing form: the parameter it is sent as, and the value."""

    parameter: str
    value: str


@dataclass(frozen=True)
class ListingPage:
    """One page of the listing."""

    cards: tuple[Card, ...]
    total: int | None  # "Showing results 1 to 50 of 647" → 647; None when the page has no caption
    first: int | None
    last: int | None
    filters: tuple[Filter, ...]


def parse_listing(html: str, page_url: str, base: str) -> ListingPage:
    """Read a listing page fetched from ``page_url`` on the library at ``base``.

    :raises HarvestError: when the page is not a listing at all (no cards, no caption, no form).

    >>> page = parse_listing('''<section aria-label="DHR result Elizabeth &amp; Ash - Westminster - 2021/a - DHR">
    ...   <h3 class="govuk-heading-s"><span class="govuk-caption-m">DHR Title</span> Elizabeth &amp; Ash </h3>
    ...   <div><span class="govuk-caption-m"> CSP </span><span class="dhrr-results-card--detail-value">
    ...     Westminster </span></div>
    ...   <div><span class="govuk-caption-m">Date of death</span><span class="dhrr-results-card--detail-value">
    ...     August 2021</span></div>
    ...   <a href="/download/698c91661741be0d9e0d749b" download="x">Download</a></section>
    ... <span class="govuk-caption-m">Showing results 1
    ...                     to 1 of 1</span>''', "https://homicide-review.homeoffice.gov.uk/",
    ...                      "https://homicide-review.homeoffice.gov.uk/")
    >>> card = page.cards[0]
    >>> card.pseudonym, card.csp, card.death, card.download_id, page.total
    ('Elizabeth & Ash', 'Westminster', '2021-08', '698c91661741be0d9e0d749b', 1)
    """
    with pywarnings.catch_warnings():
        pywarnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "html.parser")
    cards = tuple(_card(section, page_url, base) for section in soup.select('section[aria-label^="DHR result"]'))
    first, last, total = _caption(soup)
    filters = _filters(soup)
    if not cards and total is None and not filters and not _results_heading(soup):
        raise HarvestError(f"{page_url}: not a listing page of the library (no result cards, no results caption, "
                           "no filter form)")
    return ListingPage(cards, total, first, last, filters)


def _text(tag: Tag | None) -> str | None:
    return (normalise_space(tag.get_text(" ")) or None) if tag is not None else None


def _card(section: Tag, page_url: str, base: str) -> Card:
    label = normalise_space(str(section.get("aria-label", "")))
    title = normalise_space(label[len("DHR result"):]) or None
    heading = section.find("h3")
    pseudonym = None
    if isinstance(heading, Tag):  # its own text: the nested caption only says "DHR Title"
        pseudonym = normalise_space(" ".join(heading.find_all(string=True, recursive=False))) or None
    fields: dict[str, str | None] = {}
    for value in section.select(".dhrr-results-card--detail-value"):
        column = value.find_parent("div")
        caption = column.find(class_="govuk-caption-m") if isinstance(column, Tag) else None
        name = _FIELDS.get((_text(caption) or "").lower()) if isinstance(caption, Tag) else None
        if name is not None:
            fields[name] = _text(value)
    download_id, url, problem = _download(section, page_url, base)
    return Card(download_id, url, title, pseudonym, fields.get("csp"), fields.get("region"),
                _month(fields.get("uploaded")), _month(fields.get("death")), problem)


def _month(printed: str | None) -> str | None:
    return parse_month(printed) if printed else None


def _download(section: Tag, page_url: str, base: str) -> tuple[str | None, str | None, str | None]:
    """The download id and URL of a card, or why there is none."""
    links = [a for a in section.find_all("a", href=True) if "/download/" in str(a["href"])]
    links.sort(key=lambda a: not a.has_attr("download"))  # the Download button first, then View
    if not links:
        return None, None, "the card has no download link"
    url = resolve(str(links[0]["href"]), page_url)
    last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    download_id = last if _DOWNLOAD_ID.fullmatch(last) else None
    if not same_site(url, base):
        return download_id, None, f"its download link points to another site ({url}); not followed"
    if download_id is None:
        return None, None, f"its download link has no usable download id ({url})"
    return download_id, url, None


def _caption(soup: BeautifulSoup) -> tuple[int | None, int | None, int | None]:
    for span in soup.select("span.govuk-caption-m"):
        if match := _CAPTION.search(normalise_space(span.get_text(" "))):
            first, last, total = (int(group.replace(",", "")) for group in match.groups())
            return first, last, total
    return None, None, None


def _filters(soup: BeautifulSoup) -> tuple[Filter, ...]:
    values = [Filter(KEYWORDS, str(option["value"])) for option in soup.select('select[name="Keywords[]"] option')
              if str(option.get("value", "")).strip()]
    values += [Filter(CATEGORIES, str(box["value"])) for box in soup.select('input[name="internal.dhr-category[]"]')
               if str(box.get("value", "")).strip()]
    return tuple(dict.fromkeys(values))


def _results_heading(soup: BeautifulSoup) -> bool:
    return any(_text(h2) == "DHRs" for h2 in soup.select("h2"))
