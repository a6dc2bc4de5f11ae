"""Appointments: when a child sees a therapist, where, and whether it happened."""

from datetime import datetime, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Discipline, Membership, Organization
from tandem.children.models import Child
from tandem.core.models import NoBulkWriteQuerySet, TandemModel

# The values match the session note's service and location choices, so a note can
# start from an appointment without translating between the two.


class ServiceType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual therapy")
    GROUP = "group", _("Group therapy")
    EVALUATION = "evaluation", _("Evaluation")
    RE_EVALUATION = "re_evaluation", _("Re-evaluation")
    CONSULTATION = "consultation", _("Consultation")


class Location(models.TextChoices):
    CLINIC = "clinic", _("Clinic")
    HOME = "home", _("Home")
    SCHOOL = "school", _("School")
    TELETHERAPY = "teletherapy", _("Teletherapy")


class AppointmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    MISSED = "missed", _("Missed")


# How the family reads the service, the place and the status (plain words).
FAMILY_SERVICE: dict[str, Promise] = {
    ServiceType.INDIVIDUAL: _("Therapy session"),
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
MIN_MINUTES, MAX_MINUTES = 5, 480


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


class Appointment(TandemModel):
    """One appointment of one child with one therapist, at a time in the clinic's zone."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="appointments")
    therapist = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("therapist"),
    )
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
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "created_at"]
        indexes = [
            # A child's appointments by time; a family's next appointment per child.
            models.Index(fields=["organization", "child", "starts_at"]),
            # A therapist's week, and the overlap check when booking.
            models.Index(fields=["organization", "therapist", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=MIN_MINUTES, duration_minutes__lte=MAX_MINUTES),
                name="appointment_duration_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} with {self.therapist.display_name} at {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("appointments:child", args=[self.child_id]) + f"#appt-{self.id}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

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
