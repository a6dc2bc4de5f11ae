"""The individualized treatment plan: goals with Goal Attainment Scaling, signatures, COPM."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Discipline, Membership, Organization
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.models import NoBulkWriteQuerySet, TandemModel


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
    objects = NoBulkWriteQuerySet.as_manager()

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
    status = models.CharField(max_length=15, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    bank_entry = models.ForeignKey(
        "GoalBankEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoBulkWriteQuerySet.as_manager()

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
    min_age_months = models.PositiveSmallIntegerField(default=0)
    max_age_months = models.PositiveSmallIntegerField(default=216)
    is_active = models.BooleanField(default=True)

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
    objects = NoBulkWriteQuerySet.as_manager()

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
