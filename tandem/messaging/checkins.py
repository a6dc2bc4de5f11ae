"""Check-in reminders, run by the periodic dispatcher (see notifications/dispatch.py)."""

import datetime

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse

from tandem.notifications.actions import guardians_of, notify
from tandem.notifications.models import Kind
from tandem.notifications.quiet import local_time

from .models import CheckInSchedule


def remind_due_checkins(now: datetime.datetime) -> int:
    """Tell each family once when its check-in falls due (on the clinic's calendar)."""
    latest_today = now.date() + datetime.timedelta(days=1)  # the furthest-ahead clinic's date
    schedules = (
        CheckInSchedule.objects.filter(
            is_active=True, next_due_on__lte=latest_today, child__archived_at__isnull=True
        )
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("next_due_on")))
        .select_related("organization", "child")
    )
    reminded = 0
    for schedule in schedules:
        today = local_time(now, schedule.organization.timezone).date()
        if not schedule.is_due(today):
            continue
        with transaction.atomic():
            # Claimed first, by one conditional write: of two runs at the same moment (two
            # machines) only one sends it. Bookkeeping, not an edit: no new version.
            claimed = (
                CheckInSchedule._base_manager.filter(
                    organization_id=schedule.organization_id,
                    pk=schedule.pk,
                    next_due_on=schedule.next_due_on,
                )
                .exclude(reminded_for=schedule.next_due_on)
                .update(reminded_for=schedule.next_due_on, updated_at=now)
            )
            if not claimed:
                continue
            notify(
                guardians_of(schedule.child),
                Kind.CHECKIN_DUE,
                child=schedule.child,
                url=reverse("messaging:checkin", args=[schedule.child_id]),
                now=now,
            )
        reminded += 1
    return reminded
