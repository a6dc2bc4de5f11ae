"""``GET /api/v1/today`` and ``GET /api/v1/clinic/numbers``: the same figures as the pages."""

import pytest

from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.today.tests.test_clinic_numbers import build_month
from tandem.today.tests.test_today import build_caseload

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_today_lists_the_same_items_as_the_page(world: World, client_as: ClientAs) -> None:
    build_caseload(world)
    body = client_as(world.therapist).get("/api/v1/today").json()
    assert body["caseload_size"] == 2
    assert [s["child_name"] for s in body["sessions"]] == ["Maya Okafor"]
    assert body["sessions"][0]["may_write_note"] is True
    assert body["sessions"][0]["note_id"] is None
    assert [(i["kind"], i["child_name"], i["value"]) for i in body["drafts"]["items"]] == [
        ("draft", "Eli Okafor", 5)
    ]
    assert ("regression", "Eli Okafor") in {
        (i["kind"], i["child_name"]) for i in body["goals"]["items"]
    }
    kinds = {(i["kind"], i["child_name"]) for i in body["plans"]["items"]}
    assert {("plan_overdue", "Maya Okafor"), ("plan_unsigned", "Maya Okafor")} <= kinds
    assert [i["kind"] for i in body["dates"]["items"]] == ["iep"]
    assert [(i["child_name"], i["value"]) for i in body["adherence"]["items"]] == [
        ("Maya Okafor", 4)
    ]
    assert [i["child_name"] for i in body["checkins"]["items"]] == ["Eli Okafor"]
    assert [(i["child_name"], i["value"]) for i in body["unread"]["items"]] == [("Maya Okafor", 1)]
    assert "Noah" not in str(body)


def test_clinic_numbers_match_the_page(world: World, client_as: ClientAs) -> None:
    build_month(world)
    body = client_as(world.admin).get("/api/v1/clinic/numbers").json()
    assert body["days"] == 30
    mine = next(r for r in body["therapists"] if r["therapist_id"] == str(world.therapist.id))
    assert (mine["appointments"], mine["attended"], mine["missed"]) == (6, 3, 1)
    assert (mine["no_show_rate"], mine["late_cancel_rate"], mine["minutes_held"]) == (
        25.0,
        16.7,
        105,
    )
    assert (mine["unsigned_24h"], mine["unsigned_72h"]) == (2, 1)
    assert body["total"]["therapist_id"] is None and body["total"]["appointments"] == 7


def test_a_period_not_offered_is_a_422_with_a_message(world: World, client_as: ClientAs) -> None:
    response = client_as(world.admin).get("/api/v1/clinic/numbers", {"days": 12})
    assert response.status_code == 422
    assert "days" in response.content.decode()


def test_only_admins_read_the_numbers(world: World, client_as: ClientAs) -> None:
    assert client_as(world.therapist).get("/api/v1/clinic/numbers").status_code == 404
    assert client_as(world.guardian).get("/api/v1/today").status_code == 404
