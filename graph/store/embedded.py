"""The embedded store: a persistent (or in-memory) Oxigraph store, used through pyoxigraph.

One writer or many readers at a time (a lock across processes); every write is one
transaction, or a bulk load under a journal that a store reopened after a kill uses to remove
what was half-written. See :mod:`graph.store.base` for the layout of the graph.
"""

from __future__ import annotations

import gc
import re
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, BinaryIO

import pyoxigraph as ox

from graph.errors import DhrkgError, QueryError
from graph.model.terms import DHR, RDF
from graph.rdf.builder import Object, iter_ntriples
from graph.store import updates
from graph.store.base import (
    JOURNAL_GRAPH,
    ONTOLOGY_GRAPH,
    OUTDATE_SUMMARY,
    SUMMARY_GRAPH,
    GraphStore,
    Tracer,
    outdates_summary,
    outdating,
    term_object,
    term_value,
)
from graph.store.curation import correct_triples
from graph.store.parse_errors import explain
from graph.store.prefixes import predeclared
from graph.store.results import Result
from graph.store.safety import prepare

_BLANK_NODE = re.compile(r"^_:|_:\S+ \.$")

CACHE = "dhrkg-cache"
"""The folder, inside the store's, of derived state kept between runs (see :meth:`GraphStore.cache_folder`)."""

BULK_FROM = 100_000
"""New graphs holding at least this many triples in all are bulk-loaded: measured on a store of
12 million triples, a transaction wrote 28,000 triples/s and a bulk load 144,000."""


class Store(GraphStore):
    """The dhrkg graph, embedded (on disk or in memory).

    >>> store = Store()            # in memory, for tests and notebooks
    >>> store.stats()["reviews"]
    0
    """

    sole_writer = True  # the folder is locked: every write goes through this class

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False,
                 tracer: Tracer | None = None, federation: bool = False) -> None:
        """Open the store at ``path``, or an in-memory store when ``path`` is None.

        :raises DhrkgError: when the folder cannot be opened (in use by another
            process, not a store, not writable).
        """
        if read_only and path is None:
            raise ValueError("a read-only store needs a path")
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self.federation = federation  # allow SERVICE (remote queries); off unless asked for
        self._tracer = tracer
        self._lock = _lock(self.path, shared=read_only) if self.path is not None else None
        try:
            if self.path is None:
                self._ox = ox.Store()
            elif read_only:
                self._ox = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._ox = ox.Store(str(self.path))
        except OSError as err:
            raise DhrkgError(_open_error(self.path, err), status=503) from err
        if read_only and (pending := self._pending()):
            raise DhrkgError(f"the store at {self.path} was interrupted while loading {', '.join(pending)}; "
                             "open it once for writing (any dhrkg ingest or link) to remove what was "
                             "half-written", status=503)
        if not read_only:
            self._recover()
            self._load_ontology()

    @classmethod
    def open_read_only(cls, path: str | Path, *, tracer: Tracer | None = None, federation: bool = False) -> Store:
        """Open an existing store for reading only."""
        return cls(path, read_only=True, tracer=tracer, federation=federation)

    def close(self) -> None:
        """Release the store's files and its lock (a write-enabled server hands the store to
        its writer process this way). The object cannot be used afterwards."""
        self.__dict__.pop("_ox", None)
        if self.path is not None:
            # RocksDB lets go of the folder only once the last object holding the store is freed,
            # and a query's solutions caught in a reference cycle (an exception's traceback) hold
            # it until the collector runs: run it, so the store can be opened again at once.
            gc.collect()
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __repr__(self) -> str:
        return f"Store({str(self.path) if self.path else 'memory'}{', read_only' if self.read_only else ''})"

    # ------------------------------------------------------------ reads

    def query(self, sparql: str, *, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
              default_graph: list[str] | None = None, named_graphs: list[str] | None = None) -> Result:
        """Run a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) over the whole graph.

        The ontology's prefixes (``dhr:``, ``skos:``, … see :mod:`graph.store.prefixes`) need no
        declaration. ``bindings`` bind variables to terms (a VALUES block of escaped terms, see
        :func:`~graph.store.safety.bind`), which is how parameters are passed safely.
        ``default_graph``/``named_graphs`` restrict the dataset to those graph IRIs.

        :raises QueryError: saying what is wrong with malformed SPARQL (an update, an unknown
            prefix, the position and what was expected), for FROM naming a graph the store does
            not hold, and for SERVICE unless the store was opened with ``federation=True`` (see
            :mod:`graph.store.safety`).
        """
        inspection, sparql = prepare(sparql, bindings, federation=self.federation)
        self.check_local_graphs(inspection.graphs)
        if self._tracer is not None:
            self._tracer(sparql)
        options: dict[str, object] = {"prefixes": predeclared()}
        if default_graph is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        elif not inspection.graphs:  # FROM / FROM NAMED choose the dataset themselves
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return Result.from_oxigraph(self._ox.query(sparql, **options))  # type: ignore[arg-type]
        except (SyntaxError, RuntimeError, OSError) as err:
            # An error while the answer is read (a SERVICE that fails) leaves pyoxigraph's answer in
            # the frames of its traceback; it may only be dropped on the thread that made it, and
            # the error travels to the one that asked (the web app's), so it is dropped here.
            traceback.clear_frames(err.__traceback__)
            if isinstance(err, SyntaxError):
                raise QueryError(explain(sparql, str(err))) from err
            if isinstance(err, RuntimeError):
                raise QueryError(f"cannot run the query: {err}") from err
            raise DhrkgError(f"the store could not answer: {err}", status=503) from err

    def has_graph(self, graph: str) -> bool:
        return self._ox.contains_named_graph(ox.NamedNode(graph))

    def graph_triples(self, graph: str) -> list[ox.Triple]:
        return [q.triple for q in self._ox.quads_for_pattern(None, None, None, ox.NamedNode(graph))]

    def export(self, output: BinaryIO, format: str = "trig") -> None:
        datasets = {"trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS}
        if format.lower() in datasets:  # straight from the store, without a query
            self._ox.dump(output, format=datasets[format.lower()])
            return
        super().export(output, format)

    def __len__(self) -> int:
        return len(self._ox)

    # The corpus index is rebuilt from these: read straight from the indexes, without a query.

    def graphs(self) -> list[str]:
        return [term_value(g) for g in self._ox.named_graphs()]

    def graph_tuples(self, graph: str) -> list[tuple[str, str, Object]]:
        return [(term_value(q.subject), q.predicate.value, term_object(q.object))  # type: ignore[arg-type]
                for q in self._ox.quads_for_pattern(None, None, None, ox.NamedNode(graph))]

    def predicate_tuples(self, predicate: str) -> Iterator[tuple[str, str, Object]]:
        for q in self._ox.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
            if not isinstance(q.graph_name, ox.DefaultGraph):
                yield term_value(q.graph_name), term_value(q.subject), term_object(q.object)  # type: ignore[arg-type]

    def typed_nodes(self, cls: str) -> Iterator[tuple[str, str]]:
        kind = ox.NamedNode(str(RDF.type))
        for q in self._ox.quads_for_pattern(None, kind, ox.NamedNode(cls), None):
            if not isinstance(q.graph_name, ox.DefaultGraph):
                yield term_value(q.graph_name), term_value(q.subject)  # type: ignore[arg-type]

    def cache_folder(self) -> Path | None:
        return self.path / CACHE if self.path is not None else None

    # ------------------------------------------------------------ writes

    def flush(self) -> None:
        if self.path is not None and not self.read_only:
            self._ox.flush()

    def optimize(self) -> None:
        """Compact the store on disk. Each bulk load adds files that overlap all the others;
        on a store just built from 10,000 reviews (about 60 loads, then the analysis), reading
        across them made queries up to 3x slower (sources 1.9 s -> 0.6 s, agency-centrality
        1.2 s -> 0.75 s). Compacting took 37 s and shrank the store by a third."""
        if self.path is not None and not self.read_only:
            with self._writing():
                self._ox.optimize()

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        items = list(triples)
        if len(items) >= BULK_FROM and not self._ox.contains_named_graph(ox.NamedNode(graph)):
            self._bulk_write({graph: items})
        else:
            super().replace_graph(graph, items)

    def load_new_graphs(self, quads: Path, graphs: Sequence[str], size: int) -> None:
        """Write graphs not yet in the store: a large batch is bulk-loaded under the journal
        straight from the file (measured: bulk-loading 1.3 million quads took as long as parsing
        them into Python objects alone), smaller ones each in a transaction."""
        if size < BULK_FROM or any(self._ox.contains_named_graph(ox.NamedNode(g)) for g in graphs):
            super().load_new_graphs(quads, graphs, size)  # a bulk load would add to a graph already there
            return
        self._bulk_load(graphs, lambda: self._ox.bulk_load(path=str(quads), format=ox.RdfFormat.N_QUADS))

    def _bulk_write(self, graphs: Mapping[str, list[ox.Triple]]) -> None:
        self._bulk_load(list(graphs), lambda: self._ox.bulk_extend(
            ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
            for graph, triples in graphs.items() for t in triples))

    def _bulk_load(self, graphs: Sequence[str], load: Callable[[], object]) -> None:
        """Bulk-load new graphs: several times faster than a transaction, but not atomic, so the
        journal names the graphs first and forgets them once loaded; a store reopened after an
        interruption removes what the journal still names (:meth:`_recover`)."""
        journal = ox.NamedNode(str(JOURNAL_GRAPH))
        pending = ox.NamedNode(str(DHR.pendingGraph))
        entries = [ox.Quad(journal, pending, ox.NamedNode(graph), journal) for graph in graphs]
        if any(outdates_summary(graph) for graph in graphs):
            self.outdate_summary()
        with self._writing():
            try:
                self._ox.extend(entries)
                load()
                self._ox.update(updates.delete_data(JOURNAL_GRAPH, "\n".join(iter_ntriples(e.triple for e in entries))))
            except OSError:
                self._recover()
                raise

    def _journal(self) -> list[ox.Quad]:
        """The journal's entries: the graphs bulk loads have named and not yet forgotten."""
        journal = ox.NamedNode(str(JOURNAL_GRAPH))
        return list(self._ox.quads_for_pattern(None, ox.NamedNode(str(DHR.pendingGraph)), None, journal))

    def _recover(self) -> None:
        """Remove the graphs an interrupted bulk load left half-written, then their journal entries."""
        entries = self._journal()
        if any(outdates_summary(str(entry.object.value)) for entry in entries):  # type: ignore[union-attr]
            self.outdate_summary()  # a document removed: the corpus index no longer describes the store
        for entry in entries:
            self._ox.remove_graph(entry.object)  # type: ignore[arg-type]
            self._ox.remove(entry)

    def _pending(self) -> list[str]:
        return [str(entry.object.value) for entry in self._journal()]  # type: ignore[union-attr]

    def replace_graph_text(self, graph: str, ntriples: str) -> None:
        """Replace a named graph in one transaction, writing only what changed.

        A new graph is loaded whole; an existing one gets one update deleting the triples that
        went and inserting those that came: on disk, removing a triple costs about as much as
        writing four, so re-running an analysis or re-ingesting an edited file stays cheap.
        """
        name = ox.NamedNode(graph)
        with self._writing():
            if not self._ox.contains_named_graph(name):
                if ntriples.count("\n") + 1 >= BULK_FROM:  # a first analysis of thousands of reviews
                    self._bulk_load([graph], lambda: self._ox.bulk_load(
                        ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=name))
                    return
                if outdates_summary(graph):
                    self.outdate_summary()
                self._ox.load(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=name)
                return
            dumped = self._ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name) or b""
        old = set(dumped.decode("utf-8").splitlines())
        new = {line for line in ntriples.splitlines() if line}
        removed, added = old - new, new - old
        if any(_BLANK_NODE.search(line) for line in removed | added):  # DELETE DATA cannot name one
            super().replace_graph_text(graph, ntriples)
        elif removed or added:
            gone, came = "\n".join(removed), "\n".join(added)
            self._write(updates.sequence([outdating(graph), updates.delete_data(graph, gone),
                                          updates.insert_data(graph, came)]))

    def _write(self, update: str) -> None:
        with self._writing():
            self._ox.update(update)

    def outdate_summary(self) -> None:
        summary = ox.NamedNode(str(SUMMARY_GRAPH))
        if next(self._ox.quads_for_pattern(summary, ox.NamedNode(str(DHR.summaryFingerprint)), None, summary), None):
            self._write(OUTDATE_SUMMARY)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Around every write: refused on a read-only store, and a storage error becomes a
        DhrkgError naming the store."""
        if self.read_only:
            raise DhrkgError("this store is open read-only", status=403)
        try:
            yield
        except OSError as err:
            raise DhrkgError(f"could not write to the store at {self.path}: {err}", status=503) from err

    def _load_ontology(self) -> None:
        version, triples = self.ontology_version()
        marker = ox.Quad(ox.NamedNode(str(ONTOLOGY_GRAPH)), ox.NamedNode(str(DHR.sha256)),
                         ox.Literal(version), ox.NamedNode(str(ONTOLOGY_GRAPH)))
        if marker not in self._ox:
            self.replace_graph(str(ONTOLOGY_GRAPH), correct_triples(self, triples))


def _lock(path: Path, *, shared: bool) -> IO[str] | None:
    """A readers-writer lock across processes: one writer, or any number of readers.

    RocksDB locks out a second writer but not a reader opened beside a writer, which
    pyoxigraph calls undefined behaviour; so `dhrkg serve` (a reader) and `dhrkg ingest`
    (a writer) on the same folder refuse each other with a clear message instead.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: RocksDB's own lock still guards writers
        return None
    if not shared:
        path.mkdir(parents=True, exist_ok=True)
    try:
        handle = open(path / "dhrkg.lock", "a+")  # noqa: SIM115 - held for the store's lifetime
    except OSError as err:
        if shared:
            return None  # a read-only folder: nobody can be writing to it through dhrkg
        raise DhrkgError(f"cannot open the store at {path}: {err.strerror or err}", status=503) from err
    try:
        fcntl.flock(handle, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        if shared:
            raise DhrkgError(f"the store at {path} is being written by another dhrkg process (an ingest); "
                             "try again when it has finished", status=503) from None
        raise DhrkgError(f"the store at {path} is in use by another dhrkg process (a running `dhrkg serve` "
                         "or another ingest): stop it first, or write through a SPARQL server with "
                         "--store sparql+http://…", status=503) from None
    return handle


def _open_error(path: Path | None, err: OSError) -> str:
    message = str(err)
    if "lock" in message.lower():
        return (f"the store at {path} is in use by another dhrkg process (a running `dhrkg serve`?); "
                f"stop it, or send writes through it, or use another --store")
    return f"cannot open the store at {path}: {message}"

