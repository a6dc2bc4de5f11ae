"""The gate in front of a page: signed in, acting as a member of a role it opens to.

Signed-out visitors are sent to sign in; a member of another role finds no page (404):
pages for other roles are not there for them. ``member_required(*roles)`` opens pages
that act on no record (a role's home, one's own settings, the clinic's people); the
access kernel's ``permits(action)`` (``tandem.access.views``, which re-exports
``member_required``) opens a page to the roles an action's rule could admit, through
this same gate. It lives with the roles and memberships it reads, below the kernel, so
that the people pages of this app are gated without importing the kernel.
"""

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, Protocol, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from tandem.core.access import not_found

from .models import Membership, Role

View = Callable[..., HttpResponseBase]


class GatedView(Protocol):
    """A gated view: the action it does (None for ``member_required``) and the roles it
    opens to, read by the route × persona matrix."""

    access_action: str | None
    member_roles: Sequence[str]

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase: ...


def gate(
    roles: Callable[[], frozenset[str]], action: str | None, shown_roles: Sequence[str]
) -> Callable[[View], View]:
    """Open a view to signed-in members whose role is in ``roles()`` (asked per request)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership: Membership | None = getattr(request, "membership", None)
            if membership is None or membership.role not in roles():
                raise not_found()
            return view(request, *args, **kwargs)

        gated = cast(GatedView, wrapper)
        gated.access_action = action
        gated.member_roles = shown_roles
        return gated

    return decorator


def member_required(*roles: str) -> Callable[[View], View]:
    """Open a view to signed-in members of these roles (all roles if none are named).

    For pages that act on no particular record (a role's home, one's own settings);
    pages about a child or a record use the kernel's ``permits(action)``.
    """
    allowed = frozenset(str(r) for r in (roles or tuple(Role.values)))
    return gate(lambda: allowed, None, tuple(sorted(allowed)))
