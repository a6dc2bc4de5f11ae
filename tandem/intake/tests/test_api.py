"""The intake API: the waitlist in order with reasons, triage, offers, refusals."""

import datetime

import pytest

from tandem.appointments.tests.helpers import in_days
from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.intake.models import ReferralStatus
from tandem.intake.tests.helpers import make_referral
from tandem.intake.tests.test_triage import waitlisted, years_ago

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_the_waitlist_in_order_with_its_reasons(world: World, client_as: ClientAs) -> None:
    waitlisted(world, child_first_name="Older", date_of_birth=years_ago(world, 8))
    waitlisted(world, child_first_name="Baby", date_of_birth=years_ago(world, 1), urgency="soon")
    body = client_as(world.front_desk).get("/api/v1/referrals", {"status": "waitlisted"}).json()
    assert [(r["child_first_name"], r["position"]) for r in body] == [("Baby", 1), ("Older", 2)]
    assert body[0]["priority"] == 50
    assert {r["points"] for r in body[0]["reasons"]} == {30, 20}


def test_triage_through_the_api(world: World, client_as: ClientAs) -> None:
    referral = make_referral(world.org)
    client = client_as(world.admin)
    url = f"/api/v1/referrals/{referral.id}/triage"
    done = client.post(
        url,
        {"action": "waitlist", "version": referral.version, "urgency": "urgent"},
        "application/json",
    )
    assert done.status_code == 200
    assert done.json()["status"] == ReferralStatus.WAITLISTED and done.json()["position"] == 1
    stale = client.post(url, {"action": "urgency", "version": referral.version}, "application/json")
    assert stale.status_code == 409 and stale.json()["current_version"] == referral.version + 1
    empty = client.post(
        url, {"action": "decline", "version": referral.version + 1}, "application/json"
    )
    assert empty.status_code == 422 and "Tell the family why" in empty.content.decode()
    unknown = client.post(
        url, {"action": "waitlist", "version": 1, "colour": "red"}, "application/json"
    )
    assert unknown.status_code == 422


def test_an_offer_through_the_api(world: World, client_as: ClientAs) -> None:
    referral = waitlisted(world, disciplines=["ot"])
    client = client_as(world.front_desk)
    url = f"/api/v1/referrals/{referral.id}/offers"
    when = in_days(world.child, 3, hour=14)
    made = client.post(
        url,
        {
            "version": referral.version,
            "starts_at": when.isoformat(),
            "therapist_id": str(world.therapist.id),
        },
        "application/json",
    )
    assert made.status_code == 201
    assert datetime.datetime.fromisoformat(made.json()["starts_at"]) == when
    again = client.post(
        url,
        {
            "version": referral.version + 1,
            "starts_at": when.isoformat(),
            "therapist_id": str(world.therapist.id),
        },
        "application/json",
    )
    assert again.status_code == 422 and "appointment offered" in again.content.decode().lower()
    stranger = client.post(
        url,
        {
            "version": 1,
            "starts_at": when.isoformat(),
            "therapist_id": str(world.foreign_therapist.id),
        },
        "application/json",
    )
    assert stranger.status_code == 422 and "therapist_id" in stranger.content.decode()


def test_others_find_no_referrals(world: World, client_as: ClientAs) -> None:
    referral = make_referral(world.org)
    for member in (world.therapist, world.billing, world.guardian, world.foreign_admin):
        assert client_as(member).get(f"/api/v1/referrals/{referral.id}").status_code == 404
