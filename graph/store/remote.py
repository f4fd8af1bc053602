"""A SPARQL server as the store: for teams that share one triplestore.

``--store sparql+http://host:port/query`` (or ``sparql+https://…``) makes dhrkg read through
the SPARQL 1.1 Protocol and write through SPARQL Update, each document still replaced in
one update request (one transaction on Oxigraph, Fuseki and Virtuoso). The update endpoint
is derived (``/query`` → ``/update``) or given: ``…/sparql?update=/sparql-auth``.
Credentials come from the environment (``DHRKG_REMOTE_USER``, ``DHRKG_REMOTE_PASSWORD``,
``DHRKG_REMOTE_AUTH=basic|digest``), never from the URL, and are never printed.

The server must use the union of its named graphs as the default graph, as dhrkg's
embedded store does: ``oxigraph serve --union-default-graph``, Virtuoso by default,
Fuseki with ``tdb2:unionDefaultGraph true``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from graph.errors import DhrkgError, QueryError
from graph.store.base import ONTOLOGY_GRAPH, GraphStore
from graph.store.curation import correct_triples
from graph.store.named_queries import internal_query
from graph.store.prefixes import with_prologue
from graph.store.results import Result
from graph.store.safety import prepare

Bindings = Mapping[ox.Variable, ox.NamedNode | ox.Literal]
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"


class RemoteStore(GraphStore):
    """A remote SPARQL 1.1 server used as the dhrkg store."""

    def __init__(self, query_url: str, update_url: str | None = None, *, read_only: bool = False,
                 federation: bool = False, timeout: float = 120.0, auth: httpx.Auth | None = None) -> None:
        self.query_url = query_url
        self.update_url = update_url or _derived_update_url(query_url)
        self.read_only = read_only
        self.federation = federation
        self.path = None
        self._client = httpx.Client(timeout=timeout, auth=auth if auth is not None else _auth_from_environment(),
                                    headers={"User-Agent": "dhrkg"})
        if not read_only:
            self._load_ontology()

    @classmethod
    def from_spec(cls, spec: str, *, read_only: bool = False, federation: bool = False) -> RemoteStore:
        """A store from ``sparql+http://host:port/path[?update=/path]``."""
        parts = urlsplit(spec)
        scheme = parts.scheme.removeprefix("sparql+")
        if scheme not in ("http", "https") or not parts.netloc:
            raise DhrkgError(f"not a SPARQL store address: {spec!r} (use sparql+http://host:port/query)")
        if "@" in parts.netloc:
            raise DhrkgError("put credentials in DHRKG_REMOTE_USER / DHRKG_REMOTE_PASSWORD, not in the address")
        query_url = urlunsplit((scheme, parts.netloc, parts.path or "/", "", ""))
        update = parse_qs(parts.query).get("update", [None])[0]
        update_url = urlunsplit((scheme, parts.netloc, update, "", "")) if update else None
        return cls(query_url, update_url, read_only=read_only, federation=federation)

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r})"

    def query(self, sparql: str, *, bindings: Bindings | None = None,
              default_graph: list[str] | None = None, named_graphs: list[str] | None = None) -> Result:
        inspection, text = prepare(sparql, bindings, federation=self.federation)
        self.check_local_graphs(inspection.graphs)
        form: dict[str, str | list[str]] = {"query": with_prologue(text)}
        if default_graph:
            form["default-graph-uri"] = list(default_graph)
        if named_graphs:
            form["named-graph-uri"] = list(named_graphs)
        try:
            response = self._client.post(self.query_url, data=form, headers={"Accept": _ACCEPT})
        except httpx.HTTPError as err:
            raise DhrkgError(f"the SPARQL server at {self.query_url} could not be reached: {err}", status=503) from err
        if response.status_code == 400:
            raise QueryError(f"malformed SPARQL: {response.text.strip()[:500]}")
        if response.status_code >= 300:
            raise DhrkgError(f"the SPARQL server answered {response.status_code}: {response.text.strip()[:300]}",
                             status=502)
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if media in ("application/n-triples", "text/turtle", "text/plain"):
            fmt = ox.RdfFormat.N_TRIPLES if media != "text/turtle" else ox.RdfFormat.TURTLE
            triples = [(q.subject, q.predicate, q.object) for q in ox.parse(response.content, format=fmt)]
            return Result("graph", ["subject", "predicate", "object"], triples)  # type: ignore[arg-type]
        parsed = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        if isinstance(parsed, ox.QueryBoolean):
            return Result("ask", [], [], bool(parsed))
        names = [v.value for v in parsed.variables]
        return Result("select", names, [tuple(s[n] for n in names) for s in parsed])

    def __len__(self) -> int:
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows()
        return int(rows[0][0]) if rows else 0  # type: ignore[arg-type]

    def _write(self, update: str) -> None:
        if self.read_only:
            raise DhrkgError("this store is open read-only", status=403)
        try:
            response = self._client.post(self.update_url, data={"update": update})
        except httpx.HTTPError as err:
            raise DhrkgError(f"the SPARQL server at {self.update_url} could not be reached: {err}", status=503) from err
        if response.status_code == 400:
            raise QueryError(f"malformed SPARQL Update: {response.text.strip()[:500]}")
        if response.status_code in (401, 403):
            raise DhrkgError(f"the SPARQL server refused the update ({response.status_code}); set "
                             "DHRKG_REMOTE_USER, DHRKG_REMOTE_PASSWORD and DHRKG_REMOTE_AUTH", status=502)
        if response.status_code >= 300:
            raise DhrkgError(f"the SPARQL server answered {response.status_code} to an update: "
                             f"{response.text.strip()[:300]}", status=502)

    def _load_ontology(self) -> None:
        version, triples = self.ontology_version()
        marker = internal_query("ontology-version")
        if not self.query(marker.text, bindings=marker.bindings({"graph": ONTOLOGY_GRAPH, "version": version})).boolean:
            self.replace_graph(str(ONTOLOGY_GRAPH), correct_triples(self, triples))

    def close(self) -> None:
        self._client.close()


def _derived_update_url(query_url: str) -> str:
    if query_url.endswith("/query"):
        return query_url[: -len("query")] + "update"
    return query_url


def _auth_from_environment() -> httpx.Auth | None:
    user, password = os.environ.get("DHRKG_REMOTE_USER"), os.environ.get("DHRKG_REMOTE_PASSWORD")
    if not user:
        return None
    if os.environ.get("DHRKG_REMOTE_AUTH", "basic").lower() == "digest":
        return httpx.DigestAuth(user, password or "")
    return httpx.BasicAuth(user, password or "")
