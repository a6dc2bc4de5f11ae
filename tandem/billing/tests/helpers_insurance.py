"""Payers, policies, authorizations and signed sessions for the insurance tests, built
through the actions, as the pages build them."""

import datetime
from collections.abc import Sequence
from typing import Any

from tandem.accounts.models import Membership
from tandem.billing import charging, insurance
from tandem.billing.models import Authorization, Payer, Policy
from tandem.children.models import Child
from tandem.core import clock
from tandem.notes import actions as notes
from tandem.notes.models import SessionNote
from tandem.notes.tests.helpers import make_note


def today_of(child: Child) -> datetime.date:
    return clock.today_for(child.organization)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def admin_of(world: Any, child: Child) -> Membership:
    return world.admin if child.organization_id == world.org.pk else world.foreign_admin


def make_payer(by: Membership, name: str = "Blue Meadow Health", **fields: Any) -> Payer:
    return insurance.add_payer(by, name=name, payer_id=fields.pop("payer_id", "BMH01"), **fields)


def make_policy(by: Membership, child: Child, payer: Any, **fields: Any) -> Policy:
    values: dict[str, Any] = {
        "member_id": "XJH123456",
        "subscriber_first_name": "Ada",
        "subscriber_last_name": child.last_name,
        "starts_on": today_of(child) - days(90),
    }
    values.update(fields)
    return insurance.add_policy(by, child, payer=payer, **values)


def make_authorization(by: Membership, child: Child, policy: Any, **fields: Any) -> Authorization:
    values: dict[str, Any] = {
        "number": "AUTH-1",
        "codes": ["97530", "92507"],
        "allowed": 10,
        "starts_on": today_of(child) - days(60),
        "ends_on": today_of(child) + days(120),
    }
    values.update(fields)
    return insurance.add_authorization(by, child, policy=policy, **values)


def insured(world: Any, child: Child | None = None, **fields: Any) -> Authorization:
    """A payer, a primary policy of the child and an authorization of it."""
    child = child or world.child
    admin = admin_of(world, child)
    payer = make_payer(admin)
    return make_authorization(admin, child, make_policy(admin, child, payer), **fields)


def signed_session(
    child: Child,
    therapist: Membership,
    lines: Sequence[tuple[str, int]] = (("97530", 45),),
    *,
    date: datetime.date | None = None,
) -> SessionNote:
    """A 45-minute session's note with its codes, signed for good (its charges made)."""
    note = make_note(child, therapist, date=date or today_of(child) - days(1))
    rows = [{"code": code, "minutes": minutes} for code, minutes in lines]
    charging.save_lines(note, therapist, rows, token=None)
    note.refresh_from_db()
    return notes.sign_note(note, therapist, expected_version=note.version)
