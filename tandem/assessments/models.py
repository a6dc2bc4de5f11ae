"""Evaluations: parent questionnaires, standardized scores, milestones and growth."""

from typing import Any, Self, cast

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Discipline, Membership, Organization
from tandem.children.models import Child
from tandem.core.models import NoBulkWriteQuerySet, TandemModel


def _scoped(rows: "models.QuerySet[Any]", membership: Membership, action: str) -> Any:
    """The clinic's rows about the children the member sees, when ``action``'s rule
    admits their role (its atoms, TEAM and GUARDIAN, hold for every child such a member
    sees); none for other roles."""
    from tandem.access import rule_for, visible_children

    if membership.role not in rule_for(action).roles:
        return rows.none()
    children = visible_children(membership).values("pk")
    return rows.filter(organization_id=membership.organization_id, child__in=children)


class AssessmentQuerySet(NoBulkWriteQuerySet):
    """Assessment records (versioned), with the clinic-wide scope of the tab."""

    def visible_to(self, membership: Membership) -> Self:
        """Every record the member may read across the clinic: staff on each child's team."""
        from .rules import VIEW

        return cast(Self, _scoped(self, membership, VIEW))

    def for_child(self, child: Child) -> Self:
        return self.filter(child=child)


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class EvaluationQuerySet(AssessmentQuerySet):
    def visible_to(self, membership: Membership) -> Self:
        """Staff on each child's team: every evaluation; guardians: their children's
        final evaluations (the summary they may read); anyone else: none."""
        from tandem.access import rule_for

        from .rules import SUMMARY, VIEW

        rows = cast(Self, _scoped(self, membership, SUMMARY))
        if membership.role not in rule_for(VIEW).roles:
            rows = rows.filter(status=EvaluationStatus.FINAL)
        return rows


class Evaluation(TandemModel):
    """One discipline's evaluation of a child, ending in a summary and recommendations."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="evaluations")
    discipline = models.CharField(_("discipline"), max_length=20, choices=Discipline.choices)
    evaluated_on = models.DateField(_("date of evaluation"))
    therapist = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("therapist")
    )
    reason_for_referral = models.TextField(_("reason for referral"), blank=True)
    observations = models.TextField(_("clinical observations"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    interests = models.TextField(_("interests"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.DRAFT,
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-evaluated_on", "-created_at"]
        indexes = [
            # The Assessments tab: one child's evaluations, newest first.
            models.Index(fields=["organization", "child", "evaluated_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_discipline_display()} evaluation on {self.evaluated_on}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:evaluation", args=[self.child_id, self.id])

    @property
    def is_final(self) -> bool:
        return self.status == EvaluationStatus.FINAL


class ResponseQuerySet(AssessmentQuerySet):
    def for_family(self, membership: Membership) -> Self:
        """The questionnaires a guardian was asked to fill, about the children they have
        legal authority for (``assessments.family_fill``)."""
        from tandem.access import rule_for, visible_children

        from .rules import FAMILY_FILL

        if membership.role not in rule_for(FAMILY_FILL).roles:
            return self.none()
        children = visible_children(membership).filter(rel_legal=True).values("pk")
        return self.filter(
            organization_id=membership.organization_id, child__in=children, for_family=True
        )


class ResponseStatus(models.TextChoices):
    IN_PROGRESS = "in-progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class QuestionnaireResponse(TandemModel):
    """Answers to one questionnaire, keyed by the question's linkId (FHIR-like)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    questionnaire = models.CharField(_("questionnaire"), max_length=60)
    questionnaire_url = models.CharField(max_length=300, blank=True)
    questionnaire_version = models.CharField(max_length=30, blank=True)
    answers = models.JSONField(default=dict, help_text='{"linkId": answer, ...}')
    status = models.CharField(
        max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.IN_PROGRESS
    )
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    # The family was asked to fill it on their own pages (their answers land here).
    for_family = models.BooleanField(_("asked of the family"), default=False)
    # The language the answers were given in (the questions were shown in it).
    language = models.CharField(max_length=10, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["questionnaire"]
        constraints = [
            # The fill page edits "the" response to a questionnaire in an evaluation.
            models.UniqueConstraint(
                fields=["evaluation", "questionnaire"], name="one_response_per_questionnaire"
            ),
        ]
        indexes = [models.Index(fields=["organization", "child"])]

    def __str__(self) -> str:
        return f"{self.questionnaire} ({self.status})"


class Instrument(TandemModel):
    """A standardized test in the organization's catalogue (entered, never administered here)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    disciplines = models.JSONField(_("disciplines"), default=list, blank=True)
    min_age_months = models.PositiveSmallIntegerField(_("youngest age (months)"), default=0)
    max_age_months = models.PositiveSmallIntegerField(_("oldest age (months)"), default=264)
    # The standard-score metric, e.g. mean 100 / SD 15 or scaled mean 10 / SD 3.
    score_mean = models.FloatField(_("standard score mean"), default=100)
    score_sd = models.FloatField(_("standard score SD"), default=15)
    subtests = models.JSONField(_("subtests and composites"), default=list, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            # Seeding is idempotent by code.
            models.UniqueConstraint(fields=["organization", "code"], name="one_instrument_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def subtest_names(self) -> list[str]:
        names = []
        for item in self.subtests or []:
            names.append(item["name"] if isinstance(item, dict) else str(item))
        return names


class StandardizedScore(TandemModel):
    """One subtest or composite score of a standardized test: scores only, never items."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    subtest = models.CharField(_("subtest or composite"), max_length=120)
    raw_score = models.FloatField(_("raw score"), null=True, blank=True)
    standard_score = models.FloatField(_("standard score"), null=True, blank=True)
    percentile = models.FloatField(
        _("percentile rank"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    age_equivalent = models.CharField(
        _("age equivalent"), max_length=20, blank=True, help_text=_("E.g. 3;6 (years;months).")
    )
    interpretation = models.CharField(_("interpretation"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["organization", "child"])]

    def __str__(self) -> str:
        return f"{self.subtest}: {self.standard_score}"


class MilestoneAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NOT_YET = "not_yet", _("Not yet")
    NOT_SURE = "not_sure", _("Not sure")


class MilestoneCheck(TandemModel):
    """A CDC milestone checklist for the child's (corrected) age, answered per milestone."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="milestone_checks"
    )
    checklist_months = models.PositiveSmallIntegerField(_("checklist age (months)"))
    corrected_age = models.BooleanField(_("checked at corrected age"), default=False)
    answers = models.JSONField(default=dict, help_text='{"milestone id": "yes|not_yet|not_sure"}')
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # The milestones page edits "the" checklist of an evaluation.
            models.UniqueConstraint(
                fields=["evaluation"], name="one_milestone_check_per_evaluation"
            ),
        ]
        indexes = [models.Index(fields=["organization", "child"])]

    def __str__(self) -> str:
        return f"{self.checklist_months}-month milestones"


class LengthPosition(models.TextChoices):
    LYING = "lying", _("Lying (length)")
    STANDING = "standing", _("Standing (height)")


class GrowthMeasurement(TandemModel):
    """Height/length, weight and head circumference on a day, with centiles computed at save."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="growth")
    evaluation = models.ForeignKey(
        Evaluation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    measured_on = models.DateField(_("measured on"))
    height_cm = models.DecimalField(
        _("height or length (cm)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(220)],
    )
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.3), MaxValueValidator(250)],
    )
    head_circumference_cm = models.DecimalField(
        _("head circumference (cm)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(70)],
    )
    # How the length or height was measured; blank: the usual for the age (lying under two).
    length_position = models.CharField(
        _("measured"), max_length=10, choices=LengthPosition.choices, blank=True
    )
    bmi = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    # A clinician confirmed values beyond WHO's plausible range are real (shown flagged).
    confirmed_implausible = models.BooleanField(_("values confirmed as real"), default=False)
    # {"height": {"z": .., "centile": .., "reference": "WHO 2006"|.., "implausible": bool}, ..}
    results = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["measured_on", "created_at"]
        indexes = [
            # The growth chart: one child's measurements in date order.
            models.Index(fields=["organization", "child", "measured_on"]),
        ]

    def __str__(self) -> str:
        return f"Growth on {self.measured_on}"

    def values(self) -> dict[str, float | None]:
        """The measured values by measurement name (growth.py's names)."""

        def num(value: Any) -> float | None:
            return None if value is None else float(value)

        return {
            "height": num(self.height_cm),
            "weight": num(self.weight_kg),
            "ofc": num(self.head_circumference_cm),
            "bmi": num(self.bmi),
        }
