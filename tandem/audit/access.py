"""Who may read the audit trail: the organization's admins, nobody else."""

from tandem.accounts.models import Membership, Role

from .models import AccessLog, AccessLogQuerySet


def access_log_visible_to(membership: Membership) -> AccessLogQuerySet:
    """Return the organization's access-log rows for an admin; nothing for anyone else."""
    if membership.role != Role.ADMIN:
        return AccessLog.objects.none()
    return AccessLog.objects.filter(organization_id=membership.organization_id).select_related(
        "user", "child"
    )
