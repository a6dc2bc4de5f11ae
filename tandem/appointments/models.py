"""Sessions (encounters) and appointments: when and where a session is, who runs it, which
children take part, and whether each child came.

An **encounter** is one session: a time, a place (a room, home, school or a video room),
a service and its therapists (a co-treatment has two). An **appointment** is one child's
part in it: booked, cancelled, attended or missed. An individual session has one
appointment; a group has several. Each child's session note hangs off the encounter
(``SessionNote.encounter``), so appointment → note → (later) charges is one chain.
"""

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Discipline, Membership, Organization
from tandem.children.models import Child
from tandem.core.models import NoBulkWriteQuerySet, TandemModel

# The session note uses these service and location choices too, so a note starts from
# its session without translating between the two.


class ServiceType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual therapy")
    CO_TREATMENT = "co_treatment", _("Co-treatment (two therapists)")
    GROUP = "group", _("Group therapy")
    EVALUATION = "evaluation", _("Evaluation")
    RE_EVALUATION = "re_evaluation", _("Re-evaluation")
    CAREGIVER_TRAINING = "caregiver_training", _("Caregiver training (without the child)")
    CONSULTATION = "consultation", _("Consultation")


class Location(models.TextChoices):
    CLINIC = "clinic", _("Clinic")
    HOME = "home", _("Home")
    SCHOOL = "school", _("School")
    TELETHERAPY = "teletherapy", _("Video (teletherapy)")


class AppointmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    MISSED = "missed", _("Missed")


# How the family reads the service, the place and the status (plain words).
FAMILY_SERVICE: dict[str, Promise] = {
    ServiceType.INDIVIDUAL: _("Therapy session"),
    ServiceType.CO_TREATMENT: _("Therapy session with two therapists"),
    ServiceType.CAREGIVER_TRAINING: _("Session for parents and carers"),
    ServiceType.GROUP: _("Group session"),
    ServiceType.EVALUATION: _("Evaluation (a first, longer look at how things are going)"),
    ServiceType.RE_EVALUATION: _("Check-up evaluation"),
    ServiceType.CONSULTATION: _("Meeting with the team"),
}
FAMILY_LOCATION: dict[str, Promise] = {
    Location.CLINIC: _("At the clinic"),
    Location.HOME: _("At home"),
    Location.SCHOOL: _("At school"),
    Location.TELETHERAPY: _("Video call (teletherapy)"),
}
FAMILY_STATUS: dict[str, Promise] = {
    AppointmentStatus.SCHEDULED: _("Booked"),
    AppointmentStatus.CANCELLED: _("Cancelled"),
    AppointmentStatus.ATTENDED: _("Attended"),
    AppointmentStatus.MISSED: _("Missed"),
}
# Statuses that hold the therapist's time (a cancelled slot is free again).
BUSY_STATUSES = (AppointmentStatus.SCHEDULED, AppointmentStatus.ATTENDED)
MIN_MINUTES: int = 5
MAX_MINUTES: int = 480


def video_room_id() -> str:
    """An unguessable room name for a video session (about 128 bits)."""
    return secrets.token_urlsafe(16)


class Room(TandemModel):
    """A room of the clinic that sessions are booked into (one session at a time)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=80)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            # The room picker shows names: two rooms of one clinic never share one.
            models.UniqueConstraint(fields=["organization", "name"], name="room_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class WorkingHours(TandemModel):
    """A block of a therapist's working week (clinic time): Monday 09:00–12:30. Several
    blocks a day for a split day. A therapist with none set is bookable at any time."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    therapist = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("day"))  # 0 = Monday
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6) & models.Q(starts__lt=models.F("ends")),
                name="working_hours_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.therapist_id} {self.weekday} {self.starts}-{self.ends}"


class TimeOff(TandemModel):
    """A therapist away (leave, training, sickness): no session is booked with them then."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    therapist = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason (staff only)"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="time_off_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.therapist_id} away {self.starts_at}–{self.ends_at}"


class Series(TandemModel):
    """A child's recurring sessions: an RFC 5545 rule from a first start (clinic time).

    Its sessions are booked ahead, each an encounter with the occurrence it stands for
    (``recurrence_id``: the start the rule gave it), so each can be changed or cancelled
    on its own; a change "from this one on" ends the series there and starts a new one.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="series")
    rule = models.CharField(_("repeats"), max_length=200)  # e.g. FREQ=WEEKLY;COUNT=10
    starts_at = models.DateTimeField(_("first session"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=45)
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoBulkWriteQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.rule} from {self.starts_at:%Y-%m-%d %H:%M}"


class EncounterQuerySet(NoBulkWriteQuerySet):
    def busy(self) -> "EncounterQuerySet":
        """Sessions that hold time: a child still booked or attended, or no child at all
        (a session every child was cancelled from is free again)."""
        taking_part = Appointment.objects.filter(
            organization_id=OuterRef("organization_id"), encounter=OuterRef("pk")
        )
        return self.filter(
            Exists(taking_part.filter(status__in=BUSY_STATUSES)) | ~Exists(taking_part)
        )


class Encounter(TandemModel):
    """One session: when, where, what service, which therapists. Children take part
    through their appointments (``participants``)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"),
        default=45,
        validators=[MinValueValidator(MIN_MINUTES), MaxValueValidator(MAX_MINUTES)],
    )
    service_type = models.CharField(
        _("service"), max_length=20, choices=ServiceType.choices, default=ServiceType.INDIVIDUAL
    )
    discipline = models.CharField(_("discipline"), max_length=20, choices=Discipline.choices)
    location = models.CharField(
        _("where"), max_length=15, choices=Location.choices, default=Location.CLINIC
    )
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("room")
    )
    therapist = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="encounters",
        verbose_name=_("therapist"),
    )
    co_therapist = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="co_encounters",
        verbose_name=_("second therapist"),
    )
    # The video room's name when the session is by video (see ``video_url``).
    video_room = models.CharField(max_length=40, blank=True, default="")
    # A recurring session: its series, and the start the rule gave it (RECURRENCE-ID).
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.PROTECT, related_name="encounters"
    )
    recurrence_id = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = EncounterQuerySet.as_manager()
    # Its versions are in the trail of each child taking part (tandem.audit.versions).
    history_children = ("appointments.Appointment", "encounter_id")

    class Meta:
        ordering = ["starts_at", "created_at"]
        indexes = [
            # A therapist's week, and the overlap check when booking.
            models.Index(fields=["organization", "therapist", "starts_at"]),
            # The same for the second therapist of a co-treatment.
            models.Index(fields=["organization", "co_therapist", "starts_at"]),
            # A room's day, and the room's overlap check.
            models.Index(fields=["organization", "room", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=MIN_MINUTES, duration_minutes__lte=MAX_MINUTES),
                name="encounter_duration_in_range",
            ),
            # A co-treatment's two therapists are two people.
            models.CheckConstraint(
                condition=~Q(co_therapist=models.F("therapist")),
                name="encounter_two_different_therapists",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_type_display()} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_by_video(self) -> bool:
        return self.location == Location.TELETHERAPY

    def therapist_ids(self) -> set[Any]:
        return {i for i in (self.therapist_id, self.co_therapist_id) if i}

    def therapists(self) -> list[Membership]:
        return [t for t in (self.therapist, self.co_therapist) if t is not None]

    def video_url(self) -> str:
        """The session's video room: the clinic's address with this room's name, or ""."""
        template = self.organization.video_url_template
        if not (self.is_by_video and self.video_room and template):
            return ""
        return template.replace("{room}", self.video_room)

    def join_window(self) -> tuple[datetime, datetime]:
        """When the join button shows: from 15 minutes before the start to the end."""
        return self.starts_at - timedelta(minutes=JOIN_EARLY_MINUTES), self.ends_at


JOIN_EARLY_MINUTES = 15


class AppointmentQuerySet(NoBulkWriteQuerySet):
    def busy(self) -> "AppointmentQuerySet":
        return self.filter(status__in=BUSY_STATUSES)

    def visible_to(self, membership: Membership) -> "AppointmentQuerySet":
        """Every appointment the member may read across the clinic: those of the
        children they see (not archived), for the roles ``appointments.view`` admits."""
        from tandem.access import rule_for, visible_children

        clinic = self.filter(organization_id=membership.organization_id)
        if membership.role not in rule_for("appointments.view").roles:
            return clinic.none()
        return clinic.filter(child__in=visible_children(membership).active().values("pk"))

    def for_child(self, child: Child) -> "AppointmentQuerySet":
        return self.filter(child=child)

    def with_encounter(self) -> "AppointmentQuerySet":
        """With the session, its therapists and room loaded (what every list shows)."""
        return self.select_related(
            "encounter__therapist__user",
            "encounter__co_therapist__user",
            "encounter__room",
            "cancelled_by__user",
        )


class Appointment(TandemModel):
    """One child's part in a session (encounter): booked, cancelled, attended or missed.

    The session's time, place, service and therapists are the encounter's; the
    properties below read them, so a list of appointments reads like a schedule.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="participants")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="appointments")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.SCHEDULED,
    )
    note_for_family = models.TextField(
        _("note for the family"),
        blank=True,
        max_length=500,
        help_text=_("E.g. “Please bring comfortable shoes.” The family sees this."),
    )
    cancel_reason = models.CharField(
        _("reason for cancelling"),
        max_length=200,
        blank=True,
        help_text=_("The family sees this."),
    )
    # Who cancelled and when; a late cancellation came within the clinic's window.
    cancelled_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    late_cancel = models.BooleanField(_("late cancellation"), default=False)
    # The reminder sent to the family (once), and their answer from its link.
    reminded_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [
            # A child's appointments (joined to their sessions' times).
            models.Index(fields=["organization", "child"]),
        ]
        constraints = [
            # A child takes part in a session once.
            models.UniqueConstraint(
                fields=["encounter", "child"], name="appointment_one_per_child_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} in {self.encounter}"

    def get_absolute_url(self) -> str:
        return reverse("appointments:child", args=[self.child_id]) + f"#appt-{self.id}"

    # The session's fields, read through the appointment.

    @property
    def starts_at(self) -> datetime:
        return self.encounter.starts_at

    @property
    def ends_at(self) -> datetime:
        return self.encounter.ends_at

    @property
    def duration_minutes(self) -> int:
        return self.encounter.duration_minutes

    @property
    def therapist(self) -> Membership:
        return self.encounter.therapist

    @property
    def therapist_id(self) -> Any:
        return self.encounter.therapist_id

    @property
    def service_type(self) -> str:
        return self.encounter.service_type

    @property
    def discipline(self) -> str:
        return self.encounter.discipline

    @property
    def location(self) -> str:
        return self.encounter.location

    def get_service_type_display(self) -> str:
        return self.encounter.get_service_type_display()

    def get_discipline_display(self) -> str:
        return self.encounter.get_discipline_display()

    def get_location_display(self) -> str:
        return self.encounter.get_location_display()

    @property
    def is_upcoming(self) -> bool:
        return self.ends_at > timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.status == AppointmentStatus.CANCELLED

    @property
    def family_service(self) -> str:
        return str(FAMILY_SERVICE.get(self.service_type, self.get_service_type_display()))

    @property
    def family_location(self) -> str:
        return str(FAMILY_LOCATION.get(self.location, self.get_location_display()))

    @property
    def family_status(self) -> str:
        return str(FAMILY_STATUS.get(self.status, self.get_status_display()))


class CalendarFeed(TandemModel):
    """A person's calendar feed: their sessions at a secret address a calendar app reads
    (initials and the service only). Only the address's hash is kept; a new address
    revokes the old one. Like an API token it belongs to its member (and their clinic)."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One live address per person: making a new one revokes the old.
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_live_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.membership_id}"


# Times offered to a family to choose from (``models_offers.py``), registered with these.
from .models_offers import TimeOffer, TimeOfferStatus  # noqa: E402

__all__ = ["TimeOffer", "TimeOfferStatus"]
