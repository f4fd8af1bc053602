"""What extraction produces: plain records that every reader fills the same way.

Records are the hinge of the pipeline (sources → extract → records → enrich → RDF →
store). ``Extraction.to_json()`` is the JSON contract printed by ``dhrkg extract
--json`` and relied on by other tools: its keys are stable, and a value a source does
not print is ``None``, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Source:
    """The file a record came from."""

    path: str
    sha256: str
    format: str
    links: tuple[str, ...] = ()
    record_sha256: str | None = None  # of the library record read beside the file, if there is one


@dataclass(frozen=True)
class SummaryFinding:
    """A sentence of the review's summary and the top-level themes it names."""

    sentence: str
    themes: tuple[str, ...]


@dataclass
class ReviewFacts:
    """What a source says about the review as a whole; ``None`` where it says nothing."""

    csp: str | None = None
    published: str | None = None  # "YYYY-MM" or "YYYY"
    year_of_death: int | None = None
    pseudonym: str | None = None
    summary: str | None = None
    declared_recommendations: int | None = None
    title: str | None = None
    findings: list[SummaryFinding] = field(default_factory=list)  # filled by enrichment
    month_of_death: str | None = None  # "YYYY-MM"
    region: str | None = None


@dataclass(frozen=True)
class AgencyRef:
    """One addressee as printed and what it resolved to."""

    label: str
    id: str | None = None  # IRI of the organisation (or of the collective "All agencies")
    type: str | None = None  # agency-type code, "A00".."A22"
    method: str | None = None  # how it was resolved: exact, acronym, fuzzy, new, collective
    confidence: float | None = None


@dataclass(frozen=True)
class ThemeRef:
    """One theme given to a recommendation, with why."""

    code: str
    confidence: float
    evidence: tuple[str, ...] = ()


LEVELS = ("overview", "single-agency", "national")
"""The level a report files a recommendation under, when it prints one: the overview (or
multi-agency) recommendations, those of a single agency, and those to national bodies."""


@dataclass(frozen=True)
class RowCell:
    """One cell of a table row as printed, under the role of its column.

    Roles: ``number``, ``recommendation``, ``action``, ``lead``, ``target_date``, ``status``,
    ``completed``, ``scope`` and ``other``; ``header`` is the column's heading as printed.
    """

    role: str
    header: str
    text: str  # lines kept: one agency per line in a lead cell


@dataclass
class SourceRow:
    """A table row a recommendation was read from (its own row, or an action row under it)."""

    cells: list[RowCell]
    page: int | None = None

    def get(self, role: str) -> str | None:
        """The first cell of a role, or ``None`` if the table has no such column."""
        return next((c.text for c in self.cells if c.role == role), None)


@dataclass
class ActionRecord:
    """One row of an action plan for a recommendation, as printed, with its fields normalised.

    A plan row that holds only a recommendation and a lead has no ``text`` but still a lead and
    a target. Dates are ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; the printed target is kept.
    """

    text: str | None = None
    lead: str | None = None  # as printed; a cell naming several bodies joins them with "; "
    target_date: str | None = None
    target_text: str | None = None  # the target cell as printed, a date or not ("Ongoing")
    status: str | None = None  # a code of the implementation-status scheme, where printed
    status_text: str | None = None
    completed: str | None = None  # when printed as completed
    page: int | None = None
    leads: list[AgencyRef] = field(default_factory=list)  # the lead resolved like any addressee (enrichment)

    def lead_labels(self) -> list[str]:
        """The bodies the printed lead names, each resolved like an addressee.

        >>> ActionRecord(lead="Exampleton Police; Exampleton Council").lead_labels()
        ['Exampleton Police', 'Exampleton Council']
        """
        return [part.strip() for part in (self.lead or "").split(";") if part.strip()]

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text, "lead": self.lead, "target_date": self.target_date,
            "target_text": self.target_text, "status": self.status, "status_text": self.status_text,
            "completed": self.completed,
            "page": self.page, "leads": [{"label": a.label, "id": a.id, "type": a.type} for a in self.leads],
        }


@dataclass
class RecommendationRecord:
    """One recommendation row; ``text`` is exactly as printed, whitespace normalised."""

    number: str | None
    text: str
    addressed_to: list[str] = field(default_factory=list)
    truncated: bool = False
    page: int | None = None
    level: str | None = None  # one of LEVELS where the source files it under one; never guessed
    rows: list[SourceRow] = field(default_factory=list)  # the table rows it came from, every cell kept
    agencies: list[AgencyRef] = field(default_factory=list)
    themes: list[ThemeRef] = field(default_factory=list)
    mentioned: list[AgencyRef] = field(default_factory=list)  # agencies the text directs to act
    actions: list[ActionRecord] = field(default_factory=list)  # its action plan's rows, in order


LIBRARY_RECORD_FORMAT = "dhrkg-library-record/1"
"""The format tag of a library record file; a reader refuses any other."""


@dataclass(frozen=True)
class LibraryRecord:
    """What the Home Office DHR Library lists about one report: its card, as printed (months
    normalised to ``YYYY-MM``), and the filter tags it is listed under.

    A harvester saves it beside the downloaded file (``FILE.library.json``, see
    :mod:`graph.extraction.library_record`); ingest reads it with the file, and its facts outrank
    the ones the report's own pages give (:mod:`graph.enrich.library`).
    """

    download_id: str
    title: str | None = None  # "Susan - Lincoln - 2018/a - DHR"
    pseudonym: str | None = None  # as printed: "Adult A & Adult B"
    csp: str | None = None
    region: str | None = None
    uploaded: str | None = None  # "YYYY-MM"
    death: str | None = None  # "YYYY-MM" or "YYYY"
    tags: tuple[str, ...] = ()  # filter values, exactly as the library's form sends them
    tags_collected: bool = False  # True once every tag was queried: a tag not listed is then absent

    def to_json(self) -> dict[str, Any]:
        """The record as the JSON object stored beside the file.

        >>> LibraryRecord("699496a0c7f5132b09d6c679", csp="Lincoln").to_json()["csp"]
        'Lincoln'
        """
        return {
            "format": LIBRARY_RECORD_FORMAT, "download_id": self.download_id, "title": self.title,
            "pseudonym": self.pseudonym, "csp": self.csp, "region": self.region, "uploaded": self.uploaded,
            "death": self.death, "tags": sorted(self.tags), "tags_collected": self.tags_collected,
        }


@dataclass
class Extraction:
    """Everything read from one source document."""

    source: Source
    review: ReviewFacts
    recommendations: list[RecommendationRecord]
    warnings: list[str] = field(default_factory=list)
    library: LibraryRecord | None = None  # the library's record of this report, when one was saved beside it
    document_facts: ReviewFacts | None = None  # what the document itself said, once a library record outranked it

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of ``dhrkg extract --json``; ``library`` is added only when a library
        record came with the file, so documents without one keep exactly the contract's keys."""
        document = {
            "source": {
                "path": self.source.path,
                "sha256": self.source.sha256,
                "format": self.source.format,
                "links": list(self.source.links),
            },
            "review": {
                "csp": self.review.csp,
                "published": self.review.published,
                "year_of_death": self.review.year_of_death,
                "pseudonym": self.review.pseudonym,
                "summary": self.review.summary,
                "declared_recommendations": self.review.declared_recommendations,
            },
            "recommendations": [
                {
                    "number": rec.number,
                    "text": rec.text,
                    "addressed_to": list(rec.addressed_to),
                    "truncated": rec.truncated,
                    "page": rec.page,
                    "level": rec.level,
                    "agencies": [
                        {"label": a.label, "id": a.id, "type": a.type} for a in rec.agencies
                    ],
                    "themes": [t.code for t in rec.themes],
                    "actions": [action.to_json() for action in rec.actions],
                }
                for rec in self.recommendations
            ],
            "warnings": list(self.warnings),
        }
        if self.library is not None:
            document["library"] = self.library.to_json()
        return document


@dataclass(frozen=True)
class DatasetRow:
    """One row of a dataset table, normalised: unknown values are absent, never False."""

    id: str  # INC-0001, VIC-0001, SUS-0001
    incident: str  # the incident (review) it belongs to
    values: dict[str, str]  # csp, region, death_date ("YYYY-MM"/"YYYY"), age_band, sex, …
    indicated: tuple[str, ...]  # characteristic notations the source marks True
    not_indicated: tuple[str, ...]  # … and marks False


@dataclass
class DatasetTable:
    """A table of the DHRD (incidents, victims or perpetrators) read from one file."""

    source: Source
    table: str
    rows: list[DatasetRow]
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The rows as JSON, for ``dhrkg extract --json`` on a dataset file."""
        return {
            "source": {"path": self.source.path, "sha256": self.source.sha256, "format": self.source.format},
            "table": self.table,
            "rows": [
                {"id": r.id, "incident": r.incident, "values": r.values,
                 "indicated": list(r.indicated), "not_indicated": list(r.not_indicated)}
                for r in self.rows
            ],
            "warnings": list(self.warnings),
        }


ExtractedDocument = Extraction | DatasetTable
"""Anything a reader produces."""
