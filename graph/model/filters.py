"""Which reviews and recommendations a listing or a view keeps: by CSP, region, year, theme
and agency type, checked against the schemes when made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.errors import DhrkgError
from graph.model.terms import AGENCY_TYPES, THEMES, top_level


@dataclass(frozen=True)
class Filters:
    """Which reviews and recommendations a view keeps; ``None`` keeps all."""

    csp: str | None = None
    region: str | None = None
    year: int | None = None  # year of death, else year of publication
    theme: str | None = None  # top-level or narrower theme code
    agency_type: str | None = None  # A-code

    def __post_init__(self) -> None:
        if self.theme is not None and self.theme not in THEMES:
            raise DhrkgError(f"unknown theme code {self.theme!r}")
        if self.agency_type is not None and self.agency_type not in AGENCY_TYPES:
            raise DhrkgError(f"unknown agency-type code {self.agency_type!r}")

    def keeps_review(self, row: dict[str, Any]) -> bool:
        if self.csp is not None and str(row.get("csp") or "").lower() != self.csp.lower():
            return False
        if self.region is not None and str(row.get("region") or "").lower() != self.region.lower():
            return False
        if self.year is not None and _year(row) != self.year:
            return False
        return True

    def keeps_recommendation(self, row: dict[str, Any]) -> bool:
        if not self.keeps_review(row):
            return False
        if self.agency_type is not None and row.get("agencyType") != self.agency_type:
            return False
        if self.theme is not None:
            codes = str(row.get("themes") or "").split()
            wanted = self.theme
            if not any(c == wanted or top_level(c) == wanted for c in codes):
                return False
        return True


def _year(row: dict[str, Any]) -> int | None:
    for key in ("year", "published"):
        value = row.get(key)
        if value:
            return int(str(value)[:4])
    return None
