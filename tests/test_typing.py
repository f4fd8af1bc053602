"""The package type-checks: the public API promises types (py.typed), so mypy must agree."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_mypy_is_clean_on_the_package() -> None:
    api = pytest.importorskip("mypy.api")
    package = Path(__file__).parents[1] / "graph"
    out, err, status = api.run([str(package)])
    assert status == 0, out + err
