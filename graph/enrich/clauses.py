"""What a recommendation asks, and what it merely mentions: the text cut into weighted zones.

A recommendation names a body, asks it to do something, often says why, and often sets the
scene ("In this case…", "when a patient…"). What it asks to change is what a theme should
reflect, so each stretch of the text gets a weight:

- the **ask**: what follows the directive ("should", "must", "to", "is asked to", "It is
  recommended that…", or an imperative at the start of an action-plan line), weight 1;
  its first words (the main verb and the head of its object) a little more;
- the **purpose** ("to ensure that…", "so that…", "in order to…"): weight 1, kept apart
  because when it names a practice, the training or procedure before it is only the means;
- the **subject** before the directive (the body, or a condition before it; after "It is
  recommended that", the words before the first verb in lower case), weight 0.4;
  but in a passive ask ("Referrals should be made…", "Training to be delivered…") the
  subject is what is asked for, weight 1;
- **conditions** ("when…", "where…", "unless…") and what ", including…" adds, half the weight
  of what holds them;
- sentences without a directive (the case, the finding) in a text that has one, 0.4, and
  directive sentences after the first, 0.8; a finding set before its recommendation ("Finding 3:
  …") and the cells of an action-plan row that say who and when ("Lead: …") have no directive,
  whatever their words.

A text with no directive at all (a finding, a bare action-plan line) is all ask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.enrich.words import FUNCTION_WORDS, GENERIC_WORDS, stem

ASK, PURPOSE, SUBJECT, CONDITION, CONTEXT = "ask", "purpose", "subject", "condition", "context"

SUBJECT_WEIGHT = 0.4
CONTEXT_WEIGHT = 0.4
LATER_ASK_WEIGHT = 0.8
CONDITION_SHARE = 0.5
HEAD_BONUS = 1.25
HEAD_WORDS = 3
"""The first words of an ask (its verb and the head of its object) weigh ``HEAD_BONUS`` times more."""

# Verbs an action-plan line starts with: none of them a noun that opens a finding ("Second, …",
# "Change Grow Live to…", "Secure accommodation was…").
_IMPERATIVE_VERBS = (
    "achieve|act|adopt|agree|align|allocate|amend|apply|appoint|arrange|ask|assess|attend|audit|brief|bring|build|"
    "carry|cascade|challenge|check|circulate|clarify|commission|complete|conduct|consider|consult|contact|continue|"
    "convene|co-?ordinate|create|deliver|design|develop|devise|discuss|disseminate|display|document|embed|"
    "encourage|engage|enhance|ensure|escalate|establish|evaluate|explore|extend|follow|fund|give|have|hold|"
    "identify|implement|improve|include|inform|introduce|invest|issue|keep|lead|liaise|look|make|meet|monitor|"
    "note|notify|obtain|offer|oversee|pass|prioritise|produce|promote|provide|publish|put|raise|receive|"
    "recognise|record|refer|reflect|refresh|reinforce|reiterate|relaunch|re-launch|remind|report|request|"
    "require|research|respond|review|revise|roll|run|satisfy|screen|see|seek|set|share|speak|standardise|"
    "strengthen|support|take|tell|test|train|undertake|update|use|visit|work|write"
)
# Verbs a "Body to …" ask or a "…recommended that the Body …" ask opens with, where what comes
# before says a verb follows: those, and more that are nouns too ("second", "change", "plan").
VERBS = _IMPERATIVE_VERBS + "|" + (
    "accept|acknowledge|adapt|add|advertise|advise|alert|allow|analyse|assure|base|capture|change|collate|collect|"
    "confirm|define|distribute|enable|examine|facilitate|gather|highlight|incorporate|integrate|investigate|invite|"
    "learn|maintain|map|measure|place|plan|prepare|publicise|reach|reassess|reconsider|recruit|redesign|reissue|replace|"
    "send|forward|copy|"
    "resource|restructure|retain|scope|search|second|secure|signpost|specify|submit|supervise|teach|track|trial|"
    "verify|widen"
)
_NUMBER = r"(?:\d+[a-z]?|\(\d+[a-z]?\)|[ivx]+|one|two|three|four|five|six|seven|eight|nine|ten)?"
_RECOMMENDATION_LABEL = (
    rf"(?:(?:single|multi)[- ]agency )?recommendations?\s*{_NUMBER}\s*(?:\([^)]*\))?\s*[:.–—-]")
"""A recommendation's own label: "Recommendation 3:", "Multi-agency recommendation 2b –",
"Recommendation 4 (Police)."."""
_LEAD_IN = re.compile(
    r"\s*(?:(?:it is|it was|we|the (?:review|panel|dhr|imr|overview|report|chair)\s*(?:panel |author |writer )?)"
    r"\s*(?:therefore |also |strongly |would )?(?:recommend|suggest|propose|advise)(?:s|ed)?(?: that)?"
    r"|it would be (?:beneficial|helpful|useful|good practice|of benefit) (?:if|for)"
    r"|it recommended(?: that)?|recommendations included(?: that)?(?! in\b)"
    rf"|{_RECOMMENDATION_LABEL}|that)\s+", re.IGNORECASE)
_ACTION_LABEL = re.compile(
    r"\s*(?:agreed |specific )?actions?(?: to (?:be )?take[n]?| required| needed)?\s*\d*\s*:\s*", re.IGNORECASE)
"""The cell of an action-plan row that says what is to be done: an action-plan line follows."""
_MODAL = re.compile(
    r"\b(?:should|must|shall|will|needs? to|ought to|(?:is|are|be) (?:asked|requested|expected|required|"
    r"encouraged|invited|recommended) to|(?:is|are) to)\b", re.IGNORECASE)
_TO_BE = re.compile(r"\bto be\b", re.IGNORECASE)
_NOT_WHO_BEFORE_TO = (
    "order", "so as", "need", "able", "how", "where", "when", "what", "whom", "whether", "reason", "reasons", "way",
    "ways", "chance", "opportunity", "right", "duty", "power", "powers", "decision", "failure", "time", "ability",
    "confidence", "consent", "capacity", "reluctance", "unwillingness", "willingness", "refusal", "inability", "wish",
    "wishes", "desire", "attempt", "attempts", "effort", "efforts", "fear", "tendency", "pressure", "permission",
    "freedom", "readiness", "determination", "motivation", "difficulty", "struggle", "struggled", "tried", "wanted",
    "refused", "declined", "failed", "unable", "unwilling", "reluctant", "afraid", "too frightened")
_TO_VERB = re.compile(
    r"\bto " + "".join(f"(?<!{word} to )" for word in _NOT_WHO_BEFORE_TO) + rf"(?=(?:{VERBS})\b)", re.IGNORECASE)
""""The Service to review…"; not what someone knows ("…know how to refer"), a purpose ("in order to") or
what a noun opens ("a reason to take the patient to hospital", "the right to see…")."""
_IMPERATIVE = re.compile(rf"\s*(?:to\s+)?(?:{_IMPERATIVE_VERBS})\b", re.IGNORECASE)
_VERB_SET = frozenset(VERBS.replace("co-?ordinate", "coordinate|co-ordinate").split("|"))
_DETERMINERS = frozenset({
    "the", "a", "an", "its", "their", "this", "that", "each", "every", "any", "all", "his", "her"})
_NOT_AFTER_VERB = re.compile(
    r"\s*(?:is|are|was|were|has|have|should|must|will|services?|teams?|boards?|panels?|partnerships?|chairs?|"
    r"officers?|staff|workers?|leads?|managers?)\b", re.IGNORECASE)
_NOMINAL_ASK = re.compile(
    r"\s*(?:an? |the )?(?:new |full |thematic |independent )?(?:review|audit|process|procedure|protocol|policy|"
    r"guidance|briefing|campaign|assessment|consideration|programme|system|mechanism|framework|plan|strategy|"
    r"training|communication|investigation)s?\b", re.IGNORECASE)
"""An action-plan line that names the action rather than the body: "A review of…", "An audit of…"."""
_PASSIVE = re.compile(
    r"\s*(?:also |then |always |now |continue to |in future )?be\b(?! (?:more |fully |better )?(?:aware|mindful|able|"
    r"alert|confident|familiar|curious|vigilant|willing|proactive|cognisant|conscious|satisfied|assured)\b)",
    re.IGNORECASE)
"""A passive ask ("Referrals should be made…"), not "be" with an adjective only a person can be ("Staff
should be aware…"): there the subject is who is asked, not what ("Records should be clear" stays
what is asked for)."""
_PURPOSE = re.compile(
    r"\b(?:to ensure|to make sure|to make clear|so as to|so that|in order to|in order that|to enable|to allow|"
    r"to prevent|to reduce|to help|to support|to identify|to improve|to protect|to safeguard|to understand|"
    r"which (?:will|would|should) (?:ensure|enable))\b", re.IGNORECASE)
_FINDING = re.compile(rf"\s*(?:key )?findings?\s*{_NUMBER}\s*[:.–—-]", re.IGNORECASE)
_OWN_CLAUSE = re.compile(r"\b(?:so that|in order that)\b", re.IGNORECASE)
"""A purpose with a subject and a verb of its own."""
_CONDITION = re.compile(
    r"\b(?:when|whenever|where|wherever|if|unless|whilst|while|even if|even when|regardless of whether)\b"
    r"|(?<=, )including\b",
    re.IGNORECASE)
_NOT_A_CONDITION_AFTER = frozenset({
    "cases", "situations", "circumstances", "instances", "households", "families", "those", "people", "anyone",
    "someone", "adults", "patients", "victims", "clients"})
"""A condition sets the scene; but "cases where…" names what is asked about, so it is no condition."""
_LAST_WORD = re.compile(r"(\w+)\s*$")
_NEW_CLAUSE = re.compile(
    r"\s*(?:(?:but|then|so|which|who|that|including|unless|when|where|if|before|after|until|once|within|"
    rf"while|whilst)\b|(?:(?:and|or) )?(?:to |should |must |will )?"
    rf"(?:{VERBS})\b|[^,;:.]*\b(?:should|must|will|is|are|was|were|has|have)\b)", re.IGNORECASE)
"""After a comma: a word that opens another clause, or a clause with a verb of its own."""
_CONDITION_END = re.compile(r"[,;:]")
_PURPOSE_WORDS = frozenset({"ensure", "sure", "make", "order", "enable", "clear"})
_AUXILIARIES = frozenset({"should", "must", "shall", "will", "be", "to", "needs", "need", "ought"})
_PASSIVE_AUXILIARIES = frozenset({"is", "are", "was", "were", "be", "been", "being", "has", "have", "had"})
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'(])|\s+(?=Recommendation\s*\d+[a-z]?\s*[:–—-]\s)")


_FIELD_NAME = (
    r"\s*(?:(?P<who>(?:lead|responsible|owner)(?: (?:agency|agencies|officer|"
    r"partners?|organisations?|body))?)|(?P<when>target(?: date)?|timescales?|deadline|(?:completion |review )?date|"
    r"status|rag(?: rating| status)?|priority)|scope|key milestones|milestones|outcomes?(?: measures?)?|"
    r"evidence of completion)\s*:\s*")
_FIELD = re.compile(r"(?:^|(?<=[.;|\n])|(?<=[.;|]\s))" + _FIELD_NAME, re.IGNORECASE)
_FIELD_AT = re.compile(_FIELD_NAME, re.IGNORECASE)
"""A sentence that opens with a field ("Lead: …", "Target date: …") is a cell of the row, not an ask."""
_FIELD_END = re.compile(r"[.;,|\n]")
_FIELD_WORDS = {"who": 8, "when": 4}
"""The most words a field's value may have to be taken as a name or a date, not as what is asked."""
_OUTCOME_LABEL = re.compile(r"\s*(?:desired |expected |intended )?outcomes?\s*:\s*", re.IGNORECASE)
_OUTCOME_SUBJECT_WORDS = 8
_RELATIVES = frozenset({"who", "which", "that", "whose", "whom", "where", "when", "if"})
_KNOWING = frozenset({"know", "understand"})
_THING_ASKED = re.compile(
    r"\b(?:training|polic(?:y|ies)|protocols?|procedures?|guidance|plans?|pathways?|systems?|forms?|templates?|"
    r"records?|process(?:es)?|strateg(?:y|ies)|frameworks?|programmes?|campaigns?|audits?|reviews?)\b", re.IGNORECASE)
"""A thing asked for, named before who acts in it ("Training for all practice staff includes…")."""
_WHO_ACTS = frozenset({
    "staff", "worker", "workers", "practitioner", "practitioners", "officer", "officers", "team", "teams", "manager",
    "managers", "supervisor", "supervisors", "midwife", "midwives", "visitor", "visitors", "nurse", "nurses",
    "doctor", "doctors", "gp", "gps", "clinician", "clinicians", "crew", "crews", "paramedics", "dentists",
    "pharmacists", "adviser", "advisers", "advisor", "advisors", "leader", "leaders", "handler", "handlers",
    "professionals", "agency", "agencies", "service", "services", "school", "schools", "practice", "practices",
    "partners", "provider", "providers", "department", "departments", "trust", "trusts", "council", "councils",
    "police", "board", "partnership", "commissioners", "coordinator", "coordinators", "co-ordinators",
    "receptionists", "lead", "leads", "idvas", "colleagues", "employers", "landlords", "chairs", "pharmacies",
    "surgeries", "hospitals", "charities", "organisations", "colleges", "universities", "forces"})
"""Nouns for who acts: a stated outcome's subject ends with one ("Dental teams", "the service")."""


def field_spans(text: str) -> list[tuple[int, int]]:
    """The field names of an action-plan row ("Lead agency:", "Target date:", "Key milestones:"),
    each at the start of a sentence or a cell, and the short values that say who and when
    ("…: Exampleton Police.", "…: March 2026."): neither says what is to change.

    >>> text = "Review the policy. Lead agency: Exampleton Council. Target date: May 2026. Outcome: staff ask."
    >>> [text[a:b] for a, b in field_spans(text)]
    ['Lead agency: Exampleton Council', 'Target date: May 2026', 'Outcome: ']
    >>> field_spans("The ICB should take the lead: commission an IDVA.")
    []
    """
    spans = []
    for match in _FIELD.finditer(text):
        end = match.end()
        kind = "who" if match.group("who") else "when" if match.group("when") else None
        if kind is not None:
            stop = _FIELD_END.search(text, end, end + 200)
            value_end = stop.start() if stop else min(len(text), end + 200)
            if len(text[end:value_end].split()) <= _FIELD_WORDS[kind]:
                end = value_end
        label = match.group(0)
        spans.append((match.start() + len(label) - len(label.lstrip()), end))
    return spans


@dataclass(frozen=True)
class Zone:
    """A stretch of text, its kind and the weight of the words in it."""

    start: int
    end: int
    kind: str
    weight: float
    passive_subject: bool = False  # "Referrals" of "Referrals should be made…": asked for, before the verb


def zones(text: str) -> list[Zone]:
    """The weighted zones of a recommendation, in text order, covering every word.

    >>> text = "The Trust should review its policy to ensure that staff ask about abuse."
    >>> for zone in zones(text):
    ...     print(zone.kind, zone.weight, repr(text[zone.start:zone.end].strip()))
    subject 0.4 'The Trust'
    ask 1.0 'review its policy'
    purpose 1.0 'to ensure that staff ask about abuse.'
    """
    sentences = _sentence_spans(text)
    cells = [bool(_FIELD_AT.match(text, start)) and "|" not in text[start:end] for start, end in sentences]
    directed = [None if cell else _directive(text, start, end) for (start, end), cell in zip(sentences, cells)]
    findings = _in_finding(text, sentences)
    if any(d is not None and not finding for d, finding in zip(directed, findings)):
        # A finding has no directive, unless it holds the only one ("Key finding 3: The service should…").
        directed = [None if finding else d for d, finding in zip(directed, findings)]
    any_directive = any(d is not None for d in directed)
    result: list[Zone] = []
    asks_seen = 0
    for (start, end), directive in zip(sentences, directed):
        if directive is None and not any_directive and (verb := _stated_outcome(text, start, end)) is not None:
            # An outcome a text states instead of asking for it: who is to act, then what.
            result.append(Zone(start, verb, SUBJECT, SUBJECT_WEIGHT))
            result.extend(_predicate(text, verb, end, ASK, 1.0))
            continue
        if directive is None:
            weight = CONTEXT_WEIGHT if any_directive else 1.0
            kind = CONTEXT if any_directive else ASK
            result.extend(_predicate(text, start, end, kind, weight))
            continue
        weight = 1.0 if asks_seen == 0 else LATER_ASK_WEIGHT
        asks_seen += 1
        subject_end, ask_start, passive = directive
        if subject_end > start:
            result.append(Zone(start, subject_end, ASK if passive else SUBJECT,
                               weight if passive else round(SUBJECT_WEIGHT * weight, 3), passive))
        result.extend(_predicate(text, ask_start, end, ASK, weight))
    return result


def _in_finding(text: str, sentences: list[tuple[int, int]]) -> list[bool]:
    """Which sentences belong to a finding set before its recommendation ("Finding 3: … No one
    stood back to look at the whole picture. Recommendation 3: …"): what went wrong, never the ask."""
    inside, found = False, []
    for start, _ in sentences:
        if _FINDING.match(text, start):
            inside = True
        elif _LEAD_IN.match(text, start):
            inside = False
        found.append(inside)
    return found


def head_end(text: str, start: int) -> int:
    """Where the first ``HEAD_WORDS`` words of meaning from ``start`` end: the verb of an ask and
    the head of its object (function words, "should be" and the words every recommendation uses,
    such as "ensure that staff", not counted).

    >>> text = "Referrals should be made to the IDVA service for every victim assessed as high risk."
    >>> text[:head_end(text, 0)]
    'Referrals should be made to the IDVA service for every victim assessed'
    """
    seen = 0
    for word in re.finditer(r"\w+", text[start:]):
        lowered = word.group(0).lower()
        if lowered in FUNCTION_WORDS or lowered in _AUXILIARIES or stem(lowered) in GENERIC_WORDS:
            continue
        seen += 1
        if seen == HEAD_WORDS:
            return start + word.end()
    return len(text)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _directive(text: str, start: int, end: int) -> tuple[int, int, bool] | None:
    """(end of the subject, start of the ask, passive?) of one sentence, or None without a directive."""
    sentence = text[start:end]
    label = _ACTION_LABEL.match(sentence)
    lead = None if label else _LEAD_IN.match(sentence)
    offset = label.end() if label else lead.end() if lead else 0
    while lead and (again := _LEAD_IN.match(sentence, offset)):  # "Recommendation 3: It is recommended that…"
        lead, offset = again, again.end()
    first = re.match(r"([\w-]+)\s+(\S+)", sentence[offset:])
    # After "Action:" a verb that is a noun too ("Place a worker…", "Plan…") is the verb of the line,
    # unless a name goes on ("Change Grow Live to…", "Support workers to…").
    imperative = _IMPERATIVE.match(sentence, offset) is not None or (
        label is not None and first is not None and first.group(1).lower() in _VERB_SET
        and not first.group(2)[0].isupper() and not _NOT_AFTER_VERB.match(" " + first.group(2)))
    found = [(match.start(), rank, pattern, match) for rank, pattern in enumerate((_MODAL, _TO_BE, _TO_VERB))
             if not (imperative and pattern is _TO_VERB) and (match := pattern.search(sentence, offset))]
    if imperative and (purpose := _OWN_CLAUSE.search(sentence, offset)):
        # "Amend the protocol so that the school is invited to share…": a directive inside the
        # purpose clause of an action-plan line is the purpose's, not the line's.
        found = [f for f in found if f[0] < purpose.start()]
    verb = _subjunctive_verb(sentence, offset) if lead and not imperative else None
    if verb is not None and (not found or verb < min(f[0] for f in found)):
        return start + verb, start + verb, False  # "…recommended that the Partnership reviews its policy to…"
    if found:  # the first directive in the sentence ("Procedure to be created … must always…")
        _, _, pattern, match = min(found, key=lambda f: (f[0], f[1]))
        if not (pattern is _TO_VERB and _NOMINAL_ASK.match(sentence, offset)):
            passive = pattern is _TO_BE or _PASSIVE.match(sentence, match.end()) is not None
            return start + match.start(), start + match.end(), passive
        # else "A review of the system to ensure…": the action itself, and its purpose
    if lead or label or imperative or _NOMINAL_ASK.match(sentence, offset):  # an action-plan line is all ask
        return start + offset, start + offset, False
    return None


def _stated_outcome(text: str, start: int, end: int) -> int | None:
    """Where the verb of an outcome stated instead of asked for starts ("Dental teams ask every
    patient…", "Outcome: the service offers…"): a verb in the present right after a noun for who
    acts, within the first words; None in a cell of the row, a relative clause, or without one."""
    label = _OUTCOME_LABEL.match(text, start)
    if label is None and _FIELD_AT.match(text, start):
        return None
    offset = label.end() if label else start
    words = list(re.finditer(r"[\w'’-]+", text[offset:end]))[:_OUTCOME_SUBJECT_WORDS + 1]
    for before, word in zip(words, words[1:]):
        form, noun = word.group(0), before.group(0).lower()
        if noun in _RELATIVES:
            return None
        if noun in _WHO_ACTS and form.islower() and _verb_bases(form, past=False) & (_VERB_SET | _KNOWING):
            # "Training for all practice staff includes…": the thing named first is what is asked for.
            return None if _THING_ASKED.search(text, offset, offset + before.start()) else offset + word.start()
    return None


def _verb_bases(form: str, *, past: bool = True) -> set[str]:
    """What a verb's base may be, from its form ("reviews", "reaches", and with ``past`` "referred").

    >>> sorted(_verb_bases("reaches")), sorted(_verb_bases("planned"))
    (['reach', 'reache', 'reaches'], ['plan', 'plann', 'planne', 'planned'])
    """
    if form.endswith("es") or (past and form.endswith("ed")):
        bases = {form, form[:-1], form[:-2]}
        if form.endswith("ed") and len(form) > 4 and form[-3] == form[-4]:
            bases.add(form[:-3])  # "referred", "planned"
        return bases
    return {form, form[:-1]} if form.endswith("s") else {form}


def clause_verb(text: str, subject: int) -> int | None:
    """Where the verb of the clause whose subject starts at ``subject`` starts ("…ensure that the
    Service Police share every incident…": "share"), or None (:func:`_subjunctive_verb`)."""
    return _subjunctive_verb(text, subject)


def _subjunctive_verb(sentence: str, offset: int) -> int | None:
    """Where the verb of "It is recommended that the Partnership reviews…" or "…that all agencies
    take account…" starts: the first of the next ten words that is a verb in lower case (a body's
    name is capitalised: "Victim Support"), not after "the", "a", "its" ("the review panel") and not
    before "is", "should" or a body noun ("support services review…"); None if there is none.

    >>> text = "It is recommended that the Partnership reviews its policy."
    >>> text[_subjunctive_verb(text, 23):]
    'reviews its policy.'
    """
    words = list(re.finditer(r"[\w'’-]+", sentence[offset:]))[:11]
    for index, word in enumerate(words[1:], start=1):
        form = word.group(0)
        if form.endswith("ed") and words[index - 1].group(0).lower() in _PASSIVE_AUXILIARIES:
            return None  # "…that a sanctuary scheme is offered": a passive, whose subject is what is asked
        if form.islower() and _verb_bases(form) & _VERB_SET \
                and words[index - 1].group(0).lower() not in _DETERMINERS \
                and not _NOT_AFTER_VERB.match(sentence, offset + word.end()):
            return offset + word.start()
    return None


def _predicate(text: str, start: int, end: int, kind: str, weight: float) -> list[Zone]:
    """An ask cut at purpose markers, each part with its conditions at a lower weight."""
    cuts = [m.start() for m in _PURPOSE.finditer(text, start, end) if m.start() > start]
    bounds = [start, *cuts, end]
    result: list[Zone] = []
    for index, (a, b) in enumerate(zip(bounds, bounds[1:])):
        part_kind = kind if index == 0 or kind == CONTEXT else PURPOSE
        result.extend(_with_conditions(text, a, b, part_kind, weight))
    return result


def _has_content(words: str) -> bool:
    return any(w not in FUNCTION_WORDS and w not in _PURPOSE_WORDS for w in re.findall(r"\w+", words.lower()))


def _with_conditions(text: str, start: int, end: int, kind: str, weight: float) -> list[Zone]:
    result: list[Zone] = []
    position = start
    for match in _CONDITION.finditer(text, start, end):
        if match.start() < position:
            continue
        before = _LAST_WORD.search(text, max(start, match.start() - 20), match.start())
        if before and before.group(1).lower() in _NOT_A_CONDITION_AFTER:
            continue
        stop = _CONDITION_END.search(text, match.end(), end)
        if stop is None and not _has_content(text[start:match.start()]):
            continue  # a leading condition with no comma to end it: where it ends is unknown
        # A trailing condition runs on over a list ("when they seek help with debt, housing or
        # drinking"), up to what opens another clause ("…, and record the call").
        trailing = stop is not None and _has_content(text[start:match.start()])
        while trailing and stop is not None and stop.group(0) == "," and not _NEW_CLAUSE.match(text, stop.end(), end):
            stop = _CONDITION_END.search(text, stop.end(), end)
        stop_at = stop.start() if stop else end
        if match.start() > position:
            result.append(Zone(position, match.start(), kind, weight))
        result.append(Zone(match.start(), stop_at, CONDITION, round(weight * CONDITION_SHARE, 3)))
        position = stop_at
    if position < end:
        result.append(Zone(position, end, kind, weight))
    return result
