"""The fee documents: a superbill (per session or per month), the family's statement and a
Good Faith Estimate — each a page and a PDF printed by the export worker from the same
template (``tandem.exports``: the renderers are registered below, at start-up, by
``BillingConfig.ready``) — and the charges as CSV.

A superbill is what a family sends their insurer for out-of-network reimbursement, and
what billing checks a session against: the clinic and the rendering therapist with their
numbers, the child, the policy, the diagnoses, and each service line with its fee.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.functional import Promise

from tandem.accounts.models import Membership
from tandem.accounts.request import MemberRequest
from tandem.children.access import diagnoses_visible_to
from tandem.children.models import Child
from tandem.core import clock
from tandem.exports.registry import register
from tandem.notes.models import SessionNote

from . import catalogue, charging
from .access import agreement_of, billing_profile, charges_of, note_of, provider_numbers
from .documents_estimate import estimate_for
from .documents_family import family_context
from .forms_fees import EstimateForm, SuperbillForm
from .models import Charge, Policy
from .reading import ZERO, owed, with_balances

SUPERBILL = "billing.superbill"
STATEMENT = "billing.statement"
ESTIMATE = "billing.good_faith_estimate"
POINTERS = "ABCDEFGHIJKL"


def clinic_context(membership: Membership, child: Child) -> dict[str, Any]:
    """What every fee document says about the clinic and the child's diagnoses."""
    labels = dict(diagnoses_visible_to(membership, child).values_list("code", "label"))
    return {"profile": billing_profile(membership), "diagnosis_labels": labels}


# --- The superbill ------------------------------------------------------------------------


@dataclass
class Rendering:
    """The therapist who gave a service, as a claim names them."""

    name: str
    credentials: str
    npi: str
    taxonomy: str


@dataclass
class SuperbillLine:
    charge: Charge
    label: str | Promise
    pointers: str  # the letters of its diagnoses ("A B")
    paid: Decimal
    balance: Decimal


def _last_day(first: datetime.date) -> datetime.date:
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def superbill_context(
    membership: Membership,
    child: Child,
    *,
    note: SessionNote | None = None,
    first_day: datetime.date | None = None,
) -> dict[str, Any]:
    """A superbill of one session (``note``) or one month (from ``first_day``): a fixed
    number of queries whatever the number of sessions."""
    charges = charges_of(child)
    if note is not None:
        charges = charges.filter(note=note)
        start = end = note.date
    else:
        assert first_day is not None
        start, end = first_day, _last_day(first_day)
        charges = charges.filter(service_date__gte=start, service_date__lte=end)
    rows = list(with_balances(charges).order_by("service_date", "code"))
    context = clinic_context(membership, child)
    numbers = provider_numbers(membership) if rows else {}
    codes: list[str] = []
    for charge in rows:
        codes.extend(c for c in charge.diagnoses or [] if c not in codes)
    letters = dict(zip(codes, POINTERS, strict=False))
    renderings: dict[Any, Rendering] = {}
    lines = []
    for charge in rows:
        if charge.rendering_id not in renderings:
            found = numbers.get(charge.rendering_id)
            renderings[charge.rendering_id] = Rendering(
                name=charge.rendering.display_name,
                credentials=found.credentials if found else "",
                npi=found.npi if found else "",
                taxonomy=found.taxonomy if found else "",
            )
        service = catalogue.BY_CODE.get(charge.code)
        lines.append(
            SuperbillLine(
                charge=charge,
                label=service.label if service else charge.code,
                pointers=" ".join(letters[c] for c in charge.diagnoses or [] if c in letters),
                paid=getattr(charge, "paid_total", ZERO),
                balance=owed(charge).total,
            )
        )
    policy: Policy | None = next((c.policy for c in rows if c.policy_id), None)
    if policy is None and rows:
        policy = charging.policy_on(child.pk, child.organization_id, start)
    labels = context["diagnosis_labels"]
    return {
        **context,
        "note": note,
        "start": start,
        "end": end,
        "lines": lines,
        "renderings": list(renderings.values()),
        "policy": policy,
        "diagnoses": [(letters[c], c, labels.get(c, "")) for c in codes],
        "totals": {
            "units": sum(ln.charge.units for ln in lines),
            "fee": sum((ln.charge.fee for ln in lines), ZERO),
            "discount": sum((ln.charge.discount for ln in lines), ZERO),
            "amount": sum((ln.charge.amount for ln in lines), ZERO),
            "paid": sum((ln.paid for ln in lines), ZERO),
            "balance": sum((ln.balance for ln in lines), ZERO),
        },
    }


# --- The PDFs (the export worker's renderers) ------------------------------------------------


def _today(request: MemberRequest) -> datetime.date:
    return clock.today_for(request.membership.organization)


def render_superbill(
    request: MemberRequest, child: Child, params: dict[str, Any]
) -> tuple[str, str]:
    """The worker's renderer: the superbill's HTML and its file name."""
    form = SuperbillForm(params)
    if not form.is_valid():  # validated when asked
        raise ValueError(f"invalid superbill parameters: {form.errors.as_json()}")
    note_id = form.cleaned_data.get("note")
    note = note_of(child, note_id) if note_id else None
    first = form.first_day(_today(request))
    context = superbill_context(request.membership, child, note=note, first_day=first)
    html = render_to_string(
        "billing/superbill_pdf.html", {"child": child, "pdf": True, **context}, request=request
    )
    period = note.date.isoformat() if note else first.strftime("%Y-%m")
    return html, f"superbill-{period}.pdf"


def render_statement(
    request: MemberRequest, child: Child, params: dict[str, Any]
) -> tuple[str, str]:
    today = _today(request)
    context = {
        "child": child,
        "pdf": True,
        **clinic_context(request.membership, child),
        **family_context(child, agreement_of(child), today),
    }
    html = render_to_string("billing/statement_pdf.html", context, request=request)
    return html, f"statement-{today.isoformat()}.pdf"


def estimate_plan(form: EstimateForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {"services": form.services(), "per_week": data["per_week"], "weeks": data["weeks"]}


def render_estimate(
    request: MemberRequest, child: Child, params: dict[str, Any]
) -> tuple[str, str]:
    form = EstimateForm(params)
    if not form.is_valid():
        raise ValueError(f"invalid estimate parameters: {form.errors.as_json()}")
    today = _today(request)
    context = {
        "child": child,
        "pdf": True,
        **clinic_context(request.membership, child),
        "estimate": estimate_for(request.membership, child, estimate_plan(form), today),
    }
    html = render_to_string("billing/estimate_pdf.html", context, request=request)
    return html, f"good-faith-estimate-{today.isoformat()}.pdf"


# Guardians may have each of them; billing and admins too (``billing.family``).
register(SUPERBILL, action="billing.family", render=render_superbill)
register(STATEMENT, action="billing.family", render=render_statement)
register(ESTIMATE, action="billing.family", render=render_estimate)


# --- CSV --------------------------------------------------------------------------------

CSV_HEADER = (
    "service_date",
    "child",
    "code",
    "modifiers",
    "minutes",
    "units",
    "unit_fee",
    "fee",
    "discount",
    "amount",
    "billed_to",
    "payer",
    "status",
    "diagnoses",
    "rendering",
    "paid",
    "balance",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A text cell a spreadsheet will not run: one starting like a formula gets an
    apostrophe in front (OWASP, CSV injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def children_of(organization_id: Any, charges: QuerySet[Charge]) -> list[Child]:
    """The children these charges are of (for the access log of an export)."""
    ids = charges.order_by().values("child_id")
    return list(Child.objects.filter(organization_id=organization_id, pk__in=ids))


def csv_rows(charges: Iterable[Charge], *, with_child: bool) -> Iterator[list[str]]:
    """The header, then one row per charge: numbers unlocalized, ISO dates."""
    header = [h for h in CSV_HEADER if with_child or h != "child"]
    yield header
    for charge in charges:
        payer = charge.policy.payer.name if charge.policy_id and charge.policy else ""
        text = {
            "child": charge.child.display_name if with_child else "",
            "modifiers": charge.modifiers,
            "billed_to": charge.party,
            "payer": payer,
            "status": charge.status,
            "diagnoses": " ".join(charge.diagnoses or []),
            "rendering": charge.rendering.display_name,
            "code": charge.code,
        }
        numbers = {
            "service_date": charge.service_date.isoformat(),
            "minutes": str(charge.minutes),
            "units": str(charge.units),
            "unit_fee": str(charge.unit_fee),
            "fee": str(charge.fee),
            "discount": str(charge.discount),
            "amount": str(charge.amount),
            "paid": str(getattr(charge, "paid_total", ZERO)),
            "balance": str(owed(charge).total),
        }
        yield [safe_cell(text[h]) if h in text else numbers[h] for h in header]


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """Rows as CSV text, a line at a time (for a streamed answer)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
