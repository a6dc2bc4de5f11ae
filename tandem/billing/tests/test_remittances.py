"""Remittances (835) through the pages and the API: a payer's answer to our claims is
posted once (payments, adjustments, the family's share), what is not ours is reported
and left alone, and a file that is not an 835 changes nothing."""

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tandem.billing import claims, remittances
from tandem.billing.models import (
    Adjustment,
    Charge,
    ChargeStatus,
    Claim,
    ClaimBatch,
    Payment,
    Remittance,
)
from tandem.billing.tests.claims_helpers import (
    Billing,
    answer,
    as_835,
    ids,
    ready_to_bill,
    session,
)
from tandem.billing.x12.remit835 import Adjustment as Adjustment835
from tandem.billing.x12.remit835 import ClaimPayment
from tandem.conftest import World
from tandem.core.testing.types import ClientAs

# Dates matter (days left, aging, the guideline year): `make test-clock` runs these too.
pytestmark = [pytest.mark.django_db, pytest.mark.clock]
JSON = "application/json"
PAGE = reverse("billing:remittances")
API = "/api/v1/billing/remittances"


@pytest.fixture
def billing(world: World) -> Billing:
    return ready_to_bill(world)


@pytest.fixture
def billed(world: World, billing: Billing) -> tuple[ClaimBatch, list[Charge]]:
    """Maya's three charges (97530 120.00, 97110 70.00, then 97530 120.00) on one claim."""
    charges = session(world.child, world.therapist, (("97530", 45), ("97110", 25)))
    charges.sort(key=lambda c: c.code, reverse=True)
    charges += session(world.child, world.therapist, hour=13)
    batch = claims.build_batch(world.billing, billing.payer, ids(charges))
    return batch, [Charge.objects.get(pk=c.pk) for c in charges]


def upload(client: Any, text: str) -> Any:
    return client.post(PAGE, {"file": SimpleUploadedFile("era.835", text.encode())})


def counts() -> tuple[int, int, int]:
    return Remittance.objects.count(), Payment.objects.count(), Adjustment.objects.count()


def test_a_remittance_posts_payments_adjustments_and_the_familys_share(
    world: World, client_as: ClientAs, billed: tuple[ClaimBatch, list[Charge]]
) -> None:
    batch, (paid, denied, unanswered) = billed
    client = client_as(world.billing)

    response = upload(client, as_835(answer(batch, [paid, denied])))

    remittance = Remittance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("billing:remittance", args=[remittance.pk])
    payment = Payment.objects.get()
    assert (payment.charge, payment.amount, payment.party, payment.method) == (
        paid,
        Decimal("85.00"),
        "payer",
        "remittance",
    )
    assert payment.reference == "EFT0001" and payment.remittance == remittance
    adjustments = {
        (a.charge_id, a.group_code, a.reason_code, a.amount) for a in Adjustment.objects.all()
    }
    assert adjustments == {
        (paid.pk, "CO", "45", Decimal("20.00")),
        (paid.pk, "PR", "2", Decimal("15.00")),
        (denied.pk, "CO", "50", Decimal("70.00")),
    }
    claim = Claim.objects.get()
    assert claim.paid == Decimal("85.00") and claim.status == "Processed as primary"
    statuses = {c.pk: c.status for c in Charge.objects.all()}
    assert statuses[paid.pk] == statuses[denied.pk] == ChargeStatus.CLOSED
    assert statuses[unanswered.pk] == ChargeStatus.BILLED  # the payer has not answered it yet
    [row] = remittance.report
    assert row["outcome"] == "matched" and row["control_number"] == claim.control_number
    # The payer read the claim as 190.00; we billed 310.00 (the third line is still out).
    assert row["differences"] == [
        {"code": "", "service_date": None, "billed": "310.00", "charged": "190.00"}
    ]
    # The family's share (PR) is owed by the family on Maya's billing page.
    child_page = client.get(reverse("billing:child", args=[world.child.pk])).content.decode()
    assert "<dt>Family owes</dt><dd>$15.00</dd>" in child_page
    report = client.get(response["Location"]).content.decode()
    assert "Found and posted" in report and "Maya Okafor" in report and "310.00" in report


def test_the_same_file_again_posts_nothing(
    world: World, client_as: ClientAs, billed: tuple[ClaimBatch, list[Charge]]
) -> None:
    batch, charges = billed
    text = as_835(answer(batch, charges))
    client = client_as(world.billing)
    first = upload(client, text)
    before = counts()

    again = client.post(PAGE, {"file": SimpleUploadedFile("copy.txt", text.encode())}, follow=True)

    assert counts() == before == (1, 1, 3)
    assert again.redirect_chain[-1][0] == first["Location"]
    assert "This file was already imported on" in again.content.decode()
    assert Claim.objects.get().paid == Decimal("85.00")
    assert remittances.import_835(world.admin, text).pk == Remittance.objects.get().pk


def test_a_claim_that_is_not_ours_is_reported_and_nothing_is_posted_for_it(
    world: World, client_as: ClientAs, billed: tuple[ClaimBatch, list[Charge]]
) -> None:
    batch, charges = billed
    client = client_as(world.billing)

    response = upload(client, as_835(answer(batch, charges, control_number="T999999")))

    [row] = Remittance.objects.get().report
    assert row["outcome"] == "not_found" and row["claim_id"] is None
    assert counts() == (1, 0, 0)
    assert {c.status for c in Charge.objects.all()} == {ChargeStatus.BILLED}
    page = client.get(response["Location"]).content.decode()
    assert "Not one of our claims" in page and "T999999" in page


def test_a_claim_denied_without_line_detail_is_spread_over_its_charges(
    world: World, client_as: ClientAs, billed: tuple[ClaimBatch, list[Charge]]
) -> None:
    batch, charges = billed
    claim = Claim.objects.get()
    denial = ClaimPayment(
        patient_control_number=claim.control_number,
        status_code="4",
        charge=claim.total,
        paid=Decimal("0"),
        patient_responsibility=Decimal("0"),
        payer_claim_number="PCN-2",
        patient_last_name="Okafor",
        adjustments=(Adjustment835("CO", "50", claim.total),),
    )
    remittance = dataclasses.replace(
        answer(batch, charges), claims=(denial,), total_paid=Decimal("0")
    )

    upload(client_as(world.billing), as_835(remittance))

    written_off = {a.charge_id: a.amount for a in Adjustment.objects.all()}
    assert written_off == {c.pk: c.amount for c in charges}
    assert {c.status for c in Charge.objects.all()} == {ChargeStatus.CLOSED}
    assert Claim.objects.get().status == "Denied" and not Payment.objects.exists()


def test_lines_without_their_control_number_are_found_by_code_and_date(
    world: World, client_as: ClientAs, billed: tuple[ClaimBatch, list[Charge]]
) -> None:
    batch, (paid, denied, _unanswered) = billed
    upload(client_as(world.billing), as_835(answer(batch, [paid, denied], line_numbers=False)))
    assert Payment.objects.get().charge == paid
    assert Adjustment.objects.get(reason_code="50").charge == denied


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Dear billing team, our payment is attached.", "not a remittance Tandem can read"),
        ("", "Choose the 835 file the payer sent."),
        ("truncated", "not a remittance Tandem can read"),
    ],
)
def test_a_file_that_is_not_an_835_changes_nothing(
    world: World,
    client_as: ClientAs,
    billed: tuple[ClaimBatch, list[Charge]],
    text: str,
    message: str,
) -> None:
    batch, charges = billed
    if text == "truncated":
        full = as_835(answer(batch, charges))
        text = full[: full.index("SVC*")]
    client = client_as(world.billing)
    data = {"file": SimpleUploadedFile("era.835", text.encode())} if text else {}

    response = client.post(PAGE, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == (0, 0, 0)
    assert {c.status for c in Charge.objects.all()} == {ChargeStatus.BILLED}


def test_a_remittance_through_the_api(
    world: World, client_as: ClientAs, billed: tuple[ClaimBatch, list[Charge]]
) -> None:
    batch, charges = billed
    text = as_835(answer(batch, charges))
    client = client_as(world.admin)

    first = client.post(API, {"content": text}, JSON)
    again = client.post(API, {"content": text}, JSON)
    broken = client.post(API, {"content": "ISA*00*short~"}, JSON)

    assert first.status_code == 201 and first.json()["already_imported"] is False
    assert again.status_code == 200 and again.json()["already_imported"] is True
    assert again.json()["id"] == first.json()["id"]
    [row] = first.json()["report"]
    assert row["outcome"] == "matched" and row["paid"] == "85.00"
    assert [line["matched"] for line in row["lines"]] == [True, True]
    assert broken.status_code == 422 and "not a remittance" in str(broken.json()["detail"])
    assert counts() == (1, 1, 3)
    listed = client.get(API).json()
    assert [r["id"] for r in listed] == [first.json()["id"]]
    assert client.get(f"{API}/{first.json()['id']}").json()["report"] == first.json()["report"]


def test_the_remittance_pages_read_in_a_bounded_number_of_queries(
    world: World,
    client_as: ClientAs,
    billed: tuple[ClaimBatch, list[Charge]],
    django_assert_max_num_queries: Any,
) -> None:
    batch, charges = billed
    client = client_as(world.billing)
    upload(client, as_835(answer(batch, charges)))
    other = dataclasses.replace(
        answer(batch, charges, control_number="T999999"), trace_number="EFT0002"
    )
    upload(client, as_835(other))
    remittance = Remittance.objects.order_by("created_at").first()
    assert remittance is not None
    with django_assert_max_num_queries(8):  # the first also stores the session's messages
        assert client.get(PAGE).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("billing:remittance", args=[remittance.pk])).status_code == 200
    with django_assert_max_num_queries(4):
        assert len(client.get(API).json()) == 2
    with django_assert_max_num_queries(6):
        assert client.get(f"{API}/{remittance.pk}").status_code == 200


@pytest.mark.parametrize("persona", ["therapist", "guardian", "front_desk", "foreign_admin"])
def test_remittances_are_not_there_for_others(
    world: World, client_as: ClientAs, billed: tuple[ClaimBatch, list[Charge]], persona: str
) -> None:
    batch, charges = billed
    upload(client_as(world.billing), as_835(answer(batch, charges)))
    remittance = Remittance.objects.get()
    client = client_as(getattr(world, persona))
    if persona != "foreign_admin":
        assert client.get(PAGE).status_code == 404
        assert client.post(API, {"content": "x"}, JSON).status_code == 404
    assert client.get(reverse("billing:remittance", args=[remittance.pk])).status_code == 404
    assert client.get(f"{API}/{remittance.pk}").status_code == 404
