"""A practice log or an observation sent twice (a retry, a double tap, two requests at
the same moment) with one idempotency key is recorded once; the same answer comes back."""

import json
import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from tandem.conftest import build_world, sign_in
from tandem.core import idempotency
from tandem.core.models import IdempotencyKey
from tandem.core.testing import schema_cache
from tandem.homeprogram.models import Observation, PracticeLog

from .helpers import goal_of, make_activity, today

HTMX = {"HTTP_HX_REQUEST": "true"}
LOGS_API = "/api/v1/children/{child}/practice-logs"


def log_url(activity):
    return reverse("homeprogram:log_new", args=[activity.child_id, activity.id])


def api_post(client, url, data, key):
    return client.post(
        url, json.dumps(data), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )


def test_a_resent_practice_tap_logs_once(world, client_as):
    activity = make_activity(world.child, world.therapist)
    client = client_as(world.guardian)
    data = {"outcome": "done", "idempotency_key": "card-render-0001"}
    first = client.post(log_url(activity), data, **HTMX)
    again = client.post(log_url(activity), data, **HTMX)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert PracticeLog.objects.count() == 1
    # The card it answers with carries a new key: the next tap logs again.
    assert "card-render-0001" not in first.content.decode()
    assert 'name="idempotency_key"' in first.content.decode()
    client.post(log_url(activity), {**data, "idempotency_key": "card-render-0002"}, **HTMX)
    assert PracticeLog.objects.count() == 2


def test_without_javascript_a_resent_form_redirects_like_the_first(world, client_as):
    activity = make_activity(world.child, world.therapist)
    client = client_as(world.guardian)
    data = {"outcome": "partly", "idempotency_key": "page-render-0001"}
    first = client.post(log_url(activity), data)
    again = client.post(log_url(activity), data)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert PracticeLog.objects.count() == 1


@pytest.mark.urls("tandem.homeprogram.tests.api_urls")
def test_the_api_replays_a_retried_practice_log(world, client_as):
    activity = make_activity(world.child, world.therapist)
    client = client_as(world.guardian)
    url = LOGS_API.format(child=world.child.id)
    body = {"activity_id": str(activity.id), "outcome": "done", "minutes": 8}
    first = api_post(client, url, body, "phone-retry-0001")
    again = api_post(client, url, body, "phone-retry-0001")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert PracticeLog.objects.count() == 1
    assert api_post(client, url, body, "phone-retry-0002").status_code == 201
    assert PracticeLog.objects.count() == 2
    bad = api_post(client, url, body, "no spaces allowed")
    assert bad.status_code == 422 and "Idempotency-Key" in bad.json()["detail"]
    assert PracticeLog.objects.count() == 2


@pytest.mark.urls("tandem.homeprogram.tests.api_urls")
def test_a_refused_write_gives_its_key_back(world, client_as):
    activity = make_activity(world.child, world.therapist)
    client = client_as(world.guardian)
    url = LOGS_API.format(child=world.child.id)
    body = {"activity_id": str(activity.id), "outcome": "done", "minutes": 9999}
    assert api_post(client, url, body, "fixed-later-0001").status_code == 422
    body["minutes"] = 9
    assert api_post(client, url, body, "fixed-later-0001").status_code == 201
    assert PracticeLog.objects.count() == 1


def test_a_page_answer_too_large_to_store_replays_as_a_reload(world, client_as, monkeypatch):
    monkeypatch.setattr(idempotency, "MAX_STORED", 10)  # the card is more than 10 characters
    activity = make_activity(world.child, world.therapist)
    client = client_as(world.guardian)
    data = {"outcome": "done", "idempotency_key": "big-card-0001"}
    assert client.post(log_url(activity), data, **HTMX).status_code == 200
    again = client.post(log_url(activity), data, **HTMX)
    assert again.status_code == 204 and again["HX-Refresh"] == "true"
    assert again["Idempotent-Replayed"] == "true"
    assert PracticeLog.objects.count() == 1
    # Without htmx the page is asked for again (a GET), never answered with an empty 200.
    stored = IdempotencyKey.objects.get(key="big-card-0001")
    stored.response_location = ""
    request = RequestFactory().post(log_url(activity))
    page = idempotency.replay(stored, request)
    assert page.status_code == 303 and page["Location"] == log_url(activity)


@pytest.mark.urls("tandem.homeprogram.tests.api_urls")
def test_an_api_answer_too_large_to_store_replays_as_a_409(world, client_as, monkeypatch):
    monkeypatch.setattr(idempotency, "MAX_STORED", 10)
    activity = make_activity(world.child, world.therapist)
    client = client_as(world.guardian)
    url = LOGS_API.format(child=world.child.id)
    body = {"activity_id": str(activity.id), "outcome": "done", "minutes": 8}
    assert api_post(client, url, body, "big-answer-0001").status_code == 201
    again = api_post(client, url, body, "big-answer-0001")
    assert again.status_code == 409 and again["Idempotent-Replayed"] == "true"
    assert again.json() == {"detail": "This request was already processed; fetch the record again."}
    assert PracticeLog.objects.count() == 1


def test_keys_belong_to_one_member(world, client_as):
    ours = make_activity(world.child, world.therapist)
    theirs = make_activity(world.other_child, world.therapist)
    data = {"outcome": "done", "idempotency_key": "shared-key-0001"}
    assert client_as(world.guardian).post(log_url(ours), data, **HTMX).status_code == 200
    assert client_as(world.other_guardian).post(log_url(theirs), data, **HTMX).status_code == 200
    assert PracticeLog.objects.count() == 2


def test_a_resent_observation_is_recorded_once(world, client_as):
    goal = goal_of(world.child, world.therapist)
    client = client_as(world.guardian)
    url = reverse("homeprogram:observation_new", args=[world.child.id])
    data = {
        "goal": str(goal.id),
        "setting": "school",
        "independence": "independent",
        "observed_on": today().isoformat(),
        "note": "Buttoned her coat for break time.",
        "idempotency_key": "observe-0001",
    }
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert client.post(url, data)["Location"] == first["Location"]
    assert Observation.objects.count() == 1


def test_old_keys_are_pruned(world, client_as):
    activity = make_activity(world.child, world.therapist)
    client_as(world.guardian).post(
        log_url(activity), {"outcome": "done", "idempotency_key": "old-key-0001"}
    )
    assert IdempotencyKey.objects.count() == 1
    call_command("prune_idempotency_keys")
    assert IdempotencyKey.objects.count() == 1  # kept for a week
    assert idempotency.prune(timezone.now() + idempotency.RETENTION * 2) == 1
    assert IdempotencyKey.objects.count() == 0


def test_task_upkeep_prunes_keys_older_than_a_week_and_keeps_newer(world, client_as, settings):
    """bin/run repeats task_upkeep: stored answers (clinical data) do not pile up."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # production's
    activity = make_activity(world.child, world.therapist)
    client = client_as(world.guardian)
    for key in ("upkeep-old-0001", "upkeep-new-0001"):
        client.post(log_url(activity), {"outcome": "done", "idempotency_key": key})
    now = timezone.now()
    keys = IdempotencyKey.objects.all()
    keys.filter(key="upkeep-old-0001").update(created_at=now - timedelta(days=7, minutes=1))
    keys.filter(key="upkeep-new-0001").update(created_at=now - timedelta(days=6, hours=23))
    call_command("task_upkeep", verbosity=0)
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["upkeep-new-0001"]


# --- Two requests at the same moment ------------------------------------------------


def _at_once(send, n=2):
    """Send ``n`` requests from their own threads at the same moment; return the answers."""
    start = threading.Barrier(n)
    answers = [None] * n

    def run(i):
        try:
            start.wait()
            answers[i] = send()
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database locks tables instead of waiting for them "
    "(a SQLite file in WAL mode, as deployed, starts each write transaction IMMEDIATE "
    "and waits up to 20 s for the other writer)",
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_practice_taps_with_one_key_log_once():
    world = build_world()
    activity = make_activity(world.child, world.therapist)
    clients = [sign_in(Client(), world.guardian) for _ in range(2)]
    data = {"outcome": "done", "idempotency_key": "same-moment-0001"}
    turns = iter(clients)
    lock = threading.Lock()

    def send():
        with lock:
            client = next(turns)
        return client.post(log_url(activity), data, **HTMX)

    answers = _at_once(send)
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].content == answers[1].content
    assert PracticeLog.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


@pytest.mark.skipif(connection.vendor == "sqlite", reason="as above: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tandem.homeprogram.tests.api_urls")
def test_two_simultaneous_api_posts_with_one_key_log_once():
    world = build_world()
    activity = make_activity(world.child, world.therapist)
    clients = iter([sign_in(Client(), world.guardian) for _ in range(2)])
    lock = threading.Lock()
    url = LOGS_API.format(child=world.child.id)
    body = {"activity_id": str(activity.id), "outcome": "done"}

    def send():
        with lock:
            client = next(clients)
        return api_post(client, url, body, "same-moment-api-0001")

    answers = _at_once(send)
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert PracticeLog.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL runs the tests above")
def test_two_simultaneous_taps_on_a_sqlite_file_log_once(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
    }
    schema_cache.copy_sqlite_schema(tmp_path / "race.sqlite3")  # the script's migrate: a no-op
    script = Path(__file__).with_name("race_sqlite.py")
    done = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["vendor"] == "sqlite"
    assert result["logs"] == len(result["rounds"])  # one log per key
    for answer in result["rounds"]:
        assert answer == {"statuses": [200, 200], "same_body": True, "replayed": 1}
