"""The store as a write-enabled server's own pages read it: the writer's latest checkpoint.

With writes enabled, the writer process holds the store (one writer, and no reader beside
it: pyoxigraph calls that undefined behaviour). After each update it checkpoints the store,
and this read-only view moves to the new checkpoint, so a page shows an update as soon as it
is answered. Writes never go through here: they go to the writer (see
:meth:`graph.web.executor.QueryExecutor.update`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from graph.errors import DhrkgError
from graph.store.base import GraphStore
from graph.store.embedded import Store
from graph.store.results import Result


class SnapshotStore(GraphStore):
    """A read-only store over the latest checkpoint; :meth:`switch` moves it to a newer one."""

    read_only = True

    def __init__(self, path: str | Path, *, federation: bool = False) -> None:
        self.federation = federation
        self._lock = threading.Lock()
        self._current = Store.open_read_only(path, federation=federation)
        self.path = Path(path)

    def switch(self, path: str | Path) -> None:
        """Read from the checkpoint at ``path`` from now on (queries running finish on the old one)."""
        store = Store.open_read_only(path, federation=self.federation)
        with self._lock:
            self._current, self.path = store, Path(path)

    def query(self, sparql: str, *, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
              default_graph: list[str] | None = None, named_graphs: list[str] | None = None) -> Result:
        return self._current.query(sparql, bindings=bindings, default_graph=default_graph, named_graphs=named_graphs)

    def has_graph(self, graph: str) -> bool:
        return self._current.has_graph(graph)

    def __len__(self) -> int:
        return len(self._current)

    def _write(self, update: str) -> None:
        raise DhrkgError("writes go through the server's writer, not its pages", status=403)
