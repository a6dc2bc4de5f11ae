"""Every task Tandem queues may run again: a worker killed after a task's work and before
its record puts it back in the queue (``task_upkeep``), so delivery is at least once.
Each task keeps a record of what it did (the emails a ``TaskClaim``, taken before
sending) and a second run does nothing more (docs/deployment.md, "Crash safety").

A task added without a test here fails ``test_every_task_is_checked_for_running_again``.
"""

import datetime
import importlib
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import Task

from tandem.accounts.actions import invite_person
from tandem.accounts.models import Invitation, Role
from tandem.accounts.tasks import send_invitation
from tandem.bulkdata.tasks import run_bulk_export
from tandem.conftest import World
from tandem.consent.actions import grant_consent
from tandem.consent.tasks import send_consent_notice
from tandem.core import clock, once
from tandem.core.models import TaskClaim
from tandem.core.testing.types import ClientAs
from tandem.exports.models import Export
from tandem.exports.tasks import make_export
from tandem.imports.tasks import run_import
from tandem.intake.actions import ask_for_information
from tandem.intake.tasks import send_referral_email
from tandem.intake.tests.helpers import make_referral
from tandem.messaging.actions import post_message
from tandem.notifications import dispatch
from tandem.notifications.models import Kind, Notification, Preference
from tandem.notifications.tasks import dispatch_due_reminders, send_notification_email
from tandem.records.tasks import make_record

pytestmark = pytest.mark.django_db

CHECKED = {
    send_notification_email.module_path,
    dispatch_due_reminders.module_path,
    send_invitation.module_path,
    make_export.module_path,
    send_consent_notice.module_path,
    send_referral_email.module_path,
    run_import.module_path,  # claimed queued → running: tandem/imports/tests/test_worker.py
    run_bulk_export.module_path,  # claimed accepted → running: bulkdata/tests/test_bulkdata.py
    make_record.module_path,  # claimed pending → printing: records/tests/test_record.py
}


def tandem_tasks() -> set[str]:
    """Every task defined in a Tandem app's ``tasks`` module."""
    found = set()
    for app in apps.get_app_configs():
        if not app.name.startswith("tandem."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.tasks")
        except ModuleNotFoundError:
            continue
        found |= {
            value.module_path
            for value in vars(module).values()
            if isinstance(value, Task) and value.func.__module__ == module.__name__
        }
    return found


def test_every_task_is_checked_for_running_again() -> None:
    assert tandem_tasks() == CHECKED


def no_quiet_hours(world: World) -> None:
    Preference.objects.create(
        organization=world.org,
        member=world.guardian,
        quiet_start=datetime.time(0),
        quiet_end=datetime.time(0),
    )


def test_a_notification_email_run_again_is_not_sent_again(world: World) -> None:
    no_quiet_hours(world)
    post_message(world.therapist, world.child, "See you on Tuesday.")
    notification = Notification.objects.get(recipient=world.guardian, kind=Kind.NEW_MESSAGE)
    assert send_notification_email.call(str(notification.pk)) is True
    assert send_notification_email.call(str(notification.pk)) is False
    assert len(mail.outbox) == 1


@pytest.fixture
def practising(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """The guardian practises at home, is reminded at 18:00; now is a Wednesday 18:05."""
    monkeypatch.setattr(dispatch, "children_with_home_practice", lambda now: [world.child.id])
    Preference.objects.create(
        organization=world.org, member=world.guardian, practice_time=datetime.time(18)
    )
    wednesday = datetime.datetime(2027, 1, 13, 18, 5, tzinfo=ZoneInfo("America/Chicago"))
    with time_machine.travel(wednesday, tick=False):
        yield world


def test_the_reminder_dispatch_run_again_reminds_no_one_twice(practising: World) -> None:
    assert dispatch_due_reminders.call()["practice_reminders"] == 1
    assert dispatch_due_reminders.call()["practice_reminders"] == 0
    assert Notification.objects.filter(kind=Kind.PRACTICE_REMINDER).count() == 1
    assert len(mail.outbox) == 1


def test_an_invitation_run_again_is_not_sent_again(world: World) -> None:
    invite_person(world.admin, email="late@example.org", role=Role.THERAPIST)
    invitation = Invitation.objects.get(email="late@example.org")
    send_invitation.call(str(invitation.pk))
    send_invitation.call(str(invitation.pk))
    assert [m.to for m in mail.outbox] == [["late@example.org"]]


def test_a_pdf_run_again_is_not_printed_again(
    world: World, client_as: ClientAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    printed: list[str] = []

    def print_pdf(html: str) -> bytes:
        printed.append(html)
        return b"%PDF-1.7"

    monkeypatch.setattr("tandem.exports.tasks._print", print_pdf)
    period = {"start": "2024-01-01", "end": "2024-06-30", "register": "clinical"}
    url = reverse("progress:report_pdf", args=[world.child.id])
    client_as(world.therapist).get(url, period)
    export = Export.objects.get()
    assert make_export.call(str(export.pk)) == "ready"
    assert make_export.call(str(export.pk)) == "gone"
    assert len(printed) == 1


def test_a_consent_notice_run_again_is_not_sent_again(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """The family shares with a collaborator who signs in already: one notice, however
    often the queued task runs; sharing again is a new notice."""
    until = clock.today_for(world.org) + datetime.timedelta(days=30)
    email = world.collaborator.user.email
    with django_capture_on_commit_callbacks() as queued:
        grant_consent(
            world.guardian,
            world.child,
            email=email,
            role_title="Teacher",
            expires_on=until,
            can_see_summary=True,
        )
    for enqueue in queued * 3:  # the task queued, then run twice more (requeued)
        enqueue()
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        grant_consent(
            world.guardian,
            world.child,
            email=email,
            role_title="Teacher",
            expires_on=until,
            can_read_notes=True,
        )
    assert len(mail.outbox) == 2


def test_a_referral_email_run_again_is_not_sent_again(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as queued:
        referral = make_referral(world.org)
    for enqueue in queued * 3:
        enqueue()
    assert len(mail.outbox) == 1
    assert TaskClaim.objects.filter(organization=world.org, scope="referral-email").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_information(
            referral, world.admin, expected_version=referral.version, question="Which school?"
        )
    assert len(mail.outbox) == 2


def test_old_claims_are_pruned_with_the_idempotency_keys(world: World) -> None:
    assert once.claim(world.org.pk, "referral-email", "k1") is True
    assert once.claim(world.org.pk, "referral-email", "k1") is False
    assert once.prune(timezone.now() + datetime.timedelta(days=6)) == 0
    assert once.prune(timezone.now() + datetime.timedelta(days=8)) == 1
