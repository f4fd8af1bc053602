"""What every dhrkg store offers, embedded or remote, and how the graph is laid out in it.

Layout of the data:

- one named graph per source document (IRI = the document's IRI), holding every
  triple read from it, so re-ingesting a file replaces exactly its triples, in one
  transaction;
- one named graph for the ontology (model, schemes, gazetteer), reloaded when the
  shipped Turtle changes;
- graphs derived from the documents: the analysis (links, clusters, scores), the matches
  between records of one review, and the corpus summary (whole-corpus counts, see
  :mod:`graph.ingestion.corpus_summary`), which every other write marks out of date.

Queries see the union of all graphs as their default graph. Reads go through
:meth:`GraphStore.query` (read-only, typed results); writes through
:meth:`GraphStore.replace_document`, :meth:`GraphStore.remove_document`,
:meth:`GraphStore.replace_graph`, :meth:`GraphStore.load_new_graphs`,
:meth:`GraphStore.add_vocabulary` and, for the write-enabled endpoint only,
:meth:`GraphStore.update`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Self
from urllib.parse import quote

import pyoxigraph as ox

from graph.errors import DhrkgError, QueryError
from graph.model.iris import short_hash, source_iri
from graph.model.terms import DHR, ID
from graph.rdf.builder import Lit, Object, iter_ntriples
from graph.resources import ontology_dir
from graph.store import updates
from graph.store.curation import CURATION_GRAPH, correct_triples
from graph.store.known_names import check_parameters
from graph.store.named_queries import internal_query, named_query
from graph.store.results import Result
from graph.store.safety import prepare

ONTOLOGY_GRAPH = ID["graph/ontology"]
"""The named graph holding the shipped ontology, schemes and gazetteer."""

JOURNAL_GRAPH = ID["graph/journal"]
"""Names the graphs being bulk-loaded while the load runs (see :meth:`Store.load_new_graphs`)."""

ANALYSIS_GRAPH = ID["graph/analysis"]
"""Links, clusters, communities and agency scores (:func:`graph.analysis.pipeline.analyse`)."""

MATCH_GRAPH = ID["graph/review-matches"]
"""Records of one review in several sources (:mod:`graph.ingestion.matching`)."""

SUMMARY_GRAPH = ID["graph/summary"]
"""The corpus summary's marker; each summarised report's tallies are in a graph of their own
under it (:func:`graph.ingestion.corpus_summary.summarise`)."""
STATUS_GRAPHS = f"{ID}graph/status/"
"""Each imported status file's observations are in a graph of their own under this prefix
(:mod:`graph.ingestion.status`); the corpus summary counts nothing from them."""

OUTDATE_SUMMARY = updates.delete_values(SUMMARY_GRAPH, SUMMARY_GRAPH, DHR.summaryFingerprint)
"""The update that marks the corpus summary out of date; run before any write it does not survive."""

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


def source_hashes(documents: Mapping[str, StoredDocument]) -> list[tuple[str, str, str | None]]:
    """What :meth:`GraphStore.source_hashes` says, from the documents as listed."""
    return [(d.key, d.sha256, d.record_sha256) for _, d in sorted(documents.items())]


@dataclass(frozen=True)
class StoredDocument:
    """A source document already in the store."""

    key: str
    iri: str
    sha256: str
    reader: int | None = None  # the reader version that read it (None: before versions were kept)
    record_sha256: str | None = None  # of the library record read with it (graph.extraction.library_record)


class GraphStore:
    """What every dhrkg store offers, embedded or remote: typed queries, named queries,
    counts, and writes of whole documents or derived graphs, each in one transaction.

    Subclasses provide :meth:`query`, :meth:`_write` and :meth:`__len__`.
    """

    path: Path | None = None
    read_only: bool = False
    federation: bool = False  # allow SERVICE (remote queries); off unless asked for
    sole_writer: bool = False
    """Whether every write reaches the store through dhrkg (an embedded store, which dhrkg locks),
    so that a current summary marker proves the corpus index still describes the store
    (:meth:`graph.store.corpus_index.CorpusIndex.open`). A SPARQL server may be written by others."""

    def close(self) -> None:
        """Release what the store holds (files and lock, or connections)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        # A read-only store holds a shared lock until closed: leaving it to the garbage
        # collector keeps writers out for an unknown time.
        self.close()

    # ------------------------------------------------------------ reads

    def query(self, sparql: str, *, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
              default_graph: list[str] | None = None, named_graphs: list[str] | None = None) -> Result:
        """Run a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) over the whole graph."""
        raise NotImplementedError

    def named(self, name: str, /, **params: object) -> Result:
        """Run a named query from the shipped library with its parameters bound.

        :raises UnknownName: when the answer is empty and a review, agency or CSP parameter
            names nothing in the graph (the message offers the closest names).

        >>> from graph import Store
        >>> Store().named("stats").to_dicts()[0]["reviews"]
        0
        """
        query = named_query(name)
        result = self.query(query.text, bindings=query.bindings(params))
        if len(result) == 0 and result.kind != "ask":
            check_parameters(self, query, params)  # an empty answer for a name the graph lacks is a typo
        return result

    def has_graph(self, graph: str) -> bool:
        """Whether the store holds a named graph of that IRI."""
        return bool(self.query(internal_query("has-graph").text,
                               bindings={ox.Variable("graph"): ox.NamedNode(graph)}).boolean)

    def check_local_graphs(self, graphs: Iterable[str]) -> None:
        """Refuse FROM / FROM NAMED / USING naming a graph this store does not hold: dhrkg
        reads its own graphs only (a remote SPARQL server might fetch one by its address).

        :raises QueryError: naming the graph.
        """
        for graph in graphs:
            if not self.has_graph(graph):
                raise QueryError(f"no graph <{graph}> in this store: FROM, FROM NAMED and USING only select "
                                 "the store's own named graphs (dhrkg never fetches remote data)")

    def stats(self) -> dict[str, int]:
        """Counts of reviews, recommendations, agencies, CSPs, sources and triples."""
        counts = {k: int(v) for k, v in self.named("stats").to_dicts()[0].items()}  # type: ignore[arg-type]
        counts["triples"] = len(self)
        return counts

    def fingerprint(self, hashes: Sequence[tuple[str, str, str | None]] | None = None) -> str:
        """A hash of every source document's key and content (and of the library record read with
        it: a corrected card can change how the report's agencies resolve), and of the curated
        corrections: what derived graphs (the analysis, the corpus summary) record to tell
        whether they are current. ``hashes``: what :meth:`source_hashes` says (or
        :func:`source_hashes` of the documents listed), when the caller has it."""
        if hashes is None:
            hashes = self.source_hashes()
        text = "\n".join(f"{key} {sha}" + (f" {record}" if record is not None else "") for key, sha, record in hashes)
        curated = internal_query("curation-fingerprint")
        corrections = sorted(f"{c} {at}" for c, at in self.query(
            curated.text, bindings=curated.bindings({"graph": CURATION_GRAPH})).rows())
        if corrections:  # curated corrections change what the documents say (graph.store.curation)
            text += "\ncurated\n" + "\n".join(corrections)
        return short_hash(text, 32)

    def source_hashes(self) -> list[tuple[str, str, str | None]]:
        """Each source document's key, content hash and library record hash (None without one), by key."""
        rows = self.query(internal_query("source-fingerprint").text).rows()
        return sorted(((str(key), str(sha), None if record is None else str(record)) for key, sha, record in rows),
                      key=lambda row: row[0])

    def documents(self) -> dict[str, StoredDocument]:
        """The source documents in the store, by key (their path relative to where they were ingested from)."""
        found = {}
        result = self.query(internal_query("documents").text)
        order = [result.variables.index(name) for name in ("source", "key", "sha256", "reader", "record")]
        for row in result.terms():  # terms: rows() is 3x slower
            source, key, sha256, reader, record = (
                None if row[i] is None else str(getattr(row[i], "value", row[i])) for i in order)
            assert source is not None and key is not None and sha256 is not None  # required by the query
            found[key] = StoredDocument(key, source, sha256, int(reader) if reader is not None else None, record)
        return dict(sorted(found.items()))

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

    def graphs(self) -> list[str]:
        """The named graphs in the store."""
        return [str(row[0]) for row in self.query(internal_query("graphs").text).rows()]

    def graph_tuples(self, graph: str) -> list[tuple[str, str, Object]]:
        """Every triple of one named graph as ``(s, p, o)``, an IRI object as ``str``."""
        query = internal_query("graph-triples")
        result = self.query(query.text, bindings=query.bindings({"graph": graph}))
        return [(term_value(s), term_value(p), term_object(o)) for s, p, o in result.terms()]  # type: ignore[arg-type]

    def predicate_tuples(self, predicate: str) -> Iterator[tuple[str, str, Object]]:
        """Every triple of ``predicate`` in every named graph, as ``(graph, s, o)``."""
        query = internal_query("predicate-triples")
        for g, s, o in self.query(query.text, bindings=query.bindings({"predicate": predicate})).terms():
            yield term_value(g), term_value(s), term_object(o)  # type: ignore[arg-type]

    def typed_nodes(self, cls: str) -> Iterator[tuple[str, str]]:
        """Every node typed ``cls`` in every named graph, as ``(graph, node)``."""
        query = internal_query("typed-nodes")
        for g, s in self.query(query.text, bindings=query.bindings({"class": cls})).terms():
            yield term_value(g), term_value(s)  # type: ignore[arg-type]

    def cache_folder(self) -> Path | None:
        """Where derived state that only speeds dhrkg up (the corpus index, the analysis state) is
        kept between runs: None keeps it in this object only (in memory, or a remote store)."""
        return None

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
        graph = str(ID[f"graph/vocabulary/{quote(path.stem, safe='-._~')}"])  # a file name is not an IRI
        try:
            triples = [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
        except (SyntaxError, OSError) as err:
            raise DhrkgError(f"{path}: not a readable Turtle file: {err}") from err
        self.replace_graph(graph, correct_triples(self, triples))
        return graph

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (one transaction). Only the write-enabled web endpoint uses this;
        ingest writes documents through :meth:`replace_document`.

        :raises QueryError: for malformed SPARQL Update, and as :func:`graph.store.safety.prepare`.
        """
        inspection, sparql = prepare(sparql, federation=self.federation, update=True)
        self.check_local_graphs(inspection.graphs)
        try:
            self.outdate_summary()
            self._write(sparql)
            # And after: an update that wrote a marker back would make a stale corpus index pass
            # for current (the client's text is not joined to ours: it may end in a comment).
            self.outdate_summary()
        except SyntaxError as err:
            raise QueryError(f"malformed SPARQL Update: {err}") from err

    def remove_document(self, key: str) -> None:
        """Remove a document and everything read from it."""
        self.outdate_summary()
        self._write(updates.drop_graph(source_iri(key)))

    def update_derived(self, update: str) -> None:
        """Run an update dhrkg wrote (:mod:`graph.store.updates`) on graphs derived from the
        documents, which leaves the corpus summary's marker as it is."""
        self._write(update)

    def flush(self) -> None:
        """Make writes durable (a no-op where every write already is)."""

    def optimize(self) -> None:
        """Compact the store's files after large writes (a no-op where the server does it)."""

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        """Replace a named graph (a document, matches, links) in one transaction."""
        self.replace_graph_text(graph, "\n".join(iter_ntriples(triples)))

    def graph_triples(self, graph: str) -> list[ox.Triple]:
        """The triples of one named graph (none if the store lacks it)."""
        query = internal_query("graph-triples")
        rows = self.query(query.text, bindings=query.bindings({"graph": graph})).terms()
        return [ox.Triple(s, p, o) for s, p, o in rows]  # type: ignore[arg-type]

    def write_changes(self, changes: Mapping[str, tuple[Iterable[ox.Triple], Iterable[ox.Triple]]]) -> None:
        """Remove and add triples in several named graphs (``graph: (removed, added)``), all in
        one transaction: curated corrections reach every graph they concern, or none."""
        operations = [OUTDATE_SUMMARY] if any(outdates_summary(graph) for graph in changes) else []
        for graph, (removed, added) in changes.items():
            if gone := "\n".join(iter_ntriples(removed)):
                operations.append(updates.delete_data(graph, gone))
            if came := "\n".join(iter_ntriples(added)):
                operations.append(updates.insert_data(graph, came))
        if operations:
            self._write(updates.sequence(operations))

    def load_new_graphs(self, quads: Path, graphs: Sequence[str], size: int) -> None:
        """Write graphs not yet in the store from an N-Quads file (``size`` quads, each line one
        quad, as :func:`nquads` writes them); afterwards each graph is complete or absent."""
        for graph, text in split_quads(quads.read_text(encoding="utf-8"), graphs).items():
            self.replace_graph_text(graph, text)

    def replace_graph_text(self, graph: str, ntriples: str) -> None:
        """Replace a named graph by triples already written as N-Triples lines (as worker
        processes hand them over), in one transaction."""
        self._write(updates.sequence([outdating(graph), updates.drop_graph(graph),
                                      updates.insert_data(graph, ntriples)]))

    def _write(self, update: str) -> None:
        raise NotImplementedError

    def outdate_summary(self) -> None:
        """Mark the corpus summary out of date, so the reports count from the documents until
        :func:`graph.ingestion.corpus_summary.summarise` counts afresh (every write that changes what the summary
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



def nquads(graph: str, lines: Iterable[str]) -> str:
    """N-Triples lines (as :func:`graph.rdf.builder.Triples.lines` writes them) as N-Quads of ``graph``.

    >>> nquads("urn:g", ["<urn:a> <urn:b> <urn:c> ."])
    '<urn:a> <urn:b> <urn:c> <urn:g> .\\n'
    """
    suffix = f" <{updates.iri(graph).value}> .\n"
    return "".join(line[:-2] + suffix for line in lines)


def split_quads(text: str, graphs: Sequence[str]) -> dict[str, str]:
    """N-Quads written by :func:`nquads` back into N-Triples lines per graph."""
    found: dict[str, list[str]] = {graph: [] for graph in graphs}
    suffixes = {f" <{graph}> .": graph for graph in graphs}
    for line in text.splitlines():
        cut = line.rindex(" <")
        found[suffixes[line[cut:]]].append(line[:cut] + " .")
    return {graph: "\n".join(lines) for graph, lines in found.items()}


def term_value(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def term_object(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Object:
    return Lit.of(term) if isinstance(term, ox.Literal) else term_value(term)


def outdates_summary(graph: str) -> bool:
    """Whether writing ``graph`` changes what the corpus summary counts: the summary counts
    nothing from the analysis, from itself or from imported statuses."""
    return (graph != str(ANALYSIS_GRAPH) and graph != str(SUMMARY_GRAPH)
            and not graph.startswith((f"{SUMMARY_GRAPH}/", STATUS_GRAPHS)))


def outdating(graph: str) -> str:
    """The update to run first, in the same transaction, when writing ``graph``: marking the
    corpus summary out of date, if writing the graph does that; else nothing."""
    return OUTDATE_SUMMARY if outdates_summary(graph) else ""
