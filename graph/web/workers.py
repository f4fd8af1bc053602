"""Worker processes that run SPARQL for the endpoint, each one killable without harm.

pyoxigraph cannot interrupt a running query, so a query that must stop is stopped by killing
the process running it. A worker opens the store (read-only; or, for the one writer, for
writing), limits its own address space (``RLIMIT_AS``), sends its stderr to a file (so the
cause of a crash can be told: Rust aborts on a failed allocation and on a stack overflow),
warms up, and only then reports ready: a query is never charged for a worker's start-up.

The writer applies each update, and each curated correction sent from the web form, in one
Oxigraph transaction, which commits at its end: killed before then, nothing of it is written
(a correction's recount of the corpus summary comes after its transaction, and is redone by
the next ``dhrkg link`` if the writer is killed during it).
After each write it checkpoints the store (RocksDB hard links, milliseconds), and readers open
that checkpoint: reading a folder that another process writes to is undefined behaviour in
pyoxigraph.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.errors import DhrkgError, QueryError
from graph.store.results import Result

Encoded = list[tuple[str, str, str, str]]

STARTUP_TIMEOUT = 120.0  # seconds a new worker may take to open the store (a loaded machine)


class MemoryLimit(DhrkgError):
    """The query needed more memory than a worker may use, and was stopped."""

    status = 507


class WorkerCrash(DhrkgError):
    """The worker running a query died (a bug, or a limit of the machine): the query was not answered."""

    status = 503


@dataclass(frozen=True)
class Spec:
    """What a worker process opens and how it is limited."""

    path: str  # the store folder (a reader opens it read-only)
    federation: bool = False
    memory: int | None = None  # bytes of address space; None: no limit
    writer: bool = False  # the one writer: opens the store for writing and checkpoints it for readers
    snapshots: str | None = None  # where the writer puts its checkpoints


def encode(bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None) -> Encoded:
    """Bindings as plain tuples, to cross to a worker."""
    out = []
    for variable, term in (bindings or {}).items():
        if isinstance(term, ox.NamedNode):
            out.append((variable.value, "iri", term.value, ""))
        else:
            out.append((variable.value, "literal", term.value, term.language or term.datatype.value))
    return out


def decode(encoded: Encoded) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
    result: dict[ox.Variable, ox.NamedNode | ox.Literal] = {}
    for name, kind, value, extra in encoded:
        if kind == "iri":
            result[ox.Variable(name)] = ox.NamedNode(value)
        elif ":" in extra:
            result[ox.Variable(name)] = ox.Literal(value, datatype=ox.NamedNode(extra))
        else:
            result[ox.Variable(name)] = ox.Literal(value, language=extra or None)
    return result


def capped(result: Result, max_rows: int) -> Result:
    """``result`` cut to ``max_rows`` rows (or triples), marked as truncated if it was."""
    if len(result) <= max_rows:
        return result
    return Result(result.kind, result.variables, result.terms()[:max_rows], result.boolean, truncated=True)


def limit_memory(limit: int | None) -> None:
    """Cap this process's address space at ``limit`` bytes (where the platform allows it)."""
    if limit is None:
        return
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))


def _main(spec: Spec, connection: Connection, log: str) -> None:
    """A worker's life: set up, report ready, then answer requests until told to stop."""
    descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(descriptor, 2)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops its workers
    from graph.store.embedded import Store
    from graph.store.safety import check, inspect

    check(inspect("ASK { ?s ?p ?o }"))  # loads the parser before the first query, not during it
    if spec.writer:
        store: Any = Store(spec.path, federation=spec.federation)
    else:
        store = Store.open_read_only(spec.path, federation=spec.federation)
        store.query("ASK { ?s ?p ?o }")
    opened = spec.path
    limit_memory(spec.memory)
    connection.send(("ready", _snapshot(store, spec) if spec.writer else ""))
    while True:
        request = connection.recv()
        if request is None:
            return
        kind, *args = request
        try:
            if kind == "nice":
                os.nice(args[0])
                continue
            if kind == "update":
                store.update(args[0])
                connection.send(("ok", _snapshot(store, spec)))
                continue
            if kind == "curate":  # a correction from the web form: checked and applied like a curation file
                from graph.ingestion.curation import curate_text

                done = curate_text(store, args[0], source=args[1])
                connection.send(("ok", (_snapshot(store, spec), summary(done))))
                continue
            path, sparql, encoded, options, max_rows = args
            if path != opened:
                store = None  # closes the previous checkpoint before opening the next
                store = Store.open_read_only(path, federation=spec.federation)
                opened = path
            result = capped(store.query(sparql, bindings=decode(encoded), **options), max_rows)
            connection.send(("ok", result.to_wire()))
        except DhrkgError as err:
            connection.send(("error", (type(err).__name__, err.message, err.status)))
        except MemoryError:
            connection.send(("error", ("MemoryLimit", "", 507)))


def summary(done: Any) -> dict[str, Any]:
    """What recording corrections did, as plain values to cross back to the server."""
    return {"recorded": len(done.recorded), "unchanged": done.unchanged, "notes": list(done.notes),
            "graphs": len(done.graphs)}


def _snapshot(store: Any, spec: Spec) -> str:
    """Checkpoint the store for the readers; returns the checkpoint's folder."""
    assert spec.snapshots is not None
    folder = tempfile.mkdtemp(prefix="snapshot-", dir=spec.snapshots)
    os.rmdir(folder)  # RocksDB creates the checkpoint folder itself
    store.flush()
    store._ox.backup(folder)
    return folder


class Worker:
    """One worker process, seen from the server."""

    def __init__(self, context: Any, spec: Spec, lane: str) -> None:
        self.spec = spec
        self.lane = lane
        fd, self.log = tempfile.mkstemp(prefix="dhrkg-worker-", suffix=".log")
        os.close(fd)
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_main, args=(spec, child, self.log), daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        self.greeting = ""
        self.opened = spec.path  # the store (or checkpoint) it last read
        # The executor may kill a worker from one thread while another waits on its pipe: the
        # pipe is closed once, by whoever is last to use it, never under a waiting thread (its
        # descriptor could be reused meanwhile by any file the process opens).
        self._guard = threading.Lock()
        self._users = 0
        self._dead = False
        self._closed = False

    @contextmanager
    def _using(self) -> Iterator[None]:
        with self._guard:
            if self._dead:
                raise OSError("the worker was stopped")
            self._users += 1
        try:
            yield
        finally:
            with self._guard:
                self._users -= 1
                if self._dead and not self._users:
                    self._close()

    def _close(self) -> None:
        if not self._closed:
            self._closed = True
            self.connection.close()
            Path(self.log).unlink(missing_ok=True)

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT) -> bool:
        """Wait for the worker to report ready; False if it died or took too long (then
        :meth:`death` says why, and stops it)."""
        try:
            with self._using():
                if self.connection.poll(timeout):
                    status, self.greeting = self.connection.recv()
                    self.ready = status == "ready"
        except (EOFError, OSError):
            self.ready = False
        return self.ready

    def call(self, request: tuple[Any, ...], timeout: float) -> Any:
        """Send a request and wait up to ``timeout`` s for the answer.

        :raises TimeoutError: when no answer came in time (the worker is still running it).
        :raises DhrkgError: the error the worker reported, or why it died.
        """
        try:
            with self._using():
                self.connection.send(request)
                answered = self.connection.poll(timeout)
                if answered:
                    status, payload = self.connection.recv()
        except (EOFError, OSError):
            raise self.death() from None
        if not answered:
            raise TimeoutError
        if status == "error":
            name, message, code = payload
            if name == "QueryError":
                raise QueryError(message)
            if name == "MemoryLimit":
                raise self._memory_error()
            raise DhrkgError(message, status=code)
        return payload

    def send(self, request: tuple[Any, ...] | None) -> None:
        try:
            with self._using():
                self.connection.send(request)
        except OSError:
            pass

    def death(self) -> DhrkgError:
        """Why the worker died, from its exit status and the end of its stderr."""
        self.process.join(timeout=5)
        code = self.process.exitcode
        tail = self._log_tail()
        self.kill()
        if "memory allocation of" in tail or "MemoryError" in tail or "std::bad_alloc" in tail:
            return self._memory_error()
        if "overflowed its stack" in tail or code == -signal.SIGSEGV:
            return QueryError("the query is nested too deeply to be evaluated")
        last = tail.strip().splitlines()[-1][:300] if tail.strip() else ""
        return WorkerCrash(f"the query worker stopped unexpectedly (exit status {code}{'; ' + last if last else ''}); "
                           "the query was not answered")

    def _memory_error(self) -> MemoryLimit:
        limit = f"{self.spec.memory / 2**30:g} GiB" if self.spec.memory else "the machine's memory"
        return MemoryLimit(f"the query needed more memory than a query may use ({limit}) and was stopped")

    def _log_tail(self) -> str:
        try:
            with open(self.log, "rb") as handle:
                handle.seek(max(0, os.path.getsize(self.log) - 4096))
                return handle.read().decode("utf-8", errors="replace")
        except OSError:
            return ""

    def kill(self) -> None:
        """Stop the worker now, whatever it is doing."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        with self._guard:
            self._dead = True
            if not self._users:
                self._close()

    def stop(self) -> None:
        """Ask the worker to finish, and kill it if it does not."""
        self.send(None)
        self.process.join(timeout=2)
        self.kill()
