"""Reading a caseload CSV: its encoding, its header and each row, into ``ChildIn``.

The file's encoding is found, not asked: UTF-8 (with or without the byte-order mark
Excel writes), UTF-16 with its mark, else Windows-1252/Latin-1 (what older exports
write); the report names the one used. Dates are written YYYY-MM-DD (MM/DD/YYYY is
read too); anything else, or a day that does not exist (31/02/2020), is the row's
problem, said in its message.
"""

import codecs
import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from tandem.children.models import Relationship, TeamRole

from .records import ChildIn, GuardianIn, check_child, diagnosis

REQUIRED = ("identifier", "first_name", "last_name", "date_of_birth", "sex")
OPTIONAL = (
    "identifier_system",
    "preferred_name",
    "preferred_languages",
    "guardian_email",
    "guardian_first_name",
    "guardian_last_name",
    "guardian_relationship",
    "guardian2_email",
    "guardian2_first_name",
    "guardian2_last_name",
    "guardian2_relationship",
    "diagnoses",
    "lead_therapist_email",
    "therapist_emails",
)
COLUMNS = (REQUIRED[0], OPTIONAL[0], *REQUIRED[1:], *OPTIONAL[1:])
MAX_ROWS = 5000
EXAMPLE = {
    "identifier": "MRN-00042",
    "identifier_system": "https://clinic.example/mrn",
    "first_name": "Maya",
    "last_name": "Okafor",
    "date_of_birth": "2019-04-23",
    "sex": "F",
    "preferred_languages": "English",
    "guardian_email": "ada.okafor@example.com",
    "guardian_first_name": "Ada",
    "guardian_last_name": "Okafor",
    "guardian_relationship": "mother",
    "diagnoses": "F84.0; F80.2",
    "lead_therapist_email": "lead.therapist@clinic.example",
}
DIAGNOSIS_BREAK = re.compile(
    r";|,(?=\s*[A-Za-z][0-9][0-9A-Za-z](?:\.[0-9A-Za-z]{1,4})?(?:\s|,|;|$))"
)
ENCODINGS = {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8", "utf-16": "UTF-16"}


@dataclass
class CsvFile:
    encoding: str = ""
    problems: list[str] = field(default_factory=list)
    children: list[ChildIn] = field(default_factory=list)


def template() -> str:
    """The downloadable template: the header and one example row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(EXAMPLE)
    return out.getvalue()


def decode(raw: bytes) -> tuple[str, str]:
    """The file's text and the name of the encoding it was read with."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw.decode("utf-8-sig"), ENCODINGS["utf-8-sig"]
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), ENCODINGS["utf-16"]
    try:
        return raw.decode("utf-8"), ENCODINGS["utf-8"]
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252 (Latin-1)"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "Latin-1 (ISO-8859-1)"


def read(text: str, *, encoding: str, default_system: str, today: datetime.date) -> CsvFile:
    """Read the decoded file: header problems, or one ``ChildIn`` per row."""
    found = CsvFile(encoding=encoding)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        _read_rows(reader, found, default_system, today)
    except csv.Error as exc:
        # An unclosed quote, say: the rest of the file is one field, too long to read.
        found.children = []
        found.problems.append(
            _("The file cannot be read as CSV (line %(line)s: %(error)s). Check its quotes.")
            % {"line": reader.line_num, "error": exc}
        )
    return found


def _read_rows(reader: Any, found: CsvFile, default_system: str, today: datetime.date) -> None:
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name and name not in COLUMNS]
    if missing:
        found.problems.append(_("Missing columns: %(names)s.") % {"names": ", ".join(missing)})
    if unknown:
        found.problems.append(_("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)})
    if missing or unknown:
        return
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        if len(found.children) == MAX_ROWS:
            found.problems.append(
                _("A file may hold %(count)s children at most: split it.") % {"count": MAX_ROWS}
            )
            return
        row = dict(zip(header, (value.strip() for value in values), strict=False))
        found.children.append(_child(reader.line_num, row, default_system, today))
    if not found.children:
        found.problems.append(_("The file has a header but no rows."))


def _child(line: int, row: dict[str, str], default_system: str, today: datetime.date) -> ChildIn:
    get = row.get
    child = ChildIn(
        row=line,
        first_name=get("first_name", ""),
        last_name=get("last_name", ""),
        preferred_name=get("preferred_name", ""),
        sex=get("sex", "").upper()[:1],
        preferred_languages=get("preferred_languages", ""),
    )
    value = get("identifier", "")
    if value:
        child.identifiers.append((get("identifier_system", "") or default_system, value))
    child.date_of_birth = _date(get("date_of_birth", ""), child.messages)
    if child.date_of_birth and child.date_of_birth > today:
        child.messages.append(_("The date of birth is in the future."))
    for prefix in ("guardian", "guardian2"):
        email = get(f"{prefix}_email", "")
        if email:
            child.guardians.append(
                GuardianIn(
                    email=email.lower(),
                    first_name=get(f"{prefix}_first_name", ""),
                    last_name=get(f"{prefix}_last_name", ""),
                    relationship=get(f"{prefix}_relationship", "").lower() or Relationship.PARENT,
                )
            )
    for entry in _split_diagnoses(get("diagnoses", "")):
        code, _sep, label = entry.partition(" ")
        child.diagnoses.append(diagnosis(code, label))
    lead = get("lead_therapist_email", "").lower()
    if lead:
        child.team.append((lead, TeamRole.LEAD))
    child.team += [(email.lower(), TeamRole.TREATING) for email in _split(get("therapist_emails"))]
    check_child(child)
    return child


def _split_diagnoses(cell: str) -> list[str]:
    """``F84.0; F80.2 Label``: split at ";", and at a "," followed by a code (``F84.0, F80.2``)
    — a comma inside a label (``…language, unspecified``) stays in it."""
    return [part.strip() for part in DIAGNOSIS_BREAK.split(cell) if part.strip()]


def _split(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").replace(",", ";").split(";") if part.strip()]


def _date(text: str, messages: list[str]) -> datetime.date | None:
    for form in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.datetime.strptime(text, form).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    if text:
        messages.append(
            _("“%(value)s” is not a valid date of birth: write it as YYYY-MM-DD (e.g. 2020-02-28).")
            % {"value": text}
        )
    else:
        messages.append(_("A date of birth is needed."))
    return None
