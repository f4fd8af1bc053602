"""Harvesting a stand-in library: faults on purpose, two runs, a kill mid-run, the tags, and ingest.

Every test runs against servers on 127.0.0.1 with ``--delay 0``; none touches the internet.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from graph.cli import main
from graph.harvest import HarvestSettings, harvest_homeoffice
from graph.harvest.downloads import check_pdf_file
from graph.harvest.manifest import Manifest
from graph.model.iris import library_download_iri, library_tag_iri
from graph.store.base import source_hashes
from graph.store.embedded import Store
from tests.harvest.conftest import IPH, POLICE, TRAINING, Generated, cache_files
from tests.harvest.standin import Review, StandIn

ROOT = Path(__file__).parents[2]


def settings(standin: StandIn, cache: Path, **options: object) -> HarvestSettings:
    return HarvestSettings(base_url=standin.url, cache=cache, delay=0, backoff=0.05, **options)  # type: ignore[arg-type]


def fresh(reviews: list[Review]) -> list[Review]:
    """Copies, so a test may change a review without touching the session's."""
    return [replace(r) for r in reviews]


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


# ---------------------------------------------------------------- the acceptance test


def test_twelve_reviews_capped_pages_and_a_429_before_every_download(
        library: Callable[..., StandIn], canary: StandIn, generated: list[Generated], tmp_path: Path) -> None:
    reviews = [g.review for g in generated]
    standin = library(reviews, cap=5, throttle_downloads=True)
    cache, store = tmp_path / "cache", tmp_path / "store"
    args = ("harvest", "homeoffice", "--base-url", standin.url, "--cache", str(cache), "--delay", "0",
            "--ingest", "--store", str(store))

    code, output = invoke(*args)
    assert code == 0, output
    assert "listed 12 review(s) on 3 page(s) (the library says 12); downloaded 12" in output
    assert "12 added" in output
    code, output = invoke(*args)
    assert code == 0, output
    assert "downloaded 0" in output and "12 already cached" in output and "12 unchanged" in output

    assert standin.downloads(200) == Counter({r.id: 1 for r in reviews})  # each PDF once over the two runs
    assert standin.downloads(429) == Counter({r.id: 1 for r in reviews})  # each honoured, then fetched
    assert {hit.path for hit in standin.hits} <= {"/"} | {f"/download/{r.id}" for r in reviews}
    assert canary.hits == []

    with Store.open_read_only(store) as graph:
        rows = graph.query("""
        PREFIX dhr: <https://w3id.org/dhrkg/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?source (COUNT(?rec) AS ?recommendations) WHERE {
          ?review a dhr:Review ; dcterms:source ?source . OPTIONAL { ?review dhr:hasRecommendation ?rec }
        } GROUP BY ?source""").to_dicts()
    found = {str(row["source"]): int(str(row["recommendations"])) for row in rows}
    assert found == {str(library_download_iri(g.review.id)): len(g.report.expected) for g in generated}
    assert all(count >= 8 for count in found.values())


# ---------------------------------------------------------------- faults


def test_each_fault_fails_or_recovers_on_its_own_and_the_run_goes_on(
        library: Callable[..., StandIn], canary: StandIn, reviews: list[Review], tmp_path: Path) -> None:
    six = fresh(reviews[:6])
    ok_429, ok_503, ok_truncated, html_page, elsewhere, always_cut = (r.id for r in six)
    six[4].href = f"{canary.url}download/{elsewhere}"
    standin = library(six, cap=2)
    standin.faults.update({ok_429: ["429"], ok_503: ["503"], ok_truncated: ["truncated"], html_page: ["html"],
                           always_cut: ["truncated"] * 5})
    cache = tmp_path / "cache"

    report = harvest_homeoffice(settings(standin, cache))
    assert sorted(report.downloaded) == sorted([ok_429, ok_503, ok_truncated])
    assert set(report.errors) == {html_page, elsewhere, always_cut}
    assert "the server sent text/html; charset=utf-8, not a PDF" in report.errors[html_page]
    assert "points to another site" in report.errors[elsewhere]
    assert "cut off (gave up after 5 attempt(s))" in report.errors[always_cut]
    for review in six[:3]:
        assert (cache / "reports" / f"{review.id}.pdf").read_bytes() == review.pdf
    assert cache_files(cache) == sorted(["manifest.json"] + [f"reports/{r.id}.pdf{end}" for r in six[:3]
                                                              for end in ("", ".library.json")])
    manifest = Manifest.load(cache / "manifest.json").entries
    assert manifest[ok_429].sha256 == hashlib.sha256(six[0].pdf).hexdigest()
    assert manifest[ok_429].size == len(six[0].pdf) and manifest[ok_429].fetched_at
    assert "not a PDF" in (manifest[html_page].error or "")
    assert canary.hits == []

    again = harvest_homeoffice(settings(standin, cache))  # the faults are spent: what failed is fetched now
    assert sorted(again.downloaded) == sorted([html_page, always_cut]) and set(again.errors) == {elsewhere}
    assert standin.downloads(200)[ok_429] == 1 and canary.hits == []


def test_a_cut_off_file_in_the_cache_is_fetched_again(
        library: Callable[..., StandIn], reviews: list[Review], tmp_path: Path) -> None:
    standin = library(fresh(reviews[:3]))
    cache = tmp_path / "cache"
    harvest_homeoffice(settings(standin, cache))
    damaged = cache / "reports" / f"{reviews[1].id}.pdf"
    damaged.write_bytes(damaged.read_bytes()[:-2000])
    report = harvest_homeoffice(settings(standin, cache))
    assert report.downloaded == [reviews[1].id]
    assert any(str(damaged) in warning and "cut off" in warning for warning in report.warnings)
    assert check_pdf_file(damaged) is None


def test_a_lost_manifest_costs_no_download(library: Callable[..., StandIn], reviews: list[Review],
                                           tmp_path: Path) -> None:
    standin = library(fresh(reviews[:3]))
    cache = tmp_path / "cache"
    harvest_homeoffice(settings(standin, cache))
    before = Manifest.load(cache / "manifest.json").entries
    (cache / "manifest.json").write_text("{ not json")
    report = harvest_homeoffice(settings(standin, cache))
    assert report.downloaded == [] and len(report.cached) == 3
    assert any("unreadable manifest" in warning for warning in report.warnings)
    after = Manifest.load(cache / "manifest.json").entries
    assert {k: (e.sha256, e.size) for k, e in after.items()} == {k: (e.sha256, e.size) for k, e in before.items()}


def test_a_kill_mid_run_then_resume(library: Callable[..., StandIn], reviews: list[Review], tmp_path: Path) -> None:
    six = fresh(reviews[:6])
    standin = library(six, cap=4)
    standin.faults[six[3].id] = ["stall"]  # half of the fourth report, then nothing until released
    cache = tmp_path / "cache"
    harvest = subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "harvest", "homeoffice", "--base-url", standin.url, "--cache", str(cache),
         "--delay", "0"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")})
    partial = cache / "partial" / f"{six[3].id}.pdf.part"
    try:
        assert standin.stalled.wait(120), "the harvest never reached the fourth download"
        deadline = time.monotonic() + 60
        while not partial.exists() and time.monotonic() < deadline:  # the harvest is writing it: kill it now
            time.sleep(0.02)
        os.kill(harvest.pid, signal.SIGKILL)
        assert harvest.wait(60) == -signal.SIGKILL
    finally:
        if harvest.poll() is None:
            harvest.kill()
        standin.release.set()
    assert partial.exists()  # the one in flight, never renamed
    assert not (cache / "reports" / f"{six[3].id}.pdf").exists()
    done_before = [r.id for r in six[:3]]
    assert all(check_pdf_file(cache / "reports" / f"{i}.pdf") is None for i in done_before)

    report = harvest_homeoffice(settings(standin, cache))
    assert report.ok and sorted(report.downloaded) == sorted(r.id for r in six[3:])
    assert standin.downloads(200) == Counter({**{r.id: 1 for r in six}, six[3].id: 2})  # the cut one twice
    assert not list((cache / "partial").glob("*"))
    for review in six:
        assert (cache / "reports" / f"{review.id}.pdf").read_bytes() == review.pdf
    assert set(Manifest.load(cache / "manifest.json").entries) == {r.id for r in six}


# ---------------------------------------------------------------- dry run, since, limit


def test_dry_run_prints_what_it_would_fetch_and_writes_nothing(
        library: Callable[..., StandIn], reviews: list[Review], tmp_path: Path) -> None:
    standin = library(fresh(reviews[:4]), cap=3)
    cache = tmp_path / "cache"
    code, output = invoke("harvest", "homeoffice", "--base-url", standin.url, "--cache", str(cache), "--delay", "0",
                          "--dry-run", "--tags")
    assert code == 0, output
    for review in reviews[:4]:
        assert f"would fetch {standin.url}download/{review.id}  {review.title}" in output
    assert "would fetch 4, 0 already cached, then 14 tag queries; nothing written" in output
    assert not cache.exists()
    assert all(hit.path == "/" for hit in standin.hits) and len(standin.hits) == 2


def test_since_fetches_only_recent_uploads(library: Callable[..., StandIn], reviews: list[Review],
                                           tmp_path: Path) -> None:
    standin = library(fresh(reviews), cap=5)  # uploads 2026-12..09, 2025-12..09, 2024-12..09
    report = harvest_homeoffice(settings(standin, tmp_path / "cache", since="2025-10"))
    assert sorted(report.downloaded) == sorted(r.id for r in reviews if r.uploaded >= "2025-10")
    assert len(standin.listing_hits()) == 2


def test_bad_settings_are_refused_with_the_reason(tmp_path: Path) -> None:
    code, output = invoke("harvest", "homeoffice", "--since", "March 2025", "--cache", str(tmp_path))
    assert code == 1 and "since must be a month written YYYY-MM" in output
    code, output = invoke("harvest", "homeoffice", "--base-url", "ftp://example.org/", "--cache", str(tmp_path))
    assert code == 1 and "not an absolute http(s) URL" in output


# ---------------------------------------------------------------- tags


def test_tags_are_collected_per_filter_value_and_reach_the_store(
        library: Callable[..., StandIn], reviews: list[Review], tmp_path: Path) -> None:
    six = fresh(reviews[:6])
    standin = library(six, cap=4)
    cache, store = tmp_path / "cache", tmp_path / "store"
    code, output = invoke("harvest", "homeoffice", "--base-url", standin.url, "--cache", str(cache), "--delay", "0",
                          "--tags", "--ingest", "--store", str(store))
    assert code == 0, output
    assert "tags: 14 queries, 6 review(s) given their tags" in output
    manifest = Manifest.load(cache / "manifest.json").entries
    for review in six:
        assert set(manifest[review.id].tags) == set(review.tags) and manifest[review.id].tags_collected
        record = json.loads((cache / "reports" / f"{review.id}.pdf.library.json").read_text())
        assert record["tags_collected"] is True and set(record["tags"]) == set(review.tags)
    tagged = {tag for r in six for tag in r.tags}
    assert tagged == {POLICE, TRAINING, IPH}
    with Store.open_read_only(store) as graph:
        rows = graph.query("""
        PREFIX dhr: <https://w3id.org/dhrkg/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?source ?tag WHERE { ?review dcterms:source ?source ; dhr:libraryTag ?tag }""").to_dicts()
        # The fingerprint from documents already listed is the one read from the store, library records and all.
        documents = graph.documents()
        assert all(d.record_sha256 for d in documents.values())
        assert graph.fingerprint(source_hashes(documents)) == graph.fingerprint()
    assert {(str(r["source"]), str(r["tag"])) for r in rows} == {
        (str(library_download_iri(review.id)), str(library_tag_iri(tag))) for review in six for tag in review.tags}

    code, output = invoke("harvest", "homeoffice", "--base-url", standin.url, "--cache", str(cache), "--delay", "0",
                          "--tags", "--ingest", "--store", str(store))
    assert code == 0 and "6 unchanged" in output, output  # the same tags again: nothing to re-read
    assert standin.downloads(200) == Counter({r.id: 1 for r in six})


def test_a_failing_tag_query_changes_no_tags(library: Callable[..., StandIn], reviews: list[Review],
                                             tmp_path: Path) -> None:
    standin = library(fresh(reviews[:4]), failing_filter=TRAINING)
    report = harvest_homeoffice(settings(standin, tmp_path / "cache", tags=True))
    assert "1 of 14 tag queries failed, so no tags were changed" in report.errors["tags"]
    assert TRAINING in report.errors["tags"] and len(report.downloaded) == 4
    assert not any(e.tags or e.tags_collected for e in Manifest.load(tmp_path / "cache" / "manifest.json")
                   .entries.values())
