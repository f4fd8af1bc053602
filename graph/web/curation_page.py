"""The correction form: the web app's write mode offers what ``dhrkg curate`` does, one row at a time.

Only a server started with ``--write-token`` offers it. A correction is accepted only from
this site (a POST whose ``Origin``, or ``Sec-Fetch-Site``, says another site is refused) and
only with the write token, typed into the form or sent as ``Authorization: Bearer …`` and
compared in constant time; the page sets no cookie, so another site cannot make a browser
send a correction it could not have signed. The row goes through the curation file's own
checks (:func:`graph.ingestion.curation.curate_text`), and through the writer process when it
holds the store, like a SPARQL Update.
"""

from __future__ import annotations

import csv
import hmac
import io
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from graph.errors import DhrkgError
from graph.ingestion.curation_rows import CurationError
from graph.model.labels import code_label
from graph.model.terms import AGENCY_TYPES, ID, THEMES
from graph.rdf.corrections import ACTIONS, FIELDS
from graph.web.context import AppContext, context
from graph.web.pages import page
from graph.web.templating import local_path

router = APIRouter(include_in_schema=False)

FORM_FIELDS = ("target", "field", "action", "value", "curator", "note")
MAX_FORM = 20_000
"""Bytes a correction form may send (one row and a note)."""


@router.get("/curate")
async def form(request: Request, target: str = "", field: str = "", value: str = "",
               ctx: AppContext = Depends(context)) -> Response:
    _writable(ctx)
    row = {"target": target, "field": field if field in FIELDS else "theme", "action": "add", "value": value,
           "curator": "", "note": ""}
    return _form(request, row)


@router.post("/curate")
async def record(request: Request, ctx: AppContext = Depends(context)) -> Response:
    _writable(ctx)
    if not _same_site(request):
        raise DhrkgError("corrections are not accepted from another site", status=403)
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        raise DhrkgError("send the correction as a form (application/x-www-form-urlencoded)", status=415)
    body = await request.body()
    if len(body) > MAX_FORM:
        raise DhrkgError(f"a correction is at most {MAX_FORM:,} bytes", status=413)
    fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True).items()}
    row = {name: fields.get(name, "").strip() for name in FORM_FIELDS}
    supplied = request.headers.get("authorization", "").removeprefix("Bearer ").strip() or fields.get("token", "")
    token = ctx.settings.update_token or ""
    if not hmac.compare_digest(supplied.encode(), token.encode()):
        return _form(request, row, ["the write token is missing or wrong"], status=403)
    try:
        done = await ctx.curate(_as_csv(row), "the correction form")
    except CurationError as err:  # the form is one row: its problems need no line number
        return _form(request, row, [_without_line(problem) for problem in err.problems], status=400)
    except DhrkgError as err:
        if err.status != 400:
            raise
        return _form(request, row, err.message.splitlines()[1:] or [err.message], status=400)
    target = _page_of(row)
    if target is not None:
        return RedirectResponse(target, status_code=303)
    notes = list(done.get("notes", []))
    said = f"{done['recorded']} correction(s) recorded" if done["recorded"] else "already recorded, nothing changed"
    return _form(request, {**row, "note": ""}, [], recorded=said, notes=notes)


def _without_line(problem: str) -> str:
    """A curation file's problem as the form shows it: "line 2: unknown theme code" → "unknown theme code"."""
    head, _, rest = problem.partition(": ")
    return rest if rest and head.startswith("line ") and head[5:].isdigit() else problem


def _writable(ctx: AppContext) -> None:
    if not ctx.settings.allow_update or not ctx.settings.update_token:
        raise DhrkgError("corrections need a server started with --write-token (this one is read-only); "
                         "or record them with `dhrkg curate FILE.csv`", status=403)


def _same_site(request: Request) -> bool:
    """Whether a browser says the request comes from this site (clients without a browser say nothing).

    The pages send ``Referrer-Policy: no-referrer``, under which a browser posts a form with
    ``Origin: null``: then ``Sec-Fetch-Site`` must say the post comes from this site.
    """
    origin = request.headers.get("origin")
    fetch_site = request.headers.get("sec-fetch-site")
    if origin == "null":
        return fetch_site == "same-origin"
    if origin is not None and origin.rstrip("/") != str(request.base_url).rstrip("/"):
        return False
    return (fetch_site or "same-origin") in ("same-origin", "none")


def _as_csv(row: dict[str, str]) -> str:
    """The form's row as a curation file, so it is read exactly as ``dhrkg curate`` reads one."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FORM_FIELDS)
    writer.writerow([row[name] for name in FORM_FIELDS])
    return out.getvalue()


def _page_of(row: dict[str, str]) -> str | None:
    """The page showing what a correction changed: the recommendation's review, or the organisation."""
    target = row["target"]
    iri = target if ":" in target else f"{ID}{target}"
    if row["field"] in ("theme", "agency") and iri.startswith(f"{ID}recommendation/"):
        review = iri.rsplit("/", 1)[1].split("-", 1)[0]
        return f"/review/{quote(review)}#recommendations"
    if row["field"] in ("agency-type", "same-as"):
        return local_path(iri)
    return None


def _form(request: Request, row: dict[str, str], problems: list[str] | None = None, *, status: int = 200,
          recorded: str | None = None, notes: list[str] | None = None) -> Response:
    return page(request, "curate.html", status, row=row, problems=problems or [], recorded=recorded,
                notes=notes or [], fields=FIELDS, actions=ACTIONS,
                themes=[(code, code_label(code)) for code in THEMES],
                types=[(code, code_label(code)) for code in AGENCY_TYPES])
