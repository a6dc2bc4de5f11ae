"""iCalendar (RFC 5545) for sessions: a person's feed and one appointment's file.

What leaves Tandem here lands in calendar apps and their sync services, so an event
names no one: the service and the child's initials ("OT session · M.O."), the place
kind (clinic, home, school, video), the times in UTC and whether it was cancelled.
Nothing else — no names, no notes, no video address.
"""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from tandem.accounts.models import Membership

from .models import Appointment, AppointmentStatus, CalendarFeed

PRODUCT_ID = "-//Tandem//Sessions//EN"
FEED_PAST_DAYS, FEED_AHEAD_DAYS, FEED_LIMIT = 30, 180, 1000


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def new_feed(membership: Membership) -> str:
    """Give the member a new feed address (returned once), revoking any older one."""
    CalendarFeed.objects.filter(membership=membership, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(
        membership=membership,
        token_hash=hash_token(token),
    )
    return token


def revoke_feed(membership: Membership) -> int:
    """Stop the member's feed: its address answers 404 from now on."""
    return CalendarFeed.objects.filter(membership=membership, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def live_feed(membership: Membership) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(membership=membership, revoked_at__isnull=True).first()


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed at this address, with its member (active, with an active account)."""
    feed = (
        CalendarFeed.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .select_related("membership__user", "membership__organization")
        .first()
    )
    if feed is None or not feed.membership.is_active or not feed.membership.user.is_active:
        return None
    return feed


def initials(child: object) -> str:
    first = (getattr(child, "first_name", "") or "?")[:1]
    last = (getattr(child, "last_name", "") or "?")[:1]
    return f"{first}.{last}.".upper()


def event(appointment: Appointment) -> Event:
    encounter = appointment.encounter
    item = Event()
    item.add("uid", f"{appointment.id}@tandem")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", encounter.starts_at)
    item.add("dtend", encounter.ends_at)
    item.add(
        "summary",
        _("%(service)s · %(initials)s")
        % {
            "service": encounter.get_service_type_display(),
            "initials": initials(appointment.child),
        },
    )
    item.add("location", encounter.get_location_display())
    item.add("sequence", appointment.version + encounter.version)
    cancelled = appointment.status == AppointmentStatus.CANCELLED
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return item


def calendar(appointments: Iterable[Appointment], name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for appointment in appointments:
        cal.add_component(event(appointment))
    return cal.to_ical()


def feed_window() -> tuple[object, object]:
    now = timezone.now()
    return now - timedelta(days=FEED_PAST_DAYS), now + timedelta(days=FEED_AHEAD_DAYS)
