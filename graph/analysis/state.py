"""What the analysis keeps between runs, beside the corpus index: each review's best pairs and
failure keys, the weights of the keys, each document's recommendation texts, the text model
and the near-duplicate pairs, the clusters, communities and agency scores last written.

It is a copy of what the analysis graph says, used only while the graph's fingerprint is the
one it was kept with and the settings are the same; otherwise the analysis runs afresh. Kept
in tables of the index's SQLite database (plain values and numpy arrays, nothing that runs).
"""

from __future__ import annotations

import io
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graph.analysis.cluster_facts import ClusterFacts
from graph.analysis.clusters import TextModel
from graph.analysis.links import Top
from graph.analysis.settings import AnalysisSettings
from graph.store.corpus_index import CorpusIndex

SCHEMA = """
CREATE TABLE IF NOT EXISTS a_meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS a_reviews (review TEXT PRIMARY KEY, signature TEXT, top TEXT);
CREATE TABLE IF NOT EXISTS a_docs (key TEXT PRIMARY KEY, sha TEXT, texts TEXT);
CREATE INDEX IF NOT EXISTS a_docs_sha ON a_docs (key, sha);
CREATE TABLE IF NOT EXISTS a_parts (name TEXT, part INTEGER, data BLOB, PRIMARY KEY (name, part));
CREATE TABLE IF NOT EXISTS a_cluster_heads (node TEXT PRIMARY KEY, head TEXT, facts TEXT);
CREATE TABLE IF NOT EXISTS a_coreview (review TEXT PRIMARY KEY, agencies TEXT);
"""
"""``a_docs_sha`` lets the documents' hashes be read without their texts (0.3 s at 10,000 reviews).
``a_coreview`` holds each review's agencies (but "All agencies"), the co-review network's input;
``a_cluster_heads`` each cluster's triples as written but its members (which follow from its
texts), and its facts."""
TABLES = ("a_meta", "a_reviews", "a_docs", "a_parts", "a_cluster_heads", "a_coreview", "a_clusters", "a_blobs")
"""The tables kept, and those older versions kept (``a_clusters``, ``a_blobs``): dropped when made anew."""
PART = 1 << 18
"""Arrays are kept in parts of this many bytes, and only the parts that changed are written again:
most arrays change by a few values or grow at their end (tens of megabytes at 10,000 reviews)."""
VERSION = "6"
"""4: a review's signature names each record with its own failure codes. 5: a cluster is kept as its
triples but its members, a document's texts with their recommendations' IRIs, arrays in parts.
6: communities are Leiden's and named by their first member."""

ClusterHead = tuple[list[str], ClusterFacts]
"""A cluster's triples but its members, and its facts."""
DocumentTexts = tuple[str, list[tuple[str, str]]]
"""A document's hash and its recommendations: (IRI, text as compared), in IRI order."""


@dataclass
class AnalysisState:
    """The analysis as last written, enough to change it by what changed."""

    fingerprint: str = ""
    settings: str = ""
    signatures: dict[str, str] = field(default_factory=dict)  # review → its records and failure keys
    tops: dict[str, Top] = field(default_factory=dict)  # review → its best pairs
    weights: dict[str, int] = field(default_factory=dict)  # failure key ("T2-A01", "T4") → weight
    model: TextModel = field(default_factory=TextModel)
    near: tuple[np.ndarray, np.ndarray] = field(
        default_factory=lambda: (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)))
    weight_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # per text: recommendations
    groups: dict[int, list[int]] = field(default_factory=dict)  # centre text → its group's texts
    written: dict[str, Any] = field(default_factory=dict)  # clusters, communities, agencies as written
    clusters_written: dict[str, ClusterHead | None] = field(default_factory=dict)  # clusters changed (None: gone)
    raw: dict[str, list[bytes]] = field(default_factory=dict, repr=False)  # the arrays' parts as kept
    coreview: dict[str, list[str] | None] = field(default_factory=dict)  # reviews whose agencies changed (None: gone)

    @staticmethod
    def settings_key(settings: AnalysisSettings) -> str:
        return json.dumps([settings.link_threshold, settings.top_k, settings.cluster_threshold])

    @staticmethod
    def last_settings(index: CorpusIndex) -> AnalysisSettings | None:
        """The settings of the analysis last kept, if any."""
        index.db.executescript(SCHEMA)
        row = index.db.execute("SELECT value FROM a_meta WHERE name = 'settings'").fetchone()
        if row is None:
            return None
        threshold, top_k, cluster_threshold = json.loads(row[0])
        return AnalysisSettings(threshold, top_k, cluster_threshold)

    @classmethod
    def load(cls, index: CorpusIndex, fingerprint: str | None, settings: AnalysisSettings) -> AnalysisState | None:
        """The state kept, if it belongs to the analysis graph of ``fingerprint`` and ``settings``."""
        db = index.db
        db.executescript(SCHEMA)
        meta = dict(db.execute("SELECT name, value FROM a_meta"))
        if (fingerprint is None or meta.get("version") != VERSION or meta.get("fingerprint") != fingerprint
                or meta.get("settings") != cls.settings_key(settings)
                or meta.get("index") != (index.meta("created") or "")):
            return None
        try:
            return cls._read(db, fingerprint, meta)
        except (KeyError, ValueError, TypeError, EOFError):
            # Kept incomplete or in a shape this version does not read (a damaged file, a layout of
            # a version in between): only a copy, so the analysis runs afresh and keeps it anew.
            return None

    @classmethod
    def _read(cls, db: sqlite3.Connection, fingerprint: str, meta: dict[str, str]) -> AnalysisState:
        state = cls(fingerprint, meta["settings"])
        for review, signature, top in db.execute("SELECT review, signature, top FROM a_reviews"):
            state.signatures[review] = signature
            state.tops[review] = tuple((int(s), str(o)) for s, o in json.loads(top))
        state.weights = json.loads(meta["weights"])
        parts: dict[str, list[bytes]] = {}
        for name, _, data in db.execute("SELECT name, part, data FROM a_parts ORDER BY name, part"):
            parts.setdefault(name, []).append(data)
        state.raw = parts
        blobs = {name: np.load(io.BytesIO(b"".join(data)), allow_pickle=False) for name, data in parts.items()}
        state.model = TextModel.load({
            "texts": meta["texts"], "words": meta["words"],
            "counts": (blobs["counts_data"], blobs["counts_indices"], blobs["counts_indptr"]),
            "vectors": (blobs["vectors_data"], blobs["vectors_indices"], blobs["vectors_indptr"]),
            "df": blobs["df"], "alive": blobs["alive"]})
        state.near = (blobs["near_rows"], blobs["near_cols"])
        state.weight_of = blobs["weight_of"]
        state.groups = {int(k): v for k, v in json.loads(meta["groups"]).items()}
        state.written = json.loads(meta["written"])
        return state

    def texts_of(self, index: CorpusIndex, keys: list[str]) -> dict[str, DocumentTexts]:
        """Each document of ``keys`` the state counted: its hash and its recommendations (IRI, text)."""
        return {key: (sha, [(iri, text) for iri, text in json.loads(texts)])
                for key, sha, texts in index.rows_in("SELECT key, sha, texts FROM a_docs WHERE key IN ({marks})", keys)}

    def cluster_heads(self, index: CorpusIndex, nodes: list[str]) -> dict[str, ClusterHead]:
        """The triples written of each cluster of ``nodes`` but its members, and its facts."""
        return {node: (head.split("\n"), ClusterFacts.of(json.loads(facts))) for node, head, facts in index.rows_in(
            "SELECT node, head, facts FROM a_cluster_heads WHERE node IN ({marks})", nodes)}

    def documents(self, index: CorpusIndex) -> dict[str, str]:
        return dict(index.rows("SELECT key, sha FROM a_docs"))

    def save(self, index: CorpusIndex, docs: dict[str, DocumentTexts | None], *, whole: bool,
             reviews: set[str]) -> None:
        """Keep the state, with the documents changed (their hash and texts; None: gone) and
        the reviews whose pairs changed (every one when ``whole``)."""
        db = index.db
        if whole:  # made anew, so a table kept by an older version in another shape is replaced
            db.executescript("".join(f"DROP TABLE IF EXISTS {table};\n" for table in TABLES))
        db.executescript(SCHEMA)
        db.execute("BEGIN")
        # A row replaced is one statement for all of its kind: one each took 0.2 s when a weight
        # moved under most of 1,000 reviews.
        _replace(db, "a_coreview", "review", {
            review: None if agencies is None else (review, " ".join(agencies))
            for review, agencies in self.coreview.items()})
        _replace(db, "a_cluster_heads", "node", {
            node: None if written is None else (node, "\n".join(written[0]), json.dumps(written[1].kept()))
            for node, written in self.clusters_written.items()})
        _replace(db, "a_docs", "key", {
            key: None if entry is None else (key, entry[0], json.dumps(entry[1])) for key, entry in docs.items()})
        _replace(db, "a_reviews", "review", {
            review: (review, self.signatures[review], json.dumps(self.tops[review])) if review in self.tops else None
            for review in reviews})
        kept = self.model.dump()
        blobs = {"counts_data": kept["counts"][0], "counts_indices": kept["counts"][1],
                 "counts_indptr": kept["counts"][2], "vectors_data": kept["vectors"][0],
                 "vectors_indices": kept["vectors"][1], "vectors_indptr": kept["vectors"][2], "df": kept["df"],
                 "alive": kept["alive"], "near_rows": np.asarray(self.near[0], dtype=np.int32),
                 "near_cols": np.asarray(self.near[1], dtype=np.int32), "weight_of": self.weight_of}
        for name, array in blobs.items():
            buffer = io.BytesIO()
            np.save(buffer, np.asarray(array), allow_pickle=False)
            data = buffer.getvalue()
            parts, then = [data[i:i + PART] for i in range(0, len(data), PART)], self.raw.get(name, [])
            db.executemany("INSERT OR REPLACE INTO a_parts VALUES (?, ?, ?)", [
                (name, i, part) for i, part in enumerate(parts) if whole or i >= len(then) or then[i] != part])
            db.execute("DELETE FROM a_parts WHERE name = ? AND part >= ?", (name, len(parts)))
        meta = {"version": VERSION, "fingerprint": self.fingerprint, "settings": self.settings,
                "weights": json.dumps(self.weights), "texts": kept["texts"], "words": kept["words"],
                "groups": json.dumps({str(k): v for k, v in self.groups.items()}), "written": json.dumps(self.written),
                "index": index.meta("created") or ""}
        db.executemany("INSERT OR REPLACE INTO a_meta VALUES (?, ?)", sorted(meta.items()))
        db.execute("COMMIT")


def _replace(db: sqlite3.Connection, table: str, key: str, rows: dict[str, tuple[str, ...] | None]) -> None:
    """Set rows of ``table`` by its primary ``key`` (its first column): a row given replaces the
    one kept, None deletes it."""
    db.executemany(f"DELETE FROM {table} WHERE {key} = ?", [(name,) for name, row in rows.items() if row is None])
    kept = [row for row in rows.values() if row is not None]
    if kept:
        db.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({', '.join('?' * len(kept[0]))})", kept)
