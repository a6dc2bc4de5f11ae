"""Claim files (837P): a payer's open charges, grouped into claims and written as one batch.

``build_batch`` takes the charges billing chose, checks they are the clinic's, open and
billed to that payer, groups them into one claim per child, policy and authorization (a
claim holds at most 50 lines and 12 diagnoses; more starts another), writes the 837P with
the clinic's billing profile and each therapist's NPI, has pyx12 check it, and stores the
file, its claims and the charges' new state in one transaction. Each line carries the
charge's id (shortened) as its control number, so the payer's 835 finds it again
(``remittances.py``).
"""

import datetime
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, DecimalField, Max, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from tandem.access import not_found
from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core import clock

from .claims_lines import (
    claim_control_number,
    claim_for,
    group_charges,
    line_control_number,
    places_of,
    recorded_diagnoses,
    renderings_for,
)
from .models import (
    BillingProfile,
    Charge,
    ChargeStatus,
    Claim,
    ClaimBatch,
    Party,
    Payer,
)
from .reading import with_balances
from .x12 import claim837 as x12
from .x12.elements import Address, digits
from .x12.errors import X12Error
from .x12.npi import is_valid_npi
from .x12.validate import validate

__all__ = ["build_batch", "line_control_number"]

SHOWN_PROBLEMS = 5
OPEN_LIMIT = 500  # open charges listed on the page for one payer
MONEY = DecimalField(max_digits=12, decimal_places=2)


# --- What the pages read ------------------------------------------------------------


def _org(membership: Membership) -> Any:
    return membership.organization_id


def batches_of(membership: Membership) -> QuerySet[ClaimBatch]:
    """The clinic's batches, newest first, with their claims' count, total and paid."""
    claims = (
        Claim.objects.filter(organization_id=OuterRef("organization_id"), batch=OuterRef("pk"))
        .order_by()
        .values("batch")
    )

    def total(expression: Any) -> Any:
        return Coalesce(
            Subquery(claims.annotate(v=expression).values("v"), output_field=MONEY),
            Decimal("0"),
            output_field=MONEY,
        )

    return (
        ClaimBatch.objects.filter(organization_id=_org(membership))
        .defer("content")
        .select_related("payer", "created_by__user")
        .annotate(
            claim_count=Coalesce(Subquery(claims.annotate(n=Count("pk")).values("n")), 0),
            billed=total(Sum("total")),
            paid=total(Sum("paid")),
        )
        .prefetch_related(
            Prefetch(
                "claims",
                queryset=Claim.objects.filter(organization_id=_org(membership)).select_related(
                    "child"
                ),
            )
        )
        .order_by("-number")
    )


def get_batch(membership: Membership, batch_id: uuid.UUID | str) -> ClaimBatch:
    try:
        return (
            ClaimBatch.objects.filter(organization_id=_org(membership))
            .select_related("payer", "created_by__user")
            .get(pk=batch_id)
        )
    except (ClaimBatch.DoesNotExist, ValueError, ValidationError) as exc:
        raise not_found() from exc


def claims_of(batch: ClaimBatch) -> list[Claim]:
    """A batch's claims, each with its charges (and what is still owed on them)."""
    charges = with_balances(
        Charge.objects.filter(organization_id=batch.organization_id).order_by(
            "service_date", "code"
        )
    )
    return list(
        Claim.objects.filter(organization_id=batch.organization_id, batch=batch)
        .select_related("child", "policy__payer")
        .prefetch_related(Prefetch("charges", queryset=charges))
    )


def claim_count(batch: ClaimBatch) -> int:
    return Claim.objects.filter(organization_id=batch.organization_id, batch=batch).count()


def batch_children(batch: ClaimBatch) -> list[Child]:
    """The children a batch's claims are for."""
    claims = Claim.objects.filter(organization_id=batch.organization_id, batch=batch)
    return list(
        Child.objects.filter(
            organization_id=batch.organization_id, pk__in=claims.values("child_id")
        )
    )


def payers_to_bill(membership: Membership) -> list[Payer]:
    """The clinic's payers, each with how many open charges it could be billed."""
    open_charges = (
        Charge.objects.filter(
            organization_id=OuterRef("organization_id"),
            policy__payer=OuterRef("pk"),
            status=ChargeStatus.OPEN,
            party=Party.PAYER,
        )
        .order_by()
        .values("policy__payer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Payer.objects.filter(organization_id=_org(membership))
        .annotate(open_count=Coalesce(Subquery(open_charges), 0))
        .order_by("name")
    )


def open_charges(membership: Membership, payer: Payer) -> QuerySet[Charge]:
    """The payer's charges not billed yet, by child and date."""
    return (
        Charge.objects.filter(
            organization_id=_org(membership),
            status=ChargeStatus.OPEN,
            party=Party.PAYER,
            policy__payer=payer,
        )
        .select_related("child", "policy")
        .order_by("child__last_name", "child__first_name", "child_id", "service_date", "code")
    )


# --- Building a batch -----------------------------------------------------------------


def build_batch(
    membership: Membership,
    payer: Payer | uuid.UUID | str,
    charge_ids: Iterable[Any],
    *,
    idempotency_key: str = "",
    at: datetime.datetime | None = None,
) -> ClaimBatch:
    """Bill the chosen charges to the payer in one 837P file (once per idempotency key)."""
    org = _org(membership)
    if idempotency_key:
        done = ClaimBatch.objects.filter(organization_id=org, idempotency_key=idempotency_key)
        if found := done.first():
            return found
    try:
        with transaction.atomic():
            return _build(membership, payer, charge_ids, idempotency_key, at)
    except IntegrityError as exc:
        # Another batch took the same key, number or claim number at the same moment.
        if idempotency_key:
            found = ClaimBatch.objects.filter(
                organization_id=org, idempotency_key=idempotency_key
            ).first()
            if found is not None:
                return found
        raise ValidationError(
            _("Another claim file was being built at the same moment: try again.")
        ) from exc


def _build(
    membership: Membership,
    payer_ref: Payer | uuid.UUID | str,
    charge_ids: Iterable[Any],
    idempotency_key: str,
    at: datetime.datetime | None,
) -> ClaimBatch:
    payer = _payer(membership, payer_ref)
    charges = _chosen(membership, payer, charge_ids)
    profile = _profile(membership)
    renderings = renderings_for(membership, charges)
    places = places_of(membership, charges)
    fallback = recorded_diagnoses(membership, charges)
    groups = group_charges(charges, fallback)
    org = _org(membership)
    number = (
        ClaimBatch.objects.filter(organization_id=org).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    sequence = Claim.objects.filter(organization_id=org).count()
    claims = []
    for n, group in enumerate(groups, start=1):
        claims.append(
            claim_for(claim_control_number(sequence + n), group, fallback, renderings, places)
        )
    created = clock.local_now(membership.organization, at).replace(microsecond=0)
    sender = digits(profile.tax_id)
    batch = x12.Batch(
        control_number=number,
        group_control_number=number,
        created_at=created,
        sender_id=sender,
        receiver_id=payer.payer_id.strip(),
        submitter=x12.Submitter(profile.legal_name, sender, membership.display_name, profile.phone),
        receiver=x12.Receiver(payer.name, payer.payer_id.strip()),
        billing_provider=x12.BillingProvider(
            profile.legal_name,
            profile.npi.strip(),
            profile.tax_id,
            profile.taxonomy,
            Address(profile.address, profile.city, profile.state, profile.postal_code),
            profile.phone,
        ),
        claims=tuple(claims),
        usage=getattr(settings, "X12_USAGE", "T" if settings.DEBUG else "P"),
    )
    try:
        content = x12.build_837p(batch)
    except X12Error as exc:
        raise ValidationError(
            _("The claim file cannot be written: %(error)s") % {"error": exc}
        ) from exc
    problems = validate(content)
    if problems:
        raise ValidationError(
            [_("The claim file does not pass the 837P checks:"), *problems[:SHOWN_PROBLEMS]]
        )
    record = ClaimBatch(
        organization_id=org,
        payer=payer,
        number=number,
        created_by=membership,
        content=content,
        idempotency_key=idempotency_key,
    )
    record.save(at=at)
    for claim, group in zip(claims, groups, strict=True):
        row = Claim(
            organization_id=org,
            child_id=group[0].child_id,
            batch=record,
            policy=group[0].policy,
            control_number=claim.patient_control_number,
            total=claim.total_charge,
        )
        row.save(at=at)
        for charge in group:
            charge.status = ChargeStatus.BILLED
            charge.claim = row
            charge.version += 1
            charge.save(at=at)
    return record


def _payer(membership: Membership, payer: Payer | uuid.UUID | str) -> Payer:
    if isinstance(payer, Payer):
        if payer.organization_id == _org(membership):
            return payer
        payer = payer.pk
    found = None
    try:
        found = Payer.objects.filter(organization_id=_org(membership), pk=payer).first()
    except (ValueError, ValidationError):
        found = None
    if found is None:
        raise ValidationError({"payer_id": [_("Choose one of the clinic's payers.")]})
    if not found.payer_id.strip():
        raise ValidationError(
            _("Add %(payer)s's payer ID for electronic claims first.") % {"payer": found.name}
        )
    return found


def _ids(charge_ids: Iterable[Any]) -> tuple[list[uuid.UUID], int]:
    """The ids that read as ids (in order, once each), and how many did not."""
    found: list[uuid.UUID] = []
    bad = 0
    for raw in charge_ids:
        try:
            value = raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
        except ValueError:
            bad += 1
            continue
        if value not in found:
            found.append(value)
    return found, bad


def _describe(charge: Charge) -> str:
    return _("%(child)s's %(code)s of %(day)s") % {
        "child": charge.child.display_name,
        "code": charge.code,
        "day": charge.service_date.isoformat(),
    }


def _chosen(membership: Membership, payer: Payer, charge_ids: Iterable[Any]) -> list[Charge]:
    """The chosen charges, locked, or ValidationError naming each one that cannot go."""
    ids, bad = _ids(charge_ids)
    if not ids and not bad:
        raise ValidationError({"charge_ids": [_("Choose at least one charge to bill.")]})
    charges = list(
        Charge.objects.filter(organization_id=_org(membership), pk__in=ids)
        .select_related("child", "policy__payer", "authorization", "rendering__user")
        .select_for_update(of=("self",))
    )
    problems: list[str] = []
    missing = bad + len(ids) - len(charges)
    if missing:
        problems.append(
            _("%(n)s of the chosen charges are not the clinic's charges.") % {"n": missing}
        )
    others: set[str] = set()
    for charge in sorted(charges, key=lambda c: (c.child.last_name, c.service_date, c.code)):
        if charge.status == ChargeStatus.VOID:
            problems.append(_("%(c)s was replaced by a correction.") % {"c": _describe(charge)})
        elif charge.status != ChargeStatus.OPEN:
            problems.append(_("%(c)s is already on a claim.") % {"c": _describe(charge)})
        elif charge.party != Party.PAYER or charge.policy is None:
            problems.append(
                _("%(c)s is billed to the family, not to insurance.") % {"c": _describe(charge)}
            )
        elif charge.policy.payer_id != payer.pk:
            others.add(charge.policy.payer.name)
        elif charge.amount <= 0:
            problems.append(
                _("%(c)s has no fee: add the code's fee to the fee schedule and correct it.")
                % {"c": _describe(charge)}
            )
    if others:
        problems.append(
            _("Some charges are billed to %(others)s, not %(payer)s: build one file per payer.")
            % {"others": ", ".join(sorted(others)), "payer": payer.name}
        )
    if problems:
        raise ValidationError({"charge_ids": problems})
    return charges


def _profile(membership: Membership) -> BillingProfile:
    """The clinic's billing profile, complete enough for a claim."""
    profile = BillingProfile.objects.filter(organization_id=_org(membership)).first()
    if profile is None:
        raise ValidationError(
            _("Fill in the clinic's billing profile (name, NPI, tax ID, address) first.")
        )
    problems = []
    if not profile.npi.strip() or not profile.tax_id.strip():
        problems.append(_("Add the clinic's NPI and tax ID on the billing profile first."))
    elif not is_valid_npi(profile.npi.strip()):
        problems.append(
            _("The clinic's NPI %(npi)s is not valid: check its 10 digits on the billing profile.")
            % {"npi": profile.npi}
        )
    elif len(digits(profile.tax_id)) != 9:
        problems.append(_("The clinic's tax ID (EIN) needs 9 digits on the billing profile."))
    if not profile.taxonomy.strip():
        problems.append(_("Add the clinic's taxonomy code on the billing profile first."))
    if not (profile.address.strip() and profile.city.strip() and profile.state.strip()):
        problems.append(_("Add the clinic's street address on the billing profile first."))
    if len(digits(profile.postal_code)) != 9:
        problems.append(
            _("Claims need the clinic's ZIP+4 (9 digits): add it on the billing profile.")
        )
    if len(digits(profile.phone)) != 10:
        problems.append(
            _("Add the clinic's phone number (10 digits) on the billing profile first.")
        )
    if problems:
        raise ValidationError(problems)
    return profile
