"""Words of a text, reduced for matching: tokens with their offsets and a light stemmer.

The theme scorer compares the words of a recommendation with the words of each theme's
description, so both go through the same two steps here: lower-cased tokens, and a stem that
makes "referral", "referrals", "referred" and "refer" one term. The stemmer is deliberately
small (plural, one inflectional and one derivational suffix, a final "e" or doubled consonant): it only has to be
consistent, since both sides use it, and it keeps words apart that matter here ("police" and
"policy", "carer" and "care").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")

_INFLECTIONAL = ("ing", "ed", "ly")
_DERIVATIONAL = ("ational", "ation", "ition", "ment", "ness", "ance", "ity", "ive", "ion", "ure", "ate", "at",
                 "er", "or", "al")
_SHORT_SUFFIXES = frozenset({"er", "al", "or", "at"})  # strip only from longer words: "carer" stays, "worker" goes
_KEEP_DOUBLE = frozenset("sz")
_IRREGULAR = {"told": "tell", "given": "give", "made": "make", "seen": "see", "spoken": "speak", "brought": "bring",
              "children": "child", "women": "woman", "men": "man", "met": "meet", "left": "leave", "kept": "keep",
              "housing": "housing"}  # the service, not a house
_SHORTHAND = {"da": "abuse", "dv": "violence", "dva": "abuse", "pt": "patient", "pts": "patients", "su": "user",
              "sus": "users", "perp": "perpetrator", "perps": "perpetrators", "hx": "history", "mgr": "manager",
              "mgmt": "management", "sgt": "sergeant", "q": "question", "qs": "questions", "mtg": "meeting",
              "mtgs": "meetings", "svc": "service", "svcs": "services", "dept": "department", "info": "information",
              "asap": "immediately", "approx": "about", "reqd": "required", "govt": "government",
              "w": "with", "wk": "week", "wks": "weeks", "hrs": "hours", "mths": "months", "yrs": "years"}
"""Practitioners' shorthand in action plans ("ask re DA at assessment", "share w/ the pt's GP", "perp's
history"), read as the words it stands for."""

FUNCTION_WORDS = frozenset("""
a about above across after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each either etc every few
for from further had has have having he her here hers herself him himself his how i if in into is
it its itself just may me might more most much must my myself no nor not now of off on once only
or other our ours ourselves out over own per same shall she should so some such than that the
their theirs them themselves then there these they this those through to too under until up upon
us very via was we were what whatever when where whether which while who whom whose why will with
within without would yet you your yours e g i e eg ie s t re ve ll d m domestic one two three four five
six seven eight nine ten twelve
""".split())
"""Words that carry no meaning for a theme; they never form a term, even in a pair. "Domestic" is one:
it only ever says "domestic abuse", and dropping it lets "ask about domestic abuse" pair "ask" with
"abuse"."""



@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: its stem and where it stands."""

    stem: str
    start: int
    end: int


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stem of one lower-case word.

    >>> [stem(w) for w in ["referral", "referrals", "referred", "refer", "referring"]]
    ['refer', 'refer', 'refer', 'refer', 'refer']
    >>> [stem(w) for w in ["police", "policing", "policy", "policies", "carer", "care"]]
    ['polic', 'polic', 'policy', 'policy', 'carer', 'care']
    """
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'")
    word = _SHORTHAND.get(word, word)
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3:
        return word
    if word.endswith("ification"):
        return word[:-9] + "ify"
    if word.endswith(("ies", "ied")) and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("es") and word[-3] in "sxz" or word.endswith(("ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffixes in (_INFLECTIONAL, _DERIVATIONAL):  # at most one of each: "escalated" -> "escalat" -> "escal"
        for suffix in suffixes:
            rest = len(word) - len(suffix)
            if word.endswith(suffix) and rest >= (4 if suffix in _SHORT_SUFFIXES else 3):
                word = word[:rest]
                break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiou" and word[-1] not in _KEEP_DOUBLE:
        word = word[:-1]
    return word


def tokens(text: str) -> list[Token]:
    """The words of a text, stemmed, with their character offsets; function words are dropped.

    >>> [t.stem for t in tokens("Officers should refer victims to the IDVA service.")]
    ['offic', 'refer', 'victim', 'idva', 'servic']
    """
    return list(tokens_between(text, 0, len(text)))


def tokens_between(text: str, start: int, end: int) -> Iterator[Token]:
    """The words of ``text[start:end]`` as :func:`tokens` finds them, one at a time (offsets in ``text``)."""
    for m in _TOKEN.finditer(text.lower(), start, end):
        if m.group(0) not in FUNCTION_WORDS and _SHORTHAND.get(m.group(0)) not in FUNCTION_WORDS \
                and not m.group(0).isdigit():
            yield Token(stem(m.group(0)), m.start(), m.end())


GENERIC_WORDS = frozenset(stem(w) for w in """
domestic abuse abused abusive violence victim victims survivor survivors staff practitioner
practitioners professional professionals agency agencies service services organisation
organisations person people individual individuals case cases work working ensure ensuring review
reviews reviewed reviewing consider considering considered develop developing development improve
improving improvement need needs needed include includes including relevant appropriate local area
areas new further future make made take taken use used using provide provided providing give given
recommend recommended recommendation recommendations action actions particular particularly place
way ways time times able well clear effective effectively robust current currently part whole
non pre co multi self re sub inter anti ex day days week weeks month months year years arrangement
arrangements practice practices say says said saying general generally gp gps commission commissions
commissioned commissioning commissioner commissioners patient patients client clients partner partners
continue continues continued continuing
""".split())
"""Words every recommendation uses: never evidence for a theme alone, but part of a pair
("economic abuse", "specialist service")."""


ACTOR_WORDS = frozenset(stem(w) for w in """
staff practitioner practitioners professional professionals agency agencies service services organisation
organisations person people individual individuals victim victims survivor survivors partner partners
""".split())
"""Generic words that name who acts or who is affected: they never pair with another word."""
