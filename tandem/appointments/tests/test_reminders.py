"""Session reminders the day before, with a link to confirm or cancel (no sign-in)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from tandem.appointments.models import Appointment
from tandem.appointments.reminders import read_reply_token, reply_link
from tandem.appointments.tests.helpers import clinic_time, clinic_today, make_appointment
from tandem.children.models import GuardianLink
from tandem.conftest import World
from tandem.notifications import sms
from tandem.notifications.dispatch import dispatch_due
from tandem.notifications.models import Kind, Notification

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def tomorrow_at_nine(world: World) -> Appointment:
    day = clinic_today(world.child) + datetime.timedelta(days=1)
    return make_appointment(world.child, world.therapist, clinic_time(world.child, day, 9))


def at(world: World, days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment on the clinic's clock, relative to its today."""
    day = clinic_today(world.child) + datetime.timedelta(days=days)
    return clinic_time(world.child, day, hour, minute)


def texts_wanted(world: World) -> None:
    link = GuardianLink.objects.get(child=world.child, guardian=world.guardian)
    link.contact_method = "text"
    link.save()
    world.guardian.phone = "+1 555 0100"
    world.guardian.save()


def test_the_family_is_reminded_once_in_the_app_by_email_and_by_text(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    sms.outbox.clear()
    texts_wanted(world)
    appointment = tomorrow_at_nine(world)
    noon = at(world, 0, 12)  # 21 hours before; nobody's quiet hours
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due(noon).appointment_reminders == 1
    reminder = Notification.objects.get(recipient=world.guardian, kind=Kind.APPOINTMENT_REMINDER)
    token = reminder.url.rstrip("/").rsplit("/", 1)[-1]
    ids = (str(world.org.pk), str(appointment.pk), str(world.guardian.pk))
    assert read_reply_token(token) == ids
    assert "09:00" in reminder.detail
    [text] = sms.outbox
    assert text.to == "+1 555 0100" and reminder.url in text.body
    assert "Maya" in text.body and "Okafor" not in text.body
    # Run again (the next dispatcher run): nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due(noon + datetime.timedelta(minutes=5)).appointment_reminders == 0
    assert len(sms.outbox) == 1
    assert Notification.objects.filter(kind=Kind.APPOINTMENT_REMINDER).count() == 1


def test_no_text_in_quiet_hours_the_reminder_waits(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    """The default quiet hours are 21:00 to 07:30: at 22:00 the reminder of a 09:00 session
    waits; at 07:45 it goes."""
    sms.outbox.clear()
    texts_wanted(world)
    tomorrow_at_nine(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due(at(world, 0, 22)).appointment_reminders == 0
    assert sms.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due(at(world, 1, 7, 45)).appointment_reminders == 1
    assert len(sms.outbox) == 1


def test_a_session_further_off_or_cancelled_is_not_reminded(world: World) -> None:
    make_appointment(world.child, world.therapist, at(world, 3, 9))
    make_appointment(world.child, world.therapist, at(world, 1, 11), status="cancelled")
    assert dispatch_due(at(world, 0, 12)).appointment_reminders == 0


def test_the_family_confirms_from_the_link(world: World) -> None:
    appointment = tomorrow_at_nine(world)
    url = reply_link(appointment, world.guardian.pk)
    client = Client()
    page = client.get(url).content.decode()
    assert "Maya's session" in page and "We will be there" in page
    assert client.post(url, {"answer": "confirm"}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.confirmed_at is not None and appointment.status == "scheduled"
    assert "You confirmed" in client.get(url).content.decode()


def test_cancelling_inside_the_window_is_late_and_says_so_first(world: World) -> None:
    soon = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(hours=3)
    appointment = make_appointment(world.child, world.therapist, soon)
    url = reply_link(appointment, world.guardian.pk)
    client = Client()
    assert "recorded as a late cancellation" in client.get(url).content.decode()
    assert client.post(url, {"answer": "cancel", "reason": "Fever"}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "cancelled" and appointment.cancel_reason == "Fever"
    assert appointment.cancelled_by_id == world.guardian.pk and appointment.late_cancel
    assert "This session is cancelled." in client.get(url).content.decode()


def test_cancelling_well_ahead_is_not_late(world: World) -> None:
    appointment = make_appointment(world.child, world.therapist, at(world, 4, 10))
    url = reply_link(appointment, world.guardian.pk)
    client = Client()
    assert "late cancellation" not in client.get(url).content.decode()
    client.post(url, {"answer": "cancel"})
    appointment.refresh_from_db()
    assert appointment.status == "cancelled" and not appointment.late_cancel


def test_a_forged_or_stale_link_does_nothing(world: World) -> None:
    appointment = tomorrow_at_nine(world)
    client = Client()
    assert client.get(reply_link(appointment, world.guardian.pk)[:-3] + "xx/").status_code == 404
    # A guardian no longer linked to the child: the link is dead.
    stranger = reply_link(appointment, world.other_guardian.pk)
    assert client.get(stranger).status_code == 404
    # A session that has passed cannot be changed from the link.
    past = make_appointment(world.child, world.therapist, at(world, -1, 9), status="attended")
    url = reply_link(past, world.guardian.pk)
    response = client.post(url, {"answer": "cancel"})
    assert response.status_code == 400
    past.refresh_from_db()
    assert past.status == "attended"


def test_a_moved_session_is_reminded_and_confirmed_anew(world: World) -> None:
    from tandem.appointments import actions

    appointment = tomorrow_at_nine(world)
    dispatch_due(at(world, 0, 12))
    confirmed = actions.confirm(appointment)
    moved = actions.update_appointment(
        confirmed,
        expected_version=confirmed.version,
        starts_at=at(world, 1, 15),
    )
    assert moved.reminded_at is None and moved.confirmed_at is None
    assert dispatch_due(at(world, 0, 16)).appointment_reminders == 1


def test_each_guardians_own_quiet_hours_decide_their_text(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    """At the last call (05:00 for a 07:00 session) the one with no quiet hours is texted;
    the one still in theirs is not."""
    from tandem.notifications.models import Preference

    sms.outbox.clear()
    texts_wanted(world)
    Preference.objects.create(
        organization=world.org,
        member=world.guardian,
        quiet_start=datetime.time(0),
        quiet_end=datetime.time(0),
    )
    second = GuardianLink.objects.create(
        organization=world.org,
        child=world.child,
        guardian=world.other_guardian,
        relationship="father",
        contact_method="text",
    )
    second.guardian.phone = "+1 555 0199"
    second.guardian.save()
    make_appointment(world.child, world.therapist, at(world, 1, 7))
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due(at(world, 1, 5)).appointment_reminders == 1
    assert [t.to for t in sms.outbox] == ["+1 555 0100"]


def test_the_family_cancels_even_if_the_therapist_left_the_team(world: World) -> None:
    from tandem.children.models import CareTeamMember

    appointment = tomorrow_at_nine(world)
    CareTeamMember.objects.filter(child=world.child, therapist=world.therapist).delete()
    response = Client().post(reply_link(appointment, world.guardian.pk), {"answer": "cancel"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
