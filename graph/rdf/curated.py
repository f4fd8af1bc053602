"""Curated corrections applied to the triples of one graph: what every query then reads.

:func:`corrected` takes the triples of a graph as the machine wrote them, or as an earlier
set of corrections left them, and returns them as the corrections now in force want them:

1. the marks of earlier corrections are undone (curated nodes dropped, rejected nodes and
   replaced types restored), which gives back the machine's triples;
2. an organisation's type is corrected where the graph states it (``org:classification``;
   the replaced type is kept as ``dhr:machineClassification``);
3. each addressing (of an addressee, a mention or an action's lead) is resolved again: printed
   words a curator resolved elsewhere, or away, and organisations merged into another. A
   machine addressing that no longer holds loses its ``dhr:addressee`` for
   ``dhr:rejectedAddressee``; what holds instead is a curated addressing of its own;
4. a recommendation's addressees and themes are added and removed; a curated theme takes the
   rank of the first machine theme removed before it, else comes after the rest;
5. the direct links (``dhr:theme``, ``dhr:addressedTo``, ``dhr:mentionsAgency``, ``dhr:lead``,
   ``dhr:namedOnlyInText``) and the review's failures are derived from the nodes again, the
   way :mod:`graph.rdf.documents` derives them.

Without corrections the output is the machine's triples (a test holds it to that for real
documents), and applying corrections twice is the same as applying them once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import URIRef

from graph.model.iris import short_hash
from graph.model.terms import AGENCY_TYPES, DHR, ORG, PROV, RDF, THEMES, XSD
from graph.rdf.builder import Triples, string, typed
from graph.rdf.corrections import Correction, Curation, code_of
from graph.rdf.documents import recommendation_failures

_P = {name: str(term) for name, term in {
    "type": RDF.type, "correction": DHR.correction, "confirmedBy": DHR.confirmedBy, "rejectedBy": DHR.rejectedBy,
    "rejectedTheme": DHR.rejectedTheme, "assignedTheme": DHR.assignedTheme, "rejectedAddressee": DHR.rejectedAddressee,
    "addressee": DHR.addressee, "classification": ORG.classification,
    "machineClassification": DHR.machineClassification,
    "theme": DHR.theme, "addressedTo": DHR.addressedTo, "mentionsAgency": DHR.mentionsAgency, "lead": DHR.lead,
    "namedOnlyInText": DHR.namedOnlyInText, "failure": DHR.failure, "failureAgencyType": DHR.failureAgencyType,
    "themeAssignment": DHR.themeAssignment, "addressing": DHR.addressing, "mention": DHR.mention,
    "leadAddressing": DHR.leadAddressing, "action": DHR.action, "inReview": DHR.inReview, "rank": DHR.rank,
    "addresseeLabel": DHR.addresseeLabel, "addresseeType": DHR.addresseeType,
}.items()}
_RECOMMENDATION = str(DHR.Recommendation)
_DERIVED = {_P[name] for name in ("theme", "addressedTo", "mentionsAgency", "namedOnlyInText")}
_MARKS = {_P["confirmedBy"], _P["rejectedBy"]}
_ROLES = {"addressing": DHR.addressing, "mention": DHR.mention, "leadAddressing": DHR.leadAddressing}


@dataclass
class _Addressing:
    """One addressing: the machine's node (or a curated one alone) and where it resolves now."""

    parent: str
    role: str  # addressing | mention | leadAddressing
    node: str
    label: str
    machine: str | None  # what the machine resolved the words to (None: a curated addressee alone)
    machine_type: str | None
    resolution: str | None = None
    why: list[Correction] = field(default_factory=list)  # what changed the resolution
    confirmed: list[Correction] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.machine is None or bool(self.why)

    @property
    def curated_node(self) -> str:
        return self.node if self.machine is None else f"{self.node}/curated"

    @property
    def effective_node(self) -> str:
        return self.curated_node if self.changed else self.node


@dataclass
class _Theme:
    node: str
    concept: str
    code: str
    rank: int
    machine: bool
    effective: bool = True
    rejected_by: list[Correction] = field(default_factory=list)
    confirmed_by: list[Correction] = field(default_factory=list)


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """A term's value: an IRI, a blank node's id, a literal's text."""
    return str(term) if isinstance(term, ox.Triple) else term.value


class _Index:
    """The triples of one graph by subject, with a few lookups."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.triples = list(triples)
        self.by_subject: dict[str, list[ox.Triple]] = defaultdict(list)
        for triple in self.triples:
            if isinstance(triple.subject, ox.NamedNode):
                self.by_subject[_text(triple.subject)].append(triple)

    def objects(self, subject: str, predicate: str) -> list[str]:
        return [_text(t.object) for t in self.by_subject.get(subject, ()) if t.predicate.value == predicate]

    def object(self, subject: str, predicate: str) -> str | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None



def corrected(triples: Iterable[ox.Triple], curation: Curation, *,
              types: Mapping[str, str] | None = None) -> list[ox.Triple]:
    """The triples of one graph with the corrections in force applied (see the module's
    docstring). ``types`` gives the agency type of addressees for documents read before
    each addressing kept its own (``dhr:addresseeType``).

    >>> from datetime import datetime, timezone
    >>> from graph.model.records import Extraction, RecommendationRecord, ReviewFacts, Source
    >>> from graph.enrich import enrich
    >>> from graph.rdf.documents import document_triples
    >>> from graph.rdf.corrections import Correction
    >>> ask = RecommendationRecord("1", "All staff should complete domestic abuse awareness training.",
    ...                            ["Exampleton Police"])
    >>> page = enrich(Extraction(Source("page.txt", "0" * 64, "summary-text"), ReviewFacts(csp="Exampleton"), [ask]))
    >>> machine = document_triples(page, "page.txt")
    >>> rec = next(t.subject.value for t in machine if t.object == ox.NamedNode(str(DHR.Recommendation)))
    >>> fix = Correction(rec, "theme", "add", "T9.1", "Analyst A", datetime(2025, 1, 1, tzinfo=timezone.utc))
    >>> themes = lambda ts: sorted(code_of(t.object.value) for t in ts if t.predicate.value == str(DHR.theme))
    >>> themes(machine), themes(corrected(machine, Curation([fix])))
    (['T5.1'], ['T5.1', 'T9.1'])
    >>> set(corrected(corrected(machine, Curation([fix])), Curation())) == set(machine)
    True
    """
    graph = _Index(_restored(triples))
    recommendations = [s for s, ts in graph.by_subject.items()
                       if any(t.predicate.value == _P["type"] and _text(t.object) == _RECOMMENDATION for t in ts)]
    out = Triples()
    drop: set[ox.Triple] = set()
    _classifications(graph, curation, drop, out)
    if not recommendations:
        return [t for t in graph.triples if t not in drop] + out.items
    fallback = None if any(t.predicate.value == _P["addresseeType"] for t in graph.triples) else types
    addressings = _addressings(graph, recommendations, curation, fallback or {})
    for recommendation in recommendations:
        _recommendation_agencies(recommendation, addressings[recommendation], curation)
    for group in addressings.values():
        for addressing in group:
            _write_addressing(addressing, graph, curation, drop, out)
    for recommendation in recommendations:
        themes = _themes(graph, recommendation, curation)
        for item in themes:
            _write_theme(recommendation, item, graph, drop, out)
        _derive(graph, recommendation, [t for t in themes if t.effective], addressings, curation, out)
    return [t for t in graph.triples if t not in drop] + out.items


def _restored(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The machine's triples again: the marks of every earlier correction undone, and what is
    derived from the nodes left out (it is derived afresh)."""
    items = [(t, _text(t.subject), t.predicate.value, _text(t.object)) for t in triples]
    curated, typed_by_machine, recommendations, failures = set(), set(), set(), set()
    for _, subject, predicate, obj in items:
        if predicate == _P["correction"]:
            curated.add(subject)
        elif predicate == _P["machineClassification"]:
            typed_by_machine.add(subject)
        elif predicate == _P["type"] and obj == _RECOMMENDATION:
            recommendations.add(subject)
        elif predicate == _P["failureAgencyType"]:
            failures.add(subject)
    derived_failures = failures if recommendations else set()
    renamed = {_P["rejectedTheme"]: _P["assignedTheme"], _P["rejectedAddressee"]: _P["addressee"],
               _P["machineClassification"]: _P["classification"]}
    kept: list[ox.Triple] = []
    for t, subject, predicate, obj in items:
        if subject in curated or obj in curated or predicate in _MARKS or subject in derived_failures:
            continue
        if recommendations and (predicate == _P["lead"] or obj in derived_failures
                                or (predicate in _DERIVED and subject in recommendations)):
            continue
        if predicate == _P["classification"] and subject in typed_by_machine:
            continue
        if predicate in renamed:
            t = ox.Triple(t.subject, ox.NamedNode(renamed[predicate]), t.object)
        kept.append(t)
    return kept


def _classifications(graph: _Index, curation: Curation, drop: set[ox.Triple], out: Triples) -> None:
    """An organisation's type where this graph states it, as corrected."""
    for triple in graph.triples:
        if triple.predicate.value != _P["classification"] or not curation.about("agency-type", _text(triple.subject)):
            continue
        machine = code_of(_text(triple.object))
        code, _ = curation.effective_type(_text(triple.subject), machine)
        if code is not None and code != machine:
            drop.add(triple)
            out.add(_text(triple.subject), ORG.classification, AGENCY_TYPES[code])
            out.add(_text(triple.subject), DHR.machineClassification, _text(triple.object))


def _addressings(graph: _Index, recommendations: list[str], curation: Curation,
                 fallback: Mapping[str, str]) -> dict[str, list[_Addressing]]:
    """Every addressing of each recommendation (its addressees, mentions and its actions'
    leads), resolved again under the corrections about printed words and merged organisations."""
    found: dict[str, list[_Addressing]] = {}
    for recommendation in recommendations:
        parents = [(recommendation, role) for role in ("addressing", "mention")]
        parents += [(action, "leadAddressing") for action in graph.objects(recommendation, _P["action"])]
        items = []
        for parent, role in parents:
            for node in graph.objects(parent, _P[role]):
                label = graph.object(node, _P["addresseeLabel"]) or ""
                machine = graph.object(node, _P["addressee"])
                kind = graph.object(node, _P["addresseeType"])
                machine_type = code_of(kind) if kind else fallback.get(machine or "")
                item = _Addressing(parent, role, node, label, machine, machine_type, machine)
                _resolve(item, curation)
                items.append(item)
        found[recommendation] = items
    return found


def _resolve(item: _Addressing, curation: Curation) -> None:
    rule = curation.labels.get(item.label)
    if rule is not None:
        if rule.resolves_to is not None:
            target, correction = rule.resolves_to
            if target != item.resolution:
                item.resolution = target
                item.why.append(correction)
            else:
                item.confirmed.append(correction)
        if item.resolution is not None and item.resolution in rule.not_to:
            item.why.append(rule.not_to[item.resolution])
            item.resolution = None
    if item.resolution is not None:
        canonical, chain = curation.canonical(item.resolution)
        if chain:
            item.resolution = canonical
            item.why.extend(chain)


def _recommendation_agencies(recommendation: str, items: list[_Addressing], curation: Curation) -> None:
    """A recommendation's addressees added and removed, in the order the corrections were recorded."""
    said = curation.about("agency", recommendation)
    if not said:
        return
    added: dict[str, Correction] = {}
    removed: dict[str, Correction] = {}
    for correction in said:
        agency = curation.canonical(correction.value)[0]
        (removed if correction.action == "add" else added).pop(agency, None)
        (added if correction.action == "add" else removed)[agency] = correction
    addressees = [item for item in items if item.role == "addressing"]
    for item in addressees:
        if item.resolution in removed:
            item.why.append(removed[item.resolution])
            item.resolution = None
    for agency, correction in added.items():
        holding = [item for item in addressees if item.resolution == agency]
        for item in holding:
            item.confirmed.append(correction)
        if not holding:
            node = f"{recommendation}/curated-addressee/{short_hash(agency, 12)}"
            items.append(_Addressing(recommendation, "addressing", node, curation.names.get(agency, agency),
                                     None, None, agency, [correction]))


def _reject(node: str, machine: str, rejected: URIRef, value: str, corrections: Iterable[Correction], graph: _Index,
            drop: set[ox.Triple], out: Triples) -> None:
    """Mark what the machine said on ``node`` (its ``machine`` predicate, dropped) as rejected by
    ``corrections``: the value stays, under ``rejected``, for measuring the machine."""
    for triple in graph.by_subject[node]:
        if triple.predicate.value == _P[machine]:
            drop.add(triple)
    out.add(node, rejected, value)
    for correction in corrections:
        out.add(node, DHR.rejectedBy, correction.iri)


def _write_addressing(item: _Addressing, graph: _Index, curation: Curation, drop: set[ox.Triple],
                      out: Triples) -> None:
    if item.machine is not None and not item.why:
        for correction in item.confirmed:
            out.add(item.node, DHR.confirmedBy, correction.iri)
        return
    if item.machine is not None:
        _reject(item.node, "addressee", DHR.rejectedAddressee, item.machine, item.why, graph, drop, out)
    if item.resolution is None:
        return
    node = item.curated_node
    out.add(item.parent, _ROLES[item.role], node)
    out.add(node, RDF.type, DHR.Addressing)
    out.add(node, DHR.addresseeLabel, string(item.label))
    out.add(node, DHR.addressee, item.resolution)
    if kind := curation.types.get(item.resolution):
        out.add(node, DHR.addresseeType, AGENCY_TYPES[kind])
    out.add(node, PROV.wasGeneratedBy, DHR.CuratedResolution)
    for correction in item.why + item.confirmed:
        out.add(node, DHR.correction, correction.iri)


def _themes(graph: _Index, recommendation: str, curation: Curation) -> list[_Theme]:
    """A recommendation's theme assignments after the corrections about them, in order."""
    items = []
    for node in graph.objects(recommendation, _P["themeAssignment"]):
        concept = graph.object(node, _P["assignedTheme"]) or ""
        rank = graph.object(node, _P["rank"])
        items.append(_Theme(node, concept, code_of(concept) or concept, int(rank) if rank else 0, True))
    return _settle(recommendation, items, curation.about("theme", recommendation))


def themes_after(machine: Iterable[tuple[str, int]], said: Iterable[Correction]) -> list[str]:
    """The theme codes of a recommendation, first first, after corrections about its themes;
    ``machine`` gives the machine's codes and ranks.

    >>> from datetime import datetime, timezone
    >>> when = datetime(2025, 1, 1, tzinfo=timezone.utc)
    >>> said = [Correction("urn:r", "theme", "remove", "T1", "A", when),
    ...         Correction("urn:r", "theme", "add", "T5.3", "A", when)]
    >>> themes_after([("T1.1", 1), ("T6.1", 2)], said)
    ['T5.3', 'T6.1']
    """
    items = [_Theme(f"machine/{code}", str(THEMES.get(code, code)), code, rank, True) for code, rank in machine]
    return [item.code for item in _settle("urn:recommendation", items, list(said)) if item.effective]


def _settle(recommendation: str, items: list[_Theme], said: list[Correction]) -> list[_Theme]:
    """Theme assignments with corrections applied in the order recorded: a removal rejects the
    theme and those narrower; an addition confirms a theme the recommendation has, or adds a
    curated one at the rank of the first theme removed before it, else after the rest."""
    items.sort(key=lambda item: item.rank)
    freed: list[int] = []
    for correction in said:
        code = correction.value
        if correction.action == "remove":
            for item in items:
                if item.effective and (item.code == code or item.code.startswith(code + ".")):
                    item.effective = False
                    item.rejected_by.append(correction)
                    freed.append(item.rank)
            continue
        holding = [item for item in items if item.effective and item.code == code]
        if holding:
            holding[0].confirmed_by.append(correction)
            continue
        freed.sort()
        rank = freed.pop(0) if freed else max((i.rank for i in items if i.effective), default=0) + 1
        items.append(_Theme(f"{recommendation}/curated-theme/{code}", str(THEMES[code]), code, rank, False,
                            confirmed_by=[correction]))
    return sorted(items, key=lambda item: (item.rank, not item.machine))


def _write_theme(recommendation: str, item: _Theme, graph: _Index, drop: set[ox.Triple], out: Triples) -> None:
    if item.machine:
        for correction in item.confirmed_by:
            out.add(item.node, DHR.confirmedBy, correction.iri)
        if not item.effective:
            _reject(item.node, "assignedTheme", DHR.rejectedTheme, item.concept, item.rejected_by, graph, drop, out)
        return
    if not item.effective:
        return
    out.add(recommendation, DHR.themeAssignment, item.node)
    out.add(item.node, RDF.type, DHR.ThemeAssignment)
    out.add(item.node, DHR.assignedTheme, item.concept)
    out.add(item.node, DHR.rank, typed(item.rank, XSD.integer))
    for correction in item.confirmed_by:
        out.add(item.node, DHR.correction, correction.iri)


def _derive(graph: _Index, recommendation: str, themes: list[_Theme],
            addressings: Mapping[str, list[_Addressing]], curation: Curation, out: Triples) -> None:
    """The direct links and failures of one recommendation, from its nodes as they now stand."""
    for item in themes:
        out.add(recommendation, DHR.theme, item.concept)
    standing = [item for item in addressings[recommendation] if item.resolution is not None]
    addressees = {item.resolution for item in standing if item.role == "addressing"}
    types: set[str] = set()
    for addressing in standing:
        agency = addressing.resolution
        assert agency is not None
        if addressing.role == "addressing":
            out.add(recommendation, DHR.addressedTo, agency)
            known = curation.types.get(agency) if addressing.changed else addressing.machine_type
            kind, _ = curation.effective_type(agency, known)
            if kind:
                types.add(kind)
        elif addressing.role == "mention":
            out.add(recommendation, DHR.mentionsAgency, agency)
            if agency not in addressees:
                out.add(recommendation, DHR.namedOnlyInText, addressing.effective_node)
        else:
            out.add(addressing.parent, DHR.lead, agency)
    review = graph.object(recommendation, _P["inReview"])
    if review is not None:
        recommendation_failures(out, review, recommendation, [item.code for item in themes], types)
