"""Who is calling the API: a signed-in browser session or a staff member's personal token.

Both set ``request.membership`` (the member the request acts as) and ``request.user``
(so that django-simple-history records who changed what). Each takes an optional
``check`` that runs before the operation reads its input: the access kernel's
``permits_api(action)`` (``tandem.access.api``).
"""

from collections.abc import Callable
from datetime import timedelta
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone, translation
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from tandem.accounts.access import live_token
from tandem.accounts.models import ApiToken, Membership
from tandem.accounts.request import MemberRequest

Check = Callable[[HttpRequest, Membership], None]
# Record a token's last use at most this often, so reads do not write every time.
LAST_USED_GRANULARITY = timedelta(minutes=1)
TOKEN_PREFIX = "tdm_"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def acting_member(request: HttpRequest) -> Membership:
    """The membership an authenticated API request acts as."""
    return cast(MemberRequest, request).membership


def admit(request: HttpRequest, membership: Membership, check: Check | None) -> Membership:
    """Let the request act as this member, then apply the operation's own check."""
    cast(MemberRequest, request).membership = membership
    request.user = membership.user
    if check is not None:
        check(request, membership)
    return membership


def token_for(raw: str) -> ApiToken | None:
    """Return the live token (not revoked, not expired) of an active staff member, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = live_token(raw)
    if token is None:
        return None
    membership = token.membership
    if not (membership.is_active and membership.is_staff_member and membership.user.is_active):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        token.last_used_at = now
        token.save(update_fields=["last_used_at"])  # using a token is not an edit of it
    return token


def membership_for_token(raw: str) -> Membership | None:
    """Return the active staff membership a live token belongs to, or None."""
    token = token_for(raw)
    return token.membership if token is not None else None


class TokenAuth(HttpBearer):
    """``Authorization: Bearer tdm_…`` — a personal API token of an active staff member.

    A read-only token may call only GET (and HEAD/OPTIONS): anything else is a 403.
    """

    def __init__(self, check: Check | None = None) -> None:
        super().__init__()
        self.check = check

    def authenticate(self, request: HttpRequest, token: str) -> Membership:
        live = token_for(token.strip())
        if live is None:
            # A token that was sent but is wrong is refused outright, session or not.
            raise AuthenticationError(
                message="This API token is not valid, has expired or was revoked."
            )
        translation.activate(live.membership.user.language)
        # Dates on the clinic's clock, as for a session (MembershipMiddleware): not UTC's.
        timezone.activate(live.membership.organization.timezone)
        membership = admit(request, live.membership, self.check)
        if request.method not in SAFE_METHODS and not live.can_write:
            raise PermissionDenied("This API token may only read.")
        return membership


class SessionAuth(APIKeyCookie):
    """The browser's session cookie, with Django's CSRF check on unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, check: Check | None = None) -> None:
        super().__init__(csrf=True)
        self.check = check

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None  # signed out: a 401, not a CSRF failure
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Membership | None:
        membership = getattr(request, "membership", None)  # set by MembershipMiddleware
        if membership is None:
            return None
        return admit(request, membership, self.check)


def signed_in(check: Check | None = None) -> list[TokenAuth | SessionAuth]:
    """Accept a token or a session, then apply ``check`` (``tandem.access.api.permits_api``)."""
    return [TokenAuth(check), SessionAuth(check)]
