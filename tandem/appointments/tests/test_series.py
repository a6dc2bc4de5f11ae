"""Recurring sessions: a weekly series booked in one go (or not at all when one session
clashes), on the clinic's wall clock across a clock change, and changed "this and the
following" or "all coming" with the series split where the change starts."""

import datetime

import pytest
from django.urls import reverse

from tandem.appointments import series
from tandem.appointments.models import Appointment, Encounter, Series

from .helpers import clinic_time, form_data, in_days, make_appointment

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def new_url(child):
    return reverse("appointments:new", args=[child.id])


def weekly_form(world, when, count=6, **changes):
    return form_data(world.therapist, when, repeat=1, sessions=count, **changes)


def booked(child):
    return list(
        Appointment.objects.filter(child=child)
        .select_related("encounter")
        .order_by("encounter__starts_at")
    )


def test_a_weekly_series_books_every_session(world, client_as):
    first = in_days(world.child, 2, 10)
    response = client_as(world.therapist).post(new_url(world.child), weekly_form(world, first))
    assert response.status_code == 302
    sessions = booked(world.child)
    assert [a.starts_at for a in sessions] == [
        series.starts(series.weekly(1, 6), first, first.tzinfo)[i] for i in range(6)
    ]
    assert len({a.encounter.series_id for a in sessions}) == 1
    assert all(a.encounter.recurrence_id == a.starts_at for a in sessions)
    assert Series.objects.get().rule == "FREQ=WEEKLY;INTERVAL=1;COUNT=6"
    assert all(a.history.count() == 1 for a in sessions)  # each keeps its versions


def test_weekly_sessions_keep_their_wall_clock_time_across_the_clock_change(world):
    # Chicago leaves daylight saving time on 1 November 2026.
    first = clinic_time(world.child, datetime.date(2026, 10, 20), 10)
    times = series.starts("FREQ=WEEKLY;COUNT=4", first, first.tzinfo)
    local = [t.astimezone(first.tzinfo) for t in times]
    assert [t.hour for t in local] == [10, 10, 10, 10]
    utc = [t.astimezone(datetime.UTC) for t in times]
    assert utc[3] - utc[2] == datetime.timedelta(days=7)
    assert utc[2] - utc[1] == datetime.timedelta(days=7, hours=1)  # a longer day between


def test_one_clashing_session_books_none_and_is_named(world, client_as):
    first = in_days(world.child, 2, 10)
    make_appointment(world.other_child, world.therapist, first + datetime.timedelta(weeks=3))
    response = client_as(world.therapist).post(new_url(world.child), weekly_form(world, first))
    assert response.status_code == 200
    assert "already has a session from 10:00 to 10:45" in response.content.decode()
    assert not Appointment.objects.filter(child=world.child).exists()
    assert not Series.objects.exists()


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=WEEKLY", "Say how many sessions"),
        ("FREQ=HOURLY;COUNT=3", "Repeat daily, weekly or monthly"),
        ("FREQ=WEEKLY;COUNT=60", "at most 52 sessions"),
        ("FREQ=MONTHLY;COUNT=14", "at most a year"),
        ("FREQ=WEEKLY;COUNT=3;BYSETPOS=1", "Use FREQ, INTERVAL, COUNT, UNTIL and BYDAY only"),
        ("FREQ=WEEKLY;UNTIL=2027-01-01", "Write UNTIL as a date"),
    ],
)
def test_a_rule_tandem_does_not_book_is_refused_over_the_api(world, client_as, rule, message):
    payload = {
        "therapist_id": str(world.therapist.id),
        "starts_at": in_days(world.child, 2, 10).isoformat(),
        "repeat": rule,
    }
    response = client_as(world.therapist).post(
        f"/api/v1/children/{world.child.id}/appointments", payload, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert message in response.content.decode()
    assert not Appointment.objects.exists()


def test_the_api_books_a_series_until_a_date(world, client_as):
    first = in_days(world.child, 2, 10)
    until = (first + datetime.timedelta(weeks=3)).strftime("%Y%m%d")
    payload = {
        "therapist_id": str(world.therapist.id),
        "starts_at": first.isoformat(),
        "repeat": f"FREQ=WEEKLY;UNTIL={until}",
    }
    response = client_as(world.therapist).post(
        f"/api/v1/children/{world.child.id}/appointments", payload, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["series_id"]
    assert len(booked(world.child)) == 4


def book_weekly(world, count=6, hour=10):
    first = in_days(world.child, 2, hour)
    return series.book_series(
        world.therapist,
        world.child,
        rule=series.weekly(1, count),
        therapist=world.therapist,
        starts_at=first,
        duration_minutes=45,
        service_type="individual",
        discipline="ot",
        location="clinic",
    )


def test_this_and_following_moves_them_and_splits_the_series(world, client_as):
    sessions = book_weekly(world)
    third = sessions[2]
    third.child = world.child
    new_start = third.encounter.starts_at + datetime.timedelta(hours=2)
    series.change_series(
        third, expected_version=third.version, scope="following", starts_at=new_start
    )
    after = booked(world.child)
    hours = [a.starts_at.astimezone(new_start.tzinfo).hour for a in after]
    assert hours == [10, 10, 12, 12, 12, 12]
    first_series, second_series = (
        {a.encounter.series for a in after[:2]},
        {a.encounter.series for a in after[2:]},
    )
    assert len(first_series) == len(second_series) == 1 and first_series != second_series
    (old,) = first_series
    (new,) = second_series
    assert "UNTIL=" in old.rule and "COUNT" not in old.rule
    assert new.rule == "FREQ=WEEKLY;INTERVAL=1;COUNT=4" and new.starts_at == new_start
    assert after[3].encounter.recurrence_id == after[3].starts_at
    assert after[3].encounter.history.count() == 2  # each moved session keeps a version


def test_all_coming_changes_every_booked_session_but_a_cancelled_one(world):
    sessions = book_weekly(world)
    from tandem.appointments import actions

    second = sessions[1]
    second.child = world.child
    actions.set_status(second, expected_version=second.version, status="cancelled", reason="Ill")
    fourth = sessions[3]
    fourth.child = world.child
    series.change_series(fourth, expected_version=fourth.version, scope="all", location="home")
    after = booked(world.child)
    assert [a.location for a in after] == ["home", "clinic", "home", "home", "home", "home"]
    assert Series.objects.count() == 1  # the first session changed: the series moved whole


def test_a_change_to_the_following_that_would_clash_changes_nothing(world):
    sessions = book_weekly(world)
    blocker = sessions[4].encounter.starts_at + datetime.timedelta(hours=1)
    make_appointment(world.other_child, world.therapist, blocker)
    third = sessions[2]
    third.child = world.child
    with pytest.raises(Exception, match="already has a session"):
        series.change_series(
            third,
            expected_version=third.version,
            scope="following",
            starts_at=third.encounter.starts_at + datetime.timedelta(hours=1),
        )
    assert Series.objects.count() == 1
    assert all(
        e.starts_at.astimezone(blocker.tzinfo).hour == 10
        for e in Encounter.objects.filter(series__isnull=False)
    )


def test_the_edit_form_offers_the_scope_for_a_series_only(world, client_as):
    sessions = book_weekly(world)
    single = make_appointment(world.sibling, world.therapist, in_days(world.child, 2, 15))
    client = client_as(world.therapist)
    in_series = client.get(reverse("appointments:edit", args=[world.child.id, sessions[0].id]))
    assert "This and the following sessions" in in_series.content.decode()
    alone = client.get(reverse("appointments:edit", args=[world.sibling.id, single.id]))
    assert "This and the following sessions" not in alone.content.decode()


def test_a_series_is_booked_ahead_never_as_attended(world):
    with pytest.raises(Exception, match="record each session as it happens"):
        series.book_series(
            world.therapist,
            world.child,
            rule=series.weekly(1, 3),
            therapist=world.therapist,
            starts_at=in_days(world.child, -20, 10),
            status="attended",
        )
    assert not Appointment.objects.exists()


def test_attended_is_recorded_one_session_at_a_time(world):
    sessions = book_weekly(world)
    third = sessions[2]
    third.child = world.child
    with pytest.raises(Exception, match="one session at a time"):
        series.change_series(
            third, expected_version=third.version, scope="following", status="attended"
        )


@pytest.mark.parametrize("interval", ["0", "-1", "x", "53"])
def test_an_interval_outside_one_to_fifty_two_is_refused(world, interval):
    with pytest.raises(Exception, match="INTERVAL=1 to 52"):
        series.starts(f"FREQ=WEEKLY;INTERVAL={interval};COUNT=3", in_days(world.child, 2, 10), None)


def test_a_split_carries_every_later_session_with_its_shifted_occurrence(world):
    from tandem.appointments import actions

    sessions = book_weekly(world)
    fourth = sessions[3]
    fourth.child = world.child
    actions.set_status(fourth, expected_version=1, status="cancelled", reason="Holiday")
    third = sessions[2]
    third.child = world.child
    old_fourth_start = fourth.encounter.starts_at
    new_start = third.encounter.starts_at + datetime.timedelta(hours=2)
    series.change_series(third, expected_version=1, scope="following", starts_at=new_start)
    cancelled = Encounter.objects.get(pk=fourth.encounter_id)
    assert cancelled.starts_at == old_fourth_start  # a cancelled session is not moved
    assert cancelled.recurrence_id == old_fourth_start + datetime.timedelta(hours=2)
    new = cancelled.series
    assert new.rule.endswith("COUNT=4")  # sessions 3 to 6, the cancelled one included
    assert new.encounters.count() == 4


def test_all_coming_changes_only_what_was_changed_on_the_form(world, client_as):
    sessions = book_weekly(world)
    from tandem.appointments import actions

    second = sessions[1]
    second.child = world.child
    actions.update_appointment(second, expected_version=1, therapist=world.assistant)
    page = reverse("appointments:edit", args=[world.child.id, sessions[0].id])
    data = form_data(world.therapist, sessions[0].starts_at, location="home", scope="all")
    data["version"] = "1"
    response = client_as(world.therapist).post(page, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    after = booked(world.child)
    assert {a.location for a in after} == {"home"}
    assert after[1].therapist == world.assistant  # its own therapist, left alone


def test_a_made_up_appointment_in_the_note_address_is_not_found(world, client_as):
    url = reverse("notes:new", args=[world.child.id]) + "?appointment=not-a-uuid"
    assert client_as(world.therapist).get(url).status_code == 404
