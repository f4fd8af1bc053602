"""The DHRD tables (Domestic Homicide Review Dataset, CC BY 4.0): incidents, victims, perpetrators.

The files and their codebook disagree (``True``/``False`` booleans, ``September 2018`` or a
bare year for dates, ``unknown``/``not_known``/``Unknown``/blank for missing values, column
names such as ``*_mh_selfharm``); the schemas below follow the files. Everything is
normalised here: a blank or unknown value becomes absent, never ``False``. A file whose
columns differ from its table, or with a broken row, is refused whole with the row and
column named, so nothing half-read reaches the store.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from graph.errors import ExtractError
from graph.extraction.summary_page import parse_month
from graph.model.records import DatasetRow, DatasetTable, Source

UNKNOWN = frozenset({"", "unknown", "not_known", "not known", "n/a", "na", "none recorded", "not recorded"})
_TRUE = frozenset({"true", "1", "yes", "y"})
_FALSE = frozenset({"false", "0", "no", "n"})


@dataclass(frozen=True)
class TableSchema:
    """One DHRD table: its columns in order and what each holds."""

    name: str  # incidents, victims, perpetrators
    id_column: str
    prefix: str  # column prefix stripped to find a characteristic's notation
    text_columns: dict[str, str]  # column → record field
    columns: tuple[str, ...]

    def boolean_columns(self) -> list[str]:
        special = {self.id_column, "incident_id", *self.text_columns}
        return [c for c in self.columns if c not in special]

    def notation(self, column: str) -> str:
        return column[len(self.prefix):] if self.prefix and column.startswith(self.prefix) else column


_FLAGS = ("intimate_partner_violence", "familial_homicide", "parricide", "homicide_suicide", "children_present",
          "coercive_control", "economic_abuse", "faith_based_marriage", "forced_marriage", "honour_based_violence",
          "physical_abuse", "emotional_abuse", "separation", "sexual_abuse", "stalking")
_MENTAL_HEALTH = ("mental_health_issues", "mh_adjustment_disorder", "mh_anxiety", "mh_dementia", "mh_depression",
                  "mh_panic_attacks", "mh_ptsd", "mh_psychosis", "mh_selfharm", "mh_suicidal_thoughts",
                  "mh_suicide_attempts", "mh_other")
_VULNERABILITIES = ("vuln_alcohol", "vuln_housing", "vuln_neurodiversity", "vuln_physical_disability")

TABLES: dict[str, TableSchema] = {
    "incidents": TableSchema(
        "incidents", "incident_id", "",
        {"csp": "csp", "region": "region", "death_date": "death_date", "cause_of_death": "cause_of_death",
         "location_of_death": "place_of_death"},
        ("incident_id", "csp", "region", "death_date", "multiple_victims", "cause_of_death", "location_of_death",
         *_FLAGS),
    ),
    "victims": TableSchema(
        "victims", "victim_id", "victim_",
        {"age_at_death": "age_band", "sex_of_victim": "sex", "sexual_orientation_of_victim": "sexual_orientation",
         "victim_religion": "religion", "victim_ethnicity": "ethnicity",
         "relationship_to_perpetrator": "relationship_to_perpetrator"},
        ("victim_id", "incident_id", "age_at_death", "sex_of_victim", "sexual_orientation_of_victim",
         "prev_offence_history", "victim_religion", "victim_ethnicity", "relationship_to_perpetrator",
         "victim_suicide", "victim_carer_responsibilities",
         *(f"victim_{c}" for c in _MENTAL_HEALTH),
         *(f"victim_{c}" for c in (*_VULNERABILITIES, "vuln_pregnancy", "vuln_substance_misuse", "vuln_other"))),
    ),
    "perpetrators": TableSchema(
        "perpetrators", "perpetrator_id", "perpetrator_",
        {"age_at_fatal_incident": "age_band", "sex_of_perpetrator": "sex",
         "sexual_orientation_of_perpetrator": "sexual_orientation", "perpetrator_ethnicity": "ethnicity",
         "court_verdict": "court_verdict"},
        ("perpetrator_id", "incident_id", "age_at_fatal_incident", "sex_of_perpetrator",
         "sexual_orientation_of_perpetrator", "perpetrator_ethnicity", "prev_offence_history", "court_verdict",
         "perpetrator_carer_responsibilities", "perpetrator_carer_for_victim",
         *(f"perpetrator_{c}" for c in _MENTAL_HEALTH),
         *(f"perpetrator_{c}" for c in (*_VULNERABILITIES, "vuln_substance_misuse", "vuln_other"))),
    ),
}


def _schema_for(header: list[str], path: str) -> TableSchema:
    columns = [h.strip() for h in header]
    for schema in TABLES.values():
        if columns == list(schema.columns):
            return schema
    best = max(TABLES.values(), key=lambda s: len(set(s.columns) & set(columns)))
    if len(set(best.columns) & set(columns)) < len(best.columns) // 2:
        raise ExtractError(path, "not a DHRD table: its header matches none of incidents, victims, perpetrators")
    missing = [c for c in best.columns if c not in columns]
    extra = [c for c in columns if c not in best.columns]
    problems = []
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected column(s) {', '.join(extra)}")
    if not problems:
        problems.append("columns are in a different order")
    raise ExtractError(path, f"the header does not match the DHRD {best.name} table: {'; '.join(problems)}")


def parse_death_date(value: str) -> str | None:
    """A DHRD death date as ``YYYY-MM`` or ``YYYY`` (files: "September 2018", "2018"; codebook: "09-2018").

    >>> [parse_death_date(v) for v in ["September 2018", "2018", "09-2018", "unknown"]]
    ['2018-09', '2018', '2018-09', None]
    """
    if value.strip().lower() in UNKNOWN:
        return None
    if m := re.fullmatch(r"(\d{1,2})-((?:19|20)\d\d)", value.strip()):
        return parse_month(f"{m.group(2)}-{m.group(1)}")
    return parse_month(value)


def read_dhrd_table(path: str, text: str, sha256: str) -> DatasetTable:
    """Read one DHRD CSV file into rows of normalised values.

    :raises ExtractError: for a header that is not a DHRD table, or a broken row (named by
        line and column).
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ExtractError(path, "file is empty") from None
    schema = _schema_for(header, path)
    width = len(schema.columns)
    rows: list[DatasetRow] = []
    seen: set[str] = set()
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != width:
                raise ExtractError(path, f"row {line} has {len(record)} fields, the header has {width}")
            cells = dict(zip(schema.columns, (cell.strip() for cell in record)))
            rows.append(_row(schema, cells, line, path, seen))
    except csv.Error as err:
        raise ExtractError(path, f"row {reader.line_num}: malformed CSV ({err})") from err
    return DatasetTable(Source(path, sha256, "dhrd-csv"), schema.name, rows)


def _row(schema: TableSchema, cells: dict[str, str], line: int, path: str, seen: set[str]) -> DatasetRow:
    def fail(column: str, problem: str) -> ExtractError:
        return ExtractError(path, f"row {line}, column {column}: {problem}")

    identifier = cells[schema.id_column]
    if not re.fullmatch(r"[A-Z]{3}-\d+", identifier):
        raise fail(schema.id_column, f"{identifier!r} is not an identifier like INC-0001")
    if identifier in seen:
        raise fail(schema.id_column, f"{identifier} appears twice")
    seen.add(identifier)
    incident = cells.get("incident_id", identifier)
    if not re.fullmatch(r"INC-\d+", incident):
        raise fail("incident_id", f"{incident!r} is not an incident identifier like INC-0001")

    values: dict[str, str] = {}
    for column, field_name in schema.text_columns.items():
        value = cells[column]
        if value.lower() in UNKNOWN:
            continue
        if column == "death_date":
            parsed = parse_death_date(value)
            if parsed is None:
                raise fail(column, f"{value!r} is not a month and year or a year")
            values[field_name] = parsed
        elif column == "location_of_death":
            values[field_name] = value.replace("_", " ")
        else:
            values[field_name] = value
    indicated: list[str] = []
    not_indicated: list[str] = []
    for column in schema.boolean_columns():
        value = cells[column].lower()
        if value in UNKNOWN:
            continue
        if value in _TRUE:
            indicated.append(schema.notation(column))
        elif value in _FALSE:
            not_indicated.append(schema.notation(column))
        else:
            raise fail(column, f"{cells[column]!r} is not True or False")
    return DatasetRow(identifier, incident, values, tuple(indicated), tuple(not_indicated))
