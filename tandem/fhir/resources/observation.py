"""Observation: growth measurements (``tandem.assessments`` GrowthMeasurement), one
Observation per value, with LOINC codes and UCUM units; and the session data of each goal
(``tandem.notes`` GoalData): the session's value on the goal's own scale and the GAS
level reached (LOINC 107333-7, the HL7 Person-Centered Outcomes IG's practitioner
follow-up goal attainment scaling score).

Ids are the record's id and the value's name: ``<uuid>.weight`` / ``.height`` / ``.head``
/ ``.bmi`` for a measurement, ``<uuid>.value`` / ``.gas`` for a goal's session data.
Search pages over the values themselves (one UNION query), so ``total`` and ``_count``
count Observations.

Readers: growth through ``GrowthMeasurement.objects.visible_to`` (``assessments.view``:
the team); goal data through ``GoalData.objects.visible_to`` (``notes.view``: the team, and
guardians for signed notes; ``collaborators.summary``: signed data while a consent shares
the progress summary).
"""

import contextvars
import uuid
from typing import Any

from django.db.models import CharField, F, Q, QuerySet, Value
from django.http import QueryDict

from tandem.accounts.models import Membership
from tandem.assessments.models import GrowthMeasurement
from tandem.notes.models import GoalData, NoteStatus
from tandem.plans.models import MeasurementType

from ..base import COMMON, Context, Page, Spec, coding, meta, ref
from ..outcome import bad_request
from ..search import Param, filters

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
TANDEM_CODES = "urn:tandem:observation-code"
# value name → (field, LOINC code, display, UCUM unit)
KINDS = {
    "weight": ("weight_kg", "29463-7", "Body weight", "kg"),
    "height": ("height_cm", "8302-2", "Body height", "cm"),
    "head": ("head_circumference_cm", "9843-4", "Head Occipital-frontal circumference", "cm"),
    "bmi": ("bmi", "39156-5", "Body mass index (BMI) [Ratio]", "kg/m2"),
}
# A goal's session data: value name → (field, code system, code, display)
GOAL_KINDS = {
    "value": ("value", TANDEM_CODES, "goal-data", "Session data for a therapy goal"),
    "gas": ("gas_level", LOINC, "107333-7", "Practitioner follow-up goal attainment scaling score"),
}
# The goal's scale → its UCUM unit (annotations in braces are UCUM's unitless counts).
UNITS = {
    MeasurementType.PERCENT_TRIALS: "%",
    MeasurementType.FREQUENCY: "{count}",
    MeasurementType.DURATION: "s",
    MeasurementType.RATING: "{score}",
    MeasurementType.TASK_ANALYSIS: "%",
    MeasurementType.RATE: "/min",
    MeasurementType.LATENCY: "s",
    MeasurementType.PARTIAL_INTERVAL: "%",
    MeasurementType.WHOLE_INTERVAL: "%",
    MeasurementType.MOMENTARY_SAMPLING: "%",
}
BY_CODE = {code: kind for kind, (_f, code, _d, _u) in KINDS.items()} | {
    code: kind for kind, (_f, _s, code, _d) in GOAL_KINDS.items()
}
CATEGORIES = {"vital-signs": tuple(KINDS), "therapy": tuple(GOAL_KINDS)}
# The goal data readable by this request's caller (set by ``rows``, read by the page).
_GOAL_DATA: contextvars.ContextVar[QuerySet[Any] | None] = contextvars.ContextVar(
    "fhir_goal_data", default=None
)


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    data = (
        GoalData.objects.visible_to(membership)
        .filter(child_id__in=child_ids or [])
        .select_related("goal", "note")
    )
    _GOAL_DATA.set(data)
    return GrowthMeasurement.objects.visible_to(membership).filter(child_id__in=child_ids or [])


def _data() -> QuerySet[Any]:
    data = _GOAL_DATA.get()
    return GoalData.objects.none() if data is None else data


def _code(value: str) -> Q:
    if value not in BY_CODE:
        raise bad_request(f"'{value}' is not an Observation code here (use {', '.join(BY_CODE)}).")
    return Q()


def _category(value: str) -> Q:
    if value not in CATEGORIES:
        return Q(pk__isnull=True)  # nothing of another category is served
    # Not an empty Q(): ORed with another value's (``category=therapy,survey``) an empty
    # Q() vanishes, leaving only the other value's "nothing".
    return Q(pk__isnull=False)


def _kinds(params: QueryDict) -> list[str]:
    wanted = [*KINDS, *GOAL_KINDS]
    for value in params.getlist("code"):
        codes = {code.split("|", 1)[-1] for code in value.split(",")}
        wanted = [kind for kind in wanted if kind in {BY_CODE.get(c) for c in codes}]
    for value in params.getlist("category"):
        named = {one.split("|", 1)[-1] for one in value.split(",")}
        wanted = [k for k in wanted if any(k in CATEGORIES.get(n, ()) for n in named)]
    for value in params.getlist("_id"):  # ``<uuid>.weight``: that value only
        named = {one.partition(".")[2] for one in value.split(",")}
        wanted = [kind for kind in wanted if kind in named]
    return wanted


def _id(value: str) -> Any:
    return uuid.UUID(value.partition(".")[0])


PARAMS = COMMON | {
    "_id": Param("id", "pk", custom=_id),
    "patient": Param("reference", "child_id"),
    "subject": Param("reference", "child_id"),
    "date": Param("date", "measured_on"),
    "code": Param("token", "pk", custom=_code),
    "category": Param("token", "pk", custom=_category),
}
# The same parameters on goal data (the date is the session's).
GOAL_PARAMS = PARAMS | {"date": Param("date", "note__date")}


def page(
    rows: QuerySet[Any], order: tuple[str, ...], offset: int, count: int, params: QueryDict
) -> Page:
    kinds = _kinds(params)
    if not kinds:
        return Page(0, [])
    # The search's parameters narrow both parts: goal data here; growth too (the view has
    # already, which changes nothing), so a caller that pages with parameters but does not
    # filter ``rows`` itself (a bulk export's ``_lastUpdated``) narrows both alike.
    rows = rows.filter(filters(params, PARAMS))
    data = _data().filter(filters(params, GOAL_PARAMS))
    parts = [
        rows.filter(**{f"{KINDS[kind][0]}__isnull": False})
        .annotate(kind=Value(kind, output_field=CharField()), day=F("measured_on"))
        .values("child_id", "day", "id", "kind")
        .order_by()
        for kind in kinds
        if kind in KINDS
    ]
    parts += [
        data.filter(**{f"{GOAL_KINDS[kind][0]}__isnull": False})
        .exclude(
            **({"goal__measurement_type": MeasurementType.GAS_ONLY} if kind == "value" else {})
        )
        .annotate(kind=Value(kind, output_field=CharField()), day=F("note__date"))
        .values("child_id", "day", "id", "kind")
        .order_by()
        for kind in kinds
        if kind in GOAL_KINDS
    ]
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    total = union.count()
    found = list(union.order_by("child_id", "day", "id", "kind")[offset : offset + count])
    # One query each, whatever the page holds (a page costs the same at any size).
    growth_ids = [row["id"] for row in found if row["kind"] in KINDS]
    data_ids = [row["id"] for row in found if row["kind"] in GOAL_KINDS]
    measurements = {one.pk: one for one in rows.filter(_ids_or_none(growth_ids))}
    entries = {one.pk: one for one in data.filter(_ids_or_none(data_ids))}
    return Page(
        total,
        [
            ((measurements if row["kind"] in KINDS else entries)[row["id"]], row["kind"])
            for row in found
        ],
    )


def _ids_or_none(ids: list[Any]) -> Q:
    """These rows; a query even with no id (Django skips ``pk__in=[]``)."""
    return Q(pk__in=ids) | Q(pk__isnull=True)


def fetch(rows: QuerySet[Any], resource_id: str) -> Any:
    pk, _, kind = resource_id.partition(".")
    try:
        key = uuid.UUID(pk)
    except ValueError:
        return None
    if kind in KINDS:
        found = rows.filter(pk=key).first()
        field = KINDS[kind][0]
    elif kind in GOAL_KINDS:
        found = _data().filter(pk=key).first()
        field = GOAL_KINDS[kind][0]
        gas_only = found is not None and found.goal.measurement_type == MeasurementType.GAS_ONLY
        if kind == "value" and gas_only:
            return None
    else:
        return None
    if found is None or getattr(found, field) is None:
        return None
    return (found, kind)


def _growth(measurement: GrowthMeasurement, kind: str) -> dict[str, Any]:
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


def _goal_data(entry: GoalData, kind: str) -> dict[str, Any]:
    _field, system, code, display = GOAL_KINDS[kind]
    signed = entry.note.status == NoteStatus.SIGNED
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"{entry.pk}.{kind}",
        "meta": meta(entry),
        "status": "final" if signed else "preliminary",
        "category": [{"coding": [coding(CATEGORY, "therapy", "Therapy")]}],
        "code": {"coding": [coding(system, code, display)], "text": display},
        "subject": ref("Patient", entry.child_id),
        "focus": [ref("Goal", entry.goal_id)],
        "effectiveDateTime": entry.note.date.isoformat(),
    }
    if entry.note.signed_at is not None:
        resource["encounter"] = ref("Encounter", entry.note_id)
    if kind == "gas":
        resource["valueInteger"] = int(entry.gas_level or 0)
        return resource
    scale = entry.goal.measurement_type
    unit = UNITS.get(MeasurementType(scale)) if scale in MeasurementType.values else None
    quantity: dict[str, Any] = {"value": round(float(entry.value or 0), 4)}
    if unit:
        quantity |= {"unit": unit, "system": UCUM, "code": unit}
    resource["valueQuantity"] = quantity
    method = str(MeasurementType(scale).label) if scale in MeasurementType.values else scale
    resource["method"] = {"text": method}
    return resource


def render(item: tuple[Any, str], ctx: Context) -> dict[str, Any]:
    record, kind = item
    return _growth(record, kind) if kind in KINDS else _goal_data(record, kind)


SPEC = Spec(
    type="Observation",
    actions=("assessments.view", "notes.view", "collaborators.summary"),
    rows=rows,
    render=render,
    params=PARAMS,
    page=page,
    fetch=fetch,
)
