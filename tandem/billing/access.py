"""Which billing records a member reads: every query of the app starts here, scoped to
the member's clinic (and, for a child's records, to a child the kernel let them see)."""

import uuid
from typing import Any

from django.db.models import QuerySet

from tandem.access import not_found
from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.notes.models import SessionNote

from .models import (
    Authorization,
    BillingProfile,
    Charge,
    ChargeStatus,
    FeeAgreement,
    FeeScheduleEntry,
    Payer,
    Payment,
    Policy,
    ProviderNumber,
    SlidingTier,
)


def _org(membership: Membership) -> Any:
    return membership.organization_id


# --- The clinic's --------------------------------------------------------------------


def payers_of(membership: Membership) -> QuerySet[Payer]:
    return Payer.objects.filter(organization_id=_org(membership))


def get_payer(membership: Membership, payer_id: uuid.UUID | str) -> Payer:
    try:
        return payers_of(membership).get(pk=payer_id)
    except (Payer.DoesNotExist, ValueError) as exc:
        raise not_found() from exc


def fee_schedule(membership: Membership) -> QuerySet[FeeScheduleEntry]:
    return FeeScheduleEntry.objects.filter(organization_id=_org(membership))


def sliding_tiers(organization_id: Any) -> list[SlidingTier]:
    return list(SlidingTier.objects.filter(organization_id=organization_id))


def billing_profile(membership: Membership) -> BillingProfile | None:
    return BillingProfile.objects.filter(organization_id=_org(membership)).first()


def provider_numbers(membership: Membership) -> dict[Any, ProviderNumber]:
    rows = ProviderNumber.objects.filter(organization_id=_org(membership))
    return {row.membership_id: row for row in rows}


def clinic_charges(membership: Membership) -> QuerySet[Charge]:
    """Every live charge of the clinic (billing pages: admins and billing only)."""
    return (
        Charge.objects.filter(organization_id=_org(membership))
        .exclude(status=ChargeStatus.VOID)
        .select_related("child", "policy__payer")
    )


def clinic_authorizations(membership: Membership) -> QuerySet[Authorization]:
    return Authorization.objects.filter(organization_id=_org(membership))


# What billing reads of a note: when, whose, its state; never the narrative.
NOTE_FACTS = (
    "id",
    "organization",
    "child",
    "author",
    "encounter",
    "date",
    "start_time",
    "end_time",
    "status",
    "service_type",
    "location",
)


def clinic_notes(membership: Membership) -> QuerySet[SessionNote]:
    """The clinic's notes as billing reads them (the facts a claim needs, no narrative)."""
    return SessionNote.objects.filter(organization_id=_org(membership)).only(*NOTE_FACTS)


# --- A child's (the child already checked visible by the kernel) ----------------------


def charges_of(child: Child) -> QuerySet[Charge]:
    return (
        Charge.objects.filter(organization_id=child.organization_id, child=child)
        .exclude(status=ChargeStatus.VOID)
        .select_related("policy__payer", "rendering__user")
        .order_by("-service_date", "code")
    )


def get_charge(child: Child, charge_id: uuid.UUID | str) -> Charge:
    try:
        return charges_of(child).get(pk=charge_id)
    except (Charge.DoesNotExist, ValueError) as exc:
        raise not_found() from exc


def payments_of(child: Child) -> QuerySet[Payment]:
    return Payment.objects.filter(organization_id=child.organization_id, child=child)


def policies_of(child: Child) -> QuerySet[Policy]:
    return Policy.objects.filter(organization_id=child.organization_id, child=child).select_related(
        "payer"
    )


def get_policy(child: Child, policy_id: uuid.UUID | str) -> Policy:
    try:
        return policies_of(child).get(pk=policy_id)
    except (Policy.DoesNotExist, ValueError) as exc:
        raise not_found() from exc


def authorizations_of(child: Child) -> QuerySet[Authorization]:
    return Authorization.objects.filter(
        organization_id=child.organization_id, child=child
    ).select_related("policy__payer")


def get_authorization(child: Child, authorization_id: uuid.UUID | str) -> Authorization:
    try:
        return authorizations_of(child).get(pk=authorization_id)
    except (Authorization.DoesNotExist, ValueError) as exc:
        raise not_found() from exc


def agreement_of(child: Child) -> FeeAgreement | None:
    return FeeAgreement.objects.filter(organization_id=child.organization_id, child=child).first()


def note_of(child: Child, note_id: uuid.UUID | str) -> SessionNote:
    """A note of the child (the child checked visible; the rule then checks the note)."""
    try:
        return SessionNote.objects.select_related("author").get(
            organization_id=child.organization_id, child=child, pk=note_id
        )
    except (SessionNote.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
