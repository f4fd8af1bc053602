"""What a report or a web page prints about the review as a whole: CSP, dates, pseudonym.

Read from the front of the document (title page, page title, the text before the
recommendations): "X Community Safety Partnership", "Published: Month YYYY" (and its
variants), "Year of death: YYYY" or "died in [Month] YYYY", "into the death of Adult A".
Each pattern is looked for within one line, so a value never runs into the next label, and
what is not printed stays ``None``: nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graph.extraction.summary_page import normalise_space, parse_month
from graph.model.records import ReviewFacts

MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
_YEAR = r"(?:19|20)\d\d"
_DATE = (rf"(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{MONTHS}\s+{_YEAR}|\d{{1,2}}/\d{{1,2}}/{_YEAR}|\d{{1,2}}/{_YEAR}"
         rf"|{_YEAR}(?:-\d\d)?)")

_CSP_LINE = re.compile(r"^(?:the\s+)?(.+?)\s+Community Safety Partnership\b", re.IGNORECASE)
_CSP_LABEL = re.compile(r"\b(?:CSP|Community Safety Partnership)\s*:\s*([A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*){0,4})")
_CSP_IN_TEXT = re.compile(r"((?:[A-Z][\w'’-]*\s+){1,3}?)Community Safety Partnership\b")
_PUBLISHED = re.compile(
    rf"\b(?:published|date published|date of publication|publication date|report completed|completed|"
    rf"finali[sz]ed|final (?:report|version)|report date|date of report)\s*(?:on|in)?\s*[:\-–]?\s*({_DATE})",
    re.IGNORECASE)
_YEAR_OF_DEATH = re.compile(rf"\byear of death\s*:\s*({_YEAR})\b", re.IGNORECASE)
_DIED = re.compile(rf"\b(?:died|death|killed|was found|homicide)\b[^.;:]{{0,60}}?\b(?:in|on|during)\s+"
                   rf"(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{MONTHS}\s+|the summer of\s+|early\s+|late\s+)?({_YEAR})\b")
_PSEUDONYM = r"(?:(?:Adult|Mr|Mrs|Ms|Miss|Mx|Child|Baby|Victim|Person)\.?\s+[A-Z][a-z]?\b|['‘“\"][A-Z][a-z]+['’”\"])"
_PSEUDONYM_ENDING = re.compile(rf"(?:review|dhr|action plan|executive summary).*?[:\-–(]\s*({_PSEUDONYM})\)?\s*$",
                               re.IGNORECASE)
_PSEUDONYM_AFTER = re.compile(
    rf"(?:death of|homicide of|killing of|Review\s*(?:[:\-–(]|into)\s*|Review\s+of\s+|DHR\s*[:\-–(]?\s*)"
    rf"\s*({_PSEUDONYM})")


def parse_date(value: str) -> str | None:
    """A printed date as ``YYYY-MM`` or ``YYYY``.

    >>> [parse_date(v) for v in ["14 June 2022", "2nd August 2021", "03/04/2020", "Sept 2019", "2020"]]
    ['2022-06', '2021-08', '2020-04', '2019-09', '2020']
    """
    value = normalise_space(value)
    if m := re.fullmatch(r"\d{1,2}/(\d{1,2})/((?:19|20)\d\d)", value):
        return parse_month(f"{m.group(1)}/{m.group(2)}")
    value = re.sub(r"^\d{1,2}(?:st|nd|rd|th)?\s+", "", value)
    return parse_month(value)


def read_front_matter(lines: Sequence[str], *, title: str | None = None) -> ReviewFacts:
    """The review facts the front of a document prints, one line at a time.

    >>> facts = read_front_matter(["Exampleton Community Safety Partnership",
    ...                            "Overview report into the death of Adult K", "Published: May 2024",
    ...                            "Year of death: 2021"])
    >>> facts.csp, facts.published, facts.year_of_death, facts.pseudonym
    ('Exampleton', '2024-05', 2021, 'Adult K')
    """
    facts = ReviewFacts(title=title)
    texts = [normalise_space(line) for line in ([title] if title else []) + list(lines)]
    texts = [t for t in texts if t]
    # A title set large wraps over lines ("Sampleshire Community Safety" / "Partnership").
    joined = [f"{a} {b}" for a, b in zip(texts, texts[1:]) if not a.endswith((".", ":", ";")) and len(a) < 60]
    facts.csp = _csp(texts) or _csp(joined)
    for text in texts:
        if facts.published is None and (m := _PUBLISHED.search(text)):
            facts.published = parse_date(m.group(1))
        if facts.year_of_death is None and (m := _YEAR_OF_DEATH.search(text)):
            facts.year_of_death = int(m.group(1))
    for text in [*texts, *joined]:
        if facts.pseudonym is None and (m := _PSEUDONYM_AFTER.search(text) or _PSEUDONYM_ENDING.search(text)):
            facts.pseudonym = m.group(1).strip("'‘’“”\"")
    if facts.year_of_death is None:
        for text in texts:
            for sentence in re.split(r"(?<=[.!?])\s+", text):
                if m := _DIED.search(sentence):
                    facts.year_of_death = int(m.group(1))
                    break
            if facts.year_of_death is not None:
                break
    return facts


def _csp(texts: Sequence[str]) -> str | None:
    for text in texts:
        if m := _CSP_LABEL.search(text):
            return m.group(1).strip()
    for text in texts:  # the CSP's name on a line of its own (a title page)
        if (m := _CSP_LINE.match(text)) and len(m.group(1).split()) <= 6 and m.group(1)[:1].isupper() \
                and not re.search(r"[.:|\-–]", m.group(1)):
            return m.group(1).strip()
    for text in texts:  # or named in a sentence: "The Riverton Community Safety Partnership commissioned…"
        if m := _CSP_IN_TEXT.search(text):
            words = [w for w in m.group(1).split() if w.lower() not in ("the", "by", "from")]
            while words and words[0].lower() in ("domestic", "homicide", "review", "dhr", "published"):
                words.pop(0)
            if words:
                return " ".join(words)
    return None
