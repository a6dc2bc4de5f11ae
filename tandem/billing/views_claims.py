"""The claims pages (admins and billing, ``billing.manage``): building a claim file (837P)
from a payer's open charges, a file's claims and its download, and importing a payer's
remittance (835) with its report, claim by claim."""

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from tandem.access import MemberRequest, permits
from tandem.access.views import check
from tandem.audit.actions import log_access
from tandem.audit.models import AccessLog
from tandem.core.idempotency import idempotent, key_of

from . import claims as claim_files
from . import remittances as remits
from .models import Payer
from .reading import ZERO, owed

PAGE_SIZE = 20
MAX_UPLOAD = remits.MAX_BYTES


def _chosen_payer(payers: list[Payer], wanted: str) -> Payer | None:
    """The payer asked for, else the one with the most charges waiting."""
    if wanted:
        return next((p for p in payers if str(p.pk) == wanted), None)
    waiting = [p for p in payers if p.open_count]  # type: ignore[attr-defined]
    return max(waiting, key=lambda p: p.open_count, default=None)  # type: ignore[attr-defined]


@require_http_methods(["GET", "POST"])
@permits("billing.manage")
@idempotent("billing.claims")
def claims(request: MemberRequest) -> HttpResponse:
    """The clinic's claim files, and a form to bill a payer's open charges in a new one."""
    membership = request.membership
    payers = claim_files.payers_to_bill(membership)
    data = request.POST if request.method == "POST" else request.GET
    payer = _chosen_payer(payers, data.get("payer", "").strip())
    problems: list[str] = []
    selected: set[str] | None = None
    if request.method == "POST":
        check(request, "billing.manage", hide=False)
        selected = set(request.POST.getlist("charge"))
        if payer is None:
            problems = [_("Choose a payer.")]
        else:
            if request.POST.get("all"):
                selected = {str(c.pk) for c in claim_files.open_charges(membership, payer)}
            try:
                made = claim_files.build_batch(
                    membership, payer, sorted(selected), idempotency_key=key_of(request)
                )
            except ValidationError as exc:
                problems = exc.messages
            else:
                count = claim_files.claim_count(made)
                messages.success(
                    request,
                    ngettext(
                        "Claim file #%(n)s is ready with %(count)s claim.",
                        "Claim file #%(n)s is ready with %(count)s claims.",
                        count,
                    )
                    % {"n": made.number, "count": count},
                )
                return redirect("billing:batch", batch_id=made.id)
    waiting = (
        list(claim_files.open_charges(membership, payer)[: claim_files.OPEN_LIMIT + 1])
        if payer
        else []
    )
    context: dict[str, Any] = {
        "payers": payers,
        "payer": payer,
        "charges": waiting[: claim_files.OPEN_LIMIT],
        "more": len(waiting) > claim_files.OPEN_LIMIT,
        "selected": selected,
        "problems": problems,
    }
    log_access(
        request, {c.child_id: c.child for c in waiting}.values(), action=AccessLog.Action.LIST
    )
    if request.headers.get("HX-Request") == "true" and request.method == "GET":
        return render(request, "billing/claims.html#open", context)
    context["page"] = Paginator(claim_files.batches_of(membership), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "billing/claims.html", context)


@require_http_methods(["GET"])
@permits("billing.manage")
def batch(request: MemberRequest, batch_id: uuid.UUID) -> HttpResponse:
    """A claim file: its claims, their lines and what the payer has paid."""
    record = claim_files.get_batch(request.membership, batch_id)
    rows = claim_files.claims_of(record)
    for claim in rows:
        for charge in claim.charges.all():
            charge.balance = owed(charge)  # type: ignore[attr-defined]
    log_access(request, [c.child for c in rows])
    return render(
        request,
        "billing/batch.html",
        {
            "batch": record,
            "claims": rows,
            "billed": sum((c.total for c in rows), ZERO),
            "paid": sum((c.paid for c in rows), ZERO),
        },
    )


@require_http_methods(["GET"])
@permits("billing.manage")
def batch_file(request: MemberRequest, batch_id: uuid.UUID) -> HttpResponse:
    """The claim file itself, to send to the payer or clearinghouse."""
    record = claim_files.get_batch(request.membership, batch_id)
    log_access(request, claim_files.batch_children(record), action=AccessLog.Action.EXPORT)
    response = HttpResponse(record.content, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="837p-{record.number}.txt"'
    return response


def _uploaded_text(request: MemberRequest) -> str:
    """The uploaded file as text, or ValidationError saying what is wrong with it."""
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError(_("Choose the 835 file the payer sent."))
    if upload.size is None or upload.size > MAX_UPLOAD:
        raise ValidationError(_("The file is larger than 5 MB: is it really an 835?"))
    raw = upload.read()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The file is not text: choose the 835 file itself.")) from exc


@require_http_methods(["GET", "POST"])
@permits("billing.manage")
def remittances(request: MemberRequest) -> HttpResponse:
    """Import a payer's remittance (835), and the imports so far."""
    membership = request.membership
    problems: list[str] = []
    if request.method == "POST":
        check(request, "billing.manage", hide=False)
        try:
            text = _uploaded_text(request)
            before = remits.imported_before(membership, text)
            record = before or remits.import_835(membership, text)
        except ValidationError as exc:
            problems = exc.messages
        else:
            if before is not None:
                day = date_format(before.created_at.date(), "MEDIUM_DATE_FORMAT")
                messages.warning(
                    request,
                    _("This file was already imported on %(day)s: nothing was posted again.")
                    % {"day": day},
                )
            else:
                matched = sum(1 for row in record.report if row.get("outcome") == "matched")
                messages.success(
                    request,
                    _("The remittance is posted: %(matched)s of %(total)s claims matched.")
                    % {"matched": matched, "total": len(record.report)},
                )
            return redirect("billing:remittance", remittance_id=record.id)
    page = Paginator(remits.remittances_of(membership).defer("report"), PAGE_SIZE)
    return render(
        request,
        "billing/remittances.html",
        {"page": page.get_page(request.GET.get("page")), "problems": problems},
    )


@require_http_methods(["GET"])
@permits("billing.manage")
def remittance(request: MemberRequest, remittance_id: uuid.UUID) -> HttpResponse:
    """An imported remittance: each claim it answers, found or not, and what differs."""
    record = remits.get_remittance(request.membership, remittance_id)
    found = remits.claims_named(record)
    rows = [_report_row(row, found) for row in record.report]
    log_access(request, [c.child for c in found.values()])
    return render(
        request,
        "billing/remittance.html",
        {
            "remittance": record,
            "rows": rows,
            "matched": sum(1 for r in rows if r["outcome"] == "matched"),
        },
    )


def _report_row(row: dict[str, Any], found: dict[str, Any]) -> dict[str, Any]:
    """A report row for the page: amounts and dates as such, its claim when it is ours."""

    def money(value: Any) -> Decimal | None:
        return None if value in (None, "") else Decimal(str(value))

    def day(value: Any) -> datetime.date | None:
        return datetime.date.fromisoformat(value) if value else None

    def adjustments(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [a | {"amount": money(a.get("amount"))} for a in items]

    return row | {
        "claim": found.get(row.get("claim_id") or ""),
        "charged": money(row.get("charged")),
        "paid": money(row.get("paid")),
        "patient_share": money(row.get("patient_share")),
        "billed": money(row.get("billed")),
        "adjustments": adjustments(row.get("adjustments", [])),
        "lines": [
            line
            | {
                "charged": money(line.get("charged")),
                "paid": money(line.get("paid")),
                "service_date": day(line.get("service_date")),
                "adjustments": adjustments(line.get("adjustments", [])),
            }
            for line in row.get("lines", [])
        ],
        "differences": [
            d
            | {
                "billed": money(d.get("billed")),
                "charged": money(d.get("charged")),
                "service_date": day(d.get("service_date")),
            }
            for d in row.get("differences", [])
        ],
    }
