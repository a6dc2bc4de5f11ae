"""Break-glass access: a clinician outside a child's care team opens the record in an emergency.

A therapist of the clinic who is not on the child's care team finds the child by full name
and date of birth and states why; the grant (``EmergencyAccess``) lets them read the record
— never change it — for a few hours (``TANDEM_EMERGENCY_ACCESS_HOURS``, 4 by default), or
until they end it. The clinic's admins and the child's lead therapist are told at once, and
an admin reviews every grant afterwards. Every search is kept (``EmergencySearch``), so
fishing for children by name shows. The access kernel (``tandem.access.relation``) reads
the active grants; nothing here asks who the caller is (the entry points do).
"""

import datetime
from collections.abc import Collection
from typing import Any, NoReturn, Self

from django.conf import settings
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Q
from django.db.models.sql.compiler import SQLCompiler
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Membership, Organization
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.models import NoBulkWriteQuerySet, TandemModel

DEFAULT_HOURS = 4
# A reason someone else can judge later: "emergency" alone is not one.
MIN_REASON = 15
MAX_REASON = 1000


def access_hours() -> int:
    """How long a grant lasts (``TANDEM_EMERGENCY_ACCESS_HOURS``, 4 hours by default)."""
    return int(getattr(settings, "TANDEM_EMERGENCY_ACCESS_HOURS", DEFAULT_HOURS))


class ClockNow(models.Value):
    """The clock's instant when the query runs, not when it was built.

    ``visible_children`` builds a member's query once and reuses it, so a grant must end at
    its hour even in a query built before; the database's own NOW() would not follow the
    clock the tests travel with."""

    def __init__(self) -> None:
        super().__init__(None, output_field=models.DateTimeField())

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        field = models.DateTimeField()
        return "%s", [field.get_db_prep_value(clock.now(), connection)]


class Outcome(models.TextChoices):
    """An admin's finding about one emergency access."""

    APPROPRIATE = "appropriate", _("Appropriate")
    NOT_APPROPRIATE = "not_appropriate", _("Not appropriate")


class EmergencyAccessQuerySet(NoBulkWriteQuerySet):
    """Named scopes; who sees which grants is ``access.py``'s."""

    def in_organization(self, organization_id: Any) -> Self:
        return self.filter(organization_id=organization_id)

    def held_by(self, membership: Membership) -> Self:
        return self.filter(organization_id=membership.organization_id, member=membership)

    def active(self, now: datetime.datetime | None = None) -> Self:
        """Grants begun, not past their hour and not ended (at ``now``, else when run)."""
        moment: Any = now or ClockNow()
        return self.filter(ended_at__isnull=True, started_at__lte=moment, expires_at__gt=moment)

    def awaiting_review(self) -> Self:
        return self.filter(reviewed_at__isnull=True)

    def delete(self) -> NoReturn:
        raise TypeError("Emergency access is kept: it cannot be deleted through the app.")


class EmergencyAccess(TandemModel):
    """One clinician's emergency access to one child's record, and its review."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="emergency_access")
    member = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="emergency_access"
    )
    reason = models.TextField(_("reason"), max_length=MAX_REASON)
    started_at = models.DateTimeField(_("started"))
    expires_at = models.DateTimeField(_("until"))
    # Ended before its hour: by the clinician ("End now"), or by an admin's review.
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    review_comment = models.TextField(_("review comment"), max_length=2000, blank=True)

    # Every grant, end and review is kept as a version: the child's audit trail shows them.
    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = EmergencyAccessQuerySet.as_manager()

    # What the grant was, once given: only its end and its review are written later.
    FROZEN = ("organization_id", "child_id", "member_id", "reason", "started_at", "expires_at")

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency access")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("started_at")), name="emergency_access_has_a_length"
            ),
            # A review states its outcome; an outcome is a review's.
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True, outcome="")
                | (Q(reviewed_at__isnull=False) & ~Q(outcome="")),
                name="emergency_review_has_an_outcome",
            ),
        ]
        indexes = [
            # The kernel, on a therapist's every request: their grants not past their hour.
            models.Index(fields=["organization", "member", "expires_at"]),
            # The admins' queue: grants awaiting review, newest first.
            models.Index(fields=["organization", "reviewed_at", "-started_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} may read {self.child_id} until {self.expires_at:%Y-%m-%d %H:%M}"

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Self:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._remember()
        return instance

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            given: dict[str, Any] = getattr(self, "_as_given", {})
            changed = [
                name
                for name in self.FROZEN
                if given.get(name, getattr(self, name)) != getattr(self, name)
            ]
            if changed:
                raise TypeError(f"An emergency access is kept as given: {', '.join(changed)}.")
        super().save(*args, **kwargs)
        self._remember()

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("Emergency access is kept: it cannot be deleted through the app.")

    def _remember(self) -> None:
        self._as_given = {
            name: getattr(self, name) for name in self.FROZEN if name in self.__dict__
        }

    @property
    def ends_at(self) -> datetime.datetime:
        """When it stopped or stops: ended early, else its hour."""
        return self.ended_at or self.expires_at

    def is_active(self, now: datetime.datetime | None = None) -> bool:
        now = now or clock.now()
        return self.ended_at is None and self.started_at <= now < self.expires_at

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None


class SearchOutcome(models.TextChoices):
    FOUND = "found", _("Found the child")
    NO_MATCH = "no_match", _("No child matched")
    TOO_MANY = "too_many", _("Refused: too many searches")


class EmergencySearch(TandemModel):
    """One search for a child to open in an emergency: what was typed, by whom, and what it
    found. Kept, never changed, so admins see fishing for names."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    outcome = models.CharField(max_length=10, choices=SearchOutcome.choices)
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The limit: one member's searches that found nothing, in the last hour.
            models.Index(fields=["organization", "member", "created_at"]),
            # The admins' list of searches that found nothing, newest first.
            models.Index(fields=["organization", "outcome", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} searched at {self.created_at:%Y-%m-%d %H:%M}: {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Emergency searches are kept as they happened.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("Emergency searches cannot be deleted through the app.")


def opened_in_emergency(membership: Membership) -> "models.QuerySet[EmergencyAccess, Any]":
    """The ids of the children this member holds an active grant for (a subquery for the
    kernel's scope: it costs no query of its own, and reads the clock when it runs)."""
    return EmergencyAccess.objects.held_by(membership).active().values("child_id")
