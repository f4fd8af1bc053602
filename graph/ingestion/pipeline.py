"""Ingest: files and folders → extraction → enrichment → RDF → one transaction per document.

A batch never stops at a bad file: each file's outcome (added, replaced, unchanged,
duplicate, failed) is reported, and a failure leaves what is already stored untouched.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from graph.enrich import AgencyResolver, Gazetteer, enrich
from graph.errors import DhrkgError, ExtractError
from graph.extraction import extract, reader_for
from graph.extraction.files import file_sha256
from graph.extraction.library_record import is_record, record_sha256
from graph.ingestion.corpus_summary import CorpusSummary
from graph.ingestion.matching import MatchReport
from graph.model.iris import source_iri
from graph.model.records import Extraction
from graph.rdf.corrections import Curation
from graph.rdf.datasets import dataset_tuples
from graph.rdf.digest import DocumentDigest, digest
from graph.rdf.documents import READER_VERSION, document_tuples
from graph.store.base import GraphStore, StoredDocument, nquads, split_quads, term_object, term_value
from graph.store.corpus_index import CorpusIndex
from graph.store.curation import correct_text, load_curation

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
    summarised: bool = False  # the whole-corpus counts were counted afresh (graph.ingestion.corpus_summary)

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
    so is any symlink pointing outside the folder unless ``follow_symlinks``; a library record
    (``REPORT.pdf.library.json``) is read with its report, not on its own. A file named
    directly is always taken, so an unsupported one is reported as failed.
    """
    found: list[SourceFile] = []
    skipped: list[str] = []
    for given in map(Path, paths):
        if given.is_dir():
            root = given.resolve()
            for path in _walk(given):
                if path.is_symlink() and not follow_symlinks and not path.resolve().is_relative_to(root):
                    skipped.append(f"{path} (symlink out of {given})")
                elif is_record(path):
                    continue
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


PER_FILE_SECONDS = 300
"""A file whose reading takes longer than this fails on its own (a hostile or broken PDF)."""
POOL_FROM = 4
"""With at least this many files to read and more than one core, files are read in parallel."""
BATCH_TRIPLES = 20_000_000
"""New documents are spooled to a file as N-Quads and written in batches of at most this many
triples, each bulk-loaded from the file in one go (see
:meth:`graph.store.embedded.Store.load_new_graphs`), each document complete or absent. A bulk load
into a store that holds data already costs more than its share, and one running beside the
readers competes with them for the cores: on 1,000 generated reviews (1.3 million quads, this
2-core machine) four loads of 400,000 took 33 s where one took 17 s, so a batch is as large as
memory-light spooling allows, and the summary is counted while it loads."""


@dataclass(frozen=True)
class Prepared:
    """A file read, enriched and turned into N-Quads, ready to be written (picklable)."""

    sha256: str
    body: bytes  # the document's triples as N-Quads lines in its graph, UTF-8
    triples: int
    warnings: tuple[str, ...]
    recommendations: int
    digest: DocumentDigest


def prepare(path: Path, key: str, gazetteer: tuple[str, ...] = ()) -> Prepared:
    """Read one file into the triples of its document and their digest, touching no store.

    :raises ExtractError: naming the file and the problem.
    """
    document = extract(path)
    now = datetime.now(timezone.utc)
    if isinstance(document, Extraction):
        resolver = AgencyResolver(Gazetteer.load(tuple(Path(g) for g in gazetteer))) if gazetteer else None
        out = document_tuples(enrich(document, resolver=resolver), key, ingested_at=now)
        count = len(document.recommendations)
    else:
        out = dataset_tuples(document, key, ingested_at=now)
        count = 0
    graph = str(source_iri(key))
    return Prepared(document.source.sha256, nquads(graph, out.lines()).encode("utf-8"), len(out.tuples),
                    tuple(document.warnings), count, digest(key, graph, out.tuples))


def _prepare_in_worker(path: Path, key: str, gazetteer: tuple[str, ...], seconds: int) -> Prepared | ExtractError:
    """``prepare`` in a worker process, stopped after ``seconds``; errors come back as values."""
    import signal

    def too_long(*_: object) -> None:
        raise ExtractError(str(path), f"reading took longer than {seconds} s; skipped")

    signal.signal(signal.SIGALRM, too_long)
    signal.alarm(seconds)
    try:
        return prepare(path, key, gazetteer)
    except ExtractError as err:
        return err
    except DhrkgError as err:
        return ExtractError(str(path), err.message)
    except Exception as err:  # noqa: BLE001 - a reader bug must fail this file, not the batch
        return ExtractError(str(path), f"could not be read ({type(err).__name__}: {err})")
    finally:
        signal.alarm(0)


def ingest(store: GraphStore, paths: Iterable[str | Path], *, follow_symlinks: bool = False,
           gazetteer: Sequence[str | Path] = (), workers: int | None = None, per_file_seconds: int = PER_FILE_SECONDS,
           progress: Callable[[FileOutcome], None] | None = None) -> IngestReport:
    """Ingest files and folders into ``store``, one transaction per document.

    A file whose content is already stored under its key is left alone (unchanged), unless an
    older version of dhrkg read it (see :data:`graph.rdf.documents.READER_VERSION`) or the library
    record beside it changed (see :mod:`graph.extraction.library_record`);
    one already stored under another key is skipped (duplicate); a changed file
    replaces its previous version. ``gazetteer`` names Turtle files that extend the
    shipped gazetteer; they are stored too, so the organisations they add can be queried.
    Files are read in parallel worker processes (``workers``, default: every core) when
    there are several, and written by this process: new documents in batches, changed ones one
    at a time.

    >>> from graph.resources import data_dir
    >>> from graph.store.embedded import Store
    >>> store = Store()
    >>> report = ingest(store, [data_dir() / "seed"])
    >>> report.count("added"), store.stats()["recommendations"]
    (1, 35)
    >>> ingest(store, [data_dir() / "seed"]).count("unchanged")
    1
    """
    files, skipped = discover(paths, follow_symlinks=follow_symlinks)
    report = IngestReport(skipped=skipped)
    extensions = tuple(str(g) for g in gazetteer)
    for extension in gazetteer:
        store.add_vocabulary(extension)
    summary = CorpusSummary.open(store)  # what the summary counted: the changes are counted against it
    stored = summary.index.stored()  # the store's documents, as its index holds them
    by_hash = {doc.sha256: doc.key for doc in stored.values()}
    curation = load_curation(store)  # curated corrections are applied to each document as it is written

    def record(outcome: FileOutcome) -> None:
        report.outcomes.append(outcome)
        if progress is not None:
            progress(outcome)

    pending: list[SourceFile] = []
    reread = False  # a file read again with the same content (a new reader, a changed library record)
    for source in files:
        try:
            sha, library = file_sha256(source.path), record_sha256(source.path)
        except ExtractError as err:
            record(FileOutcome(str(source.path), source.key, "failed", err.message))
            continue
        if by_hash.get(sha) == source.key and stored[source.key].reader == READER_VERSION \
                and stored[source.key].record_sha256 == library:
            record(FileOutcome(str(source.path), source.key, "unchanged"))
        elif by_hash.get(sha) == source.key:  # read by an older dhrkg, or its library record changed: read again
            del by_hash[sha]
            pending.append(source)
            reread = True
        elif sha in by_hash:
            record(FileOutcome(str(source.path), source.key, "duplicate",
                               f"same content already stored as {by_hash[sha]}"))
        else:
            pending.append(source)

    if reread:
        # The analysis tells changed documents by their content's hash, which a file read again
        # keeps: its kept state is dropped, so the next `dhrkg link` computes everything.
        summary.index.begin()
        summary.index.forget_analysis()
    changes: dict[str, DocumentDigest] = {}
    staging = summary.fresh  # counted afresh at the end: index new documents as they are written
    counted = False
    with _Writer(store, record, changes, summary.stage if staging else None) as writer:
        for source, prepared in _prepared(pending, extensions, workers, per_file_seconds):
            if isinstance(prepared, Prepared) and curation:
                prepared = _curated(curation, source.key, prepared)
            if isinstance(prepared, Prepared) and source.key not in stored and prepared.sha256 not in by_hash:
                by_hash[prepared.sha256] = source.key
                writer.add(source, prepared)
            else:
                writer.wait()  # one write at a time
                outcome = _write(store, source, prepared, stored, by_hash)
                if outcome.status in ("added", "replaced") and isinstance(prepared, Prepared):
                    changes[source.key] = prepared.digest
                record(outcome)
        if staging and (writer.handed or changes or summary.index.rebuilt):
            writer.flush()  # the last batch is written while the summary is counted
            report.matches = summary.update({**writer.handed, **changes}, defer=True)
            writer.wait()
            counted = not writer.failed
            if writer.failed:  # counted with documents that are not in the store: count again
                summary.index.db.execute("ROLLBACK")
                summary = CorpusSummary(store, CorpusIndex.rebuild(store))
                staging = False
    if counted:
        summary.finish()
        report.summarised = True
    elif changes or summary.index.rebuilt:
        report.matches = summary.update(changes)
        report.summarised = True
    store.flush()
    return report


class _Writer:
    """New documents spooled to a file as N-Quads and written a batch at a time, each batch
    in a thread of its own while the next one is read (a bulk load waits on the disk)."""

    def __init__(self, store: GraphStore, record: Callable[[FileOutcome], None],
                 changes: dict[str, DocumentDigest], written: Callable[[list[DocumentDigest]], None] | None) -> None:
        import tempfile
        from concurrent.futures import ThreadPoolExecutor

        self.store, self.record, self.changes, self.written = store, record, changes, written
        self.handed: dict[str, DocumentDigest] = {}  # documents given to the loader, by key
        self.failed: list[str] = []  # … that could not be written
        folder = store.cache_folder()
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        self.folder = tempfile.TemporaryDirectory(prefix="dhrkg-spool-", dir=folder)
        self.loader = ThreadPoolExecutor(max_workers=1)
        self.loading: Future[None] | None = None
        self.spools = 0
        self._open()

    def _open(self) -> None:
        self.spools += 1
        self.path = Path(self.folder.name) / f"batch-{self.spools}.nq"
        self.file = self.path.open("wb")
        self.batch: dict[str, tuple[SourceFile, Prepared]] = {}
        self.size = 0

    def __enter__(self) -> _Writer:
        return self

    def add(self, source: SourceFile, prepared: Prepared) -> None:
        graph = str(source_iri(source.key))
        if graph in self.batch:  # the same key read from two folders: the later one replaces the earlier
            self.flush()
        self.file.write(prepared.body)
        self.batch[graph] = (source, prepared)
        self.size += prepared.triples
        if self.size >= BATCH_TRIPLES:
            self.flush()

    def flush(self) -> None:
        """Hand the batch to the loader thread (after the previous one) and start the next."""
        if not self.batch:
            return
        self.file.close()
        self.wait()
        path, batch, size = self.path, self.batch, self.size
        self.handed.update((source.key, prepared.digest) for source, prepared in batch.values())
        self.loading = self.loader.submit(self._load, path, batch, size)
        if self.written is not None:  # indexed while the batch loads (a failed load is undone by the caller)
            self.written([prepared.digest for _, prepared in batch.values()])
        self._open()

    def _load(self, path: Path, batch: dict[str, tuple[SourceFile, Prepared]], size: int) -> None:
        try:
            self.store.load_new_graphs(path, list(batch), size)
        except DhrkgError as err:
            for source, _ in batch.values():
                self.failed.append(source.key)
                self.handed.pop(source.key, None)
                self.record(FileOutcome(str(source.path), source.key, "failed", f"{source.path}: {err.message}"))
        else:
            for source, prepared in batch.values():
                self.changes[source.key] = prepared.digest
                self.record(FileOutcome(str(source.path), source.key, "added", None, prepared.warnings,
                                        prepared.recommendations))
        finally:
            path.unlink(missing_ok=True)

    def wait(self) -> None:
        """Until the batch being loaded is written."""
        if self.loading is not None:
            self.loading.result()
            self.loading = None

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self.flush()
            self.wait()
        finally:
            self.file.close()
            self.loader.shutdown()
            self.folder.cleanup()


def _prepared(pending: list[SourceFile], gazetteer: tuple[str, ...], workers: int | None,
              seconds: int) -> Iterator[tuple[SourceFile, Prepared | ExtractError]]:
    """Each pending file read, in input order: inline, or in a pool of worker processes."""
    cores = workers if workers is not None else (os.cpu_count() or 1)
    if cores <= 1 or len(pending) < POOL_FROM:
        for source in pending:
            try:
                yield source, prepare(source.path, source.key, gazetteer)
            except ExtractError as err:
                yield source, err
            except DhrkgError as err:
                yield source, ExtractError(str(source.path), err.message)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: spawn and forkserver re-run the caller's main module in every worker, which a
    # script without an `if __name__ == "__main__"` guard cannot survive. The workers only
    # read files and never touch the store or the caller's threads.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=cores, mp_context=multiprocessing.get_context(method)) as pool:
        futures = [(source, pool.submit(_prepare_in_worker, source.path, source.key, gazetteer, seconds))
                   for source in pending]
        for source, future in futures:
            try:
                yield source, future.result()
            except Exception as err:  # noqa: BLE001 - a worker that died fails its file only
                yield source, ExtractError(str(source.path), f"could not be read ({type(err).__name__})")


def _curated(curation: Curation, key: str, prepared: Prepared) -> Prepared:
    """``prepared`` with the curated corrections in force applied (itself when none concerns the
    document), so the store and the corpus index both hold what curators said."""
    graph = str(source_iri(key))
    text = split_quads(prepared.body.decode("utf-8"), [graph])[graph]
    corrected = correct_text(curation, graph, text)
    if corrected == text:
        return prepared
    triples = [q.triple for q in ox.parse(corrected.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]
    tuples = [(term_value(t.subject), t.predicate.value, term_object(t.object)) for t in triples]
    return replace(prepared, body=nquads(graph, corrected.splitlines()).encode("utf-8"), triples=len(tuples),
                   digest=digest(key, graph, tuples))


def _write(store: GraphStore, source: SourceFile, prepared: Prepared | ExtractError,
           stored: Mapping[str, StoredDocument], by_hash: dict[str, str]) -> FileOutcome:
    path = str(source.path)
    if isinstance(prepared, ExtractError):
        return FileOutcome(path, source.key, "failed", prepared.message)
    if prepared.sha256 in by_hash:  # an identical file earlier in this batch
        return FileOutcome(path, source.key, "duplicate", f"same content already stored as {by_hash[prepared.sha256]}")
    graph = str(source_iri(source.key))
    try:
        store.replace_graph_text(graph, split_quads(prepared.body.decode("utf-8"), [graph])[graph])
    except DhrkgError as err:
        return FileOutcome(path, source.key, "failed", f"{path}: {err.message}")
    by_hash[prepared.sha256] = source.key
    status: Status = "replaced" if source.key in stored else "added"
    return FileOutcome(path, source.key, status, None, prepared.warnings, prepared.recommendations)
