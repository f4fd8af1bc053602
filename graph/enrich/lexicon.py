"""The theme lexicon: what each theme is scored on, read from the ontology once.

Two sources, both in ``ontology/``:

- the **description** of each narrower theme in ``schemes.ttl`` (prefLabel, altLabels,
  definition, scope note): its words and adjacent pairs of words, stemmed, become terms of
  that theme. A term weighs by how specific it is to one top-level theme (the inverse of the
  number of top-level themes whose descriptions use it, on a 0–1 scale), more if it is in a
  label, more if it is a pair. Words every recommendation uses ("staff", "victim", "ensure")
  are never a term alone. So a recommendation about a questionnaire's boxes scores T3.2
  although no cue mentions a questionnaire, because T3.2's description does.
- the **cues** of ``cues.ttl``: phrases of the field (acronyms, tools, named schemes) as
  regular expressions, each evidence for its concept; decisive cues, which put their theme
  first (a change in the law, sharing the review's learning); means cues, which rank their
  theme after what they are the means of finding (a search of records); the cues of T11.5,
  phrases that ask for nothing; and which themes are mechanisms (``dhr:mechanism``).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property

from rdflib import Literal

from graph.enrich.words import ACTOR_WORDS, GENERIC_WORDS, tokens
from graph.model.terms import DHR, SKOS, UNCLASSIFIABLE
from graph.model.turtle import read
from graph.resources import ontology_dir

LABEL_BOOST = 1.5
"""A term of a theme's labels is a stronger sign of it than a term of its definition."""
PAIR_BOOST = 1.3
"""A pair of words ("economic abuse") is more specific than either word."""
WORD_SHARE = 0.5
"""What a single word of a definition or scope note counts for, against a pair."""
MIN_SPECIFICITY = 0.3
"""A word that the descriptions of more than about half the top-level themes use says nothing about any."""

_WORD_START = re.compile(r"(?<!\w)(?=(\w.{2}))", re.DOTALL)
_FRAGMENT = re.compile(r"[,;:.()\"“”]|\s-\s|\band\b|\bor\b")


@dataclass(frozen=True)
class Cue:
    """A phrase of the field that is evidence for one concept."""

    concept: str  # the code, e.g. "T1.2"
    pattern: re.Pattern[str]
    prefixes: tuple[str, ...]  # one of these literal starts is in every match (lower case); () if unknown
    decisive: bool = False  # where it stands in the ask, its theme comes first
    contains: str = ""  # without literal starts: text every match contains ("" if unknown)


def _by_start(cues: tuple[Cue, ...]) -> dict[str, tuple[tuple[int, str, Cue], ...]]:
    """Cues by the first three letters of each literal start; under "" those without one."""
    index: dict[str, list[tuple[int, str, Cue]]] = defaultdict(list)
    for place, cue in enumerate(cues):
        for prefix in cue.prefixes:
            index[prefix[:3]].append((place, prefix, cue))
        if not cue.prefixes:
            index[""].append((place, cue.contains, cue))  # checked whatever the words
    return {key: tuple(entries) for key, entries in index.items()}


def _candidates(index: dict[str, tuple[tuple[int, str, Cue], ...]], text: str) -> list[Cue]:
    lowered = text.lower()
    found: dict[int, Cue] = {}
    for key in {"", *_WORD_START.findall(lowered)}:
        for place, prefix, cue in index.get(key, ()):
            if place not in found and prefix in lowered:
                found[place] = cue
    return [found[place] for place in sorted(found)]


@dataclass(frozen=True)
class Lexicon:
    """Everything the scorer matches, by concept code."""

    terms: dict[str, tuple[tuple[str, float], ...]]  # stem or "stem stem" -> ((concept, weight), ...)
    cues: tuple[Cue, ...]
    vague: tuple[Cue, ...]  # T11.5: phrases that ask for nothing concrete
    mechanisms: frozenset[str]
    top: dict[str, str]  # concept code -> its top-level code
    means: frozenset[str] = frozenset()  # the patterns of the cues that name a means (dhr:meansCue)
    groups: frozenset[str] = frozenset()  # top-level themes about whom a change concerns (dhr:groupTheme)
    national_changes: tuple[Cue, ...] = ()  # T6.3 only when a national body is asked (dhr:nationalChangeCue)
    national_requests: tuple[Cue, ...] = ()  # T6.3 only when a national body is asked for it (dhr:nationalRequestCue)
    by_start: dict[str, tuple[tuple[int, str, Cue], ...]] = field(default_factory=dict)
    """First three letters of a literal start -> (place in ``cues``, the start, the cue); under ""
    the cues without one, with the text they must contain."""
    vague_by_start: dict[str, tuple[tuple[int, str, Cue], ...]] = field(default_factory=dict)  # the same of ``vague``
    pairs_after: dict[str, frozenset[str]] = field(default_factory=dict)  # first stem of a pair -> second stems

    def __post_init__(self) -> None:
        seconds: dict[str, set[str]] = defaultdict(set)
        for term in self.terms:
            if " " in term:
                first, second = term.split(" ", 1)
                seconds[first].add(second)
        self.pairs_after.update({first: frozenset(rest) for first, rest in seconds.items()})
        self.by_start.update(_by_start(self.cues))
        self.vague_by_start.update(_by_start(self.vague))

    def candidate_cues(self, text: str) -> list[Cue]:
        """The cues that can match a text: those with a literal start that occurs at the start of
        one of its words, and those without one. Each once, in lexicon order.

        >>> [c.concept for c in theme_lexicon().candidate_cues("Refer to MARAC.") if c.concept.startswith("T4.")]
        ['T4.1', 'T4.2']
        """
        return _candidates(self.by_start, text)

    def candidate_vague(self, text: str) -> list[Cue]:
        """The phrases asking for nothing that can match a text, found as :meth:`candidate_cues` finds cues."""
        return _candidates(self.vague_by_start, text)

    def weights(self, concept: str) -> dict[str, float]:
        """The description terms of one concept and their weights.

        >>> weights = theme_lexicon().weights("T3.2")
        >>> weights["questionnair"], weights["flag"] > weights["record"]
        (0.5, True)
        """
        return {term: weight for term, pairs in self.terms.items() for code, weight in pairs if code == concept}

    @cached_property
    def cue_patterns(self) -> dict[str, tuple[re.Pattern[str], ...]]:
        """Each concept's cues, compiled: to ask whether some words are one of its cues."""
        found: dict[str, list[re.Pattern[str]]] = defaultdict(list)
        for cue in self.cues:
            found[cue.concept].append(cue.pattern)
        return {concept: tuple(patterns) for concept, patterns in found.items()}


def literal_prefix(cue: str) -> str:
    """The literal text a cue's matches start with, if the cue starts with one.

    >>> literal_prefix(r"risk assessments?"), literal_prefix(r"(call|contact) centre")
    ('risk assessment', '')
    """
    match = re.match(r"[A-Za-z0-9 ,'’-]+", cue)
    prefix = match.group(0) if match else ""
    if len(prefix) < len(cue) and cue[len(prefix)] in "?*{":
        prefix = prefix[:-1]  # the last character is optional
    return prefix.lower() if len(prefix) >= 3 else ""


def literal_prefixes(cue: str) -> tuple[str, ...]:
    r"""Literal starts one of which every match of a cue starts with, so most cues are skipped
    without running the regular expression; () when the cue gives none.

    >>> literal_prefixes(r"(call|contact) (centre|handlers?)"), literal_prefixes(r"(a|bc)d")
    (('call', 'contact'), ())
    >>> literal_prefixes(r"(share|disseminat\w+) the learning")
    ('share', 'disseminat')
    """
    if prefix := literal_prefix(cue):
        return (prefix,)
    group = re.match(r"\(([^()\[\]]+)\)(?![?*{])", cue)
    if group is None:
        return ()
    options = tuple(literal_prefix(option.strip()) for option in group.group(1).split("|"))
    return options if all(options) else ()


def required_literal(cue: str) -> str:
    """The longest plain text outside any group that every match of a cue contains (lower
    case), to skip a cue without a literal start cheaply; "" when there is none.

    >>> required_literal(r"(made|make|be) compulsory"), required_literal(r"e-?learning"), required_literal(r"a|b")
    (' compulsory', 'learning', '')
    """
    depth, run, runs = 0, "", []
    for index, char in enumerate(cue):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            return ""  # alternatives at the top: nothing is common to all
        if depth == 0 and (char.isalnum() or char in " '-") and char not in "([)]":
            optional = index + 1 < len(cue) and cue[index + 1] in "?*{"
            run = "" if optional else run + char
            if not optional:
                continue
        if run:
            runs.append(run)
        run = ""
    runs.append(run)
    best = max(runs, key=len)
    return best.lower() if len(best.strip()) >= 4 else ""


def description_terms(text: str) -> set[str]:
    """The terms of a description: its non-generic stems, and pairs of adjacent stems within a
    phrase (a pair never spans a comma, "and" or "or", and never pairs a word with whoever
    acts: "agencies share" says no more than "share").

    >>> sorted(description_terms("Economic and financial abuse, control of money"))
    ['control', 'control money', 'economic', 'financi', 'financi abus', 'money']
    """
    terms: set[str] = set()
    for fragment in _FRAGMENT.split(text):
        stems = [t.stem for t in tokens(fragment)]
        terms.update(s for s in stems if s not in GENERIC_WORDS and len(s) > 1)
        terms.update(f"{a} {b}" for a, b in zip(stems, stems[1:])
                     if not (a in GENERIC_WORDS and b in GENERIC_WORDS) and not {a, b} & ACTOR_WORDS)
    return terms


@cache
def theme_lexicon() -> Lexicon:
    """The lexicon of the shipped ontology."""
    graph = read([ontology_dir() / "schemes.ttl", ontology_dir() / "cues.ttl"])
    top: dict[str, str] = {}
    described: dict[str, tuple[set[str], set[str]]] = {}  # concept -> (label terms, all terms)
    for concept in graph.subjects(SKOS.inScheme, DHR.ThemeScheme):
        code = str(graph.value(concept, SKOS.notation))
        broader = graph.value(concept, SKOS.broader)
        top[code] = str(graph.value(broader, SKOS.notation)) if broader is not None else code
        if broader is None or code == UNCLASSIFIABLE:
            continue  # a top-level theme is scored through its narrower ones; T11.5 through its cues
        # A prefLabel's parentheses give examples, often of other themes ("specialist training
        # (mental capacity, …)"): the altLabels and the definition say what the theme is.
        labels = [re.sub(r"\([^)]*\)", " ", str(x)) for x in graph.objects(concept, SKOS.prefLabel)]
        labels += [str(x) for x in graph.objects(concept, SKOS.altLabel)]
        notes = [str(x) for p in (SKOS.definition, SKOS.scopeNote) for x in graph.objects(concept, p)]
        # A label names the theme as a whole: its pairs, and a one-word label, are strong terms;
        # the single words of a longer label ("right to ask") are only words of the description.
        label_terms = {t for x in labels for t in description_terms(x) if " " in t or len(tokens(x)) == 1}
        described[code] = (label_terms, set().union(*(description_terms(x) for x in labels + notes)))
    tops = {top[code] for code in described}
    themes_using: dict[str, set[str]] = defaultdict(set)
    for code, (_, terms) in described.items():
        for term in terms:
            themes_using[term].add(top[code])
    table: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for code, (label_terms, terms) in sorted(described.items()):
        for term in terms:
            specificity = math.log(len(tops) / len(themes_using[term])) / math.log(len(tops))
            if specificity < MIN_SPECIFICITY:
                continue
            if term in label_terms:
                weight = specificity * LABEL_BOOST * (PAIR_BOOST if " " in term else 1.0)
            else:
                weight = specificity * (PAIR_BOOST if " " in term else WORD_SHARE)
            table[term].append((code, round(weight, 3)))
    cues: list[Cue] = []
    vague: list[Cue] = []
    means: set[str] = set()  # the patterns of the means cues, as their evidence names them
    for decisive, prop in ((False, DHR.cue), (True, DHR.decisiveCue), (False, DHR.meansCue)):
        for concept, cue in graph.subject_objects(prop):
            code = str(graph.value(concept, SKOS.notation))
            if code not in top:
                continue  # an agency type's cue
            prefixes = literal_prefixes(str(cue))
            compiled = Cue(code, re.compile(rf"(?<!\w)(?:{cue})", re.IGNORECASE), prefixes, decisive,
                           "" if prefixes else required_literal(str(cue)))
            (vague if code == UNCLASSIFIABLE else cues).append(compiled)
            if prop == DHR.meansCue:
                means.add(compiled.pattern.pattern)
    national_changes, national_requests = (tuple(
        Cue(str(graph.value(concept, SKOS.notation)), re.compile(rf"(?<!\w)(?:{cue})", re.IGNORECASE), (), True)
        for concept, cue in sorted(graph.subject_objects(prop)))
        for prop in (DHR.nationalChangeCue, DHR.nationalRequestCue))
    mechanisms = frozenset(str(graph.value(c, SKOS.notation)) for c in graph.subjects(DHR.mechanism, Literal(True)))
    groups = frozenset(str(graph.value(c, SKOS.notation)) for c in graph.subjects(DHR.groupTheme, Literal(True)))
    return Lexicon({term: tuple(pairs) for term, pairs in table.items()},
                   tuple(sorted(cues, key=lambda c: (c.concept, c.pattern.pattern))),
                   tuple(sorted(vague, key=lambda c: c.pattern.pattern)), mechanisms, top, frozenset(means), groups,
                   national_changes, national_requests)
