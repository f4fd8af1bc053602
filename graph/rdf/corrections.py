"""Curated corrections: what each one says, what they add up to, and their own triples.

A correction names a target, a field, an action and a value (a row of a curation file, see
:mod:`graph.ingestion.curation`). Corrections are never edited: a later one about the same
thing supersedes an earlier one, so the state they add up to is found by applying them in the
order they were recorded (:class:`Curation`). The effects on the machine's triples are
computed by :func:`graph.rdf.curated.corrected`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone

import pyoxigraph as ox

from graph.model.iris import correction_iri, curator_iri
from graph.model.terms import AGENCY_TYPES, DHR, OWL, PROV, RDF, RDFS, THEMES, XSD
from graph.rdf.builder import Triples, string, typed

FIELDS = ("theme", "agency", "agency-type", "addressee", "same-as")
"""What a correction can be about: a recommendation's themes and addressees, an organisation's
type, what printed words resolve to, and two organisations that are one."""
ACTIONS = ("add", "remove")
UNKNOWN_TYPE = "A22"
"""The type of an organisation that is not of the type it was given, when nothing better is known."""

_VALUE_CODES = {"theme": THEMES, "agency-type": AGENCY_TYPES}
_CODES = {str(iri): code for codes in _VALUE_CODES.values() for code, iri in codes.items()}


@dataclass(frozen=True)
class Correction:
    """One correction, as recorded: ``value`` is a theme or agency-type code for those fields,
    else an organisation's IRI; ``target`` is a recommendation's or an organisation's IRI, or
    the printed words for the field ``addressee``."""

    target: str
    field: str
    action: str
    value: str
    curator: str
    at: datetime
    note: str | None = None

    @property
    def iri(self) -> str:
        """Named by what it says (not when): the same row twice is one correction."""
        return str(correction_iri(self.target, self.field, self.action, self.value, self.curator, self.note))

    @property
    def order(self) -> tuple[datetime, str]:
        return self.at, self.iri

    @property
    def key(self) -> tuple[str, ...]:
        """What a later correction with the same key supersedes: a recommendation's theme or
        addressee, an organisation's type or merge, what printed words resolve to."""
        if self.field in ("theme", "agency"):
            return self.field, self.target, self.value
        return self.field, self.target


def stamp(moment: datetime) -> str:
    """A time in the form Oxigraph stores ``xsd:dateTime`` in (UTC, no trailing zeros).

    >>> stamp(datetime(2025, 3, 1, 9, 30, 0, 120000, tzinfo=timezone.utc))
    '2025-03-01T09:30:00.12Z'
    >>> stamp(datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc))
    '2025-03-01T09:30:00Z'
    """
    text = moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f").rstrip("0").rstrip(".")
    return text + "Z"


def parse_stamp(text: str) -> datetime:
    """A stored or exported time back as an aware datetime (naive times are UTC).

    :raises ValueError: for text that is not an ISO date and time.
    """
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class LabelRule:
    """What curators said about printed words: what they resolve to, and what they do not."""

    resolves_to: tuple[str, Correction] | None = None
    not_to: Mapping[str, Correction] = field(default_factory=dict)


@dataclass
class Curation:
    """Every correction in the store, in the order recorded, and what they add up to.

    ``names`` and ``types`` give the name and agency-type code of each organisation a
    correction adds (the words and type of a curated addressing).

    >>> when = datetime(2025, 1, 1, tzinfo=timezone.utc)
    >>> c = Curation([Correction("urn:x", "agency-type", "add", "A03", "Analyst A", when)])
    >>> c.effective_type("urn:x", "A22")[0], c.effective_type("urn:y", "A22")[0]
    ('A03', 'A22')
    """

    corrections: list[Correction] = field(default_factory=list)
    names: Mapping[str, str] = field(default_factory=dict)
    types: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.corrections = sorted(self.corrections, key=lambda c: c.order)
        self._by: dict[tuple[str, str], list[Correction]] = defaultdict(list)
        for correction in self.corrections:
            self._by[(correction.field, correction.target)].append(correction)
        self.merged: dict[str, tuple[str, Correction]] = {}
        for correction in self.of_field("same-as"):
            if correction.action == "add":
                self.merged[correction.target] = (correction.value, correction)
            elif self.merged.get(correction.target, ("",))[0] == correction.value:
                del self.merged[correction.target]
        self.labels: dict[str, LabelRule] = {}
        for (kind, label), said in self._by.items():
            if kind == "addressee":
                self.labels[label] = _label_rule(said)
        self.by_document: dict[str, set[str]] = defaultdict(set)  # source-graph hash → recommendations
        for kind, target in self._by:
            if kind in ("theme", "agency"):
                self.by_document[_document_hash(target)].add(target)
        self._triggers = sorted({f"<{c.target}>" for c in self.corrections if c.field in ("agency-type", "same-as")}
                                | {str(ox.Literal(label)) for label in self.labels})

    def __bool__(self) -> bool:
        return bool(self.corrections)

    def of_field(self, kind: str) -> list[Correction]:
        return [c for c in self.corrections if c.field == kind]

    def about(self, kind: str, target: str) -> list[Correction]:
        """The corrections of one field about one target, oldest first."""
        return self._by.get((kind, target), [])

    def effective_type(self, agency: str, machine: str | None) -> tuple[str | None, Correction | None]:
        """An organisation's type after the corrections about it, and the one that decided it:
        ``add V`` makes it V; ``remove V`` takes V away (back to the machine's type, or
        unknown if that was V)."""
        code, decided = machine, None
        for correction in self.about("agency-type", agency):
            if correction.action == "add":
                code, decided = correction.value, correction
            elif code == correction.value:
                code = machine if machine != correction.value else UNKNOWN_TYPE
                decided = correction
        return code, decided

    def canonical(self, agency: str) -> tuple[str, list[Correction]]:
        """The organisation an organisation was merged into (following merges of merges), and
        the corrections that merged it."""
        seen, chain = {agency}, []
        while agency in self.merged:
            agency, correction = self.merged[agency]
            if agency in seen:  # a cycle the importer refused to write: stop at its first turn
                break
            seen.add(agency)
            chain.append(correction)
        return agency, chain

    def in_force(self, correction: Correction) -> bool:
        """Whether no later correction supersedes this one (one with the same key)."""
        return not any(other.key == correction.key and other.order > correction.order for other in self.corrections)

    def cycles(self) -> set[str]:
        """Organisations merged into themselves through other merges (which cannot stand)."""
        looping = set()
        for start in self.merged:
            agency, seen = start, set()
            while agency in self.merged and agency not in seen:
                seen.add(agency)
                agency = self.merged[agency][0]
            if agency == start or agency in seen:
                looping.add(start)
        return looping

    def touches(self, graph: str, ntriples: str) -> bool:
        """Whether a graph written as N-Triples holds anything the corrections are about (a
        recommendation, an organisation corrected or merged, printed words corrected)."""
        if not self.corrections:
            return False
        if graph.rsplit("/", 1)[-1] in self.by_document:
            return True
        return any(trigger in ntriples for trigger in self._triggers)

    def organisations(self) -> set[str]:
        """The organisations corrections add or merge into: whose names and types a curated
        addressing needs."""
        found = {c.value for c in self.corrections if c.field in ("agency", "addressee", "same-as")}
        return found | {self.canonical(agency)[0] for agency in found}


def _label_rule(said: Iterable[Correction]) -> LabelRule:
    resolves_to: tuple[str, Correction] | None = None
    not_to: dict[str, Correction] = {}
    for correction in said:
        if correction.action == "add":
            resolves_to = (correction.value, correction)
            not_to.pop(correction.value, None)
        else:
            if resolves_to is not None and resolves_to[0] == correction.value:
                resolves_to = None
            not_to[correction.value] = correction
    return LabelRule(resolves_to, not_to)


def _document_hash(recommendation: str) -> str:
    """The hash of the source key a recommendation's IRI carries, which names its document's graph."""
    return recommendation.rsplit("/", 1)[-1].split("-", 1)[0]


def code_of(concept: str) -> str | None:
    """The code of a theme or agency-type concept.

    >>> code_of(str(THEMES["T9.1"])), code_of("urn:x")
    ('T9.1', None)
    """
    return _CODES.get(concept)


def value_term(correction: Correction) -> str:
    """The IRI a correction's value stands for: the concept of a code, or the organisation."""
    codes = _VALUE_CODES.get(correction.field)
    return str(codes[correction.value]) if codes is not None else correction.value


def correction_triples(corrections: Iterable[Correction], merged: Mapping[str, tuple[str, Correction]]) -> Triples:
    """The curation graph: each correction with its provenance, each curator, and each merge
    in force as ``owl:sameAs``."""
    out = Triples()
    curators: set[str] = set()
    for correction in corrections:
        node = correction.iri
        out.add(node, RDF.type, DHR.Correction)
        if correction.field == "addressee":
            out.add(node, DHR.correctionTargetLabel, string(correction.target))
        else:
            out.add(node, DHR.correctionTarget, correction.target)
        out.add(node, DHR.correctionField, string(correction.field))
        out.add(node, DHR.correctionAction, string(correction.action))
        out.add(node, DHR.correctionValue, value_term(correction))
        curator = str(curator_iri(correction.curator))
        out.add(node, PROV.wasAttributedTo, curator)
        out.add(node, PROV.generatedAtTime, typed(stamp(correction.at), XSD.dateTime))
        out.add(node, PROV.wasGeneratedBy, DHR.Curation)
        if correction.note:
            out.add(node, DHR.correctionNote, string(correction.note))
        if curator not in curators:
            curators.add(curator)
            out.add(curator, RDF.type, PROV.Agent)
            out.add(curator, RDFS.label, string(correction.curator))
    for agency, (into, _) in sorted(merged.items()):
        out.add(agency, OWL.sameAs, into)
    return out
