"""The fee documents as pages and PDFs — a superbill (a session or a month), the family's
statement, a Good Faith Estimate — and the charges as CSV.

Each PDF is printed by the export worker from the same template as its page (see
``documents.py`` and ``tandem/exports/pages.py``): the PDF's address asks for it, a page
says it is being made, then hands it over.
"""

import uuid
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access import MemberRequest, allows, child_for, permits
from tandem.audit.actions import log_access
from tandem.audit.models import AccessLog
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.dbrouters import report_database
from tandem.exports.pages import pdf_export

from . import documents
from .access import charges_of, clinic_charges, note_of
from .documents_estimate import default_plan, estimate_for
from .forms_fees import DateRangeForm, EstimateForm, SuperbillForm, estimate_params
from .reading import with_balances

# --- Superbill ----------------------------------------------------------------------------


def _superbill_asked(
    request: MemberRequest, child_id: uuid.UUID
) -> tuple[Child, SuperbillForm, HttpResponse | None]:
    """The child and the period asked for; a malformed one answers the page with its
    message (400), a note that is not this child's is 404."""
    child = child_for(request, child_id, "billing.family")
    form = SuperbillForm(request.GET)
    if not form.is_valid():
        log_access(request, [child])
        context = {"child": child, "form": form, "tab": _tab(request, child), "lines": []}
        return child, form, render(request, "billing/superbill.html", context, status=400)
    if note_id := form.cleaned_data.get("note"):
        note_of(child, note_id)
    return child, form, None


def _tab(request: MemberRequest, child: Child) -> str:
    return "billing" if allows(request.membership, "billing.view", child=child) else "fees"


@require_http_methods(["GET"])
@permits("billing.family")
def superbill(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """A superbill of one session (``?note=``) or one month (``?month=YYYY-MM``; this month
    by default): for billing, and for a family's out-of-network claim."""
    child, form, refused = _superbill_asked(request, child_id)
    if refused:
        return refused
    membership = request.membership
    today = clock.today_for(membership.organization)
    note_id = form.cleaned_data.get("note")
    note = note_of(child, note_id) if note_id else None
    first = form.first_day(today)
    log_access(request, [child])
    context = documents.superbill_context(membership, child, note=note, first_day=first)
    return render(
        request,
        "billing/superbill.html",
        {
            "child": child,
            "form": form,
            "tab": _tab(request, child),
            "query": urlencode(form.params()),
            "month": first.strftime("%Y-%m"),
            **context,
        },
    )


@require_http_methods(["GET"])
@permits("billing.family")
def superbill_pdf(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    child, form, refused = _superbill_asked(request, child_id)
    if refused:
        return refused
    return pdf_export(request, child, documents.SUPERBILL, form.params(), title=_("Superbill"))


# --- Statement -------------------------------------------------------------------------------


@require_http_methods(["GET"])
@permits("billing.family")
def statement_pdf(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The family's statement (the one on their fees page) as a PDF."""
    child = child_for(request, child_id, "billing.family")
    return pdf_export(request, child, documents.STATEMENT, {}, title=_("Statement"))


# --- Good Faith Estimate ---------------------------------------------------------------------


def _estimate_asked(
    request: MemberRequest, child_id: uuid.UUID
) -> tuple[Child, EstimateForm, bool, HttpResponse | None]:
    """The child, the estimate's services and whether the member may choose them (billing
    and admins; a family gets the clinic's expected services). Invalid: the page (400)."""
    child = child_for(request, child_id, "billing.family")
    may_plan = allows(request.membership, "billing.view", child=child)
    asked = may_plan and any(name in request.GET for name in ("per_week", "weeks", "code_0"))
    if asked:
        form = EstimateForm(request.GET)
    else:
        today = clock.today_for(request.membership.organization)
        form = EstimateForm(estimate_params(default_plan(child, today)))
    if not form.is_valid():
        log_access(request, [child])
        context = {"child": child, "form": form, "may_plan": may_plan, "tab": _tab(request, child)}
        return child, form, may_plan, render(request, "billing/estimate.html", context, status=400)
    return child, form, may_plan, None


@require_http_methods(["GET"])
@permits("billing.family")
def estimate(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """A Good Faith Estimate of the care expected, for a family paying themselves."""
    child, form, may_plan, refused = _estimate_asked(request, child_id)
    if refused:
        return refused
    membership = request.membership
    today = clock.today_for(membership.organization)
    log_access(request, [child])
    context: dict[str, Any] = {
        "child": child,
        "form": form,
        "may_plan": may_plan,
        "query": urlencode(form.params()),
        "tab": _tab(request, child),
        "estimate": estimate_for(membership, child, documents.estimate_plan(form), today),
        **documents.clinic_context(membership, child),
    }
    return render(request, "billing/estimate.html", context)


@require_http_methods(["GET"])
@permits("billing.family")
def estimate_pdf(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    child, form, _may_plan, refused = _estimate_asked(request, child_id)
    if refused:
        return refused
    return pdf_export(
        request, child, documents.ESTIMATE, form.params(), title=_("Good Faith Estimate")
    )


# --- CSV -------------------------------------------------------------------------------------


def _csv(rows: Any, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        documents.csv_lines(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET"])
@permits("billing.view")
def charges_csv(request: MemberRequest, child_id: uuid.UUID) -> HttpResponseBase:
    """A child's charges (every live one) as CSV, for a spreadsheet."""
    child = child_for(request, child_id, "billing.view")
    log_access(request, [child], action=AccessLog.Action.EXPORT)
    # Read while the answer streams, from a replica if there is one (docs/scaling.md).
    charges = (
        with_balances(charges_of(child)).order_by("service_date", "code").using(report_database())
    )
    today = clock.today_for(request.membership.organization)
    rows = documents.csv_rows(charges.iterator(chunk_size=500), with_child=False)
    return _csv(rows, f"charges-{today.isoformat()}.csv")


@require_http_methods(["GET"])
@permits("billing.manage")
def clinic_charges_csv(request: MemberRequest) -> HttpResponseBase:
    """The clinic's charges of a date range (this month by default; a year at most)."""
    membership = request.membership
    today = clock.today_for(membership.organization)
    asked = request.GET if "start" in request.GET or "end" in request.GET else None
    form = DateRangeForm(asked or {"start": today.replace(day=1), "end": today})
    if not form.is_valid():
        return render(request, "billing/fees_csv.html", {"form": form}, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    charges = (
        with_balances(clinic_charges(membership))
        .filter(service_date__gte=start, service_date__lte=end)
        .select_related("rendering__user")
        .order_by("service_date", "child__last_name", "child__first_name", "code")
        .using(report_database())
    )
    log_access(
        request,
        documents.children_of(membership.organization_id, charges),
        action=AccessLog.Action.EXPORT,
    )
    rows = documents.csv_rows(charges.iterator(chunk_size=500), with_child=True)
    return _csv(rows, f"charges-{start.isoformat()}-{end.isoformat()}.csv")
