"""What the authorization matrix needs to walk /fhir/R4/ (tandem/core/testing/matrix).

Each type has a named search route (no parameter) and a named read route whose one
parameter names a record: a child's record (``OBJECT_FILLERS``: the record of each of the
three children of the world) or a clinic's (``ORG_FILLERS``). Expectations, from
PRODUCT.md's roles: collaborators read goals and plans only where a consent shares the
progress summary; the front desk reads the profile, the family and the staff, never
diagnoses or clinical records; billing reads the profile and diagnoses (claims).
Signed-out callers get a 401 OperationOutcome, not a redirect (test_matrix.py).
"""

from typing import Any

from tandem.core.testing.matrix.rules import Touch

from .data import populate as populate

CHILD_TYPES = (
    "Patient",
    "RelatedPerson",
    "Condition",
    "CarePlan",
    "Goal",
    "Observation",
    "Appointment",
    "CareTeam",
    "Encounter",
    "QuestionnaireResponse",
    "Communication",
    "Consent",
    "DocumentReference",
)
PARAMS = {
    "Patient": "fhir_patient_id",
    "RelatedPerson": "fhir_related_person_id",
    "Condition": "fhir_condition_id",
    "CarePlan": "fhir_care_plan_id",
    "Goal": "fhir_goal_id",
    "Observation": "fhir_observation_id",
    "Appointment": "fhir_appointment_id",
    "CareTeam": "fhir_care_team_id",
    "Encounter": "fhir_encounter_id",
    "QuestionnaireResponse": "fhir_questionnaire_response_id",
    "Communication": "fhir_communication_id",
    "Consent": "fhir_consent_id",
    "DocumentReference": "fhir_document_reference_id",
}


def _touches(resource_type: str) -> Any:
    def fill(world: Any) -> list[Touch]:
        children = (world.child, world.other_child, world.foreign_child)
        return [Touch(world.fhir[child][resource_type], (child,)) for child in children]

    return fill


def _program(organization: Any) -> Any:
    from tandem.groups.models import GroupProgram

    first = GroupProgram.objects.filter(organization=organization).order_by("created_at").first()
    assert first is not None
    return first.id


OBJECT_FILLERS = {PARAMS[kind]: _touches(kind) for kind in CHILD_TYPES}
ORG_FILLERS = {
    "fhir_practitioner_id": lambda w: (w.therapist.id, w.foreign_therapist.id),
    "fhir_practitioner_role_id": lambda w: (w.therapist.id, w.foreign_therapist.id),
    "fhir_organization_id": lambda w: (w.org.id, w.foreign_org.id),
    # A therapeutic group of each clinic (the groups app's world): read by those who read
    # the clinic's groups (caseloads: test_group.py).
    "fhir_group_id": lambda w: (_program(w.org), _program(w.foreign_org)),
}
CONSENT_RULES = {
    "fhir:care-plan-read": "summary",
    "fhir:goal-read": "summary",
    "fhir:observation-read": "summary",  # goal data of signed notes
}
_BOTH = {"front_desk": "read", "billing": "read"}
OFFICE_RULES = {
    "fhir:metadata": _BOTH,
    **{
        f"fhir:{name}-search": _BOTH
        for name in (
            "patient",
            "related-person",
            "practitioner",
            "practitioner-role",
            "organization",
            "condition",
            "care-plan",
            "goal",
            "observation",
            "appointment",
            "care-team",
            "group",
            "encounter",
            "questionnaire",
            "questionnaire-response",
            "communication",
            "consent",
            "document-reference",
        )
    },
    "fhir:patient-read": _BOTH,
    "fhir:organization-read": _BOTH,
    "fhir:related-person-read": {"front_desk": "read"},
    "fhir:practitioner-read": {"front_desk": "read"},
    "fhir:practitioner-role-read": {"front_desk": "read"},
    "fhir:condition-read": {"billing": "read"},
    "fhir:appointment-read": _BOTH,
    "fhir:care-team-read": {"front_desk": "read"},
    "fhir:group-read": {"front_desk": "read"},  # billing lists no staff: no caseload
    # The shipped questionnaires, every clinic's (one route each, no parameter).
    **{
        f"fhir:questionnaire-read-{name}": _BOTH
        for name in ("parent-intake", "psc-17", "sensory-behaviour")
    },
}
