"""Observation: growth measurements (``tandem.assessments`` GrowthMeasurement), one
Observation per value, with LOINC codes and UCUM units. Per-goal session data and GAS
attainment are not served yet (docs/fhir.md).

A measurement of a day holds up to four values: an Observation's id is the measurement's
id and the value's name (``<uuid>.weight``); search pages over the values themselves (one
UNION query), so ``total`` and ``_count`` count Observations.
"""

import uuid
from typing import Any

from django.db.models import CharField, Q, QuerySet, Value
from django.http import QueryDict

from tandem.accounts.models import Membership
from tandem.assessments.models import GrowthMeasurement

from ..base import COMMON, Context, Page, Spec, coding, meta, ref
from ..outcome import bad_request
from ..search import Param

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# value name → (field, LOINC code, display, UCUM unit)
KINDS = {
    "weight": ("weight_kg", "29463-7", "Body weight", "kg"),
    "height": ("height_cm", "8302-2", "Body height", "cm"),
    "head": ("head_circumference_cm", "9843-4", "Head Occipital-frontal circumference", "cm"),
    "bmi": ("bmi", "39156-5", "Body mass index (BMI) [Ratio]", "kg/m2"),
}
BY_CODE = {code: kind for kind, (_f, code, _d, _u) in KINDS.items()}


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    return GrowthMeasurement.objects.visible_to(membership).filter(child_id__in=child_ids or [])


def _code(value: str) -> Q:
    if value not in BY_CODE:
        raise bad_request(f"'{value}' is not an Observation code here (use {', '.join(BY_CODE)}).")
    return Q()


def _category(value: str) -> Q:
    if value != "vital-signs":
        return Q(pk__isnull=True)  # nothing of another category is served
    return Q()


def _kinds(params: QueryDict) -> list[str]:
    wanted = list(KINDS)
    for value in params.getlist("code"):
        codes = {code.split("|", 1)[-1] for code in value.split(",")}
        wanted = [kind for kind in wanted if KINDS[kind][1] in codes]
    for value in params.getlist("_id"):  # ``<uuid>.weight``: that value only
        named = {one.partition(".")[2] for one in value.split(",")}
        wanted = [kind for kind in wanted if kind in named]
    return wanted


def page(
    rows: QuerySet[Any], order: tuple[str, ...], offset: int, count: int, params: QueryDict
) -> Page:
    kinds = _kinds(params)
    if not kinds:
        return Page(0, [])
    parts = [
        rows.filter(**{f"{KINDS[kind][0]}__isnull": False})
        .annotate(kind=Value(kind, output_field=CharField()))
        .values("child_id", "measured_on", "id", "kind")
        .order_by()
        for kind in kinds
    ]
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    total = union.count()
    found = list(union.order_by("child_id", "measured_on", "id", "kind")[offset : offset + count])
    measurements = rows.in_bulk([row["id"] for row in found])
    return Page(total, [(measurements[row["id"]], row["kind"]) for row in found])


def fetch(rows: QuerySet[Any], resource_id: str) -> Any:
    pk, _, kind = resource_id.partition(".")
    try:
        measurement = rows.filter(pk=uuid.UUID(pk)).first()
    except ValueError:
        return None
    if measurement is None or kind not in KINDS or getattr(measurement, KINDS[kind][0]) is None:
        return None
    return (measurement, kind)


def render(item: tuple[GrowthMeasurement, str], ctx: Context) -> dict[str, Any]:
    measurement, kind = item
    field, code, display, unit = KINDS[kind]
    value = getattr(measurement, field)
    return {
        "resourceType": "Observation",
        "id": f"{measurement.pk}.{kind}",
        "meta": meta(measurement),
        "status": "final",
        "category": [{"coding": [coding(CATEGORY, "vital-signs", "Vital Signs")]}],
        "code": {"coding": [coding(LOINC, code, display)], "text": display},
        "subject": ref("Patient", measurement.child_id),
        "effectiveDateTime": measurement.measured_on.isoformat(),
        "valueQuantity": {"value": float(value), "unit": unit, "system": UCUM, "code": unit},
    }


def _id(value: str) -> Any:
    return uuid.UUID(value.partition(".")[0])


SPEC = Spec(
    type="Observation",
    actions=("assessments.view",),
    rows=rows,
    render=render,
    params=COMMON
    | {
        "_id": Param("id", "pk", custom=_id),
        "patient": Param("reference", "child_id"),
        "subject": Param("reference", "child_id"),
        "date": Param("date", "measured_on"),
        "code": Param("token", "pk", custom=_code),
        "category": Param("token", "pk", custom=_category),
    },
    page=page,
    fetch=fetch,
)
