"""What the break-glass pages and API read: grants with the record views made during each,
the views themselves, the searches that found nobody, and how many grants await review.

A grant's views are the access log's rows for that child by that person from its start to
its end (ended early, or its hour); each is one page or API read of the record.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from tandem.accounts.models import Membership
from tandem.audit.access import access_log_visible_to
from tandem.audit.models import AccessLog
from tandem.core.access import not_found
from tandem.emergency.access import accesses_of
from tandem.emergency.models import EmergencyAccess, EmergencyAccessQuerySet


def with_views(membership: Membership, grants: EmergencyAccessQuerySet) -> EmergencyAccessQuerySet:
    """Each grant annotated with ``record_views``: views of the child by its holder while it
    lasted, refused attempts left out (one subquery, no query of its own)."""
    views = (
        AccessLog.objects.filter(
            organization_id=membership.organization_id,
            child_id=OuterRef("child_id"),
            user_id=OuterRef("member__user_id"),
            at__gte=OuterRef("started_at"),
            at__lt=Coalesce(OuterRef("ended_at"), OuterRef("expires_at")),
        )
        .exclude(action=AccessLog.Action.REFUSED)  # a refused attempt showed them nothing
        .order_by()
        .values("child_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return grants.annotate(record_views=Coalesce(Subquery(views, output_field=IntegerField()), 0))


def access_with_views(membership: Membership, access_id: uuid.UUID | str) -> EmergencyAccess:
    """One grant the member sees, with its ``record_views`` (404 otherwise)."""
    try:
        return with_views(membership, accesses_of(membership)).get(pk=access_id)
    except (EmergencyAccess.DoesNotExist, ValueError, ValidationError) as exc:
        raise not_found() from exc


def awaiting_review(membership: Membership) -> EmergencyAccessQuerySet:
    """Grants no admin has reviewed yet, newest first."""
    grants = accesses_of(membership).awaiting_review().order_by("-started_at", "id")
    return with_views(membership, grants)


def reviewed(membership: Membership) -> EmergencyAccessQuerySet:
    """Grants already reviewed, the latest review first."""
    grants = accesses_of(membership).filter(reviewed_at__isnull=False)
    return with_views(membership, grants.order_by("-reviewed_at", "id"))


def views_during(membership: Membership, access: EmergencyAccess) -> QuerySet[AccessLog]:
    """The access log's rows of the grant's views, oldest first (admins; nobody else)."""
    return (
        access_log_visible_to(membership)
        .filter(
            child_id=access.child_id,
            user_id=access.member.user_id,
            at__gte=access.started_at,
            at__lt=access.ends_at,
        )
        .order_by("at", "id")
    )


def open_reviews(membership: Membership) -> int:
    """How many grants of the clinic await an admin's review (0 for anyone else)."""
    return accesses_of(membership).awaiting_review().count()
