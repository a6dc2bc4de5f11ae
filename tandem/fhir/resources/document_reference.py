"""DocumentReference: a child's reports as PDF.

- final evaluations (``tandem.assessments`` Evaluation, read under ``assessments.summary``
  through ``Evaluation.objects.visible_to``: the team, and guardians for final ones), id
  ``<evaluation id>``, LOINC 51848-0 (evaluation note);
- the progress report over each plan in force or closed (``tandem.progress``, read under
  ``progress.report`` through ``Plan.objects.visible_to``: the team and the guardians,
  never a draft), id ``<plan id>.progress``, LOINC 11506-3 (progress note): final once the
  plan is closed, preliminary while it runs;
- the discharge summary of each closed plan, id ``<plan id>.discharge``, LOINC 18842-5.

The PDF is not embedded: the attachment's URL is the document's own PDF page
(``assessments:evaluation_pdf``, ``progress:report_pdf`` with the plan's period,
``progress:discharge_pdf``; signed in), which has the worker print it
(``tandem.exports``) and then hands it over. Search pages over the documents themselves
(one UNION query), so ``total`` and ``_count`` count DocumentReferences.
"""

import contextvars
import datetime
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import CharField, F, Q, QuerySet, Value
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from tandem.access import allows, visible_children
from tandem.accounts.models import Discipline, Membership
from tandem.assessments.models import Evaluation, EvaluationStatus
from tandem.core import clock
from tandem.plans.models import Plan, PlanStatus
from tandem.progress.forms import CLINICAL, FAMILY, MAX_DAYS

from ..base import COMMON, Context, Page, Spec, concept, instant, meta, ref
from ..outcome import bad_request
from ..search import Param, filters

LOINC = "http://loinc.org"
DISCIPLINES = "urn:tandem:discipline"
CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category"
SUMMARY, REPORT = "assessments.summary", "progress.report"
# kind → (the id's suffix after the record's uuid, LOINC code, display)
KINDS = {
    "evaluation": ("", "51848-0", "Evaluation note"),
    "progress": ("progress", "11506-3", "Progress note"),
    "discharge": ("discharge", "18842-5", "Discharge summary"),
}
BY_SUFFIX = {suffix: kind for kind, (suffix, _c, _d) in KINDS.items()}
REPORTED = (PlanStatus.ACTIVE, PlanStatus.CLOSED)  # a draft has no report yet
# The plans whose reports this request's caller reads (set by ``rows``, read by the page).
_PLANS: contextvars.ContextVar[QuerySet[Plan] | None] = contextvars.ContextVar(
    "fhir_report_plans", default=None
)


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    # Each kind for the children its own action admits (the type's rows are any action's).
    children = list(visible_children(membership).filter(pk__in=child_ids or []))

    def admitted(action: str) -> list[Any]:
        return [child.pk for child in children if allows(membership, action, child=child)]

    _PLANS.set(
        Plan.objects.visible_to(membership)
        .filter(child_id__in=admitted(REPORT), status__in=REPORTED, start_date__lte=clock.today())
        .select_related("author__user")
    )
    return (
        Evaluation.objects.visible_to(membership)
        .filter(child_id__in=admitted(SUMMARY), status=EvaluationStatus.FINAL)
        .select_related("therapist__user")
    )


def _plans() -> QuerySet[Plan]:
    plans = _PLANS.get()
    return Plan.objects.none() if plans is None else plans


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
    "type": Param("token", "pk", custom=_one_of("type", [code for _s, code, _d in KINDS.values()])),
    "category": Param("token", "pk", custom=_one_of("category", ("clinical-note",))),
}
# The same parameters on plans (a report's period starts with the plan's).
PLAN_PARAMS = PARAMS | {"period": Param("date", "start_date")}


def _kinds(params: QueryDict) -> list[str]:
    wanted = list(KINDS)
    for value in params.getlist("type"):
        codes = {code.split("|", 1)[-1] for code in value.split(",")}
        wanted = [kind for kind in wanted if KINDS[kind][1] in codes]
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
    evaluations = rows.filter(filters(plain, PARAMS))
    plans = _plans().filter(filters(plain, PLAN_PARAMS))
    parts = []
    for kind in kinds:
        if kind == "evaluation":
            part, day = evaluations, "evaluated_on"
        else:
            part, day = plans, "start_date"
            if kind == "discharge":
                part = part.filter(status=PlanStatus.CLOSED)
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
    evaluation_ids = [row["id"] for row in found if row["kind"] == "evaluation"]
    plan_ids = [row["id"] for row in found if row["kind"] != "evaluation"]
    by_id = {one.pk: one for one in rows.filter(_ids_or_none(evaluation_ids))}
    by_id |= {one.pk: one for one in _plans().filter(_ids_or_none(plan_ids))}
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
    else:
        plans = _plans().filter(status=PlanStatus.CLOSED) if kind == "discharge" else _plans()
        found = plans.filter(pk=key).first()
    return None if found is None else (found, kind)


def _document(
    record: Any, kind: str, ctx: Context, path: str, title: str, author: Any
) -> dict[str, Any]:
    _suffix, code, display = KINDS[kind]
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


def _english_label(discipline: str) -> str:
    """Titles and displays are the record's, in English, whoever reads them (a Spanish
    reader's request would otherwise mix a translated discipline into English words)."""
    with translation.override("en"):
        return str(Discipline(discipline).label)


def _evaluation(evaluation: Evaluation, ctx: Context) -> dict[str, Any]:
    discipline = _english_label(evaluation.discipline)
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


def _report(plan: Plan, kind: str, ctx: Context) -> dict[str, Any]:
    discipline = _english_label(plan.discipline)
    closed = plan.status == PlanStatus.CLOSED
    period: dict[str, str] = {"start": plan.start_date.isoformat()}
    if kind == "progress":
        # The plan's period as the reports page offers it: to today while it runs, to its
        # review date once closed, within the longest period one report covers.
        today = clock.today()
        end = max(min(plan.review_date, today) if closed else today, plan.start_date)
        start = max(plan.start_date, end - datetime.timedelta(days=MAX_DAYS))
        period = {"start": start.isoformat(), "end": end.isoformat()}
        query = period | {"register": CLINICAL if ctx.clinical else FAMILY}
        path = f"{reverse('progress:report_pdf', args=[plan.child_id])}?{urlencode(query)}"
        title = f"{discipline} progress report, {period['start']} to {period['end']}"
    else:
        path = reverse("progress:discharge_pdf", args=[plan.child_id, plan.pk])
        title = f"{discipline} discharge summary"
    resource = _document(plan, kind, ctx, path, title, plan.author)
    return resource | {
        "docStatus": "final" if closed or kind == "discharge" else "preliminary",
        "context": {
            "period": period,
            "practiceSetting": concept(DISCIPLINES, plan.discipline, discipline),
            "related": [ref("CarePlan", plan.pk)],
        },
    }


def render(item: Any, ctx: Context) -> dict[str, Any]:
    record, kind = item if isinstance(item, tuple) else (item, "evaluation")
    return _evaluation(record, ctx) if kind == "evaluation" else _report(record, kind, ctx)


SPEC = Spec(
    type="DocumentReference",
    actions=(SUMMARY, REPORT),
    rows=rows,
    render=render,
    params=PARAMS,
    order=("child_id", "evaluated_on", "id"),
    page=page,
    fetch=fetch,
)
