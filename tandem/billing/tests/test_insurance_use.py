"""Signed sessions use their authorization: visits are sessions, units are the units
charged; only the codes it covers, on the days it runs, and never a voided charge. The
warnings say so in words at 80 % used and in the last 30 days."""

import re

import pytest
from django.urls import reverse

from tandem.billing import charging
from tandem.billing.access import authorizations_of
from tandem.billing.reading import authorization_uses
from tandem.conftest import World
from tandem.core.testing.types import ClientAs

from .helpers_insurance import days, insured, signed_session, today_of

# Dates matter (days left, aging, the guideline year): `make test-clock` runs these too.
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def used(world: World) -> list[int]:
    uses = authorization_uses(authorizations_of(world.child), today_of(world.child))
    return [u.used for u in uses]


def test_a_visit_is_a_session_whatever_its_codes(world: World) -> None:
    insured(world, codes=["97530", "97110"])
    signed_session(world.child, world.therapist, [("97530", 30), ("97110", 15)])
    signed_session(world.child, world.therapist, [("97530", 45)])
    assert used(world) == [2]


def test_units_are_the_units_charged(world: World) -> None:
    insured(world, codes=["97530", "97110"], counts="units", allowed=40)
    signed_session(world.child, world.therapist, [("97530", 30), ("97110", 15)])  # 2 + 1
    signed_session(world.child, world.therapist, [("97530", 45)])  # 3
    assert used(world) == [6]


def test_codes_it_does_not_cover_and_days_outside_it_use_nothing(world: World) -> None:
    authorization = insured(world, codes=["92507"])
    signed_session(world.child, world.therapist, [("97530", 45)])
    before = authorization.starts_on - days(1)
    signed_session(world.child, world.therapist, [("92507", 45)], date=before)
    assert used(world) == [0]
    signed_session(world.child, world.therapist, [("92507", 45)])
    assert used(world) == [1]


def test_a_corrected_session_still_counts_once(world: World) -> None:
    insured(world, codes=["97530", "97110"], counts="units", allowed=40)
    note = signed_session(world.child, world.therapist, [("97530", 45)])
    lines = charging.lines_of(note)
    charging.correct_lines(
        note,
        world.therapist,
        [{"code": "97110", "minutes": 30}],
        token=charging.lines_token(lines),
        reason="Wrong code",
    )
    assert used(world) == [2]  # the voided 3 units do not count


def test_the_warnings_are_words_at_80_percent(world: World, client_as: ClientAs) -> None:
    insured(world, allowed=5)
    url = reverse("billing:authorizations", args=[world.child.id])
    for _ in range(3):
        signed_session(world.child, world.therapist)
    page = client_as(world.therapist).get(url).content.decode()
    assert "3 of 5 visits used" in page and "80 % or more used" not in page
    signed_session(world.child, world.therapist)
    page = client_as(world.therapist).get(url).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "4 of 5 visits used" in text and "⚠ 80 % or more used" in text
    assert "Time to write a progress report and ask the payer for a renewal." in text
    assert "Ends within 30 days" not in text


def test_the_last_30_days_are_a_warning_too(world: World, client_as: ClientAs) -> None:
    today = today_of(world.child)
    insured(world, ends_on=today + days(30))
    page = client_as(world.front_desk).get(reverse("billing:authorizations", args=[world.child.id]))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "⚠ Ends within 30 days" in text and "30 days left" in text
