"""Issue 11's journey in a browser: a therapist lists a session's codes on the note, the
signature prices them (CMS units, the fee schedule, the family's sliding-scale discount),
billing finds the charge on the child's billing page, and the family, on their phone and
in Spanish, reads what they pay and why."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tandem.billing import fees
from tandem.billing.models import Charge
from tandem.billing.tests.helpers_fees import fee, household, speaking
from tandem.conftest import World
from tandem.core import clock
from tandem.notes.actions import sign_note
from tandem.notes.models import SessionNote
from tandem.notes.tests.helpers import make_note

from .accessibility import assert_accessible
from .conftest import DESKTOP, PHONE, NewPage, give_authenticator, sign_in
from .test_screenshots import overflows_sideways

pytestmark = pytest.mark.browser


def test_codes_become_a_discounted_charge_that_billing_and_the_family_see(
    new_page: NewPage, world: World
) -> None:
    today = clock.today_for(world.org)
    fees.replace_tiers(world.admin, fees.DEFAULT_TIERS)
    fee(world.admin, "97530", "50.00", today - datetime.timedelta(days=30))
    # A household of 4 with $40,000 a year: 121 % of the 2026 guideline → 60 % off.
    household(world.admin, world.child, today, size=4, income="40000")
    note = make_note(world.child, world.therapist)

    therapist = new_page(DESKTOP)
    sign_in(therapist, world.therapist, secret=give_authenticator(world.therapist))
    therapist.goto(reverse("notes:detail", args=[world.child.id, note.id]))
    therapist.get_by_role("link", name="Service codes and units").click()
    therapist.get_by_label("Code, line 1").select_option("97530")
    therapist.get_by_label("Minutes, line 1").fill("38")
    therapist.get_by_role("group", name="Modifiers, line 1").get_by_label("GO").check()
    assert_accessible(therapist, name="codes")
    therapist.get_by_role("button", name="Save the codes").click()
    expect(therapist.locator(".messages[role=status]")).to_contain_text("The codes are saved")

    current = SessionNote.objects.get(pk=note.pk)
    sign_note(current, world.therapist, expected_version=current.version)
    charge = Charge.objects.get(note=note)
    # 38 minutes → 3 units (CMS chart); 3 × $50 = $150, 60 % off → $60.
    assert (charge.units, charge.fee, charge.amount, charge.modifiers) == (
        3,
        charge.unit_fee * 3,
        charge.fee * 40 / 100,
        "GO",
    )

    billing = new_page(DESKTOP)
    sign_in(billing, world.billing, secret=give_authenticator(world.billing))
    billing.get_by_role("navigation", name="Main").get_by_role("link", name="Billing").click()
    expect(billing.get_by_role("heading", name=re.compile("Balances by age"))).to_be_visible()
    billing.goto(reverse("billing:child", args=[world.child.id]))
    row = billing.get_by_role("row").filter(has_text="97530")
    expect(row).to_contain_text("$60.00")
    expect(row).to_contain_text("Family")
    assert_accessible(billing, name="child billing")

    speaking(world.guardian, "es")
    family = new_page(PHONE)
    sign_in(family, world.guardian)
    family.goto(reverse("billing:family", args=[world.child.id]))
    expect(family.get_by_text(re.compile(r"121\s%"))).to_be_visible()
    expect(family.get_by_text(re.compile(r"60\s%\sde descuento"))).to_be_visible()
    assert not overflows_sideways(family)
    assert_accessible(family, name="family fees")
