"""Evaluation of theme classification and agency typing on a hand-labelled set.

The labels file is JSON lines: ``{"id", "set", "csp", "text", "themes": [codes, most important
first], "addressees": {printed label: A-code}}`` (graph/devset/README.md; labelled by
docs/labelling.md). Themes are compared at the top level (a narrower label counts as its
top-level theme), except "no concrete ask": a label ``T11.5`` is compared with the
classifier's T11.5. ``dhrkg eval`` prints, per set, top-1 theme accuracy, set F1,
agency-type accuracy, precision and recall per theme, and the confusion of first themes.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.enrich.agencies import AgencyResolver, Context
from graph.enrich.themes import classify
from graph.model.terms import UNCLASSIFIABLE, top_level
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
class ThemeScores:
    """How well one theme is found: among the items labelled with it (at any rank) and the items
    it was predicted for (at any rank)."""

    theme: str  # a top-level code, or T11.5
    labelled: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return round(self.correct / self.predicted, 3) if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return round(self.correct / self.labelled, 3) if self.labelled else 0.0


@dataclass(frozen=True)
class Scores:
    """How well one labelled set is predicted."""

    items: int
    top1: float  # share whose first predicted theme is the first labelled theme
    set_f1: float  # mean per-item F1 of predicted vs labelled top-level theme sets
    micro_f1: float  # F1 over all (item, theme) pairs
    agencies: int
    agency_type_accuracy: float
    themes: tuple[ThemeScores, ...] = ()  # per theme, in scheme order
    confusion: tuple[tuple[str, str, int], ...] = ()  # (labelled first theme, predicted first theme, items)

    def theme(self, code: str) -> ThemeScores:
        """The scores of one theme.

        >>> evaluate()["seed"].theme("T5").labelled > 0
        True
        """
        return next(t for t in self.themes if t.theme == code)


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


def _compared(codes: list[str]) -> list[str]:
    """Codes as compared: top level, but "no concrete ask" kept apart from the rest of T11."""
    return list(dict.fromkeys(code if code == UNCLASSIFIABLE else top_level(code) for code in codes))


def _score(items: list[dict[str, object]], resolver: AgencyResolver) -> Scores:
    themes = [([str(code) for code in item["themes"]], [t.code for t in classify(str(item["text"]))])  # type: ignore[attr-defined]
              for item in items]
    types = []
    for item in items:
        context = Context(item.get("csp") or None, None)  # type: ignore[arg-type]
        for label, code in dict(item.get("addressees") or {}).items():  # type: ignore[call-overload]
            types.append((str(code), resolver.resolve(str(label), context).type))
    return score(themes, types)


def score(themes: Sequence[tuple[list[str], list[str]]], types: Sequence[tuple[str, str | None]]) -> Scores:
    """Scores of predicted themes against labelled ones (each item: labelled codes, predicted
    codes, most important first) and of predicted agency types against labelled ones.

    >>> s = score([(["T1.2", "T5"], ["T1.1"]), (["T6.3"], ["T11.4"])], [("A01", "A01"), ("A03", "A22")])
    >>> s.top1, s.set_f1, s.agency_type_accuracy
    (0.5, 0.333, 0.5)
    """
    top1 = f1_sum = 0.0
    labelled: Counter[str] = Counter()
    predicted_count: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    for labels, predictions in themes:
        gold = _compared(labels)
        predicted = _compared(predictions)
        top1 += _top(predicted[0]) == _top(gold[0])
        confusion[(gold[0], predicted[0])] += 1
        gold_set, predicted_set = {_top(c) for c in gold}, {_top(c) for c in predicted}
        f1_sum += 2 * len(gold_set & predicted_set) / (len(gold_set) + len(predicted_set))
        for code in set(gold) | gold_set:
            labelled[code] += 1
        for code in set(predicted) | predicted_set:
            predicted_count[code] += 1
        for code in (set(gold) | gold_set) & (set(predicted) | predicted_set):
            correct[code] += 1
    agencies = len(types)
    agencies_right = sum(labelled_type == predicted_type for labelled_type, predicted_type in types)
    n = len(themes) or 1
    pairs = sum(correct[c] for c in labelled if c != UNCLASSIFIABLE)
    micro = 2 * pairs / ((sum(v for c, v in labelled.items() if c != UNCLASSIFIABLE)
                          + sum(v for c, v in predicted_count.items() if c != UNCLASSIFIABLE)) or 1)
    codes = sorted(set(labelled) | set(predicted_count), key=_scheme_order)
    return Scores(len(themes), round(top1 / n, 3), round(f1_sum / n, 3), round(micro, 3),
                  agencies, round(agencies_right / (agencies or 1), 3),
                  tuple(ThemeScores(c, labelled[c], predicted_count[c], correct[c]) for c in codes),
                  tuple((g, p, k) for (g, p), k in sorted(confusion.items(), key=lambda x: (_scheme_order(x[0][0]),
                                                                                          _scheme_order(x[0][1])))))


def _top(code: str) -> str:
    return top_level(code)


def _scheme_order(code: str) -> tuple[int, int]:
    top, _, narrower = code[1:].partition(".")
    return int(top), int(narrower or 0)


def theme_table(scores: Scores) -> list[tuple[str, str, str, str, str]]:
    """Rows of the per-theme table: theme, labelled, predicted, precision, recall.

    >>> theme_table(Scores(2, 1.0, 1.0, 1.0, 0, 0.0, (ThemeScores("T1", 2, 1, 1),)))
    [('T1', '2', '1', '1.000', '0.500')]
    """
    return [(t.theme, str(t.labelled), str(t.predicted), f"{t.precision:.3f}", f"{t.recall:.3f}")
            for t in scores.themes]


def confusion_table(scores: Scores) -> tuple[list[str], list[list[str]]]:
    """The confusion of first themes as a header (predicted themes) and rows (one per labelled
    theme, its count under each predicted theme; blank for none).

    >>> confusion_table(Scores(3, 0.0, 0.0, 0.0, 0, 0.0, (), (("T1", "T1", 2), ("T1", "T6", 1))))
    (['labelled \\\\ predicted', 'T1', 'T6'], [['T1', '2', '1']])
    """
    labelled = sorted({g for g, _, _ in scores.confusion}, key=_scheme_order)
    predicted = sorted({p for _, p, _ in scores.confusion}, key=_scheme_order)
    counts = {(g, p): k for g, p, k in scores.confusion}
    return (["labelled \\ predicted", *predicted],
            [[g, *(str(counts[(g, p)]) if (g, p) in counts else "" for p in predicted)] for g in labelled])
