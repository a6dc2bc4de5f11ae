"""ABC records: antecedent–behavior–consequence entries written during a session.

They belong to the session's note (``SessionNote.abc_records``, a list in the order
written), so they are versioned with it (its version and history), sealed by its
signature (hash version 5, ``seal.py``) and locked with it; the child's record lists
them from the notes the reader may read (``of_child``).
"""

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership

from .models import SessionNote

FIELDS = ("time", "antecedent", "behavior", "consequence")
MAX_RECORDS = 50
MAX_TEXT = 500
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def problem(records: Any) -> str | None:
    """What is wrong with a note's ABC records, or None."""
    if not isinstance(records, list):
        return _("ABC records are a list.")
    if len(records) > MAX_RECORDS:
        return _("At most %(n)s ABC records a session.") % {"n": MAX_RECORDS}
    for record in records:
        if not isinstance(record, dict) or set(record) - set(FIELDS):
            return _("An ABC record has a time, an antecedent, a behavior and a consequence.")
        if any(not isinstance(record.get(f, ""), str) for f in FIELDS):
            return _("An ABC record has a time, an antecedent, a behavior and a consequence.")
        if any(len(record.get(f, "")) > MAX_TEXT for f in FIELDS):
            return _("Each part of an ABC record is at most %(n)s characters.") % {"n": MAX_TEXT}
        if not record.get("behavior", "").strip():
            return _("Describe the behavior of each ABC record.")
        if record.get("time") and not TIME.match(record["time"]):
            return _("Give the time of an ABC record as HH:MM, or leave it empty.")
    return None


def cleaned(records: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """Each record with every part, trimmed."""
    return [{f: str(r.get(f) or "").strip() for f in FIELDS} for r in records]


@transaction.atomic
def set_records(
    note: SessionNote,
    by: Membership,
    *,
    expected_version: int,
    records: list[dict[str, Any]],
    at: datetime.datetime | None = None,
) -> SessionNote:
    """Replace a draft's ABC records (its author only; a signed note is refused)."""
    from . import actions  # the draft rules: lock, not signed, on the expected version

    current = actions._draft(note, expected_version)
    if (found := problem(records)) is not None:
        raise ValidationError({"abc_records": [found]})
    records = cleaned(records)
    if records != current.abc_records:
        current.abc_records = records
        current.version += 1
        current.save(at=at)
    return current


def of_notes(notes: Iterable[SessionNote]) -> list[dict[str, Any]]:
    """Every ABC record of these notes, newest session first, with its note and date."""
    return [
        {"note_id": note.id, "date": note.date, **record}
        for note in sorted(notes, key=lambda n: (n.date, n.start_time), reverse=True)
        for record in note.abc_records or []
    ]


RECORD_NOTES = 20  # the child's record lists the ABC records of this many latest sessions


def of_child(membership: Membership, child: Any) -> list[dict[str, Any]]:
    """The ABC records of the child's latest notes the member may read, newest first:
    clinical staff only (families, teachers and the office read none). One query."""
    from tandem.plans.wording import reads_clinical

    from .access import notes_of

    if not reads_clinical(membership):
        return []
    notes = (
        notes_of(membership, child)
        .exclude(abc_records=[])
        .only("id", "date", "start_time", "abc_records", "organization_id", "child_id")
        .order_by("-date", "-start_time")[:RECORD_NOTES]
    )
    return of_notes(notes)
