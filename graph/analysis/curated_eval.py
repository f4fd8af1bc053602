"""The machine measured against what curators said: ``dhrkg eval --curated``.

Curated corrections keep the machine's own reading beside them (a rejected theme or addressee
stays on its node, a replaced type as ``dhr:machineClassification``), so the store holds both
answers for everything a curator looked at:

- themes, for each recommendation whose themes a curator corrected or confirmed: the machine's
  themes by its ranks against the themes that stand, scored as the development sets are
  (:func:`graph.analysis.evaluation.score`);
- agency types, for each organisation whose type a curator corrected or confirmed;
- addressees, for each recommendation whose addressees a curator corrected or confirmed: the
  share of the machine's addressees that stand (precision) and of those standing that the
  machine found (recall).

Curators look at what looks wrong, so these measure the machine where it is hardest, not on
average.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from graph.analysis.evaluation import Scores, score
from graph.store.base import GraphStore
from graph.store.named_queries import internal_query


@dataclass(frozen=True)
class Resolution:
    """How well the machine found the addressees of the recommendations curators corrected."""

    recommendations: int
    precision: float
    recall: float


@dataclass(frozen=True)
class CuratedScores:
    themes: Scores  # agency types are in its agencies / agency_type_accuracy
    addressees: Resolution


def evaluate_curated(store: GraphStore) -> CuratedScores:
    """The machine's themes, agency types and addressees against the curated ones.

    >>> from graph import Store
    >>> evaluate_curated(Store()).themes.items
    0
    """
    ranked: dict[str, dict[bool, list[tuple[int, str]]]] = defaultdict(lambda: {True: [], False: []})
    for row in store.query(internal_query("curated-themes").text).to_dicts():
        item = ranked[str(row["recommendation"])]
        rank, code = int(str(row["rank"])), str(row["code"])
        if row["machine"]:
            item[True].append((rank, code))
        if row["standing"]:
            item[False].append((rank, code))
    themes = [([code for _, code in sorted(sides[False])], [code for _, code in sorted(sides[True])])
              for _, sides in sorted(ranked.items()) if sides[False] and sides[True]]
    types = [(str(row["type"]), str(row["machine"]))
             for row in store.query(internal_query("curated-agency-types").text).to_dicts()]
    return CuratedScores(score(themes, types), _resolution(store))


def _resolution(store: GraphStore) -> Resolution:
    sides: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"machine": set(), "curated": set()})
    for recommendation, agency, side in store.query(internal_query("curated-addressees").text).rows():
        sides[str(recommendation)][str(side)].add(str(agency))
    found = sum(len(s["machine"] & s["curated"]) for s in sides.values())
    machine = sum(len(s["machine"]) for s in sides.values())
    curated = sum(len(s["curated"]) for s in sides.values())
    return Resolution(len(sides), round(found / (machine or 1), 3), round(found / (curated or 1), 3))
