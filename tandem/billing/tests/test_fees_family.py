"""The family's fees page: who pays, their tier and why in their own numbers and language,
their statement — and nobody else's."""

import datetime
import html
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.billing import fees, payments
from tandem.billing.models import Charge
from tandem.billing.tests.helpers import coded_note
from tandem.billing.tests.helpers import fees as fee_schedule
from tandem.billing.tests.helpers_fees import fee, household, speaking
from tandem.core import clock

# Dates matter (days left, aging, the guideline year): `make test-clock` runs these too.
pytestmark = [pytest.mark.django_db, pytest.mark.clock]

# 10 March 2026, midday in the clinic: the 2026 guidelines (91 FR 1797) are in force.
MARCH = datetime.datetime(2026, 3, 10, 18, 0, tzinfo=datetime.UTC)
NBSP = "\u00a0"


@pytest.fixture
def sliding_family(world):
    """A family of 4 earning $40,000 a year, paying themselves; 97530 at $50 a unit."""
    with time_machine.travel(MARCH, tick=False):
        fees.replace_tiers(world.admin, fees.DEFAULT_TIERS)
        fee(world.admin, "97530", "50.00", datetime.date(2025, 1, 1))
        household(world.admin, world.child, clock.today_for(world.org), size=4, income="40000")
        yield world


def _page(client, child):
    return client.get(reverse("billing:family", args=[child.id]))


def _text(client, child):
    return html.unescape(_page(client, child).content.decode())


def test_the_family_sees_their_tier_and_why_in_their_numbers(sliding_family, client_as) -> None:
    world = sliding_family
    body = _text(client_as(world.guardian), world.child)
    assert "You pay for the sessions yourselves." in body
    assert "Your household of 4 has an income of $40,000 a year." in body
    assert (
        f"That is 121{NBSP}% of the 2026 federal poverty guideline for 4 people ($33,000)." in body
    )
    assert f"Families up to 150{NBSP}% get 60{NBSP}% off: a $150 session costs you $60." in body


def test_the_family_reads_it_in_spanish(sliding_family, client_as) -> None:
    world = sliding_family
    client = client_as(speaking(world.guardian, "es"))
    body = _text(client, world.child)
    assert "Ustedes mismos pagan las sesiones." in body
    assert f"Su hogar de 4 personas tiene ingresos de $40{NBSP}000 al año." in body
    assert (
        f"Eso es el 121{NBSP}% del umbral federal de pobreza de 2026 para 4 personas "
        f"($33{NBSP}000)." in body
    )
    assert (
        f"Las familias de hasta el 150{NBSP}% tienen un 60{NBSP}% de descuento: "
        "una sesión de $150 les cuesta $60." in body
    )
    assert "Your household" not in body


def test_a_household_of_one_reads_in_the_singular(world, client_as) -> None:
    with time_machine.travel(MARCH, tick=False):
        household(world.admin, world.child, clock.today_for(world.org), size=1, income="8000")
        body = _text(client_as(world.guardian), world.child)
    assert "guideline for 1 person ($15,960)." in body
    assert "pays the full fee" not in body


def test_above_every_tier_the_family_is_told_they_pay_the_full_fee(world, client_as) -> None:
    with time_machine.travel(MARCH, tick=False):
        fees.replace_tiers(world.admin, fees.DEFAULT_TIERS)
        fee(world.admin, "92507", "120.00", datetime.date(2025, 1, 1))
        household(world.admin, world.child, clock.today_for(world.org), size=2, income="90000")
        body = _text(client_as(world.guardian), world.child)
    assert "above the clinic's sliding scale, so you pay the full fee: a $120 session" in body


def test_before_anything_is_recorded_the_family_sees_empty_states(world, client_as) -> None:
    body = _text(client_as(world.guardian), world.child)
    assert "The clinic has not recorded how sessions are paid for yet." in body
    assert "Nothing to pay. Thank you!" in body
    assert "No session billed to you since" in body


def test_a_self_pay_family_not_assessed_yet_is_told_to_ask(world, client_as) -> None:
    # A family paying themselves, recorded before their household was assessed.
    from tandem.billing.tests.helpers import self_pay

    self_pay(world.child)
    body = _text(client_as(world.guardian), world.child)
    assert "You pay the clinic's full fee for now." in body
    assert "Families with a lower income can pay less." in body


def test_the_statement_shows_what_was_billed_paid_and_is_left(world, client_as) -> None:
    fees.replace_tiers(world.admin, fees.DEFAULT_TIERS)
    fee_schedule(world.org)  # 97530: $40 a unit
    household(world.admin, world.child, clock.today_for(world.org), size=4, income="30000")
    note = coded_note(world.child, world.therapist, [("97530", 45)])  # $120, 80 % off: $24
    charge = Charge.objects.get(note=note)
    payments.record_payment(
        world.billing,
        world.child,
        amount=Decimal("10.00"),
        party="family",
        method="card",
        received_on=clock.today_for(world.org),
        charge_id=charge.pk,
    )
    response = _page(client_as(world.guardian), world.child)
    statement = response.context["statement"]
    assert (statement.billed, statement.paid, statement.due) == (
        Decimal("24.00"),
        Decimal("10.00"),
        Decimal("14.00"),
    )
    body = response.content.decode()
    assert "To pay: $14.00" in body
    assert "$120.00 less $96.00 discount" in body
    assert "Therapeutic activities (97530)" in body


def test_insurance_pays_and_the_family_sees_the_payer(world, client_as) -> None:
    from tandem.billing.tests.helpers import payer, policy

    policy(world.child, payer(world.org, name="Blue Valley Health"))
    body = _text(client_as(world.guardian), world.child)
    assert "Your insurance pays for the sessions: Blue Valley Health." in body
    assert "Your price" not in body.split("statement-h")[0]


def test_other_families_and_the_team_find_no_fees_page(world, client_as) -> None:
    for persona in (world.other_guardian, world.therapist, world.front_desk, world.foreign_admin):
        assert _page(client_as(persona), world.child).status_code == 404
    assert _page(client_as(world.billing), world.child).status_code == 200
    assert _page(client_as(world.guardian), world.sibling).status_code == 200


def test_the_page_does_a_bounded_number_of_queries(world, client_as) -> None:
    fee_schedule(world.org)
    household(world.admin, world.child, clock.today_for(world.org), size=4, income="30000")
    client = client_as(world.guardian)
    coded_note(world.child, world.therapist, [("97530", 45)])
    _page(client, world.child)  # the session's first request reads its member once
    with CaptureQueriesContext(connection) as one:
        assert _page(client, world.child).status_code == 200
    for hour in (10, 11, 12, 13):
        coded_note(
            world.child,
            world.therapist,
            [("97530", 30), ("97110", 15)],
            start_time=datetime.time(hour, 0),
            end_time=datetime.time(hour, 45),
        )
    with CaptureQueriesContext(connection) as many:
        assert _page(client, world.child).status_code == 200
    assert len(many) == len(one)
    assert len(one) <= 30


def test_the_api_gives_the_family_the_same_words(sliding_family, client_as) -> None:
    world = sliding_family
    with time_machine.travel(MARCH, tick=False):
        found = client_as(world.guardian).get(f"/api/v1/children/{world.child.id}/fees")
    assert found.status_code == 200
    data = found.json()
    assert data["family_pays"] and data["discount_percent"] == 60
    assert data["explanation"][0] == "Your household of 4 has an income of $40,000 a year."
    assert data["due"] == "0.00"
    other = client_as(world.other_guardian).get(f"/api/v1/children/{world.child.id}/fees")
    assert other.status_code == 404
