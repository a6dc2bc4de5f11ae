"""What time and day it is for a clinic or a person: the one place that answers.

"Today" is the clinic's local date (``Organization.timezone``), never the server's date
and never UTC's: a therapist in Chicago at 19:30 is still on today's date although UTC
is already tomorrow. People have no time zone of their own; they live on their clinic's.

- ``today()`` / ``local_now()``: in a request, on the clinic's clock (the membership
  middleware and API authentication activate the clinic's time zone).
- ``today_for(org)`` / ``today_for_member(membership)``: anywhere (tasks, the demo,
  tests), for a given clinic or person.
- ``now()``: the instant (aware, UTC), for timestamps.

Product code, the demo and the tests ask here; ruff bans ``date.today()``,
``datetime.now()`` and ``timezone.localdate()`` elsewhere (see pyproject.toml).
"""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone


def now() -> datetime.datetime:
    """The current instant, aware (UTC)."""
    return timezone.now()


def zone_for(organization: Any) -> ZoneInfo:
    """The clinic's time zone (a clinic, or a zone's name such as "America/Chicago")."""
    return ZoneInfo(organization if isinstance(organization, str) else organization.timezone)


def local_now(organization: Any = None, at: datetime.datetime | None = None) -> datetime.datetime:
    """``at`` (default: now) on the clinic's clock; without a clinic, on the active one."""
    at = at or now()
    if organization is None:
        return timezone.localtime(at)
    return at.astimezone(zone_for(organization))


def today_for(organization: Any, at: datetime.datetime | None = None) -> datetime.date:
    """The clinic's date at ``at`` (default: now)."""
    return local_now(organization, at).date()


def today_for_member(membership: Any, at: datetime.datetime | None = None) -> datetime.date:
    """The date a member lives on: their clinic's."""
    return today_for(membership.organization, at)


def today() -> datetime.date:
    """Today on the active clinic's clock (in a request: the signed-in member's clinic)."""
    return timezone.localdate()  # noqa: TID251 (the one place that may)


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` on the active clinic's clock, aware."""
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min), timezone.get_current_timezone()
    )
