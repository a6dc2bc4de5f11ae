"""The background task queue: no secrets in it, a killed worker's task runs again,
finished rows are pruned, email cannot hang the worker, admins see stuck tasks."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks, Settings

from tandem.accounts.models import Invitation, Role
from tandem.accounts.tasks import send_invitation
from tandem.conftest import World
from tandem.core.testing.text import found
from tandem.core.testing.types import ClientAs, Response

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def db_tasks(settings: Settings) -> None:
    """Tasks go into the database queue, as in production (tests default to running
    them at once)."""
    settings.TASKS = DB_TASKS


def invite(client: Client, email: str = "new.ot@example.org") -> Response:
    data = {
        "email": email,
        "first_name": "Nia",
        "last_name": "Ruiz",
        "role": Role.THERAPIST,
        "discipline": "ot",
        "licence": "licensed",
        "language": "en",
    }
    return client.post(reverse("accounts:invite"), data)


def run_worker() -> None:
    """``manage.py db_worker --batch``: run what is queued, then stop. (It closes "old"
    connections between tasks, which inside a test's transaction means the test's own.)"""
    from unittest import mock

    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def link_token(message: EmailMessage) -> str:
    return found(r"/accounts/invitation/([^/\s]+)/", message.body).group(1)


def test_the_task_table_holds_ids_never_the_invitation_token(
    world: World,
    client_as: ClientAs,
    db_tasks: None,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client_as(world.admin)).status_code == 302
    (row,) = DBTaskResult.objects.all()
    invitation = Invitation.objects.get(email="new.ot@example.org")
    assert row.args_kwargs == {"args": [str(invitation.pk)], "kwargs": {}}
    assert mail.outbox == []  # nothing sent before the worker runs
    run_worker()
    (message,) = mail.outbox
    token = link_token(message)
    stored = json.dumps(list(DBTaskResult.objects.values()), default=str)
    assert token not in stored
    assert token not in json.dumps(list(Invitation.objects.values()), default=str)
    # ...and the link in the email works (for the person it was sent to: nobody signed in).
    page = Client().get(f"/accounts/invitation/{token}/")
    assert page.status_code == 200


def test_an_invitation_task_run_twice_sends_one_email(
    world: World,
    client_as: ClientAs,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_as(world.admin))
    invitation = Invitation.objects.get(email="new.ot@example.org")
    assert invitation.sent_at is not None and len(mail.outbox) == 1
    hash_after_first = invitation.token_hash
    send_invitation.call(str(invitation.pk))
    invitation.refresh_from_db()
    assert len(mail.outbox) == 1 and invitation.token_hash == hash_after_first


def test_no_database_transaction_is_held_while_the_mail_server_talks(
    world: World,
    client_as: ClientAs,
    db_tasks: None,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On SQLite a transaction holds the write lock: a slow mail server must not block
    every other write. A failed send leaves the invitation unclaimed for a fresh run."""
    from tandem.accounts import tasks

    with django_capture_on_commit_callbacks(execute=True):
        invite(client_as(world.admin))
    invitation = Invitation.objects.get(email="new.ot@example.org")
    baseline = len(connection.atomic_blocks)  # the test's own transaction
    depths = []

    def failing_send_mail(*args: Any, **kwargs: Any) -> NoReturn:
        depths.append(len(connection.atomic_blocks))
        raise OSError("mail server down")

    monkeypatch.setattr(tasks, "send_mail", failing_send_mail)
    with pytest.raises(OSError):
        send_invitation.call(str(invitation.pk))
    assert depths == [baseline]
    invitation.refresh_from_db()
    assert invitation.sent_at is None and invitation.sending_at is None
    monkeypatch.undo()
    assert send_invitation.call(str(invitation.pk)) is True
    (message,) = mail.outbox
    assert Client().get(f"/accounts/invitation/{link_token(message)}/").status_code == 200
    # Another run while one is sending (a young lease) leaves it alone.
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=None, sending_at=timezone.now())
    assert send_invitation.call(str(invitation.pk)) is False


def test_a_withdrawn_invitation_is_not_sent(
    world: World,
    client_as: ClientAs,
    db_tasks: None,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_as(world.admin))
    invitation = Invitation.objects.get(email="new.ot@example.org")
    client_as(world.admin).post(reverse("accounts:revoke_invitation", args=[invitation.pk]))
    run_worker()
    assert mail.outbox == []


def _claimed_long_ago(row: DBTaskResult, workers: list[str]) -> None:
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - settings.TASK_STALE_AFTER - timedelta(minutes=1),
        worker_ids=workers,
    )


def test_a_task_left_running_by_a_dead_worker_runs_again_once(
    world: World,
    client_as: ClientAs,
    db_tasks: None,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_as(world.admin))
    (row,) = DBTaskResult.objects.all()
    _claimed_long_ago(row, ["killed-worker"])
    run_worker()
    assert mail.outbox == []  # the worker does not touch a RUNNING task by itself
    call_command("task_upkeep", verbosity=0)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    run_worker()
    run_worker()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and len(row.worker_ids) == 2
    assert len(mail.outbox) == 1


def test_a_task_that_is_still_within_its_time_is_left_running(world: World, db_tasks: None) -> None:
    send_invitation.enqueue("00000000-0000-0000-0000-000000000000")
    (row,) = DBTaskResult.objects.all()
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["alive"]
    )
    call_command("task_upkeep", verbosity=0)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING


def test_a_task_whose_workers_keep_dying_is_failed_not_retried_for_ever(
    world: World, db_tasks: None
) -> None:
    send_invitation.enqueue("00000000-0000-0000-0000-000000000000")
    (row,) = DBTaskResult.objects.all()
    _claimed_long_ago(row, [f"w{i}" for i in range(settings.TASK_MAX_ATTEMPTS)])
    call_command("task_upkeep", verbosity=0)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "tandem.core.taskqueue.WorkerLost"


def test_finished_task_rows_are_pruned(world: World, db_tasks: None) -> None:
    for _ in range(4):
        send_invitation.enqueue("00000000-0000-0000-0000-000000000000")
    old_done, old_failed, recent_done, waiting = DBTaskResult.objects.order_by("enqueued_at")
    long_ago = timezone.now() - timedelta(days=settings.TASK_RESULTS_KEEP_DAYS + 1)
    DBTaskResult.objects.filter(pk=old_done.pk).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=long_ago
    )
    DBTaskResult.objects.filter(pk=old_failed.pk).update(
        status=TaskResultStatus.FAILED, finished_at=long_ago
    )
    DBTaskResult.objects.filter(pk=recent_done.pk).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now()
    )
    call_command("task_upkeep", verbosity=0)
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent_done.pk, waiting.pk}


def test_email_has_a_timeout() -> None:
    assert settings.EMAIL_TIMEOUT and settings.EMAIL_TIMEOUT <= 60
    smtp = get_connection("django.core.mail.backends.smtp.EmailBackend")
    assert isinstance(smtp, SmtpBackend)
    assert smtp.timeout == settings.EMAIL_TIMEOUT


def test_admins_see_stuck_and_failed_tasks(
    world: World,
    client_as: ClientAs,
    db_tasks: None,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    send_invitation.enqueue("00000000-0000-0000-0000-000000000000")
    send_invitation.enqueue("00000000-0000-0000-0000-000000000001")
    stuck, failed = DBTaskResult.objects.all()
    _claimed_long_ago(stuck, ["w1"])
    DBTaskResult.objects.filter(pk=failed.pk).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="smtplib.SMTPServerDisconnected",
        traceback="secret-looking traceback",
    )
    admin = client_as(world.admin)
    with django_assert_max_num_queries(
        24
    ):  # the session, membership, MFA and menu: as the people page
        page = admin.get(reverse("accounts:task_queue"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="task-row"') == 2
    assert "send_invitation" in html and "smtplib.SMTPServerDisconnected" in html
    assert "00000000-0000-0000-0000-000000000000" not in html  # arguments are not shown
    assert "secret-looking traceback" not in html
    assert reverse("accounts:task_queue") in admin.get(reverse("accounts:people")).content.decode()
    assert client_as(world.therapist).get(reverse("accounts:task_queue")).status_code == 404


def test_a_healthy_queue_says_so(world: World, client_as: ClientAs, db_tasks: None) -> None:
    page = client_as(world.admin).get(reverse("accounts:task_queue"))
    assert 'id="queue-healthy"' in page.content.decode()


# --- A real worker process, killed in the middle of a task ---------------------------


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the worker process needs to share the test database (PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_process_task_is_requeued_and_runs_once(
    world: World, settings: Settings
) -> None:
    """A real ``db_worker`` claims an invitation email and hangs on a mail server that
    never answers; it is killed. The upkeep puts the task back; it then runs once."""
    from tandem.accounts.actions import invite_person

    settings.TASKS = DB_TASKS
    invite_person(world.admin, email="late@example.org", role=Role.THERAPIST)
    (row,) = DBTaskResult.objects.all()
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never says a word
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
        "TANDEM_TESTING": "1",
        "DATABASE_URL": (
            f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'] or '')}"
            f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(silent.getsockname()[1]),
        "EMAIL_TIMEOUT_SECONDS": "600",
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(1200):  # until the worker has claimed the task (at most 2 minutes)
            row.refresh_from_db()
            if row.status == TaskResultStatus.RUNNING:
                break
            time.sleep(0.1)
        assert row.status == TaskResultStatus.RUNNING
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
        silent.close()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING  # what a killed worker leaves behind
    assert Invitation.objects.get().sent_at is None  # its transaction was rolled back
    settings.TASK_STALE_AFTER = timedelta(0)
    call_command("task_upkeep", verbosity=0)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    run_worker()
    run_worker()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert [m.to for m in mail.outbox] == [["late@example.org"]]
    assert Invitation.objects.get().sent_at is not None
