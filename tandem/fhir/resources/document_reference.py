"""DocumentReference: a child's reports as PDF — final evaluations (``tandem.assessments``
Evaluation, read under ``assessments.summary`` through ``Evaluation.objects.visible_to``:
the team, and guardians for final ones). The PDF is not embedded: the attachment's URL is
the evaluation's PDF page (``assessments:evaluation_pdf``, signed in), which has the
worker print it (``tandem.exports``) and then hands it over."""

from typing import Any

from django.conf import settings
from django.urls import reverse

from tandem.accounts.models import Discipline, Membership
from tandem.assessments.models import Evaluation, EvaluationStatus

from ..base import COMMON, Context, Spec, concept, instant, meta, ref
from ..search import Param

LOINC = "http://loinc.org"
DISCIPLINES = "urn:tandem:discipline"
CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category"


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    return (
        Evaluation.objects.visible_to(membership)
        .filter(child_id__in=child_ids or [], status=EvaluationStatus.FINAL)
        .select_related("therapist__user")
    )


def render(evaluation: Evaluation, ctx: Context) -> dict[str, Any]:
    discipline = str(Discipline(evaluation.discipline).label)
    title = f"{discipline} evaluation, {evaluation.evaluated_on.isoformat()}"
    url = reverse("assessments:evaluation_pdf", args=[evaluation.child_id, evaluation.pk])
    return {
        "resourceType": "DocumentReference",
        "id": str(evaluation.pk),
        "meta": meta(evaluation),
        "status": "current",
        "docStatus": "final",
        "type": concept(LOINC, "51848-0", "Evaluation note"),
        "category": [concept(CATEGORY, "clinical-note", "Clinical Note")],
        "subject": ref("Patient", evaluation.child_id),
        "date": instant(evaluation.updated_at),
        "author": [ref("Practitioner", evaluation.therapist_id, evaluation.therapist.display_name)],
        "custodian": ref("Organization", evaluation.organization_id),
        "description": title,
        "content": [
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "url": f"{ctx.site or settings.SITE_URL}{url}",
                    "title": title,
                }
            }
        ],
        "context": {
            "period": {
                "start": evaluation.evaluated_on.isoformat(),
                "end": evaluation.evaluated_on.isoformat(),
            },
            "practiceSetting": concept(DISCIPLINES, evaluation.discipline, discipline),
        },
    }


SPEC = Spec(
    type="DocumentReference",
    actions=("assessments.summary",),
    rows=rows,
    render=render,
    params=COMMON
    | {
        "patient": Param("reference", "child_id"),
        "subject": Param("reference", "child_id"),
        "date": Param("date", "updated_at", instant=True),
        "period": Param("date", "evaluated_on"),
        "status": Param("token", "pk__isnull", codes={"current": False}),
        "type": Param("token", "pk__isnull", codes={"51848-0": False}),
        "category": Param("token", "pk__isnull", codes={"clinical-note": False}),
    },
    order=("child_id", "evaluated_on", "id"),
)
