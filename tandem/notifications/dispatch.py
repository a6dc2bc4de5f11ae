"""What the periodic dispatcher does every few minutes (``manage.py send_due_reminders``).

1. practice reminders: guardians whose children have active home activities, on their
   chosen days, at their chosen time (once a day; within a few hours of that time);
2. check-in reminders: families whose scheduled check-in has fallen due;
   session reminders: families of a session in the next 24 hours (``register_appointments``);
3. emails that waited for the end of someone's quiet hours (or a retry).

It runs across organizations (it is the system, not a member, that asks), each
clinic on its own clock. Every step is idempotent: running it twice sends nothing twice,
even two runs at the same moment (each reminder is claimed by a conditional write first).

The home program and messaging sit above this app (they notify people through it), so
they tell the dispatcher what is theirs at start-up, in their ``AppConfig.ready``:
``register_practice`` (which children have home practice) and ``register_checkins``
(the sender of due check-in reminders). Without them, those steps send nothing.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tandem.children.models import GuardianLink

from .access import preferences_of
from .actions import notify
from .delivery import deliver_email
from .models import EmailState, Kind, Notification
from .quiet import local_time

logger = logging.getLogger(__name__)
# A reminder more than this late (the worker was down) is skipped for the day.
PRACTICE_WINDOW = datetime.timedelta(hours=3)
EMAIL_BATCH = 500

PracticeSource = Callable[[datetime.datetime], Iterable[Any]]  # now -> child ids
CheckinSender = Callable[[datetime.datetime], int]  # now -> reminders sent
_practice_sources: list[PracticeSource] = []
_checkin_senders: list[CheckinSender] = []
_appointment_senders: list[CheckinSender] = []


def register_practice(source: PracticeSource) -> None:
    """Add a source of the children whose guardians may be reminded to practise."""
    if source not in _practice_sources:
        _practice_sources.append(source)


def register_checkins(sender: CheckinSender) -> None:
    """Add a sender of the check-in reminders due at a given instant."""
    if sender not in _checkin_senders:
        _checkin_senders.append(sender)


def register_appointments(sender: CheckinSender) -> None:
    """Add a sender of the session reminders due at a given instant (the appointments
    app's, which sits above this one)."""
    if sender not in _appointment_senders:
        _appointment_senders.append(sender)


@dataclass
class Dispatched:
    practice_reminders: int = 0
    checkin_reminders: int = 0
    appointment_reminders: int = 0
    emails_sent: int = 0


def dispatch_due(now: datetime.datetime | None = None) -> Dispatched:
    """Send every reminder and waiting email that is due at ``now``."""
    now = now or timezone.now()
    result = Dispatched()
    result.practice_reminders = send_practice_reminders(now)
    result.checkin_reminders = send_checkin_reminders(now)
    result.appointment_reminders = sum(send(now) for send in _appointment_senders)
    result.emails_sent = send_waiting_emails(now)
    return result


def children_with_home_practice(now: datetime.datetime) -> list:
    """Ids of children with active home practice (none while no home program registered)."""
    return [child_id for source in _practice_sources for child_id in source(now)]


def send_practice_reminders(now: datetime.datetime) -> int:
    """Remind guardians to practise, on their days at their time, once a day."""
    child_ids = children_with_home_practice(now)
    if not child_ids:
        return 0
    links = GuardianLink.objects.filter(
        child_id__in=child_ids,
        child__archived_at__isnull=True,
        guardian__is_active=True,
    ).select_related("child", "guardian__user", "guardian__organization")
    children_of = defaultdict(list)
    guardians = {}
    for link in links:
        if link.organization_id == link.guardian.organization_id:
            guardians[link.guardian_id] = link.guardian
            children_of[link.guardian_id].append(link.child)
    preferences = preferences_of(list(guardians.values()))
    sent = 0
    for guardian_id, guardian in guardians.items():
        preference = preferences[guardian_id]
        if not preference.practice_reminders:
            continue
        local_now = local_time(now, guardian.organization.timezone)
        today = local_now.date()
        if today.weekday() not in preference.day_numbers:
            continue
        at = datetime.datetime.combine(today, preference.practice_time, tzinfo=local_now.tzinfo)
        if not (at <= local_now < at + PRACTICE_WINDOW):
            continue
        if preference.last_practice_reminder_on == today:
            continue
        children = sorted(children_of[guardian_id], key=lambda c: c.first_name)
        names = ", ".join(c.preferred_name or c.first_name for c in children)
        with transaction.atomic():
            if not _claim_practice_reminder(preference, today, now):
                continue  # a run at the same moment (another machine) sent it
            notify(
                [guardian],
                Kind.PRACTICE_REMINDER,
                detail=names,
                url=_home_program_url(children),
                now=now,
            )
        sent += 1
    return sent


def _claim_practice_reminder(preference: Any, today: datetime.date, now: datetime.datetime) -> bool:
    """Mark today's practice reminder as sent, once: one conditional write, which the
    database serializes, so of two runs at the same moment only one claims it."""
    if preference._state.adding:  # the member never chose: their row is made now
        preference.last_practice_reminder_on = today
        try:
            with transaction.atomic():
                preference.save()
        except IntegrityError:
            return False  # the other run made it first (one row per member)
        return True
    claimed = (
        type(preference)
        ._base_manager.filter(pk=preference.pk)
        .exclude(last_practice_reminder_on=today)
        .update(last_practice_reminder_on=today, updated_at=now)
    )
    return claimed == 1


def _home_program_url(children: list) -> str:
    if len(children) == 1:
        try:
            return reverse("homeprogram:index", args=[children[0].pk])
        except Exception:  # the home program pages are not there yet
            return reverse("children:detail", args=[children[0].pk])
    return reverse("homeprogram:family_home")


def send_checkin_reminders(now: datetime.datetime) -> int:
    """Tell families once when their scheduled check-in falls due."""
    return sum(send(now) for send in _checkin_senders)


def send_waiting_emails(now: datetime.datetime) -> int:
    """Send the emails whose quiet hours are over (and retries that are due)."""
    waiting = list(
        Notification.objects.filter(email_state=EmailState.PENDING)
        .filter(Q(email_due_at__isnull=True) | Q(email_due_at__lte=now))
        .order_by("email_due_at")
        .values_list("pk", flat=True)[:EMAIL_BATCH]
    )
    return sum(1 for pk in waiting if deliver_email(str(pk), now))
