"""Billing records for tests, built the way the app builds them (signing runs the charges)."""

import datetime
from decimal import Decimal
from typing import Any

from tandem.accounts.models import Membership
from tandem.billing import charging
from tandem.billing.models import (
    Authorization,
    FeeAgreement,
    FeeScheduleEntry,
    Funding,
    Payer,
    Policy,
)
from tandem.children.models import Child
from tandem.notes.actions import sign_note
from tandem.notes.models import SessionNote
from tandem.notes.tests.helpers import TODAY, make_note

FEES = {
    "97530": "40.00",
    "97110": "35.00",
    "97140": "38.00",
    "97112": "36.00",
    "92507": "120.00",
    "97153": "20.00",
    "97165": "180.00",
}


def fees(organization: Any, on: datetime.date | None = None, **amounts: str) -> None:
    for code, amount in (amounts or FEES).items():
        FeeScheduleEntry.objects.create(
            organization=organization,
            code=code,
            amount=Decimal(amount),
            effective_from=on or TODAY - datetime.timedelta(days=365),
        )


def payer(organization: Any, name: str = "Blue Valley Health", **fields: Any) -> Payer:
    return Payer.objects.create(
        organization=organization, name=name, payer_id=fields.pop("payer_id", "BVH01"), **fields
    )


def policy(child: Child, with_payer: Payer, **fields: Any) -> Policy:
    values = {
        "member_id": "XJ123456789",
        "subscriber_first_name": "Ada",
        "subscriber_last_name": child.last_name,
        "starts_on": TODAY - datetime.timedelta(days=200),
    }
    values.update(fields)
    return Policy.objects.create(
        organization_id=child.organization_id, child=child, payer=with_payer, **values
    )


def authorization(of: Policy, codes: list[str], allowed: int = 10, **fields: Any) -> Authorization:
    values = {
        "number": "AUTH-1",
        "starts_on": TODAY - datetime.timedelta(days=60),
        "ends_on": TODAY + datetime.timedelta(days=120),
    }
    values.update(fields)
    return Authorization.objects.create(
        organization_id=of.organization_id,
        child_id=of.child_id,
        policy=of,
        codes=codes,
        allowed=allowed,
        **values,
    )


def self_pay(child: Child, discount_percent: int = 0, **fields: Any) -> FeeAgreement:
    return FeeAgreement.objects.create(
        organization_id=child.organization_id,
        child=child,
        funding=Funding.SELF_PAY,
        discount_percent=discount_percent,
        **fields,
    )


def coded_note(
    child: Child,
    author: Membership,
    lines: list[tuple[str, int] | tuple[str, int, str]],
    *,
    sign: bool = True,
    **fields: Any,
) -> SessionNote:
    """A note with these codes (code, minutes[, modifiers]), signed by its author if asked."""
    note = make_note(child, author, **fields)
    rows = [
        {"code": line[0], "minutes": line[1], "modifiers": line[2] if len(line) > 2 else ""}
        for line in lines
    ]
    charging.save_lines(note, author, rows, token=None)
    if sign:
        note.refresh_from_db()
        note = sign_note(note, author, expected_version=note.version)
    return note
