"""The labelled development set is well formed, and its blind splits cover what they claim to."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from graph.analysis.evaluation import default_labels
from graph.model.terms import AGENCY_TYPES, THEMES, UNCLASSIFIABLE, top_level

ROWS = [json.loads(line) for line in default_labels().read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_item_has_an_id_a_set_one_to_three_known_themes_and_one_known_type_per_addressee() -> None:
    assert len({row["id"] for row in ROWS}) == len(ROWS)
    for row in ROWS:
        themes, addressees = row["themes"], row["addressees"]
        assert row["set"] and row["text"].strip(), row["id"]
        assert 1 <= len(themes) <= 3 and len(set(themes)) == len(themes), row["id"]
        assert all(code in THEMES for code in themes), row["id"]
        # "No concrete ask" excludes every other theme (docs/labelling.md).
        assert UNCLASSIFIABLE not in themes or themes == [UNCLASSIFIABLE], row["id"]
        assert all(code in AGENCY_TYPES for code in addressees.values()), row["id"]


@pytest.mark.parametrize(("split", "size"), [("held-out-2", 120), ("tuning-2", 160), ("held-out-3", 120),
                                             ("tuning-3", 160), ("held-out-4", 120),
                                             ("tuning-4", 160), ("held-out-5", 120),
                                             ("tuning-5", 160), ("held-out-6", 120),
                                             ("tuning-6", 160), ("held-out-7", 120),
                                             ("tuning-7", 160), ("held-out-8", 120)])
def test_each_blind_split_puts_every_theme_first_six_times_and_every_agency_type_on_two_addressees(
        split: str, size: int) -> None:
    # A split written blind measures generalisation only if no theme or type is too rare to be scored.
    blind = [row for row in ROWS if row["set"] == split]
    assert len(blind) == size
    first = Counter(top_level(row["themes"][0]) for row in blind)
    assert {code for code in THEMES if "." not in code} == set(first)
    assert min(first.values()) >= 6
    assert first["T1"] >= 12 and first["T4"] >= 12 and first["T8"] >= 12
    types = Counter(code for row in blind for code in row["addressees"].values())
    assert set(types) == set(AGENCY_TYPES) and min(types.values()) >= 2
    assert 1 <= sum(row["themes"] == [UNCLASSIFIABLE] for row in blind) <= 5
