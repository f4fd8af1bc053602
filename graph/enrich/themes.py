"""Theme classification: every recommendation gets 1–3 themes of the T-scheme, with evidence.

Each narrower theme is scored from the lexicon (``lexicon.py``: the words of the theme's own
description in the ontology, and the cue phrases of the field), word by word, each word
weighted by where it stands (``clauses.py``): what the recommendation asks to change counts
fully, its first words a little more and its verb ("refer", "inform", "flag": the first word
of meaning after the directive) most; its subject, its conditions and the case it describes
count less; the words of a body's name ("Housing Officers") count half. A place in the text is
evidence once per theme, at its best (a cue, a pair and a word starting there are one sign),
and so is a body's name ("Children's Social Care"). Then, following docs/labelling.md:

- a top-level theme scores the evidence of its narrower themes, and themes rank by score,
  ties broken by where their first evidence stands; a theme is named by its narrower theme with
  the most evidence, or with a decisive phrase heading the ask if one has it;
- the first theme is set by rule in two cases: a decisive phrase in the ask (a change in the
  law or a national definition: T6.3; integrating services or commissioning them jointly:
  T4.4; sharing the review's learning: T11.2; bringing findings to a national body's attention:
  T11.4, after a change in national law or guidance asked too; the policy, guidance or
  protocol of a national body asked to change it is national policy, T6.3), and a mechanism
  (training, a campaign, a policy or procedure) that heads the ask when no purpose names a
  failing ("Deliver specialist training on…", "A procedure to be written for…");
- when the purpose ("so that…", "to ensure…") names a failing, a mechanism ranks after it, and
  is kept as a secondary theme if it has ``MIN_SECONDARY`` of evidence; when the ask is no
  mechanism but a failing of its own ("inform the school…, so that staff can support the
  child"), the purpose ranks after it;
- a theme about whom a change concerns (older people, a minority community) counts its signs
  after the strongest for less in the order (``GROUP_SHARE``): described in many words, the group
  comes after the failing asked about;
- a search of records asked for (a means cue: "run a monthly search of incident records for
  addresses with three or more calls") ranks after the risk it is to find, and is kept second;
- a secondary theme is kept with ``SECONDARY_SHARE`` of the strongest score (a mechanism put
  first by rule does not count), or ``SECONDARY_ENOUGH`` of its own, and at least
  ``MIN_SECONDARY``; at most three in all;
- T11.5 "no concrete ask" only when nothing scores ``MIN_SCORE`` (or only whom it asks and the
  finding or story around it: "Employers should be mindful of…") and the ask has no words of its
  own (the words of a T11.5 cue, "note the findings of this report", ask for nothing, and nor do
  the words saying what the findings are about: "…as they relate to older people", "…on stalking");
  a concrete ask in unusual words gets its best theme, however weak, and nothing concrete
  asked of a national body ("The Home Office should consider the findings") is T11.4.

Every theme keeps the words that scored it (``ThemeRef.evidence``), strongest first.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from graph.enrich.clauses import (
    ASK,
    CONTEXT,
    HEAD_BONUS,
    PURPOSE,
    SUBJECT,
    VERBS,
    Zone,
    clause_verb,
    field_spans,
    head_end,
    zones,
)
from graph.enrich.lexicon import Cue, Lexicon, theme_lexicon
from graph.enrich.words import FUNCTION_WORDS, GENERIC_WORDS, Token, stem, tokens, tokens_between
from graph.model.records import ThemeRef
from graph.model.terms import UNCLASSIFIABLE

MAX_THEMES = 3
SECONDARY_SHARE = 0.5
"""A secondary theme needs this share of the strongest score…"""
SECONDARY_ENOUGH = 3.0
"""…or this much evidence of its own, however strong the first theme is…"""
MIN_SECONDARY = 0.8
"""…and never less than this."""
MIN_FINDING = 1.0
"""What a theme of a summary sentence needs (``every_theme``)."""
MIN_SCORE = 0.6
"""A theme needs this much evidence; a text with none this strong gets only its best theme if it
asks something concrete (``CONCRETE_WORDS`` words of meaning in what it asks), else T11.5."""
CONCRETE_WORDS = 3
ROUTING = "T11.4"
"""Nothing concrete asked of, or passed to, a national body is routing, not "no concrete ask"."""
NATIONAL_CHANGE = "T6.3"
"""A change in national law or guidance, which comes before routing the findings to a national body."""
POLICY = "T6.1"
"""An agency's own policy or procedure; a national body's is national policy (``NATIONAL_CHANGE``)."""
CUE_WEIGHT = 1.0
MECHANISM_HEAD = CUE_WEIGHT
"""A mechanism heads the ask only with a sign as strong as a cue ("training", "a campaign"): a word
of its description ("understand", "waiting") is no sign that the mechanism is the point."""
NEGLIGIBLE = 0.15
"""Evidence weaker than this (a common word in the subject) is not worth keeping."""
SKIP_PAIR_SHARE = 0.8
"""A pair of words one word apart ("ask directly about abuse") counts for this share of a pair."""
MECHANISM_SHARE = 0.5
"""What a mechanism's evidence outside the purpose counts for, in the order only, when the purpose
names a failing."""
VERB_BONUS = 1.5
"""The first word of meaning of the ask weighs this much (the rest of its head ``HEAD_BONUS``)."""
PURPOSE_SHARE = 0.6
"""What the purpose's evidence counts for, in the order only, when the ask is not a mechanism."""
GROUP_SHARE = 0.5
"""What each sign but the strongest of a theme about whom a change concerns counts for, in the
order only (``dhr:groupTheme``: older people and carers, minority communities…): a recommendation
describes them in several words wherever the failing lies ("speak to the carer and the older person
separately and ask each whether they feel afraid" asks about asking), while one sign ("book an
interpreter") may be the change itself."""
SHARING = "T2"
"""Information sharing: first when the verb of the ask tells another agency what is known (``_TELLING``)."""
_ENSURE_THAT = re.compile(r"\b(?:ensur(?:e|es|ing)|mak(?:e|es|ing) sure)(?: that)?\s+"
                          r"(?:(?:the|its|their|all|every|each|any)\s+)?$", re.IGNORECASE)
"""What opens a clause to be ensured, right before its subject ("…ensure that its midwives refer…")."""
REFERRAL = "T4"
"""Multi-agency working, whose referral pathways (T4.2) are first when the verb of the ask refers someone
(``_REFERRING``: "refer every applicant … to the IDVA service"; not "referred", who was sent before)."""
_REFERRING = re.compile(r"refer(?:s|ring)?", re.IGNORECASE)
_OFFERED_REFERRAL = re.compile(
    r"(?:(?:[\w'’&-]+,? ){0,12}?(?:is|are|be|been) )?offer(?:s|ed)?\b"
    r"(?:(?!\b(?:make|makes|making|made|decline|declines|declined|declining|after|record|records|including|"
    r"training|supervision)\b)[^.;:]){0,120}?\b(?:an? |the )(?P<referral>referral) to\b",
    re.IGNORECASE)
"""An ask that offers a referral ("offer every applicant who… a referral to the domestic abuse service",
"…ensure that the partner is offered a referral to…") refers as "refer" does; not when the referral is
one made, declined or recorded, or comes after what is offered ("offer training on how to make referrals
to MARAC", "offer a call to victims who decline a referral to…")."""
_MENTION = re.compile(r"\s+to\b", re.IGNORECASE)
RECORDING = "T3"
"""Record keeping, first when the verb of the ask records who, whether, why or the details of something
("record who else was present and whether the patient was seen alone": what is recorded, however many
words of another theme it has, is what is kept); not what is recorded about children (child protection),
nor a record kept so as to serve someone ("record whether a patient needs an interpreter and book one")."""
_RECORDING = re.compile(
    r"record(?:ing)?,?\s+(?:[^,.;]{1,60},\s*)?(?:who|whether|why|how|when|where|what|"
    r"the (?:relationship|names?|reasons?|address(?:es)?|dates?|details)\b"
    r"(?! (?:and ages )?of (?:all |any )?(?:the )?child))(?![^.;]*\band (?:book|provide|offer|arrange)\b)",
    re.IGNORECASE)
OVERSIGHT = "T5"
"""Training and workforce, whose management oversight (T5.3) is first when the verb of the ask audits or
supervises (``_OVERSIGHT_VERBS``)."""
_OVERSIGHT_VERBS = frozenset(stem(word) for word in ("audit", "dip", "supervisors", "supervisory"))
_TOLD = re.compile(
    r"(?:(?:the |a |an |any |every |each )?(?!(?:findings|learning|lessons) (?:of|from) (?:this|the)\b|"
    r"(?:review|report|overview report|executive summary)\b)"
    r"(?:(?!(?:family|families|parents|relatives|next of kin)\b)[\w'’&-]+,? ){0,12}?(?:is|are|be|being) "
    r"(?:(?:always|also|then|promptly|routinely) )?|(?<=\bbe ))"
    r"(?P<verb>told|informed|notified|passed|sent|copied|fed back|forwarded)\b"
    r"(?! (?:about|that|by|how|where|what|whom?)\b)"
    r"(?! of (?:the |his |her |their |a |any )?(?:[\w'’-]+ ){0,3}?(?:conditions|rights|numbers?|helplines?|services?|"
    r"schemes?|support)\b)", re.IGNORECASE)
"""What is to be ensured told to another, in the passive ("…ensure that the release date is passed to…",
"…that the victim's GP is told of the meeting", "victims to be told in advance of the exclusion zones"),
as telling in the active is; not what someone is told about, that, how or of (their rights, a scheme, a
service, licence conditions: another theme's), what is told by someone, a family told of the review (its
involvement, T11.1), or the review's own findings or report (its learning, T11.2)."""
_TELLING = re.compile(r"(?:tell|inform|notif(?:y|ies)|share|pass|send|alert|forward|cop(?:y|ies))(?:s|es)?",
                      re.IGNORECASE)
_TOLD_NO_CASE = re.compile(
    r"\s+(?:on\s+)?(?:(?:the |a |an |any |all |every |each )?(?:[\w'’-]+ ){0,2}referrals?\b|"
    r"(?:the |its |their )?(?:own )?(?:members|families|communities|public|residents|customers|staff|employees|"
    r"students|pupils|parents|tenants|congregations?|volunteers|workforce|young people|children)\b(?!['’])|"
    r"(?:the |its |their |a )?(?:own )?(?:new |revised |updated |draft )?(?:[\w'’-]+ ){0,2}(?:policy|policies|"
    r"procedures?|guidance|strateg(?:y|ies)|protocols?|action plans?)\b|"
    r"(?:the |this |its |a copy of (?:the |this )?)?(?:(?:final|overview|executive|full) )*"
    r"(?:reports?|summary|briefing|findings|learning|lessons)\b"
    r"(?! (?:of|from) (?:the |an? )?(?:audit|assessment|check|visit|incident)))"
    r"|(?:(?!\b(?:when|whenever|where|if|before|after|once)\b)[^.;,]){0,80}?"
    r"(?:\b(?:with|to|w/) (?:the |a )?(?:MARAC|MASH|multi-agency)\b"
    r"|\babout (?:the |their |local |specialist |available |how to )(?:[\w'’-]+ ){0,3}?(?:support|services?|svcs?|help|"
    r"helplines?|advice)\b)", re.IGNORECASE)
"""What tells no one about a case, or is another theme's: passing on a referral (a referral, T4.2),
telling a whole group ("tell its members about…": awareness, T7), sharing a policy or procedure
(T6.1), sending the review's report or learning (T11.2), sharing with a multi-agency meeting ("share
information … with the MARAC": T4.1), telling someone about support ("tell patients about local specialist
services": signposting, T8)."""
BODY_SHARE = 0.5
"""What the words of a body's name ("Housing Officers", "the drug and alcohol service") count for:
they say who acts, not what is to change. Cues keep their weight ("the IDVA service")."""
_BREAK = re.compile(r"[,;:.()\"“”]")
_OWN_PURPOSE = re.compile(
    r"\b(?:embed\w*|aware\w*|understand\w*|knowledge\w*|confiden\w*|equipped|competen\w*|skill\w*|"
    r"fit for purpose|familiar\w*)", re.IGNORECASE)
"""A purpose that is the mechanism's own ("training to ensure that the policy is embedded",
"…so that staff are aware of…") names no other failing: it is part of the ask."""
_BODY_NOUN = re.compile(
    r"\b(?:officers?|workers?|teams?|services?|trusts?|departments?|providers?|practitioners?|staff|nurses?|"
    r"visitors?|boards?|partnerships?|councils?|units?|hubs?|co-?ordinators?|commissioners?|clinicians?|"
    r"managers?|crews?|practices?|social care|social services)\b", re.IGNORECASE)
_WORD = re.compile(r"[\w'’&-]+")
_TOPIC = re.compile(
    rf",?\s*(?:particularly |especially |in particular )?(?:as (?:it|they) relates? to|in relation to|relating to|"
    rf"with (?:regard|respect) to|in respect of|on|about|regarding|concerning|around)\b"
    rf"(?:[^.;:]*?\bwho [\w'’-]+ (?:and|or) [\w'’-]+ (?=(?:in|at|on|with|for|from|near|alone|together|away)\b))?"
    rf"[^.;:]*?"
    rf"(?=[.;:]|,? and (?:to |should |must |will )?(?:{VERBS})\b|\bto (?:{VERBS})\b|\bthe need\b|"
    rf",? (?:which|so that|so as|in order|to ensure|when|whenever|where|if|before|after)\b|$)",
    re.IGNORECASE)
"""What findings are said to be about ("…as they relate to older people"), up to the end of the
sentence or what asks for something after all ("…to amend…", "the need to…")."""
_REFERRED_TO = re.compile(
    r"\b(?:referrals? to|referred to(?! as\b| in\b)|refer(?:s|ring)? (?!to\b)[^.;:]{1,80}?\bto"
    r"(?<!subject to)(?<!exposed to)(?<!relating to)(?<!related to)(?<!due to)(?<!according to)(?<!prior to)"
    r"|refer(?:s|ring)? to(?= (?:the |a |an |their |local )?(?:(?!and |or )[\w'’-]+ ){0,3}?(?:service|team|IDVA|ISVA|"
    r"unit|hub|network|clinic|project|charity|advocate|worker)s?\b)"
    r"|(?:passed|handed|copied|sent|forwarded|shared|reported)(?: on)? (?:to|with)"
    r"|(?:tell|tells|told|inform|informs|informed|notify|notifies|notified)(?= (?:the|a|an|their|its|her|his)\b))\s+"
    r"(?!(?:the |a |an )?(?:MARAC|MASH|multi-agency)\b)"
    r"(?P<where>(?:[\w'’&-]+ ){0,5}?[\w'’&-]+)"
    r"(?=\s*(?:[,.;:()]|$)|\s+(?:and|or|so|when|whenever|where|if|who|which|including|for|within|on|by|before|after|"
    r"at|with|as|to|in|while|whilst|whatever|unless|the same|about|of|that|whether|how|what)\b)", re.IGNORECASE)
"""Where a referral or information goes ("refer every applicant … to the IDVA service", "tell the
victim's IDVA when…", "is passed to the housing team"): like a body's name, it says where, not what
is to change; the referral or the telling is the ask."""
_NAME_JOINERS = frozenset({"and", "&", "of"})
_POINTS_BACK = re.compile(
    r"\b(?:this|these|that|those|such)\s+(?:practice|decision|approach|process|procedure|policy|issue|failing|gap|"
    r"response|arrangement)s?\b|\breconsider\s+(?:this|it|that)\b", re.IGNORECASE)
"""An ask that points back at the story before it ("should review this practice"): the story's
words are what it asks about."""


@dataclass(slots=True)
class _Evidence:
    weight: float
    words: str
    start: int
    kind: str
    term: str  # the lexicon term or cue: repeated, it counts once
    head: bool = False  # among the first words of the first ask
    decisive: bool = False
    rank: float = 1.0  # a mechanism ranked after the failing counts for less in the order, not in the set
    means: bool = False  # a means cue in the ask ("run a search of records for…")


@dataclass
class _Concept:
    items: dict[int, _Evidence] = field(default_factory=dict)  # where a term or cue starts -> its best evidence

    def add(self, evidence: _Evidence, place: int) -> None:
        """One piece of evidence per place: a cue, a pair and a word starting at one word
        count once, at the best weight ("alcohol service" is one sign, not three); so do the
        words of one body's name ("Children's Social Care")."""
        _keep_best(self.items, evidence, place)


def _keep_best(items: dict[int, _Evidence], evidence: _Evidence, place: int | None = None) -> None:
    key = evidence.start if place is None else place
    held = items.get(key)
    if held is None:
        items[key] = evidence
    elif evidence.weight > held.weight:  # the stronger sign, and what either says of its role
        items[key] = evidence if (held.decisive <= evidence.decisive and held.means <= evidence.means) else replace(
            evidence, decisive=evidence.decisive or held.decisive, means=evidence.means or held.means)
    elif (evidence.decisive and not held.decisive) or (evidence.means and not held.means):
        items[key] = replace(held, decisive=held.decisive or evidence.decisive, means=held.means or evidence.means)


def classify(text: str, *, every_theme: bool = False) -> list[ThemeRef]:
    """The themes of one recommendation, most important first.

    ``every_theme`` keeps every theme with ``MIN_FINDING`` of evidence (no cap, no share rule),
    for text that lists several findings at once, such as a sentence of a review's summary.

    >>> [t.code for t in classify("All staff to complete training on the DASH risk assessment.")]
    ['T5.1', 'T1.1']
    >>> [t.code for t in classify("The practice should review its procedures so that staff ask patients "
    ...                           "about abuse in private.")]
    ['T1.2', 'T6.1']
    >>> classify("Services should work together to improve outcomes.")[0].code
    'T11.5'
    """
    return list(_classify(text, every_theme))


@lru_cache(maxsize=16384)
def _classify(text: str, every_theme: bool) -> tuple[ThemeRef, ...]:
    """:func:`classify`, once per text: reviews repeat the same asks word for word."""
    lexicon = theme_lexicon()
    masked = _Spans([*_vague_spans(text, lexicon.candidate_vague(text)), *field_spans(text)])
    text_zones = zones(text)
    spans = _asked(text, text_zones)
    verb = _ask_verb(text, spans, masked)
    concepts = _evidence(text, lexicon, masked, spans, verb)
    # What a national body is asked to do to its own rules ("allow victims to…") is national policy, and so is
    # what a national body written to is asked for ("write to the Home Office asking that…").
    for national, kinds in ((lexicon.national_changes, (SUBJECT,)), (lexicon.national_requests, (ASK,))):
        if national and _names_national_body(concepts, lexicon, kinds):
            for code, concept in _evidence(text, lexicon, masked, spans, verb, national).items():
                for place, item in concept.items.items():
                    concepts[code].add(item, place)
    _national_policy(concepts, lexicon)
    failing_purpose = _rank_mechanisms(concepts, lexicon)
    _rank_purpose(concepts, lexicon)
    searched = _rank_means(concepts, lexicon)
    tops: dict[str, dict[int, _Evidence]] = defaultdict(dict)  # top -> place -> best evidence over its concepts
    for code, concept in concepts.items():
        for place, item in concept.items.items():
            _keep_best(tops[lexicon.top[code]], item, place)
    share = {top: GROUP_SHARE if top in lexicon.groups else 1.0 for top in tops}
    scores = {top: _total(items.values()) for top, items in tops.items()}
    order = {top: _total(items.values(), ranked=True, further=share[top]) for top, items in tops.items()}
    # The verb of what is to be ensured, else the clause's subject ("ensure that supervisors review…"), each tried once.
    ensured = _ensured_verb(text, verb)
    by_verb = _verb_theme(text, ensured, concepts, lexicon) or (
        _verb_theme(text, verb, concepts, lexicon) if ensured is not verb else None)
    first, first_by_decisive = _first_by_rule(concepts, lexicon, failing_purpose, by_verb)
    ranked = sorted((t for t in scores if scores[t] >= MIN_SCORE),
                    key=lambda t: (t != first, -round(order[t], 6), min(e.start for e in tops[t].values())))
    if ranked and all(e.kind in (SUBJECT, CONTEXT) for c in concepts.values() for e in c.items.values()) \
            and not _asks_something(text, masked, text_zones) and not _POINTS_BACK.search(text):
        ranked = []  # only whom it asks or the story around it has words of a theme ("Employers should note…")
    if not ranked and scores and _asks_something(text, masked, text_zones):
        ranked = [max(scores, key=lambda t: scores[t])]  # a concrete ask in unusual words: its best theme
    elif not ranked and _names_national_body(concepts, lexicon, (SUBJECT, ASK)):
        return (ThemeRef(ROUTING, 0.5, _words(concepts[ROUTING].items)),)  # findings passed to a national body
    if not ranked:
        return (ThemeRef(UNCLASSIFIABLE, 0.5, ()),)
    # The means of a change whose purpose names the failing is kept with it (labelling guide:
    # "review the procedure so that staff ask…" is T1.2, T6.1) if it has evidence of its own.
    ranked_mechanisms = {lexicon.top[code] for code in lexicon.mechanisms & concepts.keys()
                         if any(item.rank < 1 for item in concepts[code].items.values())}
    means = {top for top in ranked if top in ranked_mechanisms | searched and scores[top] >= MIN_SECONDARY}
    # A mechanism first by rule ("training on X") is not the yardstick of X: the others are.
    # So is a mechanism a decisive phrase put first ("specialist training on stalking").
    decided_mechanism = first_by_decisive and any(
        lexicon.top[code] == first and any(e.decisive for e in concepts[code].items.values())
        for code in lexicon.mechanisms & concepts.keys())
    # The theme the verb of the ask puts first is the failing, and the yardstick of the rest.
    others = [scores[t] for t in ranked
              if t != first or (first_by_decisive and not decided_mechanism) or first == by_verb]
    best_score = max(others) if others else scores[ranked[0]]
    if ranked[0] not in searched:  # a search comes second, right after what it is to find
        ranked = [ranked[0], *(t for t in ranked[1:] if t in searched), *(t for t in ranked[1:] if t not in searched)]
    themes: list[ThemeRef] = []
    for top in ranked if every_theme else ranked[:MAX_THEMES]:
        if every_theme:
            if themes and scores[top] < MIN_FINDING:
                continue
        elif themes and (scores[top] < min(best_score * SECONDARY_SHARE, SECONDARY_ENOUGH)
                         or scores[top] < MIN_SECONDARY) and top not in means:
            continue
        themes.append(ThemeRef(_narrowest(top, concepts, lexicon), _confidence(scores[top]), _words(tops[top])))
    return tuple(themes)


def _asked(text: str, text_zones: list[Zone]) -> list[Zone]:
    """The zones, with a purpose that is the mechanism's own ("…so that staff are aware of…") part of the ask."""
    return [Zone(z.start, z.end, ASK, z.weight) if z.kind == PURPOSE and _OWN_PURPOSE.search(text, z.start, z.end)
            else z for z in text_zones]


def _ask_verb(text: str, spans: list[Zone], masked: _Spans) -> Token | None:
    """The verb of the ask: the first word of meaning after the directive ("refer", "inform",
    "flag"), what is to be done. A passive subject ("Schools should be told") is who it is done to."""
    predicate = next((z for z in spans if z.kind == ASK and not z.passive_subject), None)
    if predicate is None:
        return None
    return next((t for t in tokens_between(text, predicate.start, predicate.end) if t.start not in masked
                 and t.stem not in GENERIC_WORDS), None)


def _evidence(text: str, lexicon: Lexicon, masked: _Spans, spans: list[Zone], verb: Token | None,
              only: Sequence[Cue] | None = None) -> dict[str, _Concept]:
    """Every term and cue of the lexicon found in the text outside ``masked`` (what asks for nothing),
    at the weight of where it stands (``spans``, ``verb``); with ``only``, those cues and nothing else."""
    starts = [z.start for z in spans]
    first_ask = next((z for z in spans if z.kind == ASK), None)
    head = (first_ask.start, head_end(text, first_ask.start)) if first_ask else (0, 0)
    bodies = _Spans([*((_name_start(text, m.start()), m.end()) for m in _BODY_NOUN.finditer(text)),
                     *(m.span("where") for m in _REFERRED_TO.finditer(text))])

    def place(position: int) -> tuple[float, str, bool]:
        zone = spans[bisect_right(starts, position) - 1] if spans and position >= starts[0] else None
        if zone is None or position >= zone.end:
            return 0.0, "", False
        in_head = head[0] <= position < head[1]
        bonus = VERB_BONUS if verb is not None and position == verb.start else HEAD_BONUS if in_head else 1.0
        weight = zone.weight * bonus * (BODY_SHARE if position in bodies else 1.0)
        return weight, zone.kind, in_head

    concepts: dict[str, _Concept] = defaultdict(_Concept)
    words = [t for t in tokens(text) if t.start not in masked]
    terms, pairs_after = lexicon.terms, lexicon.pairs_after
    for index, token in enumerate(words if only is None else ()):
        weight, kind, in_head = place(token.start)
        if weight == 0:
            continue
        candidates = [(token.stem, 1.0, token.end)]
        seconds = pairs_after.get(token.stem)
        if seconds:
            for step, share in ((1, 1.0), (2, SKIP_PAIR_SHARE)):
                if index + step < len(words) and (other := words[index + step]).stem in seconds:
                    if not _BREAK.search(text, token.end, other.start):
                        candidates.append((f"{token.stem} {other.stem}", share, other.end))
        key = bodies.start_of(token.start)
        for term, share, end in candidates:
            if end > token.end and token.start not in bodies and end - 1 in bodies:
                share *= BODY_SHARE  # a pair reaching into a body's name ("refer to Children's…") is half a name
            for code, term_weight in terms.get(term, ()):
                if (scored := term_weight * share * weight) >= NEGLIGIBLE:
                    concepts[code].add(_Evidence(scored, text[token.start:end], token.start, kind, term, in_head),
                                       key)
    for cue in lexicon.candidate_cues(text) if only is None else only:
        for match in cue.pattern.finditer(text):
            if match.start() in masked:
                continue
            weight, kind, in_head = place(match.start())
            concepts[cue.concept].add(_Evidence(CUE_WEIGHT * weight, match.group(0).strip(), match.start(), kind,
                                                cue.pattern.pattern, in_head, cue.decisive and kind in (ASK, PURPOSE),
                                                means=kind == ASK and cue.pattern.pattern in lexicon.means),
                                      bodies.start_of(match.start()))
    return concepts


def _national_policy(concepts: dict[str, _Concept], lexicon: Lexicon) -> None:
    """A national body's own guidance, rules and requirements are national policy (labelling guide:
    a change to national policy is T6.3 first): when a national body is who is asked ("The Ministry
    should amend the guidance on…"), the policy words of what it is asked (a policy, guidance, a
    protocol: words a cue of T6.1 matches) are decisive evidence of T6.3. A national body named in
    the ask ("…review their procedures, following College of Policing guidance") is not who is asked."""
    policy = concepts.get(POLICY)
    if policy is None or not _names_national_body(concepts, lexicon, (SUBJECT,)):
        return
    policies = lexicon.cue_patterns.get(POLICY, ())
    for place, item in policy.items.items():
        if item.kind in (ASK, PURPOSE) and any(p.match(item.words) for p in policies):
            concepts.setdefault(NATIONAL_CHANGE, _Concept()).add(replace(item, decisive=True), place)


def _names_national_body(concepts: dict[str, _Concept], lexicon: Lexicon, kinds: tuple[str, ...]) -> bool:
    """Whether a national body's name (a cue of routing: "the Home Office", "Her Majesty's
    Government") stands where ``kinds`` says; a word of routing's description ("Homes",
    "office") names none."""
    named = concepts.get(ROUTING)
    # The words, not the term kept: "Home Office" is a cue and a pair of words, and either may be kept.
    national = lexicon.cue_patterns.get(ROUTING, ())
    return named is not None and any(e.kind in kinds and any(p.match(e.words) for p in national)
                                     for e in named.items.values())


def _name_start(text: str, noun: int) -> int:
    """Where the name ending in a body noun starts: up to three words before it, with "and", "&"
    or "of" only inside ("the drug and alcohol service"), never across punctuation or another
    function word."""
    names: list[re.Match[str]] = []
    end = noun
    for word in reversed(list(_WORD.finditer(text, max(0, noun - 60), noun))):
        lowered = word.group(0).lower()
        if text[word.end():end].strip() or (lowered in FUNCTION_WORDS and lowered not in _NAME_JOINERS):
            break
        names.append(word)
        end = word.start()
        if sum(w.group(0).lower() not in _NAME_JOINERS for w in names) == 3:
            break
    while names and names[-1].group(0).lower() in _NAME_JOINERS:
        names.pop()
    return names[-1].start() if names else noun


class _Spans:
    """Stretches of text, merged, for fast "is this position inside one?" questions."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def __contains__(self, position: int) -> bool:
        index = bisect_right(self.starts, position) - 1
        return index >= 0 and position < self.ends[index]

    def start_of(self, position: int) -> int:
        """Where the stretch holding a position starts; the position itself outside any."""
        index = bisect_right(self.starts, position) - 1
        return self.starts[index] if index >= 0 and position < self.ends[index] else position


def _asks_something(text: str, masked: _Spans, text_zones: list[Zone]) -> bool:
    """Whether what the text asks (in ``text_zones``) has words of its own, beyond ``masked`` (the
    phrases that ask for nothing, such as "note the findings of this report", and action-plan
    fields) and the words every recommendation uses."""
    asked = _Spans((z.start, z.end) for z in text_zones if z.kind in (ASK, PURPOSE))
    meaningful = [t for t in tokens(text) if t.stem not in GENERIC_WORDS and t.start not in masked
                  and t.start in asked]
    return len(meaningful) >= CONCRETE_WORDS


def _vague_spans(text: str, vague: Sequence[Cue]) -> list[tuple[int, int]]:
    """The phrases that ask for nothing, each with what it says the findings are about ("consider
    the findings of this review as they relate to older people"): a topic is not an ask."""
    spans = []
    for cue in vague:
        for m in cue.pattern.finditer(text):
            topic = _TOPIC.match(text, m.end())
            spans.append((m.start(), topic.end() if topic else m.end()))
    return spans


def _rank_mechanisms(concepts: dict[str, _Concept], lexicon: Lexicon) -> bool:
    """Training and procedures outside a purpose that names a failing are the means: they rank
    after it. Returns whether the purpose names a failing."""
    failing = _total(item for code, concept in concepts.items() if code not in lexicon.mechanisms
                     for item in concept.items.values() if item.kind == PURPOSE)
    if failing < MIN_SCORE:
        return False
    for code in lexicon.mechanisms & concepts.keys():
        for item in concepts[code].items.values():
            if item.kind != PURPOSE:
                item.rank = MECHANISM_SHARE
    return True


def _rank_purpose(concepts: dict[str, _Concept], lexicon: Lexicon) -> None:
    """A purpose names the failing only when what is asked is a mechanism (labelling guide,
    rule 1): "inform the school…, so that staff can support the child" asks for the telling,
    and the support is why. So when the ask has evidence of a failing of its own and none of a
    mechanism, the purpose's evidence ranks after it."""
    asked = [(code, item) for code, concept in concepts.items() for item in concept.items.values()
             if item.kind == ASK]
    if any(code in lexicon.mechanisms for code, _ in asked):
        return
    if _total(item for _, item in asked) < MIN_SCORE:
        return
    for code, concept in concepts.items():
        for item in concept.items.values():
            if item.kind == PURPOSE and code not in lexicon.mechanisms:
                item.rank = min(item.rank, PURPOSE_SHARE)


def _rank_means(concepts: dict[str, _Concept], lexicon: Lexicon) -> set[str]:
    """A search of records asked for ("run a monthly search of incident records for addresses
    with three or more calls") is the means of finding people at risk: when what it should find
    has evidence of its own, the search's theme ranks after it (labelling guide, rule 2).
    Returns the themes so ranked, which are kept, second."""
    searched = {lexicon.top[code] for code, concept in concepts.items()
                if any(item.means for item in concept.items.values())}
    ranked: set[str] = set()
    for top in searched:
        found = _total(item for other, c in concepts.items() if lexicon.top[other] != top
                       and other not in lexicon.mechanisms for item in c.items.values() if item.kind in (ASK, PURPOSE))
        if found >= MIN_SCORE:
            ranked.add(top)
            for item in (i for code, c in concepts.items() if lexicon.top[code] == top for i in c.items.values()):
                item.rank = 0.0  # in the order only: after the theme it is to find, and kept second
    return ranked


def _ensured_verb(text: str, verb: Token | None) -> Token | None:
    """The verb of what is to be ensured ("ensure that call handlers pass…": "pass"), when the ask's
    first word of meaning is the subject of such a clause; else the ask's verb itself."""
    if verb is None or not _ENSURE_THAT.search(text, max(0, verb.start - 40), verb.start):
        return verb
    found = clause_verb(text, verb.start)
    return next(tokens_between(text, found, len(text)), verb) if found is not None else verb


def _verb_theme(text: str, verb: Token | None, concepts: dict[str, _Concept], lexicon: Lexicon) -> str | None:
    """The theme the verb of the ask makes first, when the verb is evidence of it: telling another
    agency what is known is information sharing ("tell the police the release date of…": what is
    told, however many words of another theme it has, is what passes; the guide: passing what is
    known so that another can act is T2), referring someone is a referral pathway ("refer every
    homeless applicant who discloses abuse to the IDVA service": whom and where to are what the
    referral is about), and auditing or supervising is management oversight ("audit fifty closed
    cases to test whether…": the audit is the ask, what it tests comes second)."""
    if verb is None:
        return None
    where = verb.start  # the word whose evidence the theme must have
    if _TELLING.fullmatch(text, verb.start, verb.end) and not _TOLD_NO_CASE.match(text, verb.end):
        theme = SHARING
    elif verb.stem in _OVERSIGHT_VERBS:
        theme = OVERSIGHT
    elif _REFERRING.fullmatch(text, verb.start, verb.end) and (
            not _MENTION.match(text, verb.end) or _REFERRED_TO.match(text, verb.start)):
        theme = REFERRAL  # "refer to" a service or team, else it mentions ("The policy should refer to stalking")
    elif _RECORDING.match(text, verb.start):
        theme = RECORDING
    elif offered := _OFFERED_REFERRAL.match(text, verb.start):
        theme, where = REFERRAL, offered.start("referral")
    elif (told := _TOLD.match(text, verb.start)) and not _TOLD_NO_CASE.match(text, told.end()):
        theme, where = SHARING, told.start("verb")
    else:
        return None
    return theme if any(lexicon.top[code] == theme and where in concept.items
                        for code, concept in concepts.items()) else None


def _first_by_rule(concepts: dict[str, _Concept], lexicon: Lexicon, failing_purpose: bool,
                   by_verb: str | None = None) -> tuple[str | None, bool]:
    """The theme the labelling conventions put first, whatever the scores: the theme of a decisive
    phrase in the ask (national law: T6.3; integration: T4.4; the review's learning: T11.2; findings
    brought to a national body: T11.4, unless a national change is asked too), else the theme the
    verb of the ask makes first (``by_verb``, :func:`_verb_theme`), else a mechanism that heads the
    ask when no purpose names a failing ("Deliver training on…", "A procedure to be written for…").
    Says too whether a decisive phrase chose it."""
    # Routing names where findings go; a change asked of national law or guidance comes before it.
    # Told by the concept, not by the term kept at a place: a pair of words may outweigh the cue there.
    change = NATIONAL_CHANGE in concepts and any(e.decisive for e in concepts[NATIONAL_CHANGE].items.values())
    decisive = [(change and code == ROUTING, e.start, lexicon.top[code]) for code, concept in concepts.items()
                for e in concept.items.values() if e.decisive]
    if decisive:
        return min(decisive)[2], True
    if by_verb is not None:
        return by_verb, False
    if failing_purpose:
        return None, False
    in_head = sorted((e.start, -e.weight, code) for code, concept in concepts.items() for e in concept.items.values()
                     if e.head and e.kind == ASK and e.weight >= MECHANISM_HEAD)
    if in_head and in_head[0][2] in lexicon.mechanisms:  # the head of the object is the mechanism itself
        return lexicon.top[in_head[0][2]], False
    return None, False


def _narrowest(top: str, concepts: dict[str, _Concept], lexicon: Lexicon) -> str:
    """The narrower concept of a top-level theme with the most evidence (of those with a decisive
    phrase heading the ask, if any: "revise the national guidance…"; one further on, "update the
    policy to reflect the new legislation", decides the theme but not what of it is asked); the
    theme itself if none, or if its own cues ("male victims" for T9) say more than any of its
    narrower concepts."""
    scored = [(_total(c.items.values()), -min(e.start for e in c.items.values()), code)
              for code, c in concepts.items() if lexicon.top[code] == top and c.items]
    decided = [s for s in scored if any(e.decisive and e.head for e in concepts[s[2]].items.values())]
    scored = decided or scored
    narrower = [s for s in scored if s[2] != top]
    own = next((s[0] for s in scored if s[2] == top), 0.0)
    return max(narrower)[2] if narrower and max(narrower)[0] >= own else top


def _total(items: Iterable[_Evidence], *, ranked: bool = False, further: float = 1.0) -> float:
    """The evidence of a theme: each term once, at its best (a word said three times is one sign);
    with ``further``, every term but the strongest counts that share."""
    best: dict[str, float] = {}
    for item in items:
        weight = item.weight * item.rank if ranked else item.weight
        if weight > best.get(item.term, 0.0):
            best[item.term] = weight
    total = sum(best.values())
    if further == 1.0 or not best:
        return total
    strongest = max(best.values())
    return strongest + (total - strongest) * further


def _confidence(score: float) -> float:
    return round(min(0.99, 1 - math.exp(-score / 2)), 3)


def _words(items: dict[int, _Evidence]) -> tuple[str, ...]:
    ordered = sorted(items.values(), key=lambda e: (-e.weight, e.start))
    return tuple(dict.fromkeys(e.words for e in ordered))[:6]
