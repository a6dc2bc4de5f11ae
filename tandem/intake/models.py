"""Referrals from the public form, the waitlist, and the first appointment offered.

A ``Referral`` belongs to one clinic and names no child record until the family accepts
an offer: then the child, their guardian (invited by email) and an evaluation session
are created together (``actions.accept_offer``). Until then it holds what the family
typed. Every change is versioned (``version`` detects concurrent triage; ``history``
keeps each state).
"""

import datetime
from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Discipline, Membership, Organization
from tandem.appointments.models import Encounter
from tandem.children.models import Child, Relationship, Sex
from tandem.core.models import NoBulkWriteQuerySet, TandemModel


class ReferralStatus(models.TextChoices):
    NEW = "new", _("New")
    INFO_REQUESTED = "info_requested", _("Information requested")
    WAITLISTED = "waitlisted", _("On the waitlist")
    OFFERED = "offered", _("Appointment offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


OPEN_STATUSES = (
    ReferralStatus.NEW,
    ReferralStatus.INFO_REQUESTED,
    ReferralStatus.WAITLISTED,
    ReferralStatus.OFFERED,
)


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    SOON = "soon", _("Soon")
    URGENT = "urgent", _("Urgent")


class Concern(models.TextChoices):
    COMMUNICATION = "communication", _("Talking and understanding")
    FEEDING = "feeding", _("Eating and drinking")
    FINE_MOTOR = "fine_motor", _("Hands: drawing, buttons, using a spoon")
    GROSS_MOTOR = "gross_motor", _("Moving: walking, running, balance")
    SENSORY = "sensory", _("Senses: noise, touch, textures")
    BEHAVIOUR = "behaviour", _("Behavior and big feelings")
    SOCIAL = "social", _("Playing and making friends")
    SELF_CARE = "self_care", _("Dressing, toileting, sleep")
    LEARNING = "learning", _("Learning and attention")


class Referrer(models.TextChoices):
    PARENT = "parent", _("A parent or caregiver")
    PHYSICIAN = "physician", _("A doctor")
    TEACHER = "teacher", _("A teacher or school")
    EARLY_INTERVENTION = "early_intervention", _("An early intervention program")
    OTHER = "other", _("Someone else")


class Funding(models.TextChoices):
    INSURANCE = "insurance", _("Private insurance")
    MEDICAID = "medicaid", _("Medicaid or CHIP")
    SCHOOL = "school", _("School district")
    EARLY_INTERVENTION = "early_intervention", _("Early intervention program")
    SELF_PAY = "self_pay", _("Paying ourselves (ask about the sliding scale)")
    UNSURE = "unsure", _("Not sure")


# Half-days a family can come in: Monday morning … Friday afternoon.
WEEKDAYS = (
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
)
HALVES = (("am", _("morning")), ("pm", _("afternoon")))
AVAILABILITY = [f"{day}_{half}" for day, _d in WEEKDAYS for half, _h in HALVES]


def half_day(moment: datetime.datetime) -> str:
    """The availability slot a local time falls in ("tue_am"); "" on a weekend."""
    if moment.weekday() > 4:
        return ""
    return f"{WEEKDAYS[moment.weekday()][0]}_{'am' if moment.hour < 12 else 'pm'}"


class Referral(TandemModel):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.NEW
    )
    # The child, as the family describes them.
    child_first_name = models.CharField(_("child's first name"), max_length=100)
    child_last_name = models.CharField(_("child's last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(
        _("sex"),
        max_length=1,
        choices=Sex.choices,
        help_text=_("Used to choose the growth charts."),
    )
    concerns = models.JSONField(_("what are you worried about?"), default=list)
    concerns_detail = models.TextField(_("tell us more"), max_length=3000, blank=True)
    disciplines = models.JSONField(_("therapy asked for"), default=list, blank=True)
    # Who refers, and how to reach the family.
    referrer = models.CharField(_("who is referring?"), max_length=20, choices=Referrer.choices)
    referrer_name = models.CharField(_("referrer's name"), max_length=200, blank=True)
    contact_name = models.CharField(_("your name"), max_length=200)
    relationship = models.CharField(
        _("relationship to the child"),
        max_length=20,
        choices=Relationship.choices,
        default=Relationship.PARENT,
    )
    contact_email = models.EmailField(_("email"))
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language for emails"), max_length=10, default="en")
    availability = models.JSONField(_("when can you come?"), default=list, blank=True)
    funding = models.CharField(
        _("how will therapy be paid?"), max_length=20, choices=Funding.choices
    )
    # Triage (front desk, admins).
    urgency = models.CharField(
        _("clinical urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    triage_note = models.TextField(_("triage note (staff only)"), max_length=2000, blank=True)
    info_request = models.TextField(_("what do you need to know?"), max_length=2000, blank=True)
    family_reply = models.TextField(_("your answer"), max_length=3000, blank=True)
    decline_reason = models.TextField(
        _("reason (the family reads it)"), max_length=2000, blank=True
    )
    triaged_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoBulkWriteQuerySet.as_manager()
    save_without_historical_record: Callable[..., None]

    class Meta:
        indexes = [models.Index(fields=["organization", "status", "waitlisted_at"])]

    def __str__(self) -> str:
        return f"Referral {self.pk} ({self.status})"

    @property
    def child_name(self) -> str:
        return f"{self.child_first_name} {self.child_last_name}".strip()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the family")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined by the family")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Offer(TandemModel):
    """A first appointment offered to a family on the waitlist."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="offers")
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=60)
    therapist = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    discipline = models.CharField(_("discipline"), max_length=20, choices=Discipline.choices)
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    made_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)
    # The child's record and the evaluation session, once the family accepted (the
    # offer's versions then belong to the child's audit trail).
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    encounter = models.ForeignKey(
        Encounter, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoBulkWriteQuerySet.as_manager()
    save_without_historical_record: Callable[..., None]

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(status="open"),
                name="one_open_offer_per_referral",
            )
        ]

    def __str__(self) -> str:
        return f"Offer {self.starts_at:%Y-%m-%d %H:%M} for {self.referral_id}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)
