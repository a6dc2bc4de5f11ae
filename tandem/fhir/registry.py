"""The resource types served, in the CapabilityStatement's order."""

from typing import cast

from tandem.access import rule_for
from tandem.accounts.models import Membership, Role

from .auth import Caller, scopes_of_role
from .base import Spec
from .resources import (
    appointment,
    care_plan,
    care_team,
    communication,
    condition,
    consent,
    document_reference,
    encounter,
    goal,
    group,
    observation,
    organization,
    patient,
    practitioner,
    questionnaire,
    related_person,
)

SPECS: dict[str, Spec] = {
    spec.type: spec
    for spec in (
        patient.SPEC,
        related_person.SPEC,
        practitioner.SPEC,
        practitioner.ROLE_SPEC,
        organization.SPEC,
        care_team.SPEC,
        group.SPEC,
        condition.SPEC,
        care_plan.SPEC,
        goal.SPEC,
        observation.SPEC,
        encounter.SPEC,
        appointment.SPEC,
        questionnaire.QUESTIONNAIRE_SPEC,
        questionnaire.RESPONSE_SPEC,
        communication.SPEC,
        consent.SPEC,
        document_reference.SPEC,
    )
}


def search_roles(spec: Spec) -> frozenset[str]:
    """The roles whose scopes cover the type: they search it (their rows may be none)."""
    return frozenset(
        role
        for role in Role.values
        if Caller(cast(Membership, None), scopes_of_role(role)).may_read(spec.type)
    )


def read_roles(spec: Spec) -> frozenset[str]:
    """The roles that may read one of the type at all: the kernel rules' roles (or the
    type's own, when it is no child's record), within the roles' scopes."""
    if spec.actions is None:
        roles = spec.roles
    else:
        roles = frozenset().union(*(rule_for(action).roles for action in spec.actions))
    return frozenset(str(role) for role in roles) & search_roles(spec)
