"""The child's conversation with the family, hand-offs between professionals, check-ins."""

import datetime
import uuid
from collections.abc import Callable
from pathlib import PurePath
from typing import Self

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Membership, Organization
from tandem.children.models import Child
from tandem.core.models import NoBulkWriteQuerySet, TandemModel

MESSAGE_MAX_LENGTH = 5000


class ChildRecordQuerySet(models.QuerySet):
    """Records about a child, read under one rule (``reader_rule``): ``visible_to`` is
    every such record the member may read across the clinic — those of the children they
    see, for the roles the rule admits — and ``for_child`` narrows it to one child."""

    reader_rule = ""

    def visible_to(self, membership: Membership) -> Self:
        from tandem.access import rule_for, visible_children

        clinic = self.filter(organization_id=membership.organization_id)
        if membership.role not in rule_for(self.reader_rule).roles:
            return clinic.none()
        return clinic.filter(child__in=visible_children(membership).values("pk"))

    def for_child(self, child: Child) -> Self:
        return self.filter(child=child)


class MessageQuerySet(ChildRecordQuerySet):
    reader_rule = "messaging.view"


class TimelineQuerySet(ChildRecordQuerySet):
    """Hand-offs and check-in answers: the team's side of the tab."""

    reader_rule = "messaging.timeline"


class Message(TandemModel):
    """One message in a child's conversation between the family and the care team.

    Messages are never edited; what was said stays said.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    # Whether a guardian wrote it (kept, since a person's role may change later).
    from_family = models.BooleanField(default=False)
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH, blank=True)

    objects = MessageQuerySet.as_manager()
    # Who else has seen it, when the thread is read by the team (``reading.thread_page``).
    seen_by: list["MessageReceipt"]

    class Meta:
        ordering = ["created_at"]
        indexes = [
            # The thread page (newest first) and the unread counts: one child's messages.
            models.Index(fields=["organization", "child", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"Message {self.id} about {self.child_id}"


def attachment_path(instance: "MessageAttachment", filename: str) -> str:
    """Store under a random name: the person's file name is kept only as a label."""
    suffix = PurePath(filename).suffix.lower()[:8]
    folder = f"private/messages/{instance.organization_id}/{instance.child_id}"
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


class MessageAttachment(TandemModel):
    """A picture or PDF sent with a message; served only through the access layer."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="message_attachments")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class MessageReceipt(TandemModel):
    """That one member has seen one message, and when ("Seen by Ana, 3 pm")."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="message_receipts")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="receipts")
    reader = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        ordering = ["seen_at"]
        constraints = [
            # A message is seen once per person; opening the thread again changes nothing.
            models.UniqueConstraint(fields=["message", "reader"], name="one_receipt_per_reader"),
        ]
        indexes = [
            # Unread counts: has this reader seen these messages?
            models.Index(fields=["organization", "reader", "message"]),
        ]

    def __str__(self) -> str:
        return f"{self.reader_id} saw {self.message_id}"


class Handoff(TandemModel):
    """A structured SBAR hand-off from one professional to a colleague. Never for families."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="handoffs")
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    situation = models.TextField(_("situation"), max_length=2000)
    background = models.TextField(_("background"), max_length=4000)
    assessment = models.TextField(_("assessment"), max_length=4000)
    recommendation = models.TextField(_("recommendation"), max_length=4000)

    objects = TimelineQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The staff timeline: one child's hand-offs, newest first.
            models.Index(fields=["organization", "child", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"Hand-off about {self.child_id}"


class Every(models.TextChoices):
    WEEKS = "weeks", _("weeks")
    MONTHS = "months", _("months")


class CheckInSchedule(TandemModel):
    """A recurring family check-in set by the therapist: every N weeks or months."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="checkin_schedule")
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    every = models.PositiveSmallIntegerField(
        _("every"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Every.choices, default=Every.MONTHS)
    next_due_on = models.DateField(_("next check-in on"))
    is_active = models.BooleanField(_("active"), default=True)
    # The due date the family was last reminded of, so each due date is reminded once.
    reminded_for = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoBulkWriteQuerySet.as_manager()
    # Added by simple_history: a save that leaves no version (bookkeeping).
    save_without_historical_record: Callable[..., None]

    class Meta:
        indexes = [
            # The reminder dispatcher: active schedules that fall due.
            models.Index(fields=["is_active", "next_due_on"]),
        ]

    def __str__(self) -> str:
        return f"Check-in every {self.every} {self.unit} for {self.child_id}"

    def is_due(self, today: datetime.date) -> bool:
        return self.is_active and self.next_due_on <= today

    def following(self, due: datetime.date) -> datetime.date:
        """The due date after ``due``."""
        if self.unit == Every.WEEKS:
            return due + datetime.timedelta(weeks=self.every)
        month = due.month - 1 + self.every
        year, month = due.year + month // 12, month % 12 + 1
        for day in (due.day, 30, 29, 28):  # the 31st becomes the month's last day
            try:
                return datetime.date(year, month, day)
            except ValueError:
                continue
        raise AssertionError("unreachable")


WELLBEING_LOW = 2


class CheckIn(TandemModel):
    """A family's answers to a check-in: how things are, what is hard, how they are doing."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="checkins")
    guardian = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    # The scheduled date this answers, when one was due.
    due_on = models.DateField(null=True, blank=True)
    at_home = models.TextField(_("How are things at home?"), max_length=3000, blank=True)
    hard = models.TextField(_("What is hard right now?"), max_length=3000, blank=True)
    would_help = models.TextField(_("What would help?"), max_length=3000, blank=True)
    wellbeing = models.PositiveSmallIntegerField(
        _("And how are you doing?"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    objects = TimelineQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The staff timeline: one child's check-ins, newest first.
            models.Index(fields=["organization", "child", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"Check-in about {self.child_id}"

    @property
    def needs_support(self) -> bool:
        """A caregiver who rated themselves low: the therapist is asked to reach out."""
        return self.wellbeing is not None and self.wellbeing <= WELLBEING_LOW
