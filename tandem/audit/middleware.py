"""Record refused attempts on a child's record: a signed-in member who asked for a URL
naming a child (a page or an API route with ``child_id``) and got a 404 or a 403.

Outsiders get a 404 that tells them nothing; the clinic still learns that someone tried.
The row names the child only when the id is one of the member's own clinic's children:
another clinic's child is never named, linked or counted (its id stays only in the path,
which the other clinic's admins never see: rows belong to the asker's clinic). Successful
answers cost nothing: the status code is read, nothing else.
"""

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .access import clinic_child
from .models import AccessLog

REFUSALS = frozenset({403, 404})


def _child_id(request: HttpRequest) -> uuid.UUID | None:
    match = getattr(request, "resolver_match", None)
    raw = match.kwargs.get("child_id") if match is not None else None
    if raw is None:
        return None
    try:
        return raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
    except ValueError:
        return None


def record_refusal(request: HttpRequest) -> None:
    """Write the refused attempt (two queries: find the child in the clinic, insert)."""
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    child_id = _child_id(request)
    if membership is None or user is None or not user.is_authenticated or child_id is None:
        return
    match = request.resolver_match
    AccessLog.objects.create(
        organization_id=membership.organization_id,
        user=user,
        child=clinic_child(membership.organization_id, child_id),
        action=AccessLog.Action.REFUSED,
        route=(match.view_name if match else "")[:200],
        path=request.get_full_path()[:500],
    )


class RefusedAccessMiddleware:
    """Log a 404/403 on a child's URL as a refused attempt (see the module's text)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in REFUSALS:
            record_refusal(request)
        return response
