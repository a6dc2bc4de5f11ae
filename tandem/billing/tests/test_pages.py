"""The billing pages and the API everyone shares: a child's billing, payments (once per
form), the clinic's queues and aging, within query budgets."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tandem.billing.models import Adjustment, Charge, Payment
from tandem.billing.tests.helpers import authorization, coded_note, fees, payer, policy, self_pay
from tandem.notes.tests.helpers import TODAY, make_note

# Dates matter (days left, aging, the guideline year): `make test-clock` runs these too.
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_the_childs_billing_page_shows_charges_and_what_is_owed(world, client_as):
    fees(world.org)
    self_pay(world.child, discount_percent=50)
    coded_note(world.child, world.therapist, [("92507", 45)])
    page = client_as(world.billing).get(reverse("billing:child", args=[world.child.id]))
    assert page.status_code == 200
    assert page.context["totals"]["family"] == Decimal("60.00")
    assert "92507" in page.content.decode()


def test_a_payment_is_recorded_once_however_often_the_form_is_sent(world, client_as):
    fees(world.org)
    self_pay(world.child)
    note = coded_note(world.child, world.therapist, [("92507", 45)])
    charge = Charge.objects.get(note=note)
    client = client_as(world.billing)
    form = {
        "amount": "120.00",
        "party": "family",
        "method": "card",
        "received_on": TODAY.isoformat(),
        "charge": str(charge.id),
        "idempotency_key": "pay-once-0001",
    }
    url = reverse("billing:payment", args=[world.child.id])
    assert client.post(url, form).status_code in (302, 303)
    client.post(url, form)
    assert Payment.objects.filter(child=world.child).count() == 1
    page = client.get(reverse("billing:child", args=[world.child.id]))
    assert page.context["totals"]["family"] == Decimal("0.00")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "-5", "between 0.01"),
        ("amount", "1.234", "at most cents"),
        ("received_on", "", "date the money came in"),
        ("party", "bank", "who paid"),
    ],
)
def test_a_bad_payment_says_why_and_records_nothing(world, client_as, field, value, message):
    form = {
        "amount": "10",
        "party": "family",
        "method": "cash",
        "received_on": TODAY.isoformat(),
        field: value,
    }
    response = client_as(world.billing).post(
        reverse("billing:payment", args=[world.child.id]), form, follow=True
    )
    assert message in response.content.decode()
    assert not Payment.objects.exists()


def test_the_clinics_billing_page_lists_the_queues_and_aging(
    world, client_as, django_assert_max_num_queries
):
    fees(world.org)
    insurer = payer(world.org)
    cover = policy(world.child, insurer)
    authorization(cover, ["97530"], allowed=1)
    coded_note(world.child, world.therapist, [("97530", 30)])
    make_note(
        world.child,
        world.therapist,
        sign=True,
        start_time=datetime.time(13, 0),
        end_time=datetime.time(13, 45),
    )  # signed, no codes
    make_note(
        world.other_child, world.unassigned_therapist, date=TODAY - datetime.timedelta(days=10)
    )  # an old draft
    self_pay(world.sibling)
    old = coded_note(
        world.sibling, world.therapist, [("92507", 45)], date=TODAY - datetime.timedelta(days=45)
    )
    client = client_as(world.billing)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("billing:home"))
    assert page.status_code == 200
    assert page.context["unbilled"].paginator.count == 1
    assert page.context["late"].paginator.count == 1
    assert [u.authorization.number for u in page.context["at_risk"]] == ["AUTH-1"]
    rows = page.context["aging"].object_list
    sibling = next(r for r in rows if r.child == world.sibling)
    assert sibling.buckets["31-60"] == Decimal("120.00")
    assert old.date < TODAY
    # More records cost no more queries.
    for _ in range(3):
        coded_note(
            world.child,
            world.therapist,
            [("97530", 20)],
            start_time=datetime.time(15, 0),
            end_time=datetime.time(15, 30),
        )
    with django_assert_max_num_queries(20):
        assert client.get(reverse("billing:home")).status_code == 200


def test_the_api_lists_a_childs_charges_and_records_a_payment_once(world, client_as):
    fees(world.org)
    policy(world.child, payer(world.org))
    note = coded_note(world.child, world.therapist, [("97530", 38, "GO")])
    client = client_as(world.billing)
    rows = client.get(f"/api/v1/children/{world.child.id}/charges").json()
    assert [(r["code"], r["units"], r["amount"], r["billed_to"]) for r in rows] == [
        ("97530", 3, "120.00", "payer")
    ]
    body = {
        "amount": "25.50",
        "paid_by": "family",
        "method": "card",
        "received_on": TODAY.isoformat(),
        "charge_id": rows[0]["id"],
    }
    headers = {"HTTP_IDEMPOTENCY_KEY": "api-payment-0001"}
    url = f"/api/v1/children/{world.child.id}/payments"
    first = client.post(url, body, content_type="application/json", **headers)
    again = client.post(url, body, content_type="application/json", **headers)
    assert first.status_code == again.status_code == 201
    assert Payment.objects.filter(charge__note=note).count() == 1
    bad = client.post(url, {**body, "amount": "-1"}, content_type="application/json")
    assert bad.status_code == 422 and "detail" in bad.json()


def test_the_api_changes_codes_with_the_token_and_refuses_a_stale_one(world, client_as):
    note = make_note(world.child, world.therapist)
    client = client_as(world.therapist)
    url = f"/api/v1/children/{world.child.id}/sessions/{note.id}/codes"
    token = client.get(url).json()["token"]
    body = {"token": token, "lines": [{"code": "97530", "minutes": 30, "modifiers": ["GO"]}]}
    saved = client.put(url, body, content_type="application/json")
    assert saved.status_code == 200
    assert saved.json()["lines"][0]["code"] == "97530"
    stale = client.put(url, body, content_type="application/json")
    assert stale.status_code == 409
    unknown = client.put(
        url,
        {"token": saved.json()["token"], "lines": [{"code": "00000", "minutes": 5}]},
        content_type="application/json",
    )
    assert unknown.status_code == 422


def test_the_api_queues_for_billing(world, client_as):
    fees(world.org)
    make_note(world.child, world.therapist, sign=True)
    client = client_as(world.billing)
    unbilled = client.get("/api/v1/billing/unbilled").json()
    assert [row["has_codes"] for row in unbilled] == [False]
    assert client.get("/api/v1/billing/aging").status_code == 200
    assert client.get("/api/v1/billing/authorizations-at-risk").json() == []
    assert client_as(world.therapist).get("/api/v1/billing/aging").status_code in (403, 404)


def test_adjustments_and_patient_share_move_what_is_owed(world, client_as):
    fees(world.org)
    policy(world.child, payer(world.org))
    note = coded_note(world.child, world.therapist, [("92507", 45)])
    charge = Charge.objects.get(note=note)
    Payment.objects.create(
        organization=world.org,
        child=world.child,
        charge=charge,
        party="payer",
        method="remittance",
        amount=Decimal("70.00"),
        received_on=TODAY,
        recorded_by=world.billing,
    )
    for group, reason, amount in (("CO", "45", "30.00"), ("PR", "2", "20.00")):
        Adjustment.objects.create(
            organization=world.org,
            child=world.child,
            charge=charge,
            group_code=group,
            reason_code=reason,
            amount=Decimal(amount),
            recorded_by=world.billing,
        )
    page = client_as(world.billing).get(reverse("billing:child", args=[world.child.id]))
    assert page.context["totals"]["family"] == Decimal("20.00")
    assert page.context["totals"]["payer"] == Decimal("0.00")


def test_billing_writes_off_part_of_a_charge_once_and_can_take_it_back(world, client_as):
    fees(world.org)
    self_pay(world.child)
    note = coded_note(world.child, world.therapist, [("92507", 45)])
    charge = Charge.objects.get(note=note)
    client = client_as(world.billing)
    url = reverse("billing:adjustment", args=[world.child.id])
    form = {
        "charge": str(charge.id),
        "amount": "20.00",
        "group_code": "OA",
        "reason_code": "45",
        "idempotency_key": "write-off-0001",
    }
    client.post(url, form)
    client.post(url, form)
    assert Adjustment.objects.filter(charge=charge).count() == 1
    page = client.get(reverse("billing:child", args=[world.child.id]))
    assert page.context["totals"]["family"] == Decimal("100.00")
    client.post(url, {**form, "amount": "-20.00", "idempotency_key": "write-off-0002"})
    page = client.get(reverse("billing:child", args=[world.child.id]))
    assert page.context["totals"]["family"] == Decimal("120.00")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "0"}, "non-zero"),
        ({"group_code": "PR"}, "CO, OA or PI"),
        ({"reason_code": ""}, "reason code"),
        ({"amount": "NaN"}, "non-zero"),
    ],
)
def test_a_bad_write_off_says_why_and_changes_nothing(world, client_as, changes, message):
    fees(world.org)
    note = coded_note(world.child, world.therapist, [("92507", 45)])
    charge = Charge.objects.get(note=note)
    form = {
        "charge": str(charge.id),
        "amount": "20.00",
        "group_code": "OA",
        "reason_code": "45",
        **changes,
    }
    response = client_as(world.billing).post(
        reverse("billing:adjustment", args=[world.child.id]), form, follow=True
    )
    assert message in response.content.decode()
    assert not Adjustment.objects.exists()


def test_the_api_records_a_write_off_and_refuses_another_childs_charge(world, client_as):
    fees(world.org)
    note = coded_note(world.child, world.therapist, [("92507", 45)])
    other = coded_note(world.other_child, world.unassigned_therapist, [("92507", 45)])
    client = client_as(world.billing)
    url = f"/api/v1/children/{world.child.id}/adjustments"
    body = {"charge_id": str(Charge.objects.get(note=note).id), "amount": "15.00"}
    made = client.post(url, body, content_type="application/json")
    assert made.status_code == 201 and made.json()["group_code"] == "OA"
    foreign = {**body, "charge_id": str(Charge.objects.get(note=other).id)}
    assert client.post(url, foreign, content_type="application/json").status_code == 404
    bad = client.post(url, {**body, "amount": "0"}, content_type="application/json")
    assert bad.status_code == 422
