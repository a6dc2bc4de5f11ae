"""Sessions (encounters): an appointment is one child's part in a session; a note hangs
off its session; a session's therapists, room and child are never booked twice at once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.appointments.models import Appointment, Encounter, Room
from tandem.notes.models import SessionNote
from tandem.notes.tests.helpers import make_note

from .helpers import clinic_today, form_data, in_days, make_appointment

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def new_url(child):
    return reverse("appointments:new", args=[child.id])


def note_url(child, appointment):
    return reverse("notes:new", args=[child.id]) + f"?appointment={appointment.id}"


def test_booking_books_a_session_with_the_child_taking_part(world, client_as):
    when = in_days(world.child, 3, 14)
    data = form_data(world.therapist, when, co_therapist=world.assistant.id)
    assert client_as(world.front_desk).post(new_url(world.child), data).status_code == 302
    appointment = Appointment.objects.get(child=world.child)
    session = appointment.encounter
    assert (session.starts_at, session.therapist, session.co_therapist) == (
        when,
        world.therapist,
        world.assistant,
    )
    assert list(session.participants.all()) == [appointment]
    assert session.history.count() == 1  # the session keeps versions of its own
    body = client_as(world.therapist).get(reverse("appointments:child", args=[world.child.id]))
    assert world.assistant.display_name in body.content.decode()


def test_the_second_therapist_is_a_different_person_on_the_childs_team(world, client_as):
    client = client_as(world.therapist)
    when = in_days(world.child, 3, 14)
    same = form_data(world.therapist, when, co_therapist=world.therapist.id)
    response = client.post(new_url(world.child), same)
    assert "Choose two different therapists" in response.content.decode()
    off_team = form_data(world.therapist, when, co_therapist=world.unassigned_therapist.id)
    response = client.post(new_url(world.child), off_team)
    assert response.status_code == 200  # not one of the choices the form offers
    assert not Appointment.objects.exists()


def test_the_second_therapists_own_sessions_clash_by_name(world, client_as):
    when = in_days(world.child, 3, 14)
    make_appointment(world.sibling, world.assistant, when)  # hypothetically their session
    data = form_data(world.therapist, when, co_therapist=world.assistant.id)
    response = client_as(world.therapist).post(new_url(world.child), data)
    body = response.content.decode()
    assert f"{world.assistant.display_name} already has a session from" in body
    assert not Appointment.objects.filter(child=world.child).exists()


def test_a_room_holds_one_session_at_a_time(world, client_as):
    gym = Room.objects.create(organization=world.org, name="Sensory gym")
    Room.objects.create(organization=world.org, name="Room 2")
    when = in_days(world.child, 3, 14)
    make_appointment(world.other_child, world.unassigned_therapist, when, room=gym)
    client = client_as(world.therapist)
    response = client.post(new_url(world.child), form_data(world.therapist, when, room=gym.id))
    assert "Sensory gym is booked from" in response.content.decode()
    assert not Appointment.objects.filter(child=world.child).exists()
    other = Room.objects.get(name="Room 2")
    response = client.post(new_url(world.child), form_data(world.therapist, when, room=other.id))
    assert response.status_code == 302


def test_a_room_whose_session_was_cancelled_is_free_again(world, client_as):
    gym = Room.objects.create(organization=world.org, name="Sensory gym")
    when = in_days(world.child, 3, 14)
    make_appointment(
        world.other_child, world.unassigned_therapist, when, room=gym, status="cancelled"
    )
    data = form_data(world.therapist, when, room=gym.id)
    assert client_as(world.therapist).post(new_url(world.child), data).status_code == 302


def test_another_clinics_room_is_not_offered_nor_accepted(world, client_as):
    Room.objects.create(organization=world.org, name="Sensory gym")
    theirs = Room.objects.create(organization=world.foreign_org, name="Their gym")
    client = client_as(world.therapist)
    assert "Their gym" not in client.get(new_url(world.child)).content.decode()
    data = form_data(world.therapist, in_days(world.child, 3, 14), room=theirs.id)
    assert client.post(new_url(world.child), data).status_code == 200
    assert not Appointment.objects.exists()


def test_a_group_sessions_time_is_not_changed_through_one_child(world):
    from tandem.appointments import actions

    first = make_appointment(world.child, world.therapist, in_days(world.child, 3, 14))
    Appointment.objects.create(
        organization=world.org, encounter=first.encounter, child=world.sibling
    )
    first.child = world.child
    with pytest.raises(Exception, match="Other children take part"):
        actions.update_appointment(
            first, expected_version=first.version, starts_at=in_days(world.child, 4, 14)
        )
    cancelled = actions.set_status(
        first, expected_version=first.version, status="cancelled", reason="Ill"
    )
    assert cancelled.status == "cancelled"  # the child's own place is theirs to cancel


def test_a_video_session_gets_a_room_name_of_its_own(world, client_as):
    world.org.video_url_template = "https://meet.example.org/{room}"
    world.org.save()
    client = client_as(world.therapist)
    when = in_days(world.child, 3, 14)
    client.post(new_url(world.child), form_data(world.therapist, when, location="teletherapy"))
    first = Appointment.objects.get(child=world.child).encounter
    client.post(
        new_url(world.sibling),
        form_data(world.therapist, when + datetime.timedelta(hours=1), location="teletherapy"),
    )
    second = Appointment.objects.get(child=world.sibling).encounter
    assert len(first.video_room) >= 20 and first.video_room != second.video_room
    assert first.video_url() == f"https://meet.example.org/{first.video_room}"


# --- The note hangs off its session ------------------------------------------------


def test_the_note_is_written_from_the_appointment_with_its_details(world, client_as):
    appointment = make_appointment(
        world.child, world.therapist, in_days(world.child, 0, 0, 30), location="home"
    )
    client = client_as(world.therapist)
    page = client.get(reverse("appointments:child", args=[world.child.id])).content.decode()
    assert note_url(world.child, appointment).replace("&", "&amp;") in page or (
        note_url(world.child, appointment) in page
    )
    form = client.get(note_url(world.child, appointment)).content.decode()
    assert 'value="00:30"' in form and 'value="01:15"' in form
    assert 'value="home" selected' in form
    data = {
        "appointment": str(appointment.id),
        "date": clinic_today(world.child).isoformat(),
        "start_time": "00:30",
        "end_time": "01:15",
        "service_type": "individual",
        "location": "home",
    }
    response = client.post(reverse("notes:new", args=[world.child.id]), data)
    assert response.status_code == 302
    note = SessionNote.objects.get(child=world.child)
    assert note.encounter == appointment.encounter
    # Asking again opens the note already started, never a second one.
    again = client.get(note_url(world.child, appointment))
    assert again.status_code == 302 and again.url == note.get_absolute_url()
    assert SessionNote.objects.count() == 1


def test_a_note_cannot_hang_off_a_session_out_of_reach(world, client_as):
    theirs = make_appointment(world.foreign_child, world.foreign_therapist, in_days(world.child, 0))
    sibling = make_appointment(world.sibling, world.therapist, in_days(world.child, 0))
    client = client_as(world.therapist)
    assert client.get(note_url(world.child, theirs)).status_code == 404
    # The sibling's appointment is not this child's: not found through this child.
    assert client.get(note_url(world.child, sibling)).status_code == 404
    assert not SessionNote.objects.exists()


def test_a_note_without_a_booking_gets_a_session_with_the_child_attending(world):
    note = make_note(world.child, world.therapist)
    session = note.encounter
    assert session.therapist == world.therapist
    attended = Appointment.objects.get(encounter=session)
    assert (attended.child, attended.status) == (world.child, "attended")
    assert session.duration_minutes == note.minutes
    assert Encounter.objects.count() == 1


# --- Rooms and the video service (admins) ------------------------------------------

ROOMS = reverse("appointments:rooms")


def test_an_admin_adds_retires_and_restores_rooms(world, client_as):
    client = client_as(world.admin)
    assert client.post(ROOMS, {"action": "add_room", "name": "  Sensory   gym "}).status_code == 302
    room = Room.objects.get(organization=world.org)
    assert room.name == "Sensory gym"
    again = client.post(ROOMS, {"action": "add_room", "name": "sensory gym"})
    assert again.status_code == 200
    assert "already has a room called sensory gym" in again.content.decode()
    client.post(ROOMS, {"action": "retire", "room": str(room.id)})
    room.refresh_from_db()
    assert not room.is_active
    form = client_as(world.therapist).get(new_url(world.child)).content.decode()
    assert "Sensory gym" not in form  # no longer offered when booking
    client.post(ROOMS, {"action": "restore", "room": str(room.id)})
    room.refresh_from_db()
    assert room.is_active


def test_another_clinics_room_is_not_found_from_the_rooms_page(world, client_as):
    theirs = Room.objects.create(organization=world.foreign_org, name="Their gym")
    response = client_as(world.admin).post(ROOMS, {"action": "retire", "room": str(theirs.id)})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("https://meet.example.org/", "Put {room} once"),
        ("http://meet.example.org/{room}", "starting with https://"),
        ("javascript:alert(1)//{room}", "starting with https://"),
    ],
)
def test_a_video_address_must_be_https_with_one_room_place(world, client_as, address, message):
    response = client_as(world.admin).post(
        ROOMS, {"action": "video", "video_url_template": address}
    )
    assert response.status_code == 200 and message in response.content.decode()
    world.org.refresh_from_db()
    assert world.org.video_url_template == ""


def test_only_admins_set_rooms_and_video(world, client_as):
    for member in (world.therapist, world.front_desk, world.guardian):
        assert client_as(member).post(ROOMS, {"action": "add_room", "name": "X"}).status_code == 404
    assert not Room.objects.exists()


# --- Joining a video session --------------------------------------------------------


def video_session(world, starts_in_minutes):
    world.org.video_url_template = "https://meet.example.org/{room}"
    world.org.save()
    starts = timezone.now() + datetime.timedelta(minutes=starts_in_minutes)
    return make_appointment(
        world.child, world.therapist, starts, location="teletherapy", video_room="r00m-name-abc"
    )


def test_the_family_and_the_therapist_join_from_fifteen_minutes_before(world, client_as):
    video_session(world, 10)
    link = "https://meet.example.org/r00m-name-abc"
    family = client_as(world.guardian).get(reverse("appointments:family")).content.decode()
    assert link in family
    staff_page = reverse("appointments:child", args=[world.child.id])
    assert link in client_as(world.therapist).get(staff_page).content.decode()
    # The front desk and another therapist of the child see the session, not the room.
    assert link not in client_as(world.front_desk).get(staff_page).content.decode()
    assert link not in client_as(world.assistant).get(staff_page).content.decode()
    api = client_as(world.guardian).get(f"/api/v1/children/{world.child.id}/appointments")
    assert api.json()[0]["join_url"] == link


def test_the_join_button_waits_until_fifteen_minutes_before(world, client_as):
    video_session(world, 30)
    family = client_as(world.guardian).get(reverse("appointments:family")).content.decode()
    assert "meet.example.org" not in family
    assert "shows here 15 minutes before it starts" in family
    api = client_as(world.guardian).get(f"/api/v1/children/{world.child.id}/appointments")
    assert api.json()[0]["join_url"] == ""


def test_a_note_started_from_a_video_session_records_video(world, client_as):
    appointment = video_session(world, -20)
    form = client_as(world.therapist).get(note_url(world.child, appointment)).content.decode()
    assert 'value="teletherapy" selected' in form


def test_write_the_note_is_offered_to_the_sessions_own_therapists(world, client_as):
    make_appointment(world.child, world.assistant, in_days(world.child, 0, 0, 30))
    page = reverse("appointments:child", args=[world.child.id])
    assert "Write the note" in client_as(world.assistant).get(page).content.decode()
    assert "Write the note" not in client_as(world.therapist).get(page).content.decode()


# --- Cancellations: who, when, and late ones ---------------------------------------


def cancel(client, appointment, reason="Ill"):
    url = reverse("appointments:status", args=[appointment.child_id, appointment.id])
    return client.post(
        url, {"status": "cancelled", "reason": reason, "version": appointment.version}
    )


def test_a_cancellation_records_who_and_when_and_a_late_one_is_marked(world, client_as):
    world.org.late_cancel_hours = 48  # tomorrow 10:00 is 10 to 34 hours away, at any hour
    world.org.save()
    soon = make_appointment(world.child, world.therapist, in_days(world.child, 1, 10))
    later = make_appointment(world.child, world.therapist, in_days(world.child, 3, 10))
    client = client_as(world.front_desk)
    cancel(client, soon)
    cancel(client, later)
    soon.refresh_from_db()
    later.refresh_from_db()
    assert (soon.cancelled_by, soon.late_cancel) == (world.front_desk, True)  # within 48 h
    assert (later.cancelled_by, later.late_cancel) == (world.front_desk, False)
    assert soon.cancelled_at is not None
    page = client_as(world.therapist).get(reverse("appointments:child", args=[world.child.id]))
    body = page.content.decode()
    assert "Late cancellation" in body and f"Cancelled by {world.front_desk.display_name}" in body
    # The family sees that it was cancelled and why, not who cancelled it.
    api = client_as(world.guardian).get(f"/api/v1/children/{world.child.id}/appointments")
    assert {a["cancelled_by"] for a in api.json()} == {None}
    staff_api = client_as(world.admin).get(f"/api/v1/children/{world.child.id}/appointments")
    assert {a["cancelled_by"]["name"] for a in staff_api.json()} == {world.front_desk.display_name}


def test_the_clinic_sets_its_late_cancellation_window(world, client_as):
    client = client_as(world.admin)
    bad = client.post(ROOMS, {"action": "late_cancel", "late_cancel_hours": "999"})
    assert "from 0 to 168" in bad.content.decode()
    client.post(ROOMS, {"action": "late_cancel", "late_cancel_hours": "48"})
    world.org.refresh_from_db()
    assert world.org.late_cancel_hours == 48
    tomorrow = make_appointment(world.child, world.therapist, in_days(world.child, 1, 10))
    cancel(client_as(world.therapist), tomorrow)
    tomorrow.refresh_from_db()
    assert tomorrow.late_cancel


def test_booking_again_forgets_the_cancellation(world, client_as):
    appointment = make_appointment(world.child, world.therapist, in_days(world.child, 1, 10))
    client = client_as(world.therapist)
    cancel(client, appointment)
    appointment.refresh_from_db()
    url = reverse("appointments:status", args=[world.child.id, appointment.id])
    client.post(url, {"status": "scheduled", "version": appointment.version})
    appointment.refresh_from_db()
    assert (appointment.status, appointment.cancelled_by, appointment.late_cancel) == (
        "scheduled",
        None,
        False,
    )


def test_the_api_starts_a_note_from_an_appointment_once(world, client_as):
    appointment = make_appointment(world.child, world.therapist, in_days(world.child, 0, 0, 30))
    client = client_as(world.therapist)
    payload = {
        "date": clinic_today(world.child).isoformat(),
        "start_time": "00:30",
        "end_time": "01:15",
        "appointment_id": str(appointment.id),
    }
    url = f"/api/v1/children/{world.child.id}/notes"
    first = client.post(url, payload, content_type="application/json")
    assert first.status_code == 201
    assert SessionNote.objects.get().encounter == appointment.encounter
    again = client.post(url, payload, content_type="application/json")
    assert again.status_code == 422 and "already started" in again.content.decode()
    foreign = make_appointment(
        world.foreign_child, world.foreign_therapist, in_days(world.child, 0)
    )
    other = client.post(
        url, {**payload, "appointment_id": str(foreign.id)}, content_type="application/json"
    )
    assert other.status_code == 404
    assert SessionNote.objects.count() == 1
