"""Write the access log."""

from collections.abc import Iterable

from django.http import HttpRequest

from tandem.children.models import Child

from .models import AccessLog


def log_access(
    request: HttpRequest,
    children: Iterable[Child],
    *,
    action: str = AccessLog.Action.VIEW,
    route: str = "",
) -> None:
    """Record that the requesting user saw these children's records (one query, one
    row: a list of several children is one row naming them all)."""
    user = request.user
    if not user.is_authenticated:
        return
    if not route:
        match = getattr(request, "resolver_match", None)
        route = (match.view_name if match else "") or request.path
    shown = list(children)
    if not shown:
        return
    AccessLog.objects.create(
        organization_id=shown[0].organization_id,
        user=user,
        child=shown[0] if len(shown) == 1 else None,
        child_ids=" ".join(c.pk.hex for c in shown) if len(shown) > 1 else "",
        action=action,
        route=route[:200],
        path=request.get_full_path()[:500],
    )


def log_export(request: HttpRequest, child: Child | None) -> None:
    """Record that an admin exported the audit trail (of one child, or the clinic's)."""
    membership = getattr(request, "membership", None)
    if membership is None or not request.user.is_authenticated:
        return
    AccessLog.objects.create(
        organization_id=membership.organization_id,
        user=request.user,
        child=child,
        action=AccessLog.Action.EXPORT,
        route="audit:export",
        path=request.get_full_path()[:500],
    )
