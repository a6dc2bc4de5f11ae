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
    """Record that the requesting user saw these children's records (one query)."""
    user = request.user
    if not user.is_authenticated:
        return
    if not route:
        match = getattr(request, "resolver_match", None)
        route = (match.view_name if match else "") or request.path
    AccessLog.objects.bulk_create(
        AccessLog(
            organization_id=child.organization_id,
            user=user,
            child=child,
            action=action,
            route=route[:200],
            path=request.get_full_path()[:500],
        )
        for child in children
    )
