"""Who may read the audit trail: the organization's admins, nobody else; who has seen
one child's record: asked by a page that checked the asker through ``child_for``."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Min

from tandem.accounts.models import Membership, Role
from tandem.children.models import Child

from .models import AccessLog, AccessLogQuerySet


def access_log_visible_to(membership: Membership) -> AccessLogQuerySet:
    """Return the organization's access-log rows for an admin; nothing for anyone else."""
    if membership.role != Role.ADMIN:
        return AccessLog.objects.none()
    return AccessLog.objects.filter(organization_id=membership.organization_id).select_related(
        "user", "child"
    )


def clinic_child(organization_id: Any, child_id: uuid.UUID) -> Child | None:
    """The clinic's own child with this id, or None (another clinic's, or no such child).

    Only for naming a refused attempt in the asker's clinic's log, never for showing it.
    """
    return Child.objects.filter(pk=child_id, organization_id=organization_id).first()


@dataclass
class Viewer:
    """One person who saw a child's record: who, in which role, how often, when."""

    name: str
    role: str
    views: int
    first: datetime
    last: datetime


def seen_by(child: Child) -> list[Viewer]:
    """Everyone who saw the child's record (its pages, lists naming it, exports), most
    recent first; refused attempts are not views. Two queries. The caller has checked
    that the asker may know this (``child_for(request, child_id, "audit.seen")``)."""
    rows = list(
        AccessLog.objects.filter(organization_id=child.organization_id)
        .about(child)
        .exclude(action=AccessLog.Action.REFUSED)
        .values("user_id")
        .annotate(views=Count("id"), first=Min("at"), last=Max("at"))
        .order_by("-last")
    )
    members = {
        m.user_id: m
        for m in Membership.objects.filter(
            organization_id=child.organization_id, user_id__in=[r["user_id"] for r in rows]
        ).select_related("user")
    }
    viewers = []
    for row in rows:
        member = members.get(row["user_id"])
        viewers.append(
            Viewer(
                name=member.display_name if member else "—",
                role=str(member.get_role_display()) if member else "—",
                views=row["views"],
                first=row["first"],
                last=row["last"],
            )
        )
    return viewers
