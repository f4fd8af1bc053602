"""Colours and shapes of the network views: one shape per kind of node, and two colour-blind
safe palettes that share no colour, one for agency types and one for themes.

Twenty-three agency types cannot get twenty-three colours anyone can tell apart, so agencies
are coloured by *family* (police, health, social care, …: the Okabe–Ito palette, made for
colour-blind readers, with greys for the collective and community bodies); the tooltip and the
agency page still give the exact type. Themes get Paul Tol's "muted" palette, with three
colours of his other schemes chosen so that no theme colour is within a CIE76 distance of 18
of an agency colour (tests/web/test_network_views.py measures it). Police used to share orange
with "Information sharing", and acute health red with "Record keeping".
"""

from __future__ import annotations

from graph.model.labels import code_label
from graph.model.terms import top_level

SHAPES = {"review": "box", "agency": "dot", "recommendation": "square", "theme": "diamond"}
"""vis-network shapes: a review is a labelled box, an agency a dot sized by what it received,
a recommendation a small square, a theme a diamond."""

AGENCY_FAMILIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "police": ("Police", "#0072B2", ("A01",)),
    "health": ("Health", "#009E73", ("A02", "A03", "A04", "A05", "A06", "A07")),
    "social-care": ("Social care", "#E69F00", ("A08", "A09")),
    "housing": ("Housing", "#CC79A7", ("A10",)),
    "justice": ("Probation, courts and justice", "#D55E00", ("A11", "A20")),
    "specialist": ("Specialist domestic-abuse and substance-misuse services", "#56B4E9", ("A12", "A13")),
    "local": ("Safeguarding boards, CSPs and councils", "#F0E442", ("A14", "A15")),
    "national": ("National government and bodies", "#000000", ("A21",)),
    "community": ("Education, employers, faith, military", "#999999", ("A16", "A17", "A18", "A19")),
    "collective": ("All agencies, or unknown", "#DDDDDD", ("A00", "A22")),
}
"""Agency families: (label, colour, agency-type codes)."""

THEME_COLOURS = {
    "T1": "#CC6677", "T2": "#332288", "T3": "#DDCC77", "T4": "#117733", "T5": "#6677CC", "T6": "#882255",
    "T7": "#44AA99", "T8": "#999933", "T9": "#AA4499", "T10": "#FFAABB", "T11": "#EEBB99",
}
"""One colour per top-level theme."""

REVIEW_COLOUR = "#E8EAF0"
CENTRE_COLOUR = "#FFFFFF"

_FAMILY_OF = {code: family for family, (_, _, codes) in AGENCY_FAMILIES.items() for code in codes}


def agency_family(code: str | None) -> str:
    """The family of an agency-type code (unknown codes are "collective").

    >>> agency_family("A03"), agency_family("A01"), agency_family(None)
    ('health', 'police', 'collective')
    """
    return _FAMILY_OF.get(code or "", "collective")


def agency_colour(code: str | None) -> str:
    """The colour of an agency of this type: its family's.

    >>> agency_colour("A01")
    '#0072B2'
    """
    return AGENCY_FAMILIES[agency_family(code)][1]


def theme_colour(code: str | None) -> str:
    """The colour of a theme (or of a recommendation whose first theme it is), by its top level.

    >>> theme_colour("T2.1") == theme_colour("T2")
    True
    """
    return THEME_COLOURS.get(top_level(code or "T11"), THEME_COLOURS["T11"])


def legend_entry(kind: str, group: str) -> tuple[str, str, str]:
    """(label, colour, shape) of the legend line for a node of ``kind`` in ``group``."""
    if kind == "agency":
        family = agency_family(group)
        return (f"Agency: {AGENCY_FAMILIES[family][0]}", AGENCY_FAMILIES[family][1], SHAPES["agency"])
    if kind in ("recommendation", "theme"):
        top = top_level(group or "T11")
        what = "Recommendation" if kind == "recommendation" else "Theme"
        return (f"{what}: {top} {code_label(top)}", theme_colour(top), SHAPES[kind])
    return ("Review", REVIEW_COLOUR, SHAPES["review"])
