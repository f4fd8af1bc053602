"""The ``dhrkg`` command: a thin shell over the library.

Each command parses its options and calls one library function with the same names; the
library's errors (:class:`~graph.errors.DhrkgError`) become click errors in one place,
:func:`user_errors`. Commands import what they use when they run, so ``dhrkg --help`` and
the light commands never load the analysis, the views or the web app.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from graph.analysis.settings import AnalysisSettings
from graph.errors import DhrkgError
from graph.views import PLOTS, VIEWS
from graph.web.settings import WebSettings

if TYPE_CHECKING:
    from graph.ingestion.pipeline import IngestReport
    from graph.store.base import GraphStore
    from graph.store.results import Result

F = TypeVar("F", bound=Callable[..., Any])

LINK_DEFAULTS = AnalysisSettings()
WEB_DEFAULTS = WebSettings()


def user_errors(func: F) -> F:
    """Turn the library's errors into a one-line message and exit code 1, for every command."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DhrkgError as err:
            raise click.ClickException(err.message) from err

    return run  # type: ignore[return-value]


def gazetteer_option(func: F) -> F:
    """``--gazetteer FILE``: extra organisations (Turtle in the shape of ontology/gazetteer.ttl)."""
    return click.option(
        "--gazetteer", "gazetteer", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="A Turtle file of extra organisations extending the shipped gazetteer (repeatable).",
    )(func)


def filter_options(func: F) -> F:
    """The filters of the network views: ``--csp --region --year --theme --agency-type``."""
    for name, kind, text in reversed([
        ("--csp", str, "Only this CSP (name as printed)."),
        ("--region", str, "Only this region."),
        ("--year", int, "Only this year (of death, else of publication)."),
        ("--theme", str, "Only recommendations with this theme (T-code)."),
        ("--agency-type", str, "Only agencies of this type (A-code)."),
    ]):
        func = click.option(name, type=kind, default=None, help=text)(func)
    return func


def view_options(func: F) -> F:
    """What chooses a network view: ``--review``, ``--collapse`` and the filters."""
    func = filter_options(func)
    func = click.option("--collapse", is_flag=True,
                        help="agency-recommendation: aggregate into agency–theme edges.")(func)
    return click.option("--review", help="The review of the review-ego view (its IRI or review/…).")(func)


def link_options(func: F) -> F:
    """The settings of the link analysis, shared by ``build`` and ``link``; defaults from
    :class:`~graph.analysis.settings.AnalysisSettings`."""
    func = click.option("--threshold", type=float, default=LINK_DEFAULTS.link_threshold, show_default=True,
                        help="Keep links between reviews scoring at least this "
                             "(the sum of their shared failures' weights).")(func)
    func = click.option("--top-k", type=int, default=LINK_DEFAULTS.top_k, show_default=True,
                        help="Each review keeps at most this many best links.")(func)
    return click.option("--cluster-threshold", type=float, default=LINK_DEFAULTS.cluster_threshold,
                        show_default=True,
                        help="Cosine similarity from which two recommendations count as the same ask.")(func)


def store_option(func: F) -> F:
    """``--store DIR|URL``: the store (also ``DHRKG_STORE``)."""
    return click.option(
        "--store", "store_path", default=None, envvar="DHRKG_STORE",
        help="Store folder, or a SPARQL server as sparql+http://host:port/query. "
             "Default: $DHRKG_STORE, else ~/.local/share/dhrkg/store.",
    )(func)


def _store(store_path: str | None, *, write: bool, federation: bool = False) -> GraphStore:
    from graph.store.opening import open_store

    return open_store(store_path, write=write, federation=federation)


def _console(*, stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dhrkg")
def main() -> None:
    """dhrkg: a knowledge graph of UK Domestic Homicide Reviews.

    Reads DHR summary pages (text or HTML), full review reports (PDF) and the DHRD
    dataset tables (CSV) into RDF in an embedded Oxigraph store (or a SPARQL server),
    links reviews that fail in the same way, and answers SPARQL over reviews,
    recommendations, agencies and themes, from the command line and the web.
    """


# ---------------------------------------------------------------- build and ingest


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@gazetteer_option
@link_options
@store_option
@user_errors
def build(paths: tuple[Path, ...], gazetteer: tuple[Path, ...], threshold: float, top_k: int,
          cluster_threshold: float, store_path: str | None) -> None:
    """Build the graph from PATHS (default: the bundled data) and show what is in it.

    The main job: ingest, link reviews that share failures, then print the store's counts.
    """
    from graph.analysis.pipeline import analysis_state
    from graph.resources import data_dir

    store = _store(store_path, write=True)
    report = _run_ingest(store, list(paths) or [data_dir()], gazetteer=gazetteer)
    if analysis_state(store) != "fresh":
        _run_analysis(store, AnalysisSettings(threshold, top_k, cluster_threshold))
    click.echo(f"store: {store.path or store}")
    _print_stats(store)
    if not report.ok:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--follow-symlinks", is_flag=True, help="Follow symlinks that point outside the given folders.")
@click.option("--link", "link_now", is_flag=True, help="Recompute links, clusters and scores afterwards.")
@click.option("--workers", type=int, default=None, help="Processes reading files (default: one per core).")
@gazetteer_option
@store_option
@user_errors
def ingest(paths: tuple[Path, ...], follow_symlinks: bool, link_now: bool, workers: int | None,
           gazetteer: tuple[Path, ...], store_path: str | None) -> None:
    """Ingest files and folders (recursively) into the store.

    Reads summary pages (.txt, .html), review reports (.pdf) and DHRD tables (.csv). Each
    document is stored in one transaction, replacing an earlier version of the same file;
    unchanged files are skipped. A file that cannot be read is reported and skipped, and
    the exit code is 1 if any failed.
    """
    from graph.analysis.pipeline import analysis_state, last_settings

    store = _store(store_path, write=True)
    report = _run_ingest(store, list(paths), follow_symlinks=follow_symlinks, gazetteer=gazetteer, workers=workers)
    if link_now:
        _run_analysis(store, last_settings(store))
    elif analysis_state(store) == "stale":
        click.echo("links, clusters and scores are stale: run `dhrkg link` to recompute them", err=True)
    if not report.ok:
        sys.exit(1)


@main.command()
@click.argument("sources", nargs=-1, required=True)
@store_option
@user_errors
def remove(sources: tuple[str, ...], store_path: str | None) -> None:
    """Remove documents, and everything derived from them, from the store.

    Each SOURCE is the file a document was read from, its key (its path relative to the folder
    it was ingested from) or the IRI of its source or of a review read from it. The corpus
    summary, the review matches and, when they were computed, the links and clusters are updated
    by what the removed documents held. The exit code is 1 if any SOURCE names no document.
    """
    from graph.analysis.pipeline import analysis_state, last_settings
    from graph.ingestion.removal import remove as remove_documents

    store = _store(store_path, write=True)
    linked = analysis_state(store) != "missing"
    settings = last_settings(store) if linked else LINK_DEFAULTS
    report = remove_documents(store, sources)
    for key in report.removed:
        click.echo(f"removed {key}")
    for why in report.unknown.values():
        click.echo(f"error: {why}", err=True)
    if linked and report.removed:
        _run_analysis(store, settings)
    if not report.ok:
        sys.exit(1)


def _run_ingest(store: GraphStore, paths: list[Path], *, follow_symlinks: bool = False,
                gazetteer: tuple[Path, ...] = (), workers: int | None = None) -> IngestReport:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from graph.ingestion.pipeline import FileOutcome, discover
    from graph.ingestion.pipeline import ingest as ingest_files

    total = len(discover(paths, follow_symlinks=follow_symlinks)[0])
    with Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=_console(stderr=True), transient=True) as bar:
        task = bar.add_task("ingest", total=total)

        def advance(outcome: FileOutcome) -> None:
            bar.advance(task)
            for warning in outcome.warnings:
                bar.console.print(f"[yellow]warning[/]: {outcome.path}: {warning}", markup=True,
                                  highlight=False, soft_wrap=True)
            if outcome.status == "failed":
                bar.console.print(f"[red]error[/]: {outcome.message}", markup=True, highlight=False, soft_wrap=True)

        report = ingest_files(store, paths, follow_symlinks=follow_symlinks, gazetteer=gazetteer,
                              workers=workers, progress=advance)
    counts = ", ".join(f"{report.count(s)} {s}" for s in ("added", "replaced", "unchanged", "duplicate", "failed")
                       if report.count(s))
    click.echo(f"ingested {len(report.outcomes)} file(s): {counts or 'nothing to do'}", err=True)
    return report


@main.command()
@click.argument("library", type=click.Choice(["homeoffice"]))
@click.option("--base-url", default=None, metavar="URL",
              help="The library's address (default: https://homicide-review.homeoffice.gov.uk/), for a mirror or "
                   "a local stand-in; nothing off its site is ever requested.")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the reports and the manifest are kept. Default: $XDG_CACHE_HOME/dhrkg/homeoffice, "
                   "else ~/.cache/dhrkg/homeoffice.")
@click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Seconds between one request and the next.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="At most N reviews, the most recently uploaded.")
@click.option("--since", metavar="YYYY-MM", default=None, help="Only reviews uploaded from this month on.")
@click.option("--tags", is_flag=True, help="Also collect the library's own tags (one listing query per filter value).")
@click.option("--dry-run", is_flag=True,
              help="Read the listing and print what would be fetched; fetch and write nothing.")
@click.option("--ingest", "ingest_now", is_flag=True, help="Then ingest the cached reports into the store.")
@store_option
@user_errors
def harvest(library: str, base_url: str | None, cache: Path | None, delay: float, limit: int | None,
            since: str | None, tags: bool, dry_run: bool, ingest_now: bool, store_path: str | None) -> None:
    """Harvest review reports from an online library into a local cache, then optionally ingest them.

    homeoffice: the Home Office DHR Library. Walks its listing, downloads each report once
    (a second run fetches only what is new; a killed run resumes), keeps the library's record
    of each beside it, and with --tags its filter tags. One request at a time, --delay apart.
    The reports are Crown copyright under the Open Government Licence v3.0; the cache is yours.
    """
    from graph.analysis.pipeline import analysis_state
    from graph.harvest import HarvestSettings, default_cache, harvest_homeoffice
    from graph.harvest.progress import RichProgress
    from graph.model.terms import LIBRARY_URL

    settings = HarvestSettings(base_url=base_url or LIBRARY_URL, cache=cache or default_cache(), delay=delay,
                               limit=limit, since=since, tags=tags, dry_run=dry_run)
    with RichProgress(_console(stderr=True)) as bars:
        report = harvest_homeoffice(settings, progress=bars)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for problem in report.errors.values():
        click.echo(f"error: {problem}", err=True)
    said = f" (the library says {report.total})" if report.total is not None else ""
    if dry_run:
        for url, title in report.would_fetch:
            click.echo(f"would fetch {url}  {title}")
        queries = f", then {report.tag_queries} tag queries" if tags else ""
        click.echo(f"dry run: {report.listed} review(s) listed on {report.pages} page(s){said}; would fetch "
                   f"{len(report.would_fetch)}, {len(report.cached)} already cached{queries}; nothing written",
                   err=True)
        return
    click.echo(f"listed {report.listed} review(s) on {report.pages} page(s){said}; downloaded "
               f"{len(report.downloaded)} ({report.bytes / 1e6:.1f} MB), {len(report.cached)} already cached; "
               f"{report.requests} request(s); cache: {report.cache}", err=True)
    if tags:
        click.echo(f"tags: {report.tag_queries} queries, {report.tagged} review(s) given their tags", err=True)
    ingested = None
    if ingest_now and report.reports.is_dir():
        store = _store(store_path, write=True)
        ingested = _run_ingest(store, [report.reports])
        if analysis_state(store) == "stale":
            click.echo("links, clusters and scores are stale: run `dhrkg link` to recompute them", err=True)
    if not report.ok or (ingested is not None and not ingested.ok):
        sys.exit(1)


# ---------------------------------------------------------------- extract


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the JSON contract (one object).")
@gazetteer_option
@user_errors
def extract(path: Path, as_json: bool, gazetteer: tuple[Path, ...]) -> None:
    """Read one file and print what was extracted, without touching any store."""
    from graph.enrich import AgencyResolver, Gazetteer, enrich
    from graph.extraction import extract as extract_file
    from graph.model.records import DatasetTable

    resolver = AgencyResolver(Gazetteer.load(gazetteer)) if gazetteer else None
    document = extract_file(path)
    if isinstance(document, DatasetTable):
        if as_json:
            click.echo(json.dumps(document.to_json(), ensure_ascii=False, indent=2))
        else:
            click.echo(f"{path}: DHRD {document.table} table, {len(document.rows)} row(s)")
        return
    result = enrich(document, resolver=resolver)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    facts = result.review
    click.echo(f"{path}: {result.source.format}, CSP {facts.csp or '-'}, published {facts.published or '-'}, "
               f"year of death {facts.year_of_death or '-'}, {len(result.recommendations)} recommendation(s)")
    table = Table("#", "recommendation", "addressed to", "themes", show_lines=False)
    for rec in result.recommendations:
        table.add_row(rec.number or "", rec.text, " | ".join(rec.addressed_to),
                      " ".join(t.code for t in rec.themes))
    _console().print(table, markup=False, highlight=False)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)


# ---------------------------------------------------------------- query


def _param(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not key=value", param_hint="--param")
        params[key.strip()] = value
    return params


@main.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from a .rq file.")
@click.option("--named", "name", help="Run a named query (see `dhrkg queries`).")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the query, bound safely (repeatable).")
@click.option("--format", "output_format", default="table", show_default=True,
              help="table, csv, tsv, json (SPARQL JSON results) or xml; ttl, nt, jsonld or rdfxml for CONSTRUCT.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
              help="Stop the query after this many seconds (it runs in a worker process, as on the endpoint).")
@store_option
@user_errors
def query(sparql: str | None, query_file: Path | None, name: str | None, params: tuple[str, ...],
          output_format: str, timeout: float | None, store_path: str | None) -> None:
    """Run a SPARQL query: given as text, from a file (-f) or by name (--named).

    Parameters (--param key=value) are bound as RDF terms, never pasted into the
    query text. For text and file queries, a parameter binds the variable of the
    same name as a string, or as an IRI when the value is <written like this>.
    """
    sources = [s for s in (sparql, query_file, name) if s]
    if len(sources) != 1:
        raise click.UsageError("give exactly one of SPARQL text, -f FILE or --named NAME")
    store = _store(store_path, write=False)
    if name:
        named = _named_query(name)
        text, bindings = named.text, named.bindings(_param(params))
    else:
        text = query_file.read_text(encoding="utf-8") if query_file else str(sparql)
        bindings = _free_bindings(_param(params))
    if timeout is not None:
        result = _run_limited(store, text, bindings, timeout)
        if name and len(result) == 0 and result.kind != "ask":
            from graph.store.known_names import check_parameters

            check_parameters(store, named, _param(params))
    elif name:
        result = store.named(name, **_param(params))
    else:
        result = store.query(text, bindings=bindings)
    if name:
        _say_why_empty(store, name, result)
    _print_result(result, output_format)


def _named_query(name: str) -> Any:
    from graph.store.named_queries import named_query

    return named_query(name)


def _run_limited(store: GraphStore, text: str, bindings: Any, timeout: float) -> Result:
    """Run one query in a worker process killed at ``timeout`` (a thread for a remote store)."""
    from graph.web.executor import Limits, QueryExecutor

    executor = QueryExecutor(store, Limits(timeout=timeout, max_rows=sys.maxsize, workers=1, fast_workers=0,
                                            spares=0))
    try:
        executor.wait_ready()
        return executor.run(text, bindings=bindings)
    finally:
        executor.close()


def _say_why_empty(store: GraphStore, name: str, result: Result) -> None:
    """For a named query about links that found none, say why (never computed, out of date, or none)."""
    from graph.analysis.pipeline import reads_links, why_no_links
    from graph.store.named_queries import named_query

    if len(result) == 0 and result.kind == "select" and reads_links(named_query(name)):
        click.echo(f"no rows: {why_no_links(store)}", err=True)


def _free_bindings(params: dict[str, str]) -> dict[Any, Any]:
    import pyoxigraph as ox

    def term(value: str) -> ox.NamedNode | ox.Literal:
        if value.startswith("<") and value.endswith(">"):
            try:
                return ox.NamedNode(value[1:-1])
            except ValueError as err:
                raise click.BadParameter(f"{value} is not an IRI: {err}", param_hint="--param") from err
        return ox.Literal(value)

    return {ox.Variable(k): term(v) for k, v in params.items()}


def _print_result(result: Result, output_format: str) -> None:
    from graph.store.results import Format

    if output_format == "table":
        if result.kind == "ask":
            click.echo("true" if result.boolean else "false")
            return
        if result.kind == "graph":
            output_format = "ttl"
        else:
            _print_table(result)
            click.echo(f"{len(result)} row(s)", err=True)
            return
    try:
        data = result.serialize(Format.from_name(output_format))
    except ValueError as err:
        raise click.ClickException(str(err)) from err
    sys.stdout.buffer.write(data)
    if not data.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")


def _print_table(result: Result) -> None:
    """Rows as a table: nodes by their compact names (review/be687d…, dhr:AllAgencies), which
    --param takes back, each whole on one line; long text folds onto more lines, never cut."""
    import pyoxigraph as ox
    from rich.table import Column, Table

    terms = result.terms()
    rows = [[_cell(term) for term in row] for row in terms]
    columns = range(len(result.variables))
    nodes = [any(isinstance(row[i], ox.NamedNode) for row in terms) for i in columns]
    widths = [max([len(result.variables[i]), *(len(row[i]) for row in rows)]) for i in columns]
    table = Table(*(Column(result.variables[i], overflow="fold", no_wrap=nodes[i],
                           min_width=widths[i] if nodes[i] else None) for i in columns))
    for row in rows:
        table.add_row(*row)
    console = _console()
    console.width = max(console.width, 160, sum(widths[i] + 3 for i in columns if nodes[i]) + 12 * nodes.count(False))
    console.print(table, markup=False, highlight=False)


def _cell(term: Any) -> str:
    """A table cell: a node by its compact name, a literal by its value, unbound as nothing."""
    import pyoxigraph as ox

    from graph.store.prefixes import compact_name

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact_name(term.value)
    return str(term.value) if isinstance(term, ox.Literal) else str(term)


@main.command()
def queries() -> None:
    """List the named queries and their parameters."""
    from graph.store.named_queries import named_queries

    for query_ in named_queries().values():
        params = " ".join(f"--param {p.name}=<{p.type}>" + ("?" if p.optional else "") for p in query_.params)
        click.echo(f"{query_.name}{'  ' + params if params else ''}\n    {query_.summary}")


# ---------------------------------------------------------------- stats, export, validate


def _print_stats(store: GraphStore) -> None:
    for key, value in store.stats().items():
        click.echo(f"{key.replace('_', ' '):>16}: {value:,}")


@main.command()
@store_option
@user_errors
def stats(store_path: str | None) -> None:
    """Counts of reviews, recommendations, agencies, CSPs, sources and triples."""
    _print_stats(_store(store_path, write=False))


@main.command()
@click.option("--format", "output_format", type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld"]),
              default="trig", show_default=True, help="trig and nq keep one named graph per source.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: stdout).")
@store_option
@user_errors
def export(output_format: str, output: Path | None, store_path: str | None) -> None:
    """Write the whole graph as RDF."""
    store = _store(store_path, write=False)
    if output is None:
        store.export(sys.stdout.buffer, output_format)
        return
    with output.open("wb") as handle:
        store.export(handle, output_format)
    click.echo(f"wrote {output}", err=True)


@main.command()
@store_option
@user_errors
def validate(store_path: str | None) -> None:
    """Check the graph against the SHACL shapes and the SPARQL checks; exit 1 on any violation."""
    from graph.store.validation import validate as validate_store

    report = validate_store(_store(store_path, write=False))
    for violation in report.violations:
        where = f" ({violation.path})" if violation.path else ""
        click.echo(f"{violation.focus}{where}: {violation.message}  [{violation.source}]")
    if not report.conforms:
        click.echo(f"{len(report.violations)} violation(s)", err=True)
        sys.exit(1)
    click.echo("no violations", err=True)


# ---------------------------------------------------------------- analysis


def _run_analysis(store: GraphStore, settings: AnalysisSettings, *, full: bool = False) -> None:
    from graph.analysis.pipeline import analyse

    report = analyse(store, settings, full=full)
    how = "afresh" if report.full else f"by what changed ({report.rescored} review(s) scored again)"
    click.echo(f"analysed {report.reviews_with_failures} review(s) with failures {how}: {report.links} link(s), "
               f"{report.clusters} cluster(s) of repeated recommendations, "
               f"{report.communities} communit(ies), {report.agencies} agencies scored", err=True)


@main.command()
@link_options
@click.option("--full", is_flag=True, help="Recompute everything, not only what changed since the last run.")
@store_option
@user_errors
def link(threshold: float, top_k: int, cluster_threshold: float, full: bool, store_path: str | None) -> None:
    """(Re)compute links between reviews that share failures, clusters of repeated
    recommendations, communities of reviews and agency centrality, and store them; recount
    the corpus summary if a write outside dhrkg ingest outdated it.

    After a change, only what it touches is computed again (the changed reviews scored against
    the rest, the texts they add clustered with their near-duplicates) and the difference is
    written; the result is the same as with --full, which recomputes everything.
    """
    from graph.ingestion.corpus_summary import summarise

    store = _store(store_path, write=True)
    _run_analysis(store, AnalysisSettings(threshold, top_k, cluster_threshold), full=full)
    if summarise(store):
        click.echo("recounted the corpus summary", err=True)


@main.group()
def status() -> None:
    """Record and export implementation progress of recommendations and their actions."""


@status.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@store_option
@user_errors
def status_import(files: tuple[Path, ...], store_path: str | None) -> None:
    """Import status files (CSV: target,status,as_of,note,recorded_by), each all or nothing.

    A row naming an unknown recommendation or action, an unknown status or a bad date is
    reported by its line, and nothing of that file is written; importing the same file
    twice changes nothing. Every status stays in the history with its date and its file.
    """
    from graph.ingestion.status import StatusFileError, import_status

    store = _store(store_path, write=True)
    failed = False
    for path in files:
        try:
            done = import_status(store, path)
        except StatusFileError as err:
            click.echo(f"error: {err.message}", err=True)
            failed = True
            continue
        click.echo(f"{path}: {len(done.rows)} status(es) imported" if done.outcome == "imported"
                   else f"{path}: already imported, nothing changed", err=True)
    store.flush()
    if failed:
        sys.exit(1)


@status.command(name="export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: stdout).")
@store_option
@user_errors
def status_export(output: Path | None, store_path: str | None) -> None:
    """Write every status observation (printed in plans or imported) as CSV, oldest first."""
    from graph.ingestion.status import export_status

    text = export_status(_store(store_path, write=False))
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"wrote {output}", err=True)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--export", "export_all", is_flag=True, help="Write every correction recorded as CSV instead.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="With --export: the file to write (default: stdout).")
@click.option("--link", "link_now", is_flag=True, help="Recompute links, clusters and scores afterwards.")
@store_option
@user_errors
def curate(files: tuple[Path, ...], export_all: bool, output: Path | None, link_now: bool,
           store_path: str | None) -> None:
    """Record curated corrections (CSV: target,field,action,value,curator,note), each file all
    or nothing.

    FIELD is theme, agency, agency-type, addressee or same-as; ACTION add or remove. A row
    naming an unknown recommendation, organisation, printed addressee or code is reported by
    its line, and nothing of that file is recorded. Corrections win over the machine in every
    query and page, and survive re-ingest; links are out of date until `dhrkg link` (--link).
    """
    from graph.ingestion.curation import CurationError, export_corrections
    from graph.ingestion.curation import curate as record

    if export_all:
        text = export_corrections(_store(store_path, write=False))
        if output is None:
            click.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
            click.echo(f"wrote {output}", err=True)
        return
    if not files:
        raise click.UsageError("give a curation file (CSV), or --export")
    store = _store(store_path, write=True)
    failed = changed = False
    for path in files:
        try:
            done = record(store, path, recount=False)  # the summary is recounted once, below
        except CurationError as err:
            click.echo(f"error: {err.message}", err=True)
            failed = True
            continue
        for note in done.notes:
            click.echo(f"note: {path}: {note}", err=True)
        if done.recorded:
            changed = True
            click.echo(f"{path}: {len(done.recorded)} correction(s) recorded"
                       + (f", {done.unchanged} already recorded" if done.unchanged else "")
                       + f"; {len(done.graphs)} graph(s) changed", err=True)
        else:
            click.echo(f"{path}: already recorded, nothing changed", err=True)
    if changed:
        from graph.ingestion.corpus_summary import summarise

        summarise(store)
    if changed and link_now:
        _run_analysis(store, LINK_DEFAULTS)
    elif changed:
        from graph.analysis.pipeline import analysis_state

        if analysis_state(store) == "stale":
            click.echo("links, clusters and scores are stale: run `dhrkg link` to recompute them", err=True)
    if failed:
        sys.exit(1)


@main.command(name="eval")
@click.option("--labels", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A JSON-lines labels file (default: the development set shipped with dhrkg).")
@click.option("--set", "sets", multiple=True, metavar="NAME",
              help="Show per-theme scores and the confusion table for this set only (repeatable).")
@click.option("--curated", is_flag=True,
              help="Measure the machine against the corrections curators recorded in the store instead.")
@store_option
@user_errors
def evaluate_command(labels: Path | None, sets: tuple[str, ...], curated: bool, store_path: str | None) -> None:
    """Measure theme classification and agency typing against hand labels.

    Prints, per labelled set, top-1 theme accuracy, set F1 of top-level themes and
    agency-type accuracy; then, per set, precision and recall of each theme and the
    confusion of first themes (labelled by rows, predicted by columns). With --curated, the
    labels are what curators said in the store (`dhrkg curate`), against what the machine had
    said, plus how many of the machine's addressees stood.
    """
    from rich.table import Table

    from graph.analysis.evaluation import default_labels, evaluate, evaluate_duplicates

    if curated:
        from graph.analysis.curated_eval import evaluate_curated

        scores = evaluate_curated(_store(store_path, write=False))
        _print_scores({"curated": scores.themes}, ("curated",))
        if scores.addressees.recommendations:
            click.echo(f"addressees of {scores.addressees.recommendations} curated recommendation(s): machine "
                       f"precision {scores.addressees.precision:.3f}, recall {scores.addressees.recall:.3f}")
        else:
            click.echo("addressees: no curator corrected the agencies of a recommendation yet")
        return
    path = labels or default_labels()
    if not path.exists():
        raise click.ClickException(f"no labels file at {path}; pass --labels FILE")
    results = evaluate(path)
    if unknown := set(sets) - set(results):
        raise click.ClickException(f"no set {sorted(unknown)[0]!r} in {path}; sets: {', '.join(results)}")
    _print_scores(results, sets or tuple(results))
    pairs = path.with_name("duplicate-pairs.jsonl")
    if pairs.exists():
        table = Table("near-duplicate threshold", "precision", "recall", title="repeated recommendations")
        for row in evaluate_duplicates(pairs):
            table.add_row(f"{row.threshold:.2f}", f"{row.precision:.3f}", f"{row.recall:.3f}")
        _console().print(table, markup=False, highlight=False)


def _print_scores(results: dict[str, Any], detailed: tuple[str, ...]) -> None:
    """The summary table of every set, then per-theme scores and the confusion of the ``detailed`` ones."""
    from rich.table import Table

    from graph.analysis.evaluation import confusion_table, theme_table

    table = Table("set", "items", "top-1 theme", "theme set F1", "micro F1", "addressees", "agency type")
    for name, scores in results.items():
        table.add_row(name, str(scores.items), f"{scores.top1:.3f}", f"{scores.set_f1:.3f}",
                      f"{scores.micro_f1:.3f}", str(scores.agencies),
                      f"{scores.agency_type_accuracy:.3f}" if scores.agencies else "–")  # no type to score
    _console().print(table, markup=False, highlight=False)
    for name in detailed:
        themes = Table("theme", "labelled", "predicted", "precision", "recall", title=f"themes: {name}")
        for cells_of_theme in theme_table(results[name]):
            themes.add_row(*cells_of_theme)
        header, rows = confusion_table(results[name])
        confusion = Table(*header, title=f"first theme, labelled by predicted: {name}")
        for cells in rows:
            confusion.add_row(*cells)
        _console().print(themes, confusion, markup=False, highlight=False)


# ---------------------------------------------------------------- views


@main.command()
@click.argument("view", type=click.Choice(VIEWS))
@click.option("--graphml", "graphml_path", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Write the view as GraphML (for Gephi).")
@view_options
@store_option
@user_errors
def network(view: str, graphml_path: Path, review: str | None, collapse: bool, csp: str | None,
            region: str | None, year: int | None, theme: str | None, agency_type: str | None,
            store_path: str | None) -> None:
    """Export a network view (agency-recommendation, review, theme-agency, review-ego) as GraphML."""
    from graph.views.networks import to_networkx, write_graphml

    store = _store(store_path, write=False)
    graph = to_networkx(store, view, review=review, collapse=collapse, csp=csp, region=region, year=year,
                        theme=theme, agency_type=agency_type)
    write_graphml(graph, graphml_path)
    click.echo(f"wrote {graphml_path}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges", err=True)
    if graph.graph.get("empty"):
        click.echo(f"nothing to draw: {graph.graph['empty']}", err=True)


@main.command()
@click.argument("kind", type=click.Choice(VIEWS))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The HTML file to write (self-contained, works offline).")
@view_options
@store_option
@user_errors
def viz(kind: str, out: Path, review: str | None, collapse: bool, csp: str | None, region: str | None,
        year: int | None, theme: str | None, agency_type: str | None, store_path: str | None) -> None:
    """Draw an interactive network view into one self-contained HTML file.

    Views: agency-recommendation (agencies, their recommendations and reviews),
    review (reviews linked by shared failures), theme-agency, review-ego (one review).
    """
    from graph.views.html import write_view

    store = _store(store_path, write=False)
    drawn = write_view(store, kind, out, review=review, collapse=collapse, csp=csp, region=region,
                       year=year, theme=theme, agency_type=agency_type)
    click.echo(f"wrote {out}: {len(drawn.nodes):,} nodes, {len(drawn.edges):,} edges", err=True)
    if drawn.empty:
        click.echo(f"nothing to draw: {drawn.empty}", err=True)


@main.command()
@click.argument("kind", type=click.Choice(PLOTS))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The chart file: .png, .svg or .pdf.")
@store_option
@user_errors
def plot(kind: str, out: Path, store_path: str | None) -> None:
    """Draw a static chart: recommendations per agency type, themes per year, or the
    theme × agency-type heatmap."""
    from graph.views.plots import plot as draw

    draw(_store(store_path, write=False), kind, out)
    click.echo(f"wrote {out}", err=True)


# ---------------------------------------------------------------- serve


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--timeout", default=WEB_DEFAULTS.query_timeout, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run.")
@click.option("--max-rows", default=WEB_DEFAULTS.max_rows, show_default=True, type=click.IntRange(min=1),
              help="Rows a query may return.")
@click.option("--workers", default=WEB_DEFAULTS.workers, show_default=True, type=click.IntRange(min=1),
              help="General query worker processes (besides the fast lane's and a warm spare).")
@click.option("--per-client", default=WEB_DEFAULTS.per_client, show_default=True, type=click.IntRange(min=1),
              help="Queries one client address may run at once (the rest wait, then get 503).")
@click.option("--worker-memory", default=WEB_DEFAULTS.worker_memory // 2**20 if WEB_DEFAULTS.worker_memory else 0,
              show_default=True, type=click.IntRange(min=0),
              help="MiB of address space a query worker may use (507 past it); 0: no limit.")
@click.option("--write-token", envvar="DHRKG_WRITE_TOKEN", default=None,
              help="Enable SPARQL Update on /sparql for requests bearing this token (also DHRKG_WRITE_TOKEN).")
@click.option("--federation", is_flag=True, help="Allow SERVICE (remote queries). Off by default.")
@click.option("--get", "get_path", default=None, metavar="PATH",
              help="Answer one request in-process, print the body, and exit 1 on an error status.")
@store_option
@user_errors
def serve(host: str, port: int, timeout: float, max_rows: int, workers: int, per_client: int, worker_memory: int,
          write_token: str | None, federation: bool, get_path: str | None, store_path: str | None) -> None:
    """Serve the graph: SPARQL endpoint at /sparql, web pages at /.

    Read-only unless --write-token is given (then one writer process holds the store).
    Queries run in worker processes with a time limit, a memory limit and a row cap, one
    at a time per client, so a runaway query never stops the server (see SECURITY.md).
    """
    from graph.web.app import create_app

    store = _store(store_path, write=write_token is not None, federation=federation)
    settings = WebSettings(query_timeout=timeout, max_rows=max_rows, workers=workers, per_client=per_client,
                           worker_memory=worker_memory * 2**20 or None, allow_update=write_token is not None,
                           update_token=write_token, federation=federation)
    app = create_app(store, settings)
    if get_path is not None:
        from fastapi.testclient import TestClient

        with TestClient(app) as client:
            response = client.get(get_path)
        sys.stdout.write(response.text)
        if response.status_code >= 400:
            sys.exit(1)
        return
    import uvicorn

    click.echo(f"serving {store.path or store} on http://{host}:{port}/ (SPARQL at /sparql)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


if __name__ == "__main__":  # pragma: no cover
    main()
