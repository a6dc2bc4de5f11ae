"""A child's school and early-intervention plans, kept beside the clinic's own goals.

The school (an IEP or a Section 504 plan) or the early-intervention program (an IFSP,
IDEA Part C, birth to three) writes these plans; the clinic keeps a copy of each plan's
dates and goals so the therapists' goals can be linked to the goals the school works on,
and so their reviews are not missed:

- an **IFSP** is reviewed every six months (34 CFR 303.342(b)) and, from the child's
  second birthday plus three months up to two years nine months, the team plans the
  transition out of Part C (34 CFR 303.209(b)-(c): a conference at least 90 days, and
  at the family's choice up to nine months, before the third birthday);
- an **IEP** is reviewed at least once a year (34 CFR 300.324(b)(1)(i)); a **504** plan
  is usually looked at yearly too.

``reminders.py`` works these dates out; the school's own documents stay the school's.
"""

from typing import Self

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.access.registry import rule_for
from tandem.access.relation import visible_children
from tandem.accounts.models import Membership, Organization, Role
from tandem.children.models import Child
from tandem.consent.models import Scope, consent_covers
from tandem.core.models import NoBulkWriteQuerySet, TandemModel
from tandem.plans.models import Goal

from .rules import VIEW


class SchoolRecordQuerySet(NoBulkWriteQuerySet):
    """``visible_to(membership)``: every row the member may read across the clinic —
    admins the clinic's; therapists on the team and guardians their visible children's;
    a collaborator the children whose consent shares the summary; anyone else none."""

    def visible_to(self, membership: Membership) -> Self:
        rows = self.filter(organization_id=membership.organization_id)
        if membership.role == Role.COLLABORATOR:
            return rows.filter(consent_covers(membership, Scope.SUMMARY, child="child"))
        if membership.role not in rule_for(VIEW).roles:
            return rows.none()
        if membership.role == Role.ADMIN:
            return rows
        return rows.filter(child__in=visible_children(membership).values("pk"))

    def for_child(self, child: Child) -> Self:
        return self.filter(organization_id=child.organization_id, child=child)


class PlanKind(models.TextChoices):
    IFSP = "ifsp", _("IFSP (early intervention, birth to three)")
    IEP = "iep", _("IEP (special education at school)")
    SECTION_504 = "504", _("Section 504 plan")


# Months between reviews by kind (IFSP: six-monthly; IEP and 504: yearly).
REVIEW_MONTHS = {PlanKind.IFSP: 6, PlanKind.IEP: 12, PlanKind.SECTION_504: 12}


class SchoolPlan(TandemModel):
    """One plan the school or early-intervention program wrote for the child."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="school_plans")
    kind = models.CharField(_("kind of plan"), max_length=4, choices=PlanKind.choices)
    provider = models.CharField(
        _("school or program"),
        max_length=200,
        help_text=_("Who wrote the plan: the school, district or early-intervention program."),
    )
    start_date = models.DateField(_("date of the plan"))
    review_due = models.DateField(
        _("next review"),
        help_text=_("Left empty: six months after the plan's date for an IFSP, a year otherwise."),
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = SchoolRecordQuerySet.as_manager()

    goal_list: list["SchoolGoal"]

    class Meta:
        ordering = ["-start_date", "created_at"]
        indexes = [models.Index(fields=["organization", "child"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.provider}"

    def get_absolute_url(self) -> str:
        return reverse("schoolplans:index", args=[self.child_id]) + f"#plan-{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class SchoolGoal(TandemModel):
    """A goal of the school's plan, as the school wrote it, linked to clinic goals."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="school_goals")
    plan = models.ForeignKey(SchoolPlan, on_delete=models.CASCADE, related_name="goals")
    statement = models.TextField(_("goal as the plan words it"), max_length=2000)
    area = models.CharField(
        _("area"), max_length=120, blank=True, help_text=_("For example: reading, motor, speech.")
    )
    clinic_goals = models.ManyToManyField(
        Goal,
        through="SchoolGoalLink",
        blank=True,
        related_name="school_goals",
        verbose_name=_("linked clinic goals"),
    )
    position = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = SchoolRecordQuerySet.as_manager()

    class Meta:
        ordering = ["position", "created_at"]
        indexes = [models.Index(fields=["organization", "child"])]

    def __str__(self) -> str:
        return self.statement[:80]


class SchoolGoalLink(TandemModel):
    """A school goal works on the same skill as this clinic goal (both of one child).
    Its history keeps when each link was made and removed."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    school_goal = models.ForeignKey(SchoolGoal, on_delete=models.CASCADE, related_name="links")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="+")

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = SchoolRecordQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school_goal", "goal"], name="one_link_per_goal_pair")
        ]
        indexes = [models.Index(fields=["organization", "child"])]
