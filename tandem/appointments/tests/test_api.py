"""The appointments API: the same rules as the pages, JSON errors, bounded queries."""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from tandem.accounts.models import Membership
from tandem.api.tests.conftest import Api, bearer, make_token
from tandem.appointments.models import Appointment
from tandem.audit.models import AccessLog

from .helpers import clinic_today, in_days, make_appointment

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def api_as(client_as: Callable[[Membership], Client]) -> Callable[..., Api]:
    def _api_as(membership: Membership, *, token: bool = False) -> Api:
        if token:
            return Api(Client(), bearer(make_token(membership)))
        return Api(client_as(membership))

    return _api_as


def path(child, appointment=None):
    base = f"/children/{child.id}/appointments"
    return f"{base}/{appointment.id}" if appointment else base


def body(therapist, when, **changes):
    return {
        "therapist_id": str(therapist.id),
        "starts_at": when.isoformat(),
        "duration_minutes": 45,
    } | changes


def test_therapist_books_with_a_token_and_gets_clinic_time_back(world, api_as):
    when = in_days(world.child, 3, 14, 30)
    response = api_as(world.therapist, token=True).post(
        path(world.child), body(world.therapist, when, location="home", note_for_family="Hi")
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["time_zone"] == "America/Chicago"
    assert data["starts_at"].startswith(when.date().isoformat() + "T14:30:00-0")
    assert data["discipline"] == "ot" and data["location"] == "home"
    assert data["child"]["name"] == "Maya Okafor"
    assert Appointment.objects.get().starts_at == when


def test_a_time_without_an_offset_is_clinic_time(world, api_as):
    local = in_days(world.child, 4, 9).replace(tzinfo=None)
    response = api_as(world.therapist).post(path(world.child), body(world.therapist, local))
    assert response.status_code == 201
    assert "T09:00:00-0" in response.json()["starts_at"]


def test_booking_rules_answer_422_with_the_reason(world, api_as):
    api = api_as(world.therapist)
    past = api.post(path(world.child), body(world.therapist, in_days(world.child, -1)))
    assert past.status_code == 422
    assert "already passed" in str(past.json()["detail"])
    late = api.post(
        path(world.child),
        body(world.therapist, in_days(world.child, 2, 23, 30), duration_minutes=90),
    )
    assert late.status_code == 422 and "midnight" in str(late.json()["detail"])
    off_team = api.post(
        path(world.child), body(world.unassigned_therapist, in_days(world.child, 2))
    )
    assert off_team.status_code == 422 and "therapist_id" in off_team.json()["detail"]
    unknown = api.post(
        path(world.child), body(world.therapist, in_days(world.child, 2), colour="red")
    )
    assert unknown.status_code == 422
    assert not Appointment.objects.exists()


def test_a_clash_answers_422_naming_the_other_time(world, api_as):
    make_appointment(world.sibling, world.therapist, in_days(world.child, 2, 10))
    response = api_as(world.therapist).post(
        path(world.child), body(world.therapist, in_days(world.child, 2, 10, 15))
    )
    assert response.status_code == 422
    assert "already has a session from 10:00 to 10:45" in str(response.json()["detail"])


def test_families_read_but_do_not_book(world, api_as):
    make_appointment(world.child, world.therapist, in_days(world.child, 2))
    api = api_as(world.guardian)
    listed = api.get(path(world.child), {"when": "upcoming"})
    assert listed.status_code == 200 and len(listed.json()) == 1
    refused = api.post(path(world.child), body(world.therapist, in_days(world.child, 3)))
    assert refused.status_code == 403
    assert api_as(world.other_guardian).get(path(world.child)).status_code == 404


def test_consulting_therapist_gets_403_before_the_body_is_read(world, api_as):
    response = api_as(world.consulting_therapist).post(path(world.child), {"nonsense": 1})
    assert response.status_code == 403


def test_patch_cancels_with_a_reason_and_checks_the_version(world, api_as):
    appointment = make_appointment(world.child, world.therapist, in_days(world.child, 2))
    api = api_as(world.therapist)
    cancelled = api.patch(
        path(world.child, appointment),
        {"version": 1, "status": "cancelled", "cancel_reason": "Therapist unwell"},
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["version"] == 2
    stale = api.patch(path(world.child, appointment), {"version": 1, "status": "scheduled"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    appointment.refresh_from_db()
    assert appointment.cancel_reason == "Therapist unwell"


def test_patch_moves_and_refuses_attended_before_it_starts(world, api_as):
    appointment = make_appointment(world.child, world.therapist, in_days(world.child, 2))
    api = api_as(world.admin)
    early = api.patch(path(world.child, appointment), {"version": 1, "status": "attended"})
    assert early.status_code == 422
    moved = api.patch(
        path(world.child, appointment),
        {"version": 1, "starts_at": in_days(world.child, 6, 8).isoformat()},
    )
    assert moved.status_code == 200 and "T08:00:00" in moved.json()["starts_at"]
    empty = api.patch(path(world.child, appointment), {"version": 2, "starts_at": None})
    assert empty.status_code == 422


def test_another_childs_appointment_is_not_found(world, api_as):
    other = make_appointment(world.other_child, world.unassigned_therapist, in_days(world.child, 2))
    url = f"/children/{world.child.id}/appointments/{other.id}"
    assert api_as(world.admin).get(url).status_code == 404


def test_my_appointments_are_each_callers_own(world, api_as):
    make_appointment(world.child, world.therapist, in_days(world.child, 1, 9))
    make_appointment(world.sibling, world.therapist, in_days(world.child, 2, 9))
    make_appointment(world.child, world.assistant, in_days(world.child, 3, 9))
    make_appointment(world.other_child, world.unassigned_therapist, in_days(world.child, 1, 9))
    make_appointment(world.child, world.therapist, in_days(world.child, 40, 9))  # outside
    names = lambda who: sorted(a["child"]["name"] for a in api_as(who).get("/appointments").json())  # noqa: E731
    assert names(world.therapist) == ["Eli Okafor", "Maya Okafor"]
    assert names(world.assistant) == ["Maya Okafor"]
    assert names(world.guardian) == ["Eli Okafor", "Maya Okafor", "Maya Okafor"]
    assert names(world.admin) == ["Eli Okafor", "Maya Okafor", "Maya Okafor", "Noah Berg"]
    assert names(world.collaborator) == []
    assert names(world.foreign_admin) == []
    listed = AccessLog.objects.filter(user=world.guardian.user, action=AccessLog.Action.LIST)
    assert listed.children_shown() == {world.child.id, world.sibling.id}


def test_my_appointments_period_is_checked(world, api_as):
    api = api_as(world.therapist)
    today = clinic_today(world.child)
    backwards = api.get(
        "/appointments", {"start": today, "end": today - datetime.timedelta(days=1)}
    )
    assert backwards.status_code == 422
    too_long = api.get(
        "/appointments", {"start": today, "end": today + datetime.timedelta(days=200)}
    )
    assert too_long.status_code == 422
    # The calendar's end has no day after it: that was a 500 (found by fuzzing).
    assert api.get("/appointments", {"start": "9999-12-31"}).status_code == 422
    assert api.get("/appointments", {"end": "0001-01-01"}).status_code == 422
    make_appointment(world.child, world.therapist, in_days(world.child, 40, 9))
    later = api.get(
        "/appointments",
        {"start": today + datetime.timedelta(days=35), "end": today + datetime.timedelta(days=45)},
    )
    assert len(later.json()) == 1


def test_list_queries_do_not_grow(world, api_as, django_assert_max_num_queries):
    api = api_as(world.therapist)
    api.get("/me")
    for n in range(30):
        make_appointment(world.child, world.therapist, in_days(world.child, n - 10, 7 + n % 10))
    with django_assert_max_num_queries(14) as child_list:
        assert len(api.get(path(world.child), {"limit": 200}).json()) == 30
    with django_assert_max_num_queries(14) as mine:
        assert api.get("/appointments").status_code == 200
    print(f"\nappointments API: child list {len(child_list)}, mine {len(mine)} queries")
