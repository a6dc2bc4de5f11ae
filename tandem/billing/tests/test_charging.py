"""A session's codes become charges when its note is signed: units by the payer's rule,
the fee in force, the family's discount, the authorization used, the diagnoses."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.billing import charging
from tandem.billing.models import Charge, ChargeStatus, Party, ServiceLine, UnitMethod
from tandem.billing.tests.helpers import (
    authorization,
    coded_note,
    fees,
    payer,
    policy,
    self_pay,
)
from tandem.children.models import Diagnosis
from tandem.notes.models import Addendum
from tandem.notes.tests.helpers import TODAY, make_note

# Dates matter (days left, aging, the guideline year): `make test-clock` runs these too.
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def _charges(note):
    return {c.code: c for c in Charge.objects.filter(note=note).exclude(status=ChargeStatus.VOID)}


def test_signing_prices_each_code_by_the_cms_rule(world):
    fees(world.org)
    insurer = payer(world.org)
    cover = policy(world.child, insurer)
    auth = authorization(cover, ["97530", "97110"], allowed=10)
    Diagnosis.objects.create(organization=world.org, child=world.child, code="F82", label="DCD")
    # CMS example 3's minutes: 33 + 7 = 40 → 2 × 97110 and 1 × 97140.
    note = coded_note(world.child, world.therapist, [("97110", 33, "GO"), ("97140", 7, "GO")])
    got = _charges(note)
    assert {c: got[c].units for c in got} == {"97110": 2, "97140": 1}
    assert got["97110"].fee == Decimal("70.00") and got["97140"].fee == Decimal("38.00")
    assert got["97110"].party == Party.PAYER and got["97110"].policy == cover
    assert got["97110"].authorization == auth and got["97140"].authorization is None
    assert got["97110"].diagnoses == ["F82"]
    assert got["97110"].modifiers == "GO"


def test_the_payer_may_count_each_code_on_its_own(world):
    fees(world.org)
    policy(world.child, payer(world.org, unit_method=UnitMethod.PER_CODE))
    note = coded_note(
        world.child,
        world.therapist,
        [("97112", 24), ("97110", 23)],
        end_time=datetime.time(10, 0),
    )
    assert {c: ch.units for c, ch in _charges(note).items()} == {"97112": 2, "97110": 2}


def test_a_family_paying_themselves_gets_their_discount(world):
    fees(world.org)
    self_pay(world.child, discount_percent=60)
    note = coded_note(world.child, world.therapist, [("92507", 45)])
    charge = _charges(note)["92507"]
    assert charge.party == Party.FAMILY
    assert (charge.fee, charge.discount, charge.amount) == (
        Decimal("120.00"),
        Decimal("72.00"),
        Decimal("48.00"),
    )


def test_a_code_under_eight_minutes_makes_no_charge_and_the_note_waits_in_the_queue(world):
    fees(world.org)
    note = coded_note(world.child, world.therapist, [("97530", 7)])
    assert not _charges(note)


def test_bad_codes_are_refused_with_a_message_each_and_nothing_saved(world):
    note = make_note(world.child, world.therapist)
    rows = [
        {"code": "99999", "minutes": 10},
        {"code": "97530", "minutes": -5},
        {"code": "97110", "minutes": 10, "modifiers": "ZZ"},
        {"code": "97140", "minutes": "ten"},
    ]
    with pytest.raises(ValidationError) as caught:
        charging.save_lines(note, world.therapist, rows, token=None)
    text = " ".join(caught.value.messages)
    assert "99999 is not a service code" in text
    assert "minutes must be 1 or more" in text
    assert "unknown modifier ZZ" in text
    assert "whole number" in text
    assert not ServiceLine.objects.filter(note=note).exists()


def test_codes_cannot_add_up_to_more_than_the_session(world):
    note = make_note(world.child, world.therapist)  # 45 minutes
    with pytest.raises(ValidationError, match="more than the session's 45"):
        charging.save_lines(
            note,
            world.therapist,
            [{"code": "97530", "minutes": 30}, {"code": "97110", "minutes": 20}],
            token=None,
        )


def test_a_payers_daily_limit_is_enforced_across_the_days_sessions(world):
    fees(world.org)
    policy(world.child, payer(world.org, daily_unit_limit=4))
    coded_note(world.child, world.therapist, [("97530", 45)])  # 3 units
    second = make_note(
        world.child,
        world.therapist,
        start_time=datetime.time(14, 0),
        end_time=datetime.time(14, 30),
    )
    with pytest.raises(ValidationError, match="at most 4 timed units a day"):
        charging.save_lines(second, world.therapist, [{"code": "97110", "minutes": 30}], token=None)


def test_a_stale_form_is_a_conflict(world):
    note = make_note(world.child, world.therapist)
    charging.save_lines(note, world.therapist, [{"code": "97530", "minutes": 30}], token=None)
    with pytest.raises(charging.LinesChanged):
        charging.save_lines(
            note, world.therapist, [{"code": "97110", "minutes": 30}], token="stale"
        )
    assert [ln.code for ln in charging.lines_of(note)] == ["97530"]


def test_a_correction_voids_the_charges_makes_new_ones_and_adds_an_addendum(world):
    fees(world.org)
    note = coded_note(world.child, world.therapist, [("97530", 30)])
    first = _charges(note)["97530"]
    token = charging.lines_token(charging.lines_of(note))
    charging.correct_lines(
        note,
        world.therapist,
        [{"code": "97530", "minutes": 40}],
        token=token,
        reason="Timer was stopped late",
    )
    first.refresh_from_db()
    assert first.status == ChargeStatus.VOID
    new = _charges(note)["97530"]
    assert new.units == 3 and new.replaces == first
    addendum = Addendum.objects.get(note=note)
    assert "Timer was stopped late" in addendum.text and "97530 30 min" in addendum.text


def test_a_correction_needs_a_reason(world):
    note = coded_note(world.child, world.therapist, [("97530", 30)])
    token = charging.lines_token(charging.lines_of(note))
    with pytest.raises(ValidationError, match="Say why"):
        charging.correct_lines(
            note, world.therapist, [{"code": "97530", "minutes": 40}], token=token, reason=" "
        )


def test_the_codes_page_saves_a_drafts_codes(client_as, world):
    note = make_note(world.child, world.therapist)
    client = client_as(world.therapist)
    url = reverse("billing:codes", args=[world.child.id, note.id])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "token": page.context["token"],
            "code-0": "97530",
            "minutes-0": "30",
            "modifiers-0": ["GO", "59"],
        },
    )
    assert response.status_code == 302
    line = ServiceLine.objects.get(note=note)
    assert (line.code, line.minutes, line.modifiers) == ("97530", 30, "GO 59")


def test_the_codes_page_shows_what_is_wrong_and_saves_nothing(client_as, world):
    note = make_note(world.child, world.therapist)
    client = client_as(world.therapist)
    url = reverse("billing:codes", args=[world.child.id, note.id])
    token = client.get(url).context["token"]
    response = client.post(url, {"token": token, "code-0": "97530", "minutes-0": "-3"})
    assert response.status_code == 200
    assert "minutes must be 1 or more" in response.content.decode()
    assert not ServiceLine.objects.filter(note=note).exists()


def test_a_signed_notes_codes_are_corrected_on_the_page_with_a_reason(client_as, world):
    fees(world.org)
    note = coded_note(world.child, world.therapist, [("97530", 30)])
    client = client_as(world.therapist)
    url = reverse("billing:codes", args=[world.child.id, note.id])
    token = client.get(url).context["token"]
    response = client.post(
        url,
        {"token": token, "code-0": "97530", "minutes-0": "45", "reason": "Added the last activity"},
    )
    assert response.status_code == 302
    assert _charges(note)["97530"].units == 3


def test_signing_without_codes_makes_no_charge(world):
    note = make_note(world.child, world.therapist, sign=True)
    assert not Charge.objects.filter(note=note).exists()
    assert note.date == TODAY
