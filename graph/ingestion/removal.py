"""Removing documents: each one's graph goes, and with it everything counted from it.

A document is named by the file it was read from (its content, or a path ending in its key),
its key, or the IRI of its source or of a review read from it. Its graph is dropped in one
transaction, the review matches of its CSP and year are made again and the corpus summary
moves by the document's own counts (:meth:`graph.ingestion.corpus_summary.CorpusSummary.update`).
The analysis follows on the next ``analyse`` (``dhrkg remove`` runs it when links were computed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import ExtractError
from graph.extraction.files import file_sha256
from graph.ingestion.corpus_summary import CorpusSummary
from graph.model.terms import ID
from graph.rdf.digest import DocumentDigest
from graph.store.base import GraphStore, StoredDocument
from graph.store.known_names import closest

__all__ = ["RemovalReport", "remove", "resolve"]


@dataclass
class RemovalReport:
    """What one removal did: the documents removed (keys) and the names it could not resolve."""

    removed: list[str] = field(default_factory=list)
    unknown: dict[str, str] = field(default_factory=dict)  # the name given → why

    @property
    def ok(self) -> bool:
        return not self.unknown


def resolve(name: str, stored: dict[str, StoredDocument], reviews: dict[str, str] | None = None) -> str:
    """The key of the stored document ``name`` names (see the module's docstring).

    :raises KeyError: saying why, with the closest keys.
    """
    if name in stored:
        return name
    iri = name if "://" in name else f"{ID}{name}"
    by_graph = {doc.iri: key for key, doc in stored.items()}
    if iri in by_graph:
        return by_graph[iri]
    if reviews is not None and iri in reviews:
        return reviews[iri]
    path = Path(name)
    if path.is_file():
        try:
            sha = file_sha256(path)
        except ExtractError:
            sha = ""
        same = [key for key, doc in stored.items() if doc.sha256 == sha]
        if same:
            return same[0]
    ending = [key for key in stored if path.as_posix().endswith("/" + key) or path.as_posix() == key]
    if len(ending) == 1:
        return ending[0]
    close = closest(name, {key: key for key in stored}) if stored else []
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise KeyError(f"{name}: no stored document has this file, key or IRI{hint}")


def remove(store: GraphStore, names: Iterable[str]) -> RemovalReport:
    """Remove the documents ``names`` names, and what was counted and matched from them.

    >>> from graph import Store, ingest
    >>> from graph.resources import data_dir
    >>> store = Store(); _ = ingest(store, [data_dir() / "seed"])
    >>> remove(store, ["000_58cfa34b200ccabd.txt", "nothing.txt"]).removed, store.stats()["reviews"]
    (['000_58cfa34b200ccabd.txt'], 0)
    """
    report = RemovalReport()
    stored = store.documents()
    summary = CorpusSummary.open(store, stored)
    reviews = {record: doc for record, doc in summary.index.rows("SELECT iri, doc FROM records")}
    keys: list[str] = []
    for name in names:
        try:
            key = resolve(name, stored, reviews)
        except KeyError as err:
            report.unknown[name] = str(err.args[0])
            continue
        if key not in keys:
            keys.append(key)
    changes: dict[str, DocumentDigest | None] = {}
    for key in keys:
        store.remove_document(key)
        changes[key] = None
        report.removed.append(key)
    if changes or summary.index.rebuilt:
        summary.update(changes)
    store.flush()
    return report
