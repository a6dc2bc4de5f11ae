"""The child's record: who they are, their family and their care team."""

from datetime import date

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Membership, Organization
from tandem.core import clock
from tandem.core.models import NoBulkWriteQuerySet, TandemModel


class Sex(models.TextChoices):
    # Needed to choose the growth reference; not a statement of gender identity.
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class ChildQuerySet(NoBulkWriteQuerySet):
    """Named scopes for children; `tandem.children.access` decides who sees which."""

    def in_organization(self, organization: Organization) -> "ChildQuerySet":
        return self.filter(organization=organization)

    def active(self) -> "ChildQuerySet":
        return self.filter(archived_at__isnull=True)


class Child(TandemModel):
    """A child receiving therapy in one organization."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(
        _("sex"),
        max_length=1,
        choices=Sex.choices,
        help_text=_("Used to choose the growth reference charts."),
    )
    gestational_age_weeks = models.PositiveSmallIntegerField(
        _("gestational age at birth (weeks)"),
        null=True,
        blank=True,
        help_text=_("For corrected age under two years when born early."),
    )
    preferred_languages = models.CharField(
        _("preferred language(s)"), max_length=200, blank=True, default="English"
    )
    photo = models.ImageField(_("photo"), upload_to="child-photos/", blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    interests = models.TextField(
        _("interests"), blank=True, help_text=_("What motivates the child.")
    )
    # Tags from a small vocabulary (``children.interests``), beside the free text above.
    interest_tags = models.JSONField(_("interests (tags)"), default=list, blank=True)
    strength_tags = models.JSONField(_("strengths (tags)"), default=list, blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    sensory_notes = models.TextField(_("sensory notes"), blank=True)
    family_context = models.TextField(_("family and cultural context"), blank=True)
    school = models.CharField(_("school or daycare"), max_length=200, blank=True)
    ifsp_date = models.DateField(_("IFSP date"), null=True, blank=True)
    iep_date = models.DateField(_("IEP date"), null=True, blank=True)
    iep_review_date = models.DateField(_("IEP/IFSP review date"), null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            # Caseload lists: one organization's children by name.
            models.Index(fields=["organization", "last_name", "first_name"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("children:detail", args=[self.id])

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}"

    @property
    def age_years_months(self) -> tuple[int, int]:
        return self.age_on(clock.today())

    def age_on(self, when: date) -> tuple[int, int]:
        """Return the child's age on a date as (years, months)."""
        months = (when.year - self.date_of_birth.year) * 12 + when.month - self.date_of_birth.month
        if when.day < self.date_of_birth.day:
            months -= 1
        return divmod(max(months, 0), 12)


class Diagnosis(TandemModel):
    """An ICD-10-CM diagnosis recorded for a child."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="diagnoses")
    code = models.CharField(_("ICD-10-CM code"), max_length=10)
    label = models.CharField(_("description"), max_length=200)
    noted_on = models.DateField(_("date noted"), null=True, blank=True)

    history = HistoricalRecords()
    objects = NoBulkWriteQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            # A code is recorded once per child.
            models.UniqueConstraint(fields=["child", "code"], name="one_diagnosis_code_per_child"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Relationship(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    PARENT = "parent", _("Parent")
    GRANDPARENT = "grandparent", _("Grandparent")
    FOSTER = "foster", _("Foster parent")
    GUARDIAN = "guardian", _("Legal guardian")
    OTHER = "other", _("Other caregiver")


class ContactMethod(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    APP = "app", _("In the app only")


class GuardianLink(TandemModel):
    """A guardian's tie to a child: relationship, legal authority, contact wishes."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardian_links")
    guardian = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="guardian_links"
    )
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    has_legal_authority = models.BooleanField(
        _("can give consent"), default=True, help_text=_("May sign plans and consents.")
    )
    is_primary_contact = models.BooleanField(_("primary contact"), default=False)
    household = models.CharField(
        _("household"), max_length=100, blank=True, help_text=_("E.g. 'Mum's home'.")
    )
    contact_method = models.CharField(
        _("preferred contact"),
        max_length=10,
        choices=ContactMethod.choices,
        default=ContactMethod.EMAIL,
    )
    contact_notes = models.CharField(
        _("contact notes"), max_length=200, blank=True, help_text=_("E.g. 'after 5 pm'.")
    )

    history = HistoricalRecords()
    objects = NoBulkWriteQuerySet.as_manager()

    class Meta:
        ordering = ["-is_primary_contact", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["child", "guardian"], name="one_link_per_guardian"),
        ]
        indexes = [
            # A guardian's home lists their children.
            models.Index(fields=["organization", "guardian"]),
        ]

    def __str__(self) -> str:
        return f"{self.guardian.display_name} – {self.get_relationship_display()} of {self.child}"


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Lead therapist")
    TREATING = "treating", _("Treating therapist")
    CONSULTING = "consulting", _("Consulting (read only)")


class CareTeamMember(TandemModel):
    """A therapist on a child's care team. Lead and treating members may edit."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="care_team")
    therapist = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="care_teams")
    role = models.CharField(_("role on the team"), max_length=20, choices=TeamRole.choices)

    history = HistoricalRecords()
    objects = NoBulkWriteQuerySet.as_manager()

    class Meta:
        ordering = ["role", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["child", "therapist"], name="one_seat_per_therapist"),
        ]
        indexes = [
            # A therapist's caseload: children whose team they are on.
            models.Index(fields=["organization", "therapist"]),
        ]

    def __str__(self) -> str:
        return f"{self.therapist.display_name} – {self.get_role_display()} for {self.child}"

    @property
    def can_edit(self) -> bool:
        return self.role in (TeamRole.LEAD, TeamRole.TREATING)
