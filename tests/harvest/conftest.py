"""Fixtures of the harvest tests: generated reports, a stand-in library serving them, a canary."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.harvest.standin import Review, StandIn

pytest.importorskip("reportlab")

from scripts.generate_reports import Report, write_report  # noqa: E402

CSPS = [("Exampleton", "East Midlands"), ("Sampleford", "North West"), ("Testbury", "Wales")]
POLICE = "DHR process - police recommendations"
TRAINING = "DHR process - training recommendation themes"
IPH = "Intimate-partner homicide"


@dataclass(frozen=True)
class Generated:
    """A generated report and the review the stand-in lists it as."""

    report: Report
    review: Review


def download_id(index: int) -> str:
    """Ids shaped like the library's (24 hex digits), newest first."""
    return f"{0x69949000 - index * 0x10000:08x}c7f5132b09d6{index:04x}"


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Generated]:
    """Twelve synthetic reports whose PDFs hold recommendations, each listed with a card."""
    folder = tmp_path_factory.mktemp("generated")
    out = []
    for index in range(12):
        csp, region = CSPS[index % len(CSPS)]
        pseudonym = "Adult C & Adult D" if index == 3 else f"Adult {chr(ord('A') + index)}"
        layout = "table" if index % 3 == 2 else "paragraphs"
        report = write_report(folder / f"report-{index:02d}.pdf", layout=layout, seed=index, pages=5, csp=csp,
                              pseudonym=pseudonym, agencies=(f"{csp} Police", f"{csp} Council", f"{csp} GP Practices"))
        death_year = 2015 + index % 7
        tags = tuple(tag for tag, wanted in ((POLICE, index % 2 == 0), (TRAINING, index % 3 != 1), (IPH, index < 6))
                     if wanted)
        review = Review(download_id(index), f"{pseudonym} - {csp} - {death_year}/a - DHR", pseudonym, csp, region,
                        f"{2026 - index // 4}-{12 - index % 4:02d}", f"{death_year}-{index % 12 + 1:02d}",
                        report.path.read_bytes(), tags)
        out.append(Generated(report, review))
    return out


@pytest.fixture
def library() -> Iterator[Callable[..., StandIn]]:
    """Start stand-in libraries (``library(reviews, cap=5, …)``); all are stopped after the test."""
    started: list[StandIn] = []

    def start(reviews: list[Review] | None = None, **options: Any) -> StandIn:
        standin = StandIn(list(reviews or []), **options)
        started.append(standin)
        return standin

    yield start
    for standin in started:
        standin.close()


@pytest.fixture
def canary(library: Callable[..., StandIn]) -> StandIn:
    """Another site on another port: the harvester must never ask it anything."""
    return library([])


@pytest.fixture
def reviews(generated: list[Generated]) -> list[Review]:
    return [g.review for g in generated]


def cache_files(cache: Path) -> list[str]:
    return sorted(str(p.relative_to(cache)) for p in cache.rglob("*") if p.is_file())
