"""Running user queries off the event loop, with a deadline and a row cap.

pyoxigraph cannot interrupt a running query, so a thread that times out would go on
burning a core. For a store on disk, user queries therefore run in worker *processes*,
each with the store opened read-only: at the deadline the worker is killed and replaced,
and the client gets a clear error while everything else carries on. An in-memory store
cannot be shared with another process; there, queries run in a bounded thread pool, the
client still gets its error at the deadline, but the thread finishes in the background.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from graph.errors import DhrkgError, QueryError
from graph.store.base import GraphStore
from graph.store.embedded import Store
from graph.store.results import Result

Bindings = Mapping[ox.Variable, ox.NamedNode | ox.Literal]


class QueryTimeout(DhrkgError):
    """The query ran past the server's time limit and was stopped."""

    status = 503


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0  # seconds per query
    max_rows: int = 10_000  # rows (or triples) returned at most
    workers: int = 2


def _encode(bindings: Bindings | None) -> list[tuple[str, str, str, str]]:
    out = []
    for variable, term in (bindings or {}).items():
        if isinstance(term, ox.NamedNode):
            out.append((variable.value, "iri", term.value, ""))
        else:
            out.append((variable.value, "literal", term.value, term.language or term.datatype.value))
    return out


def _decode(encoded: list[tuple[str, str, str, str]]) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
    result: dict[ox.Variable, ox.NamedNode | ox.Literal] = {}
    for name, kind, value, extra in encoded:
        if kind == "iri":
            result[ox.Variable(name)] = ox.NamedNode(value)
        elif extra.startswith("http"):
            result[ox.Variable(name)] = ox.Literal(value, datatype=ox.NamedNode(extra))
        else:
            result[ox.Variable(name)] = ox.Literal(value, language=extra or None)
    return result


def _capped(result: Result, max_rows: int) -> Result:
    if len(result) <= max_rows:
        return result
    return Result(result.kind, result.variables, result.terms()[:max_rows], result.boolean, truncated=True)


def _worker(path: str, federation: bool, connection: Connection) -> None:
    store = Store.open_read_only(path, federation=federation)
    while True:
        request = connection.recv()
        if request is None:
            return
        sparql, encoded, options, max_rows = request
        try:
            result = _capped(store.query(sparql, bindings=_decode(encoded), **options), max_rows)
            connection.send(("ok", result.to_wire()))
        except DhrkgError as err:
            connection.send(("error", (type(err).__name__, err.message, err.status)))


class _Process:
    def __init__(self, context: Any, path: str, federation: bool) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(path, federation, child), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


class QueryExecutor:
    """Runs queries against a store with the server's limits."""

    def __init__(self, store: GraphStore, limits: Limits = Limits()) -> None:
        self.store = store
        self.limits = limits
        self._threads = ThreadPoolExecutor(max_workers=limits.workers, thread_name_prefix="sparql")
        self._slots = threading.BoundedSemaphore(limits.workers)
        self._processes: queue.Queue[_Process] | None = None
        if store.path is not None and store.read_only:
            self._context = multiprocessing.get_context("spawn")
            self._processes = queue.Queue()
            for _ in range(limits.workers):
                self._processes.put(self._spawn())

    def _spawn(self) -> _Process:
        return _Process(self._context, str(self.store.path), self.store.federation)

    def run(self, sparql: str, *, bindings: Bindings | None = None, **options: Any) -> Result:
        """The result of ``sparql``, cut to ``max_rows``.

        :raises QueryTimeout: when the query runs past the time limit, or no worker frees up in time.
        :raises QueryError: for a malformed or refused query.
        """
        if self._processes is not None:
            return self._run_in_process(sparql, bindings, options)
        if not self._slots.acquire(timeout=self.limits.timeout):
            raise QueryTimeout("the server is busy with other queries; try again shortly")
        future = self._threads.submit(self.store.query, sparql, bindings=bindings, **options)
        future.add_done_callback(lambda _: self._slots.release())
        try:
            return _capped(future.result(timeout=self.limits.timeout), self.limits.max_rows)
        except FutureTimeout:
            raise QueryTimeout(f"the query ran for more than {self.limits.timeout:g} s and was stopped") from None

    def _run_in_process(self, sparql: str, bindings: Bindings | None, options: dict[str, Any]) -> Result:
        assert self._processes is not None
        try:
            worker = self._processes.get(timeout=self.limits.timeout)
        except queue.Empty:
            raise QueryTimeout("the server is busy with other queries; try again shortly") from None
        try:
            worker.connection.send((sparql, _encode(bindings), options, self.limits.max_rows))
            if not worker.connection.poll(self.limits.timeout):
                worker.kill()
                worker = self._spawn()
                raise QueryTimeout(f"the query ran for more than {self.limits.timeout:g} s and was stopped")
            status, payload = worker.connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            worker.kill()
            worker = self._spawn()
            raise DhrkgError("the query worker stopped unexpectedly", status=500) from None
        finally:
            self._processes.put(worker)
        if status == "error":
            name, message, code = payload
            raise (QueryError(message) if name == "QueryError" else DhrkgError(message, status=code))
        return Result.from_wire(payload)

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
        if self._processes is not None:
            while not self._processes.empty():
                worker = self._processes.get_nowait()
                try:
                    worker.connection.send(None)
                except OSError:
                    pass
                worker.kill()
