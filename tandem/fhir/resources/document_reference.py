"""DocumentReference: a child's signed notes and reports as PDF.

- final evaluations (``tandem.assessments`` Evaluation, read under ``assessments.summary``
  through ``Evaluation.objects.visible_to``: the team, and guardians for final ones), id
  ``<evaluation id>``, LOINC 51848-0 (evaluation note);
- the child's progress report over the period of each plan in force or closed
  (``tandem.progress``, read under ``progress.report`` through ``Plan.objects.visible_to``:
  the team and the guardians, never a draft), id ``<plan id>.progress``, LOINC 11506-3
  (progress note): final once the plan is closed, preliminary while it runs. The report
  covers the child — every plan's goals and sessions in that period, not only this
  plan's — and says so (no discipline of its own; the plan is ``context.related``). Its
  ``meta.versionId`` is ``<plan version>.<signed notes in the period>.<period end>`` and
  its ``meta.lastUpdated``/``date`` the later of the plan's and those notes' last change
  and, while the plan runs, the start of today: a running plan's report changes as notes
  are signed and as its period runs to today;
- the discharge summary of each closed plan, id ``<plan id>.discharge``, LOINC 18842-5
  (this plan's goals only);
- each signed session note (``tandem.notes``, under ``notes.view``), id
  ``<note id>.note``, the LOINC progress note of its discipline: ``document_note.py``.

The PDF is not embedded: the attachment's URL is the document's own PDF page
(``assessments:evaluation_pdf``, ``progress:report_pdf`` with the plan's period,
``progress:discharge_pdf``, ``notes:note_pdf``; signed in), which has the worker print it
(``tandem.exports``) and then hands it over. Search pages over the documents themselves
(one UNION query of the kinds), so ``total`` and ``_count`` count DocumentReferences.
"""

import contextvars
import datetime
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode

from tandem.access import allows, visible_children
from tandem.accounts.models import Membership
from tandem.assessments.models import Evaluation, EvaluationStatus
from tandem.core import clock
from tandem.notes.models import SessionNote
from tandem.plans.models import Plan, PlanStatus
from tandem.progress.forms import CLINICAL, FAMILY, MAX_DAYS

from ..base import COMMON, Context, Page, Spec, concept, instant, meta, ref
from ..outcome import bad_request
from ..search import Param, filters
from .document_note import (
    CATEGORY,
    DISCIPLINES,
    LOINC,
    NOTE_CODES,
    disciplines_of,
    english_label,
    notes,
    render_note,
)
from .document_note import VIEW as NOTES

SUMMARY, REPORT = "assessments.summary", "progress.report"
# kind → (the id's suffix after the record's uuid, the LOINC codes its documents have)
KINDS = {
    "evaluation": ("", ("51848-0",)),
    "progress": ("progress", ("11506-3",)),
    "discharge": ("discharge", ("18842-5",)),
    "note": ("note", NOTE_CODES),  # the discipline's progress note (document_note.py)
}
# The type of each report (a note's is its discipline's).
REPORT_TYPES = {
    "evaluation": ("51848-0", "Evaluation note"),
    "progress": ("11506-3", "Progress note"),
    "discharge": ("18842-5", "Discharge summary"),
}
CODES = tuple(sorted({code for _s, codes in KINDS.values() for code in codes}))
BY_SUFFIX = {suffix: kind for kind, (suffix, _c) in KINDS.items()}
REPORTED = (PlanStatus.ACTIVE, PlanStatus.CLOSED)  # a draft has no report yet
# The plans and the notes this request's caller reads (set by ``rows``, read by the page).
_PLANS: contextvars.ContextVar[QuerySet[Plan] | None] = contextvars.ContextVar(
    "fhir_report_plans", default=None
)
_NOTES: contextvars.ContextVar[QuerySet[SessionNote] | None] = contextvars.ContextVar(
    "fhir_document_notes", default=None
)


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    # Each kind for the children its own action admits (the type's rows are any action's).
    children = list(visible_children(membership).filter(pk__in=child_ids or []))

    def admitted(action: str) -> list[Any]:
        return [child.pk for child in children if allows(membership, action, child=child)]

    _PLANS.set(
        _with_coverage(
            membership,
            Plan.objects.visible_to(membership)
            .filter(
                child_id__in=admitted(REPORT), status__in=REPORTED, start_date__lte=clock.today()
            )
            .select_related("author__user"),
        )
    )
    _NOTES.set(notes(membership, admitted(NOTES)))
    return (
        Evaluation.objects.visible_to(membership)
        .filter(child_id__in=admitted(SUMMARY), status=EvaluationStatus.FINAL)
        .select_related("therapist__user")
    )


def _with_coverage(membership: Membership, plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """Each plan with what its progress report covers: the period's end (today while the
    plan runs, its review date once closed), how many signed notes of the child the
    member reads are dated in the period and when the latest of them changed."""
    today = Value(clock.today(), output_field=DateField())
    end = Case(
        When(status=PlanStatus.CLOSED, then=Least(F("review_date"), today)),
        default=today,
        output_field=DateField(),
    )
    covered = (
        SessionNote.objects.visible_to(membership)
        .filter(
            child_id=OuterRef("child_id"),
            signed_at__isnull=False,
            date__gte=OuterRef("start_date"),
            date__lte=OuterRef("report_end"),
        )
        .order_by()
    )
    counted = covered.values("child_id").annotate(n=Count("pk")).values("n")
    latest = covered.order_by("-updated_at").values("updated_at")[:1]
    # A running plan's report runs to today: it changed when today began, at the latest
    # (its versionId holds the period's end), so _lastUpdated and _since find it again.
    day_began = Case(
        When(status=PlanStatus.CLOSED, then=F("updated_at")),
        default=Value(clock.start_of(clock.today()), output_field=DateTimeField()),
        output_field=DateTimeField(),
    )
    return plans.annotate(report_end=end).annotate(
        covered_notes=Coalesce(Subquery(counted), 0),
        report_changed=Greatest(
            F("updated_at"), Coalesce(Subquery(latest), F("updated_at")), day_began
        ),
    )


def _plans() -> QuerySet[Plan]:
    plans = _PLANS.get()
    return Plan.objects.none() if plans is None else plans


def _notes() -> QuerySet[SessionNote]:
    found = _NOTES.get()
    return SessionNote.objects.none() if found is None else found


def _id(value: str) -> Any:
    return uuid.UUID(value.partition(".")[0])


def _one_of(name: str, codes: Sequence[str]) -> Callable[[str], Q]:
    """A token every document has one of these values of (the kinds are narrowed by the
    page): no filter, or 400 for a value that is none of them."""

    def check(value: str) -> Q:
        if value not in codes:
            raise bad_request(
                f"'{value}' is not a value of {name} (use one of: {', '.join(codes)})."
            )
        return Q()

    return check


PARAMS = COMMON | {
    "_id": Param("id", "pk", custom=_id),
    "patient": Param("reference", "child_id"),
    "subject": Param("reference", "child_id"),
    "date": Param("date", "updated_at", instant=True),
    "period": Param("date", "evaluated_on"),
    "status": Param("token", "pk", custom=_one_of("status", ("current",))),
    "type": Param("token", "pk", custom=_one_of("type", CODES)),
    "category": Param("token", "pk", custom=_one_of("category", ("clinical-note",))),
}
# The same parameters on plans (a report's period starts with the plan's) …
PLAN_PARAMS = PARAMS | {"period": Param("date", "start_date")}
# … on progress reports (changed when the plan or a note of the period last did) …
PROGRESS_PARAMS = PLAN_PARAMS | {
    "date": Param("date", "report_changed", instant=True),
    "_lastUpdated": Param("date", "report_changed", instant=True),
}
# … and on notes (the document's date is the signature's, its period the session's day).
NOTE_PARAMS = PARAMS | {
    "date": Param("date", "signed_at", instant=True),
    "_lastUpdated": Param("date", "changed", instant=True),
    "period": Param("date", "date"),
}


def _codes(value: str) -> set[str]:
    return {code.split("|", 1)[-1] for code in value.split(",")}


def _kinds(params: QueryDict) -> list[str]:
    wanted = list(KINDS)
    for value in params.getlist("type"):
        codes = _codes(value)
        wanted = [kind for kind in wanted if codes & set(KINDS[kind][1])]
    for value in params.getlist("_id"):
        suffixes = {one.partition(".")[2] for one in value.split(",")}
        wanted = [kind for kind in wanted if KINDS[kind][0] in suffixes]
    return wanted


def _ids(params: QueryDict, kind: str) -> Q:
    """The records ``_id`` names for this kind (``<uuid>`` or ``<uuid>.<suffix>``)."""
    found = Q()
    for value in params.getlist("_id"):
        keys = []
        for one in value.split(","):
            pk, _, suffix = one.partition(".")
            if suffix != KINDS[kind][0]:
                continue
            try:
                keys.append(uuid.UUID(pk))
            except ValueError:
                continue
        found &= _ids_or_none(keys)
    return found


def _ids_or_none(ids: list[Any]) -> Q:
    """These rows; a query even with no id (Django skips ``pk__in=[]``)."""
    return Q(pk__in=ids) | Q(pk__isnull=True)


def page(
    rows: QuerySet[Any], order: tuple[str, ...], offset: int, count: int, params: QueryDict
) -> Page:
    kinds = _kinds(params)
    if not kinds:
        return Page(0, [])
    # The search's parameters narrow every kind (the view has narrowed ``rows`` already;
    # a caller that pages with parameters but does not filter ``rows`` narrows all alike).
    plain = params.copy()
    plain.pop("_id", None)
    parts = []
    for kind in kinds:
        if kind == "evaluation":
            part, day = rows.filter(filters(plain, PARAMS)), "evaluated_on"
        elif kind == "note":
            part, day = _notes().filter(filters(plain, NOTE_PARAMS)), "date"
            for value in params.getlist("type"):  # the disciplines of the codes asked for
                part = part.filter(encounter__discipline__in=disciplines_of(_codes(value)))
        elif kind == "progress":
            part, day = _plans().filter(filters(plain, PROGRESS_PARAMS)), "start_date"
        else:
            part = _plans().filter(filters(plain, PLAN_PARAMS), status=PlanStatus.CLOSED)
            day = "start_date"
        parts.append(
            part.filter(_ids(params, kind))
            .annotate(kind=Value(kind, output_field=CharField()), day=F(day))
            .values("child_id", "day", "id", "kind")
            .order_by()
        )
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    total = union.count()
    found = list(union.order_by("child_id", "day", "id", "kind")[offset : offset + count])

    # One query each, whatever the page holds (a page costs the same at any size).
    def of(*kinds: str) -> Q:
        return _ids_or_none([row["id"] for row in found if row["kind"] in kinds])

    by_id = {one.pk: one for one in rows.filter(of("evaluation"))}
    by_id |= {one.pk: one for one in _plans().filter(of("progress", "discharge"))}
    by_id |= {one.pk: one for one in _notes().filter(of("note"))}
    return Page(total, [(by_id[row["id"]], row["kind"]) for row in found])


def fetch(rows: QuerySet[Any], resource_id: str) -> Any:
    pk, dot, suffix = resource_id.partition(".")
    kind = BY_SUFFIX.get(suffix)
    if kind is None or (dot and not suffix):
        return None
    try:
        key = uuid.UUID(pk)
    except ValueError:
        return None
    if kind == "evaluation":
        found = rows.filter(pk=key).first()
    elif kind == "note":
        found = _notes().filter(pk=key).first()
    else:
        plans = _plans().filter(status=PlanStatus.CLOSED) if kind == "discharge" else _plans()
        found = plans.filter(pk=key).first()
    return None if found is None else (found, kind)


def _document(
    record: Any, kind: str, ctx: Context, path: str, title: str, author: Any
) -> dict[str, Any]:
    _suffix = KINDS[kind][0]
    code, display = REPORT_TYPES[kind]
    return {
        "resourceType": "DocumentReference",
        "id": f"{record.pk}.{_suffix}" if _suffix else str(record.pk),
        "meta": meta(record),
        "status": "current",
        "type": concept(LOINC, code, display),
        "category": [concept(CATEGORY, "clinical-note", "Clinical Note")],
        "subject": ref("Patient", record.child_id),
        "date": instant(record.updated_at),
        "author": [ref("Practitioner", author.pk, author.display_name)],
        "custodian": ref("Organization", record.organization_id),
        "description": title,
        "content": [
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "url": f"{ctx.site or settings.SITE_URL}{path}",
                    "title": title,
                }
            }
        ],
    }


def _evaluation(evaluation: Evaluation, ctx: Context) -> dict[str, Any]:
    discipline = english_label(evaluation.discipline)
    title = f"{discipline} evaluation, {evaluation.evaluated_on.isoformat()}"
    path = reverse("assessments:evaluation_pdf", args=[evaluation.child_id, evaluation.pk])
    resource = _document(evaluation, "evaluation", ctx, path, title, evaluation.therapist)
    return resource | {
        "docStatus": "final",
        "context": {
            "period": {
                "start": evaluation.evaluated_on.isoformat(),
                "end": evaluation.evaluated_on.isoformat(),
            },
            "practiceSetting": concept(DISCIPLINES, evaluation.discipline, discipline),
        },
    }


def _report(plan: Any, kind: str, ctx: Context) -> dict[str, Any]:
    discipline = english_label(plan.discipline)
    closed = plan.status == PlanStatus.CLOSED
    if kind == "discharge":  # this plan's goals only (progress.discharge)
        path = reverse("progress:discharge_pdf", args=[plan.child_id, plan.pk])
        resource = _document(plan, kind, ctx, path, f"{discipline} discharge summary", plan.author)
        return resource | {
            "docStatus": "final",
            "context": {
                "period": {"start": plan.start_date.isoformat()},
                "practiceSetting": concept(DISCIPLINES, plan.discipline, discipline),
                "related": [ref("CarePlan", plan.pk)],
            },
        }
    # The plan's period as the reports page offers it: to today while it runs, to its
    # review date once closed, within the longest period one report covers. The report
    # is the child's over that period (every plan's goals, progress.report_document).
    today = clock.today()
    end = max(min(plan.review_date, today) if closed else today, plan.start_date)
    start = max(plan.start_date, end - datetime.timedelta(days=MAX_DAYS))
    period = {"start": start.isoformat(), "end": end.isoformat()}
    query = period | {"register": CLINICAL if ctx.clinical else FAMILY}
    path = f"{reverse('progress:report_pdf', args=[plan.child_id])}?{urlencode(query)}"
    title = f"Progress report, {period['start']} to {period['end']}"
    resource = _document(plan, kind, ctx, path, title, plan.author)
    changed = instant(plan.report_changed)
    return resource | {
        "meta": {
            "versionId": f"{plan.version}.{plan.covered_notes}.{end:%Y%m%d}",
            "lastUpdated": changed,
        },
        "date": changed,
        "description": (
            f"{title}: the child's progress over the period of the {discipline} plan "
            "(every plan's goals and sessions in that period, not only this plan's)"
        ),
        "docStatus": "final" if closed else "preliminary",
        "context": {"period": period, "related": [ref("CarePlan", plan.pk)]},
    }


def render(item: Any, ctx: Context) -> dict[str, Any]:
    record, kind = item if isinstance(item, tuple) else (item, "evaluation")
    if kind == "evaluation":
        return _evaluation(record, ctx)
    return render_note(record, ctx) if kind == "note" else _report(record, kind, ctx)


SPEC = Spec(
    type="DocumentReference",
    actions=(SUMMARY, REPORT, NOTES),
    rows=rows,
    render=render,
    params=PARAMS,
    order=("child_id", "evaluated_on", "id"),
    page=page,
    fetch=fetch,
)
