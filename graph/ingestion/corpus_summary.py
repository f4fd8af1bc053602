"""The corpus summary: whole-corpus reports, kept so that the big ones answer at once.

Counting recommendations per agency, per theme and year or per theme and agency type joins
every recommendation: at 10,000 reviews (322,000 recommendations) that took 1.3–5 s a query
on disk, at every query. The reports in :data:`SUMMARISED` are therefore kept as ``dhr:Tally``
rows, each report in a graph of its own (:func:`report_graph`). Each of those named queries
reads the tallies while the summary is current and counts from the documents when it is not,
so its answer never depends on whether the summary was kept up to date, only its speed does
(see ``theme-by-agency-type.rq``). One report is a listing rather than a count (agencies named
only in a recommendation's text): kept, it is read in its stored order instead of being joined
and sorted again.

The tallies are totals kept in the corpus index (:mod:`graph.store.corpus_index`,
:mod:`graph.ingestion.tallies`): an ingest counts the documents it touches before and after
the change, moves the totals by the difference, and writes only the rows that changed
(:meth:`CorpusSummary.update`); :func:`summarise` counts every document afresh. Both give the
rows the named queries count from the documents; tests hold them to it.

The summary is current while its graph holds ``dhr:summaryFingerprint``, written after every
report's tallies, and the summarised queries read only tallies of their own version
(:data:`SUMMARY_VERSION`). Every write to any other graph but the analysis removes that marker
first (see :mod:`graph.store.embedded`), in the same transaction where it can, so a reader never
gets counts older than the documents, and an interrupted write leaves the marker removed, never
a stale one. ``dhrkg link`` recounts a summary outdated by other writes (a SPARQL Update, a
remote store loaded with other tools). Tallies hold counts, IRIs and the names of
organisations, themes and CSPs, never review text; an outdated tally stays in its graph, unread
by the named queries, until the next count replaces it.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Literal

from graph.ingestion import tallies
from graph.ingestion.matching import MATCH_GRAPH, MatchReport, groups_of, match_again
from graph.ingestion.tallies import SEP, Counted, NodeFacts, Row, Totals
from graph.model.iris import short_hash
from graph.model.terms import DHR, ID, RDF, XSD
from graph.rdf.builder import Lit, Object
from graph.rdf.digest import DocumentDigest
from graph.store import updates
from graph.store.base import SUMMARY_GRAPH, GraphStore, StoredDocument, nquads, source_hashes
from graph.store.corpus_index import CorpusIndex, summary_marker
from graph.store.named_queries import named_query

__all__ = ["RANKED", "SUMMARISED", "SUMMARY_VERSION", "CorpusSummary", "fingerprint", "report_graph", "sort_key",
           "summarise", "summary_state"]

SUMMARISED = ("recommendations-per-agency", "agencies-repeated-themes", "agencies-in-several-reviews",
              "recommendations-per-agency-type", "recommendations-per-theme", "reviews-per-csp", "theme-by-agency-type",
              "themes-per-year", "stats", "agencies-named-only-in-text")
"""The named queries answered from the summary while it is current."""

SUMMARY_VERSION = 4
"""The version of the summarised queries the tallies were counted by, stored beside the marker
(``dhr:summaryVersion``). Each summarised query reads tallies of its own version only, so an
upgraded dhrkg, even one that opens a store read-only, never reads rows its queries no longer
give or misses a report added since: it counts from the documents until the next recount.
Raise it whenever a summarised query changes (a test holds the queries' text to it).
3: a review known from several sources counts once; ranks are sort keys."""

RANKED = {"recommendations-per-agency": "name", "agencies-in-several-reviews": "name",
          "agencies-repeated-themes": "agencyName", "agencies-named-only-in-text": "recommendation"}
"""Reports with thousands of rows, and the column their kept rank sorts like (see :func:`sort_key`)."""

_COUNT_COLUMNS = frozenset({"recommendations", "reviews", "agencies", "csps", "sources", "review_matches"})
"""Columns that are counts, not part of what a row is about (so a recount keeps the row's IRI)."""

_KINDS = ("agency", "agency-theme", "type", "theme", "theme-type", "year-theme", "csp", "stats")


def summary_state(store: GraphStore) -> Literal["current", "outdated"]:
    """Whether the summary was counted from the documents now in the store.

    >>> from graph import Store, ingest
    >>> from graph.resources import data_dir
    >>> store = Store(); _ = ingest(store, [data_dir() / "seed"])
    >>> summary_state(store)
    'current'
    >>> store.remove_document("000_58cfa34b200ccabd.txt"); summary_state(store)
    'outdated'
    """
    return "current" if summary_marker(store) == fingerprint(store.fingerprint()) else "outdated"


def summarise(store: GraphStore) -> bool:
    """Count the summarised reports from every document and store them as tallies, unless the
    summary is current; returns whether it counted. The tallies are written as the difference
    from the stored ones.

    >>> from graph import Store
    >>> store = Store()
    >>> summarise(store), summarise(store)
    (True, False)
    """
    if summary_marker(store) == fingerprint(store.fingerprint()):
        return False
    CorpusSummary(store, CorpusIndex.rebuild(store)).update({})
    return True


def fingerprint(documents: str) -> str:
    """The marker of a summary counted from documents of fingerprint ``documents`` by these
    queries: a new release that counts differently counts again."""
    queries = "\n".join(named_query(name).text for name in SUMMARISED)
    return short_hash(documents + "\n" + queries, 32)


def report_graph(name: str) -> str:
    """The graph holding the tallies of the summarised report ``name``; a query that reads only
    this graph scans its own rows, not every report's.

    >>> report_graph("stats")
    'https://w3id.org/dhrkg/id/graph/summary/stats'
    """
    return f"{SUMMARY_GRAPH}/{name}"


def sort_key(text: str) -> int:
    """An integer that sorts as ``text`` does wherever their first seven bytes differ.

    >>> sort_key("Avon") < sort_key("Avon and Somerset") < sort_key("Bedfordshire")
    True
    """
    return int.from_bytes(text.encode("utf-8")[:7].ljust(7, b"\0"), "big")


_RECOMMENDATIONS = f"{ID}recommendation/"


class CorpusSummary:
    """The summary of one store: its corpus index, and the tallies counted from it."""

    def __init__(self, store: GraphStore, index: CorpusIndex) -> None:
        self.store, self.index = store, index
        self.staged: set[str] = set()  # documents indexed already (see :meth:`stage`)
        self.pending: list[Callable[[], object]] = []  # writes :meth:`update` left for :meth:`finish`

    @classmethod
    def open(cls, store: GraphStore, stored: Mapping[str, StoredDocument] | None = None) -> CorpusSummary:
        """The summary kept for ``store``: its index while it describes the store, else one read again."""
        return cls(store, CorpusIndex.open(store, stored))

    @property
    def fresh(self) -> bool:
        """Whether the next :meth:`update` counts every document afresh (nothing counted yet, or
        the index was just read again): then documents may be indexed as they come (:meth:`stage`)."""
        return self.index.rebuilt or not self.index.rows("SELECT 1 FROM totals LIMIT 1")

    def stage(self, documents: Iterable[DocumentDigest]) -> None:
        """Index new documents now, when the summary will be counted afresh anyway, so that
        indexing overlaps the writing of the documents."""
        documents = list(documents)
        self.index.begin()
        for doc in documents:
            if doc.key in self.staged:  # the same key read from two folders: the later one replaces it
                self.index.remove(doc.key)
        self.index.add_many(documents, new=True)
        self.staged.update(d.key for d in documents)

    def unstage(self, keys: Iterable[str]) -> None:
        """Forget documents staged whose writing failed."""
        for key in keys:
            self.index.remove(key)
            self.staged.discard(key)

    def update(self, documents: Mapping[str, DocumentDigest | None], *, defer: bool = False) -> MatchReport | None:
        """Index the documents added or replaced (their digest) or removed (None), match the
        records of the reviews they are in again, and bring the tallies up to date: by the
        difference those documents make, or counted afresh when the index was just read again.
        Returns the matches found, when any were looked for. With ``defer`` the writes to the
        store wait for :meth:`finish` (the counting can then run while documents are written)."""
        index, store = self.index, self.store
        fresh = self.fresh
        index.begin()
        changed = sorted(documents)
        groups = None if fresh else groups_of([d for d in documents.values() if d is not None]) | {
            (csp, year) for csp, year in index.rows_in(
                "SELECT csp, year FROM records WHERE doc IN ({marks}) AND csp IS NOT NULL AND year IS NOT NULL",
                changed)}
        scope: set[str] | None = None
        before: Counted = {}
        named_before: dict[str, dict[Lit, int]] = {}
        touched: set[str] = set()
        facts_before = NodeFacts()
        if not fresh:
            assert groups is not None
            scope = set(changed) | {d for csp, year in groups for (d,) in index.rows(
                "SELECT DISTINCT doc FROM records WHERE csp = ? AND year = ?", (csp, year))}
            touched = self._described(changed, documents)
            retyped = {n for n in touched if self._classified(n, changed, documents)}
            scope |= {d for n in retyped
                      for (d,) in index.rows("SELECT DISTINCT doc FROM rec_agencies WHERE agency = ?", (n,))}
            before, named_before = tallies.count(index, scope)
            facts_before = tallies.node_facts(index, touched)  # only what the changed documents say can change
            touched |= set(before["agency"])
        for key, doc in documents.items():
            if doc is None:
                index.remove(key)
        index.add_many(doc for key, doc in documents.items() if doc is not None and key not in self.staged)
        matches = None
        if documents or fresh:
            matches, text = match_again(index, groups)
            if text is not None:
                self.pending.append(lambda: store.replace_graph_text(str(MATCH_GRAPH), text))
        index.update_reviews()
        after, named_after = tallies.count(index, scope)
        touched |= set(after["agency"])
        facts = tallies.node_facts(index, touched | set(after["csp"]) | set(before.get("csp", {})))
        facts_before = _before(facts_before, facts)
        if fresh:
            self._count_afresh(after, named_after, facts)
        else:
            self._count_difference(before, after, named_before, named_after, facts_before, facts, touched)
        if not defer:
            self.finish()
        return matches

    def finish(self) -> None:
        """Make the writes :meth:`update` left, in order, and keep the index."""
        pending, self.pending = self.pending, []
        for write in pending:
            write()

    def _described(self, changed: list[str], documents: Mapping[str, DocumentDigest | None]) -> set[str]:
        """The nodes the changed documents name, label, classify or type, old and new."""
        nodes = {n for table in ("labels", "classes", "typed") for (n,) in self.index.rows_in(
            f"SELECT DISTINCT node FROM {table} WHERE doc IN ({{marks}})", changed)}  # noqa: S608 - a table of ours
        for doc in documents.values():
            if doc is not None:
                nodes |= {n for n, _ in doc.labels} | {n for n, _ in doc.classifications}
                nodes |= set(doc.organisations) | set(doc.csps)
        return nodes

    def _classified(self, node: str, changed: list[str], documents: Mapping[str, DocumentDigest | None]) -> bool:
        old = bool(self.index.rows_in("SELECT 1 FROM classes WHERE doc IN ({marks}) AND node = ?", changed, (node,)))
        return old or any(doc is not None and any(n == node for n, _ in doc.classifications)
                          for doc in documents.values())

    # ------------------------------------------------------------------ totals

    def _count_afresh(self, counted: Counted, named: dict[str, dict[Lit, int]], facts: NodeFacts) -> None:
        index = self.index
        for table in ("totals", "named"):
            index.db.execute(f"DELETE FROM {table}")  # noqa: S608
        totals = Totals(index)
        kinds_of: dict[str, int] = defaultdict(int)
        for agency, (recs, _) in counted["agency"].items():
            for kind in facts.types.get(agency, ()):
                kinds_of[kind] += recs > 0
        counted["type"] = {k: (*v[:2], kinds_of[k]) for k, v in counted["type"].items()}
        agencies = sum(1 for a, (recs, _) in counted["agency"].items() if recs and a in facts.organisations)
        csps = len(index.rows("SELECT DISTINCT node FROM typed WHERE kind = 'csp'"))
        counted["stats"] = {"": (*counted["stats"].get("", (0, 0, 0)), agencies, csps, len(index.matches()))}
        for kind in _KINDS:
            totals.write(kind, counted[kind])
        index.db.executemany("INSERT INTO named VALUES (?, ?)", [(k, tallies.dumps(v)) for k, v in named.items()])
        themes, _ = tallies.names(index)
        counted["theme"] = {top: counted["theme"].get(top, (0, 0)) for top in themes}
        self._write({kind: set(counted[kind]) for kind in _KINDS}, set(named), facts, whole=True)

    def _count_difference(self, before: Counted, after: Counted, named_before: dict[str, dict[Lit, int]],
                          named_after: dict[str, dict[Lit, int]], old: NodeFacts, new: NodeFacts,
                          touched: set[str]) -> None:
        totals = Totals(self.index)
        keys: dict[str, set[str]] = {kind: set(before.get(kind, {})) | set(after.get(kind, {})) for kind in _KINDS}
        labelled = {n for n in touched
                    if old.labels.get(n) != new.labels.get(n) or old.types.get(n) != new.types.get(n)}
        keys["agency"] |= touched
        keys["csp"] |= {n for n in touched if n in old.csps or n in new.csps}
        for node in labelled:
            keys["agency-theme"] |= {k for (k,) in self.index.rows(
                "SELECT key FROM totals WHERE kind = 'agency-theme' AND key LIKE ? ESCAPE '!'", (_like(node),))}
        moved: dict[str, dict[str, tuple[int, ...]]] = {}
        for kind in _KINDS:
            if kind == "stats":
                continue
            kept = totals.read(kind, keys[kind])
            moved[kind] = {}
            for key in keys[kind]:
                kept_counts, came, went = kept.get(key, ()), after[kind].get(key, ()), before[kind].get(key, ())
                width = max(len(kept_counts), len(came), len(went), 2)
                moved[kind][key] = tuple(_at(kept_counts, i) - _at(went, i) + _at(came, i) for i in range(width))
        agencies_delta = 0
        per_type: dict[str, int] = defaultdict(int)
        previous = totals.read("agency", keys["agency"])
        for agency in keys["agency"]:
            was = _at(previous.get(agency, ()), 0) > 0
            now = moved["agency"][agency][0] > 0
            agencies_delta += (now and agency in new.organisations) - (was and agency in old.organisations)
            for kind in new.types.get(agency, frozenset()):
                per_type[kind] += now
                keys["type"].add(kind)
            for kind in old.types.get(agency, frozenset()):
                per_type[kind] -= was
                keys["type"].add(kind)
        kept_types = totals.read("type", keys["type"])
        for kind in keys["type"]:
            recs_reviews = moved["type"].get(kind) or kept_types.get(kind, (0, 0, 0))[:2]
            agencies = _at(kept_types.get(kind, ()), 2) + per_type.get(kind, 0)
            moved["type"][kind] = (*recs_reviews[:2], agencies)
        csps_delta = sum((n in new.csps) - (n in old.csps) for n in touched)
        stats = totals.read("stats", [""]).get("", (0, 0, 0, 0, 0, 0))
        went, came = before["stats"].get("", (0, 0, 0)), after["stats"].get("", (0, 0, 0))
        moved["stats"] = {"": (*(stats[i] - went[i] + came[i] for i in range(3)), _at(stats, 3) + agencies_delta,
                               _at(stats, 4) + csps_delta, len(self.index.matches()))}
        keys["stats"] = {""}
        for kind in _KINDS:
            totals.write(kind, moved[kind])
        named_keys = set(named_before) | set(named_after)
        for node in labelled:
            named_keys |= {k for (k,) in self.index.rows("SELECT key FROM named WHERE key LIKE ? ESCAPE '!'",
                                                         (f"%{SEP}{_escape(node)}",))}
        kept_named = {k: tallies.loads(v) for k, v in self.index.rows_in(
            "SELECT key, said FROM named WHERE key IN ({marks})", sorted(named_keys))}
        for key in named_keys:
            counting: dict[Lit, int] = defaultdict(int, kept_named.get(key, {}))
            for lit, n in named_before.get(key, {}).items():
                counting[lit] -= n
            for lit, n in named_after.get(key, {}).items():
                counting[lit] += n
            said = {lit: n for lit, n in counting.items() if n}
            self.index.db.execute("DELETE FROM named WHERE key = ?", (key,))
            if said:
                self.index.db.execute("INSERT INTO named VALUES (?, ?)", (key, tallies.dumps(said)))
        self._write(keys, named_keys, new, whole=False)

    # ------------------------------------------------------------------ rows and tallies

    def _write(self, keys: dict[str, set[str]], named_keys: set[str], facts: NodeFacts, *, whole: bool) -> None:
        """Write the rows of ``keys`` that differ from those written before, and mark the summary
        current, in one update (every report's tallies loaded whole when ``whole``)."""
        index, store = self.index, self.store
        themes, kinds = tallies.names(index)
        totals = Totals(index)
        nodes = {k.split(SEP)[0] for k in keys.get("agency-theme", ())} | keys.get("agency", set()) | \
            keys.get("csp", set()) | {k.split(SEP)[2] for k in named_keys}
        facts = tallies.node_facts(index, nodes)
        new: dict[tuple[str, str], dict[str, Row]] = defaultdict(dict)
        for kind in _KINDS:
            for key, counts in totals.read(kind, keys.get(kind, ())).items():
                for report, found in tallies.rows_of(kind, key, counts, facts, themes, kinds).items():
                    for row in found:
                        new[(report, key)][_iri(report, row)] = row
            for key in keys.get(kind, ()):
                if kind == "theme" and key in themes:  # every top-level theme has a row, 0 or not
                    counts = totals.read(kind, [key]).get(key, (0, 0))
                    for report, found in tallies.rows_of(kind, key, counts, facts, themes, kinds).items():
                        for row in found:
                            new[(report, key)][_iri(report, row)] = row
        kept_named = dict(index.rows_in("SELECT key, said FROM named WHERE key IN ({marks})", sorted(named_keys)))
        for key in named_keys:
            listed = tallies.named_row(key, tallies.loads(kept_named[key]), facts) if key in kept_named else None
            if listed is not None:
                new[("agencies-named-only-in-text", key)][_iri("agencies-named-only-in-text", listed)] = listed
        wanted = {(kind, key) for kind in _KINDS for key in keys.get(kind, ())}
        reports = _reports_of(wanted) | {("agencies-named-only-in-text", k) for k in named_keys}
        old = self._written(reports) if not whole else {}
        self.pending.append(store.outdate_summary)
        if whole:
            index.db.execute("DELETE FROM tallies")
            graphs: dict[str, list[str]] = {report_graph(name): [] for name in SUMMARISED}
            for (report, _), rows in new.items():
                for iri, row in rows.items():
                    graphs[report_graph(report)].extend(_tally_lines(report, iri, row))
            self.pending.append(lambda: _write_whole(store, graphs))
            operations: list[str] = []
        else:
            gone: dict[str, list[str]] = defaultdict(list)
            came: dict[str, list[str]] = defaultdict(list)
            for slot in reports:
                before, after = old.get(slot, {}), new.get(slot, {})
                for iri in before.keys() | after.keys():
                    if before.get(iri) != after.get(iri):
                        was = set(_tally_lines(slot[0], iri, before[iri])) if iri in before else set()
                        now = set(_tally_lines(slot[0], iri, after[iri])) if iri in after else set()
                        gone[slot[0]].extend(was - now)
                        came[slot[0]].extend(now - was)
            operations = [updates.delete_data(report_graph(r), "\n".join(lines)) for r, lines in gone.items() if lines]
            operations += [updates.insert_data(report_graph(r), "\n".join(lines)) for r, lines in came.items() if lines]
            index.db.executemany("DELETE FROM tallies WHERE report = ? AND key = ?", sorted(reports))
        index.db.executemany("INSERT INTO tallies VALUES (?, ?, ?, ?)", [
            (report, key, iri, json.dumps({c: _plain(v) for c, v in row.items()}))
            for (report, key), rows in new.items() for iri, row in rows.items()])
        operations.append(updates.delete_values(str(SUMMARY_GRAPH), str(SUMMARY_GRAPH), str(DHR.summaryVersion)))

        def mark() -> None:
            # Marked with the store's own fingerprint once the documents counted are all written
            # (it covers library records and curated corrections, which the index does not hold).
            held = store.source_hashes()
            marker = fingerprint(store.fingerprint(held))
            marked = [f"<{SUMMARY_GRAPH}> <{DHR.summaryFingerprint}> {Lit(marker)} .",
                      f"<{SUMMARY_GRAPH}> <{DHR.summaryVersion}> {Lit(str(SUMMARY_VERSION), str(XSD.integer))} ."]
            marking = updates.insert_data(str(SUMMARY_GRAPH), "\n".join(marked))
            # The marker is the index's only with the very documents the store holds: then the
            # next open may take the index as current without listing them (CorpusIndex.open).
            # The index is kept first without it, and given it once the store holds it: a run
            # stopped between the two leaves them different, so the next open reads everything.
            current = source_hashes(index.stored()) == held
            index.commit("")
            store.update_derived(updates.sequence([*operations, marking]))
            if current:
                index.begin()
                index.commit(marker)

        self.pending.append(mark)  # last: tallies are read once every report is in place

    def _written(self, reports: set[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Row]]:
        found: dict[tuple[str, str], dict[str, Row]] = defaultdict(dict)
        by_report: dict[str, list[str]] = defaultdict(list)
        for report, key in reports:
            by_report[report].append(key)
        for report, keys in by_report.items():
            for key, iri, row in self.index.rows_in(
                    "SELECT key, iri, row FROM tallies WHERE key IN ({marks}) AND report = ?", keys, (report,)):
                found[(report, key)][iri] = {c: _unplain(v) for c, v in json.loads(row).items()}
        return found


def _before(described: NodeFacts, now: NodeFacts) -> NodeFacts:
    """What was true of every node before the change: as now, but for the nodes the changed
    documents described (``described``, read before the change)."""
    said = set(described.types)
    return NodeFacts(
        {n: v for n, v in now.labels.items() if n not in said} | described.labels,
        {n: v for n, v in now.types.items() if n not in said} | described.types,
        (now.organisations - said) | described.organisations, (now.csps - said) | described.csps)


_REPORTS = {"agency": ("recommendations-per-agency", "agencies-in-several-reviews"),
            "agency-theme": ("agencies-repeated-themes",), "type": ("recommendations-per-agency-type",),
            "theme": ("recommendations-per-theme",), "theme-type": ("theme-by-agency-type",),
            "year-theme": ("themes-per-year",), "csp": ("reviews-per-csp",), "stats": ("stats",)}


def _reports_of(wanted: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    return {(report, key) for kind, key in wanted for report in _REPORTS[kind]}


def _at(values: tuple[int, ...], i: int) -> int:
    return values[i] if i < len(values) else 0


def _escape(text: str) -> str:
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def _like(node: str) -> str:
    return f"{_escape(node)}{SEP}%"


def _iri(report: str, row: Row) -> str:
    identity = "\x1f".join(f"{column}={_text(value)}" for column, value in sorted(row.items())
                           if column not in _COUNT_COLUMNS)
    return f"{ID}tally/{report}/{short_hash(identity)}"


def _write_whole(store: GraphStore, graphs: dict[str, list[str]]) -> None:
    """Every report's tallies: bulk-loaded when none is stored yet (a first count writes about
    130 triples per review; a transaction writes some 20,000 a second), else each replaced by
    its difference from the stored one."""
    if set(graphs) & set(store.graphs()):
        for graph, lines in graphs.items():
            store.replace_graph_text(graph, "\n".join(lines))
        return
    folder = store.cache_folder()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dhrkg-tallies-", dir=folder) as spool:
        path = Path(spool) / "tallies.nq"
        with path.open("w", encoding="utf-8") as out:
            for graph, lines in graphs.items():
                out.write(nquads(graph, lines))
        store.load_new_graphs(path, list(graphs), sum(map(len, graphs.values())))


def _text(value: Object) -> str:
    return str(value) if isinstance(value, Lit) else f"<{value}>"


def _tally_lines(name: str, iri: str, row: Row) -> list[str]:
    lines = [f"<{iri}> <{RDF.type}> <{DHR.Tally}> .", f"<{iri}> <{DHR.tallyOf}> {Lit(name)} ."]
    if name in RANKED:
        ranked = row[RANKED[name]]
        text = ranked.value if isinstance(ranked, Lit) else ranked.removeprefix(_RECOMMENDATIONS)
        lines.append(f"<{iri}> <{DHR.tallyRank}> {Lit(str(sort_key(text)), str(XSD.integer))} .")
    for column, value in row.items():
        lines.append(f"<{iri}> <{_column(column)}> {_text(value)} .")
    return lines


def _column(variable: str) -> str:
    """The tally property of a report column: ``review_matches`` → ``dhr:tallyReviewMatches``."""
    first, *rest = variable.split("_")
    return str(getattr(DHR, "tally" + first[0].upper() + first[1:] + "".join(part.capitalize() for part in rest)))


def _plain(value: Object) -> object:
    return list(value) if isinstance(value, Lit) else value


def _unplain(value: object) -> Object:
    return Lit(*value) if isinstance(value, list) else str(value)
