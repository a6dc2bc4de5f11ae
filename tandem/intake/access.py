"""Which referrals a member reads (the clinic's, for triage) and the family's by link."""

import uuid

from django.db.models import QuerySet

from tandem.access import not_found
from tandem.accounts.models import Membership, Organization

from .links import read_token
from .models import Offer, Referral


def referrals_for(membership: Membership) -> QuerySet[Referral]:
    return Referral.objects.filter(organization_id=membership.organization_id).select_related(
        "organization"
    )


def get_referral(membership: Membership, referral_id: uuid.UUID | str) -> Referral:
    try:
        return referrals_for(membership).get(pk=referral_id)
    except (Referral.DoesNotExist, ValueError) as exc:
        raise not_found() from exc


def referral_by_token(token: str) -> Referral:
    """The referral a family's signed link names, else 404."""
    ids = read_token(token)
    if ids is None:
        raise not_found()
    organization_id, referral_id = ids
    referral = (
        Referral.objects.filter(organization_id=organization_id, pk=referral_id)
        .select_related("organization")
        .first()
    )
    if referral is None:
        raise not_found()
    return referral


def offers_of(membership: Membership, referral: Referral) -> QuerySet[Offer]:
    return Offer.objects.filter(
        organization_id=membership.organization_id, referral=referral
    ).select_related("therapist__user")


def clinic_by_id(clinic: str) -> Organization:
    """The clinic a public form's address names (its id), else 404."""
    try:
        organization = Organization.objects.filter(pk=uuid.UUID(clinic)).first()
    except ValueError:
        organization = None
    if organization is None:
        raise not_found()
    return organization
