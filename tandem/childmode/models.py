"""Child mode: what the child picked on their choice board, kept for the therapist."""

from typing import Any, Self

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Membership, Organization
from tandem.children.models import Child
from tandem.core.models import TandemModel


class ChoiceSource(models.TextChoices):
    HOME_ACTIVITY = "home_activity", _("Home activity")
    INTEREST = "interest", _("Something the child likes")


class ChoiceWasMade(Exception):
    """A recorded choice is the child's own words at that moment: it is never edited."""


class ChildChoiceQuerySet(models.QuerySet["ChildChoice"]):
    def visible_to(self, membership: Membership) -> Self:
        """Every pick the member may read across the clinic: the staff on each child's
        team (``childmode.read_choices``); none for anyone else."""
        from tandem.access import rule_for, visible_children

        from .rules import READ_CHOICES

        if membership.role not in rule_for(READ_CHOICES).roles:
            return self.none()
        children = visible_children(membership).values("pk")
        return self.filter(organization_id=membership.organization_id, child__in=children)

    def for_child(self, child: Child) -> Self:
        return self.filter(child=child)


class ChildChoice(TandemModel):
    """One pick on the child-mode choice board. Never edited; the therapist reads them."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(_("activity"), max_length=200)
    source = models.CharField(_("from"), max_length=20, choices=ChoiceSource.choices)
    # The home activity picked, when it came from the home program. A plain id, not a
    # foreign key: the choice stays readable when the activity is later archived.
    home_activity_id = models.UUIDField(null=True, blank=True)
    chosen_at = models.DateTimeField(default=timezone.now)
    # The adult whose signed-in device the child was using.
    during_session_of = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    objects = ChildChoiceQuerySet.as_manager()
    # Not stored: made after the child's last signed session (``reading.recent_choices``).
    is_new: bool = False

    class Meta:
        ordering = ["-chosen_at"]
        indexes = [
            # The therapist's "the child chose…" list: a child's latest choices.
            models.Index(fields=["organization", "child", "chosen_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.chosen_at:%Y-%m-%d})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ChoiceWasMade("A recorded choice is not changed.")
        super().save(*args, **kwargs)
