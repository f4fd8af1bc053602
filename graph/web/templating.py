"""The page templates: Jinja2 with autoescaping (review text is untrusted), and the helpers
every template may call to link a node of the graph or name a code."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from graph.model.labels import code_label, review_label
from graph.model.terms import AGENCY_TYPES, ID, THEMES

templates = Jinja2Templates(env=Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True))
"""Every value is escaped: review text is untrusted."""

_PAGE_KINDS = ("review", "agency", "csp")
_CONCEPT_PATHS = {str(iri): f"/theme/{code}" for code, iri in THEMES.items()} | {
    str(iri): f"/agency-type/{code}" for code, iri in AGENCY_TYPES.items()}


def local_path(iri: object) -> str | None:
    """The page of a node of the graph, if it has one.

    >>> local_path("https://w3id.org/dhrkg/id/review/ab12"), local_path("https://example.org/x")
    ('/review/ab12', None)
    """
    text = str(iri or "")
    if text in _CONCEPT_PATHS:
        return _CONCEPT_PATHS[text]
    if text.startswith(str(ID)):
        rest = text[len(str(ID)):]
        kind = rest.split("/", 1)[0]
        return f"/{rest}" if kind in _PAGE_KINDS else f"/id/{rest}"
    return None


templates.env.globals["local_path"] = local_path
templates.env.filters["label"] = code_label
templates.env.globals["review_label"] = review_label  # every page names reviews the same way
