"""Harvest the Home Office DHR Library into a cache: the listing, every report once, the tags.

The cache (default ``$XDG_CACHE_HOME/dhrkg/homeoffice``, else ``~/.cache/dhrkg/homeoffice``)
holds ``manifest.json`` (:mod:`graph.harvest.manifest`), ``reports/ID.pdf`` with the library's
record of each beside it (``reports/ID.pdf.library.json``, :mod:`graph.extraction.library_record`)
and, during a download, ``partial/ID.pdf.part``. ``dhrkg ingest CACHE/reports`` (which
``dhrkg harvest homeoffice --ingest`` runs) reads each report with its record.

A run walks the listing, downloads each report it does not hold whole yet (so a second run
downloads nothing new, and a run killed midway resumes), optionally collects the tags, then
writes each report's record. A review that cannot be fetched is an error of its own; the run
goes on. ``dry_run`` reads the listing only and writes nothing.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from graph.extraction.library_record import record_path
from graph.harvest.client import PoliteClient
from graph.harvest.downloads import check_pdf_file, file_digest, pdf_receiver
from graph.harvest.errors import FetchError, HarvestError
from graph.harvest.listing import Card, Filter
from graph.harvest.manifest import Entry, Manifest, write_atomically
from graph.harvest.progress import NO_PROGRESS, Progress
from graph.harvest.tags import collect_tags
from graph.harvest.walk import before, walk_listing
from graph.model.records import LibraryRecord
from graph.model.terms import LIBRARY_URL


def default_cache() -> Path:
    """``$XDG_CACHE_HOME/dhrkg/homeoffice``, else ``~/.cache/dhrkg/homeoffice``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "dhrkg" / "homeoffice"


@dataclass(frozen=True)
class HarvestSettings:
    """How to harvest: where from, into which cache, how politely, and what."""

    base_url: str = LIBRARY_URL
    cache: Path = field(default_factory=default_cache)
    delay: float = 1.0  # seconds between requests
    limit: int | None = None  # at most this many reviews, the most recently uploaded
    since: str | None = None  # "YYYY-MM": only reviews uploaded from that month on
    tags: bool = False
    dry_run: bool = False
    page_size: int = 100  # asked for; the server may give fewer
    attempts: int = 5
    backoff: float = 1.0
    max_wait: float = 600.0
    timeout: float = 60.0

    def __post_init__(self) -> None:
        if self.since is not None and not re.fullmatch(r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])", self.since):
            raise HarvestError(f"since must be a month written YYYY-MM, not {self.since!r}")
        if self.limit is not None and self.limit < 1:
            raise HarvestError("limit must be at least 1")
        if self.page_size < 1:
            raise HarvestError("page size must be at least 1")


@dataclass
class HarvestReport:
    """What a harvest did."""

    cache: Path
    listed: int = 0  # reviews on the listing (after since and limit)
    pages: int = 0
    total: int | None = None  # reviews the listing says it has
    downloaded: list[str] = field(default_factory=list)  # download ids fetched in this run
    cached: list[str] = field(default_factory=list)  # already whole in the cache
    would_fetch: list[tuple[str, str]] = field(default_factory=list)  # dry run: (URL, title)
    errors: dict[str, str] = field(default_factory=dict)  # review (or "listing", "tags") → why
    warnings: list[str] = field(default_factory=list)
    tag_queries: int = 0
    tagged: int = 0  # reviews given their tags in this run
    requests: int = 0
    bytes: int = 0

    @property
    def reports(self) -> Path:
        """The folder of reports and their library records: what ``--ingest`` ingests."""
        return self.cache / "reports"

    @property
    def ok(self) -> bool:
        return not self.errors


def harvest_homeoffice(settings: HarvestSettings | None = None, *, progress: Progress = NO_PROGRESS,
                       sleep: Callable[[float], None] = time.sleep) -> HarvestReport:
    """Harvest the library at ``settings.base_url`` into ``settings.cache`` (see the module's docstring).

    :raises HarvestError: when the harvest cannot go on at all (a bad base URL, the server
        asking to wait longer than ``max_wait``); a review that fails is in ``errors`` instead.
    """
    settings = settings or HarvestSettings()
    report = HarvestReport(settings.cache)
    manifest = Manifest.load(settings.cache / "manifest.json")
    report.warnings.extend(manifest.warnings)
    with PoliteClient(settings.base_url, delay=settings.delay, attempts=settings.attempts, backoff=settings.backoff,
                      max_wait=settings.max_wait, timeout=settings.timeout, sleep=sleep,
                      notify=progress.note) as client:
        try:
            _harvest(client, settings, manifest, report, progress)
        finally:
            report.requests = client.requests
            if not settings.dry_run:
                manifest.save()
    return report


def _harvest(client: PoliteClient, settings: HarvestSettings, manifest: Manifest, report: HarvestReport,
             progress: Progress) -> None:
    progress.stage("pages", None)
    walk = walk_listing(client, page_size=settings.page_size, since=settings.since, limit=settings.limit,
                        on_page=lambda w, pages: progress.advance("pages", total=pages))
    report.pages, report.total, report.listed = walk.pages, walk.total, len(walk.cards)
    report.warnings.extend(walk.warnings)
    if walk.error is not None:
        report.errors["listing"] = walk.error
    wanted = _plan(walk.cards, settings, manifest, report)
    if settings.dry_run:
        report.would_fetch = [(card.url or "", card.title or "") for card in wanted]
        report.tag_queries = len(walk.filters) if settings.tags else 0
        return
    _download(client, wanted, settings, manifest, report, progress)
    if settings.tags:
        _tags(client, walk.filters, settings, manifest, report, progress)
    for entry in manifest.entries.values():
        if entry.file is not None and (settings.cache / entry.file).exists():
            _write_record(settings.cache / entry.file, _record(entry))


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _plan(cards: list[Card], settings: HarvestSettings, manifest: Manifest, report: HarvestReport) -> list[Card]:
    """Note every card in the manifest and choose the reports to fetch: those not whole in the cache."""
    wanted: list[Card] = []
    now = _now()
    for card in cards:
        if card.download_id is not None and not settings.dry_run:
            manifest.update(card.download_id, title=card.title, pseudonym=card.pseudonym, csp=card.csp,
                            region=card.region, uploaded=card.uploaded, death=card.death, listed_at=now)
        if card.problem is not None or card.download_id is None or card.url is None:
            report.errors[card.key] = f"{card.title or card.key}: {card.problem}"
            if card.download_id is not None and not settings.dry_run:
                manifest.update(card.download_id, error=card.problem)
            continue
        entry = manifest.get(card.download_id)
        path = settings.cache / "reports" / f"{card.download_id}.pdf"
        problem = check_pdf_file(path, entry.size if entry.sha256 else None)
        if problem is None:
            report.cached.append(card.download_id)
            if not settings.dry_run and (entry.sha256 is None or entry.file is None):  # whole, but never recorded
                found = file_digest(path)
                manifest.update(card.download_id, file=f"reports/{path.name}", sha256=found.sha256, size=found.size,
                                fetched_at=entry.fetched_at or now, error=None)
            continue
        if problem != "missing":
            report.warnings.append(f"{path}: {problem}; fetched again")
            if not settings.dry_run:
                path.unlink(missing_ok=True)
                manifest.update(card.download_id, file=None, sha256=None, size=None)
        wanted.append(card)
    return wanted


def _download(client: PoliteClient, cards: list[Card], settings: HarvestSettings, manifest: Manifest,
              report: HarvestReport, progress: Progress) -> None:
    partial = settings.cache / "partial"
    for stale in partial.glob("*.part"):  # left by a run that was killed: started again below
        stale.unlink(missing_ok=True)
    progress.stage("downloads", len(cards))
    for card in cards:
        assert card.download_id is not None and card.url is not None
        final = settings.cache / "reports" / f"{card.download_id}.pdf"
        try:
            got = client.get(card.url, receive=pdf_receiver(partial / f"{final.name}.part", final))
        except FetchError as err:
            report.errors[card.key] = f"{card.title or card.key}: {err.message}"
            manifest.update(card.download_id, error=err.problem)
        else:
            report.downloaded.append(card.download_id)
            report.bytes += got.size
            entry = manifest.update(card.download_id, url=card.url, file=f"reports/{final.name}", sha256=got.sha256,
                                    size=got.size, fetched_at=_now(), error=None)
            _write_record(final, _record(entry))
        manifest.save()  # after each report, so a kill loses at most the one in flight
        progress.advance("downloads")


def _tags(client: PoliteClient, values: tuple[Filter, ...], settings: HarvestSettings, manifest: Manifest,
          report: HarvestReport, progress: Progress) -> None:
    if not values:
        report.errors["tags"] = "the listing's first page offers no filter values; tags not collected"
        return
    progress.stage("tags", len(values))
    result = collect_tags(client, values, page_size=settings.page_size, since=settings.since,
                          on_query=lambda _: progress.advance("tags"))
    report.tag_queries = result.queries
    if not result.complete:
        failed = "; ".join(f"{value!r}: {why}" for value, why in sorted(result.failed.items()))
        report.errors["tags"] = f"{len(result.failed)} of {result.queries} tag queries failed, so no tags were " \
                                f"changed: {failed}"
        return
    for key, entry in list(manifest.entries.items()):
        if settings.since is not None and (entry.uploaded is None or before(entry.uploaded, settings.since)):
            continue  # not covered by queries that stopped at `since`
        manifest.update(key, tags=tuple(sorted(result.tags.get(key, ()))), tags_collected=True)
        report.tagged += 1


def _record(entry: Entry) -> LibraryRecord:
    return LibraryRecord(entry.download_id, entry.title, entry.pseudonym, entry.csp, entry.region, entry.uploaded,
                         entry.death, entry.tags, entry.tags_collected)


def _write_record(report_file: Path, record: LibraryRecord) -> None:
    """Save a report's library record beside it, only when it changed (a change re-reads the report)."""
    data = (json.dumps(record.to_json(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    where = record_path(report_file)
    try:
        if where.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    write_atomically(where, data)
