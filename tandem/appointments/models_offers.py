"""Times offered to a child's family to choose from (``offers.py``)."""

import uuid
from datetime import datetime, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Discipline, Membership, Organization
from tandem.children.models import Child
from tandem.core.models import NoBulkWriteQuerySet, TandemModel

from .models import (
    FAMILY_LOCATION,
    FAMILY_SERVICE,
    MAX_MINUTES,
    MIN_MINUTES,
    Appointment,
    Location,
    ServiceType,
)


class TimeOfferStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the family")
    TAKEN = "taken", _("Chosen by the family")
    NOT_CHOSEN = "not_chosen", _("Not chosen")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TimeOffer(TandemModel):
    """A time offered to a child's family to choose from. The times offered together
    share a ``batch``: the family takes one (it is booked) and the others close."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="time_offers")
    batch = models.UUIDField(default=uuid.uuid4, editable=False)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"),
        default=45,
        validators=[MinValueValidator(MIN_MINUTES), MaxValueValidator(MAX_MINUTES)],
    )
    therapist = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("therapist")
    )
    service_type = models.CharField(
        _("service"), max_length=20, choices=ServiceType.choices, default=ServiceType.INDIVIDUAL
    )
    discipline = models.CharField(_("discipline"), max_length=20, choices=Discipline.choices)
    location = models.CharField(
        _("where"), max_length=15, choices=Location.choices, default=Location.CLINIC
    )
    status = models.CharField(
        max_length=12, choices=TimeOfferStatus.choices, default=TimeOfferStatus.OPEN
    )
    offered_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    taken_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoBulkWriteQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["organization", "child", "status"])]

    def __str__(self) -> str:
        return f"Time offered {self.starts_at:%Y-%m-%d %H:%M} for {self.child_id}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def family_service(self) -> str:
        return str(FAMILY_SERVICE.get(self.service_type, self.get_service_type_display()))

    @property
    def family_location(self) -> str:
        return str(FAMILY_LOCATION.get(self.location, self.get_location_display()))
