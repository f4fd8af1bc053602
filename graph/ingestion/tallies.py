"""The counts behind the summarised reports, kept as running totals over document digests.

:class:`Counts` adds or takes away one document's digest at a time (its own counts), so a
change costs what the changed documents hold, not the corpus. Counts of reviews are of
reviews, not records: the records of one review found in several sources (``dhr:sameReviewAs``)
count once, under the review's first record by IRI, exactly as the summarised named queries
count from the documents (a test holds every report to the query's own answer). A review
counts for a document's recommendations through the document that holds them.

:func:`report_rows` turns the totals into each report's rows, column by column as its named
query returns them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from graph.model.terms import DHR, XSD
from graph.rdf.builder import Lit, Object
from graph.rdf.digest import DocumentDigest
from graph.store.corpus_index import Dims

__all__ = ["Counts", "Row", "report_rows"]

Row = dict[str, Object]
_INTEGER = str(XSD.integer)
_ALL_AGENCIES = str(DHR.AllAgencies)


def _n(value: int) -> Lit:
    return Lit(str(value), _INTEGER)


def _first(labels: Iterable[Lit]) -> Lit | None:
    """What ``MIN(?label)`` picks."""
    return min(labels, default=None, key=lambda lit: (lit.value, lit.language or "", lit.datatype or ""))


def _add(counter: Counter[str], key: str | None, sign: int) -> None:
    if key is None:
        return
    counter[key] += sign
    if not counter[key]:
        del counter[key]


@dataclass
class Counts:
    """Running totals of every summarised report over the documents added so far."""

    dims: Dims
    docs: dict[str, DocumentDigest] = field(default_factory=dict)
    review_of: dict[str, str] = field(default_factory=dict)  # record → its review's first record
    reviews: Counter[str] = field(default_factory=Counter)  # review → records counted
    recommendations: int = 0
    sources: int = 0
    labels: dict[str, Counter[Lit]] = field(default_factory=lambda: defaultdict(Counter))  # from documents
    classes: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    organisations: Counter[str] = field(default_factory=Counter)
    csps: Counter[str] = field(default_factory=Counter)
    agency_docs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # agency → documents naming it
    agency_recs: Counter[str] = field(default_factory=Counter)
    agency_reviews: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    agency_theme_recs: Counter[tuple[str, str]] = field(default_factory=Counter)
    agency_theme_reviews: dict[tuple[str, str], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    type_recs: Counter[str] = field(default_factory=Counter)
    type_reviews: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    theme_recs: Counter[str] = field(default_factory=Counter)
    theme_reviews: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    theme_type_recs: Counter[tuple[str, str]] = field(default_factory=Counter)
    year_theme_recs: Counter[tuple[str, str]] = field(default_factory=Counter)
    csp_reviews: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    csp_recs: Counter[str] = field(default_factory=Counter)
    named_only: dict[tuple[str, str, str], Counter[Lit]] = field(default_factory=lambda: defaultdict(Counter))

    @classmethod
    def of(cls, dims: Dims, docs: Mapping[str, DocumentDigest], review_of: Mapping[str, str]) -> Counts:
        """Totals counted afresh over ``docs``, with records of one review joined by ``review_of``."""
        counts = cls(dims, review_of=dict(review_of))
        for doc in docs.values():
            counts._meta(doc, +1)
        for doc in docs.values():
            counts._counts(doc, +1)
        return counts

    def update(self, docs: Mapping[str, DocumentDigest], review_of: Mapping[str, str], changed: Iterable[str]) -> None:
        """Bring the totals to ``docs`` (every document now), whose documents ``changed`` were
        added, replaced or removed, and to the reviews ``review_of`` now joins: only what the
        change touches is taken away and counted again."""
        changed = set(changed)
        moved = {r for r in set(self.review_of) | set(review_of) if self.review_of.get(r, r) != review_of.get(r, r)}
        records = {r.iri: key for key, doc in {**self.docs, **docs}.items() for r in doc.records} if moved else {}
        again = changed | {records[r] for r in moved if r in records}
        new_types = self._types_after(again, docs)
        retyped = {a for a, types in new_types.items() if types != self._types(a)}
        again |= {key for a in retyped for key in self.agency_docs.get(a, ())}
        # Taken away with the types and reviews they were counted under, then counted again
        # under the new ones, once every document's own labels and types are in place.
        going = [self.docs[key] for key in sorted(again) if key in self.docs]
        coming = [docs[key] for key in sorted(again) if key in docs]
        for doc in going:
            self._counts(doc, -1)
        for doc in going:
            self._meta(doc, -1)
        self.review_of = dict(review_of)
        for doc in coming:
            self._meta(doc, +1)
        for doc in coming:
            self._counts(doc, +1)

    # ------------------------------------------------------------------ counting one document

    def _review(self, record: str) -> str:
        return self.review_of.get(record, record)

    def _types(self, agency: str) -> frozenset[str]:
        kept = self.classes.get(agency)
        return frozenset(self.dims.classifications.get(agency, ())) | (frozenset(kept) if kept else frozenset())

    def _types_after(self, keys: set[str], docs: Mapping[str, DocumentDigest]) -> dict[str, frozenset[str]]:
        """The types of the agencies the documents ``keys`` classify, once they are replaced by ``docs``'s."""
        delta: dict[str, Counter[str]] = defaultdict(Counter)
        for key in keys:
            for sign, source in ((-1, self.docs), (+1, docs)):
                if key in source:
                    for agency, cls in source[key].classifications:
                        delta[agency][cls] += sign
        after = {}
        for agency, change in delta.items():
            kept = Counter(self.classes.get(agency, Counter()))
            kept.update(change)
            after[agency] = frozenset(self.dims.classifications.get(agency, ())) | {c for c, n in kept.items() if n > 0}
        return after

    def _meta(self, doc: DocumentDigest, sign: int) -> None:
        """What a document says of itself and of the nodes it describes."""
        if sign > 0:
            self.docs[doc.key] = doc
        else:
            del self.docs[doc.key]
        self.sources += sign * doc.sources
        for node, label in doc.labels:
            self.labels[node][label] += sign
            if not self.labels[node][label]:
                del self.labels[node][label]
        for agency, cls in doc.classifications:
            _add(self.classes[agency], cls, sign)
        for node in doc.organisations:
            _add(self.organisations, node, sign)
        for node in doc.csps:
            _add(self.csps, node, sign)

    def _counts(self, doc: DocumentDigest, sign: int) -> None:
        """What a document's records and recommendations add to the reports."""
        year_of: dict[str, str | None] = {}
        for record in doc.records:
            review = self._review(record.iri)
            _add(self.reviews, review, sign)
            if record.csp:
                _add(self.csp_reviews[record.csp], review, sign)
                self.csp_recs[record.csp] += sign * len(record.recommendations)
            when = record.issued or record.year
            year_of[record.iri] = when[:4] if when else None
        counted = min((self._review(r.iri) for r in doc.records), default=None)
        agencies: set[str] = set()
        pairs: set[tuple[str, str]] = set()
        types: set[str] = set()
        themes: set[str] = set()
        for rec in doc.recommendations:
            self.recommendations += sign
            tops = {top for theme in rec.themes for top in self.dims.tops.get(theme, ())}
            kinds = {t for agency in rec.agencies for t in self._types(agency)}
            agencies.update(rec.agencies)
            themes.update(tops)
            types.update(kinds)
            for agency in rec.agencies:
                _add(self.agency_recs, agency, sign)
                for top in tops:
                    pairs.add((agency, top))
                    _add(self.agency_theme_recs, (agency, top), sign)  # type: ignore[arg-type]
            for kind in kinds:
                _add(self.type_recs, kind, sign)
            for top in tops:
                _add(self.theme_recs, top, sign)
                for kind in kinds:
                    _add(self.theme_type_recs, (top, kind), sign)  # type: ignore[arg-type]
                if year := year_of.get(rec.record):
                    _add(self.year_theme_recs, (year, top), sign)  # type: ignore[arg-type]
            if rec.text is not None and rec.record:
                for agency, words in rec.named_only:
                    named = self.named_only[(rec.iri, rec.record, agency)]
                    named[words] += sign
                    if not named[words]:
                        del named[words]
                    if not named:
                        del self.named_only[(rec.iri, rec.record, agency)]
        for agency in agencies:
            _add(self.agency_reviews[agency], counted, sign)
            (self.agency_docs[agency].add if sign > 0 else self.agency_docs[agency].discard)(doc.key)
        for pair in pairs:
            _add(self.agency_theme_reviews[pair], counted, sign)
        for kind in types:
            _add(self.type_reviews[kind], counted, sign)
        for top in themes:
            _add(self.theme_reviews[top], counted, sign)

    # ------------------------------------------------------------------ what the reports show

    def label(self, node: str) -> Lit | None:
        kept = self.labels.get(node)
        return _first([*self.dims.labels.get(node, ()), *(kept or ())])

    def type_code(self, agency: str) -> Lit | None:
        codes = [code for t in self._types(agency) for code, _ in self.dims.type_names.get(t, ())]
        return _first(codes)

    def is_organisation(self, node: str) -> bool:
        return node in self.dims.organisations or self.organisations.get(node, 0) > 0


def report_rows(counts: Counts, matches: int) -> dict[str, list[Row]]:
    """Every summarised report's rows (the columns its named query returns, but review text)."""
    c = counts
    rows: dict[str, list[Row]] = {}
    csps = {node for node in [*c.csps, *c.dims.csps]}
    rows["stats"] = [{
        "reviews": _n(len(c.reviews)), "recommendations": _n(c.recommendations),
        "agencies": _n(sum(1 for a in c.agency_recs if c.is_organisation(a))), "csps": _n(len(csps)),
        "sources": _n(c.sources), "review_matches": _n(matches)}]
    rows["reviews-per-csp"] = [
        {"csp": csp, "name": name, "reviews": _n(len(c.csp_reviews.get(csp, ()))),
         "recommendations": _n(c.csp_recs[csp])}
        for csp in sorted(set(c.csp_reviews) & csps) if (name := c.label(csp)) is not None and c.csp_reviews[csp]]
    per_agency = []
    for agency in sorted(c.agency_recs):
        name = c.label(agency)
        if name is None:
            continue
        row: Row = {"agency": agency, "name": name, "recommendations": _n(c.agency_recs[agency]),
                    "reviews": _n(len(c.agency_reviews.get(agency, ())))}
        if (code := c.type_code(agency)) is not None:
            row["type"] = code
        per_agency.append(row)
    rows["recommendations-per-agency"] = per_agency
    rows["agencies-in-several-reviews"] = [row for row in per_agency if row["agency"] != _ALL_AGENCIES
                                           and len(c.agency_reviews.get(str(row["agency"]), ())) > 1]
    rows["agencies-repeated-themes"] = [
        {"agency": agency, "agencyName": name, "themeCode": code, "themeLabel": label,
         "reviews": _n(len(reviews)), "recommendations": _n(c.agency_theme_recs[(agency, top)])}
        for (agency, top), reviews in sorted(c.agency_theme_reviews.items())
        if len(reviews) > 1 and agency != _ALL_AGENCIES and (name := c.label(agency)) is not None
        for code, label in c.dims.theme_names.get(top, ())]
    agencies_of: Counter[str] = Counter(t for agency in c.agency_recs for t in c._types(agency))
    rows["recommendations-per-agency-type"] = [
        {"type": kind, "code": code, "label": label, "recommendations": _n(c.type_recs[kind]),
         "reviews": _n(len(c.type_reviews.get(kind, ()))), "agencies": _n(agencies_of[kind])}
        for kind in sorted(c.type_recs) for code, label in c.dims.type_names.get(kind, ())]
    rows["recommendations-per-theme"] = [
        {"theme": top, "code": code, "label": label, "recommendations": _n(c.theme_recs.get(top, 0)),
         "reviews": _n(len(c.theme_reviews.get(top, ())))}
        for top in sorted(c.dims.theme_names) for code, label in c.dims.theme_names[top]]
    rows["theme-by-agency-type"] = [
        {"themeCode": theme_code, "themeLabel": theme_label, "typeCode": type_code, "typeLabel": type_label,
         "recommendations": _n(n)}
        for (top, kind), n in sorted(c.theme_type_recs.items())
        for theme_code, theme_label in c.dims.theme_names.get(top, ())
        for type_code, type_label in c.dims.type_names.get(kind, ())]
    rows["themes-per-year"] = [
        {"year": Lit(year), "themeCode": code, "themeLabel": label, "recommendations": _n(n)}
        for (year, top), n in sorted(c.year_theme_recs.items()) for code, label in c.dims.theme_names.get(top, ())]
    rows["agencies-named-only-in-text"] = [
        {"recommendation": rec, "review": review, "agency": agency, "agencyName": name, "namedAs": words}
        for (rec, review, agency), said in sorted(c.named_only.items())
        if (name := c.label(agency)) is not None and (words := _first(said)) is not None]
    return rows
