"""Agency resolution: every printed addressee → one organisation (or "All agencies") and its type.

Steps, first hit wins, each recorded as the method with a confidence:

1. collective words ("All agencies", "Multiple Agencies", "all partner agencies", "Every agency
   involved in this review") → A00;
2. a gazetteer name or alias, exactly (case, punctuation and a leading "the" ignored);
3. a local label (acronym or generic name: "NCC", "NSAB", "the Police") of exactly one
   body serving the review's CSP area and existing in the year of death — also with
   generic role words after it ("CCG commissioner");
4. a small spelling variant of one gazetteer name (rapidfuzz ratio ≥ ``FUZZY_THRESHOLD``,
   a clear margin over the next body, and no conflicting place or compass word, so
   Northamptonshire Police never becomes Nottinghamshire Police);
5. a cell naming several bodies joined by "and"/"&"/"," whose parts all resolve;
6. otherwise a new organisation of the review's area, typed from its words by the ordered
   typing rules of ``agency_types`` (or A22); spelling variants of one another within a
   review become one organisation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from graph.enrich.agency_types import agency_type
from graph.enrich.gazetteer import Gazetteer, Organisation, default_gazetteer, normalise_name
from graph.model.iris import local_agency_iri
from graph.model.records import AgencyRef, Extraction, RecommendationRecord
from graph.model.terms import DHR

FUZZY_THRESHOLD = 88.0
"""rapidfuzz ``ratio`` on normalised names. Measured on pairs in tests/test_agencies.py:
true variants score 90–98 ("…Partnership Housing"/"…Partnership Homes" 90, a dropped
letter 95–98); different bodies reach 87–89 ("Gwent Police"/"Kent Police" 87, "South Wales
Police"/"North Wales Police" 89), which the place/compass-word guard rejects."""

FUZZY_MARGIN = 3.0
"""The best match must beat the best match of any other body by this much."""

_COLLECTIVE = re.compile(
    r"^(all|multiple|every|each|relevant)( of the)?( relevant| partner| statutory| involved| other| participating)?"
    r" (agency|agencies|partners|organisations?|organizations?|services|professionals|partner agencies)"
    r"( involved| represented| participating)?( (in|on|with) (this|the) (review|panel|dhr|case))?"
    r"( (named|listed|identified) in (this|the) (action plan|review|report|recommendations?))?$"
    r"|^(partner|multiple|statutory|relevant) agencies$|^all$|^partners$|^agencies$|^(its|their) partner agencies$"
    # "All agencies in Exampleton", "Partners across Sampleshire": every agency, of a place
    r"|^(all |all the |the )?(partners|partner agencies|agencies|statutory partners) (in|across) [a-z' -]+$"
    r"|^all (the )?(partners|partner agencies|agencies) represented (on|at) [a-z' -]+$"
)
_ROLE_WORDS = frozenset({
    "commissioner", "commissioners", "team", "teams", "department", "staff", "officers", "officer",
    "service", "services", "managers", "manager", "lead", "leads", "board", "partners", "colleagues",
    "practitioners", "workers",
})
_COMPASS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                      "mid", "central", "greater"})
FOUND_KEPT = 100_000
"""Names looked up that a resolver remembers (a long-lived one, as in `dhrkg serve`, stays bounded)."""
_SPLIT = re.compile(r"\s*(?:,|&|\band\b|\bplus\b|/)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Context:
    """What a review tells the resolver: its area (the CSP) and when it happened."""

    area: str | None
    year: int | None


def guess_agency_type(label: str) -> str:
    """The agency type an unknown body's name suggests, or A22 (the ordered rules of
    ``agency_types``).

    >>> [guess_agency_type(x) for x in ["Luton Women's Aid", "Anytown Borough Council", "Acme Ltd"]]
    ['A12', 'A15', 'A22']
    """
    return agency_type(label)


class AgencyResolver:
    """Resolves printed addressees against a gazetteer, in the context of one review."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or default_gazetteer()
        self._choices = {name: orgs for name, orgs in self.gazetteer.by_name.items()}
        self._all_agencies = str(DHR.AllAgencies)
        self._found: dict[tuple[str, Context], AgencyRef | None] = {}  # the same names recur in every review

    # ------------------------------------------------------------ one label

    def resolve(self, label: str, context: Context) -> AgencyRef:
        """Resolve one printed addressee. Unknown bodies get a new organisation IRI of the area."""
        return self._known(label, context) or self._new(label, context)

    def _known(self, label: str, context: Context) -> AgencyRef | None:
        if (label, context) in self._found:
            return self._found[(label, context)]
        if len(self._found) >= FOUND_KEPT:
            self._found.clear()
        found = self._found[(label, context)] = self._look_up(label, context)
        return found

    def _look_up(self, label: str, context: Context) -> AgencyRef | None:
        name = normalise_name(label)
        if not name:
            return None
        if _COLLECTIVE.match(name):
            return AgencyRef(label, self._all_agencies, "A00", "collective", 1.0)
        if org := self._unique(self.gazetteer.by_name.get(name, []), context):
            return _ref(label, org, "exact", 1.0)
        if org := self._local(name, context):
            return _ref(label, org, "local", 0.9)
        words = name.split()
        for cut in range(len(words) - 1, 0, -1):  # "CCG commissioner" → "CCG"
            if all(w in _ROLE_WORDS for w in words[cut:]):
                head = " ".join(words[:cut])
                if org := self._unique(self.gazetteer.by_name.get(head, []), context):
                    return _ref(label, org, "exact", 0.95)
                if org := self._local(head, context):
                    return _ref(label, org, "local", 0.85)
        return self._fuzzy(label, name, context)

    def _unique(self, candidates: Sequence[Organisation], context: Context) -> Organisation | None:
        distinct = {o.iri: o for o in candidates}
        if len(distinct) > 1:  # prefer the body that existed at the time
            distinct = {i: o for i, o in distinct.items() if o.existed_in(context.year)}
        return next(iter(distinct.values())) if len(distinct) == 1 else None

    def _local(self, name: str, context: Context) -> Organisation | None:
        candidates = [o for o in self.gazetteer.by_local_name.get(name, []) if o.serves(context.area)]
        dated = [o for o in candidates if o.existed_in(context.year)]
        return self._unique(dated or candidates, context) if candidates else None

    def _fuzzy(self, label: str, name: str, context: Context) -> AgencyRef | None:
        matches = process.extract(name, list(self._choices), scorer=fuzz.ratio, limit=8,
                                  score_cutoff=FUZZY_THRESHOLD - FUZZY_MARGIN)
        best_by_org: dict[str, tuple[float, Organisation, str]] = {}
        for choice, score, _ in matches:
            for org in self._choices[choice]:
                if org.iri not in best_by_org or score > best_by_org[org.iri][0]:
                    best_by_org[org.iri] = (score, org, choice)
        ranked = sorted(best_by_org.values(), key=lambda item: -item[0])
        if not ranked or ranked[0][0] < FUZZY_THRESHOLD:
            return None
        score, org, choice = ranked[0]
        if len(ranked) > 1 and score - ranked[1][0] < FUZZY_MARGIN:
            return None
        if self._conflicting_words(name, choice):
            return None
        return _ref(label, org, "fuzzy", round(score / 100, 3))

    def _conflicting_words(self, a: str, b: str) -> bool:
        """Whether two names name different places ("Gwent"/"Kent", "North"/"South"): each has a
        place or compass word the other lacks. A misspelt place is not a place word, so
        "Northamptonshre Police" may still be a variant of "Northamptonshire Police"."""
        words_a, words_b = set(a.split()), set(b.split())
        places = self.gazetteer.place_words | _COMPASS
        return bool((words_a - words_b) & places) and bool((words_b - words_a) & places)

    def _new(self, label: str, context: Context) -> AgencyRef:
        code = guess_agency_type(label)
        confidence = 0.5 if code != "A22" else 0.3
        return AgencyRef(label, str(local_agency_iri(label, context.area)), code, "new", confidence)

    # ------------------------------------------------------------ a whole review

    def resolve_review(self, extraction: Extraction) -> None:
        """Fill ``agencies`` (and ``mentioned``) of every recommendation of one review, and the
        leads of its action plan: a lead is resolved like any addressee, in the same review."""
        facts = extraction.review
        context = Context(facts.csp, facts.year_of_death or _year(facts.published))
        resolved: dict[str, list[AgencyRef]] = {}
        leads = [label for rec in extraction.recommendations for action in rec.actions
                 for label in action.lead_labels()]
        for label in dict.fromkeys([label for rec in extraction.recommendations for label in rec.addressed_to] + leads):
            resolved[label] = self._resolve_cell(label, context)
        _merge_variants(resolved, self._conflicting_words)
        for rec in extraction.recommendations:
            rec.agencies = [ref for label in rec.addressed_to for ref in resolved[label]]
            for action in rec.actions:
                action.leads = [ref for label in action.lead_labels() for ref in resolved[label]]
        for rec in extraction.recommendations:
            rec.mentioned = self._mentions(rec, context, extraction.recommendations)

    def _resolve_cell(self, label: str, context: Context) -> list[AgencyRef]:
        if known := self._known(label, context):
            return [known]
        parts = [p for p in _SPLIT.split(label) if p.strip()]
        if len(parts) > 1:
            refs = [self._known(p, context) for p in parts]
            if all(r is not None and r.method in ("exact", "local", "collective") for r in refs):
                return [r for r in refs if r is not None]
        return [self._new(label, context)]

    # ------------------------------------------------------------ agencies named in the text

    def _mentions(self, rec: RecommendationRecord, context: Context,
                  review: Sequence[RecommendationRecord]) -> list[AgencyRef]:
        """Agencies the text directs to act: subjects of "should", "to", "will", "must"…"""
        found: dict[str, AgencyRef] = {}
        for phrase in _actor_phrases(rec.text):
            for part in _SPLIT.split(phrase):
                ref = self._actor(part.strip(), rec, context, review)
                if ref is not None and ref.id is not None and ref.id not in found:
                    found[ref.id] = AgencyRef(part.strip(), ref.id, ref.type, "mention", ref.confidence)
        return list(found.values())

    def _actor(self, words: str, rec: RecommendationRecord, context: Context,
               review: Sequence[RecommendationRecord]) -> AgencyRef | None:
        if not words:
            return None
        if known := self._known(words, context):
            return known
        name = normalise_name(words)
        # "The Trust", "The Department": the addressee of this recommendation of that kind.
        for noun, kinds in _ROLE_NOUNS.items():
            if re.search(rf"\b{noun}\b", name):
                for ref in rec.agencies:
                    if ref.type in kinds or (ref.label and noun in normalise_name(ref.label)):
                        return ref
                for other in review:  # else the review's own body of that kind
                    for ref in other.agencies:
                        if ref.type in kinds:
                            return ref
        return None


_ROLE_NOUNS: dict[str, frozenset[str]] = {
    "trust": frozenset({"A03", "A04", "A05"}),
    "hospital": frozenset({"A03"}),
    "department": frozenset({"A15", "A08", "A09"}),
    "council": frozenset({"A15"}),
    "local authority": frozenset({"A15"}),
    "housing officers?": frozenset({"A10"}),
    "housing provider": frozenset({"A10"}),
    "ambulance service": frozenset({"A05"}),
    "police": frozenset({"A01"}),
    "board": frozenset({"A14"}),
    "probation": frozenset({"A11"}),
}

_ACTOR = re.compile(
    r"(?:^|[.;:]\s+|\bfor\s+)"
    r"(?P<actor>(?:the\s+)?[A-Z][\w’'&()\- ]{1,80}?|all agencies|agencies)"
    r"\s+(?:should|must|shall|will|to|undertakes?|develops?|needs? to|is to|are to|is asked to)\b",
)


def _actor_phrases(text: str) -> list[str]:
    return [m.group("actor") for m in _ACTOR.finditer(text)]


def _ref(label: str, org: Organisation, method: str, confidence: float) -> AgencyRef:
    return AgencyRef(label, org.iri, org.type, method, confidence)


def _year(published: str | None) -> int | None:
    return int(published[:4]) if published else None


def _merge_variants(resolved: dict[str, list[AgencyRef]], conflicting: Callable[[str, str], bool]) -> None:
    """New bodies whose names are spelling variants of each other in one review become one."""
    new = [label for label, refs in resolved.items() if len(refs) == 1 and refs[0].method == "new"]
    canonical: list[str] = []
    for label in new:
        name = normalise_name(label)
        twin = next((c for c in canonical if fuzz.ratio(name, normalise_name(c)) >= FUZZY_THRESHOLD
                     and not conflicting(name, normalise_name(c))), None)
        if twin is None:
            canonical.append(label)
            continue
        first = resolved[twin][0]
        resolved[label] = [AgencyRef(label, first.id, first.type, "variant", 0.8)]
