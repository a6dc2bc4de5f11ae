"""Home programs: activities the team assigns, the family's practice log, and observations
of a goal's skill in everyday settings (the evidence that a skill generalizes)."""

import datetime
import uuid
from typing import Self

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Membership, Organization
from tandem.children.models import Child
from tandem.core.models import NoBulkWriteQuerySet, TandemModel
from tandem.plans.models import Goal

MAX_TIMES_PER_WEEK = 14
MAX_MINUTES = 120
# The rules these scopes follow (registered in rules.py).
VIEW = "homeprogram.view"
OBSERVE = "homeprogram.observe"


class HomeRecordQuerySet(NoBulkWriteQuerySet):
    """Org-wide scopes of a home-program record: ``visible_to(membership)`` is every row
    the member may read across the clinic, ``for_child(child)`` narrows it to one child."""

    def in_organization_of(self, membership: Membership) -> Self:
        return self.filter(organization_id=membership.organization_id)

    def of_visible_children(self, membership: Membership) -> Self:
        from tandem.access.relation import visible_children

        return self.in_organization_of(membership).filter(
            child_id__in=visible_children(membership).values("pk")
        )

    def visible_to(self, membership: Membership) -> Self:
        """Rows of the children the member sees, for the roles the tab's rule
        (``homeprogram.view``: the team and guardians) admits: for them, seeing the child
        is being on its team or its guardian. Anyone else (the front desk, billing,
        collaborators) reads none."""
        from tandem.access import rule_for

        if membership.role not in rule_for(VIEW).roles:
            return self.none()
        return self.of_visible_children(membership)

    def for_child(self, child: Child) -> Self:
        return self.filter(organization_id=child.organization_id, child_id=child.pk)


class ObservationQuerySet(HomeRecordQuerySet):
    def visible_to(self, membership: Membership) -> Self:
        """As for every home-program record, and a collaborator (a teacher, say) whose
        consent lets them post observations reads their own, never what the family or
        the team recorded."""
        from tandem.access import rule_for

        if membership.role in rule_for(VIEW).roles:
            return self.of_visible_children(membership)
        if membership.role in rule_for(OBSERVE).roles:
            return self.of_visible_children(membership).filter(recorded_by=membership)
        return self.none()


class ActivityStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")


def handout_path(activity: "HomeActivity", filename: str) -> str:
    """A random name under the private folder: the uploaded file name never reaches the disk."""
    extension = {"pdf": "pdf", "png": "png", "jpeg": "jpg"}.get(activity.handout_type, "bin")
    return f"private/homeprogram/{activity.organization_id}/{uuid.uuid4().hex}.{extension}"


class HomeActivity(TandemModel):
    """Something the family practises at home between sessions, linked to the child's goals."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="home_activities")
    goals = models.ManyToManyField(Goal, related_name="home_activities", blank=True)
    assigned_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    why = models.TextField(
        _("why it helps"),
        max_length=1000,
        help_text=_(
            "In plain words a parent would use, e.g. “Strong fingers make buttons easier”."
        ),
    )
    steps = models.TextField(_("steps"), max_length=3000, help_text=_("One step per line."))
    times_per_week = models.PositiveSmallIntegerField(
        _("times per week"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TIMES_PER_WEEK)],
    )
    minutes = models.PositiveSmallIntegerField(
        _("minutes each time"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)],
    )
    materials = models.TextField(_("materials"), max_length=1000, blank=True)
    # Stored under MEDIA_ROOT/private (never served by the web server); read through
    # the attachment view, which goes through the access layer.
    handout = models.FileField(_("picture or handout"), upload_to=handout_path, blank=True)
    handout_name = models.CharField(max_length=200, blank=True)
    handout_type = models.CharField(max_length=10, blank=True)  # "png", "jpeg" or "pdf", sniffed
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)  # noqa: TID251 (migrations name it)
    status = models.CharField(
        max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.ACTIVE
    )
    archived_on = models.DateField(null=True, blank=True)
    # The ids of the linked goals as saved, so that each version in the history also
    # says which goals the activity worked on (the M2M table itself keeps no history).
    goal_ids = models.JSONField(default=list, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = HomeRecordQuerySet.as_manager()

    class Meta:
        ordering = ["title", "created_at"]
        verbose_name = _("home activity")
        verbose_name_plural = _("home activities")
        indexes = [
            # The Home program tab and the guardian's home: a child's active activities.
            models.Index(fields=["organization", "child", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]

    @property
    def is_active(self) -> bool:
        return self.status == ActivityStatus.ACTIVE

    @property
    def handout_is_image(self) -> bool:
        return self.handout_type in ("png", "jpeg")


class Outcome(models.TextChoices):
    DONE = "done", _("Done")
    PARTLY = "partly", _("Partly")
    NOT_TODAY = "not_today", _("Not today")


class HowItWent(models.IntegerChoices):
    HARD = 1, _("It was hard")
    OKAY = 2, _("It was OK")
    WELL = 3, _("It went well")


class Barrier(models.TextChoices):
    NO_TIME = "no_time", _("No time")
    REFUSED = "refused", _("My child didn't want to")
    UNCLEAR = "unclear", _("Instructions unclear")
    MATERIALS = "materials", _("Materials missing")
    OTHER = "other", _("Something else")


class PracticeLog(TandemModel):
    """One practice (or not) of a home activity, as the family logged it."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="practice_logs")
    activity = models.ForeignKey(HomeActivity, on_delete=models.CASCADE, related_name="logs")
    logged_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("day"), default=timezone.localdate)  # noqa: TID251 (migrations name it)
    outcome = models.CharField(_("did you practise?"), max_length=10, choices=Outcome.choices)
    minutes = models.PositiveSmallIntegerField(
        _("minutes (optional)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    how_it_went = models.PositiveSmallIntegerField(
        _("how did it go?"), choices=HowItWent.choices, null=True, blank=True
    )
    barrier = models.CharField(
        _("what got in the way?"), max_length=10, choices=Barrier.choices, blank=True
    )
    barrier_other = models.CharField(_("what else got in the way?"), max_length=200, blank=True)
    note = models.TextField(_("note (optional)"), max_length=1000, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = HomeRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [
            # Adherence and "this week": a child's logs over a date range.
            models.Index(fields=["organization", "child", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.date}: {self.outcome}"

    @property
    def practised(self) -> bool:
        return self.outcome in (Outcome.DONE, Outcome.PARTLY)


class Setting(models.TextChoices):
    HOME = "home", _("Home")
    SCHOOL = "school", _("School or daycare")
    COMMUNITY = "community", _("Out and about")
    OTHER = "other", _("Somewhere else")


class Independence(models.TextChoices):
    # Ordered from most to least independent; ``rank`` sorts them.
    INDEPENDENT = "independent", _("On their own")
    SOME_HELP = "some_help", _("With some help")
    LOT_OF_HELP = "lot_of_help", _("With a lot of help")
    NOT_YET = "not_yet", _("Not yet")


INDEPENDENCE_RANK: dict[str, int] = {
    Independence.INDEPENDENT: 3,
    Independence.SOME_HELP: 2,
    Independence.LOT_OF_HELP: 1,
    Independence.NOT_YET: 0,
}


class RecorderRole(models.TextChoices):
    FAMILY = "family", _("Family")
    STAFF = "staff", _("Therapy team")
    COLLABORATOR = "collaborator", _("Teacher or other professional")


class Observation(TandemModel):
    """Someone saw (or did not yet see) a goal's skill in an everyday setting."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="observations")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="observations")
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    recorder_role = models.CharField(max_length=15, choices=RecorderRole.choices)
    observed_on = models.DateField(_("when"), default=timezone.localdate)  # noqa: TID251 (migrations name it)
    setting = models.CharField(_("where"), max_length=10, choices=Setting.choices)
    who_was_there = models.CharField(
        _("who was there (optional)"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Grandma and his cousin”, “the class teacher”."),
    )
    independence = models.CharField(
        _("how much help was needed?"), max_length=15, choices=Independence.choices
    )
    note = models.TextField(_("what you saw (optional)"), max_length=1000, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["-observed_on", "-created_at"]
        indexes = [
            # The skill × setting view: a child's observations, newest first.
            models.Index(fields=["organization", "child", "observed_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id} at {self.setting} on {self.observed_on}: {self.independence}"

    @property
    def rank(self) -> int:
        return INDEPENDENCE_RANK.get(self.independence, 0)


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the week a day falls in (weeks run Monday to Sunday)."""
    return day - datetime.timedelta(days=day.weekday())
