"""Theme classification: every recommendation gets 1–3 themes of the T-scheme, with evidence.

A transparent rule layer: the cues of ``ontology/cues.ttl`` (phrases per concept). Each cue
that matches is evidence for its concept; a top-level theme scores the number of distinct
cues matched in it and its narrower concepts. Themes are ranked by score, ties broken by
where in the text their first cue stands (the thing asked for usually comes first). A
secondary theme is kept only if it scores at least half the first (and at most three in
all), so weak hints are not over-assigned; a recommendation no cue matches gets T11.5
"Other / unclassifiable" rather than a forced guess.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache

from graph.model.records import ThemeRef
from graph.model.terms import DHR, SKOS, UNCLASSIFIABLE
from graph.model.turtle import read
from graph.resources import ontology_dir

MAX_THEMES = 3
SECONDARY_SHARE = 0.5


@dataclass(frozen=True)
class Cue:
    concept: str  # the code, e.g. "T1.2"
    top: str  # its top-level theme, e.g. "T1"
    pattern: re.Pattern[str]
    prefix: str  # literal words every match starts with (lower case), to skip the regex cheaply


def _literal_prefix(cue: str) -> str:
    """The literal text a cue's matches start with, if the cue starts with one.

    >>> _literal_prefix(r"risk assessments?"), _literal_prefix(r"(call|contact) centre")
    ('risk assessment', '')
    """
    match = re.match(r"[A-Za-z0-9 ,'’-]+", cue)
    prefix = match.group(0) if match else ""
    if len(prefix) < len(cue) and cue[len(prefix)] in "?*{":
        prefix = prefix[:-1]  # the last character is optional
    return prefix.lower() if len(prefix) >= 3 else ""


@dataclass
class _Score:
    cues: set[str] = field(default_factory=set)
    evidence: dict[str, None] = field(default_factory=dict)
    first: int = 10**9
    by_concept: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@cache
def theme_cues() -> tuple[Cue, ...]:
    """Every theme cue of the ontology."""
    graph = read([ontology_dir() / "schemes.ttl", ontology_dir() / "cues.ttl"])
    cues: list[Cue] = []
    for concept in graph.subjects(SKOS.inScheme, DHR.ThemeScheme):
        code = str(graph.value(concept, SKOS.notation))
        broader = graph.value(concept, SKOS.broader)
        top = str(graph.value(broader, SKOS.notation)) if broader is not None else code
        for cue in graph.objects(concept, DHR.cue):
            cues.append(Cue(code, top, re.compile(rf"(?<!\w)(?:{cue})", re.IGNORECASE), _literal_prefix(str(cue))))
    return tuple(sorted(cues, key=lambda c: (c.concept, c.pattern.pattern)))


def classify(text: str, *, every_theme: bool = False) -> list[ThemeRef]:
    """The themes of one recommendation, most important first.

    ``every_theme`` keeps every theme with evidence (no cap, no share rule), for text that
    lists several findings at once, such as a review's summary.

    >>> [t.code for t in classify("All staff to complete training on the DASH risk assessment.")]
    ['T1.1', 'T5.1']
    >>> classify("Services should work together to improve outcomes.")[0].code
    'T11.5'
    """
    return list(_classify(text, every_theme))


@lru_cache(maxsize=16384)
def _classify(text: str, every_theme: bool) -> tuple[ThemeRef, ...]:
    """:func:`classify`, once per text: reviews repeat the same asks word for word."""
    scores: dict[str, _Score] = defaultdict(_Score)
    lowered = text.lower()
    for cue in theme_cues():
        if cue.prefix and cue.prefix not in lowered:
            continue
        match = cue.pattern.search(text)
        if match is None:
            continue
        score = scores[cue.top]
        score.cues.add(cue.pattern.pattern)
        score.evidence[match.group(0).strip()] = None
        score.first = min(score.first, match.start())
        score.by_concept[cue.concept] += 1
    if not scores:
        return (ThemeRef(UNCLASSIFIABLE, 0.5, ()),)
    ranked = sorted(scores.items(), key=lambda item: (-len(item[1].cues), item[1].first))
    best = len(ranked[0][1].cues)
    themes: list[ThemeRef] = []
    for top, score in ranked if every_theme else ranked[:MAX_THEMES]:
        count = len(score.cues)
        if themes and not every_theme and count < max(1.0, best * SECONDARY_SHARE):
            break
        concept = max(score.by_concept.items(), key=lambda item: (item[1], item[0] == top))[0]
        themes.append(ThemeRef(concept, round(1 - 0.5 ** count, 3), tuple(list(score.evidence)[:6])))
    return tuple(themes)
