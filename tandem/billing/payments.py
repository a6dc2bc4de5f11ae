"""Money received and written off, against a child's charges."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.children.models import Child

from .models import Adjustment, Charge, ChargeStatus, Party, Payment, PaymentMethod

MAX_AMOUNT = Decimal("100000")


@transaction.atomic
def record_payment(
    membership: Membership,
    child: Child,
    *,
    amount: Decimal,
    party: str,
    method: str,
    received_on: datetime.date | None,
    reference: str = "",
    charge_id: Any = None,
    idempotency_key: str = "",
    at: datetime.datetime | None = None,
) -> Payment:
    """Record a payment for the child (against one charge, or on account)."""
    problems: dict[str, list[str]] = {}
    if (
        not amount.is_finite()
        or not (Decimal("0.01") <= amount <= MAX_AMOUNT)
        or amount != amount.quantize(Decimal("0.01"))
    ):
        problems["amount"] = [_("Write an amount between 0.01 and 100,000, with at most cents.")]
    if party not in Party.values:
        problems["party"] = [_("Choose who paid.")]
    if method not in PaymentMethod.values:
        problems["method"] = [_("Choose how it was paid.")]
    if received_on is None:
        problems["received_on"] = [_("Give the date the money came in.")]
    charge = None
    if charge_id:
        charge = (
            Charge.objects.filter(organization_id=child.organization_id, child=child, pk=charge_id)
            .exclude(status=ChargeStatus.VOID)
            .first()
        )
        if charge is None:
            problems["charge"] = [_("That charge is not this child's.")]
    if problems or received_on is None:
        raise ValidationError(problems)
    payment = Payment(
        organization_id=child.organization_id,
        child=child,
        charge=charge,
        party=party,
        method=method,
        amount=amount,
        received_on=received_on,
        reference=(reference or "").strip()[:60],
        recorded_by=membership,
        idempotency_key=idempotency_key,
    )
    payment.save(at=at)
    return payment


# The adjustment groups a clinic's own write-off may use (X12 CAS groups).
WRITE_OFF_GROUPS = {
    "CO": "Contractual obligation",
    "OA": "Other adjustment",
    "PI": "Payer initiated",
}


@transaction.atomic
def write_off(
    membership: Membership,
    charge: Charge,
    *,
    amount: Decimal,
    group_code: str = "OA",
    reason_code: str = "45",
    remittance: Any = None,
    at: datetime.datetime | None = None,
) -> Adjustment:
    """An adjustment on a charge: a payer's (from an 835) or the clinic's own write-off
    (positive: less is owed; negative: a write-off taken back)."""
    problems: dict[str, list[str]] = {}
    if not amount.is_finite() or amount == 0 or abs(amount) > MAX_AMOUNT:
        problems["amount"] = [_("An adjustment is a non-zero amount up to 100,000.")]
    elif amount != amount.quantize(Decimal("0.01")):
        problems["amount"] = [_("Write the amount with at most cents.")]
    if remittance is None and group_code not in WRITE_OFF_GROUPS:
        problems["group_code"] = [_("Choose why: CO, OA or PI.")]
    if not (reason_code or "").strip() or len(reason_code.strip()) > 5:
        problems["reason_code"] = [_("Give the reason code (1 to 5 characters, such as 45).")]
    if charge.status == ChargeStatus.VOID:
        problems["charge"] = [_("That charge was replaced by a correction.")]
    if problems:
        raise ValidationError(problems)
    adjustment = Adjustment(
        organization_id=charge.organization_id,
        child_id=charge.child_id,
        charge=charge,
        group_code=group_code,
        reason_code=reason_code.strip(),
        amount=amount,
        remittance=remittance,
        recorded_by=membership,
    )
    adjustment.save(at=at)
    return adjustment
