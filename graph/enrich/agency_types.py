"""Agency typing: the type of an organisation the gazetteer does not know, from its name.

Ordered rules, read from ``ontology/cues.ttl`` (``dhr:TypingRule``): each has a match order,
name patterns, the type it assigns and example names. The first rule whose pattern is found in
the normalised name decides; a name no rule matches is A22 "Other / unknown". The order
carries the domain knowledge that a flat list of words cannot: an acute trust named
"University Hospitals" is a hospital before it is a university; a safeguarding adults
partnership board is a safeguarding board before it is a partnership; a "Recovery Partnership"
treats substance misuse; "NHS <Place>" is a commissioner once every kind of trust has been
tried. Each rule's examples are typed by it and by no earlier rule (tests/test_agency_types.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from graph.enrich.gazetteer import normalise_name
from graph.model.terms import DHR, RDF, RDFS, SKOS
from graph.model.turtle import read
from graph.resources import ontology_dir

OTHER = "A22"


@dataclass(frozen=True)
class TypingRule:
    """One ordered rule: names its patterns match (at the start of a word) are of its agency type."""

    name: str  # the rule's local name in the ontology, e.g. "acute-hospital"
    order: int
    code: str  # the A-code it assigns
    label: str
    patterns: tuple[re.Pattern[str], ...]
    examples: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern[str]:
        """The rule's patterns as one expression, to try a name against the rule in one search."""
        return _combined(self.patterns)

    def matches(self, name: str) -> bool:
        """Whether this rule alone would type a name (as printed).

        >>> rule = next(r for r in typing_rules() if r.name == "acute-hospital")
        >>> rule.matches("Sampleton University Hospitals NHS Foundation Trust"), rule.matches("Sampleton College")
        (True, False)
        """
        return self.pattern.search(normalise_name(name)) is not None


@cache
def _combined(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns))


@cache
def typing_rules() -> tuple[TypingRule, ...]:
    """The typing rules of the ontology, in match order."""
    graph = read([ontology_dir() / "schemes.ttl", ontology_dir() / "cues.ttl"])
    rules = []
    for node in graph.subjects(RDF.type, DHR.TypingRule):
        code = graph.value(graph.value(node, DHR.assignsType), SKOS.notation)
        rules.append(TypingRule(
            str(node).rsplit("/", 1)[-1], int(str(graph.value(node, DHR.matchOrder))), str(code),
            str(graph.value(node, RDFS.label)),
            tuple(re.compile(rf"(?<!\w)(?:{p})") for p in sorted(str(p) for p in graph.objects(node, DHR.namePattern))),
            tuple(sorted(str(e) for e in graph.objects(node, SKOS.example)))))
    return tuple(sorted(rules, key=lambda r: (r.order, r.name)))


@lru_cache(maxsize=8192)  # the same few names come back in review after review
def typing_rule(name: str) -> TypingRule | None:
    """The first rule that types a name, or None.

    >>> typing_rule("Safer Sampleton Partnership Board").name
    'community-safety-partnership'
    """
    normalised = normalise_name(name)
    return next((r for r in typing_rules() if r.pattern.search(normalised)), None)


def agency_type(name: str) -> str:
    """The agency type a name suggests (A22 when no rule matches).

    >>> [agency_type(x) for x in ["Sampleton Recovery Network", "NHS Sampleton", "Sampleton Leisure Trust"]]
    ['A13', 'A06', 'A22']
    """
    rule = typing_rule(name)
    return rule.code if rule else OTHER
