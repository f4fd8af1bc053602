"""How well action plans are read: per recommendation, its leads and target dates; per action, every field.

    python scripts/eval_plans.py [--verbose] [FOLDER…]

Reads every fixture under ``tests/fixtures/plans/tuning`` and ``…/heldout`` (or the folders
given) and compares it with the JSON beside it (written by ``generate_plan_fixtures.py`` from
values known by construction):

- recommendations: found when its text is the expected text exactly (whitespace normalised);
- **lead and target** (the issue's acceptance measure): the share of expected recommendations
  that are found with exactly the expected actions' leads and target dates (as many actions,
  each with the right lead as printed and the right normalised date, or rightly none);
- per action, over the actions of found recommendations: text, lead, target date, printed
  target, status, completion date and page, each exactly right;
- addressees: the share of found recommendations addressed to exactly the expected bodies.

The held-out set was written before the reader was changed for action plans and is never
tuned on: its numbers are the honest estimate; the tuning set's show what the tests pin.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.extraction import extract  # noqa: E402
from graph.extraction.summary_page import normalise_space  # noqa: E402
from graph.model.records import Extraction  # noqa: E402

PLANS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "plans"
FIELDS = ("text", "lead", "target_date", "target_text", "status", "status_text", "completed", "page")
KINDS = ("word", "reportlab", "html")


def fixtures(folder: Path, kind: str | None = None) -> list[Path]:
    """The reports of a folder that have an expected JSON beside them (of one kind, if given)."""
    return sorted(p for p in folder.iterdir() if p.suffix != ".json" and p.with_suffix(".json").exists()
                  and (kind is None or p.name.startswith(f"{kind}-")))


def expected_of(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return data


def actual_of(path: Path) -> dict[str, Any]:
    """What dhrkg reads, in the shape of the expected JSON."""
    result = extract(path)
    assert isinstance(result, Extraction)
    recommendations = []
    for rec in result.recommendations:
        actions = [{key: value for key, value in action.to_json().items() if key in FIELDS} for action in rec.actions]
        recommendations.append({"number": rec.number, "text": rec.text, "addressed_to": list(rec.addressed_to),
                                "actions": actions})
    review = {key: getattr(result.review, key) for key in ("csp", "published", "year_of_death", "pseudonym")}
    return {"review": review, "recommendations": recommendations}


@dataclass
class Score:
    pages: int = 0
    expected: int = 0
    found: int = 0
    leads_and_targets: int = 0
    addressees: int = 0
    actions: int = 0
    fields: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    problems: list[str] = field(default_factory=list)

    def add(self, name: str, expected: dict[str, Any], actual: dict[str, Any]) -> None:
        self.pages += 1
        got = {normalise_space(r["text"]): r for r in actual["recommendations"]}
        for want in expected["recommendations"]:
            self.expected += 1
            text = normalise_space(want["text"])
            read = got.get(text)
            if read is None:
                self.problems.append(f"{name}: missed {text[:60]!r}")
                continue
            self.found += 1
            self.addressees += read["addressed_to"] == want["addressed_to"]
            pairs = [(a["lead"], a["target_date"]) for a in read["actions"]]
            wanted = [(a["lead"], a["target_date"]) for a in want["actions"]]
            if pairs == wanted:
                self.leads_and_targets += 1
            else:
                self.problems.append(f"{name}: {text[:40]!r}: leads and targets {pairs}, expected {wanted}")
            for index, action in enumerate(want["actions"]):
                self.actions += 1
                mine = read["actions"][index] if index < len(read["actions"]) else {}
                for key in FIELDS:
                    if mine.get(key) == action[key]:
                        self.fields[key] += 1
                    elif mine:
                        self.problems.append(f"{name}: {text[:30]!r} action {index + 1}: {key} {mine.get(key)!r}, "
                                             f"expected {action[key]!r}")

    def report(self) -> dict[str, float]:
        share = (lambda n, of: n / of if of else 1.0)  # noqa: E731
        return {"pages": self.pages, "recommendations": self.expected, "actions": self.actions,
                "found": share(self.found, self.expected),
                "leads_and_targets": share(self.leads_and_targets, self.expected),
                "addressees": share(self.addressees, self.found),
                **{key: share(count, self.actions) for key, count in self.fields.items()}}


def evaluate(folder: Path, kind: str | None = None) -> Score:
    """The score of every fixture in a folder (of one rendering, if given)."""
    score = Score()
    for path in fixtures(folder, kind):
        score.add(path.name, expected_of(path), actual_of(path))
    return score


COLUMNS = ("recommendations", "found", "leads_and_targets", "addressees", "actions", *FIELDS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path, default=[PLANS / "tuning", PLANS / "heldout"])
    parser.add_argument("--verbose", action="store_true", help="list every difference")
    args = parser.parse_args()
    heads = {"recommendations": "recs", "leads_and_targets": "lead+target", "target_date": "target",
             "target_text": "printed", "status_text": "st.text"}
    print(f"{'set':<13} {'files':>5} " + " ".join(f"{heads.get(c, c):>11}" for c in COLUMNS))
    for folder in args.folders:
        for kind in (None, *KINDS):
            score = evaluate(folder, kind)
            r = score.report()
            cells = [f"{r[c]:>11}" if isinstance(r[c], int) else f"{r[c]:>11.3f}" for c in COLUMNS]
            print(f"{folder.name if kind is None else '  ' + kind:<13} {r['pages']:>5} " + " ".join(cells))
            if args.verbose and kind is None:
                for problem in score.problems:
                    print(f"    {problem}")


if __name__ == "__main__":
    main()
