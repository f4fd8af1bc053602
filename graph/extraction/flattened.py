"""Flattened summary pages: the metadata and the table's text run together, delimiters lost.

What a scrape, or a copy of the page without its table, gives::

    … Extracted: 4 recs # Recommendation Addressed to 1 <text> <agency> 2 <text> <agency> …

Rows are found where a recommendation number (``1``, ``2a``, ``15.2.1``, ``3.140(a)``) stands
after the end of an addressee and before a capitalised word; the declared count decides
between candidates when there are more. In each row the addressee is the run of names at the
end: after the last full stop when there is one, else the longest run of capitalised words
ending like a body ("… Council", "… ICB", a name of the gazetteer), never the object of a
preposition ("share it with the MARAC"). Several bodies in a run are told apart where one
name ends and a new one starts. When no addressee can be told the text is kept whole, with
a warning, rather than cutting a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.extraction.agency_names import AGENCY_END, AgencyNames
from graph.extraction.summary_page import normalise_space
from graph.model.records import RecommendationRecord

HEADER = re.compile(
    r"(?:#|No\.?|Ref\.?)\s+Recommendations?\s+(?:Addressed to|Lead agency|Lead|Agency|Agencies)\s+(?=\S)",
    re.IGNORECASE)
_NUMBER = re.compile(r"(?:R|Rec\.?\s?)?\d+(?:\.\d+)*[a-z]?(?:\([a-z0-9]+\))?")
_YEAR = re.compile(r"(?:19|20)\d\d")
_SENTENCE_END = re.compile(r"[.?!;][\"'”’)\]]*$")
_FUNCTION_WORDS = frozenset({
    "the", "a", "an", "to", "with", "of", "for", "by", "at", "from", "in", "on", "into", "and", "or", "via",
    "between", "across", "within", "including", "as", "such", "their", "its", "our", "all", "any", "each"})
_NAME_SUFFIX_WORDS = frozenset({"nhs", "foundation", "university", "and", "of", "for", "the", "&"})


def find_header(text: str) -> re.Match[str] | None:
    """Where a flattened table starts, if the text holds one.

    >>> find_header("Extracted: 2 recs # Recommendation Addressed to 1 Train staff. Police") is not None
    True
    """
    match = HEADER.search(text)
    if match is None or not _NUMBER.match(text[match.end():].split(" ", 1)[0]):
        return None
    return match


@dataclass(frozen=True)
class _Row:
    number: str
    words: list[str]


def read_flattened(text: str, declared: int | None, names: AgencyNames,
                   warnings: list[str]) -> list[RecommendationRecord]:
    """The recommendations of a flattened table (``text`` starts right after its header).

    >>> from graph.extraction.agency_names import AgencyNames
    >>> recs = read_flattened("1 Train staff in routine enquiry. All agencies 2a Review the policy "
    ...                       "Exampleton Borough Council", 2, AgencyNames(frozenset()), [])
    >>> [(r.number, r.text, r.addressed_to) for r in recs]  # doctest: +NORMALIZE_WHITESPACE
    [('1', 'Train staff in routine enquiry.', ['All agencies']),
     ('2a', 'Review the policy', ['Exampleton Borough Council'])]
    """
    words = normalise_space(text).split(" ")
    recommendations = []
    for row in _rows(words, declared, names):
        body, addressees = split_addressee(row.words, names)
        if not addressees:
            warnings.append(f"recommendation {row.number}: no addressee could be told apart from the text; "
                            "the text is kept whole")
        recommendations.append(RecommendationRecord(number=row.number, text=" ".join(body),
                                                    addressed_to=addressees))
    return recommendations


def _is_candidate(words: list[str], i: int, *, strict: bool = True) -> bool:
    """Whether a row may start at word ``i``: a number before a capitalised word, and (strict)
    after the end of a sentence or of a name."""
    token = words[i]
    if not _NUMBER.fullmatch(token) or _YEAR.fullmatch(token) or i + 1 >= len(words):
        return False
    following = words[i + 1].lstrip("\"'“‘(")
    if not following[:1].isupper():
        return False
    if i == 0 or not strict:
        return True
    before = words[i - 1]
    return bool(_SENTENCE_END.search(before)) or before[:1].isupper() or bool(AGENCY_END.fullmatch(before.strip(".,")))


def _rows(words: list[str], declared: int | None, names: AgencyNames) -> list[_Row]:
    candidates = [i for i in range(len(words)) if _is_candidate(words, i)]
    if declared is not None and len(candidates) < declared:
        # Too few rows: a row may end without an addressee, so its number follows any word.
        candidates = [i for i in range(len(words)) if _is_candidate(words, i, strict=False)]
    if declared is not None and declared > 0:
        # More candidates than rows: drop those whose text before does not end like an addressee.
        while len(candidates) > declared:
            scores = [(_boundary_score(words, candidates, k, names), k) for k in range(1, len(candidates))]
            if not scores:
                break
            _, worst = min(scores)
            del candidates[worst]
    rows = []
    for k, start in enumerate(candidates):
        end = candidates[k + 1] if k + 1 < len(candidates) else len(words)
        rows.append(_Row(words[start], words[start + 1:end]))
    return rows


def _boundary_score(words: list[str], candidates: list[int], k: int, names: AgencyNames) -> int:
    before = words[candidates[k - 1] + 1:candidates[k]]
    _, addressees = split_addressee(before, names)
    score = 2 if addressees else 0
    score += 1 if any(names.known(a) for a in addressees) else 0
    score += 1 if len(before) >= 4 else 0
    return score


def _name_like(word: str) -> bool:
    bare = word.strip(".,;:()\"'“”‘’")
    if not bare:
        return False
    return bare[0].isupper() or bare[0].isdigit() or bare.lower() in _FUNCTION_WORDS | {"&"} \
        or bool(AGENCY_END.fullmatch(bare))


def _pieces(words: list[str], names: AgencyNames) -> list[str]:
    """A run of names split where one ends like a body and a new one starts."""
    if names.known(" ".join(words)):
        return [" ".join(words)]
    pieces: list[list[str]] = [[]]
    for index, word in enumerate(words):
        pieces[-1].append(word)
        following = words[index + 1] if index + 1 < len(words) else None
        if following is None:
            break
        bare, next_bare = word.strip(".,;:"), following.strip(".,;:").lower()
        if AGENCY_END.fullmatch(bare) and following[:1].isupper() and not AGENCY_END.fullmatch(next_bare) \
                and next_bare not in _NAME_SUFFIX_WORDS:
            pieces.append([])
    return [" ".join(p) for p in pieces if p]


def split_addressee(words: list[str], names: AgencyNames) -> tuple[list[str], list[str]]:
    """A row's words as (recommendation text, addressees); no addressees when none can be told.

    >>> names = AgencyNames(frozenset())
    >>> split_addressee("Share it with the MARAC Exampleton GP Federation Exampleshire ICB".split(), names)
    (['Share', 'it', 'with', 'the', 'MARAC'], ['Exampleton GP Federation', 'Exampleshire ICB'])
    """
    stops = [i for i, w in enumerate(words) if _SENTENCE_END.search(w)]
    if stops and stops[-1] < len(words) - 1:
        tail = words[stops[-1] + 1:]
        if tail[0][:1].isupper() and len(tail) <= 14 and all(_name_like(w) for w in tail):
            return words[:stops[-1] + 1], _pieces(tail, names)
    # No full stop before the addressee: the longest run of name-like words ending like a body.
    start = len(words)
    while start > 1 and _name_like(words[start - 1]) and len(words) - start < 14:
        start -= 1
    while start < len(words) and (not words[start][:1].isupper() or words[start].lower() in _FUNCTION_WORDS):
        start += 1
    tail = words[start:]
    if not tail or not (AGENCY_END.fullmatch(tail[-1].strip(".,")) or names.known(" ".join(tail))):
        return words, []
    pieces = _pieces(tail, names)
    # A name right after "the", "with", "to"… belongs to the sentence ("share it with the MARAC").
    while pieces and start > 0 and words[start - 1].lower() in _FUNCTION_WORDS:
        start += len(pieces.pop(0).split(" "))
    if not pieces or start == 0:
        return words, []
    return words[:start], pieces
