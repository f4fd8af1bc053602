"""A PDF cannot take more than its budget: streams that inflate past the limit are refused
for that reason (not "no text layer"), and reading runs under a memory limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import ExtractError, extract
from graph.extraction import pdf_budget
from scripts.bench_pdf_bomb import bomb


def test_a_decompression_bomb_is_refused_for_what_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_budget, "DECOMPRESSED_LIMIT", 50 * 2**20)
    path = tmp_path / "bomb.pdf"
    path.write_bytes(bomb(0.1, 1))  # 100 MiB of drawing operators in 0.2 MB
    assert path.stat().st_size < 1_000_000
    with pytest.raises(ExtractError, match=r"bomb\.pdf: its compressed streams decompress beyond the limit of 50 MiB"):
        extract(path)


def test_reading_past_the_memory_limit_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_budget, "MEMORY_LIMIT", 300 * 2**20)

    def greedy(path: Path, data: bytes) -> int:
        hoard = [bytearray(50 * 2**20) for _ in range(20)]  # 1 GB, past the limit
        return len(hoard)

    with pytest.raises(ExtractError, match=r"greedy\.pdf: reading it needs more than the 300 MiB of memory"):
        pdf_budget.read_within_budget(greedy, tmp_path / "greedy.pdf", b"%PDF-1.4\n")


def test_a_reader_error_inside_the_budget_reaches_the_caller(tmp_path: Path) -> None:
    def failing(path: Path, data: bytes) -> None:
        raise ExtractError(str(path), "corrupt or truncated PDF")

    with pytest.raises(ExtractError, match="corrupt or truncated"):
        pdf_budget.read_within_budget(failing, tmp_path / "x.pdf", b"%PDF-1.4\n")
    assert pdf_budget.read_within_budget(lambda path, data: len(data), tmp_path / "x.pdf", b"%PDF") == 4
