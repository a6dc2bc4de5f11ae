"""The fee documents: a superbill (a session or a month), the family's statement and a Good
Faith Estimate, each a page and a PDF printed by the export worker from the same template.

The PDFs are checked on the HTML they are printed from (WeasyPrint still prints it: the
bytes are a PDF): ``pypdf`` is not installed to read text back out of them.
"""

import datetime
import html
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.appointments import series
from tandem.appointments.tests.helpers import in_days
from tandem.audit.models import AccessLog
from tandem.billing import fees, fees_profile
from tandem.billing.tests.helpers import coded_note, payer, policy
from tandem.billing.tests.helpers import fees as fee_schedule
from tandem.billing.tests.helpers_fees import (  # noqa: F401
    clinic_profile,
    household,
    npi,
    pdf_of,
    printed,
)
from tandem.children.models import Diagnosis
from tandem.core import clock

# Dates matter (days left, aging, the guideline year): `make test-clock` runs these too.
pytestmark = [pytest.mark.django_db, pytest.mark.clock]
THERAPIST_NPI = npi("555000111")


@pytest.fixture
def billed(world):
    """Maya's clinic with its numbers, a diagnosis, and a signed session of 97530 + 97110."""
    clinic_profile(world.admin)
    fees_profile.save_provider_number(
        world.admin, world.therapist, npi=THERAPIST_NPI, taxonomy="225X00000X", credentials="OTR/L"
    )
    fee_schedule(world.org)
    Diagnosis.objects.create(
        organization=world.org,
        child=world.child,
        code="F82",
        label="Developmental coordination disorder",
    )
    fees.replace_tiers(world.admin, fees.DEFAULT_TIERS)
    household(world.admin, world.child, clock.today_for(world.org), size=4, income="30000")
    note = coded_note(world.child, world.therapist, [("97530", 30, "GO"), ("97110", 15, "GO")])
    world.note = note
    return world


def _text(response):
    return html.unescape(response.content.decode())


# --- Superbill ----------------------------------------------------------------------------


def test_the_monthly_superbill_names_clinic_therapist_child_diagnoses_and_lines(
    billed, client_as
) -> None:
    world = billed
    month = world.note.date.strftime("%Y-%m")
    response = client_as(world.billing).get(
        reverse("billing:superbill", args=[world.child.id]), {"month": month}
    )
    assert response.status_code == 200
    body = _text(response)
    for expected in (
        "Riverside Pediatric Therapy LLC",
        "1234567893",  # the clinic's NPI
        "12-3456789",  # its EIN
        "261QR0400X",
        THERAPIST_NPI,
        "OTR/L",
        "Okafor, Maya",
        world.child.date_of_birth.isoformat(),
        "F82",
        "Developmental coordination disorder",
        "97530",
        "97110",
        "GO",
    ):
        assert expected in body, expected
    totals = response.context["totals"]
    # 97530 2 units × $40 + 97110 1 unit × $35 = $115, 80 % off: $92, to pay $23.
    assert (totals["units"], totals["fee"]) == (3, Decimal("115.00"))
    assert (totals["discount"], totals["amount"]) == (Decimal("92.00"), Decimal("23.00"))
    assert "Place of service" in body


def test_a_superbill_of_one_session_and_the_family_may_have_it(billed, client_as) -> None:
    world = billed
    url = reverse("billing:superbill", args=[world.child.id])
    response = client_as(world.guardian).get(url, {"note": str(world.note.pk)})
    assert response.status_code == 200
    assert [ln.charge.code for ln in response.context["lines"]] == ["97110", "97530"]
    other = coded_note(world.sibling, world.therapist, [("97530", 30)])
    assert client_as(world.guardian).get(url, {"note": str(other.pk)}).status_code == 404
    assert client_as(world.other_guardian).get(url).status_code == 404
    assert client_as(world.therapist).get(url).status_code == 404


def test_a_malformed_month_is_refused_with_a_message(billed, client_as) -> None:
    url = reverse("billing:superbill", args=[billed.child.id])
    response = client_as(billed.billing).get(url, {"month": "2026-13"})
    assert response.status_code == 400
    assert "Choose a month as YYYY-MM" in response.content.decode()


def test_the_superbill_pdf_is_printed_with_the_npis_and_codes(
    billed,
    client_as,
    printed,  # noqa: F811
) -> None:
    world = billed
    url = reverse("billing:superbill_pdf", args=[world.child.id])
    response = pdf_of(client_as(world.guardian), url, {"month": world.note.date.strftime("%Y-%m")})
    assert response.content.startswith(b"%PDF")
    assert f'filename="superbill-{world.note.date:%Y-%m}.pdf"' in response["Content-Disposition"]
    [source] = printed.html
    for expected in ("1234567893", THERAPIST_NPI, "97530", "97110", "F82", "Superbill"):
        assert expected in source, expected
    log = AccessLog.objects.get(child=world.child, route="billing:superbill_pdf")
    assert log.action == AccessLog.Action.EXPORT


def test_the_superbill_does_a_bounded_number_of_queries(billed, client_as) -> None:
    world = billed
    client = client_as(world.billing)
    url = reverse("billing:superbill", args=[world.child.id])
    month = {"month": world.note.date.strftime("%Y-%m")}
    client.get(url, month)
    with CaptureQueriesContext(connection) as one:
        client.get(url, month)
    for hour in (11, 13, 15):
        coded_note(
            world.child,
            world.consulting_therapist if hour == 13 else world.therapist,
            [("97530", 30), ("97110", 15)],
            start_time=datetime.time(hour, 0),
            end_time=datetime.time(hour, 45),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url, month)
    assert len(many) == len(one) <= 25


# --- Statement ------------------------------------------------------------------------------


def test_the_statement_pdf_is_the_familys_statement(billed, client_as, printed) -> None:  # noqa: F811
    world = billed
    response = pdf_of(
        client_as(world.guardian), reverse("billing:statement_pdf", args=[world.child.id])
    )
    assert response.content.startswith(b"%PDF")
    [source] = printed.html
    source = html.unescape(source)
    assert "To pay: $23.00" in source
    assert "Your household of 4 has an income of $30,000 a year." in source
    assert "1234567893" in source


# --- Good Faith Estimate -----------------------------------------------------------------------


def test_the_estimate_starts_from_the_childs_recurring_sessions(world, client_as) -> None:
    clinic_profile(world.admin)
    fee_schedule(world.org)  # 97530: $40 a unit
    fees.replace_tiers(world.admin, fees.DEFAULT_TIERS)
    household(world.admin, world.child, clock.today_for(world.org), size=4, income="40000")
    series.book_series(
        world.therapist,
        world.child,
        rule="FREQ=WEEKLY;BYDAY=MO,TH;COUNT=20",
        therapist=world.therapist,
        starts_at=in_days(world.child, 3),
        duration_minutes=45,
        service_type="individual",
        discipline="ot",
        location="clinic",
    )
    response = client_as(world.billing).get(reverse("billing:estimate", args=[world.child.id]))
    assert response.status_code == 200
    estimate = response.context["estimate"]
    assert (estimate.per_week, estimate.weeks, estimate.sessions) == (2, 10, 20)
    [service] = estimate.services
    assert (service.code, service.units, service.session_fee) == ("97530", 3, Decimal("120.00"))
    discount = estimate.discount_percent
    tiers = fees.replace_tiers(world.admin, fees.DEFAULT_TIERS)
    tier = fees.tier_for(tiers, 40000 * 100 // _guideline(world))
    assert discount == (tier.discount_percent if tier else 0) > 0
    assert estimate.total_fee == Decimal("2400.00")
    assert estimate.total == Decimal("2400.00") * (100 - discount) / 100
    body = _text(response)
    assert "$400 or more" in body and "Keep a copy" in body and "1234567893" in body


def _guideline(world):
    return fees.poverty.guideline(clock.today_for(world.org).year, "contiguous", 4).amount


def test_without_a_series_the_estimate_is_weekly_for_twelve_weeks_of_the_usual_code(
    billed, client_as
) -> None:
    world = billed
    estimate = (
        client_as(world.guardian)
        .get(reverse("billing:estimate", args=[world.child.id]))
        .context["estimate"]
    )
    assert (estimate.per_week, estimate.weeks) == (1, 12)
    # The child's most billed code (97530 and 97110 once each: 97530, billed for more units).
    assert (estimate.services[0].code, estimate.services[0].units) == ("97530", 2)
    assert estimate.discount_percent == 80


def test_billing_chooses_the_services_and_a_family_cannot(billed, client_as) -> None:
    world = billed
    url = reverse("billing:estimate", args=[world.child.id])
    asked = {"code_0": "92507", "units_0": "1", "per_week": "2", "weeks": "20"}
    staff = client_as(world.billing).get(url, asked).context["estimate"]
    assert (staff.services[0].code, staff.sessions) == ("92507", 40)
    assert staff.total_fee == Decimal("4800.00")  # 40 × $120
    family = client_as(world.guardian).get(url, asked).context["estimate"]
    assert family.services[0].code != "92507"
    too_long = client_as(world.billing).get(url, asked | {"weeks": "60"})
    assert too_long.status_code == 400
    assert "An estimate covers at most 52 weeks." in too_long.content.decode()


def test_a_code_without_a_fee_is_named_and_left_out_of_the_total(billed, client_as) -> None:
    url = reverse("billing:estimate", args=[billed.child.id])
    asked = {"code_0": "97533", "units_0": "2", "per_week": "1", "weeks": "4"}
    response = client_as(billed.admin).get(url, asked)
    assert response.context["estimate"].missing == ["97533"]
    assert "No fee is set yet for 97533" in response.content.decode()


def test_the_estimate_pdf_carries_the_notices_and_numbers(billed, client_as, printed) -> None:  # noqa: F811
    world = billed
    url = reverse("billing:estimate_pdf", args=[world.child.id])
    response = pdf_of(
        client_as(world.billing),
        url,
        {"code_0": "97530", "units_0": "3", "per_week": "1", "weeks": "10"},
    )
    assert response.content.startswith(b"%PDF")
    [source] = printed.html
    source = html.unescape(source)
    assert "Good Faith Estimate" in source and "$400 or more" in source
    assert "1234567893" in source and "F82" in source
    # 10 sessions of 3 units at $40 = $1,200, 80 % off: $240.
    assert "$1,200.00" in source and "$240.00" in source


def test_an_insured_child_has_the_notes_that_insurance_pays(world, client_as) -> None:
    policy(world.child, payer(world.org))
    response = client_as(world.admin).get(reverse("billing:estimate", args=[world.child.id]))
    assert response.context["estimate"].discount_percent == 0
    assert "Sessions are billed to insurance" in _text(response)
