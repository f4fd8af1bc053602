"""Ingest: files and folders → extraction → enrichment → RDF → one transaction per document.

A batch never stops at a bad file: each file's outcome (added, replaced, unchanged,
duplicate, failed) is reported, and a failure leaves what is already stored untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from graph.enrich import AgencyResolver, Gazetteer, enrich
from graph.errors import DhrkgError, ExtractError
from graph.extract import extract, reader_for
from graph.extract.files import file_sha256
from graph.matching import MatchReport, refresh_matches
from graph.rdf import document_triples
from graph.rdf_dataset import dataset_triples
from graph.records import Extraction
from graph.store import Document, GraphStore

Status = Literal["added", "replaced", "unchanged", "duplicate", "failed"]


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file."""

    path: str
    key: str
    status: Status
    message: str | None = None
    warnings: tuple[str, ...] = ()
    recommendations: int = 0


@dataclass
class IngestReport:
    """What one ingest did, file by file."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files no reader claims, inside folders
    matches: MatchReport | None = None  # reviews found in several sources, when anything changed

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self.failed


@dataclass(frozen=True)
class SourceFile:
    """A file to ingest and its key: the path relative to the folder it was found in."""

    path: Path
    key: str


def discover(paths: Iterable[str | Path], *, follow_symlinks: bool = False) -> tuple[list[SourceFile], list[str]]:
    """The files to ingest below ``paths`` (recursively), and the files skipped.

    Inside a folder, only files a reader claims are taken; hidden files are skipped, and
    so is any symlink pointing outside the folder unless ``follow_symlinks``. A file
    named directly is always taken, so an unsupported one is reported as failed.
    """
    found: list[SourceFile] = []
    skipped: list[str] = []
    for given in map(Path, paths):
        if given.is_dir():
            root = given.resolve()
            for path in _walk(given):
                if path.is_symlink() and not follow_symlinks and not path.resolve().is_relative_to(root):
                    skipped.append(f"{path} (symlink out of {given})")
                elif reader_for(path) is None:
                    skipped.append(str(path))
                else:
                    found.append(SourceFile(path, path.relative_to(given).as_posix()))
        else:
            found.append(SourceFile(given, given.name))
    return found, skipped


def _walk(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file():
            yield path


def ingest(store: GraphStore, paths: Iterable[str | Path], *, follow_symlinks: bool = False,
           gazetteer: Sequence[str | Path] = (),
           progress: Callable[[FileOutcome], None] | None = None) -> IngestReport:
    """Ingest files and folders into ``store``, one transaction per document.

    A file whose content is already stored under its key is left alone (unchanged);
    one already stored under another key is skipped (duplicate); a changed file
    replaces its previous version. ``gazetteer`` names Turtle files that extend the
    shipped gazetteer; they are stored too, so the organisations they add can be queried.

    >>> from graph.resources import data_dir
    >>> from graph.store import Store
    >>> store = Store()
    >>> report = ingest(store, [data_dir() / "seed"])
    >>> report.count("added"), store.stats()["recommendations"]
    (1, 35)
    >>> ingest(store, [data_dir() / "seed"]).count("unchanged")
    1
    """
    files, skipped = discover(paths, follow_symlinks=follow_symlinks)
    report = IngestReport(skipped=skipped)
    resolver = AgencyResolver(Gazetteer.load(tuple(Path(g) for g in gazetteer))) if gazetteer else None
    for extension in gazetteer:
        store.add_vocabulary(extension)
    stored = store.documents()
    by_hash = {doc.sha256: doc.key for doc in stored.values()}
    for source in files:
        outcome = _ingest_one(store, source, stored, by_hash, resolver)
        report.outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
    if report.count("added") or report.count("replaced"):
        report.matches = refresh_matches(store)
    store.flush()
    return report


def _ingest_one(store: GraphStore, source: SourceFile, stored: Mapping[str, Document],
                by_hash: dict[str, str], resolver: AgencyResolver | None) -> FileOutcome:
    path = str(source.path)
    try:
        digest = file_sha256(source.path)
        if digest in by_hash:
            if by_hash[digest] == source.key:
                return FileOutcome(path, source.key, "unchanged")
            return FileOutcome(path, source.key, "duplicate", f"same content already stored as {by_hash[digest]}")
        document = extract(source.path)
        now = datetime.now(timezone.utc)
        if isinstance(document, Extraction):
            triples = document_triples(enrich(document, resolver=resolver), source.key, ingested_at=now)
            count = len(document.recommendations)
        else:
            triples = dataset_triples(document, source.key, ingested_at=now)
            count = 0
        store.replace_document(source.key, triples)
    except ExtractError as err:
        return FileOutcome(path, source.key, "failed", err.message)
    except DhrkgError as err:
        return FileOutcome(path, source.key, "failed", f"{path}: {err.message}")
    status: Status = "replaced" if source.key in stored else "added"
    by_hash[document.source.sha256] = source.key
    return FileOutcome(path, source.key, status, None, tuple(document.warnings), count)
