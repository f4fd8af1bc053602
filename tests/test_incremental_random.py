"""Random sequences of changes, each analysed by the difference it made, give after every step
the derived graphs a store built afresh from the same files gives.

Seeded: ``DHRKG_RANDOM_SEEDS=1,2,3`` runs those sequences, each as is and stressed (every change
clustered by the difference it made however large, arrays kept in parts of 256 bytes);
``DHRKG_RANDOM_STEPS=15`` and ``DHRKG_RANDOM_REVIEWS=18,10`` (generated, ingested first) vary them.
By default two sequences of ten steps run (about 35 s each). A failure names the seed, the steps
so far and the first triples that differ; ``pytest -s`` prints each step's report."""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pytest

from graph import Store, ingest
from graph.analysis.pipeline import analyse, analysis_state
from graph.ingestion.removal import remove
from graph.model.records import Extraction
from graph.resources import data_dir
from scripts.generate_corpus import generate, page_html, page_text
from tests.test_incremental import DERIVED, derived

SEEDS = [int(s) for s in os.environ["DHRKG_RANDOM_SEEDS"].split(",")] if os.environ.get("DHRKG_RANDOM_SEEDS") else []
CASES = [(seed, stressed) for seed in SEEDS for stressed in (False, True)] or [(4, False), (2, True)]
STEPS = int(os.environ.get("DHRKG_RANDOM_STEPS", "10"))
REVIEWS, FIRST = (int(n) for n in os.environ.get("DHRKG_RANDOM_REVIEWS", "36,26").split(","))  # made, ingested first
ROW = re.compile(r"^\| (\d+) \| (.*) \| (.*) \|$")


def afresh(folders: list[Path]) -> dict[str, set[str]]:
    store = Store()
    ingest(store, folders, workers=1)
    analyse(store, full=True)
    return derived(store)


class Corpus:
    """The files a store is built from, changed at random."""

    def __init__(self, root: Path, seed: int) -> None:
        self.rng = random.Random(seed)
        self.pages, self.extra, self.aside = root / "pages", root / "extra", root / "aside"
        for folder in (self.pages, self.extra, self.aside):
            folder.mkdir()
        self.records = list(generate(REVIEWS, seed=seed))
        for record in self.records[:FIRST]:
            self.write(record)
        self.unused = self.records[FIRST:]
        self.removed: list[Path] = []  # files removed from the store (kept aside to come back)

    @property
    def folders(self) -> list[Path]:
        return [self.pages, data_dir() / "dhrd" / "incidents.csv", self.extra]

    def write(self, record: Extraction, html: bool = False) -> Path:
        folder = self.extra if html else self.pages
        path = folder / (Path(record.source.path).stem + (".html" if html else ".txt"))
        path.write_text(page_html(record) if html else page_text(record), encoding="utf-8")
        return path

    def present(self) -> list[Path]:
        return sorted(self.pages.glob("*.txt"))

    def rows(self, path: Path) -> tuple[list[str], list[int]]:
        lines = path.read_text(encoding="utf-8").split("\n")
        return lines, [i for i, line in enumerate(lines) if ROW.match(line)]

    def step(self, store: Store) -> str:
        """Change the files (or remove a document from ``store``); says what it did."""
        rng = self.rng
        kinds = ["add", "drop", "duplicate", "copy", "reword", "year", "remove", "second"]
        if self.removed:
            kinds.append("readd")
        seconds = sorted(self.extra.glob("*.html"))
        if seconds:
            kinds.append("second gone")
        kind = rng.choice(kinds)
        if kind == "second gone":  # a review's second source removed: its records are matched anew
            path = rng.choice(seconds)
            remove(store, [path.name])
            path.unlink()
            return f"remove second source {path.name}"
        if kind == "add" and self.unused:
            chosen = [self.unused.pop(0) for _ in range(min(len(self.unused), rng.randint(1, 2)))]
            for record in chosen:
                self.write(record)
            return f"add {[Path(r.source.path).stem for r in chosen]}"
        if kind == "readd":
            path = self.removed.pop(rng.randrange(len(self.removed)))
            shutil.move(self.aside / path.name, path)
            return f"readd {path.name}"
        if kind == "second":
            record = rng.choice([r for r in self.records if (self.pages / Path(r.source.path).name).exists()])
            path = self.write(record, html=True)
            return f"second source {path.name}"
        path = rng.choice(self.present())
        lines, rows = self.rows(path)
        if kind == "remove":
            remove(store, [path.name])
            self.removed.append(path)
            shutil.move(path, self.aside / path.name)
            return f"remove {path.name}"
        if kind == "year":
            lines = [re.sub(r"^Year of death: \d+", f"Year of death: {rng.randint(2012, 2023)}", line)
                     for line in lines]
            did = "year of death"
        elif kind == "drop" and len(rows) > 1:
            at = rng.choice(rows)
            did = f"drop {lines[at][:60]!r}"
            del lines[at]
        elif kind == "duplicate":
            at = rng.choice(rows)
            number, text, to = ROW.match(lines[at]).groups()  # type: ignore[union-attr]
            lines.insert(rows[-1] + 1, f"| {len(rows) + 1} | {text} | {to} |")
            did = f"duplicate {text[:50]!r}"
        elif kind == "copy":  # a line of another page: texts shared by more reviews
            other = rng.choice(self.present())
            other_lines, other_rows = self.rows(other)
            _, text, to = ROW.match(other_lines[rng.choice(other_rows)]).groups()  # type: ignore[union-attr]
            at = rng.choice(rows)
            if rng.random() < 0.5:
                lines[at] = f"| {ROW.match(lines[at]).group(1)} | {text} | {to} |"  # type: ignore[union-attr]
            else:
                lines.insert(rows[-1] + 1, f"| {len(rows) + 1} | {text} | {to} |")
            did = f"copy {text[:50]!r} from {other.name}"
        else:  # reword: a text moves to another cluster, or to none
            at = rng.choice(rows)
            number, text, to = ROW.match(lines[at]).groups()  # type: ignore[union-attr]
            words = text.split()
            words[rng.randrange(len(words))] = rng.choice(["urgently", "annual", "the partnership", "staff"])
            lines[at] = f"| {number} | {' '.join(words)} | {to} |"
            did = f"reword to {' '.join(words)[:50]!r}"
        path.write_text("\n".join(lines), encoding="utf-8")
        return f"{path.name}: {did}"


@pytest.mark.parametrize(("seed", "stressed"), CASES)
def test_random_changes_analysed_step_by_step_give_the_store_built_afresh(tmp_path: Path, seed: int, stressed: bool,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    if stressed:  # never everything again on a large change, and arrays kept in parts of 256 bytes
        import graph.analysis.pipeline as pipeline
        import graph.analysis.state as state

        monkeypatch.setattr(pipeline, "DIRTY_SHARE", 1.0)
        monkeypatch.setattr(state, "PART", 256)
    corpus = Corpus(tmp_path, seed)
    path = tmp_path / "store"
    store = Store(path)
    ingest(store, corpus.folders, workers=1)
    assert analyse(store).full
    done: list[str] = []
    rng = random.Random(seed)
    for _ in range(STEPS):
        done.append(" + ".join(corpus.step(store) for _ in range(rng.choice([1, 1, 1, 2, 3]))))
        del store
        store = Store(path)  # a new run, as the command line makes one
        ingest(store, corpus.folders, workers=1)
        report = analyse(store)
        print(done[-1], report)
        assert not report.full, done
        assert analysis_state(store) == "fresh", done
        kept, fresh = derived(store), afresh(corpus.folders)
        for graph in DERIVED:
            assert kept[graph] == fresh[graph], (seed, done, graph, sorted(kept[graph] ^ fresh[graph])[:8])
