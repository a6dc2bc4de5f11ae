"""Referrals for tests, submitted as the public form submits them."""

import datetime
from typing import Any

from tandem.accounts.models import Organization
from tandem.intake import actions
from tandem.intake.models import Referral


def referral_fields(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "child_first_name": "Lucas",
        "child_last_name": "Moreno",
        "date_of_birth": datetime.date(2022, 3, 14),
        "sex": "M",
        "concerns": ["communication"],
        "concerns_detail": "He says very few words.",
        "disciplines": ["slp"],
        "referrer": "parent",
        "contact_name": "Elena Moreno",
        "relationship": "mother",
        "contact_email": "elena.moreno@mail.example",
        "language": "es",
        "availability": [],
        "funding": "medicaid",
    }
    fields.update(changes)
    return fields


def make_referral(organization: Organization, **changes: Any) -> Referral:
    return actions.submit_referral(organization, **referral_fields(**changes))
