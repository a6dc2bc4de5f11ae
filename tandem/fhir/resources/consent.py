"""Consent: a guardian's consent that a collaborator (a teacher, a pediatrician …) sees
parts of a child's record (``tandem.consent`` ConsentGrant). Read under ``consent.view``
(clinic admins and guardians) through ``ConsentGrant.objects.visible_to``.

The parts shared are the provision's codes (``urn:tandem:consent-scope``: ``summary``,
``observations``, ``notes``); the collaborator is the provision's actor (information
recipient). A withdrawn or expired consent is ``inactive``.
"""

from typing import Any

from django.db.models import Q

from tandem.accounts.models import Membership
from tandem.consent.models import ConsentGrant, Scope
from tandem.core import clock

from ..base import COMMON, Context, Spec, concept, instant, meta, ref
from ..search import Param

SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CATEGORY = "http://loinc.org"
POLICY = "http://terminology.hl7.org/CodeSystem/consentpolicycodes"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
PARTS = "urn:tandem:consent-scope"


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    return (
        ConsentGrant.objects.visible_to(membership)
        .filter(child_id__in=child_ids or [])
        .select_related("collaborator__user", "granted_by__user")
    )


def _status(value: str) -> Q:
    active = Q(revoked_at__isnull=True, expires_on__gte=clock.today())
    return {"active": active, "inactive": ~active}.get(value, Q(pk__isnull=True))


def render(grant: ConsentGrant, ctx: Context) -> dict[str, Any]:
    end = grant.revoked_at.date() if grant.revoked_at else grant.expires_on
    shared = [concept(PARTS, scope, str(Scope(scope).label)) for scope in grant.scopes]
    return {
        "resourceType": "Consent",
        "id": str(grant.pk),
        "meta": meta(grant),
        "status": "active" if grant.is_active() else "inactive",
        "scope": concept(SCOPE, "patient-privacy", "Privacy Consent"),
        "category": [concept(CATEGORY, "59284-0", "Patient Consent")],
        "patient": ref("Patient", grant.child_id),
        "dateTime": instant(grant.created_at),
        "performer": [{"display": grant.granted_by.display_name}],
        "organization": [ref("Organization", grant.organization_id)],
        "policyRule": concept(POLICY, "hipaa-auth", "HIPAA Authorization"),
        "provision": {
            "type": "permit",
            "period": {
                "start": grant.created_at.date().isoformat(),
                "end": max(end, grant.created_at.date()).isoformat(),
            },
            "actor": [
                {
                    "role": concept(PARTICIPATION, "IRCP", "information recipient"),
                    "reference": {
                        "display": f"{grant.collaborator.display_name} ({grant.role_title})"
                    },
                }
            ],
            "code": shared,
        },
    }


SPEC = Spec(
    type="Consent",
    actions=("consent.view",),
    rows=rows,
    render=render,
    params=COMMON
    | {
        "patient": Param("reference", "child_id"),
        "status": Param("token", "pk", custom=_status),
        "date": Param("date", "created_at", instant=True),
    },
    order=("child_id", "created_at", "id"),
)
