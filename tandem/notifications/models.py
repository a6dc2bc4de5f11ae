"""In-app notifications, their emails, and what each person chooses to receive."""

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Membership, Organization
from tandem.children.models import Child
from tandem.core.models import TandemModel

if TYPE_CHECKING:
    from .reading import Words


class Kind(models.TextChoices):
    NEW_MESSAGE = "new_message", _("New message")
    NEW_REPORT = "new_report", _("New report")
    CHECKIN_DUE = "checkin_due", _("Check-in reminder")
    PRACTICE_REMINDER = "practice_reminder", _("Practice reminder")
    HANDOFF = "handoff", _("Hand-off from a colleague")
    CHECKIN_ANSWERED = "checkin_answered", _("Check-in answered")
    CHECKIN_FLAG = "checkin_flag", _("Family may need support")
    WORKSHOP_PLACE = "workshop_place", _("A workshop place from the waitlist")
    COSIGN_NEEDED = "cosign_needed", _("A note to co-sign")
    NOTE_RETURNED = "note_returned", _("A note sent back to you")
    APPOINTMENT_REMINDER = "appointment_reminder", _("Session reminder")
    GROUP_INVITATION = "group_invitation", _("An invitation to a group")
    TIMES_OFFERED = "times_offered", _("Times offered for a session")
    EMERGENCY_ACCESS = "emergency_access", _("Emergency access to a record")
    QUESTIONNAIRE_ASKED = "questionnaire_asked", _("A questionnaire to fill")
    RECORD_READY = "record_ready", _("A child's full record to download")


class EmailState(models.TextChoices):
    NONE = "none", _("Not emailed")
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not needed any more")
    FAILED = "failed", _("Could not be sent")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, membership: Membership) -> "NotificationQuerySet":
        """The member's own notifications, about no child or a child they may still see."""
        from tandem.access import visible_children

        return self.filter(
            models.Q(child__isnull=True)
            | models.Q(child__in=visible_children(membership).values("pk")),
            organization_id=membership.organization_id,
            recipient=membership,
        )


class Notification(TandemModel):
    """Something one member should know about, shown in the app and perhaps emailed."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    recipient = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="notifications"
    )
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Who caused it, as named when it happened (a display name, never shown to outsiders).
    actor_name = models.CharField(max_length=200, blank=True)
    # A short label given by whoever raised it, e.g. the name of a report.
    detail = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(
        max_length=10, choices=EmailState.choices, default=EmailState.NONE
    )
    # Not before this moment: the end of the recipient's quiet hours, or "now".
    email_due_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    objects = NotificationQuerySet.as_manager()
    # How it reads (``reading.describe``), set by the list page.
    words: "Words"

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The badge and the list: one member's unread notifications, newest first.
            models.Index(fields=["organization", "recipient", "read_at"]),
            # The dispatcher: emails whose quiet hours are over.
            models.Index(fields=["email_state", "email_due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


def _clock(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


def default_quiet_start() -> datetime.time:
    return _clock(settings.NOTIFICATION_QUIET_START)


def default_quiet_end() -> datetime.time:
    return _clock(settings.NOTIFICATION_QUIET_END)


def default_practice_time() -> datetime.time:
    return _clock(settings.PRACTICE_REMINDER_DEFAULT_TIME)


WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


class Preference(TandemModel):
    """What one member wants to hear about, how, and when not to be disturbed.

    A member without a row gets the defaults (everything on, by email, quiet 21:00–07:30).
    Some notices are always given whatever the choices (they may still skip the email):
    a family that may need support, and a workshop place a family waited for.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    member = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="notification_preference"
    )
    practice_reminders = models.BooleanField(_("home practice reminders"), default=True)
    # Weekday numbers (Monday is 0), comma-separated.
    practice_days = models.CharField(_("on these days"), max_length=20, default="0,1,2,3,4")
    practice_time = models.TimeField(_("at this time"), default=default_practice_time)
    new_messages = models.BooleanField(_("new messages"), default=True)
    new_reports = models.BooleanField(_("new progress reports"), default=True)
    checkin_reminders = models.BooleanField(_("check-in reminders"), default=True)
    by_email = models.BooleanField(_("also send these by email"), default=True)
    quiet_start = models.TimeField(_("quiet from"), default=default_quiet_start)
    quiet_end = models.TimeField(_("quiet until"), default=default_quiet_end)
    # The local date of the last practice reminder, so that each day gets at most one.
    last_practice_reminder_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Notification preferences of {self.member_id}"

    @property
    def day_numbers(self) -> set[int]:
        return {int(d) for d in self.practice_days.split(",") if d.strip().isdigit()}

    def wants(self, kind: str) -> bool:
        """Whether this member wants notifications of this kind at all."""
        wanted: dict[str, bool] = {
            Kind.NEW_MESSAGE: self.new_messages,
            Kind.HANDOFF: self.new_messages,
            Kind.CHECKIN_ANSWERED: self.new_messages,
            Kind.NEW_REPORT: self.new_reports,
            Kind.CHECKIN_DUE: self.checkin_reminders,
            Kind.PRACTICE_REMINDER: self.practice_reminders,
            # The family asked for it by joining the waitlist; unaware, they would miss it.
            Kind.WORKSHOP_PLACE: True,
        }
        return wanted.get(kind, True)  # a family that may need support is always flagged
