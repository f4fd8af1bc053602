"""How well the report reader reads each layout: recommendations F1, addressees, levels, metadata.

    python scripts/eval_reader.py [--verbose] [FOLDER…]

Reads every fixture under ``tests/fixtures/layouts/tuning`` and ``…/heldout`` (or the folders
given) and compares it with the JSON beside it (``NAME.json`` for ``NAME.txt|html|pdf``):

- recommendations F1: a recommendation is found when its text is the expected text exactly
  (whitespace normalised); precision over those read, recall over those expected;
- addressees, numbers and levels: the share of found recommendations whose addressee list
  (in order), number or level is exactly right;
- metadata: the share of CSP, publication month, year of death and pseudonym values right
  (``null`` where the page prints none), and of pages rightly refused or warned about.

The held-out set was written before the reader and is never tuned on: its numbers are the
honest estimate; the tuning set's show what the tests pin.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.errors import ExtractError  # noqa: E402
from graph.extraction import extract  # noqa: E402
from graph.extraction.summary_page import normalise_space  # noqa: E402
from graph.model.records import Extraction  # noqa: E402

LAYOUTS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "layouts"
METADATA = ("csp", "published", "year_of_death", "pseudonym")


def fixtures(folder: Path) -> list[Path]:
    """The source files of a folder that have an expected JSON beside them."""
    return sorted(p for p in folder.iterdir() if p.suffix != ".json" and p.with_suffix(".json").exists())


def expected_of(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return data


def actual_of(path: Path) -> dict[str, Any]:
    """What dhrkg reads, in the shape of the expected JSON (or the error it gives)."""
    try:
        result = extract(path)
    except ExtractError as err:
        return {"error": err.problem}
    assert isinstance(result, Extraction)
    return {
        "review": {key: getattr(result.review, key) for key in METADATA},
        "recommendations": [{"number": r.number, "text": r.text, "addressed_to": list(r.addressed_to),
                             "level": r.level} for r in result.recommendations],
        "warnings": list(result.warnings),
    }


@dataclass
class Score:
    read: int = 0
    expected: int = 0
    found: int = 0
    addressees: int = 0
    numbers: int = 0
    levels: int = 0
    metadata: int = 0
    metadata_fields: int = 0
    pages: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, name: str, expected: dict[str, Any], actual: dict[str, Any]) -> None:
        self.pages += 1
        if "error" in expected or "error" in actual:
            self.metadata_fields += 1
            refused_rightly = "error" in expected and "error" in actual and expected["error"] in actual["error"]
            self.metadata += refused_rightly
            if not refused_rightly:
                self.problems.append(f"{name}: expected {expected.get('error', 'a reading')!r}, "
                                     f"got {actual.get('error', 'a reading')!r}")
            self.expected += len(expected.get("recommendations", []))
            return
        for key in METADATA:
            self.metadata_fields += 1
            if expected["review"][key] == actual["review"][key]:
                self.metadata += 1
            else:
                self.problems.append(f"{name}: {key} {actual['review'][key]!r}, expected {expected['review'][key]!r}")
        for wanted in expected.get("warnings_contain", []):
            self.metadata_fields += 1
            if any(wanted in w for w in actual["warnings"]):
                self.metadata += 1
            else:
                self.problems.append(f"{name}: no warning saying {wanted!r} in {actual['warnings']}")
        wanted_recs, got_recs = expected["recommendations"], actual["recommendations"]
        self.expected += len(wanted_recs)
        self.read += len(got_recs)
        unmatched = Counter(normalise_space(r["text"]) for r in got_recs)
        by_text: dict[str, list[dict[str, Any]]] = {}
        for rec in got_recs:
            by_text.setdefault(normalise_space(rec["text"]), []).append(rec)
        for want in wanted_recs:
            text = normalise_space(want["text"])
            if unmatched[text] <= 0:
                self.problems.append(f"{name}: missed {text[:70]!r}")
                continue
            unmatched[text] -= 1
            got = by_text[text].pop(0)
            self.found += 1
            for key, attribute in (("addressed_to", "addressees"), ("number", "numbers"), ("level", "levels")):
                if got[key] == want[key]:
                    setattr(self, attribute, getattr(self, attribute) + 1)
                else:
                    self.problems.append(f"{name}: {key} {got[key]!r}, expected {want[key]!r} for {text[:50]!r}")
        for text, count in unmatched.items():
            if count > 0:
                self.problems.append(f"{name}: read {count} unexpected {text[:70]!r}")

    def report(self) -> dict[str, float]:
        precision = self.found / self.read if self.read else 1.0
        recall = self.found / self.expected if self.expected else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        share = (lambda n: n / self.found if self.found else 1.0)  # noqa: E731
        return {"pages": self.pages, "recommendations": self.expected, "f1": f1, "precision": precision,
                "recall": recall, "addressees": share(self.addressees), "numbers": share(self.numbers),
                "levels": share(self.levels),
                "metadata": self.metadata / self.metadata_fields if self.metadata_fields else 1.0}


def kind_of(path: Path) -> str:
    """The input kind a fixture stands for, as the issue measures them."""
    if path.suffix == ".pdf":
        return "pdf (Word)" if path.name.startswith("word-") else "pdf (library)"
    return "text/html"


def evaluate(folder: Path, kind: str | None = None) -> Score:
    """The score of every fixture in a folder (of one input kind, if given)."""
    score = Score()
    for path in fixtures(folder):
        if kind is None or kind_of(path) == kind:
            score.add(path.name, expected_of(path), actual_of(path))
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path, default=[LAYOUTS / "tuning", LAYOUTS / "heldout"])
    parser.add_argument("--verbose", action="store_true", help="list every difference")
    args = parser.parse_args()
    print(f"{'set':<15} {'pages':>5} {'recs':>5} {'F1':>6} {'prec':>6} {'recall':>6} {'addressees':>10} "
          f"{'numbers':>8} {'levels':>7} {'metadata':>9}")
    for folder in args.folders:
        for kind in (None, "text/html", "pdf (library)", "pdf (Word)"):
            _print(folder.name if kind is None else f"  {kind}", evaluate(folder, kind), args.verbose and kind is None)


def _print(name: str, score: Score, verbose: bool) -> None:
    r = score.report()
    print(f"{name:<15} {r['pages']:>5} {r['recommendations']:>5} {r['f1']:>6.3f} {r['precision']:>6.3f} "
          f"{r['recall']:>6.3f} {r['addressees']:>10.3f} {r['numbers']:>8.3f} {r['levels']:>7.3f} "
          f"{r['metadata']:>9.3f}")
    if verbose:
        for problem in score.problems:
            print(f"    {problem}")


if __name__ == "__main__":
    main()
