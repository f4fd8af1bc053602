"""The graph store: an embedded, persistent Oxigraph store, used through pyoxigraph.

Layout of the data:

- one named graph per source document (IRI = the document's IRI), holding every
  triple read from it, so re-ingesting a file replaces exactly its triples, in one
  transaction;
- one named graph for the ontology (model, schemes, gazetteer), reloaded when the
  shipped Turtle changes;
- graphs derived from the documents: the analysis (links, clusters, scores), the matches
  between records of one review, and the corpus summary (whole-corpus counts, see
  :mod:`graph.summary`), which every other write marks out of date.

Queries see the union of all graphs as their default graph. Reads go through
:meth:`Store.query` (read-only, typed results); writes only through
:meth:`Store.replace_document` and :meth:`Store.remove_document`.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

import pyoxigraph as ox

from graph.errors import DhrkgError, QueryError
from graph.iris import source_iri
from graph.named_queries import internal_query, named_query
from graph.rdf import iter_ntriples
from graph.resources import ontology_dir
from graph.results import Result
from graph.sparql_safety import check_local_only, has_dataset_clause, inline_bindings
from graph.terms import DHR, ID

_BLANK_NODE = re.compile(r"^_:|_:\S+ \.$")

ONTOLOGY_GRAPH = ID["graph/ontology"]
"""The named graph holding the shipped ontology, schemes and gazetteer."""

JOURNAL_GRAPH = ID["graph/journal"]
"""Names the graphs being bulk-loaded while the load runs (see :meth:`Store.write_new_graphs`)."""

ANALYSIS_GRAPH = ID["graph/analysis"]
"""Links, clusters, communities and agency scores (:func:`graph.analysis.analyse`)."""

SUMMARY_GRAPH = ID["graph/summary"]
"""The corpus summary's marker; each summarised report's tallies are in a graph of their own
under it (:func:`graph.summary.summarise`)."""
OUTDATE_SUMMARY = (f"DELETE WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ <{SUMMARY_GRAPH}> <{DHR.summaryFingerprint}> "
                   "?fingerprint } }")
"""The update that marks the corpus summary out of date; run before any write it does not survive."""

BULK_FROM = 100_000
"""New graphs holding at least this many triples in all are bulk-loaded: measured on a store of
12 million triples, a transaction wrote 28,000 triples/s and a bulk load 144,000."""

Tracer = Callable[[str], None]


def default_store_path() -> Path:
    """Where the store lives unless ``--store``/``DHRKG_STORE`` says otherwise:
    ``$XDG_DATA_HOME/dhrkg/store`` (``~/.local/share/dhrkg/store``)."""
    if env := os.environ.get("DHRKG_STORE"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "dhrkg" / "store"


def ontology_files() -> list[Path]:
    """The Turtle files loaded into the ontology graph (shapes are for validation only)."""
    return sorted(p for p in ontology_dir().glob("*.ttl") if p.name != "shapes.ttl")


@dataclass(frozen=True)
class Document:
    """A source document already in the store."""

    key: str
    iri: str
    sha256: str
    reader: int | None = None  # the reader version that read it (None: before versions were kept)


class GraphStore:
    """What every dhrkg store offers, embedded or remote: typed queries, named queries,
    counts, and writes of whole documents or derived graphs, each in one transaction.

    Subclasses provide :meth:`query`, :meth:`_write` and :meth:`__len__`.
    """

    path: Path | None = None
    read_only: bool = False
    federation: bool = False  # allow SERVICE (remote queries); off unless asked for

    # ------------------------------------------------------------ reads

    def query(self, sparql: str, *, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
              default_graph: list[str] | None = None, named_graphs: list[str] | None = None) -> Result:
        """Run a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) over the whole graph."""
        raise NotImplementedError

    def named(self, name: str, /, **params: object) -> Result:
        """Run a named query from the shipped library with its parameters bound.

        >>> Store().named("stats").to_dicts()[0]["reviews"]
        0
        """
        query = named_query(name)
        return self.query(query.text, bindings=query.bindings(params))

    def stats(self) -> dict[str, int]:
        """Counts of reviews, recommendations, agencies, CSPs, sources and triples."""
        counts = {k: int(v) for k, v in self.named("stats").to_dicts()[0].items()}  # type: ignore[arg-type]
        counts["triples"] = len(self)
        return counts

    def documents(self) -> dict[str, Document]:
        """The source documents in the store, by key (their path relative to where they were ingested from)."""
        rows = self.query(internal_query("documents").text).to_dicts()
        return {
            str(row["key"]): Document(str(row["key"]), str(row["source"]), str(row["sha256"]),
                                      int(str(row["reader"])) if "reader" in row else None)
            for row in sorted(rows, key=lambda row: str(row["key"]))
        }

    def export(self, output: BinaryIO, format: str = "trig") -> None:
        """Write the whole store: ``trig``/``nq`` keep the named graphs, ``ttl``/``nt``/``jsonld``
        write their union."""
        fmt = format.lower()
        if fmt in ("trig", "nq"):
            rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").terms()
            quads = [ox.Quad(s, p, o, g) for s, p, o, g in rows]  # type: ignore[arg-type]
            output.write(ox.serialize(quads, format=ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.N_QUADS)
                         or b"")
            return
        everything = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        try:
            output.write(everything.serialize(fmt))
        except ValueError:
            raise DhrkgError(f"cannot export as {format!r}; use trig, nq, ttl, nt or jsonld") from None

    def __len__(self) -> int:
        raise NotImplementedError

    # ------------------------------------------------------------ writes

    def replace_document(self, key: str, triples: Iterable[ox.Triple]) -> None:
        """Store a document's triples in its named graph, replacing what was there, in one
        transaction: afterwards the store holds the old version or the new one, never a mix."""
        self.replace_graph(str(source_iri(key)), triples)

    def add_vocabulary(self, path: str | Path) -> str:
        """Load a user's Turtle file (a gazetteer extension, extra schemes) into its own named
        graph, replacing an earlier version of the same file; returns the graph IRI.

        :raises DhrkgError: naming the file when it is not valid Turtle.
        """
        path = Path(path)
        graph = str(ID[f"graph/vocabulary/{path.stem}"])
        try:
            triples = [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
        except (SyntaxError, OSError) as err:
            raise DhrkgError(f"{path}: not a readable Turtle file: {err}") from err
        self.replace_graph(graph, triples)
        return graph

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (one transaction). Only the write-enabled web endpoint uses this;
        ingest writes documents through :meth:`replace_document`.

        :raises QueryError: for malformed SPARQL Update.
        """
        check_local_only(sparql, federation=self.federation)
        try:
            self.outdate_summary()
            self._write(sparql)
        except SyntaxError as err:
            raise QueryError(f"malformed SPARQL Update: {err}") from err

    def remove_document(self, key: str) -> None:
        """Remove a document and everything read from it."""
        self.outdate_summary()
        self._write(f"DROP SILENT GRAPH <{source_iri(key)}>")

    def flush(self) -> None:
        """Make writes durable (a no-op where every write already is)."""

    def optimize(self) -> None:
        """Compact the store's files after large writes (a no-op where the server does it)."""

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        """Replace a named graph (a document, matches, links) in one transaction."""
        self.replace_graph_text(graph, "\n".join(iter_ntriples(list(triples))))

    def write_new_graphs(self, graphs: Mapping[str, str]) -> None:
        """Write graphs not yet in the store, each given as N-Triples lines; afterwards each is
        either complete or absent."""
        for graph, ntriples in graphs.items():
            self.replace_graph_text(graph, ntriples)

    def replace_graph_text(self, graph: str, ntriples: str) -> None:
        """Replace a named graph by triples already written as N-Triples lines (as worker
        processes hand them over), in one transaction."""
        self._write(f"{_outdating(graph)}DROP SILENT GRAPH <{graph}> ;\n"
                    f"INSERT DATA {{ GRAPH <{graph}> {{\n{ntriples}\n}} }}")

    def _write(self, update: str) -> None:
        raise NotImplementedError

    def outdate_summary(self) -> None:
        """Mark the corpus summary out of date, so the reports count from the documents until
        :func:`graph.summary.summarise` counts afresh (every write that changes what the summary
        counts does this itself)."""
        self._write(OUTDATE_SUMMARY)

    def ontology_version(self) -> tuple[str, list[ox.Triple]]:
        """The version (hash) of the shipped ontology files and their triples, with a marker."""
        files = ontology_files()
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        version = digest.hexdigest()
        triples: list[ox.Triple] = []
        for path in files:
            try:
                triples.extend(q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
            except SyntaxError as err:
                raise DhrkgError(f"{path}: invalid Turtle: {err}") from err
        triples.append(ox.Triple(ox.NamedNode(str(ONTOLOGY_GRAPH)), ox.NamedNode(str(DHR.sha256)), ox.Literal(version)))
        return version, triples


class Store(GraphStore):
    """The dhrkg graph, embedded (on disk or in memory).

    >>> store = Store()            # in memory, for tests and notebooks
    >>> store.stats()["reviews"]
    0
    """

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

    def __repr__(self) -> str:
        return f"Store({str(self.path) if self.path else 'memory'}{', read_only' if self.read_only else ''})"

    # ------------------------------------------------------------ reads

    def query(self, sparql: str, *, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
              default_graph: list[str] | None = None, named_graphs: list[str] | None = None) -> Result:
        """Run a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) over the whole graph.

        ``bindings`` bind variables to terms (a VALUES block of escaped terms, see
        :func:`~graph.sparql_safety.inline_bindings`), which is how parameters are passed safely.
        ``default_graph``/``named_graphs`` restrict the
        dataset to those graph IRIs.

        :raises QueryError: with the parser's message for malformed SPARQL, and for SERVICE
            unless the store was opened with ``federation=True``.
        """
        check_local_only(sparql, federation=self.federation)
        sparql = inline_bindings(sparql, bindings)
        if self._tracer is not None:
            self._tracer(sparql)
        options: dict[str, object] = {}
        if default_graph is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        elif not has_dataset_clause(sparql):  # FROM / FROM NAMED choose the dataset themselves
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            answer = self._ox.query(sparql, **options)  # type: ignore[arg-type]
            return Result.from_oxigraph(answer)
        except SyntaxError as err:
            raise QueryError(f"malformed SPARQL: {err}") from err
        except RuntimeError as err:
            raise QueryError(f"cannot run the query: {err}") from err
        except OSError as err:
            raise DhrkgError(f"the store could not answer: {err}", status=503) from err

    def export(self, output: BinaryIO, format: str = "trig") -> None:
        datasets = {"trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS}
        if format.lower() in datasets:  # straight from the store, without a query
            self._ox.dump(output, format=datasets[format.lower()])
            return
        super().export(output, format)

    def __len__(self) -> int:
        return len(self._ox)

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

    def write_new_graphs(self, graphs: Mapping[str, str]) -> None:
        """Write graphs not yet in the store: a large batch is bulk-loaded under the journal,
        smaller ones each in a transaction."""
        new = {g: text for g, text in graphs.items() if not self._ox.contains_named_graph(ox.NamedNode(g))}
        if len(new) < len(graphs) or sum(text.count("\n") + 1 for text in graphs.values()) < BULK_FROM:
            super().write_new_graphs(graphs)  # a bulk load would add to a graph already there
            return
        self._bulk_write({graph: [q.triple for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]
                          for graph, text in new.items()})

    def _bulk_write(self, graphs: Mapping[str, list[ox.Triple]]) -> None:
        """Bulk-load new graphs: several times faster than a transaction, but not atomic, so the
        journal names the graphs first and forgets them once loaded; a store reopened after an
        interruption removes what the journal still names (:meth:`_recover`)."""
        journal = ox.NamedNode(str(JOURNAL_GRAPH))
        pending = ox.NamedNode(str(DHR.pendingGraph))
        entries = [ox.Quad(journal, pending, ox.NamedNode(graph), journal) for graph in graphs]
        if any(_outdates_summary(graph) for graph in graphs):
            self.outdate_summary()
        with self._writing():
            try:
                self._ox.extend(entries)
                self._ox.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
                                     for graph, triples in graphs.items() for t in triples)
                self._ox.update("DELETE DATA { GRAPH <%s> { %s } }" % (  # noqa: UP031 - braces
                    JOURNAL_GRAPH, " ".join(f"{e.subject} {e.predicate} {e.object} ." for e in entries)))
            except OSError:
                self._recover()
                raise

    def _journal(self) -> list[ox.Quad]:
        """The journal's entries: the graphs bulk loads have named and not yet forgotten."""
        journal = ox.NamedNode(str(JOURNAL_GRAPH))
        return list(self._ox.quads_for_pattern(None, ox.NamedNode(str(DHR.pendingGraph)), None, journal))

    def _recover(self) -> None:
        """Remove the graphs an interrupted bulk load left half-written, then their journal entries."""
        for entry in self._journal():
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
                if _outdates_summary(graph):
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
            self._write(f"{_outdating(graph)}DELETE DATA {{ GRAPH <{graph}> {{\n{gone}\n}} }} ;\n"
                        f"INSERT DATA {{ GRAPH <{graph}> {{\n{came}\n}} }}")

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
            self.replace_graph(str(ONTOLOGY_GRAPH), triples)


def _outdates_summary(graph: str) -> bool:
    """Whether writing ``graph`` changes what the corpus summary counts: the summary counts
    nothing from the analysis or from itself."""
    return graph != str(ANALYSIS_GRAPH) and graph != str(SUMMARY_GRAPH) and not graph.startswith(f"{SUMMARY_GRAPH}/")


def _outdating(graph: str) -> str:
    """The update to run first, in the same transaction, when writing ``graph``: marking the
    corpus summary out of date, if writing the graph does that."""
    return OUTDATE_SUMMARY + " ;\n" if _outdates_summary(graph) else ""


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

