"""What was done and what is owed: the codes of a session's note, the charges made from
them on signing, payments and adjustments against them, the claims (837P) they were sent
on and the remittances (835) that answered."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Membership, Organization
from tandem.appointments.models import Encounter
from tandem.children.models import Child
from tandem.core.models import NoBulkWriteQuerySet, TandemModel
from tandem.notes.models import SessionNote

from .models import Authorization, Payer, Policy

MAX_MINUTES = 480


class ServiceLine(TandemModel):
    """One service code of a session's note, with its minutes and modifiers (written by the
    therapist with the note; after signing, changed only through a correction)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    note = models.ForeignKey(SessionNote, on_delete=models.CASCADE, related_name="service_lines")
    code = models.CharField(_("service code"), max_length=5)
    modifiers = models.CharField(_("modifiers"), max_length=20, blank=True)
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoBulkWriteQuerySet.as_manager()

    class Meta:
        ordering = ["position", "created_at"]
        indexes = [models.Index(fields=["organization", "note"])]

    def __str__(self) -> str:
        return f"{self.code} {self.minutes} min"

    @property
    def modifier_list(self) -> list[str]:
        return [m for m in self.modifiers.split() if m]


class ChargeStatus(models.TextChoices):
    OPEN = "open", _("Not billed yet")
    BILLED = "billed", _("On a claim")
    CLOSED = "closed", _("Settled")
    VOID = "void", _("Replaced by a correction")


class Party(models.TextChoices):
    PAYER = "payer", _("Insurance")
    FAMILY = "family", _("Family")
    GRANT = "grant", _("Scholarship or grant")


class Claim(TandemModel):
    """One child's claim (837P CLM) for one payer, inside a batch file."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey("ClaimBatch", on_delete=models.PROTECT, related_name="claims")
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="+")
    control_number = models.CharField(max_length=20)  # the patient control number, CLM01
    total = models.DecimalField(max_digits=10, decimal_places=2)
    paid = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    status = models.CharField(max_length=40, blank=True)  # the payer's answer (835 CLP02)

    class Meta:
        ordering = ["control_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "control_number"], name="one_claim_per_control_number"
            ),
        ]

    def __str__(self) -> str:
        return self.control_number


class ClaimBatch(TandemModel):
    """One 837P file: the claims sent together to one payer."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()  # the interchange control number
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    content = models.TextField()
    idempotency_key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="one_batch_number"),
            models.UniqueConstraint(
                fields=["organization", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="one_batch_per_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"837P #{self.number}"


class Charge(TandemModel):
    """What one code of a signed session costs and who it is billed to (stored when the
    note is signed; a correction voids it and adds a new one, so history is kept)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="charges")
    note = models.ForeignKey(SessionNote, on_delete=models.PROTECT, related_name="charges")
    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="+")
    rendering = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    service_date = models.DateField(_("date of service"))
    code = models.CharField(_("service code"), max_length=5)
    modifiers = models.CharField(_("modifiers"), max_length=20, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    units = models.PositiveSmallIntegerField(_("units"))
    unit_fee = models.DecimalField(_("fee per unit"), max_digits=10, decimal_places=2)
    fee = models.DecimalField(_("fee"), max_digits=10, decimal_places=2)
    discount = models.DecimalField(
        _("sliding-scale discount"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    party = models.CharField(_("billed to"), max_length=10, choices=Party.choices)
    policy = models.ForeignKey(
        Policy, null=True, blank=True, on_delete=models.PROTECT, related_name="charges"
    )
    authorization = models.ForeignKey(
        Authorization, null=True, blank=True, on_delete=models.PROTECT, related_name="charges"
    )
    diagnoses = models.JSONField(_("diagnoses (ICD-10-CM)"), default=list)
    status = models.CharField(
        max_length=10, choices=ChargeStatus.choices, default=ChargeStatus.OPEN
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="charges"
    )
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoBulkWriteQuerySet.as_manager()

    class Meta:
        ordering = ["-service_date", "code"]
        indexes = [
            models.Index(fields=["organization", "child", "service_date"]),
            models.Index(fields=["organization", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} × {self.units} on {self.service_date}"

    @property
    def modifier_list(self) -> list[str]:
        return [m for m in self.modifiers.split() if m]


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Card")
    CASH = "cash", _("Cash")
    CHECK = "check", _("Check")
    TRANSFER = "transfer", _("Bank transfer")
    REMITTANCE = "remittance", _("Insurance remittance (835)")
    GRANT = "grant", _("Scholarship or grant")


class Remittance(TandemModel):
    """An imported 835 file. Its SHA-256 is unique per clinic: the same file is posted once."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    sha256 = models.CharField(max_length=64)
    payer_name = models.CharField(max_length=120)
    trace_number = models.CharField(max_length=60)
    paid_on = models.DateField(null=True, blank=True)
    total = models.DecimalField(max_digits=10, decimal_places=2)
    report = models.JSONField(default=list)  # per claim: matched or not, and why
    imported_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "sha256"], name="one_import_per_file"),
        ]

    def __str__(self) -> str:
        return f"835 {self.trace_number}"


class Payment(TandemModel):
    """Money received for a child's charges: from the family, a payer or a grant."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="payments")
    charge = models.ForeignKey(
        Charge, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    party = models.CharField(_("paid by"), max_length=10, choices=Party.choices)
    method = models.CharField(_("how"), max_length=12, choices=PaymentMethod.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    remittance = models.ForeignKey(
        Remittance, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=100, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoBulkWriteQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-created_at"]
        indexes = [models.Index(fields=["organization", "child"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="one_payment_per_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} on {self.received_on}"


class Adjustment(TandemModel):
    """A change to what is owed on a charge that is not a payment: a payer's contractual
    write-off (CAS CO-45), a denial, or the clinic's own write-off."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="adjustments")
    group_code = models.CharField(_("group"), max_length=2)  # CO, PR, OA, PI, CR
    reason_code = models.CharField(_("reason"), max_length=5)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    remittance = models.ForeignKey(
        Remittance, null=True, blank=True, on_delete=models.PROTECT, related_name="adjustments"
    )
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NoBulkWriteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.group_code}-{self.reason_code} {self.amount}"
