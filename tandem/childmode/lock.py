"""The session flag that locks a signed-in device to one child's child-mode pages.

The flag names the child and the adult who started child mode. Only child mode's
own pages answer while it is set; leaving needs that adult's password, and wrong
passwords are limited (five per five minutes, counted in the same session, which
the child cannot end without signing out — and signing out is locked too).
"""

import uuid
from datetime import datetime, timedelta

from django.http import HttpRequest
from django.utils import timezone

from tandem.accounts.models import Membership
from tandem.children.models import Child

SESSION_KEY = "tandem_child_mode"
FAILURES_KEY = "tandem_child_mode_exit_failures"
MAX_EXIT_FAILURES = 5
EXIT_COOLDOWN = timedelta(minutes=5)


def lock(request: HttpRequest, child: Child, adult: Membership) -> None:
    """Lock this session to the child's child mode."""
    request.session[SESSION_KEY] = {"child": str(child.id), "adult": str(adult.id)}
    request.session.pop(FAILURES_KEY, None)


def unlock(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(FAILURES_KEY, None)


def locked_to(request: HttpRequest) -> tuple[uuid.UUID, uuid.UUID] | None:
    """Return (child id, adult membership id) when the session is in child mode."""
    session = getattr(request, "session", None)
    value = session.get(SESSION_KEY) if session is not None else None
    if not isinstance(value, dict):
        return None
    try:
        return uuid.UUID(value["child"]), uuid.UUID(value["adult"])
    except (KeyError, TypeError, ValueError):
        return None


def _recent_failures(request: HttpRequest) -> list[datetime]:
    cutoff = timezone.now() - EXIT_COOLDOWN
    stamps = []
    for raw in request.session.get(FAILURES_KEY, []):
        try:
            stamp = datetime.fromisoformat(raw)
        except (TypeError, ValueError):
            continue
        if stamp > cutoff:
            stamps.append(stamp)
    return stamps


def exit_is_cooling_down(request: HttpRequest) -> bool:
    """True after too many wrong passwords in the last few minutes."""
    return len(_recent_failures(request)) >= MAX_EXIT_FAILURES


def note_exit_failure(request: HttpRequest) -> None:
    stamps = [*_recent_failures(request), timezone.now()]
    request.session[FAILURES_KEY] = [s.isoformat() for s in stamps[-MAX_EXIT_FAILURES:]]
