"""Working hours and time off: set on their page, and bookings outside them refused."""

import datetime

import pytest
from django.urls import reverse

from tandem.appointments.models import Appointment, TimeOff, WorkingHours
from tandem.appointments.tests.helpers import clinic_time, clinic_today, form_data
from tandem.conftest import World
from tandem.core.testing.types import ClientAs

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
URL = reverse("appointments:hours")


def next_weekday(world: World, weekday: int) -> datetime.date:
    """The next such day after today (never today)."""
    day = clinic_today(world.child) + datetime.timedelta(days=1)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def set_mornings(world: World, client_as: ClientAs) -> None:
    week = {f"day{d}": "08:00-12:00" for d in range(5)}
    response = client_as(world.therapist).post(URL, {"action": "week", **week})
    assert response.status_code == 302


def book(world: World, client_as: ClientAs, when: datetime.datetime) -> str:
    new = reverse("appointments:new", args=[world.child.id])
    return client_as(world.admin).post(new, form_data(world.therapist, when)).content.decode()


def test_a_therapist_sets_their_week_and_sessions_outside_it_are_refused(
    world: World, client_as: ClientAs
) -> None:
    set_mornings(world, client_as)
    assert WorkingHours.objects.filter(therapist=world.therapist).count() == 5
    tuesday = next_weekday(world, 1)
    body = book(world, client_as, clinic_time(world.child, tuesday, 14))
    assert "does not work at that time" in body and "08:00–12:00" in body
    assert not Appointment.objects.filter(child=world.child).exists()
    saturday = next_weekday(world, 5)
    assert "not working that day" in book(world, client_as, clinic_time(world.child, saturday, 9))
    book(world, client_as, clinic_time(world.child, tuesday, 9))
    assert Appointment.objects.filter(child=world.child).count() == 1


def test_time_off_refuses_a_booking_and_names_it(world: World, client_as: ClientAs) -> None:
    day = next_weekday(world, 2)
    response = client_as(world.therapist).post(
        URL,
        {
            "action": "add_time_off",
            "from_date": day.isoformat(),
            "from_time": "00:00",
            "until_date": day.isoformat(),
            "until_time": "23:59",
            "reason": "Training",
        },
    )
    assert response.status_code == 302
    assert TimeOff.objects.filter(therapist=world.therapist).count() == 1
    body = book(world, client_as, clinic_time(world.child, day, 10))
    assert "is away from" in body
    assert not Appointment.objects.filter(child=world.child).exists()


def test_bad_hours_are_explained_and_nothing_is_saved(world: World, client_as: ClientAs) -> None:
    set_mornings(world, client_as)
    response = client_as(world.therapist).post(
        URL, {"action": "week", "day0": "9 to 5", "day1": "14:00-13:00", "day2": "08:00-12:00"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Write hours as 09:00-12:30" in body and "A block ends after it starts" in body
    assert WorkingHours.objects.filter(therapist=world.therapist).count() == 5  # unchanged


def test_a_therapist_sets_only_their_own_the_office_anyones(
    world: World, client_as: ClientAs
) -> None:
    other = world.unassigned_therapist
    client_as(world.therapist).post(
        URL + f"?therapist={other.pk}",
        {"action": "week", "therapist": other.pk, "day0": "09:00-10:00"},
    )
    assert not WorkingHours.objects.filter(therapist=other).exists()
    assert WorkingHours.objects.filter(therapist=world.therapist).count() == 1
    client_as(world.front_desk).post(
        URL, {"action": "week", "therapist": other.pk, "day3": "09:00-17:00"}
    )
    assert WorkingHours.objects.filter(therapist=other, weekday=3).exists()
    assert client_as(world.guardian).get(URL).status_code == 404
    assert client_as(world.billing).get(URL).status_code == 404


def test_the_office_naming_another_clinics_therapist_changes_nobody(
    world: World, client_as: ClientAs
) -> None:
    set_mornings(world, client_as)
    response = client_as(world.front_desk).post(
        URL, {"action": "week", "therapist": world.foreign_therapist.pk, "day3": "01:00-02:00"}
    )
    assert response.status_code == 404
    assert WorkingHours.objects.filter(therapist=world.therapist).count() == 5
    assert not WorkingHours.objects.filter(weekday=3, starts=datetime.time(1)).exists()


def test_recording_a_past_session_never_trips_on_hours_or_time_off(
    world: World, client_as: ClientAs
) -> None:
    """Sick leave added after the session, hours narrower than it: it was attended."""
    from tandem.appointments import actions, availability
    from tandem.appointments.tests.helpers import make_appointment

    yesterday = clinic_today(world.child) - datetime.timedelta(days=1)
    past = make_appointment(world.child, world.therapist, clinic_time(world.child, yesterday, 15))
    availability.set_week(world.therapist, {d: "09:00-12:00" for d in range(7)})
    availability.add_time_off(
        world.therapist,
        clinic_time(world.child, yesterday, 0),
        clinic_time(world.child, yesterday, 23),
        "Sick",
    )
    done = actions.set_status(past, expected_version=past.version, status="attended")
    assert done.status == "attended"


def test_a_session_ending_at_midnight_is_outside_morning_hours(
    world: World, client_as: ClientAs
) -> None:
    set_mornings(world, client_as)
    tuesday = next_weekday(world, 1)
    new = reverse("appointments:new", args=[world.child.id])
    data = form_data(world.therapist, clinic_time(world.child, tuesday, 22), duration_minutes=120)
    body = client_as(world.admin).post(new, data).content.decode()
    assert "does not work at that time" in body
    assert not Appointment.objects.filter(child=world.child).exists()


def test_blocks_that_touch_take_a_session_across_them(world: World, client_as: ClientAs) -> None:
    from tandem.appointments import availability

    availability.set_week(world.therapist, {1: "09:00-12:00, 12:00-17:00"})
    tuesday = next_weekday(world, 1)
    book(world, client_as, clinic_time(world.child, tuesday, 11, 30))
    assert Appointment.objects.filter(child=world.child).count() == 1
