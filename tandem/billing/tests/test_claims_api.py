"""Claim files through the API: the same action as the page, once per Idempotency-Key,
and a 422 with a message for charges that cannot go on a claim."""

import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tandem.billing import claims, insurance
from tandem.billing.models import Charge, ChargeStatus, ClaimBatch
from tandem.billing.tests.claims_helpers import Billing, ids, insure, ready_to_bill, session
from tandem.billing.x12.validate import validate
from tandem.conftest import World
from tandem.core.testing.types import ClientAs

# Dates matter (days left, aging, the guideline year): `make test-clock` runs these too.
pytestmark = [pytest.mark.django_db, pytest.mark.clock]
JSON = "application/json"
BATCHES = "/api/v1/billing/claim-batches"


@pytest.fixture
def billing(world: World) -> Billing:
    return ready_to_bill(world)


def body(billing: Billing, charges: list[Any]) -> dict[str, Any]:
    return {"payer_id": str(billing.payer.pk), "charge_ids": [str(c) for c in charges]}


def test_a_batch_is_built_once_per_idempotency_key(
    world: World, client_as: ClientAs, billing: Billing
) -> None:
    charges = session(world.child, world.therapist) + session(world.sibling, world.therapist)
    client = client_as(world.billing)
    headers = {"Idempotency-Key": "claims-2026-12-001"}

    first = client.post(BATCHES, body(billing, ids(charges)), JSON, headers=headers)
    again = client.post(BATCHES, body(billing, ids(charges)), JSON, headers=headers)

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert ClaimBatch.objects.count() == 1
    made = first.json()
    assert made["claim_count"] == 2 and made["number"] == 1
    assert validate(made["content"]) == []
    lines = [line for claim in made["claims"] for line in claim["lines"]]
    assert {line["control_number"] for line in lines} == {c.pk.hex[:30] for c in charges}
    assert {line["status"] for line in lines} == {"billed"}
    shown = client.get(f"{BATCHES}/{made['id']}").json()
    assert shown["content"] == made["content"]
    assert [b["id"] for b in client.get(BATCHES).json()] == [made["id"]]


def test_the_action_builds_once_per_key(world: World, billing: Billing) -> None:
    charges = ids(session(world.child, world.therapist))
    first = claims.build_batch(world.billing, billing.payer, charges, idempotency_key="k-1")
    again = claims.build_batch(world.billing, billing.payer, charges, idempotency_key="k-1")
    assert first.pk == again.pk and ClaimBatch.objects.count() == 1


def _charges_that_cannot_go(world: World, billing: Billing, case: str) -> list[str]:
    """The charge ids of each kind of bad choice, with one good charge beside them."""
    good = ids(session(world.child, world.therapist))
    if case == "unknown":
        return [*good, str(uuid.uuid4()), "not-an-id"]
    if case == "billed":
        billed = session(world.child, world.therapist, hour=13)
        claims.build_batch(world.billing, billing.payer, ids(billed))
        return good + ids(billed)
    if case == "self_pay":
        # Noah has no insurance: his session is billed to his family.
        return good + ids(session(world.other_child, world.unassigned_therapist, hour=13))
    if case == "other_payer":
        other = insurance.add_payer(world.admin, name="Lakeshore Medicaid", payer_id="LKM01")
        world.sibling.policies.all().delete()
        insure(world, world.sibling, other)
        return good + ids(session(world.sibling, world.therapist, hour=13))
    foreign = session(world.foreign_child, world.foreign_therapist, hour=13)
    return good + ids(foreign)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown", "2 of the chosen charges are not the clinic's charges."),
        ("foreign", "1 of the chosen charges are not the clinic's charges."),
        ("billed", "is already on a claim."),
        ("self_pay", "is billed to the family, not to insurance."),
        ("other_payer", "Some charges are billed to Lakeshore Medicaid, not Blue Meadow Health"),
    ],
)
def test_charges_that_cannot_go_are_a_422_and_nothing_is_saved(
    world: World, client_as: ClientAs, billing: Billing, case: str, message: str
) -> None:
    chosen = _charges_that_cannot_go(world, billing, case)
    batches = ClaimBatch.objects.count()
    payload = body(billing, chosen)
    if case == "unknown":
        payload["charge_ids"] = payload["charge_ids"][:-1]  # the API reads ids as ids

    response = client_as(world.billing).post(BATCHES, payload, JSON)

    assert response.status_code == 422
    expected = message.replace("2 of", "1 of") if case == "unknown" else message
    assert expected in str(response.json()["detail"])
    assert ClaimBatch.objects.count() == batches
    good = Charge.objects.get(pk=chosen[0])
    assert good.status == ChargeStatus.OPEN and good.claim is None and good.version == 1


def test_the_action_counts_ids_that_are_not_ids(world: World, billing: Billing) -> None:
    good = ids(session(world.child, world.therapist))
    with pytest.raises(ValidationError, match="2 of the chosen charges"):
        claims.build_batch(world.billing, billing.payer, [*good, str(uuid.uuid4()), "nope"])


@pytest.mark.parametrize(
    "payload",
    [{}, {"payer_id": "x", "charge_ids": []}, {"payer_id": str(uuid.uuid4()), "charge_ids": []}],
)
def test_malformed_bodies_are_a_422(
    world: World, client_as: ClientAs, payload: dict[str, Any]
) -> None:
    response = client_as(world.admin).post(BATCHES, payload, JSON)
    assert response.status_code == 422


def test_another_clinics_payer_is_refused(
    world: World, client_as: ClientAs, billing: Billing
) -> None:
    charges = ids(session(world.child, world.therapist))
    foreign = insurance.add_payer(world.foreign_admin, name="Far Away Health", payer_id="FAH01")
    response = client_as(world.billing).post(
        BATCHES, {"payer_id": str(foreign.pk), "charge_ids": charges}, JSON
    )
    assert response.status_code == 422
    assert "Choose one of the clinic's payers." in str(response.json()["detail"])


def test_the_lists_read_in_a_bounded_number_of_queries(
    world: World,
    client_as: ClientAs,
    billing: Billing,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_as(world.billing)
    for hour in (8, 10, 12):
        claims.build_batch(
            world.billing, billing.payer, ids(session(world.child, world.therapist, hour=hour))
        )
    batch = ClaimBatch.objects.order_by("number").first()
    assert batch is not None
    client.get(BATCHES)  # the session's first request records the device
    with django_assert_max_num_queries(4):
        assert len(client.get(BATCHES).json()) == 3
    with django_assert_max_num_queries(7):
        assert client.get(f"{BATCHES}/{batch.pk}").status_code == 200


@pytest.mark.parametrize("persona", ["therapist", "guardian", "front_desk"])
def test_others_find_no_claim_files(world: World, client_as: ClientAs, persona: str) -> None:
    assert client_as(getattr(world, persona)).get(BATCHES).status_code == 404
