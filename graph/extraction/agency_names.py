"""Telling an agency's name from running text, for layouts that do not mark where one starts.

Used where the layout has lost its delimiters (a flattened summary page: the addressee follows
the recommendation with no cell boundary) and for agency headings. Two kinds of evidence: the
names of the gazetteer (``ontology/gazetteer.ttl``, read here with pyoxigraph in a few
milliseconds; extraction does not depend on enrichment, which resolves names properly later)
and agency cues: a name is a run of capitalised words ending in a word bodies end with
("Police", "Council", "Trust", "ICB"…).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from graph.model.terms import DHR, SKOS
from graph.resources import ontology_dir

AGENCY_END = re.compile(
    r"(?:police|constabulary|council|trust|services?|board|partnership|practices?|team|group|homes|housing|"
    r"hospitals?|ccg|icb|probation|authority|agency|agencies|commissioner|department|unit|federation|"
    r"association|aid|marac|mash|csp|schools?|college|university|ltd|limited|charity|government|prison|court|"
    r"cafcass|office|care|health|surgery|surgeries|nhs|directorate|forum|ambulance|crc|refuge|idva|"
    r"partners|commissioners|providers?|organisations?|safeguarding|justice|executive|panel|system)$",
    re.IGNORECASE)
"""Words a body's name ends with (compared without punctuation)."""

COLLECTIVE = re.compile(
    r"^(?:all|multiple|every|relevant)(?: of the)?(?: relevant| partner| statutory| involved| other)?"
    r" (?:agencies|partners|organisations|organizations|services|professionals)(?: involved)?$"
    r"|^(?:partner|multiple|statutory) agencies$", re.IGNORECASE)
_CONNECTORS = frozenset({"and", "of", "for", "&", "the", "on", "in", "upon", "with", "&amp;"})
_PUNCTUATION = re.compile(r"[^\w\s&]")


def normalise(text: str) -> str:
    """A name reduced for comparison: lower case, no punctuation, no leading "the".

    >>> normalise("The Children's Services (East)")
    'childrens services east'
    """
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("'", "")
    text = re.sub(r"\s+", " ", _PUNCTUATION.sub(" ", text.lower())).strip()
    return re.sub(r"^the ", "", text)


@dataclass(frozen=True)
class AgencyNames:
    """The known names of bodies, normalised; and the cues a name is read by."""

    names: frozenset[str]

    @classmethod
    def load(cls, extra: Iterable[Path] = ()) -> AgencyNames:
        """The gazetteer's names (preferred, alternative and local labels), with a user's Turtle files."""
        return cls(_labels(tuple(extra)))

    def known(self, text: str) -> bool:
        """Whether a text is exactly a known name (or a collective such as "All agencies")."""
        name = normalise(text)
        return name in self.names or bool(COLLECTIVE.match(name))

    def is_name(self, text: str) -> bool:
        """Whether a text reads as one body's name: known, or capitalised words ending like a body.

        >>> names = AgencyNames(frozenset())
        >>> [names.is_name(t) for t in ["Exampleton Borough Council", "All agencies", "record the outcome",
        ...                             "Exampleshire ICB", "The Council should act"]]
        [True, True, False, True, False]
        """
        if self.known(text):
            return True
        words = [w for w in _PUNCTUATION.sub(" ", text).split() if w]
        if not words or len(words) > 12 or not AGENCY_END.fullmatch(words[-1]):
            return False
        return all(w[0].isupper() or w[0].isdigit() or w.lower() in _CONNECTORS for w in words) \
            and words[0][0].isupper()


def complete_name_then_name(line: str, following: str) -> bool:
    """Whether a line break in an agency cell separates two names rather than wrapping one: the
    text so far ends like a body's name and the next line starts a new capitalised word.

    >>> complete_name_then_name("Sampleshire Police", "Sampletown")
    True
    >>> complete_name_then_name("Sampletown GP", "Practices")
    False
    >>> complete_name_then_name("Northamptonshire Police", "and Crime Commissioner")
    False
    """
    last = re.sub(r"[^\w]", "", line.split()[-1]) if line.split() else ""
    first = re.sub(r"[^\w]", "", following.split()[0]).lower() if following.split() else ""
    return bool(AGENCY_END.fullmatch(last)) and following[:1].isupper() and first not in _NAME_GOES_ON


_NAME_GOES_ON = frozenset({"nhs", "foundation", "trust", "university", "service", "services", "partnership", "board",
                           "group", "team", "unit", "authority", "council", "ccg", "icb", "delivery", "clinical",
                           "commissioning", "safety", "safeguarding"})
"""Words that continue a name when a line starts with them ("… Hospitals" / "NHS Trust")."""


@cache
def default_names() -> AgencyNames:
    """The shipped gazetteer's names, read once."""
    return AgencyNames.load()


@cache
def _labels(extra: tuple[Path, ...]) -> frozenset[str]:
    import pyoxigraph

    wanted = {str(SKOS.prefLabel), str(SKOS.altLabel), str(DHR.localLabel)}
    names: set[str] = set()
    for path in (ontology_dir() / "gazetteer.ttl", *extra):
        for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
            if quad.predicate.value in wanted and isinstance(quad.object, pyoxigraph.Literal):
                names.add(normalise(quad.object.value))
    return frozenset(names)
