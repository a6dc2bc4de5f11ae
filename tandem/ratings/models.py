"""The family's and the child's own ratings of the child's goals, between sessions.

A guardian rates a goal on its Goal Attainment Scaling scale (−2 … +2) in the family's
words; the child rates it with faces in child mode. The therapist's level comes from the
signed session notes (``notes.GoalData.gas_level``); side by side they give three
T-scores over time (``scores.py``).

One rating per goal, kind of rater and day: rating again the same day replaces the level
(the record gets a new version; its history keeps the earlier one).
"""

from typing import Self

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Membership, Organization
from tandem.children.models import Child
from tandem.core.models import NoBulkWriteQuerySet, TandemModel
from tandem.plans.models import Goal

MAX_COMMENT = 500
LEVELS = range(-2, 3)


class Rater(models.TextChoices):
    FAMILY = "family", _("Family")
    CHILD = "child", _("Child")


class GoalRatingQuerySet(NoBulkWriteQuerySet):
    def visible_to(self, membership: Membership) -> Self:
        """Ratings of the children the member sees, for the roles ``ratings.view`` admits
        (the team and guardians); none for anyone else (collaborators, the office)."""
        from tandem.access import rule_for, visible_children

        from .rules import VIEW

        if membership.role not in rule_for(VIEW).roles:
            return self.none()
        return self.filter(
            organization_id=membership.organization_id,
            child_id__in=visible_children(membership).values("pk"),
        )

    def for_child(self, child: Child) -> Self:
        return self.filter(organization_id=child.organization_id, child_id=child.pk)


class GoalRating(TandemModel):
    """A family's or a child's GAS level for one goal on one day."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    rater = models.CharField(max_length=10, choices=Rater.choices)
    # The guardian who rated; for the child, the adult whose session ran child mode.
    rated_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    level = models.SmallIntegerField(_("level"))
    rated_on = models.DateField(_("day"))  # the clinic's local day (tandem.core.clock)
    comment = models.TextField(_("anything to add? (optional)"), max_length=MAX_COMMENT, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = GoalRatingQuerySet.as_manager()

    class Meta:
        ordering = ["rated_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=-2, level__lte=2), name="goal_rating_level_in_range"
            ),
            models.CheckConstraint(
                condition=Q(rater__in=["family", "child"]), name="goal_rating_rater_known"
            ),
            models.UniqueConstraint(
                fields=["organization", "goal", "rater", "rated_on"],
                name="goal_rating_one_per_rater_per_day",
            ),
        ]
        indexes = [
            # The side-by-side T-scores: a child's ratings in date order.
            models.Index(fields=["organization", "child", "rated_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id} {self.rater} {self.rated_on}: {self.level}"
