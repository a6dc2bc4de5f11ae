"""Therapeutic groups: a program (a social-skills or sensory group …), the children
enrolled in it with their family's consent, and its sessions.

A ``GroupProgram`` belongs to one clinic: who it is for (an age range, the domains it
works on), how many children it takes, who leads it, and when it meets (a weekly RFC 5545
rule from a first session). Each meeting is an ``Encounter`` of the group service type
(``GroupSession`` ties it to the program); each enrolled child takes part through their
own appointment, and each child's data lands in their own note (``actions.record``).

An ``Enrolment`` starts as an invitation to the child's legal guardians; the child joins
the group's sessions only once a guardian consents (``actions.answer``).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Discipline, Membership, Organization
from tandem.appointments.models import Encounter, Room
from tandem.children.models import Child
from tandem.core.models import NoBulkWriteQuerySet, TandemModel

MIN_CHILDREN, MAX_CHILDREN = 2, 12
MAX_AGE_MONTHS = 216  # 18 years


class GroupKind(models.TextChoices):
    SOCIAL_SKILLS = "social_skills", _("Social skills")
    SENSORY = "sensory", _("Sensory")
    MOTOR = "motor", _("Motor skills")
    PARENT_CHILD = "parent_child", _("Parent and child")
    SCHOOL_READINESS = "school_readiness", _("School readiness")


class GroupProgram(TandemModel):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind of group"), max_length=20, choices=GroupKind.choices)
    discipline = models.CharField(_("discipline"), max_length=20, choices=Discipline.choices)
    description = models.TextField(
        _("what the group does, for families"),
        max_length=1000,
        help_text=_("Plain words a family reads when they are invited."),
    )
    min_age_months = models.PositiveSmallIntegerField(
        _("youngest age (months)"), validators=[MaxValueValidator(MAX_AGE_MONTHS)]
    )
    max_age_months = models.PositiveSmallIntegerField(
        _("oldest age (months)"), validators=[MaxValueValidator(MAX_AGE_MONTHS)]
    )
    min_size = models.PositiveSmallIntegerField(
        _("fewest children"),
        default=3,
        validators=[MinValueValidator(MIN_CHILDREN), MaxValueValidator(MAX_CHILDREN)],
    )
    max_size = models.PositiveSmallIntegerField(
        _("most children"),
        default=6,
        validators=[MinValueValidator(MIN_CHILDREN), MaxValueValidator(MAX_CHILDREN)],
    )
    # The plan domains it works on (plans.Domain values): candidates have active goals here.
    target_domains = models.JSONField(_("domains it works on"), default=list)
    leader = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("leader")
    )
    co_leader = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("second leader"),
    )
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("room")
    )
    # When it meets: an RFC 5545 rule from the first session (clinic time).
    rule = models.CharField(_("repeats"), max_length=200)
    starts_at = models.DateTimeField(_("first session"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"),
        default=60,
        validators=[MinValueValidator(15), MaxValueValidator(180)],
    )
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Closed: its sessions still to come are off the calendar, its children out of it.
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoBulkWriteQuerySet.as_manager()
    # Its versions are in the trail of each child it enrolled (tandem.audit.versions).
    history_children = ("groups.Enrolment", "program_id")

    class Meta:
        ordering = ["starts_at", "name"]
        indexes = [models.Index(fields=["organization", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age_months__lte=models.F("max_age_months")),
                name="group_age_range_in_order",
            ),
            models.CheckConstraint(
                condition=Q(min_size__lte=models.F("max_size")), name="group_sizes_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(co_leader=models.F("leader")), name="group_two_different_leaders"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def youngest_years(self) -> int:
        return self.min_age_months // 12

    @property
    def oldest_years(self) -> int:
        return self.max_age_months // 12

    def leader_ids(self) -> set[object]:
        return {i for i in (self.leader_id, self.co_leader_id) if i}


class GroupSession(TandemModel):
    """One meeting of a group: the encounter its children take part in."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    program = models.ForeignKey(GroupProgram, on_delete=models.PROTECT, related_name="sessions")
    encounter = models.OneToOneField(Encounter, on_delete=models.PROTECT, related_name="group")

    objects = NoBulkWriteQuerySet.as_manager()

    class Meta:
        ordering = ["encounter__starts_at"]
        indexes = [models.Index(fields=["organization", "program"])]


class EnrolmentStatus(models.TextChoices):
    INVITED = "invited", _("Waiting for the family's answer")
    ENROLLED = "enrolled", _("In the group")
    DECLINED = "declined", _("The family said no")
    LEFT = "left", _("Left the group")


# A place in the group is taken while the family is asked and once they said yes.
TAKING_A_PLACE = (EnrolmentStatus.INVITED, EnrolmentStatus.ENROLLED)


class Enrolment(TandemModel):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    program = models.ForeignKey(GroupProgram, on_delete=models.PROTECT, related_name="enrolments")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="group_enrolments")
    status = models.CharField(
        max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.INVITED
    )
    invited_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The guardian who answered, and when (their consent, or their "no").
    answered_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # The leaders seated on the child's care team because the child joined (membership
    # ids): taken off it again when the child leaves, unless they were there before.
    seated = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoBulkWriteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["program", "child"], name="one_enrolment_per_child"),
        ]
        indexes = [
            models.Index(fields=["organization", "program", "status"]),
            models.Index(fields=["organization", "child"]),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} in {self.program_id} ({self.status})"
