"""The editor's ABC records (``abc.py``): a row of fields per record, saved with the draft.

The rows post with the rest of the editor's form (``abc-present`` says they did, so a
form without them leaves the records as they are), under the same idempotency key and
expected version. Empty rows are dropped; "Add an ABC record" saves and reopens the
editor with a fresh row, "Remove" drops its row. A row without its behavior is refused
with a message naming the row, except by an autosave: that one leaves the records as
saved until the behavior is written (the typed row stays on the screen).
"""

import re
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership

from . import abc
from .models import SessionNote

FIELD = re.compile(r"^abc-(\d{1,3})-(" + "|".join(abc.FIELDS) + ")$")
SHORT_TIME = re.compile(r"^(\d):([0-5]\d)$")


def _time(value: str) -> str:
    """A time input's value as HH:MM ("9:05" and "09:05:00" read as 09:05)."""
    value = value.strip()
    if short := SHORT_TIME.match(value):
        return f"0{short[1]}:{short[2]}"
    if len(value) == 8 and value.endswith(":00"):
        return value[:5]
    return value


class AbcForm(forms.Form):
    """The ABC rows of a draft: ``rows`` (as shown) and, once valid, ``records``."""

    def __init__(self, data: Any, *, note: SessionNote, autosave: bool = False) -> None:
        super().__init__(data)
        self.note = note
        self.autosave = autosave
        self.posted = data is not None and "abc-present" in data
        self.pending = False  # an autosave with a row still missing its behavior
        self.records: list[dict[str, str]] = []
        if self.posted:
            self.rows = self._posted_rows(data)
        else:
            self.rows = [dict(r) for r in note.abc_records or []]
        # the rows written, then a fresh one to write in
        self.rows = [r for r in self.rows if any(r.values())] + [dict.fromkeys(abc.FIELDS, "")]

    def _posted_rows(self, data: Any) -> list[dict[str, str]]:
        by_index: dict[int, dict[str, str]] = {}
        for key in data:
            if found := FIELD.match(key):
                row = by_index.setdefault(int(found[1]), dict.fromkeys(abc.FIELDS, ""))
                row[found[2]] = str(data.get(key, ""))
        removed = str(data.get("abc_action", "")).partition(":")
        if removed[0] == "remove" and removed[2].isdigit():
            by_index.pop(int(removed[2]), None)
        rows = [by_index[i] for i in sorted(by_index)]
        for row in rows:
            row["time"] = _time(row["time"])
        return rows

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.posted:
            return cleaned
        records = abc.cleaned(r for r in self.rows if any(v.strip() for v in r.values()))
        if self.autosave and any(not r["behavior"] for r in records):
            self.pending = True
            return cleaned
        for number, record in enumerate(records, start=1):
            if (found := abc.problem([record])) is not None:
                self.add_error(
                    None, _("ABC record %(n)s: %(problem)s") % {"n": number, "problem": found}
                )
        if not self.errors and (found := abc.problem(records)) is not None:
            self.add_error(None, found)
        self.records = records
        return cleaned


def bind(request: HttpRequest, note: SessionNote) -> AbcForm:
    """The posted ABC rows (an htmx autosave is the form's own trigger, not a button)."""
    data = request.POST if request.method == "POST" else None
    autosave = request.headers.get("HX-Trigger") == "note-form"
    return AbcForm(data, note=note, autosave=autosave)


def save(form: AbcForm | None, note: SessionNote, by: Membership) -> SessionNote:
    """Replace the draft's ABC records with the posted ones, if they were posted and changed."""
    if form is None or not form.posted or form.pending or form.records == note.abc_records:
        return note
    return abc.set_records(note, by, expected_version=note.version, records=form.records)


def reload(request: HttpRequest, edit_url: str) -> HttpResponse:
    """After "Add an ABC record" or "Remove": the editor again, at its ABC records."""
    if getattr(request, "htmx", False):  # not "#abc": a change of hash only would not reload
        response = HttpResponse()
        response["HX-Redirect"] = edit_url
        return response
    return redirect(edit_url + "#abc")
