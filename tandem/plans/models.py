"""The individualized treatment plan: goals with Goal Attainment Scaling, signatures, COPM."""

from typing import Self

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.access.registry import rule_for
from tandem.access.relation import visible_children
from tandem.accounts.models import Discipline, Membership, Organization, Role
from tandem.children.models import Child
from tandem.consent.models import Scope, consent_covers
from tandem.core import clock
from tandem.core.models import NoBulkWriteQuerySet, TandemModel

from .rules import GOAL_BANK, VIEW


class ChildRecordQuerySet(NoBulkWriteQuerySet):
    """Org-wide scopes of a plan record: ``visible_to(membership)`` is every row the member
    may read across the clinic, narrowed by ``for_child``. The roles ``plans.view`` admits
    read their visible children's rows (admins: the organization's; guardians: not of a
    draft); collaborators what a consent shares; any other role (the front desk, billing)
    none: no clinical content."""

    # The parts of the record a collaborator's consent must share (none: never theirs).
    shared_with_collaborators: tuple[str, ...] = ()

    def visible_to(self, membership: Membership) -> Self:
        org = membership.organization_id
        rows = self.filter(organization_id=org)
        if membership.role == Role.COLLABORATOR and self.shared_with_collaborators:
            shared = consent_covers(membership, *self.shared_with_collaborators, child="child")
            return self._shared_in_force(rows.filter(shared), org)
        if membership.role not in rule_for(VIEW).roles:
            return rows.none()
        if membership.role == Role.ADMIN:
            return rows
        rows = rows.filter(child__in=visible_children(membership).values("pk"))
        if membership.role == Role.GUARDIAN:
            # A draft may still change: families read a plan once it is in force.
            return self._published(rows, org)
        return rows

    def _shared_in_force(self, rows: Self, org: object) -> Self:
        return rows

    def _published(self, rows: Self, org: object) -> Self:
        return rows.filter(plan__organization_id=org).exclude(plan__status=PlanStatus.DRAFT)

    def for_child(self, child: Child) -> Self:
        return self.filter(child=child)


class PlanQuerySet(ChildRecordQuerySet):
    # Collaborators: the plans in force, while consent shares the goals and progress summary.
    shared_with_collaborators = (Scope.SUMMARY,)

    def _shared_in_force(self, rows: Self, org: object) -> Self:
        return rows.filter(status=PlanStatus.ACTIVE)

    def _published(self, rows: Self, org: object) -> Self:
        return rows.exclude(status=PlanStatus.DRAFT)


class GoalQuerySet(ChildRecordQuerySet):
    # Collaborators: goals of the plans in force (not discontinued), while consent shares
    # the summary or observations (which are recorded against a goal).
    shared_with_collaborators = (Scope.SUMMARY, Scope.OBSERVATIONS)

    def _shared_in_force(self, rows: Self, org: object) -> Self:
        return rows.filter(plan__organization_id=org, plan__status=PlanStatus.ACTIVE).exclude(
            status=GoalStatus.DISCONTINUED
        )


class GoalBankQuerySet(models.QuerySet["GoalBankEntry"]):
    def visible_to(self, membership: Membership) -> "GoalBankQuerySet":
        """The organization's goal bank, for the roles ``plans.goal_bank`` admits."""
        if membership.role not in rule_for(GOAL_BANK).roles:
            return self.none()
        return self.filter(organization_id=membership.organization_id)


class Domain(models.TextChoices):
    FINE_MOTOR = "fine_motor", _("Fine motor")
    GROSS_MOTOR = "gross_motor", _("Gross motor")
    SELF_CARE = "self_care", _("Self-care")
    SENSORY = "sensory_processing", _("Sensory processing")
    COMMUNICATION = "communication", _("Communication")
    SOCIAL = "social", _("Social")
    EMOTIONAL_REGULATION = "emotional_regulation", _("Emotional regulation")
    FEEDING = "feeding", _("Feeding")
    PLAY = "play", _("Play")
    SCHOOL_READINESS = "school_readiness", _("School readiness")


class MeasurementType(models.TextChoices):
    PERCENT_TRIALS = "percent_trials", _("Percent of trials")
    FREQUENCY = "frequency", _("Frequency count")
    DURATION = "duration", _("Duration (seconds)")
    RATING = "rating", _("Rating scale (1–5)")
    TASK_ANALYSIS = "task_analysis", _("Task-analysis steps")
    GAS_ONLY = "gas_only", _("GAS level only")
    # Behavior-analytic data types (``tandem/notes/datatypes.py``).
    RATE = "rate", _("Rate per minute")
    LATENCY = "latency", _("Latency (seconds)")
    PARTIAL_INTERVAL = "partial_interval", _("Partial-interval recording (% of intervals)")
    WHOLE_INTERVAL = "whole_interval", _("Whole-interval recording (% of intervals)")
    MOMENTARY_SAMPLING = "momentary_sampling", _("Momentary time sampling (% of intervals)")


class Chaining(models.TextChoices):
    """How a task analysis is taught, step by step."""

    FORWARD = "forward", _("Forward chaining")
    BACKWARD = "backward", _("Backward chaining")
    TOTAL_TASK = "total_task", _("Total task")


MAX_TASK_STEPS = 40


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Plan(TandemModel):
    """One child's plan for one discipline; one active plan per child per discipline."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="plans")
    discipline = models.CharField(_("discipline"), max_length=20, choices=Discipline.choices)
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    start_date = models.DateField(_("start date"))
    review_date = models.DateField(_("review date"))
    family_priorities = models.TextField(_("family priorities in their words"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # Bumped on every change of the plan or its goals; signatures name the version signed.
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PlanQuerySet.as_manager()

    # What ``reading.describe`` attaches for the pages and the API (not fields).
    goal_list: list["Goal"]
    t_score: float | None
    is_overdue: bool
    family_goals: list["Goal"]

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            # One active plan per child per discipline keeps "the plan" unambiguous.
            models.UniqueConstraint(
                fields=["child", "discipline"],
                condition=Q(status="active"),
                name="one_active_plan_per_discipline",
            ),
        ]
        indexes = [models.Index(fields=["organization", "child", "status"])]

    def __str__(self) -> str:
        return f"{self.get_discipline_display()} plan for {self.child} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.child_id, self.id])


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MET = "met", _("Met")
    ON_HOLD = "on_hold", _("On hold")
    DISCONTINUED = "discontinued", _("Discontinued")


GAS_LEVELS = (-2, -1, 0, 1, 2)


class Goal(TandemModel):
    """A measurable goal with a five-level Goal Attainment Scale."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="goals")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    discipline = models.CharField(_("discipline"), max_length=20, choices=Discipline.choices)
    domain = models.CharField(_("domain"), max_length=30, choices=Domain.choices)
    statement = models.TextField(_("goal (SMART)"))
    baseline = models.TextField(_("baseline"))
    target_date = models.DateField(_("target date"))
    measurement_type = models.CharField(
        _("how it is measured"), max_length=20, choices=MeasurementType.choices
    )
    # The value that counts as reaching the goal on the measurement's own scale
    # (e.g. 80 for 80 % of trials) and how many sessions in a row it must hold.
    mastery_value = models.FloatField(_("mastery value"), null=True, blank=True)
    mastery_sessions = models.PositiveSmallIntegerField(
        _("consecutive sessions for mastery"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    mastery_criterion = models.CharField(_("mastery criterion"), max_length=200)
    # For counts and durations, whether fewer/shorter is better (e.g. meltdowns per session).
    lower_is_better = models.BooleanField(_("lower is better"), default=False)
    # A task analysis: its steps, one per line, and how they are chained.
    task_steps = models.TextField(
        _("task steps"), blank=True, help_text=_("One step per line, in order.")
    )
    chaining = models.CharField(_("chaining"), max_length=10, choices=Chaining.choices, blank=True)
    gas_minus_2 = models.CharField(_("−2 much less than expected"), max_length=300)
    gas_minus_1 = models.CharField(_("−1 somewhat less than expected"), max_length=300)
    gas_0 = models.CharField(_("0 expected outcome"), max_length=300)
    gas_plus_1 = models.CharField(_("+1 somewhat more than expected"), max_length=300)
    gas_plus_2 = models.CharField(_("+2 much more than expected"), max_length=300)
    gas_weight = models.PositiveSmallIntegerField(
        _("GAS weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    gas_baseline = models.SmallIntegerField(
        _("GAS level at baseline"),
        default=-2,
        validators=[MinValueValidator(-2), MaxValueValidator(2)],
    )
    family_priority = models.PositiveSmallIntegerField(
        _("family priority (1 = most important)"), null=True, blank=True
    )
    child_chosen = models.BooleanField(_("chosen by the child"), default=False)
    child_words = models.CharField(
        _("in the child's own words"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “I want to ride my bike”."),
    )
    strategies = models.TextField(_("strategies"), blank=True)
    # What families, teachers and the child read instead of the statement (``wording.py``).
    family_wording_en = models.CharField(
        _("in the family's words (English)"), max_length=300, blank=True
    )
    family_wording_es = models.CharField(
        _("in the family's words (Spanish)"), max_length=300, blank=True
    )
    child_wording_en = models.CharField(
        _("“I can …” for the child (English)"), max_length=200, blank=True
    )
    child_wording_es = models.CharField(
        _("“I can …” for the child (Spanish)"), max_length=200, blank=True
    )
    status = models.CharField(max_length=15, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    bank_entry = models.ForeignKey(
        "GoalBankEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["position", "created_at"]
        indexes = [models.Index(fields=["organization", "child", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(gas_baseline__gte=-2, gas_baseline__lte=2), name="gas_baseline_in_range"
            ),
            models.CheckConstraint(
                condition=~Q(status="discontinued") | ~Q(status_reason=""),
                name="discontinued_goal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.statement[:80]

    @property
    def family_wording(self) -> str:
        """The goal in the family's words, in the reader's language (never the statement)."""
        from .wording import family_wording

        return family_wording(self)

    @property
    def child_wording(self) -> str:
        """The child's "I can …" in the reader's language ("" when not written)."""
        from .wording import child_wording

        return child_wording(self)

    @property
    def step_list(self) -> list[str]:
        """The task analysis's steps, in order (empty lines dropped)."""
        return [line.strip() for line in (self.task_steps or "").splitlines() if line.strip()]

    def gas_description(self, level: int) -> str:
        return {
            -2: self.gas_minus_2,
            -1: self.gas_minus_1,
            0: self.gas_0,
            1: self.gas_plus_1,
            2: self.gas_plus_2,
        }[level]


class GoalBankEntry(TandemModel):
    """A well-written goal to start from; each organization edits its own copy of the bank."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    discipline = models.CharField(max_length=20, choices=Discipline.choices)
    domain = models.CharField(max_length=30, choices=Domain.choices)
    statement = models.TextField()
    baseline_example = models.TextField(blank=True)
    measurement_type = models.CharField(max_length=20, choices=MeasurementType.choices)
    # What a goal started from this entry gets (Goal's fields of the same names).
    mastery_value = models.FloatField(_("mastery value"), null=True, blank=True)
    mastery_sessions = models.PositiveSmallIntegerField(
        _("consecutive sessions for mastery"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    mastery_criterion = models.CharField(max_length=200)
    lower_is_better = models.BooleanField(_("lower is better"), default=False)
    gas_levels = models.JSONField(help_text='{"-2": "...", ..., "2": "..."}')
    strategies = models.JSONField(default=list)
    # Drafts of a goal's family and child wordings ({child}: the child's name).
    family_wording_en = models.CharField(max_length=300, blank=True)
    family_wording_es = models.CharField(max_length=300, blank=True)
    child_wording_en = models.CharField(max_length=200, blank=True)
    child_wording_es = models.CharField(max_length=200, blank=True)
    min_age_months = models.PositiveSmallIntegerField(default=0)
    max_age_months = models.PositiveSmallIntegerField(default=216)
    is_active = models.BooleanField(default=True)

    objects = GoalBankQuerySet.as_manager()

    # What the goal-bank picker attaches for one plan (not fields).
    filled_statement: str
    in_plan: bool

    class Meta:
        ordering = ["discipline", "domain", "statement"]
        indexes = [models.Index(fields=["organization", "discipline", "domain"])]

    def __str__(self) -> str:
        return self.statement[:80]


class PlanSignature(TandemModel):
    """A guardian's typed-name signature of one version of a plan. Never edited."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="signatures")
    plan_version = models.PositiveIntegerField()
    guardian = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    typed_name = models.CharField(_("type your full name"), max_length=200)
    signed_at = models.DateTimeField(default=clock.now, editable=False)
    # SHA-256 of the plan and its goals as signed, so any later change is evident.
    content_hash = models.CharField(max_length=64)
    # What the hash covers (``signatures.HASH_SCHEME``): 1 without the goals' family and
    # child wordings (signatures made before they existed), 2 with them.
    hash_scheme = models.PositiveSmallIntegerField(default=2)

    objects = ChildRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "plan_version", "guardian"], name="one_signature_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.typed_name} signed v{self.plan_version} of {self.plan_id}"


class CopmActivity(TandemModel):
    """A family-chosen activity rated with COPM-style 1–10 performance and satisfaction."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="copm_activities")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="copm_activities")
    activity = models.CharField(_("activity"), max_length=200)
    importance = models.PositiveSmallIntegerField(
        _("importance (1–10)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    initial_date = models.DateField(_("first rated on"))
    initial_performance = models.PositiveSmallIntegerField(
        _("performance (1–10)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    initial_satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1–10)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    reassessed_on = models.DateField(_("re-rated on"), null=True, blank=True)
    reassessed_performance = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    reassessed_satisfaction = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ChildRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-importance", "created_at"]

    def __str__(self) -> str:
        return self.activity

    @property
    def performance_change(self) -> int | None:
        if self.reassessed_performance is None:
            return None
        return self.reassessed_performance - self.initial_performance

    @property
    def satisfaction_change(self) -> int | None:
        if self.reassessed_satisfaction is None:
            return None
        return self.reassessed_satisfaction - self.initial_satisfaction
