"""Session reminders: the day before, to each family, with a link to confirm or cancel.

The dispatcher (``notifications.dispatch``, every few minutes) calls
``send_appointment_reminders``: each session still booked that starts in the next 24
hours and has not been reminded gets one reminder per guardian — in the app, by email
(which waits out the person's quiet hours) and, for a guardian who asked to be
contacted by text and gave a phone number, a text message. A text is never sent in
someone's quiet hours: while any recipient is in theirs, the reminder waits (until at
most 3 hours before the start). ``reminded_at`` makes it once per appointment.

The link (``reply_link``) is signed (the clinic, the appointment and the guardian),
needs no sign-in and does one thing: confirm, or cancel (a cancellation inside the
clinic's late-cancellation window is recorded as late, and the page says so first).
"""

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from tandem.children.models import ContactMethod, GuardianLink
from tandem.notifications.access import preferences_of
from tandem.notifications.actions import notify
from tandem.notifications.models import Kind
from tandem.notifications.quiet import local_time, quiet_until
from tandem.notifications.sms import send_sms

from .models import Appointment, AppointmentStatus

logger = logging.getLogger(__name__)
AHEAD = datetime.timedelta(hours=24)
LAST_CALL = datetime.timedelta(hours=3)  # quiet hours are not waited out past this
SALT = "tandem.appointments.reply"
MAX_AGE = 60 * 60 * 24 * 14


def reply_token(appointment: Appointment, guardian_id: Any) -> str:
    ids = [str(appointment.organization_id), str(appointment.pk), str(guardian_id)]
    return signing.dumps(ids, salt=SALT, compress=True)


def read_reply_token(token: str) -> tuple[str, str, str] | None:
    try:
        org, appointment, guardian = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        return str(org), str(appointment), str(guardian)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def reply_link(appointment: Appointment, guardian_id: Any) -> str:
    return reverse("appointments:reply", args=[reply_token(appointment, guardian_id)])


def _when(appointment: Appointment, zone: str, language: str) -> str:
    with translation.override(language):
        local = local_time(appointment.starts_at, zone)
        return formats.date_format(local, "l j F, H:i")


def send_appointment_reminders(now: datetime.datetime) -> int:
    """Remind the families of the sessions of the next 24 hours; return how many sessions."""
    due = list(
        Appointment.objects.filter(
            status=AppointmentStatus.SCHEDULED,
            reminded_at__isnull=True,
            encounter__starts_at__gt=now,
            encounter__starts_at__lte=now + AHEAD,
            child__archived_at__isnull=True,
        )
        .select_related("encounter", "child", "organization")
        .order_by("encounter__starts_at")[:500]
    )
    if not due:
        return 0
    links: dict[Any, list[GuardianLink]] = {}
    for link in GuardianLink.objects.filter(
        child_id__in={a.child_id for a in due}, guardian__is_active=True
    ).select_related("guardian__user", "guardian__organization"):
        if link.organization_id == link.guardian.organization_id:
            links.setdefault(link.child_id, []).append(link)
    preferences = preferences_of([g.guardian for ls in links.values() for g in ls])
    sent = 0
    for appointment in due:
        family = links.get(appointment.child_id, [])
        zone = appointment.organization.timezone
        local_now = local_time(now, zone)
        quiet = any(
            quiet_until(p.quiet_start, p.quiet_end, local_now)
            for p in (preferences[link.guardian_id] for link in family)
        )
        if quiet and appointment.starts_at - now > LAST_CALL:
            continue  # wait for the end of someone's quiet hours
        with transaction.atomic():
            # Bookkeeping, not an edit of the appointment: no new version.
            claimed = Appointment._base_manager.filter(
                organization_id=appointment.organization_id, pk=appointment.pk, reminded_at=None
            ).update(reminded_at=now)
            if not claimed:
                continue  # another dispatcher run sent it
            for link in family:
                preference = preferences[link.guardian_id]
                own_quiet = quiet_until(preference.quiet_start, preference.quiet_end, local_now)
                _remind(appointment, link, zone, own_quiet is not None)
        sent += 1
    return sent


def _remind(appointment: Appointment, link: GuardianLink, zone: str, quiet: bool) -> None:
    guardian = link.guardian
    language = guardian.user.language or appointment.organization.locale
    when = _when(appointment, zone, language)
    url = reply_link(appointment, guardian.pk)
    notify([guardian], Kind.APPOINTMENT_REMINDER, child=appointment.child, detail=when, url=url)
    if link.contact_method == ContactMethod.TEXT and guardian.phone and not quiet:
        name = appointment.child.preferred_name or appointment.child.first_name
        with translation.override(language):
            body = translation.gettext(
                "%(clinic)s: %(child)s's session is %(when)s. Confirm or cancel: %(link)s"
            ) % {
                "clinic": appointment.organization.name,
                "child": name,
                "when": when,
                "link": settings.SITE_URL + url,
            }
        transaction.on_commit(lambda: _text(guardian.phone, body))


def _text(to: str, body: str) -> None:
    """Send one text; a provider's failure is logged and stops nothing else (the
    reminder is in the app and the email regardless)."""
    try:
        send_sms(to, body)
    except Exception:
        logger.exception("Could not send a session reminder by text")


def now_is_late(appointment: Appointment, now: datetime.datetime | None = None) -> bool:
    """Whether cancelling now falls inside the clinic's late-cancellation window."""
    hours = appointment.organization.late_cancel_hours or 0
    # As ``actions.record_cancellation`` decides it.
    return appointment.starts_at - (now or timezone.now()) < datetime.timedelta(hours=hours)
