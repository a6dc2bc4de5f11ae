"""The alert when someone breaks the glass: the clinic's active admins and the child's lead
therapists are told who opened which child's record, why and until when.

Written in the transaction that gives the grant (no grant without its alert); the emails
leave once it commits (``notifications.notify``). Admins' notices open the grant in the
review queue; a lead therapist's, the child's record.
"""

import datetime
from typing import Any

from django.urls import reverse

from tandem.accounts.models import Membership, Role
from tandem.children.models import CareTeamMember, TeamRole
from tandem.emergency.models import EmergencyAccess
from tandem.notifications.actions import notify
from tandem.notifications.models import Kind


def _admins(access: EmergencyAccess) -> list[Membership]:
    return list(
        Membership.objects.filter(
            organization_id=access.organization_id, role=Role.ADMIN, is_active=True
        ).select_related("user", "organization")
    )


def _leads(access: EmergencyAccess) -> list[Membership]:
    seats = CareTeamMember.objects.filter(
        organization_id=access.organization_id,
        child_id=access.child_id,
        role=TeamRole.LEAD,
        therapist__is_active=True,
    ).select_related("therapist__user", "therapist__organization")
    return [seat.therapist for seat in seats]


def detail_of(access: EmergencyAccess) -> str:
    """What a notice keeps of the grant: its end (an ISO instant, shown in the reader's
    time and language) and the reason, cut to the notice's length."""
    return f"{access.expires_at.isoformat()} {access.reason}"


def announce(
    sender: Any, access: EmergencyAccess, at: datetime.datetime | None = None, **kwargs: Any
) -> None:
    """Tell the clinic's admins and the child's lead therapists about a new grant."""
    admins = _admins(access)
    leads = [m for m in _leads(access) if m.pk not in {a.pk for a in admins}]
    review = reverse("breakglass:review", args=[access.pk])
    for recipients, url in ((admins, review), (leads, access.child.get_absolute_url())):
        notify(
            recipients,
            Kind.EMERGENCY_ACCESS,
            child=access.child,
            actor_name=access.member.display_name,
            detail=detail_of(access),
            url=url,
            now=at,
        )
