"""What the server does with entries kept offline and sent when the connection is back,
sent as offline.js sends them: in order, each with its own idempotency key, the later
ones carrying the version and trials the earlier answers gave (their hx-swap-oob fields).
Every entry is recorded once; a resent one is answered from its key; an entry for a note
signed meanwhile is refused with a message, and the signed note stays as it was."""

import datetime
import html
import re
from typing import Any

from django.test import Client
from django.urls import reverse

from tandem.conftest import World
from tandem.homeprogram import actions as homeprogram
from tandem.homeprogram.models import PracticeLog
from tandem.homeprogram.tests.helpers import make_activity, today
from tandem.notes import actions
from tandem.notes.models import GoalData, SessionNote
from tandem.notes.tests.helpers import editor_data, make_note

OOB_FIELD = re.compile(r'<input type="hidden" name="([^"]+)"[^>]*value="([^"]*)"')


def moved_fields(response: Any) -> dict[str, str]:
    """The hidden fields an answer moves on (the note's version, a goal's trials)."""
    return {
        name: html.unescape(value) for name, value in OOB_FIELD.findall(response.content.decode())
    }


def send_in_order(client: Client, url: str, kept: list[dict[str, Any]]) -> list[Any]:
    moved: dict[str, str] = {}
    answers = []
    for entry in kept:
        data = {**entry, **{k: v for k, v in moved.items() if k in entry}}
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        if response.status_code == 200:
            moved |= moved_fields(response)
        answers.append((data, response))
    return answers


def kept_offline(note: SessionNote, goal_id: Any) -> list[dict[str, Any]]:
    """Three entries made offline on the version the editor had: all carry that version
    and the trials as they were (the answers that would have moved them never came); each
    carries the form as it was then (text typed before it included)."""
    base = editor_data(note)
    return [
        {**base, "trial": f"{goal_id}:correct", f"goal-{goal_id}-prompt": "verbal",
         "idempotency_key": "offline-tap-0001"},
        {**base, "objective": "Buttoned her coat.", "idempotency_key": "offline-save-0002"},
        {**base, "objective": "Buttoned her coat.", "trial": f"{goal_id}:incorrect",
         f"goal-{goal_id}-prompt": "model", "idempotency_key": "offline-tap-0003"},
    ]  # fmt: skip


def test_entries_kept_offline_are_each_recorded_once(world: World, client_as) -> None:  # type: ignore[no-untyped-def]
    note = make_note(world.child, world.therapist, data={}, objective="")
    entry = GoalData.objects.get(note=note)
    url = reverse("notes:edit", args=[world.child.id, note.id])
    client = client_as(world.therapist)

    answers = send_in_order(client, url, kept_offline(note, entry.goal_id))
    assert [response.status_code for _data, response in answers] == [200, 200, 200]
    entry.refresh_from_db()
    note.refresh_from_db()
    assert entry.trials == [
        {"correct": True, "prompt": "verbal"},
        {"correct": False, "prompt": "model"},
    ]
    assert note.objective == "Buttoned her coat."

    # The first entry's answer was lost: offline.js sends it again, with its key.
    first, _answer = answers[0]
    again = client.post(url, first, HTTP_HX_REQUEST="true")
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    # …answered with the note as it is now, so the entries after it go on from there.
    assert moved_fields(again)["version"] == str(note.version)
    entry.refresh_from_db()
    assert len(entry.trials) == 2  # counted once


def test_an_entry_for_a_note_signed_meanwhile_is_refused(world: World, client_as) -> None:  # type: ignore[no-untyped-def]
    note = make_note(world.child, world.therapist)
    entry = GoalData.objects.get(note=note)
    trials = list(entry.trials)
    url = reverse("notes:edit", args=[world.child.id, note.id])
    client = client_as(world.therapist)
    kept = kept_offline(note, entry.goal_id)
    actions.sign_note(note, world.therapist, expected_version=note.version)

    answers = send_in_order(client, url, kept)
    assert {response.status_code for _data, response in answers} == {409}
    for _data, response in answers:
        assert (
            "This note is signed and locked. Add an addendum instead." in response.content.decode()
        )
        assert 'role="alert"' in response.content.decode()  # offline.js shows this text
    entry.refresh_from_db()
    assert entry.trials == trials


def test_a_practice_kept_since_yesterday_is_logged_for_yesterday_once(
    world: World,
    client_as,  # type: ignore[no-untyped-def]
) -> None:
    activity = make_activity(world.child, world.therapist)
    url = reverse("homeprogram:log_new", args=[world.child.id, activity.id])
    client = client_as(world.guardian)
    yesterday = today() - datetime.timedelta(days=1)
    kept = {"outcome": "done", "idempotency_key": "card-offline-0001", "date": yesterday}
    first = client.post(url, kept, HTTP_HX_REQUEST="true")
    again = client.post(url, kept, HTTP_HX_REQUEST="true")  # its answer was lost: sent again
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    logged = PracticeLog.objects.get()
    assert (logged.date, logged.outcome) == (yesterday, "done")


def test_a_practice_the_server_refuses_is_not_answered_as_saved(
    world: World,
    client_as,  # type: ignore[no-untyped-def]
) -> None:
    """offline.js deletes an entry answered 2xx: a refused practice is answered 422 (the
    card with the reason, role=alert), so that the device keeps it and shows why."""
    activity = make_activity(world.child, world.therapist)
    url = reverse("homeprogram:log_new", args=[world.child.id, activity.id])
    homeprogram.set_activity_status(activity, expected_version=activity.version, status="archived")
    kept = {"outcome": "done", "idempotency_key": "card-offline-0002"}
    refused = client_as(world.guardian).post(url, kept, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422
    body = refused.content.decode()
    assert 'role="alert"' in body and "no longer part of the program" in body
    assert not PracticeLog.objects.exists()
