"""iCalendar (RFC 5545) for sessions: a person's feed and one appointment's file.

A series is one recurring event (its RRULE) with its cancelled sessions as EXDATEs and
its changed ones as events with the RECURRENCE-ID they replace.

What leaves Tandem here lands in calendar apps and their sync services, so an event
names no one: the service and the child's initials ("OT session · M.O."), the place
kind (clinic, home, school, video), the times in UTC and whether it was cancelled.
Nothing else — no names, no notes, no video address.
"""

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDDDTypes, vRecur

from tandem.accounts.models import Membership

from .models import Appointment, AppointmentStatus, CalendarFeed

PRODUCT_ID = "-//Tandem//Sessions//EN"
FEED_PAST_DAYS, FEED_AHEAD_DAYS, FEED_LIMIT = 30, 180, 1000


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def new_feed(membership: Membership) -> str:
    """Give the member a new feed address (returned once), revoking any older one. The
    member's row is locked first: two clicks at once make one live address, not an error."""
    Membership.objects.select_for_update().filter(
        pk=membership.pk, organization_id=membership.organization_id
    ).first()
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


def calendar(
    appointments: Iterable[Appointment], name: str, *, series: bool = True, zone: str = "UTC"
) -> bytes:
    """A calendar of these appointments. With ``series``, the sessions of a series are one
    recurring event (its RRULE), its cancelled sessions EXDATEs and its changed ones
    events of their own with the RECURRENCE-ID they replace; without, one event each."""
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    recurring: dict[object, list[Appointment]] = defaultdict(list)
    for appointment in appointments:
        if series and appointment.encounter.series_id:
            recurring[appointment.encounter.series_id].append(appointment)
        else:
            cal.add_component(event(appointment))
    for sessions in recurring.values():
        for component in _recurring_events(sessions, ZoneInfo(zone)):
            cal.add_component(component)
    if recurring:
        cal.add_missing_timezones()
    return cal.to_ical()


def _recurring_events(sessions: list[Appointment], zone: ZoneInfo) -> list[Event]:
    """One series' master event and the exceptions to it."""
    sessions.sort(key=lambda a: a.encounter.recurrence_id or a.encounter.starts_at)
    first = sessions[0]
    rule = first.encounter.series
    assert rule is not None
    master = event(first)
    uid = f"{rule.id}@tandem"
    master["uid"] = uid
    # In the clinic's zone (TZID): the rule repeats on its wall clock across clock changes.
    start = rule.starts_at.astimezone(zone)
    master["dtstart"] = vDDDTypes(start)
    master["dtend"] = vDDDTypes(start + timedelta(minutes=rule.duration_minutes))
    master["status"] = "CONFIRMED"
    master.add("rrule", vRecur.from_ical(rule.rule))
    cancelled = [
        a.encounter.recurrence_id.astimezone(zone)
        for a in sessions
        if a.status == AppointmentStatus.CANCELLED and a.encounter.recurrence_id
    ]
    if cancelled:
        master.add("exdate", cancelled)
    found = [master]
    for appointment in sessions:
        encounter = appointment.encounter
        if appointment.status == AppointmentStatus.CANCELLED or encounter.recurrence_id is None:
            continue
        if (
            encounter.starts_at != encounter.recurrence_id
            or encounter.duration_minutes != rule.duration_minutes
            or encounter.service_type != first.encounter.service_type
            or encounter.location != first.encounter.location
        ):
            changed = event(appointment)
            changed["uid"] = uid
            changed.add("recurrence-id", encounter.recurrence_id.astimezone(zone))
            found.append(changed)
    return found


def feed_window() -> tuple[object, object]:
    now = timezone.now()
    return now - timedelta(days=FEED_PAST_DAYS), now + timedelta(days=FEED_AHEAD_DAYS)
