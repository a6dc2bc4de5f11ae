"""Edges a review found: money never posted twice or lost, bad amounts refused, and the
billing rules never silently billing more than was documented."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.billing import charging, claims, remittances
from tandem.billing.models import Authorization, Charge, Payment
from tandem.billing.tests.claims_helpers import PAYER_CONTACT, answer, ids, ready_to_bill, session
from tandem.billing.tests.helpers import coded_note, fees, self_pay
from tandem.billing.x12.elements import Envelope
from tandem.billing.x12.remit835 import build_835
from tandem.notes.actions import sign_note
from tandem.notes.models import SessionNote
from tandem.notes.tests.helpers import TODAY, make_note

# Dates matter (days left, aging, the guideline year): `make test-clock` runs these too.
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def _835(remittance, number: int) -> str:
    at = datetime.datetime.combine(TODAY, datetime.time(8), tzinfo=datetime.UTC)
    return build_835(remittance, PAYER_CONTACT, Envelope(number, number, at, "BMH01", "123456789"))


@pytest.fixture
def billed(world):
    billing = ready_to_bill(world)
    charges = session(world.child, world.therapist, (("97530", 45), ("97110", 25)))
    charges.sort(key=lambda c: c.code, reverse=True)
    batch = claims.build_batch(world.billing, billing.payer, ids(charges))
    return batch, [Charge.objects.get(pk=c.pk) for c in charges]


def test_the_same_payment_in_a_new_envelope_is_posted_once(world, billed):
    batch, charges = billed
    paid = answer(batch, charges)
    remittances.import_835(world.billing, _835(paid, 9))
    posted = Payment.objects.count()
    again = remittances.import_835(world.billing, _835(paid, 10) + "\n")
    assert Payment.objects.count() == posted
    assert again.trace_number == "EFT0001"


def test_a_second_answer_to_a_claim_is_reported_not_posted(world, billed):
    batch, charges = billed
    first = answer(batch, charges)
    remittances.import_835(world.billing, _835(first, 9))
    posted = Payment.objects.count()
    second = dataclasses.replace(first, trace_number="EFT0002")
    report = remittances.import_835(world.billing, _835(second, 11)).report
    assert [row["outcome"] for row in report] == ["already_posted"]
    assert Payment.objects.count() == posted


def test_a_remittance_for_another_provider_is_refused(world, billed):
    batch, charges = billed
    theirs = dataclasses.replace(answer(batch, charges), payee_npi="1245319599")
    with pytest.raises(ValidationError, match="not this clinic"):
        remittances.import_835(world.billing, _835(theirs, 9))
    assert not Payment.objects.exists()


def test_codes_with_money_posted_on_them_are_not_corrected(world):
    fees(world.org)
    self_pay(world.child)
    note = coded_note(world.child, world.therapist, [("92507", 45)])
    charge = Charge.objects.get(note=note)
    Payment.objects.create(
        organization=world.org,
        child=world.child,
        charge=charge,
        party="family",
        method="card",
        amount=charge.amount,
        received_on=TODAY,
        recorded_by=world.billing,
    )
    token = charging.lines_token(charging.lines_of(note))
    with pytest.raises(ValidationError, match="Money is already posted"):
        charging.correct_lines(
            note, world.therapist, [{"code": "92507", "minutes": 30}], token=token, reason="Shorter"
        )
    charge.refresh_from_db()
    assert charge.status == "open"


def test_a_session_shortened_after_coding_is_not_signed_with_too_many_minutes(world):
    fees(world.org)
    note = make_note(world.child, world.therapist)  # 45 minutes
    charging.save_lines(note, world.therapist, [{"code": "97530", "minutes": 45}], token=None)
    current = SessionNote.objects.get(pk=note.pk)
    current.end_time = datetime.time(9, 30)  # the draft shortened after its codes
    current.save()
    with pytest.raises(ValidationError, match="more than the session's 30"):
        sign_note(current, world.therapist, expected_version=current.version)
    assert SessionNote.objects.get(pk=note.pk).signed_at is None
    assert not Charge.objects.filter(note=note).exists()


def test_a_renewal_is_used_once_the_first_authorization_is_used_up(world):
    billing = ready_to_bill(world)
    old = billing.authorization
    old.allowed = 1
    old.save()
    renewal = Authorization.objects.create(
        organization=world.org,
        child=world.child,
        policy=billing.policy,
        number="AUTH-779",
        codes=["97530"],
        allowed=12,
        starts_on=TODAY - datetime.timedelta(days=1),
        ends_on=TODAY + datetime.timedelta(days=180),
    )
    first = session(world.child, world.therapist)
    second = session(world.child, world.therapist, hour=13)
    assert first[0].authorization_id == old.pk
    assert second[0].authorization_id == renewal.pk


@pytest.mark.parametrize(
    ("typed", "stored"), [("12,50", Decimal("12.50")), ("1.250", Decimal("1250"))]
)
def test_a_payment_typed_in_spanish_is_read_as_spanish(world, client_as, typed, stored):
    world.billing.user.language = "es"
    world.billing.user.save(update_fields=["language"])
    form = {"amount": typed, "party": "family", "method": "cash", "received_on": TODAY.isoformat()}
    client_as(world.billing).post(reverse("billing:payment", args=[world.child.id]), form)
    assert Payment.objects.get().amount == stored


@pytest.mark.parametrize("typed", ["NaN", "sNaN", "Infinity", "1e400"])
def test_a_payment_that_is_not_a_number_is_refused_without_a_crash(world, client_as, typed):
    form = {"amount": typed, "party": "family", "method": "cash", "received_on": TODAY.isoformat()}
    response = client_as(world.billing).post(
        reverse("billing:payment", args=[world.child.id]), form, follow=True
    )
    assert response.status_code == 200
    assert not Payment.objects.exists()


def test_a_superbill_for_a_far_month_is_refused_not_a_crash(world, client_as):
    response = client_as(world.billing).get(
        reverse("billing:superbill", args=[world.child.id]) + "?month=9999-12"
    )
    assert response.status_code in (200, 400)
