"""The counts behind the summarised reports, counted from the corpus index.

A report's counts are counted over a set of documents (:func:`count`): all of them, for a
count afresh, or only those a change touches, counted before and after the change, so the
totals kept move by the difference (:class:`Totals`). Recommendations belong to one document
and reviews to the documents of their records, so the counts of a set of documents that holds
every record of each review it touches add up exactly. Counts of reviews are of reviews, not
records: the records of one review found in several sources (``dhr:sameReviewAs``) count once,
under the review's first record by IRI, exactly as the summarised named queries count from the
documents (a test holds every report to the query's own answer). A review counts for a
document's recommendations through the document that holds them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.model.terms import DHR, XSD
from graph.rdf.builder import Lit, Object
from graph.store.corpus_index import CorpusIndex

__all__ = ["SEP", "Counted", "NodeFacts", "Row", "Totals", "count", "dumps", "loads", "named_row", "names",
           "node_facts", "rows_of"]

Row = dict[str, Object]
Counted = dict[str, dict[str, tuple[int, ...]]]  # kind → key → counts
_INTEGER = str(XSD.integer)
_ALL_AGENCIES = str(DHR.AllAgencies)
SEP = "\x1f"

_SCOPED = "doc IN (SELECT doc FROM scope)"
_TYPES = ("SELECT DISTINCT node, class FROM classes WHERE node IN "
          "(SELECT agency FROM rec_agencies WHERE doc IN (SELECT doc FROM scope))")
"""Each agency's types, once each (every document describing a body repeats its type), for the
agencies the documents in scope name."""
_COUNTS = {
    # per agency: recommendations, reviews
    "agency": """SELECT ra.agency, COUNT(DISTINCT ra.rec), COUNT(DISTINCT c.review)
                 FROM rec_agencies ra LEFT JOIN counted c ON c.doc = ra.doc
                 WHERE ra.{scope} GROUP BY ra.agency""",
    # per agency and top-level theme: recommendations, reviews
    # (these two start from the documents in scope: left to choose, SQLite walks every addressing
    # of each agency in agency order to save a sort, 0.2 s at 10,000 reviews for a scope of five)
    "agency-theme": """SELECT ra.agency || char(31) || tp.top, COUNT(DISTINCT ra.rec), COUNT(DISTINCT c.review)
                       FROM scope s CROSS JOIN rec_agencies ra ON ra.doc = s.doc
                       JOIN rec_themes rt ON rt.rec = ra.rec JOIN tops tp ON tp.theme = rt.theme
                       LEFT JOIN counted c ON c.doc = ra.doc
                       GROUP BY ra.agency, tp.top""",
    # per agency type: recommendations, reviews
    "type": """SELECT cl.class, COUNT(DISTINCT ra.rec), COUNT(DISTINCT c.review)
               FROM rec_agencies ra JOIN ({types}) cl ON cl.node = ra.agency LEFT JOIN counted c ON c.doc = ra.doc
               WHERE ra.{scope} GROUP BY cl.class""",
    # per top-level theme: recommendations, reviews
    "theme": """SELECT tp.top, COUNT(DISTINCT rt.rec), COUNT(DISTINCT c.review)
                FROM rec_themes rt JOIN tops tp ON tp.theme = rt.theme LEFT JOIN counted c ON c.doc = rt.doc
                WHERE rt.{scope} GROUP BY tp.top""",
    # per top-level theme and agency type: recommendations
    "theme-type": """SELECT tp.top || char(31) || cl.class, COUNT(DISTINCT rt.rec)
                     FROM scope s CROSS JOIN rec_themes rt ON rt.doc = s.doc JOIN tops tp ON tp.theme = rt.theme
                     JOIN rec_agencies ra ON ra.rec = rt.rec JOIN ({types}) cl ON cl.node = ra.agency
                     GROUP BY tp.top, cl.class""",
    # per year (of publication, else of death) and top-level theme: recommendations
    "year-theme": """SELECT SUBSTR(COALESCE(r.issued, r.year), 1, 4) || char(31) || tp.top, COUNT(DISTINCT rt.rec)
                     FROM rec_themes rt JOIN tops tp ON tp.theme = rt.theme JOIN recs x ON x.iri = rt.rec
                     JOIN records r ON r.iri = x.record
                     WHERE rt.{scope} AND COALESCE(r.issued, r.year) IS NOT NULL
                     GROUP BY SUBSTR(COALESCE(r.issued, r.year), 1, 4), tp.top""",
    # per CSP: reviews, recommendations
    "csp": """SELECT r.csp, COUNT(DISTINCT r.review), COUNT(DISTINCT x.iri)
              FROM records r LEFT JOIN recs x ON x.record = r.iri
              WHERE r.{scope} AND r.csp IS NOT NULL GROUP BY r.csp""",
    # the whole corpus: reviews, recommendations, sources
    "stats": """SELECT '', (SELECT COUNT(DISTINCT review) FROM records WHERE {scope}),
                       (SELECT COUNT(*) FROM recs WHERE {scope}),
                       (SELECT IFNULL(SUM(sources), 0) FROM docs WHERE key IN (SELECT doc FROM scope))""",
}


def count(index: CorpusIndex, docs: Iterable[str] | None) -> tuple[Counted, dict[str, dict[Lit, int]]]:
    """Every report's counts over ``docs`` (every document when None), and the words each
    recommendation's text used for each agency it alone names, by ``rec␟review␟agency``."""
    db = index.db
    db.execute("DROP TABLE IF EXISTS temp.scope")
    db.execute("DROP TABLE IF EXISTS temp.counted")
    db.execute("CREATE TEMP TABLE scope (doc TEXT PRIMARY KEY)")
    if docs is None:
        db.execute("INSERT INTO scope SELECT key FROM docs")
    else:
        db.executemany("INSERT OR IGNORE INTO scope VALUES (?)", [(d,) for d in docs])
    db.execute("CREATE TEMP TABLE counted AS SELECT doc, MIN(review) AS review FROM records "
               "WHERE doc IN (SELECT doc FROM scope) GROUP BY doc")
    counted: Counted = {}
    for kind, sql in _COUNTS.items():
        counted[kind] = {str(key): tuple(int(n or 0) for n in counts)
                         for key, *counts in db.execute(sql.format(scope=_SCOPED, types=_TYPES))}
    named: dict[str, dict[Lit, int]] = defaultdict(lambda: defaultdict(int))
    for rec, record, agency, value, language, datatype in db.execute(
            f"SELECT rec, record, agency, value, language, datatype FROM named_only WHERE {_SCOPED}"):  # noqa: S608
        named[SEP.join((rec, record, agency))][Lit(value, datatype, language)] += 1
    return counted, named


@dataclass
class NodeFacts:
    """What the index says of some agencies and CSPs: names, types, whether organisations."""

    labels: dict[str, Lit] = field(default_factory=dict)  # the first label (what MIN(?label) picks)
    types: dict[str, frozenset[str]] = field(default_factory=dict)
    organisations: set[str] = field(default_factory=set)
    csps: set[str] = field(default_factory=set)  # typed as CSPs


def node_facts(index: CorpusIndex, nodes: Iterable[str]) -> NodeFacts:
    facts = NodeFacts()
    wanted = sorted(set(nodes))
    types: dict[str, set[str]] = defaultdict(set)
    for node, value, language, datatype in index.rows_in(  # a node's rows in one chunk, in this order
            "SELECT node, value, language, datatype FROM labels WHERE node IN ({marks}) "
            "ORDER BY node, value, IFNULL(language, ''), IFNULL(datatype, '')", wanted):
        facts.labels.setdefault(node, Lit(value, datatype, language))
    for node, cls in index.rows_in("SELECT DISTINCT node, class FROM classes WHERE node IN ({marks})", wanted):
        types[node].add(cls)
    for node, kind in index.rows_in("SELECT DISTINCT node, kind FROM typed WHERE node IN ({marks})", wanted):
        (facts.organisations if kind == "org" else facts.csps).add(node)
    facts.types = {node: frozenset(types.get(node, ())) for node in wanted}
    return facts


def _n(value: int) -> Lit:
    return Lit(str(value), _INTEGER)


@dataclass
class Totals:
    """Every report's counts over the whole corpus, as kept in the index (``totals`` table)."""

    index: CorpusIndex

    def read(self, kind: str, keys: Iterable[str]) -> dict[str, tuple[int, ...]]:
        found = {}
        wanted = sorted(set(keys))
        for key, counts in self.index.rows_in("SELECT key, counts FROM totals WHERE key IN ({marks}) AND kind = ?",
                                              wanted, (kind,)):
            found[key] = tuple(json.loads(counts))
        return found

    def write(self, kind: str, values: dict[str, tuple[int, ...]]) -> None:
        db = self.index.db
        kept = {k: v for k, v in values.items() if any(v) or kind == "stats"}  # stats is one row, zeros or not
        db.executemany("DELETE FROM totals WHERE kind = ? AND key = ?", [(kind, k) for k in values if k not in kept])
        db.executemany("INSERT OR REPLACE INTO totals VALUES (?, ?, ?)",
                       [(kind, k, json.dumps(v)) for k, v in kept.items()])

    def keys(self, kind: str) -> list[str]:
        return [key for (key,) in self.index.rows("SELECT key FROM totals WHERE kind = ?", [kind])]


def names(index: CorpusIndex) -> tuple[dict[str, list[tuple[Lit, Lit]]], dict[str, list[tuple[Lit, Lit]]]]:
    """Each top-level theme's and agency type's notations and labels."""
    themes: dict[str, list[tuple[Lit, Lit]]] = defaultdict(list)
    kinds: dict[str, list[tuple[Lit, Lit]]] = defaultdict(list)
    for concept, kind, *values in index.rows("SELECT * FROM names ORDER BY concept, code, label"):
        pair = (Lit(values[0], values[2], values[1]), Lit(values[3], values[5], values[4]))
        (themes if kind == "theme" else kinds)[concept].append(pair)
    return themes, kinds


def rows_of(kind: str, key: str, counts: tuple[int, ...], facts: NodeFacts,
            themes: dict[str, list[tuple[Lit, Lit]]], kinds: dict[str, list[tuple[Lit, Lit]]]) -> dict[str, list[Row]]:
    """The rows (by report) that the totals of one key make, as the named queries return them;
    a report that does not show a row (a count under its threshold) gets none."""
    found: dict[str, list[Row]] = defaultdict(list)
    if kind == "agency":
        recs, reviews = counts[:2]
        name = facts.labels.get(key)
        if recs and name is not None:
            row: Row = {"agency": key, "name": name, "recommendations": _n(recs), "reviews": _n(reviews)}
            codes = [code for t in facts.types.get(key, ()) for code, _ in kinds.get(t, ())]
            if codes:
                row["type"] = min(codes, key=_order)
            found["recommendations-per-agency"].append(row)
            if reviews > 1 and key != _ALL_AGENCIES:
                found["agencies-in-several-reviews"].append(dict(row))
    elif kind == "agency-theme":
        agency, top = key.split(SEP)
        recs, reviews = counts[:2]
        name = facts.labels.get(agency)
        if reviews > 1 and agency != _ALL_AGENCIES and name is not None:
            for code, label in themes.get(top, ()):
                found["agencies-repeated-themes"].append({
                    "agency": agency, "agencyName": name, "themeCode": code, "themeLabel": label,
                    "reviews": _n(reviews), "recommendations": _n(recs)})
    elif kind == "type":
        recs, reviews, agencies = (*counts, 0, 0, 0)[:3]
        if recs:
            for code, label in kinds.get(key, ()):
                found["recommendations-per-agency-type"].append({
                    "type": key, "code": code, "label": label, "recommendations": _n(recs),
                    "reviews": _n(reviews), "agencies": _n(agencies)})
    elif kind == "theme":
        recs, reviews = (*counts, 0, 0)[:2]
        for code, label in themes.get(key, ()):
            found["recommendations-per-theme"].append({
                "theme": key, "code": code, "label": label, "recommendations": _n(recs), "reviews": _n(reviews)})
    elif kind == "theme-type":
        top, kind_ = key.split(SEP)
        for theme_code, theme_label in themes.get(top, ()):
            for type_code, type_label in kinds.get(kind_, ()):
                found["theme-by-agency-type"].append({
                    "themeCode": theme_code, "themeLabel": theme_label, "typeCode": type_code,
                    "typeLabel": type_label, "recommendations": _n(counts[0])})
    elif kind == "year-theme":
        year, top = key.split(SEP)
        for code, label in themes.get(top, ()):
            found["themes-per-year"].append({"year": Lit(year), "themeCode": code, "themeLabel": label,
                                             "recommendations": _n(counts[0])})
    elif kind == "csp":
        reviews, recs = counts[:2]
        name = facts.labels.get(key)
        if reviews and name is not None and key in facts.csps:
            found["reviews-per-csp"].append({"csp": key, "name": name, "reviews": _n(reviews),
                                             "recommendations": _n(recs)})
    elif kind == "stats":
        reviews, recs, sources, agencies, csps, matches = (*counts, 0, 0, 0, 0, 0, 0)[:6]
        found["stats"].append({"reviews": _n(reviews), "recommendations": _n(recs), "agencies": _n(agencies),
                               "csps": _n(csps), "sources": _n(sources), "review_matches": _n(matches)})
    return found


def named_row(key: str, said: dict[Lit, int], facts: NodeFacts) -> Row | None:
    """The row of agencies-named-only-in-text for one recommendation and agency."""
    rec, review, agency = key.split(SEP)
    name = facts.labels.get(agency)
    words = [lit for lit, n in said.items() if n > 0]
    if name is None or not words:
        return None
    return {"recommendation": rec, "review": review, "agency": agency, "agencyName": name,
            "namedAs": min(words, key=_order)}


def _order(lit: Lit) -> tuple[str, str, str]:
    """What ``MIN`` orders literals by."""
    return lit.value, lit.language or "", lit.datatype or ""


def dumps(said: dict[Lit, int]) -> str:
    return json.dumps(sorted([list(lit), n] for lit, n in said.items()))


def loads(text: str) -> dict[Lit, int]:
    return {Lit(*lit): n for lit, n in json.loads(text)}
