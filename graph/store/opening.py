"""Choosing the store a ``--store`` value names: a folder, ``memory``, or a SPARQL server."""

from __future__ import annotations

from pathlib import Path

from graph.errors import DhrkgError
from graph.store.base import GraphStore, default_store_path
from graph.store.embedded import Store


def open_store(spec: str | None, *, write: bool, federation: bool = False) -> GraphStore:
    """The store a ``--store`` value names: a folder, ``memory``, or ``sparql+http(s)://…``;
    ``None`` is the default folder. Readers need an existing store.

    >>> open_store("memory", write=True).stats()["reviews"]
    0
    >>> import tempfile
    >>> open_store(tempfile.mkdtemp() + "/nothing", write=False)
    Traceback (most recent call last):
    graph.errors.DhrkgError: no store at ... build one with `dhrkg build` or `dhrkg ingest PATH`
    """
    if spec and spec.startswith("sparql+"):
        from graph.store.remote import RemoteStore  # httpx, only for a server

        return RemoteStore.from_spec(spec, read_only=not write, federation=federation)
    if spec == "memory":
        return Store(federation=federation)
    path = default_store_path() if not spec else Path(spec).expanduser()
    if not write and not (path / "CURRENT").exists():
        raise DhrkgError(f"no store at {path}; build one with `dhrkg build` or `dhrkg ingest PATH`", status=404)
    return Store(path, federation=federation) if write else Store.open_read_only(path, federation=federation)
