"""The ZIP of a child's full record, made by the worker as the guardian who asked.

Inside, in the family's language and register (the worker runs under their language):

- the reports they may read, as PDFs, by the documents' own renderers (tandem.exports
  registry: the progress report over the whole record in the family register, each
  final evaluation's summary, the discharge summary of each closed plan — the latest
  ``MOST_DISCHARGES``, so the worker prints a bounded number of PDFs);
- the signed session notes as one PDF, worded as the family reads them on the notes page;
- ``record.fhir.json``: a FHIR R4 Bundle of everything they may read (``bundle.py``);
- ``index.html``: a plain-language page listing each file and what it is.

Each document is read through the app's own readers as the guardian: what the kernel
would not show them on a page is not in the ZIP either.
"""

import datetime
import io
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tandem.access import allows
from tandem.accounts.request import MemberRequest
from tandem.assessments.access import evaluations_of
from tandem.children.models import Child
from tandem.core import clock
from tandem.exports import registry
from tandem.exports.tasks import print_pdf
from tandem.notes.access import goal_data_of, notes_of
from tandem.notes.reading import describe_entry
from tandem.plans.access import plans_of
from tandem.plans.models import PlanStatus

from .bundle import record_bundle

REPORT = "progress.report"
EVALUATION = "assessments.summary"
DISCHARGE = "progress.discharge"
MOST_DISCHARGES = 10  # the latest closed plans' summaries; older ones: the Progress tab
YEARS = 5  # the longest period one progress report covers (its form's limit)


@dataclass
class Part:
    name: str  # the file's name in the ZIP
    title: str
    what: str  # what it is, in plain words
    data: bytes


def _document(
    request: MemberRequest, child: Child, kind_name: str, params: dict[str, Any]
) -> tuple[bytes, str] | None:
    """A registered document as a PDF, if the guardian may have it (else None)."""
    kind = registry.kind(kind_name)
    if not allows(request.membership, kind.action, child=child):
        return None
    html, filename = kind.render(request, child, params)
    return print_pdf(html), filename


def _first_day(request: MemberRequest, child: Child) -> datetime.date:
    """Where the progress report starts: the child's first session the family may read,
    or the day the clinic added the child, within the report's longest period."""
    today = clock.today()
    first = clock.today_for(request.membership.organization, at=child.created_at)
    if allows(request.membership, "notes.view", child=child):
        dates = notes_of(request.membership, child).filter(signed_at__isnull=False)
        first_note = dates.order_by("date").values_list("date", flat=True).first()
        if first_note is not None:
            first = min(first, first_note)
    return min(max(first, today - datetime.timedelta(days=YEARS * 365)), today)


def _reports(request: MemberRequest, child: Child) -> list[Part]:
    today = clock.today()
    start = _first_day(request, child)
    parts = []
    params = {"start": start.isoformat(), "end": today.isoformat(), "register": "family"}
    made = _document(request, child, REPORT, params)
    if made is not None:
        parts.append(
            Part(
                f"reports/{made[1]}",
                _("Progress report"),
                _("How %(name)s is doing on each goal, in plain words, from %(start)s to today.")
                % {"name": child.display_name, "start": date_format(start, "DATE_FORMAT")},
                made[0],
            )
        )
    if allows(request.membership, registry.kind(EVALUATION).action, child=child):
        for evaluation in evaluations_of(request.membership, child).order_by("evaluated_on"):
            made = _document(request, child, EVALUATION, {"evaluation_id": str(evaluation.pk)})
            if made is not None:
                parts.append(
                    Part(
                        f"reports/{made[1]}",
                        _("Evaluation summary"),
                        _("What the evaluation of %(day)s found.")
                        % {"day": date_format(evaluation.evaluated_on, "DATE_FORMAT")},
                        made[0],
                    )
                )
    return parts


def _discharges(request: MemberRequest, child: Child) -> tuple[list[Part], bool]:
    """The discharge summary of each closed plan the guardian may read (the latest
    ``MOST_DISCHARGES``), and whether older ones were left out."""
    membership = request.membership
    if not allows(membership, registry.kind(DISCHARGE).action, child=child):
        return [], False
    closed = list(
        plans_of(membership, child)
        .filter(status=PlanStatus.CLOSED)
        .order_by("-start_date", "-created_at")[: MOST_DISCHARGES + 1]
    )
    parts = []
    for plan in closed[:MOST_DISCHARGES]:
        made = _document(request, child, DISCHARGE, {"plan": str(plan.pk)})
        if made is not None:
            parts.append(
                Part(
                    f"reports/{made[1]}",
                    _("Discharge summary"),
                    _(
                        "How the plan begun on %(start)s (%(discipline)s) ended: the goals "
                        "reached, the sessions attended and what comes next."
                    )
                    % {
                        "start": date_format(plan.start_date, "DATE_FORMAT"),
                        "discipline": plan.get_discipline_display(),
                    },
                    made[0],
                )
            )
    return parts[::-1], len(closed) > MOST_DISCHARGES  # oldest first, as the reports


def _notes(request: MemberRequest, child: Child) -> list[Part]:
    membership = request.membership
    if not allows(membership, "notes.view", child=child):
        return []
    notes = list(
        notes_of(membership, child)
        .filter(signed_at__isnull=False)
        .select_related("author__user", "signed_by__user", "cosigned_by__user")
        .order_by("date", "start_time")
    )
    if not notes:
        return []
    entries: dict[Any, list[Any]] = defaultdict(list)
    data = (
        goal_data_of(membership, child)
        .filter(note__in=[n.pk for n in notes])
        .select_related("goal")
        .order_by("goal__discipline", "goal__position", "goal__created_at")
    )
    for entry in data:
        entries[entry.note_id].append(describe_entry(entry))
    context = {"child": child, "notes": [(n, entries[n.pk]) for n in notes]}
    html = render_to_string("records/notes_pdf.html", context, request=request)
    return [
        Part(
            "notes/session-notes.pdf",
            _("Session notes"),
            _("Each signed session note: what was worked on and what comes next."),
            print_pdf(html),
        )
    ]


def build_record(request: MemberRequest, child: Child) -> tuple[bytes, str]:
    """The ZIP's bytes and its file name."""
    membership = request.membership
    discharges, older_discharges = _discharges(request, child)
    parts = _reports(request, child) + discharges + _notes(request, child)
    bundle = record_bundle(membership, child)
    parts.append(
        Part(
            "record.fhir.json",
            _("The record for computers (FHIR)"),
            _(
                "Everything above and more, in FHIR, the standard other health and school "
                "systems read. Give this file to a new clinic if they ask for it."
            ),
            json.dumps(bundle, indent=1, ensure_ascii=False).encode(),
        )
    )
    seen: set[str] = set()
    for part in parts:  # two evaluations of one day: two files
        stem, dot, ext = part.name.rpartition(".")
        n = 1
        while part.name in seen:
            n += 1
            part.name = f"{stem}-{n}{dot}{ext}"
        seen.add(part.name)
    made_at = timezone.localtime(clock.now())
    index = render_to_string(
        "records/index.html",
        {
            "child": child,
            "parts": parts,
            "made_at": made_at,
            "older_discharges": older_discharges,
            "most_discharges": MOST_DISCHARGES,
        },
        request=request,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", index)
        for part in parts:
            archive.writestr(part.name, part.data)
    name = slugify(f"{child.display_name}-record-{made_at.date().isoformat()}")
    return buffer.getvalue(), f"{name}.zip"
