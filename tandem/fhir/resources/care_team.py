"""CareTeam: a child's care team, one per child (its id is the Patient's): the therapists'
seats (``tandem.children`` CareTeamMember, lead / treating / consulting) as Practitioners
and the guardians (GuardianLink) as RelatedPersons. Read under ``children.team`` through
``children.access.care_team_in`` and ``guardian_links_in`` (collaborators never)."""

from typing import Any

from django.db.models import F, Prefetch, Q

from tandem.access import visible_children
from tandem.accounts.models import Membership
from tandem.children.access import care_team_in, guardian_links_in
from tandem.children.models import Child, TeamRole

from ..base import COMMON, Context, Spec, instant, ref
from ..search import Param, reference_id

ROLES = "urn:tandem:care-team-role"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    children = visible_children(membership).filter(pk__in=child_ids or [], archived_at__isnull=True)
    seats = care_team_in(membership).order_by("role", "created_at", "id")
    links = guardian_links_in(membership).order_by("created_at", "id")
    return children.prefetch_related(
        Prefetch("care_team", queryset=seats, to_attr="fhir_seats"),
        Prefetch("guardian_links", queryset=links, to_attr="fhir_links"),
    )


def _participant(value: str) -> Q:
    """Children whose team seats this Practitioner (the seat in the child's own clinic)."""
    return Q(
        care_team__therapist_id=reference_id(value, "Practitioner"),
        care_team__organization_id=F("organization_id"),
    )


def render(child: Child, ctx: Context) -> dict[str, Any]:
    participants: list[dict[str, Any]] = []
    for seat in getattr(child, "fhir_seats", []):
        label = str(TeamRole(seat.role).label) if seat.role in TeamRole.values else seat.role
        participants.append(
            {
                "role": [
                    {
                        "coding": [{"system": ROLES, "code": seat.role, "display": label}],
                        "text": label,
                    }
                ],
                "member": ref("Practitioner", seat.therapist_id, seat.therapist.display_name),
                "period": {"start": instant(seat.created_at)},
            }
        )
    for link in getattr(child, "fhir_links", []):
        label = str(link.get_relationship_display())
        participants.append(
            {
                "role": [{"text": label}],
                "member": ref("RelatedPerson", link.pk, link.guardian.display_name),
            }
        )
    resource: dict[str, Any] = {
        "resourceType": "CareTeam",
        "id": str(child.pk),
        "meta": {"lastUpdated": instant(child.updated_at)},
        "status": "active",
        "name": f"Care team of {child.first_name} {child.last_name}",
        "subject": ref("Patient", child.pk),
        "managingOrganization": [ref("Organization", child.organization_id)],
    }
    if participants:
        resource["participant"] = participants
    return resource


SPEC = Spec(
    type="CareTeam",
    actions=("children.team",),
    rows=rows,
    render=render,
    params=COMMON
    | {
        "patient": Param("reference", "pk"),
        "subject": Param("reference", "pk"),
        "status": Param("token", "pk__isnull", codes={"active": False}),
        "participant": Param("token", "pk", custom=_participant, declared="reference"),
    },
    order=("last_name", "first_name", "id"),
    child_attr="pk",
)
