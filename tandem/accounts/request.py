"""A request that acts as a member, known to the type checker.

``MembershipMiddleware`` (sessions) and the API's authentication (tokens, sessions) set
``request.membership``. Views behind ``permits`` / ``member_required`` and API operations
behind ``signed_in`` may annotate their request as ``MemberRequest``; code that only has
an ``HttpRequest`` calls ``member(request)``. The access kernel re-exports both
(``from tandem.access import MemberRequest``); they live here, with the memberships
they carry, so that the pages and middleware of this app, below the kernel, use them.
"""

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from tandem.core.access import not_found

from .models import Membership, User


class MemberRequest(HttpRequest):
    """An ``HttpRequest`` whose ``membership`` is set (a type, never instantiated)."""

    membership: Membership
    htmx: HtmxDetails  # django-htmx's middleware
    if TYPE_CHECKING:
        # Narrower than HttpRequest's ``User | AnonymousUser``: a member is signed in.
        user: User


class SessionRequest(HttpRequest):
    """Any request once ``MembershipMiddleware`` ran: ``membership`` is set, possibly to
    None (signed out, or no active clinic). A type, never instantiated."""

    membership: Membership | None


def member(request: HttpRequest) -> Membership:
    """The membership the request acts as; 404 if none (never reached behind the gates)."""
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None:
        raise not_found()
    return membership
