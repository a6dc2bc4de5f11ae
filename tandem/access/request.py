"""A request that acts as a member, known to the type checker.

``MembershipMiddleware`` (sessions) and the API's authentication (tokens, sessions) set
``request.membership``. Views behind ``permits`` / ``member_required`` and API operations
behind ``signed_in`` may annotate their request as ``MemberRequest``; code that only has
an ``HttpRequest`` calls ``member(request)``.
"""

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from tandem.accounts.models import Membership, User

from .errors import not_found


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


def membership_of(request: HttpRequest) -> Membership | None:
    """The membership the request acts as, or None (signed out, or no clinic)."""
    return getattr(request, "membership", None)
