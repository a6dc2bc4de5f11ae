"""Booking and changing appointments through the pages: who may, and the scheduling rules."""

import datetime
import re

import pytest
from django.urls import reverse

from tandem.appointments.models import Appointment
from tandem.audit.models import AccessLog

from .helpers import clinic_time, clinic_today, form_data, in_days, make_appointment

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def new_url(child):
    return reverse("appointments:new", args=[child.id])


def test_therapist_books_an_appointment_in_clinic_time(world, client_as):
    when = in_days(world.child, 3, 14, 30)
    data = form_data(world.therapist, when, note_for_family="Bring comfortable shoes")
    response = client_as(world.therapist).post(new_url(world.child), data)
    assert response.status_code == 302
    appointment = Appointment.objects.get(child=world.child)
    assert appointment.starts_at == when  # 14:30 in America/Chicago, stored as UTC
    assert appointment.therapist == world.therapist
    assert appointment.discipline == "ot"  # the therapist's own, since none was chosen
    assert appointment.created_by == world.therapist
    assert appointment.history.count() == 1
    assert AccessLog.objects.filter(child=world.child, route="appointments:new").exists()


def test_the_form_offers_only_the_childs_care_team(world, client_as):
    body = client_as(world.admin).get(new_url(world.child)).content.decode()
    assert str(world.therapist.id) in body and str(world.assistant.id) in body
    assert str(world.unassigned_therapist.id) not in body


def test_a_therapist_off_the_team_is_refused(world, client_as):
    data = form_data(world.unassigned_therapist, in_days(world.child, 2))
    response = client_as(world.admin).post(new_url(world.child), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Appointment.objects.exists()


def test_consulting_therapist_cannot_book(world, client_as):
    client = client_as(world.consulting_therapist)
    assert client.get(new_url(world.child)).status_code == 404
    data = form_data(world.therapist, in_days(world.child, 2))
    assert client.post(new_url(world.child), data).status_code == 403
    assert not Appointment.objects.exists()


def test_outsiders_and_families_cannot_book(world, client_as):
    data = form_data(world.therapist, in_days(world.child, 2))
    for outsider in (world.unassigned_therapist, world.foreign_admin):
        assert client_as(outsider).post(new_url(world.child), data).status_code == 404
    # The family sees the child's appointments, so the booking is refused, not hidden.
    assert client_as(world.guardian).get(new_url(world.child)).status_code == 404
    assert client_as(world.guardian).post(new_url(world.child), data).status_code == 403
    assert not Appointment.objects.exists()


def test_a_new_appointment_in_the_past_must_be_recorded_as_attended(world, client_as):
    client = client_as(world.therapist)
    when = in_days(world.child, -2)
    response = client.post(new_url(world.child), form_data(world.therapist, when))
    body = response.content.decode()
    assert response.status_code == 200
    assert "This time has already passed" in body and "mark it as attended" in body
    assert not Appointment.objects.exists()
    data = form_data(world.therapist, when, status="attended")
    assert client.post(new_url(world.child), data).status_code == 302
    assert Appointment.objects.get().status == "attended"


def test_an_appointment_must_end_by_midnight(world, client_as):
    when = in_days(world.child, 2, 23, 30)
    data = form_data(world.therapist, when, duration_minutes=60)
    response = client_as(world.therapist).post(new_url(world.child), data)
    assert response.status_code == 200
    assert "must end by midnight" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Appointment.objects.exists()
    data = form_data(world.therapist, when, duration_minutes=30)  # ends at 00:00 exactly
    assert client_as(world.therapist).post(new_url(world.child), data).status_code == 302


def test_overlapping_bookings_of_one_therapist_are_refused_with_the_clash(world, client_as):
    make_appointment(world.sibling, world.therapist, in_days(world.child, 2, 10, 0))
    data = form_data(world.therapist, in_days(world.child, 2, 10, 30))
    response = client_as(world.therapist).post(new_url(world.child), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "already has a session from 10:00 to 10:45" in body
    assert "Choose another time or another therapist" in body
    assert Appointment.objects.filter(child=world.child).count() == 0


def test_back_to_back_and_cancelled_slots_are_free(world, client_as):
    make_appointment(world.sibling, world.therapist, in_days(world.child, 2, 10, 0))
    make_appointment(
        world.sibling, world.therapist, in_days(world.child, 2, 11, 0), status="cancelled"
    )
    client = client_as(world.therapist)
    assert (
        client.post(
            new_url(world.child), form_data(world.therapist, in_days(world.child, 2, 10, 45))
        ).status_code
        == 302
    )
    assert (
        client.post(
            new_url(world.child), form_data(world.therapist, in_days(world.child, 2, 11, 30))
        ).status_code
        == 302
    )


def test_two_group_sessions_may_share_a_slot(world, client_as):
    when = in_days(world.child, 2, 15)
    make_appointment(world.other_child, world.therapist, when, service_type="group")
    data = form_data(world.therapist, when, service_type="group")
    assert client_as(world.therapist).post(new_url(world.child), data).status_code == 302


def test_another_therapist_at_the_same_time_is_fine(world, client_as):
    when = in_days(world.child, 2, 9)
    make_appointment(world.other_child, world.unassigned_therapist, when)
    data = form_data(world.assistant, when)
    assert client_as(world.therapist).post(new_url(world.child), data).status_code == 302


def test_a_brother_or_sisters_session_at_the_same_time_is_named(world, client_as):
    when = in_days(world.child, 2, 9)
    make_appointment(world.sibling, world.therapist, when)
    data = form_data(world.assistant, when + datetime.timedelta(minutes=15))
    response = client_as(world.admin).post(new_url(world.child), data)
    body = response.content.decode()
    assert "A brother or sister (a child with the same parent or carer) has a session" in body
    # Not named (as a word: a generated therapist may be called Elizabeth).
    assert not re.search(rf"\b{world.sibling.first_name}\b", body)
    assert not Appointment.objects.filter(child=world.child).exists()


def test_a_child_is_not_booked_into_two_sessions_at_once(world, client_as):
    when = in_days(world.child, 2, 9)
    make_appointment(world.child, world.therapist, when)
    data = form_data(world.assistant, when + datetime.timedelta(minutes=30))
    response = client_as(world.therapist).post(new_url(world.child), data)
    assert response.status_code == 200
    assert f"{world.child.display_name} already has a session from 09:00 to 09:45" in (
        response.content.decode()
    )
    assert Appointment.objects.filter(child=world.child).count() == 1


def test_bad_input_is_explained_and_changes_nothing(world, client_as):
    data = form_data(world.therapist, in_days(world.child, 2), duration_minutes=0, date="31/02")
    response = client_as(world.therapist).post(new_url(world.child), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid date" in body
    assert "greater than or equal to 5" in body
    assert not Appointment.objects.exists()


# --- Changing -------------------------------------------------------------------


def edit_url(appointment):
    return reverse("appointments:edit", args=[appointment.child_id, appointment.id])


def test_editing_moves_the_appointment_and_keeps_a_version(world, client_as):
    appointment = make_appointment(world.child, world.therapist, in_days(world.child, 2, 10))
    later = in_days(world.child, 3, 16)
    data = form_data(world.therapist, later, version=appointment.version, status="scheduled")
    data["cancel_reason"] = ""
    response = client_as(world.therapist).post(edit_url(appointment), data)
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.starts_at == later and appointment.version == 2
    assert appointment.history.count() == 2


def test_a_stale_edit_is_a_conflict_not_an_overwrite(world, client_as):
    appointment = make_appointment(world.child, world.therapist, in_days(world.child, 2, 10))
    data = form_data(world.therapist, in_days(world.child, 4, 10), version=appointment.version)
    data["cancel_reason"] = ""
    assert client_as(world.therapist).post(edit_url(appointment), data).status_code == 302
    stale = form_data(world.therapist, in_days(world.child, 5, 10), version=appointment.version)
    stale["cancel_reason"] = ""
    response = client_as(world.admin).post(edit_url(appointment), stale)
    assert response.status_code == 409
    assert "Someone else changed this appointment" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.starts_at == in_days(world.child, 4, 10)


def test_a_booked_appointment_cannot_be_moved_into_the_past(world, client_as):
    appointment = make_appointment(world.child, world.therapist, in_days(world.child, 2, 10))
    data = form_data(world.therapist, in_days(world.child, -1, 10), version=1)
    data["cancel_reason"] = ""
    response = client_as(world.therapist).post(edit_url(appointment), data)
    assert response.status_code == 200
    assert "cannot be moved to a time that has passed" in response.content.decode()


def test_editing_the_note_of_a_past_attended_appointment_is_fine(world, client_as):
    when = in_days(world.child, -3, 10)
    appointment = make_appointment(world.child, world.therapist, when, status="attended")
    make_appointment(world.sibling, world.therapist, when, status="attended")  # old overlap
    data = form_data(
        world.therapist, when, version=1, status="attended", note_for_family="Well done!"
    )
    data["cancel_reason"] = ""
    assert client_as(world.therapist).post(edit_url(appointment), data).status_code == 302
    appointment.refresh_from_db()
    assert appointment.note_for_family == "Well done!"


# --- Quick status buttons ----------------------------------------------------------


def status_url(appointment):
    return reverse("appointments:status", args=[appointment.child_id, appointment.id])


def test_cancelling_keeps_the_record_and_tells_the_family_why(world, client_as):
    appointment = make_appointment(world.child, world.therapist, in_days(world.child, 2, 10))
    data = {"status": "cancelled", "reason": "Therapist unwell", "version": 1}
    response = client_as(world.therapist).post(status_url(appointment), data)
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "cancelled" and appointment.cancel_reason == "Therapist unwell"
    body = client_as(world.guardian).get(reverse("appointments:family")).content.decode()
    assert "Cancelled" in body and "Therapist unwell" in body


def test_attended_only_once_it_has_started(world, client_as):
    future = make_appointment(world.child, world.therapist, in_days(world.child, 2, 10))
    client = client_as(world.therapist)
    response = client.post(status_url(future), {"status": "attended", "version": 1}, follow=True)
    assert "only once it has started" in response.content.decode()
    future.refresh_from_db()
    assert future.status == "scheduled"
    past = make_appointment(world.sibling, world.therapist, in_days(world.child, -1, 10))
    client.post(status_url(past), {"status": "missed", "version": 1})
    past.refresh_from_db()
    assert past.status == "missed"


def test_a_stale_status_change_is_refused(world, client_as):
    appointment = make_appointment(world.child, world.therapist, in_days(world.child, 2, 10))
    client = client_as(world.therapist)
    client.post(status_url(appointment), {"status": "cancelled", "version": 1})
    response = client.post(
        status_url(appointment), {"status": "scheduled", "version": 1}, follow=True
    )
    assert "changed while you were looking at it" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def test_status_returns_to_a_local_page_only(world, client_as):
    appointment = make_appointment(world.child, world.therapist, in_days(world.child, 2, 10))
    data = {"status": "cancelled", "version": 1, "next": "https://evil.example/"}
    response = client_as(world.therapist).post(status_url(appointment), data)
    assert response["Location"] == reverse("appointments:child", args=[world.child.id])


def test_consulting_therapist_cannot_cancel(world, client_as):
    appointment = make_appointment(world.child, world.therapist, in_days(world.child, 2, 10))
    data = {"status": "cancelled", "version": 1}
    assert (
        client_as(world.consulting_therapist).post(status_url(appointment), data).status_code == 403
    )
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"


def test_an_appointment_of_another_child_is_not_found(world, client_as):
    other = make_appointment(world.other_child, world.unassigned_therapist, in_days(world.child, 2))
    url = reverse("appointments:edit", args=[world.child.id, other.id])
    assert client_as(world.therapist).get(url).status_code == 404


def test_a_day_after_the_clocks_change_stays_in_clinic_time(world, client_as):
    """Chicago moves its clocks forward on the second Sunday of March: 10:00 stays 10:00."""
    year = clinic_today(world.child).year + 1
    march = datetime.date(year, 3, 1)
    second_sunday = march + datetime.timedelta(days=(6 - march.weekday()) % 7 + 7)
    when = clinic_time(world.child, second_sunday + datetime.timedelta(days=1), 10)
    client_as(world.therapist).post(new_url(world.child), form_data(world.therapist, when))
    assert Appointment.objects.get().starts_at.astimezone(datetime.UTC).hour == 15  # CDT
