"""Per-request sign-in rules: which membership acts, staff session limits, staff MFA."""

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .access import own_memberships
from .backends import loaded_memberships
from .models import Membership, User
from .request import SessionRequest

SESSION_STARTED = "tandem_session_started"
SESSION_LAST_SEEN = "tandem_last_seen"
MFA_CONFIRMED = "tandem_mfa_confirmed"
# What a signed-in staff member without an authenticator may still open: setting one up
# (allauth asks for the password first), signing out, and the password pages. Nothing
# else under /accounts/ (people, invitations, API tokens) until MFA is on.
MFA_SETUP_PAGES = (
    "mfa_index",
    "mfa_activate_totp",
    "account_reauthenticate",
    "account_logout",
)
MFA_SETUP_PREFIXES = ("/accounts/password/", "/static/", "/i18n/", "/healthz")
# Refresh the last-seen stamp at most this often, so reads do not write every time.
LAST_SEEN_GRANULARITY = 60
API_PREFIX = "/api/"


# The membership a person with several (say, two clinics) chose to act as; checked
# against their active memberships on every request, so a forged or stale id is ignored.
SESSION_MEMBERSHIP = "tandem_membership"
# When this session's device record (allauth's user sessions) was last written, and for
# which address and browser.
USERSESSION_SEEN = "tandem_usersession_seen"


def active_membership(user: User, chosen: str | None = None) -> Membership | None:
    """Return the membership a signed-in user acts as: the one chosen in this session if
    it is still one of theirs and active, else their first active one."""
    memberships = loaded_memberships(user)
    if memberships is None:
        memberships = own_memberships(user)
    chosen_one = next((m for m in memberships if str(m.pk) == chosen), None)
    return chosen_one or next(iter(memberships), None)


class MembershipMiddleware:
    """Attach ``request.membership`` and speak the user's chosen language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session_request = cast(SessionRequest, request)
        session_request.membership = None
        if request.user.is_authenticated:
            session_request.membership = active_membership(
                request.user, request.session.get(SESSION_MEMBERSHIP)
            )
            translation.activate(request.user.language)
            request.LANGUAGE_CODE = request.user.language
        if session_request.membership is not None:
            # Dates and times show in the clinic's own time zone.
            timezone.activate(session_request.membership.organization.timezone)
        else:
            timezone.deactivate()
        return self.get_response(request)


class UserSessionActivityMiddleware:
    """allauth's record of each signed-in device (Account → Sessions), written at most
    once a minute per session, or at once when the device's address or browser changes.

    allauth's own middleware rewrites it (two reads and a write, in a transaction) on
    every request; this one remembers in the session when it last did.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key and request.user.is_authenticated:
            from allauth.account.adapter import get_adapter
            from allauth.usersessions.models import UserSession

            now = timezone.now()
            agent = request.META.get("HTTP_USER_AGENT", "")[:200]
            device = f"{get_adapter().get_client_ip(request)} {agent}"
            written, written_for = session.get(USERSESSION_SEEN) or ["", ""]
            last = _read(written)
            stale = last is None or (now - last).total_seconds() >= LAST_SEEN_GRANULARITY
            if stale or written_for != device:
                UserSession.objects.create_from_request(request)
                session[USERSESSION_SEEN] = [now.isoformat(), device]
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """End staff sessions after 30 idle minutes or 12 hours, whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = getattr(request, "membership", None)
        if membership is not None and membership.works_at_clinic:
            now = timezone.now()
            started = _read(request.session.get(SESSION_STARTED)) or now
            last_seen = _read(request.session.get(SESSION_LAST_SEEN)) or now
            if (
                now - last_seen > settings.STAFF_SESSION_IDLE_TIMEOUT
                or now - started > settings.STAFF_SESSION_MAX_AGE
            ):
                logout(request)
                if request.path.startswith(API_PREFIX):
                    return JsonResponse(
                        {"detail": "Your session has ended. Sign in again."}, status=401
                    )
                messages.info(
                    request, _("You were signed out to keep records safe. Sign in again.")
                )
                return redirect(settings.LOGIN_URL)
            request.session.setdefault(SESSION_STARTED, now.isoformat())
            if (now - last_seen).total_seconds() >= LAST_SEEN_GRANULARITY or (
                SESSION_LAST_SEEN not in request.session
            ):
                request.session[SESSION_LAST_SEEN] = now.isoformat()
        return self.get_response(request)


class StaffMfaRequiredMiddleware:
    """Send staff without an authenticator app to set one up before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = getattr(request, "membership", None)
        if (
            membership is not None
            and membership.works_at_clinic
            and not request.session.get(MFA_CONFIRMED)
            and not may_open_without_mfa(request.path)
        ):
            from allauth.mfa.models import Authenticator

            if Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists():
                request.session[MFA_CONFIRMED] = True
            else:
                if request.path.startswith(API_PREFIX):
                    detail = "Staff accounts need an authenticator app: set it up in the browser."
                    return JsonResponse({"detail": detail}, status=403)
                messages.info(
                    request, _("Staff accounts need an authenticator app. Set it up now.")
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)


@cache
def _mfa_setup_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in MFA_SETUP_PAGES)


def may_open_without_mfa(path: str) -> bool:
    """Whether a staff member who has no authenticator yet may open this path."""
    return path in _mfa_setup_paths() or path.startswith(MFA_SETUP_PREFIXES)


def _read(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
