"""Curation: recording analysts' corrections of the machine's reading, and writing them back out.

``dhrkg curate FILE.csv`` (:func:`curate`) and the web app's correction form
(:func:`curate_text`) read rows (:mod:`graph.ingestion.curation_rows`), check every one
against the store, and then, all or nothing, in one transaction, record the corrections in the
curation graph and write their effects into every graph they concern
(:func:`graph.store.curation.apply_curation`). The corpus summary is recounted afterwards;
links between reviews are then out of date until ``dhrkg link``.

A correction is named by what it says, so recording the same row again changes nothing,
unless a later correction had superseded it: then it is dated anew and holds again. Rows
without a ``recorded_at`` are dated when recorded, in file order, removals first.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from graph.errors import DhrkgError
from graph.ingestion.corpus_summary import summarise
from graph.ingestion.curation_rows import COLUMNS, CorrectionRow, CurationError, read_rows
from graph.model.terms import AGENCY_TYPES, THEMES
from graph.rdf.corrections import Correction, Curation, stamp, value_term
from graph.rdf.curated import themes_after
from graph.store.base import GraphStore
from graph.store.curation import apply_curation, graphs_concerned, load_curation, organisations
from graph.store.named_queries import internal_query

__all__ = ["CurationError", "CurationImport", "curate", "curate_text", "export_corrections"]

MAX_THEMES = 3
"""A recommendation carries one to three themes (the shapes hold every recommendation to it)."""


@dataclass
class CurationImport:
    """What recording one file (or one form) of corrections did."""

    source: str
    recorded: list[Correction] = field(default_factory=list)  # new, or recorded again after being superseded
    unchanged: int = 0  # rows already recorded and still in force
    notes: list[str] = field(default_factory=list)  # rows recorded that change nothing in the graph now
    graphs: list[str] = field(default_factory=list)  # graphs whose triples changed
    summarised: bool = False  # the corpus summary was recounted


def curate(store: GraphStore, path: str | Path, *, recount: bool = True) -> CurationImport:
    """Record the corrections of a curation file, all of them or none; then recount the corpus
    summary, unless ``recount`` is False (several files: recount once, with :func:`summarise`).

    :raises CurationError: naming each bad row by its line (nothing is written).
    :raises DhrkgError: when the file cannot be read.
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise DhrkgError(f"{path}: cannot read file: {err.strerror or err}") from err
    except UnicodeDecodeError as err:
        raise DhrkgError(f"{path}: not UTF-8 text (byte {err.start})") from err
    return curate_text(store, text, source=str(path), recount=recount)


def curate_text(store: GraphStore, text: str, *, source: str = "corrections", recount: bool = True) -> CurationImport:
    """Record corrections given as the text of a curation file (the web form sends one row).

    :raises CurationError: naming each bad row by its line (nothing is written).
    """
    rows = read_rows(store, source, text)
    existing = load_curation(store)
    known = {c.iri: c for c in existing.corrections}
    latest = max((c.at for c in existing.corrections), default=None)
    start = datetime.now(timezone.utc)
    if latest is not None and start <= latest:  # a later import always comes later
        start = latest + timedelta(microseconds=1)
    done = CurationImport(source)
    lines: dict[str, int] = {}
    fresh: dict[str, Correction] = {}
    # Undated rows are recorded in file order, removals first: "remove T6, add T9.1" in either
    # order puts the new theme in the place of the old one.
    for index, row in enumerate(sorted(rows, key=lambda row: row.action != "remove")):
        correction = row.correction(start + timedelta(microseconds=index))
        lines.setdefault(correction.iri, row.line)
        before = known.get(correction.iri)
        if before is not None and (row.at is not None or existing.in_force(before)):
            done.unchanged += 1
        elif correction.iri not in fresh:
            fresh[correction.iri] = correction if before is None else replace(before, at=correction.at)
    if not fresh:
        return done
    corrections = [c for c in existing.corrections if c.iri not in fresh] + list(fresh.values())
    names, types = organisations(store, Curation(corrections).organisations())
    curation = Curation(corrections, names, types)
    _check_outcome(store, source, curation, fresh, lines)
    done.notes = _without_effect(store, rows, fresh)
    done.recorded = sorted(fresh.values(), key=lambda c: c.order)
    done.graphs = apply_curation(store, curation, graphs_concerned(store, fresh.values()))
    done.summarised = summarise(store) if recount else False
    store.flush()
    return done


def _check_outcome(store: GraphStore, source: str, curation: Curation, fresh: dict[str, Correction],
                   lines: dict[str, int]) -> None:
    """What only the corrections together can break: merges going round in a circle, and a
    recommendation left with more themes than a recommendation carries.

    :raises CurationError: naming the lines that would do it.
    """
    problems = []
    for correction in fresh.values():
        if correction.field == "same-as" and correction.target in curation.cycles():
            problems.append(f"line {lines[correction.iri]}: merging {correction.target} into {correction.value} "
                            "would make a circle of merges")
    query = internal_query("machine-themes")
    for recommendation in sorted({c.target for c in fresh.values() if c.field == "theme" and c.action == "add"}):
        machine = [(str(code), int(str(rank))) for code, rank in store.query(
            query.text, bindings=query.bindings({"recommendation": recommendation})).rows()]
        themes = themes_after(machine, curation.about("theme", recommendation))
        if len(themes) > MAX_THEMES:
            adding = sorted(lines[c.iri] for c in fresh.values() if c.target == recommendation and c.field == "theme")
            problems.append(f"line {adding[0]}: {recommendation} would carry {len(themes)} themes "
                            f"({', '.join(themes)}); a recommendation carries at most {MAX_THEMES}: remove one")
    if problems:
        raise CurationError(source, problems)


def _without_effect(store: GraphStore, rows: list[CorrectionRow], fresh: dict[str, Correction]) -> list[str]:
    """Removals of what the graph does not now hold: recorded (a later reading might hold it),
    but worth saying, since a typo looks the same."""
    notes = []
    wanted = {c.iri for c in fresh.values()}
    for row in rows:
        correction = row.correction(datetime.now(timezone.utc))
        if row.action != "remove" or correction.iri not in wanted:
            continue
        value = value_term(correction)
        if row.field in ("theme", "agency"):
            name, params = "recommendation-holds", {"recommendation": row.target, "value": value}
        elif row.field == "addressee":
            name, params = "label-holds", {"label": row.target, "value": value}
        elif row.field == "agency-type":
            name, params = "agency-type-holds", {"agency": row.target, "value": value}
        else:
            continue
        query = internal_query(name)
        if not store.query(query.text, bindings=query.bindings(params)).boolean:
            notes.append(f"line {row.line}: {row.target} has no {row.field} {row.value} now; recorded, no effect")
    return notes


def export_corrections(store: GraphStore) -> str:
    """Every correction as CSV, in the order recorded, with the time of each (``recorded_at``):
    a file ``dhrkg curate`` reads back into the same corrections.

    >>> from graph import Store
    >>> export_corrections(Store())
    'target,field,action,value,curator,note,recorded_at\\n'
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for c in load_curation(store).corrections:
        writer.writerow([c.target, c.field, c.action, c.value, c.curator, c.note or "", stamp(c.at)])
    return out.getvalue()


def field_values() -> dict[str, list[str]]:
    """The codes each coded field takes, for forms: themes and agency types in scheme order."""
    return {"theme": list(THEMES), "agency-type": list(AGENCY_TYPES)}
