"""Billing's records of a clinic: who pays (payers, a child's policies and their
authorizations), what a session costs (the fee schedule, the sliding scale and a family's
assessed tier), and the numbers a claim needs (the clinic's and each therapist's NPI).

The charges, payments, claims and remittances are in ``models_charges.py``.
"""

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Membership, Organization
from tandem.children.models import Child
from tandem.core.models import NoBulkWriteQuerySet, TandemModel

from .poverty import Region


class UnitMethod(models.TextChoices):
    CMS = "cms", _("Total timed minutes (CMS 8-minute rule)")
    PER_CODE = "per_code", _("Each code on its own (8 minutes per code)")


class FilingIndicator(models.TextChoices):
    """What kind of plan a payer's claims go to (X12 claim filing indicator, SBR09)."""

    COMMERCIAL = "CI", _("Commercial insurance")
    MEDICAID = "MC", _("Medicaid")
    BLUE_CROSS = "BL", _("Blue Cross / Blue Shield")
    HMO = "HM", _("Health maintenance organization (HMO)")
    CHAMPUS = "CH", _("TRICARE (CHAMPUS)")
    OTHER = "ZZ", _("Other or unknown")


class BillingProfile(TandemModel):
    """What a claim says about the clinic: the billing provider."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="billing_profile"
    )
    legal_name = models.CharField(_("legal name"), max_length=120)
    npi = models.CharField(_("organization NPI"), max_length=10)
    tax_id = models.CharField(_("tax ID (EIN)"), max_length=10)
    taxonomy = models.CharField(_("taxonomy code"), max_length=10)
    address = models.CharField(_("street address"), max_length=120)
    city = models.CharField(_("city"), max_length=60)
    state = models.CharField(_("state"), max_length=2)
    postal_code = models.CharField(_("ZIP code"), max_length=10)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    region = models.CharField(
        _("poverty guideline region"),
        max_length=12,
        choices=Region.choices,
        default=Region.CONTIGUOUS,
    )
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.legal_name


class ProviderNumber(TandemModel):
    """A therapist's numbers on a claim (the rendering provider)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="provider_number"
    )
    npi = models.CharField(_("NPI"), max_length=10)
    taxonomy = models.CharField(_("taxonomy code"), max_length=10)
    credentials = models.CharField(_("credentials"), max_length=40, blank=True)

    def __str__(self) -> str:
        return self.npi


class Payer(TandemModel):
    """An insurer (or Medicaid plan) the clinic bills."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=120)
    payer_id = models.CharField(_("payer ID (electronic claims)"), max_length=20)
    unit_method = models.CharField(
        _("how units are counted"),
        max_length=10,
        choices=UnitMethod.choices,
        default=UnitMethod.CMS,
    )
    filing_indicator = models.CharField(
        _("kind of plan"),
        max_length=2,
        choices=FilingIndicator.choices,
        default=FilingIndicator.COMMERCIAL,
        db_default=FilingIndicator.COMMERCIAL,
    )
    daily_unit_limit = models.PositiveSmallIntegerField(
        _("most timed units a day for one child"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(96)],
    )
    is_active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoBulkWriteQuerySet.as_manager()
    # A payer's versions show in the audit trail of each child it insures.
    history_children = ("billing.Policy", "payer_id")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="one_payer_per_name"),
        ]

    def __str__(self) -> str:
        return self.name


class PatientRelationship(models.TextChoices):
    """The child's relationship to the policyholder (X12 individual relationship codes)."""

    CHILD = "19", _("The policyholder's child")
    SELF = "18", _("The child is the policyholder")
    OTHER = "G8", _("Another relationship")


class Priority(models.IntegerChoices):
    PRIMARY = 1, _("Primary")
    SECONDARY = 2, _("Secondary")
    TERTIARY = 3, _("Tertiary")


class Policy(TandemModel):
    """A child's insurance with one payer."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="policies")
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="policies")
    member_id = models.CharField(_("member ID"), max_length=40)
    group_number = models.CharField(_("group number"), max_length=40, blank=True)
    subscriber_first_name = models.CharField(_("policyholder's first name"), max_length=60)
    subscriber_last_name = models.CharField(_("policyholder's last name"), max_length=60)
    subscriber_birth_date = models.DateField(
        _("policyholder's date of birth"), null=True, blank=True
    )
    # The policyholder's home, the child's too on a claim (837P loops 2010BA and 2010CA).
    address = models.CharField(_("policyholder's street address"), max_length=55, blank=True)
    city = models.CharField(_("city"), max_length=30, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True)
    postal_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    relationship = models.CharField(
        _("the child is"),
        max_length=2,
        choices=PatientRelationship.choices,
        default=PatientRelationship.CHILD,
    )
    priority = models.PositiveSmallIntegerField(
        _("order"), choices=Priority.choices, default=Priority.PRIMARY
    )
    starts_on = models.DateField(_("covered from"))
    ends_on = models.DateField(_("covered until"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoBulkWriteQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "-starts_on"]
        indexes = [models.Index(fields=["organization", "child"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="policy_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payer_id} {self.member_id}"

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class AuthorizationUnit(models.TextChoices):
    VISITS = "visits", _("Visits")
    UNITS = "units", _("Units")


class Authorization(TandemModel):
    """A payer's approval of so many visits or units of given codes in a date range."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="authorizations")
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="authorizations")
    number = models.CharField(_("authorization number"), max_length=50)
    codes = models.JSONField(_("service codes"), default=list)
    counts = models.CharField(
        _("counted in"),
        max_length=10,
        choices=AuthorizationUnit.choices,
        default=AuthorizationUnit.VISITS,
    )
    allowed = models.PositiveIntegerField(
        _("allowed"), validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoBulkWriteQuerySet.as_manager()

    class Meta:
        ordering = ["-ends_on"]
        indexes = [models.Index(fields=["organization", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="authorization_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class FeeScheduleEntry(TandemModel):
    """The clinic's fee for one unit of a code, from a date (until the next entry's)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    code = models.CharField(_("service code"), max_length=5)
    amount = models.DecimalField(
        _("fee per unit"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    effective_from = models.DateField(_("from"))

    class Meta:
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code", "effective_from"], name="one_fee_per_code_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.amount} from {self.effective_from}"


class SlidingTier(TandemModel):
    """A sliding-scale tier: a household at or under ``up_to_percent`` of the poverty
    guideline pays ``discount_percent`` less (the lowest tier that fits applies)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    up_to_percent = models.PositiveSmallIntegerField(
        _("income up to (% of poverty guideline)"),
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    discount_percent = models.PositiveSmallIntegerField(
        _("discount (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["up_to_percent"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "up_to_percent"], name="one_tier_per_limit"
            ),
        ]

    def __str__(self) -> str:
        return f"≤ {self.up_to_percent} % → {self.discount_percent} % off"


class Funding(models.TextChoices):
    INSURANCE = "insurance", _("Insurance")
    SELF_PAY = "self_pay", _("The family pays")
    GRANT = "grant", _("A scholarship or grant")


class FeeAgreement(TandemModel):
    """How a child's sessions are paid for, and, for a family paying themselves, their
    household's sliding-scale assessment (stored as assessed: the year, the percentage and
    the discount do not move when tables or tiers change later)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="fee_agreement")
    funding = models.CharField(
        _("who pays"), max_length=10, choices=Funding.choices, default=Funding.INSURANCE
    )
    household_size = models.PositiveSmallIntegerField(
        _("people in the household"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    annual_income = models.DecimalField(
        _("household income a year"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    region = models.CharField(
        _("where the family lives"),
        max_length=12,
        choices=Region.choices,
        default=Region.CONTIGUOUS,
    )
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    guideline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    guideline_amount = models.PositiveIntegerField(null=True, blank=True)
    percent_of_poverty = models.PositiveIntegerField(null=True, blank=True)
    discount_percent = models.PositiveSmallIntegerField(default=0)
    grant_name = models.CharField(_("scholarship or grant"), max_length=120, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoBulkWriteQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.child_id}: {self.funding}"


# Charges, payments, claims and remittances (``models_charges.py``), registered with these.
from .models_charges import (  # noqa: E402
    Adjustment,
    Charge,
    ChargeStatus,
    Claim,
    ClaimBatch,
    Party,
    Payment,
    PaymentMethod,
    Remittance,
    ServiceLine,
)

__all__ = [
    "Adjustment",
    "Authorization",
    "AuthorizationUnit",
    "BillingProfile",
    "Charge",
    "ChargeStatus",
    "Claim",
    "ClaimBatch",
    "FeeAgreement",
    "FeeScheduleEntry",
    "FilingIndicator",
    "Funding",
    "Party",
    "PatientRelationship",
    "Payer",
    "Payment",
    "PaymentMethod",
    "Policy",
    "Priority",
    "ProviderNumber",
    "Remittance",
    "ServiceLine",
    "SlidingTier",
    "UnitMethod",
]
