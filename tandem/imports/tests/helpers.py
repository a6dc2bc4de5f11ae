"""Caseload files for the import tests."""

import csv
import io
from typing import Any

from django.test import Client
from django.urls import reverse

from tandem.imports.csvfile import COLUMNS

ROW = {
    "identifier_system": "https://riverside.example/mrn",
    "identifier": "MRN-1",
    "first_name": "Lena",
    "last_name": "Marsh",
    "date_of_birth": "2019-05-04",
    "sex": "F",
    "guardian_email": "rosa.marsh@example.com",
    "guardian_first_name": "Rosa",
    "guardian_last_name": "Marsh",
    "guardian_relationship": "mother",
    "diagnoses": "F84.0; F80.2",
}


def csv_text(rows: list[dict[str, Any]], columns: tuple[str, ...] = COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**ROW, **row})
    return out.getvalue()


def csv_file(rows: list[dict[str, Any]], encoding: str = "utf-8") -> bytes:
    return csv_text(rows).encode(encoding)


def upload(client: Client, content: bytes, *, system: str = "", name: str = "c.csv") -> Any:
    """Upload a file on the import page; follow to the dry run's report."""
    file = io.BytesIO(content)
    file.name = name
    kind = "fhir" if name.endswith(".json") else "csv"
    data = {"kind": kind, "file": file, "identifier_system": system}
    return client.post(reverse("imports:index"), data, follow=True)
