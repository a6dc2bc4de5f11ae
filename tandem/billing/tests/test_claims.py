"""Claim files (837P) through the pages: billing chooses a payer's open charges, Tandem
groups them into claims, checks the file with pyx12 and keeps it; bad input changes
nothing."""

import re
from typing import Any

import pytest
from django.urls import reverse

from tandem.billing import claims, insurance
from tandem.billing.models import Charge, ChargeStatus, Claim, ClaimBatch, ProviderNumber
from tandem.billing.tests.claims_helpers import Billing, ids, ready_to_bill, session
from tandem.billing.x12.validate import validate
from tandem.conftest import World
from tandem.core.testing.types import ClientAs

# Dates matter (days left, aging, the guideline year): `make test-clock` runs these too.
pytestmark = [pytest.mark.django_db, pytest.mark.clock]
CLAIMS = reverse("billing:claims")


@pytest.fixture
def billing(world: World) -> Billing:
    return ready_to_bill(world)


def build(client: Any, billing: Billing, charges: list[Charge], **extra: Any) -> Any:
    data = {"payer": str(billing.payer.pk), "charge": ids(charges), **extra}
    return client.post(CLAIMS, data)


def test_billing_builds_a_claim_file_that_passes_the_837p_checks(
    world: World, client_as: ClientAs, billing: Billing
) -> None:
    maya = session(world.child, world.therapist, (("97530", 45), ("97110", 25)))
    video = session(world.child, world.therapist, hour=13, location="teletherapy")
    eli = session(world.sibling, world.therapist, hour=15, location="home")
    client = client_as(world.billing)

    response = build(client, billing, maya + video + eli)

    batch = ClaimBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("billing:batch", args=[batch.pk])
    assert validate(batch.content) == []
    assert batch.number == 1 and "*000000001*" in batch.content  # ISA13 is the batch number
    claims = {c.child_id: c for c in Claim.objects.all()}
    assert set(claims) == {world.child.pk, world.sibling.pk}
    assert claims[world.child.pk].total == sum(c.amount for c in maya + video)
    assert sorted(c.control_number for c in claims.values()) == ["T000001", "T000002"]
    for charge in Charge.objects.all():
        assert charge.status == ChargeStatus.BILLED
        assert charge.claim == claims[charge.child_id]
        assert charge.version == 2
        assert f"REF*6R*{charge.pk.hex[:30]}~" in batch.content
    text = batch.content
    assert "REF*G1*AUTH-778~" in text  # Maya's sessions share her authorization
    assert "SV1*HC:97530:GO:95*120*UN*3*02**1~" in text  # by video: place 02, modifier 95
    assert "CLM*T000001*120***12:B:1" in text  # Eli at home: place of service 12
    assert "PAT*19~NM1*QC*1*OKAFOR*MAYA~" in text  # Maya is her mother's dependant
    assert "NM1*IL*1*OKAFOR*ELI****MI*MELI01~" in text  # Eli holds his own policy
    assert "HI*ABK:F82~" in text and "HI*ABK:F802~" in text


def test_the_batch_page_shows_its_claims_and_the_file_downloads(
    world: World, client_as: ClientAs, billing: Billing
) -> None:
    charges = session(world.child, world.therapist)
    client = client_as(world.billing)
    build(client, billing, charges)
    batch = ClaimBatch.objects.get()

    page = client.get(reverse("billing:batch", args=[batch.pk]))
    download = client.get(reverse("billing:batch_file", args=[batch.pk]))

    assert page.status_code == 200
    body = page.content.decode()
    assert "T000001" in body and "Maya Okafor" in body and "Blue Meadow Health" in body
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/plain")
    assert download["Content-Disposition"] == 'attachment; filename="837p-1.txt"'
    assert download.content.decode() == batch.content


def test_the_form_lists_the_payers_open_charges_by_child(
    world: World, client_as: ClientAs, billing: Billing
) -> None:
    session(world.child, world.therapist)
    session(world.sibling, world.therapist, hour=13)
    client = client_as(world.admin)

    page = client.get(CLAIMS, {"payer": str(billing.payer.pk)})
    partial = client.get(CLAIMS, {"payer": str(billing.payer.pk)}, HTTP_HX_REQUEST="true")

    body = page.content.decode()
    assert "<legend>Eli Okafor</legend>" in body and "<legend>Maya Okafor</legend>" in body
    assert body.count('name="charge"') == 2
    assert "Blue Meadow Health (2 open charges)" in body
    fragment = partial.content.decode()
    assert fragment.count('name="charge"') == 2 and "<html" not in fragment


def test_bill_every_open_charge_without_ticking_them(
    world: World, client_as: ClientAs, billing: Billing
) -> None:
    charges = session(world.child, world.therapist) + session(world.sibling, world.therapist)

    response = build(client_as(world.billing), billing, [], all="1")

    assert response.status_code == 302
    assert {c.status for c in Charge.objects.filter(pk__in=ids(charges))} == {"billed"}


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("profile_npi", "Add the clinic&#x27;s NPI and tax ID on the billing profile first."),
        ("zip", "Claims need the clinic&#x27;s ZIP+4 (9 digits)"),
        ("therapist_npi", "NPI (their provider numbers) first."),
        ("address", "Add the policyholder&#x27;s address on Maya Okafor&#x27;s policy"),
    ],
)
def test_what_a_claim_needs_is_named_and_nothing_is_saved(
    world: World, client_as: ClientAs, billing: Billing, missing: str, message: str
) -> None:
    charges = session(world.child, world.therapist)
    profile = world.org.billing_profile
    if missing == "profile_npi":
        profile.npi = ""
        profile.save()
    elif missing == "zip":
        profile.postal_code = "62704"
        profile.save()
    elif missing == "therapist_npi":
        ProviderNumber.objects.all().delete()
    else:
        billing.policy.address = ""
        billing.policy.save()

    response = build(client_as(world.billing), billing, charges)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ClaimBatch.objects.exists() and not Claim.objects.exists()
    assert {c.status for c in Charge.objects.all()} == {ChargeStatus.OPEN}


def test_a_policy_whose_address_was_typed_on_its_form_is_billed(
    world: World, client_as: ClientAs, billing: Billing
) -> None:
    for policy in (billing.policy, billing.sibling_policy):  # as a policy is added at intake
        policy.address = policy.city = policy.state = policy.postal_code = ""
        policy.save()
        insurance.change_policy(
            world.front_desk,
            policy,
            expected_version=policy.version,
            address="48 Birch Lane",
            city="Salem",
            state="or ",
            postal_code="97301-1234",
        )
    charges = session(world.child, world.therapist) + session(world.sibling, world.therapist)

    response = build(client_as(world.billing), billing, charges)

    assert response.status_code == 302
    batch = ClaimBatch.objects.get()
    assert validate(batch.content) == []
    # The subscriber's and Maya's (the patient's) loops carry the typed address.
    assert batch.content.count("N3*48 BIRCH LANE~N4*SALEM*OR*973011234~") == 3


def test_a_claim_splits_past_fifty_lines(
    world: World, client_as: ClientAs, billing: Billing
) -> None:
    [first] = session(world.child, world.therapist)
    for _n in range(54):  # the same session's charge, copied: 55 lines for one claim
        first.pk = None
        first._state.adding = True
        first.save()

    response = build(client_as(world.billing), billing, list(Charge.objects.all()))

    batch = ClaimBatch.objects.get()
    assert response.status_code == 302
    assert validate(batch.content) == []
    assert [c.charges.count() for c in Claim.objects.order_by("control_number")] == [50, 5]
    assert len(set(re.findall(r"REF\*6R\*(\w+)~", batch.content))) == 55


def test_building_twice_from_one_form_makes_one_file(
    world: World, client_as: ClientAs, billing: Billing
) -> None:
    charges = session(world.child, world.therapist)
    client = client_as(world.billing)

    first = build(client, billing, charges, idempotency_key="form-claims-0001")
    again = build(client, billing, charges, idempotency_key="form-claims-0001")

    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert ClaimBatch.objects.count() == 1


def test_an_empty_form_is_answered_with_a_message(world: World, client_as: ClientAs) -> None:
    response = client_as(world.admin).post(CLAIMS, {})
    assert response.status_code == 200
    assert "Choose a payer." in response.content.decode()


@pytest.mark.parametrize("persona", ["therapist", "guardian", "front_desk", "foreign_admin"])
def test_the_claim_pages_are_not_there_for_others(
    world: World, client_as: ClientAs, billing: Billing, persona: str
) -> None:
    charges = session(world.child, world.therapist)
    build(client_as(world.billing), billing, charges)
    batch = ClaimBatch.objects.get()
    client = client_as(getattr(world, persona))
    if persona != "foreign_admin":
        assert client.get(CLAIMS).status_code == 404
    assert client.get(reverse("billing:batch", args=[batch.pk])).status_code == 404
    assert client.get(reverse("billing:batch_file", args=[batch.pk])).status_code == 404


def test_the_claims_page_reads_in_a_bounded_number_of_queries(
    world: World,
    client_as: ClientAs,
    billing: Billing,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_as(world.billing)
    for hour in (8, 10, 12, 14):
        build(client, billing, session(world.child, world.therapist, hour=hour))
        session(world.sibling, world.therapist, hour=hour)
    batch = ClaimBatch.objects.order_by("number").first()
    assert batch is not None and ClaimBatch.objects.count() == 4

    with django_assert_max_num_queries(12):
        assert client.get(CLAIMS).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("billing:batch", args=[batch.pk])).status_code == 200


def test_a_medicaid_payers_claims_say_medicaid(world: World) -> None:
    billing = ready_to_bill(world)
    insurance.change_payer(
        world.admin,
        billing.payer,
        expected_version=billing.payer.version,
        filing_indicator="MC",
    )
    charges = session(world.child, world.therapist)
    batch = claims.build_batch(world.billing, billing.payer, ids(charges))
    assert validate(batch.content) == []
    subscriber = next(s for s in batch.content.split("~") if s.startswith("SBR*"))
    assert subscriber.endswith("*MC")
