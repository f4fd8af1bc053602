"""Checking that a review, agency, CSP or region a user names is in the graph, and otherwise
saying so with the closest names that are (rapidfuzz over what the graph holds).

An empty answer for a name that matches nothing is a typo far more often than a finding:
``--param csp=Northamton`` used to give 0 rows and exit 0. The checks cost one ASK (or
nothing, when a caller checks only after an empty answer); the names to suggest are read only
when the check fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from graph.errors import QueryError
from graph.model.terms import ID
from graph.store.named_queries import NamedQuery, internal_query
from graph.store.prefixes import compact_name
from graph.store.results import Value

if TYPE_CHECKING:  # the store calls these checks, so they cannot import it at run time
    from graph.store.base import GraphStore


class UnknownName(QueryError):
    """A review, agency, CSP or region that is not in the graph; the message names it and the
    closest names that are."""

    status = 404


SUGGESTIONS = 3
"""How many of the closest names an error offers."""


def closest(wanted: str, names: Mapping[str, str], limit: int = SUGGESTIONS) -> list[str]:
    """The ``limit`` values of ``names`` whose keys are closest to ``wanted``, best first.

    >>> closest("Northamton", {"Northampton": "Northampton", "Kent": "Kent", "Luton": "Luton"}, 1)
    ['Northampton']
    """
    from rapidfuzz import fuzz, process, utils  # only once a name has failed: start-up stays light

    found = process.extract(wanted, list(names), scorer=fuzz.WRatio, processor=utils.default_process, limit=limit)
    return list(dict.fromkeys(names[key] for key, _, _ in found))


def _unknown(kind: str, wanted: str, suggestions: Iterable[str]) -> UnknownName:
    offered = list(suggestions)
    hint = f"; closest: {', '.join(offered)}" if offered else f"; the graph has no {kind} yet"
    return UnknownName(f"no {kind} {wanted!r} in this graph{hint}")


def _rows(store: GraphStore, name: str) -> list[dict[str, Value]]:
    return store.query(internal_query(name).text).to_dicts()


def _is(store: GraphStore, query: NamedQuery, param: str, value: str) -> bool:
    return bool(store.query(query.text, bindings=query.bindings({param: value})).boolean)


def check_review(store: GraphStore, review: str) -> str:
    """The IRI of ``review`` (an IRI or ``review/…``) if the graph has it.

    :raises UnknownName: naming it and the closest reviews (by compact name, identifier, CSP).
    """
    iri = _iri(review)
    if _is(store, internal_query("is-review"), "review", iri):
        return iri
    names: dict[str, str] = {}
    for row in _rows(store, "review-names"):
        short = compact_name(str(row["review"]))
        described = " ".join(str(row[k]) for k in ("csp", "year") if row.get(k))
        label = f"{short} ({described})" if described else short
        names[short] = label
        for key in ("id", "title"):
            if row.get(key):
                names[str(row[key])] = label
        if described:
            names[described] = label
    raise _unknown("review", review, closest(review.removeprefix(str(ID)), names))


def check_agency(store: GraphStore, agency: str) -> str:
    """The IRI of ``agency`` (an IRI or ``agency/…``) if the graph has it.

    :raises UnknownName: naming it and the closest agencies (by compact name and by name).
    """
    iri = _iri(agency)
    if _is(store, internal_query("is-agency"), "agency", iri):
        return iri
    names: dict[str, str] = {}
    for row in _rows(store, "agency-names"):
        short = compact_name(str(row["agency"]))
        names[short] = names[str(row["name"])] = f"{short} ({row['name']})"
    raise _unknown("agency", agency, closest(agency.removeprefix(str(ID)), names))


def check_csp(store: GraphStore, csp: str) -> str:
    """``csp``, a CSP's name as printed, if the graph has a CSP of that name (any case).

    :raises UnknownName: naming it and the closest CSP names.
    """
    names = {str(row["name"]): str(row["name"]) for row in _rows(store, "csp-names")}
    if csp.lower() in {name.lower() for name in names}:
        return csp
    raise _unknown("CSP", csp, closest(csp, names))


def check_region(store: GraphStore, region: str) -> str:
    """``region`` if some CSP of the graph is in it (any case).

    :raises UnknownName: naming it and the closest regions.
    """
    names = {str(row["region"]): str(row["region"]) for row in _rows(store, "csp-names") if row.get("region")}
    if region.lower() in {name.lower() for name in names}:
        return region
    raise _unknown("region", region, closest(region, names))


CHECKS = {"review": check_review, "linked": check_review, "agency": check_agency}
"""Named-query parameters that name a node, by parameter name, and how each is checked."""


def check_parameters(store: GraphStore, query: NamedQuery, params: Mapping[str, object]) -> None:
    """Check every parameter of ``query`` that names a review, agency or CSP.

    :raises UnknownName: for the first that the graph does not have.
    """
    for param in query.params:
        value = params.get(param.name)
        if value in (None, ""):
            continue
        if param.name in CHECKS and param.type == "iri":
            CHECKS[param.name](store, str(value))
        elif param.name == "csp" and param.type == "string":
            check_csp(store, str(value))


def _iri(value: str) -> str:
    """An IRI, or a short id under dhrkg's namespace (``review/…``) made whole."""
    text = value.strip()
    return text if ":" in text else str(ID[text])
