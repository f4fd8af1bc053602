"""Running user queries and updates with limits, fairly, without ever endangering the server.

For a store on disk every query runs in a worker process (:mod:`graph.web.workers`), killed
at its time limit, under a memory limit, and replaced at once by a warm spare, so the next
query never waits for a start-up and a query's limit counts only its own evaluation. With
writes enabled the server process does not open the store at all: the one writer process
does, applying each update in a transaction (killed, nothing is written) and checkpointing
the store for the readers.

Fairness: each client (address) runs at most ``per_client`` queries at once, and waits in a
bounded queue with its own deadline, then gets 503 with ``Retry-After``. The fast lane is a
worker reserved for queries whose shape (the text without its constants) ran within
``fast_budget`` last time: a query there that runs past the budget is stopped, its shape
remembered as slow, and it runs again in the general lane with its full limit. Other shapes
run in the general lane only, whose workers have a lower CPU priority, so runaway queries
cannot starve the pages, the fast lane or the server.

An in-memory or remote store cannot be shared with another process: there, queries run in
a bounded thread pool with the same admission; the client still gets its error at the
deadline, but the thread finishes in the background.
"""

from __future__ import annotations

import math
import multiprocessing
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.errors import DhrkgError, QueryError
from graph.store.base import GraphStore
from graph.store.embedded import Store
from graph.store.results import Result
from graph.store.safety import Bindings, check, inspect
from graph.web.snapshots import SnapshotStore
from graph.web.workers import MemoryLimit, Spec, Worker, capped, encode, summary

GENERAL_NICE = 10  # general workers yield the CPU to the server, the pages and the fast lane
CURATION_TIMEOUT = 120.0
"""Seconds a correction from the web form may take: merging two much-addressed organisations
rewrites every document that addresses them."""


class QueryTimeout(DhrkgError):
    """The query ran past the server's time limit and was stopped."""

    status = 503


class ServerBusy(DhrkgError):
    """No worker freed up for this client before its wait ran out; try again later."""

    status = 503

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0  # seconds a query (or update) may run
    max_rows: int = 10_000  # rows (or triples) returned at most
    workers: int = 2  # general workers: any query, up to the time limit
    fast_workers: int = 1  # workers reserved for queries whose shape has not been slow
    fast_budget: float = 1.0  # seconds a query may run in the fast lane before moving to a general worker
    per_client: int = 1  # queries one client address may run at once
    queue_timeout: float | None = None  # seconds a query may wait for a worker (default: the time limit)
    max_waiting: int = 64  # queries waiting at once, all clients together
    spares: int = 1  # warm workers kept ready to replace a killed one at once
    memory: int | None = 2 * 2**30  # bytes of address space per worker (RLIMIT_AS); None: no limit

    @property
    def wait(self) -> float:
        return self.timeout if self.queue_timeout is None else self.queue_timeout


class _Slot:
    """A place in the thread pool (in-memory and remote stores)."""

    lane = "general"


class QueryExecutor:
    """Runs queries (and, on a write-enabled server, updates) against a store with the server's limits."""

    def __init__(self, store: GraphStore, limits: Limits = Limits(), *, writable: bool = False) -> None:
        """Start the workers (see the module's docstring). With ``writable`` and a store on
        disk, the executor takes the store over: it is closed here and opened by the writer.
        """
        self.store = store
        self.limits = limits
        self.reader: SnapshotStore | None = None
        self._cond = threading.Condition()
        self._free: dict[str, list[Any]] = {"fast": [], "general": []}
        self._members = {"fast": 0, "general": 0}
        self._targets = {"fast": limits.fast_workers, "general": limits.workers}
        self._spares: list[Worker] = []
        self._starting = {"fast": 0, "general": 0, "spare": 0}
        self._all: set[Worker] = set()
        self._failure = ""
        self._running: dict[str, int] = {}
        self._waiting: dict[str, int] = {}
        self._shapes: OrderedDict[str, bool] = OrderedDict()  # shape: ran within the fast budget last time
        self._writer: Worker | None = None
        self._writing = threading.Lock()
        self._snapshots: Path | None = None
        self._closed = False
        self._life = threading.Lock()
        self._processes = isinstance(store, Store) and store.path is not None and (store.read_only or writable)
        if not self._processes:
            slots = limits.workers + limits.fast_workers
            self._threads = ThreadPoolExecutor(max_workers=slots, thread_name_prefix="sparql")
            self._free["general"] = [_Slot() for _ in range(slots)]
            return
        assert isinstance(store, Store) and store.path is not None
        self._context = multiprocessing.get_context("spawn")
        self._path = str(store.path)
        self._snapshot = self._path
        if not store.read_only:
            self._start_writer(store)
        for lane, count in self._targets.items():
            for _ in range(count):
                self._spawn(lane)
        for _ in range(limits.spares):
            self._spawn("spare")

    # ------------------------------------------------------------ workers

    def _start_writer(self, store: Store) -> None:
        path = Path(self._path)
        store.close()
        for stale in path.parent.glob(f".{path.name}-snapshots-*"):  # left by a server that was killed
            shutil.rmtree(stale, ignore_errors=True)
        self._snapshots = Path(tempfile.mkdtemp(prefix=f".{path.name}-snapshots-", dir=path.parent))
        spec = Spec(self._path, store.federation, self.limits.memory, writer=True, snapshots=str(self._snapshots))
        self._writer = Worker(self._context, spec, "writer")
        if not self._writer.wait_ready():
            raise DhrkgError(f"could not open the store at {path} for writing: {self._writer.death().message}",
                             status=503)
        self._snapshot = self._writer.greeting
        self.reader = SnapshotStore(self._snapshot, federation=store.federation)
        self.store = self.reader

    def _spawn(self, lane: str) -> None:
        """Start a worker for ``lane`` (or as the spare) in the background; counted at once."""
        with self._cond:
            self._starting[lane] += 1
            if lane != "spare":
                self._members[lane] += 1
        threading.Thread(target=self._start, args=(lane,), daemon=True, name="dhrkg-worker-start").start()

    def _start(self, lane: str) -> None:
        worker = None
        try:
            with self._life:  # never a process started after close() has stopped them all
                if not self._closed:
                    worker = Worker(self._context, Spec(self._snapshot, self.store.federation, self.limits.memory),
                                    lane)
                    with self._cond:
                        self._all.add(worker)
            ready = worker is not None and worker.wait_ready()
            if worker is not None and not ready:
                self._failure = worker.death().message
        except OSError as err:
            ready, self._failure = False, str(err)
        with self._cond:
            self._starting[lane] -= 1
            if not ready or self._closed:
                if worker is not None:
                    self._all.discard(worker)
                    worker.stop()
                if lane != "spare":
                    self._members[lane] -= 1
            elif lane == "spare":
                self._spares.append(worker)  # type: ignore[arg-type]
            else:
                self._place(worker, lane)  # type: ignore[arg-type]
            if ready:
                self._refill()
            self._cond.notify_all()

    def _place(self, worker: Worker, lane: str) -> None:
        if lane == "general" and worker.lane != "general":
            worker.send(("nice", GENERAL_NICE))
        worker.lane = lane
        self._free[lane].append(worker)

    def _refill(self) -> None:
        """Keep every lane at strength, from the spare when there is one, and keep a spare warm."""
        if self._closed:
            return
        for lane, target in self._targets.items():
            while self._members[lane] < target and self._spares:
                self._members[lane] += 1
                self._place(self._spares.pop(), lane)
            while self._members[lane] < target:
                self._spawn(lane)
        if len(self._spares) + self._starting["spare"] < self.limits.spares:
            self._spawn("spare")

    def _retire(self, worker: Any) -> None:
        """A worker was killed or died: take it out of its lane and refill from the spare."""
        if isinstance(worker, Worker):
            worker.kill()
        with self._cond:
            self._all.discard(worker)
            self._members[worker.lane] -= 1
            self._refill()
            self._cond.notify_all()

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Block until every lane has its workers (at start-up); a no-op for threads."""
        if not self._processes:
            return
        deadline = time.monotonic() + timeout
        with self._cond:
            while any(len(self._free[lane]) < target for lane, target in self._targets.items()):
                if not self._cond.wait(max(0.0, deadline - time.monotonic())):
                    raise DhrkgError(f"the query workers did not start: {self._failure or 'too slow'}", status=503)

    # ------------------------------------------------------------ admission

    def _admit(self, client: str, shape: str, deadline: float, *, counted: bool = False,
               lanes: tuple[str, ...] = ("fast", "general")) -> Any:
        with self._cond:
            waiting = sum(self._waiting.values())
            if waiting >= self.limits.max_waiting or self._waiting.get(client, 0) >= 4 * self.limits.per_client:
                raise self._busy()
            known = self._shapes.get(shape)
            self._waiting[client] = self._waiting.get(client, 0) + 1
            try:
                while True:
                    if counted or self._running.get(client, 0) < self.limits.per_client:
                        lane = self._pick(known, lanes)
                        if lane is not None:
                            if not counted:
                                self._running[client] = self._running.get(client, 0) + 1
                            return self._free[lane].pop()
                    remaining = deadline - time.monotonic()
                    if remaining <= 0 or self._closed:
                        raise self._busy()
                    self._cond.wait(remaining)
            finally:
                self._waiting[client] -= 1
                if not self._waiting[client]:
                    del self._waiting[client]

    def _pick(self, known: bool | None, lanes: tuple[str, ...]) -> str | None:
        """The lane to run in now, if any: a shape known to be fast goes to the fast lane
        first, any other only to a general worker. Measured (scripts/bench_fairness.py, two
        attackers with a new shape each time): letting unknown shapes try the fast lane for a
        quarter of its budget made every attack cost a kill there, and cheap queries' p95
        went from 119 ms to 754 ms, their worst from 0.3 s to 6 s."""
        if known is True and "fast" in lanes and self._free["fast"]:
            return "fast"
        if "general" in lanes and self._free["general"]:
            return "general"
        return None

    def _busy(self) -> ServerBusy:
        retry = max(1, math.ceil(self.limits.timeout / 2))
        return ServerBusy(f"the server is busy with other queries; try again in {retry} s", retry)

    def _release(self, worker: Any) -> None:
        with self._cond:
            self._free[worker.lane].append(worker)
            self._cond.notify_all()

    def _leave(self, client: str) -> None:
        with self._cond:
            self._running[client] -= 1
            if not self._running[client]:
                del self._running[client]
            self._cond.notify_all()

    def _remember(self, shape: str, seconds: float) -> None:
        with self._cond:
            self._shapes[shape] = seconds <= self.limits.fast_budget
            self._shapes.move_to_end(shape)
            while len(self._shapes) > 4096:
                self._shapes.popitem(last=False)

    # ------------------------------------------------------------ queries

    def run(self, sparql: str, *, bindings: Bindings | None = None, client: str | None = None,
            default_graph: list[str] | None = None, named_graphs: list[str] | None = None) -> Result:
        """The result of ``sparql``, cut to ``max_rows``.

        :raises QueryTimeout: when the query runs past the time limit.
        :raises ServerBusy: when no worker frees up for this client in time (503, Retry-After).
        :raises MemoryLimit: when the query needs more memory than a worker may use (507).
        :raises QueryError: for a malformed or refused query.
        """
        inspection = inspect(sparql)
        if inspection.is_update:
            raise QueryError("updates are not accepted here: this runs queries (SELECT, ASK, CONSTRUCT, DESCRIBE)")
        check(inspection, federation=self.store.federation, trusted=True)  # the parse is the worker's
        options = {"default_graph": _graph_iris(default_graph), "named_graphs": _graph_iris(named_graphs)}
        who = client or "local"
        worker = self._admit(who, inspection.shape, time.monotonic() + self.limits.wait)
        try:
            while True:
                started = time.monotonic()
                try:
                    result = self._evaluate(worker, sparql, bindings, options)
                except _FastLaneOverrun:
                    self._remember(inspection.shape, math.inf)
                    worker = self._admit(who, inspection.shape, time.monotonic() + self.limits.wait,
                                         counted=True, lanes=("general",))
                    continue
                self._remember(inspection.shape, time.monotonic() - started)
                return result
        finally:
            self._leave(who)

    def _evaluate(self, worker: Any, sparql: str, bindings: Bindings | None, options: dict[str, Any]) -> Result:
        """Run on one worker (or thread); the worker goes back to its lane, or is retired."""
        if isinstance(worker, _Slot):
            return self._evaluate_in_thread(worker, sparql, bindings, options)
        budget = self.limits.fast_budget if worker.lane == "fast" else self.limits.timeout
        request = ("query", self._snapshot, sparql, encode(bindings), options, self.limits.max_rows)
        worker.opened = self._snapshot
        try:
            payload = worker.call(request, budget)
        except TimeoutError:
            self._retire(worker)
            if worker.lane == "fast" and budget < self.limits.timeout:
                raise _FastLaneOverrun from None
            raise QueryTimeout(f"the query ran for more than {self.limits.timeout:g} s and was stopped") from None
        except DhrkgError as err:
            if isinstance(err, MemoryLimit) or not worker.process.is_alive():
                self._retire(worker)
            else:
                self._release(worker)
            raise
        self._release(worker)
        return Result.from_wire(payload)

    def _evaluate_in_thread(self, slot: _Slot, sparql: str, bindings: Bindings | None,
                            options: dict[str, Any]) -> Result:
        future = self._threads.submit(self.store.query, sparql, bindings=bindings, **options)
        future.add_done_callback(lambda _: self._release(slot))
        try:
            return capped(future.result(timeout=self.limits.timeout), self.limits.max_rows)
        except FutureTimeout:
            raise QueryTimeout(f"the query ran for more than {self.limits.timeout:g} s and was stopped") from None
        except RecursionError:
            raise QueryError("the query is nested too deeply to be evaluated") from None
        except MemoryError:
            raise MemoryLimit("the query needed more memory than the server has and was stopped") from None

    # ------------------------------------------------------------ updates

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update: in the writer process (killed at the time limit, nothing of
        the update written), or in a thread for an in-memory or remote store.

        :raises QueryTimeout: when the update runs past the time limit (it was rolled back).
        :raises QueryError: for a malformed or refused update.
        """
        inspection = inspect(sparql)
        check(inspection, federation=self.store.federation, trusted=True)
        if not inspection.is_update:
            raise QueryError("not a SPARQL Update (INSERT, DELETE, …): send queries as ?query=")
        if self._writer is None:
            self.store.update(sparql)
            return
        with self._writing:
            try:
                snapshot = self._writer.call(("update", sparql), self.limits.timeout)
            except TimeoutError:
                self._restart_writer()
                raise QueryTimeout(f"the update ran for more than {self.limits.timeout:g} s and was stopped; "
                                   "nothing of it was written") from None
            except DhrkgError:
                if not self._writer.process.is_alive():
                    self._restart_writer()
                raise
            self._publish(snapshot)

    def curate(self, text: str, source: str) -> dict[str, Any]:
        """Record corrections given as the text of a curation file, checked and applied as
        ``dhrkg curate`` does (:func:`graph.ingestion.curation.curate_text`): in the writer
        process when it holds the store (stopped at :data:`CURATION_TIMEOUT`, nothing written),
        else here. Returns what was recorded (:func:`graph.web.workers.summary`).

        :raises DhrkgError: listing the problems of a correction that cannot be recorded (400).
        """
        from graph.ingestion.curation import curate_text

        if self._writer is None:
            with self._writing:
                return summary(curate_text(self.store, text, source=source))
        with self._writing:
            try:
                snapshot, done = self._writer.call(("curate", text, source), max(self.limits.timeout, CURATION_TIMEOUT))
            except TimeoutError:
                self._restart_writer()
                # The correction is one transaction, but the recount of the summary after it is not:
                # stopped then, the correction is kept and the summary is recounted by the next link.
                raise QueryTimeout("recording the correction took too long and was stopped: it is recorded whole or "
                                   "not at all (`dhrkg curate --export` lists what is recorded), and the next "
                                   "`dhrkg link` recounts what it changes; large corrections are better recorded "
                                   "with `dhrkg curate`") from None
            except DhrkgError:
                if not self._writer.process.is_alive():
                    self._restart_writer()
                raise
            self._publish(snapshot)
            result: dict[str, Any] = done
            return result

    def _restart_writer(self) -> None:
        assert self._writer is not None
        self._writer.kill()
        self._writer = Worker(self._context, self._writer.spec, "writer")
        if not self._writer.wait_ready():
            raise DhrkgError(f"the store's writer could not be restarted: {self._writer.death().message}", status=503)
        self._publish(self._writer.greeting)

    def _publish(self, snapshot: str) -> None:
        """Readers use the new checkpoint from their next query on; older ones nobody reads go."""
        previous, self._snapshot = self._snapshot, snapshot
        if self.reader is not None:
            self.reader.switch(snapshot)
        assert self._snapshots is not None
        for folder in self._snapshots.iterdir():
            if str(folder) not in (snapshot, previous) and not self._in_use(str(folder)):
                shutil.rmtree(folder, ignore_errors=True)

    def _in_use(self, folder: str) -> bool:
        with self._cond:
            return any(folder in (worker.spec.path, worker.opened) for worker in self._all)

    # ------------------------------------------------------------ shutdown

    def close(self) -> None:
        """Stop every worker (and the writer), and remove the checkpoints."""
        with self._life, self._cond:
            self._closed = True
            workers = list(self._all)
            self._cond.notify_all()
        if not self._processes:
            self._threads.shutdown(wait=False, cancel_futures=True)
            return
        for worker in workers:
            worker.stop()
        if self._writer is not None:
            self._writer.stop()
        if self._snapshots is not None:
            self.reader = None
            shutil.rmtree(self._snapshots, ignore_errors=True)


class _FastLaneOverrun(Exception):
    """A query ran past the fast lane's budget; it goes to a general worker."""


def _graph_iris(values: list[str] | None) -> list[str] | None:
    """Graph IRIs from the protocol (``default-graph-uri``, ``named-graph-uri``), checked.

    :raises QueryError: for a value that is not an IRI.
    """
    if not values:
        return None
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError:
            raise QueryError(f"not a graph IRI: {value!r}") from None
        if ":" not in value:
            raise QueryError(f"not an absolute graph IRI: {value!r}")
    return list(values)
