"""The sliding scale: a household's income as a percentage of the HHS poverty guideline for
its size and region, the tier it falls in, and the discount its signed sessions carry.

The guideline figures are those of the Federal Register notices (the "Annual Update of the
HHS Poverty Guidelines"):

- 2025, 90 FR 5917 (January 17, 2025): 48 contiguous states and DC $15,650 for one person
  plus $5,500 for each additional person (a household of 4: $32,150); Alaska $19,550 +
  $6,880 (4: $40,190); Hawaii $17,990 + $6,330 (4: $36,980);
- 2026, 91 FR 1797 (January 15, 2026): contiguous $15,960 + $5,680 (4: $33,000).
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tandem.billing import fees, poverty
from tandem.billing.models import Charge, FeeAgreement, SlidingTier
from tandem.billing.tests.helpers import coded_note
from tandem.billing.tests.helpers import fees as fee_schedule
from tandem.billing.tests.helpers_fees import household
from tandem.core import clock

# Dates matter (days left, aging, the guideline year): `make test-clock` runs these too.
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def _tiers(world, pairs=fees.DEFAULT_TIERS):
    return fees.replace_tiers(world.admin, pairs)


@pytest.mark.parametrize(
    ("year", "region", "size", "amount", "citation"),
    [
        (2025, "contiguous", 1, 15_650, "90 FR 5917"),
        (2025, "contiguous", 4, 32_150, "90 FR 5917"),
        (2025, "alaska", 4, 40_190, "90 FR 5917"),
        (2025, "hawaii", 4, 36_980, "90 FR 5917"),
        (2026, "contiguous", 4, 33_000, "91 FR 1797"),
        (2026, "contiguous", 8, 55_720, "91 FR 1797"),
    ],
)
def test_the_guidelines_are_the_federal_registers(year, region, size, amount, citation) -> None:
    rule = poverty.guideline(year, region, size)
    assert rule.amount == amount
    assert rule.citation.startswith(citation)


def test_a_region_without_this_years_table_uses_the_latest_earlier_one() -> None:
    rule = poverty.guideline(2026, "alaska", 4)
    assert (rule.year, rule.amount) == (2025, 40_190)


@pytest.mark.parametrize(
    ("income", "percent", "discount"),
    [
        ("0", 0, 80),
        ("32150", 100, 80),  # exactly 100 %: the ≤ 100 % tier
        ("32439", 100, 80),  # 100.9 %: rounded down, still ≤ 100 %
        ("32472", 101, 60),  # 101 %: the next tier
        ("48225", 150, 60),
        ("64300", 200, 40),
        ("80375", 250, 20),
        ("80700", 251, 0),  # above every tier: no discount
    ],
)
def test_the_household_falls_in_the_lowest_tier_at_or_above_its_percentage(
    world, income, percent, discount
) -> None:
    tiers = _tiers(world)
    found = fees.assess(2025, "contiguous", 4, Decimal(income), tiers)
    assert found.guideline.amount == 32_150
    assert (found.percent, found.discount_percent) == (percent, discount)


def test_alaska_and_hawaii_are_assessed_on_their_own_tables(world) -> None:
    tiers = _tiers(world)
    alaska = fees.assess(2025, "alaska", 4, Decimal("40190"), tiers)
    hawaii = fees.assess(2025, "hawaii", 4, Decimal("55470"), tiers)
    assert (alaska.percent, alaska.discount_percent) == (100, 80)
    assert (hawaii.percent, hawaii.discount_percent) == (150, 60)


def test_saving_the_household_page_assesses_it_and_stores_the_assessment(world, client_as) -> None:
    _tiers(world)
    today = clock.today_for(world.org)
    response = client_as(world.billing).post(
        reverse("billing:household", args=[world.child.id]),
        {
            "funding": "self_pay",
            "household_size": "4",
            "annual_income": "40,000",
            "region": "contiguous",
            "version": "0",
        },
    )
    assert response.status_code == 302
    agreement = FeeAgreement.objects.get(child=world.child)
    rule = poverty.guideline(today.year, "contiguous", 4)
    percent = int(Decimal(40000) * 100 / rule.amount)
    assert agreement.assessed_on == today
    assert (agreement.guideline_year, agreement.guideline_amount) == (rule.year, rule.amount)
    assert agreement.percent_of_poverty == percent
    expected = fees.tier_for(list(SlidingTier.objects.filter(organization=world.org)), percent)
    assert agreement.discount_percent == (expected.discount_percent if expected else 0)
    assert agreement.annual_income == Decimal("40000.00")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"household_size": "0"}, "household_size", "A household has at least one person."),
        ({"household_size": ""}, "household_size", "A household has at least one person."),
        ({"household_size": "21"}, "household_size", "At most 20 people in a household."),
        ({"annual_income": "-5"}, "annual_income", "an amount of 0 or more"),
        ({"annual_income": ""}, "annual_income", "(0 if none)"),
        ({"funding": "grant"}, "grant_name", "Name the scholarship or grant."),
    ],
)
def test_a_bad_household_gets_a_clear_message_and_changes_nothing(
    world, client_as, changes, field, message
) -> None:
    data = {
        "funding": "self_pay",
        "household_size": "4",
        "annual_income": "40000",
        "region": "contiguous",
        "version": "0",
    } | changes
    response = client_as(world.admin).post(
        reverse("billing:household", args=[world.child.id]), data
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not FeeAgreement.objects.filter(child=world.child).exists()


def test_a_stale_household_form_is_a_conflict_not_an_overwrite(world, client_as) -> None:
    today = clock.today_for(world.org)
    household(world.admin, world.child, today, size=3, income="30000")
    url = reverse("billing:household", args=[world.child.id])
    stale = {
        "funding": "self_pay",
        "household_size": "5",
        "annual_income": "20000",
        "region": "contiguous",
        "version": "0",
    }
    response = client_as(world.billing).post(url, stale)
    assert response.status_code == 409
    assert "Someone else saved this household" in response.content.decode()
    agreement = FeeAgreement.objects.get(child=world.child)
    assert (agreement.household_size, agreement.version) == (3, 1)


def test_the_api_assesses_the_household_and_refuses_a_stale_version(world, client_as) -> None:
    _tiers(world)
    client = client_as(world.billing)
    url = f"/api/v1/children/{world.child.id}/fee-agreement"
    assert client.get(url).json()["version"] == 0
    body = {
        "funding": "self_pay",
        "household_size": 4,
        "annual_income": "40000",
        "region": "contiguous",
        "version": 0,
    }
    saved = client.put(url, body, content_type="application/json")
    assert saved.status_code == 200, saved.content
    today = clock.today_for(world.org)
    rule = poverty.guideline(today.year, "contiguous", 4)
    assert saved.json()["guideline_amount"] == rule.amount
    assert saved.json()["percent_of_poverty"] == 40000 * 100 // rule.amount
    assert saved.json()["annual_income"] == "40000.00"
    again = client.put(url, body, content_type="application/json")
    assert again.status_code == 409 and again.json()["current_version"] == 1
    nobody = client.put(url, body | {"household_size": 0, "version": 1}, "application/json")
    assert nobody.status_code == 422
    assert nobody.json()["detail"]["household_size"] == ["A household has at least one person."]


def test_a_grant_needs_its_name_and_pays_without_an_assessment(world) -> None:
    today = clock.today_for(world.org)
    with pytest.raises(Exception, match="Name the scholarship"):
        fees.save_household(
            world.admin,
            world.child,
            funding="grant",
            household_size=None,
            annual_income=None,
            region="contiguous",
            expected_version=None,
            today=today,
        )
    agreement = fees.save_household(
        world.admin,
        world.child,
        funding="grant",
        household_size=None,
        annual_income=None,
        region="contiguous",
        grant_name="Little Steps Fund",
        expected_version=None,
        today=today,
    )
    assert (agreement.assessed_on, agreement.discount_percent) == (None, 0)


def test_a_self_pay_familys_signed_session_carries_their_discount(world) -> None:
    """Signed through notes.actions.sign_note (``coded_note``): the charge is made then."""
    _tiers(world)
    fee_schedule(world.org)  # 97530: $40 a unit
    today = clock.today_for(world.org)
    agreement = household(world.admin, world.child, today, size=4, income="30000")
    assert agreement.discount_percent == 80  # under 100 % of the guideline
    note = coded_note(world.child, world.therapist, [("97530", 45)])
    charge = Charge.objects.get(note=note)
    assert (charge.units, charge.fee) == (3, Decimal("120.00"))
    assert (charge.discount, charge.amount) == (Decimal("96.00"), Decimal("24.00"))
    assert charge.party == "family"


def test_a_later_change_of_tiers_keeps_the_assessed_discount(world) -> None:
    _tiers(world)
    today = clock.today_for(world.org)
    household(world.admin, world.child, today, size=4, income="30000")
    fees.replace_tiers(world.admin, [(100, 10)])
    assert FeeAgreement.objects.get(child=world.child).discount_percent == 80


def test_a_new_guideline_year_moves_only_a_household_assessed_again(world) -> None:
    _tiers(world)
    early = household(world.admin, world.child, datetime.date(2025, 6, 1), size=4, income="33000")
    assert (early.guideline_year, early.percent_of_poverty) == (2025, 102)
    later = household(world.admin, world.child, datetime.date(2026, 6, 1), size=4, income="33000")
    assert (later.guideline_year, later.percent_of_poverty, later.discount_percent) == (
        2026,
        100,
        80,
    )
