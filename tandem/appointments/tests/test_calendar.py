"""Calendars: a person's feed at a secret, revocable address and one appointment's file,
parsed with the icalendar library; an event names no one beyond the child's initials."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from tandem.audit.models import AccessLog

from .helpers import in_days, make_appointment

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

CALENDAR = reverse("appointments:calendar")


def feed_address(client):
    body = client.post(CALENDAR, {"action": "new"}).content.decode()
    start = body.index('id="feed-address" readonly value="') + len(
        'id="feed-address" readonly value="'
    )
    return body[start : body.index('"', start)]


def events(body: bytes):
    return [c for c in Calendar.from_ical(body).walk() if c.name == "VEVENT"]


def test_a_family_subscribes_to_their_childrens_sessions(world, client_as):
    mine = make_appointment(world.child, world.therapist, in_days(world.child, 2, 10))
    make_appointment(
        world.sibling, world.therapist, in_days(world.child, 3, 11), status="cancelled"
    )
    make_appointment(world.other_child, world.unassigned_therapist, in_days(world.child, 2, 10))
    address = feed_address(client_as(world.guardian))
    response = Client().get(address)  # a calendar app: no sign-in
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    found = events(response.content)
    assert len(found) == 2  # their two children's, not another family's
    first = next(e for e in found if str(e["uid"]) == f"{mine.id}@tandem")
    assert first.decoded("dtstart") == mine.starts_at
    assert first.decoded("dtend") == mine.ends_at
    assert str(first["summary"]) == "Individual therapy · M.O."
    assert {str(e["status"]) for e in found} == {"CONFIRMED", "CANCELLED"}
    text = response.content.decode()
    for private in (world.child.first_name, world.child.last_name, world.therapist.display_name):
        assert private not in text


def test_a_therapists_feed_holds_their_sessions_as_lead_or_second(world, client_as):
    make_appointment(world.child, world.therapist, in_days(world.child, 2, 10))
    make_appointment(
        world.sibling, world.assistant, in_days(world.child, 2, 12), co_therapist=world.therapist
    )
    make_appointment(world.child, world.assistant, in_days(world.child, 3, 12))
    found = events(Client().get(feed_address(client_as(world.therapist))).content)
    assert len(found) == 2


def test_a_new_address_or_stopping_the_feed_ends_the_old_address(world, client_as):
    client = client_as(world.guardian)
    first = feed_address(client)
    second = feed_address(client)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    client.post(CALENDAR, {"action": "stop"})
    assert Client().get(second).status_code == 404
    page = client.get(CALENDAR).content.decode()
    assert "You have no calendar feed." in page


def test_a_made_up_address_or_a_departed_member_gets_nothing(world, client_as):
    address = feed_address(client_as(world.guardian))
    assert Client().get(address[:-8] + "xxxx.ics").status_code == 404
    world.guardian.is_active = False
    world.guardian.save()
    assert Client().get(address).status_code == 404


def test_the_address_is_shown_once(world, client_as):
    client = client_as(world.therapist)
    address = feed_address(client)
    assert address.split("/")[-1][:-4] not in client.get(CALENDAR).content.decode()


def test_one_appointment_as_a_file(world, client_as):
    appointment = make_appointment(world.child, world.therapist, in_days(world.child, 2, 10))
    url = reverse("appointments:ics", args=[world.child.id, appointment.id])
    response = client_as(world.guardian).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="session-')
    (only,) = events(response.content)
    assert only.decoded("dtstart") == appointment.starts_at
    assert AccessLog.objects.filter(child=world.child, route="appointments:ics").exists()
    other = make_appointment(world.other_child, world.unassigned_therapist, in_days(world.child, 2))
    foreign = reverse("appointments:ics", args=[world.other_child.id, other.id])
    assert client_as(world.guardian).get(foreign).status_code == 404


def test_the_feed_reads_a_constant_number_of_queries(
    world, client_as, django_assert_max_num_queries
):
    address = feed_address(client_as(world.guardian))
    for day in range(1, 8):
        make_appointment(world.child, world.therapist, in_days(world.child, day, 10))
    client = Client()
    with django_assert_max_num_queries(8):
        assert len(events(client.get(address).content)) == 7


def test_a_series_is_one_recurring_event_with_its_exceptions(world, client_as):
    from tandem.appointments import actions, series

    sessions = series.book_series(
        world.therapist,
        world.child,
        rule=series.weekly(1, 5),
        therapist=world.therapist,
        starts_at=in_days(world.child, 2, 10),
        duration_minutes=45,
        service_type="individual",
        discipline="ot",
        location="clinic",
    )
    cancelled, moved = sessions[1], sessions[3]
    for appointment in (cancelled, moved):
        appointment.child = world.child
    actions.set_status(cancelled, expected_version=1, status="cancelled", reason="Holiday")
    new_time = moved.encounter.starts_at + datetime.timedelta(hours=1)
    series.change_series(moved, expected_version=1, scope="this", starts_at=new_time)
    found = events(Client().get(feed_address(client_as(world.guardian))).content)
    master = next(e for e in found if "RRULE" in e)
    assert master["rrule"]["COUNT"] == [5]
    assert master.decoded("dtstart") == sessions[0].encounter.starts_at
    exdates = [d.dt for d in master["exdate"].dts]
    assert exdates == [cancelled.encounter.recurrence_id]
    (override,) = [e for e in found if "RECURRENCE-ID" in e]
    assert str(override["uid"]) == str(master["uid"])
    assert override.decoded("recurrence-id") == moved.encounter.recurrence_id
    assert override.decoded("dtstart") == new_time
    assert len(found) == 2


def test_a_series_repeats_on_the_clinics_wall_clock(world, client_as):
    from tandem.appointments import series

    series.book_series(
        world.therapist,
        world.child,
        rule=series.weekly(1, 3),
        therapist=world.therapist,
        starts_at=in_days(world.child, 2, 10),
    )
    body = Client().get(feed_address(client_as(world.guardian))).content.decode()
    assert "DTSTART;TZID=America/Chicago:" in body
    assert "BEGIN:VTIMEZONE" in body and "TZID:America/Chicago" in body
