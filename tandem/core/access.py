"""The shared half of the access layer: who is asking, and the two refusals.

Each app's own ``access.py`` scopes its querysets with these. Outsiders get a
404 (they learn nothing, not even that a record exists); members who may read
but not write get a 403 on writes.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, Protocol, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from tandem.accounts.models import Membership, Role


class Conflict(Exception):
    """A save was based on a version of the record that is no longer current."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            "Someone else changed this record while you were editing it. "
            "Reload to see their changes, then make yours again."
        )
        self.current_version = current_version


def not_found() -> Http404:
    return Http404("Not found")


def read_only() -> PermissionDenied:
    return PermissionDenied("You can see this record but not change it.")


def membership_of(request: HttpRequest) -> Membership | None:
    """Return the membership the request acts as (set by the middleware or API auth)."""
    return getattr(request, "membership", None)


class RoleGatedView(Protocol):
    """A view behind ``member_required``: the roles it opens to (read by the matrix)."""

    member_roles: tuple[str, ...]

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse: ...


def member_required(
    *roles: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Let a view run only for signed-in members, optionally of some roles.

    A member of another role gets 404: pages for other roles are not there for them.
    """
    allowed: Iterable[str] = roles or tuple(Role.values)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_of(request)
            if membership is None or membership.role not in allowed:
                raise not_found()
            return view(request, *args, **kwargs)

        gated = cast(RoleGatedView, wrapper)
        gated.member_roles = tuple(allowed)
        return gated

    return decorator
