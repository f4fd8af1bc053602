"""Recording implementation progress: status files a CSP coordinator imports, and their export.

A status file is CSV with a header and one row per observation::

    target,status,as_of,note,recorded_by
    recommendation/3f2a…-4-9c1d…,completed,2025-03-14,Policy re-issued to all staff,CSP coordinator

``target`` is a recommendation or action IRI, in full or as its page shows it
(``recommendation/…``); ``status`` is a code or label of the implementation-status scheme
(``ontology/implementation.ttl``); ``as_of`` is a date (``YYYY-MM-DD``). Every row is checked
before anything is written: a row naming an unknown IRI, status or date is reported by its
line, and then nothing at all is written. A file's observations go into a graph of their own,
named by the file's content, so importing the same file again changes nothing and an edited
file adds to the history instead of rewriting it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Literal

from graph.errors import DhrkgError, QueryError
from graph.extraction.plan_fields import status_code
from graph.ingestion.row_files import RowProblems, read_table
from graph.model.iris import short_hash
from graph.model.terms import DHR, ID, PROV, RDF, STATUSES, XSD, implementation_status
from graph.rdf.builder import Triples, string, typed
from graph.store.base import STATUS_GRAPHS, GraphStore
from graph.store.named_queries import internal_query

COLUMNS = ("target", "status", "as_of", "note", "recorded_by")
REQUIRED = ("target", "status", "as_of")


@dataclass(frozen=True)
class StatusRow:
    """One checked row of a status file."""

    line: int
    target: str  # the full IRI
    status: str  # a code of the scheme
    as_of: str  # YYYY-MM-DD
    note: str | None = None
    recorded_by: str | None = None


@dataclass
class StatusImport:
    """What importing one status file did."""

    path: str
    outcome: Literal["imported", "unchanged"]
    rows: list[StatusRow] = field(default_factory=list)
    graph: str = ""


class StatusFileError(RowProblems):
    """A status file with rows that cannot be applied; nothing of it was written."""

    def __init__(self, path: str, problems: list[str]) -> None:
        super().__init__(path, problems, outcome="nothing imported")


def read_rows(store: GraphStore, path: Path, text: str) -> list[StatusRow]:
    """Every row of a status file, checked against the store.

    :raises StatusFileError: listing each bad row by its line.
    """
    problem, table = read_table(text, REQUIRED, COLUMNS)
    if problem:
        raise StatusFileError(str(path), [problem])
    rows: list[StatusRow] = []
    problems: list[str] = []
    known: dict[str, str | None] = {}
    for number, cells in table:
        errors: list[str] = []
        target = _target(store, cells.get("target", ""), known, errors)
        status = _status(cells.get("status", ""), errors)
        as_of = _date(cells.get("as_of", ""), errors)
        if errors:
            problems.extend(f"line {number}: {error}" for error in errors)
            continue
        assert target and status and as_of
        rows.append(StatusRow(number, target, status, as_of, cells.get("note") or None,
                              cells.get("recorded_by") or None))
    if problems:
        raise StatusFileError(str(path), problems)
    return rows


def _target(store: GraphStore, value: str, known: dict[str, str | None], errors: list[str]) -> str | None:
    if not value:
        errors.append("no target (a recommendation or action IRI)")
        return None
    query = internal_query("status-target")
    try:
        bindings = query.bindings({"target": value})
    except QueryError:
        errors.append(f"{value!r} is not an IRI")
        return None
    iri = next(iter(bindings.values())).value
    if iri not in known:
        rows = store.query(query.text, bindings=bindings).rows()
        known[iri] = str(rows[0][1]) if rows else None
    if known[iri] is None:
        errors.append(f"no recommendation or action {value} in this graph")
        return None
    return iri


def _status(value: str, errors: list[str]) -> str | None:
    code = value if value in STATUSES else status_code(value)
    if code is None:
        errors.append(f"unknown status {value!r} (use one of {', '.join(STATUSES)})")
    return code


def _date(value: str, errors: list[str]) -> str | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        errors.append(f"as_of {value!r} is not a date written YYYY-MM-DD")
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        errors.append(f"as_of {value!r} is not a real date")
        return None
    return value


def import_status(store: GraphStore, path: str | Path) -> StatusImport:
    """Import one status file, all of it or nothing; the same file twice changes nothing.

    :raises StatusFileError: naming each bad row by its line (nothing is written).
    :raises DhrkgError: when the file cannot be read.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DhrkgError(f"{path}: cannot read file: {err.strerror or err}") from err
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DhrkgError(f"{path}: not UTF-8 text (byte {err.start})") from err
    digest = hashlib.sha256(data).hexdigest()
    graph = f"{STATUS_GRAPHS}{digest[:16]}"
    exists = internal_query("graph-exists")
    if store.query(exists.text, bindings=exists.bindings({"graph": graph})).boolean:
        return StatusImport(str(path), "unchanged", graph=graph)
    rows = read_rows(store, path, text)
    store.replace_graph(graph, _triples(rows, path.name, digest).items)
    return StatusImport(str(path), "imported", rows, graph)


def _triples(rows: list[StatusRow], name: str, digest: str) -> Triples:
    out = Triples()
    source = ID[f"status-file/{digest[:16]}"]
    out.add(source, RDF.type, DHR.StatusFile)
    out.add(source, DHR.sourcePath, string(name))
    out.add(source, DHR.sha256, string(digest))
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    out.add(source, PROV.generatedAtTime, typed(stamp, XSD.dateTime))
    for row in rows:
        # Named by what it says, so the same row in two files is one observation with two sources.
        said = "\x1f".join((row.target, row.status, row.as_of, row.note or "", row.recorded_by or ""))
        observation = ID[f"status/{short_hash(said)}"]
        out.add(observation, RDF.type, DHR.StatusObservation)
        out.add(observation, DHR.statusOf, row.target)
        out.add(observation, DHR.observedStatus, implementation_status(row.status))
        out.add(observation, DHR.asOf, typed(row.as_of, XSD.date))
        out.add(observation, PROV.wasDerivedFrom, source)
        out.add(observation, PROV.wasGeneratedBy, DHR.StatusImport)
        if row.status == "completed":
            out.add(observation, DHR.completedOn, typed(row.as_of, XSD.date))
        if row.note:
            out.add(observation, DHR.note, string(row.note))
        if row.recorded_by:
            out.add(observation, DHR.recordedBy, string(row.recorded_by))
    return out


def export_status(store: GraphStore) -> str:
    """Every status observation as CSV, oldest first: the import columns plus where each came from
    (a document's key or a status file's name)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, "source"])
    for row in store.query(internal_query("status-history").text).to_dicts():
        writer.writerow([row["target"], row["status"], row.get("asOf") or "", row.get("note") or "",
                         row.get("recordedBy") or "", row.get("sourceKey") or row["source"]])
    return out.getvalue()
