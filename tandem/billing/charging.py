"""A session's codes and the charges made from them.

The therapist lists the session's codes with the note (``save_lines``): each code, its
minutes and modifiers. When the note is signed for good (``notes.signals.note_signed``),
``make_charges`` prices them: units by the payer's method (``units.py``), the fee in force
that day, the family's sliding-scale discount when they pay themselves, the authorization
the session uses, the child's diagnoses as pointers. A signed note's codes change only by
a correction (``correct_lines``): an addendum on the note says what changed and why, the
open charges are voided and new ones made, so the first version is kept.
"""

import datetime
import hashlib
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.children.models import Diagnosis
from tandem.core.access import Conflict
from tandem.notes.actions import add_addendum, locked_note
from tandem.notes.models import NoteStatus, SessionNote

from . import catalogue
from .models import (
    Adjustment,
    Authorization,
    AuthorizationUnit,
    Charge,
    ChargeStatus,
    FeeAgreement,
    FeeScheduleEntry,
    Funding,
    Party,
    Payment,
    Policy,
    ServiceLine,
)
from .reading import authorization_uses
from .units import Minutes, units

CENT = Decimal("0.01")
MAX_LINES = 8
MAX_DIAGNOSES = 4


class LinesChanged(Conflict):
    """The codes changed since the form was read (a stale form): refused, nothing saved."""

    def __init__(self) -> None:
        Exception.__init__(self, _("Someone changed these codes meanwhile: look again."))
        self.current_version = 0


def lines_of(note: SessionNote) -> list[ServiceLine]:
    return list(
        ServiceLine.objects.filter(organization_id=note.organization_id, note=note).order_by(
            "position", "created_at"
        )
    )


def lines_token(lines: Sequence[ServiceLine]) -> str:
    """A fingerprint of the codes as read: a form sends it back, a mismatch is a conflict."""
    text = "|".join(f"{ln.code}:{ln.minutes}:{ln.modifiers}" for ln in lines)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- What the therapist enters ------------------------------------------------------


def clean_rows(note: SessionNote, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as lines to save, or ValidationError naming each problem (row by row)."""
    problems: list[str] = []
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        code = str(row.get("code") or "").strip()
        raw_minutes = row.get("minutes")
        modifiers = row.get("modifiers") or []
        if isinstance(modifiers, str):
            modifiers = modifiers.replace(",", " ").split()
        modifiers = [str(m).strip().upper() for m in modifiers if str(m).strip()]
        if not code and raw_minutes in (None, ""):
            continue
        service = catalogue.code_for(code)
        if service is None:
            problems.append(
                _("Line %(n)s: %(code)s is not a service code Tandem knows.")
                % {"n": n, "code": code or "—"}
            )
            continue
        try:
            minutes = int(str(raw_minutes))
        except (TypeError, ValueError):
            problems.append(_("Line %(n)s: write the minutes as a whole number.") % {"n": n})
            continue
        if minutes < 1:
            problems.append(_("Line %(n)s: minutes must be 1 or more.") % {"n": n})
            continue
        if minutes > 480:
            problems.append(_("Line %(n)s: at most 480 minutes.") % {"n": n})
            continue
        unknown = [m for m in modifiers if m not in catalogue.MODIFIERS]
        if unknown:
            problems.append(_("Line %(n)s: unknown modifier %(m)s.") % {"n": n, "m": unknown[0]})
            continue
        if len(modifiers) > catalogue.MAX_MODIFIERS or len(set(modifiers)) != len(modifiers):
            problems.append(_("Line %(n)s: up to four different modifiers.") % {"n": n})
            continue
        if code in seen:
            problems.append(
                _("Line %(n)s: %(code)s is listed twice; add its minutes together.")
                % {"n": n, "code": code}
            )
            continue
        seen.add(code)
        cleaned.append(
            {
                "code": code,
                "minutes": minutes,
                "modifiers": " ".join(modifiers),
                "timed": service.timed,
            }
        )
    if len(cleaned) > MAX_LINES:
        problems.append(_("At most %(n)s codes a session.") % {"n": MAX_LINES})
    total = sum(r["minutes"] for r in cleaned)
    if not problems and total > note.minutes:
        problems.append(
            _("The codes add up to %(total)s minutes, more than the session's %(n)s.")
            % {"total": total, "n": note.minutes}
        )
    if not problems and cleaned:
        problems.extend(_daily_limit_problems(note, cleaned))
    if problems:
        raise ValidationError(problems)
    return cleaned


@transaction.atomic
def save_lines(
    note: SessionNote, by: Membership, rows: Sequence[dict[str, Any]], *, token: str | None
) -> list[ServiceLine]:
    """Replace a draft note's codes (the note's author, while it is a draft)."""
    current = locked_note(note)
    if current.is_locked:
        raise ValidationError(
            _("This note is signed: correct its codes with a reason (an addendum).")
        )
    return _replace(current, rows, token)


@transaction.atomic
def correct_lines(
    note: SessionNote,
    by: Membership,
    rows: Sequence[dict[str, Any]],
    *,
    token: str | None,
    reason: str,
    at: datetime.datetime | None = None,
) -> list[Charge]:
    """Correct a signed note's codes: an addendum says why, the charges are made again."""
    current = locked_note(note)
    if current.status != NoteStatus.SIGNED:
        raise ValidationError(_("Codes are corrected once the note is signed for good."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the codes change.")]})
    charges = list(
        Charge.objects.select_for_update()
        .filter(organization_id=current.organization_id, note=current)
        .exclude(status=ChargeStatus.VOID)
    )
    billed = [c for c in charges if c.status != ChargeStatus.OPEN]
    if billed:
        raise ValidationError(
            _(
                "These charges are already on a claim; a corrected claim is not built yet. "
                "Ask billing to void the claim first."
            )
        )
    paid = (
        Payment.objects.filter(organization_id=current.organization_id, charge__in=charges).exists()
        or Adjustment.objects.filter(
            organization_id=current.organization_id, charge__in=charges
        ).exists()
    )
    if paid:
        raise ValidationError(
            _(
                "Money is already posted on these charges: ask billing to refund or move it "
                "before the codes change."
            )
        )
    before = _describe(lines_of(current))
    lines = _replace(current, rows, token)
    after = _describe(lines)
    add_addendum(
        current,
        by,
        _("Billing codes corrected: %(reason)s. Before: %(before)s. After: %(after)s.")
        % {"reason": reason, "before": before, "after": after},
        at=at,
    )
    for charge in charges:
        charge.status = ChargeStatus.VOID
        charge.version += 1
        charge.save(at=at)
    made = make_charges(current, at=at)
    for new in made:
        old = next((c for c in charges if c.code == new.code), None)
        if old is not None:
            new.replaces = old
            new.save(update_fields=["replaces"], at=at)
    return made


def _describe(lines: Sequence[ServiceLine]) -> str:
    return ", ".join(f"{ln.code} {ln.minutes} min" for ln in lines) or _("no codes")


def _replace(
    note: SessionNote, rows: Sequence[dict[str, Any]], token: str | None
) -> list[ServiceLine]:
    existing = lines_of(note)
    if token is not None and token != lines_token(existing):
        raise LinesChanged()
    cleaned = clean_rows(note, rows)
    for line in existing:
        line.delete()
    made = []
    for position, row in enumerate(cleaned):
        line = ServiceLine(
            organization_id=note.organization_id,
            child_id=note.child_id,
            note=note,
            code=row["code"],
            minutes=row["minutes"],
            modifiers=row["modifiers"],
            position=position,
        )
        line.save()
        made.append(line)
    return made


# --- Pricing on signing -------------------------------------------------------------


def on_note_signed(
    sender: Any, note: SessionNote, at: datetime.datetime | None = None, **kwargs: Any
) -> None:
    make_charges(note, at=at)


def make_charges(note: SessionNote, *, at: datetime.datetime | None = None) -> list[Charge]:
    """The charges of a signed note's codes (none without codes: the unbilled queue)."""
    lines = lines_of(note)
    if not lines:
        return []
    cleaned = [
        {
            "code": ln.code,
            "minutes": ln.minutes,
            "modifiers": ln.modifiers,
            "timed": catalogue.BY_CODE[ln.code].timed,
        }
        for ln in lines
    ]
    problems = _daily_limit_problems(note, cleaned)
    total = sum(ln.minutes for ln in lines)
    if total > note.minutes:  # the session was shortened after its codes were listed
        problems.append(
            _(
                "The codes add up to %(total)s minutes, more than the session's %(n)s: "
                "correct the codes before signing."
            )
            % {"total": total, "n": note.minutes}
        )
    if problems:
        raise ValidationError(problems)
    terms = terms_for(note.child_id, note.organization_id, note.date)
    counted = _units_for(cleaned, terms.policy)
    fees = fees_on(note.organization_id, [ln.code for ln in lines], note.date)
    diagnoses = diagnoses_of(note)
    made = []
    for line, n in zip(lines, counted, strict=True):
        if n == 0:
            continue
        unit_fee = fees.get(line.code, Decimal("0"))
        fee = (unit_fee * n).quantize(CENT)
        discount = Decimal("0")
        if terms.party == Party.FAMILY and terms.discount_percent:
            discount = (fee * terms.discount_percent / 100).quantize(CENT, ROUND_HALF_UP)
        charge = Charge(
            organization_id=note.organization_id,
            child_id=note.child_id,
            note=note,
            encounter_id=note.encounter_id,
            rendering_id=note.author_id,
            service_date=note.date,
            code=line.code,
            modifiers=line.modifiers,
            minutes=line.minutes,
            units=n,
            unit_fee=unit_fee,
            fee=fee,
            discount=discount,
            amount=fee - discount,
            party=terms.party,
            policy=terms.policy,
            authorization=authorization_for(terms.policy, line.code, note.date),
            diagnoses=diagnoses,
        )
        charge.save(at=at)
        made.append(charge)
    return made


class Terms:
    """Who a child's session on a day is billed to, and the family's discount."""

    def __init__(self, party: str, policy: Policy | None, discount_percent: int) -> None:
        self.party = party
        self.policy = policy
        self.discount_percent = discount_percent


def terms_for(child_id: Any, organization_id: Any, day: datetime.date) -> Terms:
    agreement = FeeAgreement.objects.filter(
        organization_id=organization_id, child_id=child_id
    ).first()
    funding = agreement.funding if agreement else Funding.INSURANCE
    if funding == Funding.GRANT:
        return Terms(Party.GRANT, None, 0)
    if funding == Funding.INSURANCE:
        policy = policy_on(child_id, organization_id, day)
        if policy is not None:
            return Terms(Party.PAYER, policy, 0)
    return Terms(Party.FAMILY, None, agreement.discount_percent if agreement else 0)


def policy_on(child_id: Any, organization_id: Any, day: datetime.date) -> Policy | None:
    """The child's primary policy in force that day (the lowest order number)."""
    return (
        Policy.objects.filter(
            organization_id=organization_id, child_id=child_id, starts_on__lte=day
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("payer")
        .order_by("priority", "-starts_on")
        .first()
    )


def authorization_for(policy: Policy | None, code: str, day: datetime.date) -> Authorization | None:
    """The authorization of the policy covering the code that day: of those with visits or
    units left, the soonest to end (else the soonest to end)."""
    if policy is None:
        return None
    running = Authorization.objects.filter(
        organization_id=policy.organization_id,
        policy=policy,
        starts_on__lte=day,
        ends_on__gte=day,
    ).order_by("ends_on", "created_at")
    found = [u for u in authorization_uses(running, day) if code in (u.authorization.codes or [])]
    # One with visits or units left first (a renewal overlapping a used-up one), in one query.
    chosen = next((u for u in found if u.left > 0), None) or next(iter(found), None)
    return chosen.authorization if chosen is not None else None


def fees_on(organization_id: Any, codes: Sequence[str], day: datetime.date) -> dict[str, Decimal]:
    """The fee per unit in force on the day for each code (one query)."""
    fees: dict[str, Decimal] = {}
    for entry in FeeScheduleEntry.objects.filter(
        organization_id=organization_id, code__in=list(codes), effective_from__lte=day
    ).order_by("code", "-effective_from"):
        fees.setdefault(entry.code, entry.amount)
    return fees


def diagnoses_of(note: SessionNote) -> list[str]:
    codes = (
        Diagnosis.objects.filter(organization_id=note.organization_id, child_id=note.child_id)
        .order_by("noted_on", "created_at")
        .values_list("code", flat=True)
    )
    return list(codes[:MAX_DIAGNOSES])


def _units_for(cleaned: Sequence[dict[str, Any]], policy: Policy | None) -> list[int]:
    method = policy.payer.unit_method if policy is not None else "cms"
    return units([Minutes(r["code"], r["minutes"], r["timed"]) for r in cleaned], method)


def _daily_limit_problems(note: SessionNote, cleaned: Sequence[dict[str, Any]]) -> list[str]:
    """The payer's most timed units a day for one child, with the day's other charges."""
    policy = terms_for(note.child_id, note.organization_id, note.date).policy
    if policy is None or policy.payer.daily_unit_limit is None:
        return []
    counted = _units_for(cleaned, policy)
    timed = sum(n for r, n in zip(cleaned, counted, strict=True) if r["timed"])
    others = (
        Charge.objects.filter(
            organization_id=note.organization_id,
            child_id=note.child_id,
            service_date=note.date,
            code__in=[c.code for c in catalogue.CODES if c.timed],
        )
        .exclude(note=note)
        .exclude(status=ChargeStatus.VOID)
    )
    timed += sum(others.values_list("units", flat=True))
    limit = policy.payer.daily_unit_limit
    if timed > limit:
        return [
            _(
                "%(payer)s pays at most %(limit)s timed units a day for one child; this day "
                "would have %(n)s."
            )
            % {"payer": policy.payer.name, "limit": limit, "n": timed}
        ]
    return []


def authorization_use(authorization: Authorization) -> int:
    """Visits or units used so far (voided charges do not count)."""
    charges = Charge.objects.filter(
        organization_id=authorization.organization_id, authorization=authorization
    ).exclude(status=ChargeStatus.VOID)
    if authorization.counts == AuthorizationUnit.VISITS:
        return charges.values("encounter_id").distinct().count()
    return sum(charges.values_list("units", flat=True))
