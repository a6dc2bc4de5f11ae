"""Condition: a child's ICD-10-CM diagnosis (``tandem.children`` Diagnosis)."""

from typing import Any

from tandem.accounts.models import Membership
from tandem.children.access import diagnoses_in
from tandem.children.models import Diagnosis

from ..base import COMMON, Context, Spec, concept, meta, ref
from ..search import Param

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    return diagnoses_in(membership).filter(child_id__in=child_ids or [])


def render(diagnosis: Diagnosis, ctx: Context) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "id": str(diagnosis.pk),
        "meta": meta(diagnosis),
        "clinicalStatus": concept(CLINICAL, "active", "Active"),
        "verificationStatus": concept(VERIFICATION, "confirmed", "Confirmed"),
        "category": [concept(CATEGORY, "problem-list-item", "Problem List Item")],
        "code": concept(ICD10CM, diagnosis.code, diagnosis.label),
        "subject": ref("Patient", diagnosis.child_id),
    }
    if diagnosis.noted_on:
        resource["recordedDate"] = diagnosis.noted_on.isoformat()
    return resource


SPEC = Spec(
    type="Condition",
    actions=("children.diagnoses",),
    rows=rows,
    render=render,
    params=COMMON
    | {
        "patient": Param("reference", "child_id"),
        "subject": Param("reference", "child_id"),
        "code": Param("token", "code"),
        "recorded-date": Param("date", "noted_on"),
        "clinical-status": Param("token", "pk__isnull", codes={"active": False}),
        "category": Param("token", "pk__isnull", codes={"problem-list-item": False}),
    },
    order=("child_id", "code", "id"),
)
