"""Readers never raise an unhandled exception: arbitrary bytes and mutated real-looking pages
give records or a clear error naming the file. Bounded in CI; set DHRKG_FUZZ_EXAMPLES for
longer local runs."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from graph import ExtractError, Store, extract, ingest
from graph.extraction.summary_page_html import MAX_NESTING
from tests.conftest import PAGES, SEED

EXAMPLES = int(os.environ.get("DHRKG_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
TEXT_PAGE = SEED.read_text(encoding="utf-8")
HTML_PAGE = (PAGES / "table.html").read_text(encoding="utf-8")
CSV_TABLE = (SEED.parents[1] / "dhrd" / "victims.csv").read_text(encoding="utf-8")[:6000]


def read(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzzed{suffix}"
        path.write_bytes(data)
        try:
            result = extract(path)
        except ExtractError as err:
            assert "fuzzed" in str(err)  # the error names the file
            return
        assert result.source.sha256


def mutate(text: str, cuts: list[tuple[int, int, str]]) -> bytes:
    for position, length, insert in cuts:
        position %= max(len(text), 1)
        text = text[:position] + insert + text[position + length:]
    return text.encode("utf-8", errors="surrogatepass")


edits = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 40),
                           st.sampled_from(["|", " | ", "\n", "<table>", "</tr>", "<td>", "CSP:", "Extracted: 999 recs",
                                            "\x00", "\u202e", "<script>", ",", '"', "True", "", "9.10", "R1"]) |
                           st.text(max_size=20)), max_size=12)


@FUZZ
@given(st.binary(max_size=4000), st.sampled_from([".txt", ".html", ".csv", ".pdf"]))
def test_arbitrary_bytes(data: bytes, suffix: str) -> None:
    read(data, suffix)


@FUZZ
@given(edits)
def test_mutated_text_pages(cuts: list[tuple[int, int, str]]) -> None:
    read(mutate(TEXT_PAGE, cuts), ".txt")


@FUZZ
@given(edits)
@example(cuts=[(660, 1, " | "), (570, 11, " | ")])  # a row wider than its header, its text cell last
def test_mutated_html_pages(cuts: list[tuple[int, int, str]]) -> None:
    read(mutate(HTML_PAGE, cuts), ".html")


@FUZZ
@given(edits)
def test_mutated_dhrd_tables(cuts: list[tuple[int, int, str]]) -> None:
    read(mutate(CSV_TABLE, cuts), ".csv")


def test_html_nested_too_deep_is_a_clear_error(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text("<div>" * (MAX_NESTING + 50) + "CSP: X" + "</div>" * (MAX_NESTING + 50))
    with pytest.raises(ExtractError, match=r"deep\.html: HTML nested more than"):
        extract(page)


def test_oversized_files_are_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    with pytest.raises(ExtractError, match=r"big\.txt: file is .* over the"):
        extract(big)


def test_symlinks_out_of_the_folder_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(TEXT_PAGE)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "link.txt").symlink_to(outside / "secret.txt")
    (folder / "inside").symlink_to(outside, target_is_directory=True)
    store = Store()
    report = ingest(store, [folder])
    assert report.outcomes == [] and any("symlink out of" in s for s in report.skipped)
    assert store.stats()["reviews"] == 0
    followed = ingest(Store(), [folder], follow_symlinks=True)
    assert followed.count("added") >= 1


def test_a_read_only_store_folder_is_a_clear_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores folder permissions")
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    from graph import DhrkgError

    with pytest.raises(DhrkgError, match="cannot open the store"):
        Store(folder / "store")
