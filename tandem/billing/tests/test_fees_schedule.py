"""The clinic's fee schedule, sliding-scale tiers and billing numbers: the pages and the
API of admins and billing, with their refusals."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tandem.billing import fees, fees_profile
from tandem.billing.models import BillingProfile, FeeScheduleEntry, ProviderNumber, SlidingTier
from tandem.billing.tests.helpers_fees import CLINIC, clinic_profile, fee, npi
from tandem.core import clock

pytestmark = pytest.mark.django_db


def _today(world):
    return clock.today_for(world.org)


# --- The fee schedule -----------------------------------------------------------------


def test_the_fee_page_shows_the_fee_in_force_today_with_its_history(
    world, client_as, django_assert_max_num_queries
) -> None:
    today = _today(world)
    fee(world.admin, "97530", "40.00", today - datetime.timedelta(days=400))
    fee(world.admin, "97530", "45.50", today - datetime.timedelta(days=30))
    fee(world.admin, "97530", "48.00", today + datetime.timedelta(days=30))
    fee(world.foreign_admin, "97530", "99.00", today - datetime.timedelta(days=10))
    client = client_as(world.billing)
    client.get(reverse("billing:fees"))  # the session's first request reads its member once
    with django_assert_max_num_queries(12):
        response = client.get(reverse("billing:fees"))
    body = response.content.decode()
    row = body[body.index('data-code="97530"') :]
    row = row[: row.index("</tr>")]
    assert "$45.50" in row and "$48.00" in row and "$40.00" in row
    assert "$99.00" not in body
    assert response.context["rows"][0].service.code == "92521"


def test_adding_a_fee_from_a_day(world, client_as) -> None:
    day = _today(world) + datetime.timedelta(days=7)
    response = client_as(world.admin).post(
        reverse("billing:fees"),
        {"code": "92507", "amount": "120.5", "effective_from": day.isoformat()},
    )
    assert response.status_code == 302
    entry = FeeScheduleEntry.objects.get(organization=world.org, code="92507")
    assert (entry.amount, entry.effective_from) == (Decimal("120.50"), day)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"code": "99999"}, "code", "Select a valid choice"),
        ({"amount": "-1"}, "amount", "from 0 to 100,000"),
        ({"amount": "12.345"}, "amount", "at most cents"),
        ({"amount": "ten"}, "amount", "from 0 to 100,000"),
        ({"effective_from": ""}, "effective_from", "required"),
    ],
)
def test_a_bad_fee_is_refused_with_a_message(world, client_as, data, field, message) -> None:
    post = {"code": "97530", "amount": "40", "effective_from": "2026-01-01"} | data
    response = client_as(world.admin).post(reverse("billing:fees"), post)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not FeeScheduleEntry.objects.filter(organization=world.org).exists()


def test_a_second_fee_for_the_same_code_and_day_is_refused(world, client_as) -> None:
    fee(world.admin, "97530", "40.00", datetime.date(2026, 1, 1))
    response = client_as(world.billing).post(
        reverse("billing:fees"), {"code": "97530", "amount": "41", "effective_from": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "97530 already has a fee from 2026-01-01: choose another day." in str(
        response.context["form"].errors["effective_from"]
    )
    assert FeeScheduleEntry.objects.get(organization=world.org).amount == Decimal("40.00")


def test_the_api_lists_and_adds_fees_once_per_key(world, client_as) -> None:
    client = client_as(world.billing)
    body = {"code": "97110", "amount": "35.00", "effective_from": "2026-01-01"}
    headers = {"HTTP_IDEMPOTENCY_KEY": "fee-97110-2026"}
    first = client.post("/api/v1/billing/fees", body, "application/json", **headers)
    again = client.post("/api/v1/billing/fees", body, "application/json", **headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first.json()["amount"] == "35.00" and first.json()["label"] == "Therapeutic exercise"
    assert FeeScheduleEntry.objects.filter(organization=world.org).count() == 1
    listed = client.get("/api/v1/billing/fees").json()
    assert [(f["code"], f["in_force"]) for f in listed] == [
        ("97110", _today(world) >= datetime.date(2026, 1, 1))
    ]
    twice = client.post("/api/v1/billing/fees", body, "application/json")
    assert twice.status_code == 422
    assert "choose another day" in twice.json()["detail"]["effective_from"][0]
    unknown = client.post("/api/v1/billing/fees", body | {"code": "1234"}, "application/json")
    assert unknown.status_code == 422


def test_others_find_no_fee_schedule(world, client_as) -> None:
    for persona in (world.therapist, world.guardian, world.front_desk):
        assert client_as(persona).get(reverse("billing:fees")).status_code == 404
        assert client_as(persona).get("/api/v1/billing/fees").status_code in (403, 404)


# --- The sliding scale -------------------------------------------------------------------


def test_the_suggested_tiers_are_offered_and_taken(world, client_as) -> None:
    client = client_as(world.admin)
    page = client.get(reverse("billing:sliding_scale"))
    assert "No tiers yet" in page.content.decode()
    response = client.post(reverse("billing:sliding_scale"), {"action": "suggested"})
    assert response.status_code == 302
    tiers = SlidingTier.objects.filter(organization=world.org)
    assert [(t.up_to_percent, t.discount_percent) for t in tiers] == list(fees.DEFAULT_TIERS)
    body = client.get(reverse("billing:sliding_scale")).content.decode()
    # A household of 4 at 150 % of this year's guideline, shown beside the tier.
    rule = fees.poverty.guideline(_today(world).year, "contiguous", 4)
    assert f"${rule.amount * 150 // 100:,}" in body


def test_a_tier_is_added_and_removed_and_a_duplicate_refused(world, client_as) -> None:
    client = client_as(world.billing)
    url = reverse("billing:sliding_scale")
    assert client.post(url, {"up_to_percent": "125", "discount_percent": "70"}).status_code == 302
    again = client.post(url, {"up_to_percent": "125", "discount_percent": "50"})
    assert "There is already a tier up to 125 % of the guideline." in again.content.decode()
    over = client.post(url, {"up_to_percent": "300", "discount_percent": "101"})
    assert over.status_code == 200 and over.context["form"].errors["discount_percent"]
    tier = SlidingTier.objects.get(organization=world.org)
    assert client.post(url, {"action": "remove", "tier": str(tier.pk)}).status_code == 302
    assert not SlidingTier.objects.filter(organization=world.org).exists()


def test_the_api_replaces_the_tiers_all_or_nothing(world, client_as) -> None:
    client = client_as(world.admin)
    url = "/api/v1/billing/sliding-scale"
    fees.replace_tiers(world.admin, [(100, 50)])
    bad = {"tiers": [{"up_to_percent": 150, "discount_percent": 60}] * 2}
    refused = client.put(url, bad, "application/json")
    assert refused.status_code == 422
    assert "There is already a tier up to 150 %" in refused.json()["detail"][0]
    assert client.get(url).json() == {"tiers": [{"up_to_percent": 100, "discount_percent": 50}]}
    good = {
        "tiers": [
            {"up_to_percent": 200, "discount_percent": 40},
            {"up_to_percent": 100, "discount_percent": 80},
        ]
    }
    assert client.put(url, good, "application/json").json()["tiers"] == [
        {"up_to_percent": 100, "discount_percent": 80},
        {"up_to_percent": 200, "discount_percent": 40},
    ]
    wrong = client.put(
        url, {"tiers": [{"up_to_percent": 0, "discount_percent": 5}]}, "application/json"
    )
    assert wrong.status_code == 422


# --- The clinic's numbers ---------------------------------------------------------------------


def test_npi_check_digit_follows_cms() -> None:
    assert fees_profile.npi_is_valid("1234567893")  # CMS's worked example
    assert not fees_profile.npi_is_valid("1234567890")
    assert not fees_profile.npi_is_valid("123456789")
    assert fees_profile.npi_is_valid(npi("987654321"))


def test_the_profile_page_saves_the_clinics_numbers(world, client_as) -> None:
    client = client_as(world.billing)
    data = CLINIC | {"which": "profile", "version": "0", "region": "contiguous"}
    assert client.post(reverse("billing:profile"), data).status_code == 302
    profile = BillingProfile.objects.get(organization=world.org)
    assert (profile.npi, profile.tax_id, profile.postal_code) == (
        "1234567893",
        "123456789",
        "97201",
    )
    stale = client.post(reverse("billing:profile"), data | {"legal_name": "Other"})
    assert stale.status_code == 409
    assert BillingProfile.objects.get(organization=world.org).legal_name == CLINIC["legal_name"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("npi", "1234567890", "valid check digit"),
        ("tax_id", "1234", "An EIN has 9 digits"),
        ("taxonomy", "225X0000", "ending in X"),
        ("state", "ZZ", "two-letter code"),
        ("postal_code", "972", "5 or 9 digits"),
    ],
)
def test_bad_clinic_numbers_are_refused(world, client_as, field, value, message) -> None:
    data = CLINIC | {"which": "profile", "version": "0", "region": "contiguous", field: value}
    response = client_as(world.admin).post(reverse("billing:profile"), data)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not BillingProfile.objects.filter(organization=world.org).exists()


def test_a_therapists_numbers_are_set_on_the_page_and_in_the_api(world, client_as) -> None:
    client = client_as(world.billing)
    number = npi("555000111")
    response = client.post(
        reverse("billing:profile"),
        {
            "which": "provider",
            "membership": str(world.therapist.pk),
            "npi": number,
            "taxonomy": "225X00000X",
            "credentials": "OTR/L",
        },
    )
    assert response.status_code == 302
    assert ProviderNumber.objects.get(membership=world.therapist).npi == number
    url = f"/api/v1/billing/providers/{world.consulting_therapist.pk}"
    saved = client.put(url, {"npi": npi("555000222"), "taxonomy": "235Z00000X"}, "application/json")
    assert saved.status_code == 200
    by_id = {p["therapist_id"]: p for p in saved.json()["providers"]}
    assert by_id[str(world.consulting_therapist.pk)]["taxonomy"] == "235Z00000X"
    bad = client.put(url, {"npi": "1234567890", "taxonomy": "235Z00000X"}, "application/json")
    assert bad.status_code == 422 and "check digit" in bad.json()["detail"]["npi"][0]
    foreign = f"/api/v1/billing/providers/{world.foreign_therapist.pk}"
    assert client.put(foreign, {"npi": number}, "application/json").status_code == 404


def test_the_api_reads_and_saves_the_profile_with_its_version(world, client_as) -> None:
    client = client_as(world.admin)
    empty = client.get("/api/v1/billing/profile").json()
    assert empty["version"] == 0 and empty["legal_name"] == ""
    saved = client.put("/api/v1/billing/profile", CLINIC | {"version": 0}, "application/json")
    assert saved.status_code == 200 and saved.json()["version"] == 1
    stale = client.put("/api/v1/billing/profile", CLINIC | {"version": 0}, "application/json")
    assert stale.status_code == 409
    clinic_profile(world.foreign_admin)
    assert client.get("/api/v1/billing/profile").json()["npi"] == "1234567893"
