"""The family's private status link: signed, so it needs no sign-in and no stored secret.

The link carries the clinic's and the referral's ids, signed with the site's secret key
(``django.core.signing``, salted for this use only): it cannot be guessed or altered, and
the worker can write it into an email from the referral's id alone (no token in the task
queue). Anyone holding the link reads the referral's status: it is never shown on a
page, only emailed to the address the family gave, and the page shows the child's
first name only.
"""

import uuid

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "tandem.intake.status"
MAX_AGE = 60 * 60 * 24 * 400  # a little over a year: a long waitlist stays reachable


def token_for(organization_id: object, referral_id: object) -> str:
    return signing.dumps([str(organization_id), str(referral_id)], salt=SALT, compress=True)


def read_token(token: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    """(organization id, referral id) from a valid link, else None."""
    try:
        org, referral = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        return uuid.UUID(org), uuid.UUID(referral)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def status_url(organization_id: object, referral_id: object) -> str:
    path = reverse("intake:status", args=[token_for(organization_id, referral_id)])
    return f"{settings.SITE_URL}{path}"
