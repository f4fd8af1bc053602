"""Evaluation of theme classification and agency typing on a hand-labelled set.

The labels file is JSON lines: ``{"id", "set", "csp", "text", "themes": [top-level codes,
most important first], "addressees": {printed label: A-code}}``. ``dhrkg eval`` prints,
per set, top-1 theme accuracy, set F1 of top-level themes and agency-type accuracy.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from graph.enrich.agencies import AgencyResolver, Context
from graph.enrich.themes import classify
from graph.model.terms import top_level
from graph.resources import devset_dir


def default_labels() -> Path:
    """The development set shipped inside the package."""
    return devset_dir() / "labels.jsonl"


def default_pairs() -> Path:
    """Hand-labelled recommendation pairs: the same ask in other words, or a near miss."""
    return default_labels().with_name("duplicate-pairs.jsonl")


@dataclass(frozen=True)
class PairScores:
    threshold: float
    precision: float
    recall: float


def evaluate_duplicates(pairs: Path | None = None, thresholds: tuple[float, ...] = (0.4, 0.45, 0.5, 0.55, 0.6)
                        ) -> list[PairScores]:
    """Precision and recall of near-duplicate detection at each threshold."""
    from graph.analysis.clusters import vectorise

    rows = [json.loads(line) for line in (pairs or default_pairs()).read_text(encoding="utf-8").splitlines()
            if line.strip()]
    matrix = vectorise([r["a"] for r in rows] + [r["b"] for r in rows])
    n = len(rows)
    similarities = [(float((matrix[i] @ matrix[n + i].T).toarray()[0, 0]), bool(r["same"]))
                    for i, r in enumerate(rows)]
    result = []
    for threshold in thresholds:
        found = [same for score, same in similarities if score >= threshold]
        relevant = sum(same for _, same in similarities)
        result.append(PairScores(threshold, round(sum(found) / (len(found) or 1), 3),
                                 round(sum(found) / (relevant or 1), 3)))
    return result


@dataclass(frozen=True)
class Scores:
    """How well one labelled set is predicted."""

    items: int
    top1: float  # share whose first predicted theme is the first labelled theme
    set_f1: float  # mean per-item F1 of predicted vs labelled top-level theme sets
    micro_f1: float  # F1 over all (item, theme) pairs
    agencies: int
    agency_type_accuracy: float


def evaluate(labels: Path | None = None) -> dict[str, Scores]:
    """Scores per labelled set (and ``all``)."""
    path = labels or default_labels()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    groups: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        groups[str(row.get("set", "all"))].append(row)
        groups["all"].append(row)
    resolver = AgencyResolver()
    return {name: _score(items, resolver) for name, items in sorted(groups.items())}


def _score(items: list[dict[str, object]], resolver: AgencyResolver) -> Scores:
    top1 = f1_sum = 0.0
    true_positive = predicted_total = gold_total = 0
    agencies = agencies_right = 0
    for item in items:
        gold = [top_level(str(code)) for code in item["themes"]]  # type: ignore[attr-defined]
        predicted = list(dict.fromkeys(top_level(t.code) for t in classify(str(item["text"]))))
        top1 += predicted[0] == gold[0]
        overlap = len(set(predicted) & set(gold))
        true_positive += overlap
        predicted_total += len(set(predicted))
        gold_total += len(set(gold))
        f1_sum += 2 * overlap / (len(set(predicted)) + len(set(gold)))
        context = Context(item.get("csp") or None, None)  # type: ignore[arg-type]
        for label, code in dict(item.get("addressees") or {}).items():  # type: ignore[call-overload]
            agencies += 1
            agencies_right += resolver.resolve(str(label), context).type == code
    n = len(items) or 1
    micro = 2 * true_positive / ((predicted_total + gold_total) or 1)
    return Scores(len(items), round(top1 / n, 3), round(f1_sum / n, 3), round(micro, 3),
                  agencies, round(agencies_right / (agencies or 1), 3))
