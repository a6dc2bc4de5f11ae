"""The billing pages everyone shares: a session's codes (the therapist), a child's billing
(admins and billing), recording a payment, and the clinic's billing page (queues, aging)."""

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access import MemberRequest, allows, child_for, permits
from tandem.access.views import check
from tandem.audit.actions import log_access
from tandem.audit.models import AccessLog
from tandem.core import clock
from tandem.core.access import Conflict
from tandem.core.idempotency import idempotent
from tandem.notes.models import NoteStatus

from . import catalogue, charging, payments
from .access import (
    agreement_of,
    authorizations_of,
    charges_of,
    clinic_authorizations,
    clinic_charges,
    clinic_notes,
    get_charge,
    note_of,
    payments_of,
    policies_of,
)
from .charging import lines_of, lines_token
from .fees import parse_amount
from .models import Party, PaymentMethod
from .reading import (
    aging,
    at_risk,
    authorization_uses,
    late_drafts,
    owed,
    totals_by_party,
    unbilled_notes,
    with_balances,
)

PAGE_SIZE = 25
ROWS = 3  # empty lines offered at least (up to the most a session takes)


def _rows(post: Any) -> list[dict[str, Any]]:
    return [
        {
            "code": post.get(f"code-{i}", ""),
            "minutes": post.get(f"minutes-{i}", ""),
            "modifiers": post.getlist(f"modifiers-{i}"),
        }
        for i in range(charging.MAX_LINES)
    ]


@require_http_methods(["GET", "POST"])
@permits("billing.correct")
def codes(request: MemberRequest, child_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    """A session's service codes: listed by the note's author on the draft; corrected by an
    editor once signed, with a reason that becomes an addendum to the note."""
    child = child_for(request, child_id, "billing.correct")
    note = note_of(child, note_id)
    membership = request.membership
    signed = note.status == NoteStatus.SIGNED
    action = "billing.correct" if signed else "billing.codes"
    may_change = note.status != NoteStatus.AWAITING_COSIGN and allows(
        membership, action, child=child, obj=note
    )
    lines = lines_of(note)
    problems: list[str] = []
    rows = [{"code": ln.code, "minutes": ln.minutes, "modifiers": ln.modifier_list} for ln in lines]
    if request.method == "POST":
        check(request, action, child=child, obj=note, hide=False)
        rows = _rows(request.POST)
        try:
            if signed:
                charging.correct_lines(
                    note,
                    membership,
                    rows,
                    token=request.POST.get("token", ""),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("The codes are corrected and the charges made again."))
            else:
                charging.save_lines(note, membership, rows, token=request.POST.get("token", ""))
                messages.success(request, _("The codes are saved with the draft."))
        except Conflict as exc:
            problems = [str(exc)]
        except ValidationError as exc:
            problems = exc.messages
        else:
            return redirect("notes:detail", child_id=child.id, note_id=note.id)
    log_access(request, [child])
    rows = [r for r in rows if r.get("code") or r.get("minutes")]
    wanted = min(max(ROWS, len(rows) + 2), charging.MAX_LINES)
    while len(rows) < wanted:
        rows.append({"code": "", "minutes": "", "modifiers": []})
    return render(
        request,
        "billing/codes.html",
        {
            "child": child,
            "note": note,
            "rows": rows,
            "token": lines_token(lines),
            "codes": catalogue.CODES,
            "modifiers": catalogue.MODIFIERS,
            "signed": signed,
            "may_change": may_change,
            "problems": problems,
            "charges": charges_of(child).filter(note=note) if signed else [],
            "may_see_billing": allows(membership, "billing.family", child=child),
            "tab": "sessions",
        },
    )


@require_http_methods(["GET"])
@permits("billing.view")
def child(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """A child's billing: who pays, policies and authorizations, charges and balances."""
    record = child_for(request, child_id, "billing.view")
    membership = request.membership
    today = clock.today_for(membership.organization)
    every = list(with_balances(charges_of(record)))
    for charge in every:
        charge.balance = owed(charge)  # type: ignore[attr-defined]
    charges_page = Paginator(every, PAGE_SIZE).get_page(request.GET.get("charges"))
    log_access(request, [record])
    return render(
        request,
        "billing/child.html",
        {
            "child": record,
            "agreement": agreement_of(record),
            "policies": list(policies_of(record)),
            "authorizations": authorization_uses(authorizations_of(record), today),
            "charges": charges_page.object_list,
            "charges_page": charges_page,
            "owing": [c for c in every if c.balance.total > 0][:100],  # type: ignore[attr-defined]
            "totals": totals_by_party(every),
            "payments": list(payments_of(record).select_related("charge")[:50]),
            "methods": PaymentMethod.choices,
            "write_off_groups": payments.WRITE_OFF_GROUPS,
            "parties": Party.choices,
            "today": today,
            "may_pay": allows(membership, "billing.payments", child=record),
            "may_insure": allows(membership, "billing.insurance", child=record),
            "may_household": allows(membership, "billing.household", child=record),
            "tab": "billing",
        },
    )


@require_http_methods(["POST"])
@permits("billing.payments")
@idempotent("billing.payment")
def payment(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Record money received for a child (once per form: a retry records nothing more)."""
    record = child_for(request, child_id, "billing.payments", hide=False)
    post = request.POST
    # As typed in the member's language ("12,50" in Spanish); unreadable → refused below.
    amount = parse_amount(post.get("amount", "")) or Decimal("-1")
    try:
        received = datetime.date.fromisoformat(post.get("received_on", ""))
    except ValueError:
        received = None
    try:
        payments.record_payment(
            request.membership,
            record,
            amount=amount,
            party=post.get("party", ""),
            method=post.get("method", ""),
            received_on=received,
            reference=post.get("reference", ""),
            charge_id=post.get("charge") or None,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The payment is recorded."))
    return redirect("billing:child", child_id=record.id)


@require_http_methods(["POST"])
@permits("billing.payments")
@idempotent("billing.adjustment")
def adjustment(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Write off part of a charge (or take a write-off back with a negative amount)."""
    record = child_for(request, child_id, "billing.payments", hide=False)
    post = request.POST
    typed = post.get("amount", "").strip()
    negative = typed.startswith("-")
    amount = parse_amount(typed.lstrip("-")) or Decimal("0")
    try:
        payments.write_off(
            request.membership,
            get_charge(record, post.get("charge", "")),
            amount=-amount if negative else amount,
            group_code=post.get("group_code", ""),
            reason_code=post.get("reason_code", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The adjustment is recorded."))
    return redirect("billing:child", child_id=record.id)


@require_http_methods(["GET"])
@permits("billing.manage")
def home(request: MemberRequest) -> HttpResponse:
    """The clinic's billing: sessions not billed yet, notes holding billing up,
    authorizations at risk, and balances by age."""
    membership = request.membership
    today = clock.today_for(membership.organization)
    notes = clinic_notes(membership)
    rows, total = aging(clinic_charges(membership), today)
    unbilled = Paginator(unbilled_notes(notes), PAGE_SIZE).get_page(request.GET.get("unbilled"))
    late = Paginator(late_drafts(notes, today), PAGE_SIZE).get_page(request.GET.get("late"))
    risky = at_risk(clinic_authorizations(membership), today)
    aged = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("aging"))
    named = [n.child for n in (*unbilled, *late)] + [u.authorization.child for u in risky]
    named += [r.child for r in aged]
    log_access(request, {c.pk: c for c in named}.values(), action=AccessLog.Action.LIST)
    return render(
        request,
        "billing/home.html",
        {
            "unbilled": unbilled,
            "late": late,
            "at_risk": risky,
            "aging": aged,
            "aging_total": total,
            "today": today,
        },
    )
