"""Typed read access to the domain, without writing SPARQL: reviews, their recommendations,
an agency's recommendations, and a review's linked reviews with the failures they share.

Every function takes a store (embedded or remote) and returns frozen dataclasses built from
the shipped queries, so what a notebook sees is what the CLI and the web pages show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.model.filters import Filters
from graph.store.base import GraphStore
from graph.store.known_names import check_csp, check_region
from graph.store.named_queries import internal_query


@dataclass(frozen=True)
class Review:
    iri: str
    title: str | None
    identifier: str | None
    csp: str | None
    region: str | None
    year_of_death: int | None
    published: str | None
    recommendations: int
    themes: tuple[str, ...]  # top-level theme codes of its recommendations
    agency_types: tuple[str, ...]  # A-codes of the bodies its recommendations address
    records: tuple[str, ...] = ()  # its records, one per source that describes it (the first is ``iri``)
    sources: tuple[str, ...] = ()  # the keys of the source documents it was read from


@dataclass(frozen=True)
class Agency:
    iri: str
    name: str
    addressed_as: str  # the words the review printed


@dataclass(frozen=True)
class Recommendation:
    iri: str
    review: str
    position: int | None
    number: str | None
    text: str
    themes: tuple[str, ...]
    agencies: tuple[Agency, ...]
    truncated: bool = False


@dataclass(frozen=True)
class LinkedReview:
    review: str
    score: float
    shared_failures: tuple[str, ...]  # "Theme × Agency type", heaviest first


def reviews(store: GraphStore, *, csp: str | None = None, region: str | None = None, year: int | None = None,
            theme: str | None = None, agency_type: str | None = None) -> list[Review]:
    """Reviews, optionally only those of a CSP, region, year (of death, else publication),
    or with a recommendation of a theme or to an agency type. A review known from several
    sources (``dhr:sameReviewAs``) is one review, named by its first record (by IRI), with what
    each source says of it and its sources listed.

    :raises UnknownName: for a CSP or region the graph does not have, with the closest names.

    >>> from graph import Store, ingest
    >>> from graph.resources import data_dir
    >>> store = Store(); _ = ingest(store, [data_dir() / "seed"])
    >>> [(r.csp, r.year_of_death, r.recommendations, r.sources) for r in reviews(store, theme="T2")]
    [('Northampton', 2016, 35, ('000_58cfa34b200ccabd.txt',))]
    """
    wanted = Filters(csp=csp, region=region, year=year, theme=theme, agency_type=agency_type)
    rows = {str(row["review"]): row for row in store.query(internal_query("reviews-overview").text).to_dicts()}
    joined: dict[str, list[str]] = {}
    for record, row in rows.items():
        others = [o for o in str(row.get("sameReviewAs") or "").split() if o in rows]
        first = min([record, *others])
        if first == record:
            joined[record] = sorted({record, *others})
    found = []
    for first, records in sorted(joined.items()):
        merged = [rows[r] for r in records]

        def pick(column: str, merged: list[dict[str, Any]] = merged) -> str | None:
            return next((str(row[column]) for row in merged if row.get(column) is not None), None)

        themes = tuple(sorted({c for row in merged for c in str(row.get("themes") or "").split()},
                              key=lambda c: int(c[1:])))
        types = tuple(sorted({c for row in merged for c in str(row.get("agencyTypes") or "").split()}))
        probe: dict[str, Any] = {"csp": pick("csp"), "region": pick("region"), "year": pick("year"),
                                 "published": pick("published"), "themes": " ".join(themes)}
        if not wanted.keeps_review(probe):
            continue
        if theme is not None and theme.split(".")[0] not in themes:
            continue
        if agency_type is not None and agency_type not in types:
            continue
        year_of_death = pick("year")
        found.append(Review(
            iri=first, title=pick("title"), identifier=pick("id"), csp=pick("csp"), region=pick("region"),
            year_of_death=int(year_of_death) if year_of_death else None, published=pick("published"),
            recommendations=sum(int(row.get("recommendations") or 0) for row in merged), themes=themes,
            agency_types=types, records=tuple(records),
            sources=tuple(sorted({k for row in merged for k in str(row.get("sources") or "").split("\n") if k}))))
    if not found and csp is not None:
        check_csp(store, csp)  # none found: a name the graph lacks is an error, with the closest names
    if not found and region is not None:
        check_region(store, region)
    return found


def recommendations(store: GraphStore, review: str) -> list[Recommendation]:
    """A review's recommendations in page order, with themes and resolved agencies.
    ``review`` is its IRI or short id (``review/…``).

    >>> from graph import Store, ingest
    >>> from graph.resources import data_dir
    >>> store = Store(); _ = ingest(store, [data_dir() / "seed"])
    >>> first = recommendations(store, reviews(store)[0].iri)[4]
    >>> [a.name for a in first.agencies], first.themes[0]
    (['NHS Nene Clinical Commissioning Group', 'Northamptonshire County Council Public Health'], 'T4.4')
    """
    iri = review
    agencies: dict[str, list[Agency]] = {}
    addressees = internal_query("review-addressings")
    for row in store.query(addressees.text, bindings=addressees.bindings({"review": iri})).to_dicts():
        agencies.setdefault(str(row["recommendation"]), []).append(
            Agency(str(row["agency"]), str(row["name"]), str(row["label"])))
    ranked: dict[str, list[tuple[int, str]]] = {}
    theme_ranks = internal_query("review-theme-ranks")
    for _, recommendation, rank, code in store.query(
            theme_ranks.text, bindings=theme_ranks.bindings({"review": iri})).rows():
        ranked.setdefault(str(recommendation), []).append((int(str(rank)), str(code)))
    result = []
    for row in store.named("recommendations-of-review", review=iri).to_dicts():
        rec = str(row["recommendation"])
        result.append(Recommendation(
            iri=rec, review=iri, position=int(str(row["position"])) if row.get("position") else None,
            number=_opt(row.get("number")), text=str(row["text"]),
            themes=tuple(code for _, code in sorted(ranked.get(rec, []))), agencies=tuple(agencies.get(rec, [])),
            truncated=bool(row.get("truncated"))))
    return result


def agency_recommendations(store: GraphStore, agency: str) -> list[Recommendation]:
    """Everything addressed to an agency (and the bodies under it), with the words used.

    >>> from graph import Store, ingest
    >>> from graph.resources import data_dir
    >>> store = Store(); _ = ingest(store, [data_dir() / "seed"])
    >>> len(agency_recommendations(store, "agency/northampton-partnership-homes"))
    13
    """
    result = []
    for row in store.named("recommendations-of-agency", agency=agency).to_dicts():
        result.append(Recommendation(
            iri=str(row["recommendation"]), review=str(row["review"]), position=None,
            number=_opt(row.get("number")), text=str(row["text"]),
            themes=tuple(str(row.get("themes") or "").split()),
            agencies=(Agency(str(row["agency"]), "", str(row["addressedAs"])),)))
    return result


def linked_reviews(store: GraphStore, review: str) -> list[LinkedReview]:
    """The reviews linked to one by shared failures, best first (run ``analyse`` first).

    :raises UnknownName: for a review the graph does not have (with the closest it has).

    >>> from graph import Store
    >>> linked_reviews(Store(), "review/0000")
    Traceback (most recent call last):
    ...
    graph.store.known_names.UnknownName: no review 'review/0000' in this graph; the graph has no review yet
    """
    return [
        LinkedReview(str(row["linked"]), float(row["score"]),  # type: ignore[arg-type]
                     tuple(s for s in str(row.get("sharedFailures") or "").split("; ") if s))
        for row in store.named("linked-reviews", review=review).to_dicts()
    ]


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
