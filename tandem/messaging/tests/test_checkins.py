"""Scheduled family check-ins: the schedule, the family's form, support when it is hard."""

import datetime

import pytest
from django.urls import reverse

from tandem.core.testing.factories import clinic_today
from tandem.messaging import actions
from tandem.messaging.models import CheckIn, CheckInSchedule
from tandem.messaging.tests.helpers import make_schedule
from tandem.notifications.models import Kind, Notification

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`

TODAY = clinic_today()


def schedule_url(child):
    return reverse("messaging:checkin_schedule", args=[child.id])


def checkin_url(child):
    return reverse("messaging:checkin", args=[child.id])


def test_therapist_sets_a_monthly_check_in(world, client_as):
    client = client_as(world.therapist)
    assert client.get(schedule_url(world.child)).status_code == 200
    due = TODAY + datetime.timedelta(days=3)
    response = client.post(
        schedule_url(world.child),
        {"every": 1, "unit": "months", "next_due_on": due.isoformat(), "is_active": "on"},
    )
    assert response.status_code == 302
    schedule = CheckInSchedule.objects.get(child=world.child)
    assert (schedule.every, schedule.unit, schedule.next_due_on) == (1, "months", due)
    assert schedule.created_by == world.therapist


def test_consulting_therapist_cannot_set_the_schedule(world, client_as):
    client = client_as(world.consulting_therapist)
    assert client.get(schedule_url(world.child)).status_code == 404
    data = {"every": 2, "unit": "weeks", "next_due_on": TODAY.isoformat()}
    assert client.post(schedule_url(world.child), data).status_code == 403
    assert not CheckInSchedule.objects.exists()


def test_a_stale_schedule_edit_is_a_conflict(world, client_as):
    schedule = make_schedule(world.child, world.therapist)
    actions.set_checkin_schedule(
        world.admin, world.child, expected_version=schedule.version, every=3, unit="weeks"
    )
    response = client_as(world.therapist).post(
        schedule_url(world.child),
        {
            "every": 2,
            "unit": "weeks",
            "next_due_on": TODAY.isoformat(),
            "is_active": "on",
            "version": schedule.version,
        },
    )
    assert response.status_code == 409
    assert CheckInSchedule.objects.get().every == 3


def test_family_sees_the_check_in_when_due_and_answers(world, client_as):
    schedule = make_schedule(world.child, world.therapist)
    client = client_as(world.guardian)
    page = client.get(reverse("messaging:index", args=[world.child.id])).content.decode()
    assert "Time for a short check-in" in page
    response = client.post(
        checkin_url(world.child),
        {"at_home": "Calmer mornings", "hard": "Bedtime", "would_help": "Ideas", "wellbeing": 4},
    )
    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert checkin.due_on == schedule.next_due_on and checkin.wellbeing == 4
    schedule.refresh_from_db()
    assert schedule.next_due_on > TODAY  # moved on to next month
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you for checking in" in thanks
    assert "You do not have to carry this alone" not in thanks
    told = Notification.objects.filter(kind=Kind.CHECKIN_ANSWERED)
    assert {n.recipient_id for n in told} == {world.therapist.pk, world.assistant.pk}
    assert not Notification.objects.filter(kind=Kind.CHECKIN_FLAG).exists()


def test_low_wellbeing_offers_support_and_flags_the_therapist(world, client_as):
    make_schedule(world.child, world.therapist)
    client = client_as(world.guardian)
    response = client.post(checkin_url(world.child), {"wellbeing": 1}, follow=True)
    body = response.content.decode()
    assert "You do not have to carry this alone" in body
    assert "local emergency number" in body
    assert Notification.objects.filter(kind=Kind.CHECKIN_FLAG, recipient=world.therapist).exists()
    staff_page = client_as(world.therapist).get(reverse("messaging:index", args=[world.child.id]))
    assert "Caregiver may need support" in staff_page.content.decode()


def test_an_empty_check_in_is_refused(world, client_as):
    response = client_as(world.guardian).post(checkin_url(world.child), {"wellbeing": ""})
    assert response.status_code == 200
    assert "Answer at least one question" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_only_the_childs_family_answers(world, client_as):
    data = {"at_home": "Fine"}
    assert client_as(world.other_guardian).post(checkin_url(world.child), data).status_code == 404
    assert client_as(world.therapist).post(checkin_url(world.child), data).status_code == 404
    assert not CheckIn.objects.exists()


def test_monthly_schedule_keeps_to_the_end_of_short_months(world):
    schedule = CheckInSchedule(every=1, unit="months", next_due_on=TODAY)
    assert schedule.following(datetime.date(2027, 1, 31)) == datetime.date(2027, 2, 28)
    assert schedule.following(datetime.date(2027, 12, 15)) == datetime.date(2028, 1, 15)
    schedule.unit, schedule.every = "weeks", 2
    assert schedule.following(datetime.date(2027, 1, 31)) == datetime.date(2027, 2, 14)
