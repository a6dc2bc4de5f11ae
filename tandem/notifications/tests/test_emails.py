"""Emails go out from the task backend, as each person prefers, never in their quiet hours.

Time is stopped at chosen moments (``clock``) on the clinic's clock (Chicago); the task
backend in tests runs tasks as soon as the transaction that queued them commits.
"""

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from tandem.conftest import World
from tandem.messaging import actions as messaging
from tandem.messaging.tests.helpers import make_schedule
from tandem.notifications import dispatch
from tandem.notifications.actions import notify, notify_new_report, save_preferences
from tandem.notifications.dispatch import dispatch_due
from tandem.notifications.models import EmailState, Kind, Notification
from tandem.notifications.tests.conftest import local


def post(world: World, text: str = "See you Tuesday.", capture: Any = None) -> None:
    with capture(execute=True):
        messaging.post_message(world.therapist, world.child, text)


def test_a_new_message_is_emailed_to_the_family_by_the_worker(
    world, clock, django_capture_on_commit_callbacks
):
    clock.set(local(13, 12))
    post(world, "Private details stay in the app", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [world.guardian.user.email]
    assert "New message about Maya" in email.subject
    assert "/children/" in email.body and "/messages/" in email.body
    assert "Private details" not in email.body  # the message itself stays in the app
    assert Notification.objects.get(recipient=world.guardian).email_state == EmailState.SENT


def test_nothing_is_sent_in_quiet_hours_and_it_goes_when_they_end(
    world, clock, django_capture_on_commit_callbacks
):
    clock.set(local(13, 22))
    post(world, capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []
    waiting = Notification.objects.get(recipient=world.guardian)
    assert waiting.email_state == EmailState.PENDING
    assert waiting.email_due_at == local(14, 7, 30)
    assert waiting.read_at is None  # it is in the app already

    dispatch_due(clock.set(local(14, 7, 0)))
    assert mail.outbox == []
    dispatch_due(clock.set(local(14, 7, 35)))
    assert len(mail.outbox) == 1
    dispatch_due(clock.set(local(14, 7, 40)))
    assert len(mail.outbox) == 1  # once only


def test_own_quiet_hours_are_honoured(world, clock, django_capture_on_commit_callbacks):
    save_preferences(world.guardian, quiet_start=datetime.time(11), quiet_end=datetime.time(14))
    clock.set(local(13, 12))
    post(world, capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []
    dispatch_due(clock.set(local(13, 14, 5)))
    assert len(mail.outbox) == 1


def test_in_app_only_when_email_is_off(world, clock, django_capture_on_commit_callbacks):
    save_preferences(world.guardian, by_email=False)
    clock.set(local(13, 12))
    post(world, capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []
    notification = Notification.objects.get(recipient=world.guardian)
    assert notification.email_state == EmailState.NONE


def test_nothing_at_all_when_message_notices_are_off(
    world, clock, django_capture_on_commit_callbacks
):
    save_preferences(world.guardian, new_messages=False)
    clock.set(local(13, 12))
    post(world, capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not Notification.objects.filter(recipient=world.guardian).exists()


def test_already_read_in_the_app_needs_no_email(world, clock, django_capture_on_commit_callbacks):
    clock.set(local(13, 23))
    post(world, capture=django_capture_on_commit_callbacks)
    messaging.mark_thread_read(world.guardian, world.child)
    dispatch_due(clock.set(local(14, 8)))
    assert mail.outbox == []
    assert Notification.objects.get(recipient=world.guardian).email_state == EmailState.SKIPPED


def test_staff_emails_never_name_the_child(world, clock, django_capture_on_commit_callbacks):
    clock.set(local(13, 12))
    with django_capture_on_commit_callbacks(execute=True):
        messaging.post_message(world.guardian, world.child, "A question")
    staff_mail = [m for m in mail.outbox if world.therapist.user.email in m.to]
    assert staff_mail and "Maya" not in staff_mail[0].subject + staff_mail[0].body


def test_new_report_notice_honours_the_preference(world, clock, django_capture_on_commit_callbacks):
    clock.set(local(13, 12))
    with django_capture_on_commit_callbacks(execute=True):
        notify_new_report(world.child, "Spring progress report")
    assert len(mail.outbox) == 1 and "A new report for Maya" in mail.outbox[0].subject
    save_preferences(world.guardian, new_reports=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify_new_report(world.sibling, "Spring progress report")
    assert len(mail.outbox) == 1


def test_a_workshop_place_from_the_waitlist_is_told_whatever_kinds_are_off(
    world, clock, django_capture_on_commit_callbacks
):
    save_preferences(
        world.guardian,
        new_messages=False,
        new_reports=False,
        checkin_reminders=False,
        practice_reminders=False,
    )
    clock.set(local(13, 12))
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.guardian], Kind.WORKSHOP_PLACE, detail="Sleep evening", url="/w/")
    assert len(mail.outbox) == 1
    assert "You have a place at “Sleep evening”" in mail.outbox[0].subject
    assert "/w/" in mail.outbox[0].body and "give it up" in mail.outbox[0].body


def test_emails_speak_the_guardians_language(world, clock, django_capture_on_commit_callbacks):
    world.guardian.user.language = "es"
    world.guardian.user.save()
    clock.set(local(13, 12))
    with django_capture_on_commit_callbacks(execute=True):
        notify_new_report(world.child, "Informe")
    assert "Informe" in mail.outbox[0].body


def test_a_failing_mail_server_is_retried_then_given_up(
    world, clock, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("mail server down")

    monkeypatch.setattr("tandem.notifications.delivery.send_mail", broken)
    clock.set(local(13, 12))
    post(world, capture=django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=world.guardian)
    assert notification.email_state == EmailState.PENDING
    for minutes in (15, 30):
        dispatch_due(clock.set(local(13, 12, minutes)))
    notification.refresh_from_db()
    assert notification.email_state == EmailState.FAILED
    assert notification.email_attempts == 3


# --- Practice reminders ------------------------------------------------------------


@pytest.fixture
def practising(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    """Both of the guardian's children have home activities."""
    ids = [world.child.id, world.sibling.id]
    monkeypatch.setattr(dispatch, "children_with_home_practice", lambda now: ids)
    save_preferences(world.guardian, practice_days="2,5", practice_time=datetime.time(18))
    return world


def test_practice_reminder_at_the_chosen_time_once_a_day(practising, clock):
    world = practising
    assert dispatch_due(clock.set(local(13, 17, 55))).practice_reminders == 0
    assert dispatch_due(clock.set(local(13, 18, 5))).practice_reminders == 1
    assert len(mail.outbox) == 1
    assert "Eli, Maya" in mail.outbox[0].body
    assert dispatch_due(clock.set(local(13, 18, 10))).practice_reminders == 0
    assert len(mail.outbox) == 1
    notification = Notification.objects.get(kind=Kind.PRACTICE_REMINDER)
    assert notification.recipient == world.guardian


def test_no_practice_reminder_on_other_days_or_when_off(practising, clock):
    assert dispatch_due(clock.set(local(14, 18, 5))).practice_reminders == 0  # Thursday
    save_preferences(practising.guardian, practice_reminders=False)
    assert dispatch_due(clock.set(local(13, 18, 5))).practice_reminders == 0
    assert mail.outbox == []


def test_a_reminder_missed_by_hours_is_skipped(practising, clock):
    assert dispatch_due(clock.set(local(13, 21, 30))).practice_reminders == 0


def test_a_reminder_set_inside_quiet_hours_waits_for_the_morning(practising, clock):
    save_preferences(practising.guardian, practice_time=datetime.time(22))
    assert dispatch_due(clock.set(local(13, 22, 5))).practice_reminders == 1
    assert mail.outbox == []
    dispatch_due(clock.set(local(14, 7, 35)))
    assert len(mail.outbox) == 1


def test_no_reminders_without_home_activities(world, clock):
    save_preferences(world.guardian, practice_days="2", practice_time=datetime.time(18))
    assert dispatch_due(clock.set(local(13, 18, 5))).practice_reminders == 0


def test_children_with_active_home_activities_are_found(world, clock):
    models = pytest.importorskip("tandem.homeprogram.models")
    models.HomeActivity.objects.create(
        organization=world.org,
        child=world.child,
        assigned_by=world.therapist,
        title="Buttons",
        why="Strong fingers make buttons easier",
        steps="Do up three buttons",
        starts_on=datetime.date(2027, 1, 1),
    )
    found = dispatch.children_with_home_practice(clock.set(local(13, 12)))
    assert list(found) == [world.child.id]


# --- Check-in reminders and the command ----------------------------------------------


def test_check_in_reminder_once_when_due(world, clock):
    clock.set(local(13, 9))
    schedule = make_schedule(world.child, world.therapist)
    schedule.next_due_on = datetime.date(2027, 1, 14)
    schedule.save()
    assert dispatch_due(clock.set(local(13, 10))).checkin_reminders == 0
    assert dispatch_due(clock.set(local(14, 10))).checkin_reminders == 1
    assert len(mail.outbox) == 1 and "check-in" in mail.outbox[0].subject
    assert dispatch_due(clock.set(local(14, 11))).checkin_reminders == 0
    assert len(mail.outbox) == 1


def test_check_in_reminders_can_be_turned_off(world, clock):
    save_preferences(world.guardian, checkin_reminders=False)
    clock.set(local(13, 9))
    make_schedule(world.child, world.therapist)
    dispatch_due(clock.set(local(13, 10)))
    assert mail.outbox == []


def test_the_command_dispatches_once(world, clock, capsys):
    clock.set(local(13, 10))
    make_schedule(world.child, world.therapist)
    call_command("send_due_reminders")
    assert "check-in reminders: 1" in capsys.readouterr().out
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_what_was_queued(world, clock, settings):
    """As in production: the task waits in the database until ``db_worker`` runs it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    clock.set(local(13, 12))
    messaging.post_message(world.therapist, world.child, "See you Tuesday.")
    assert mail.outbox == []  # queued, not sent
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.guardian.user.email]
