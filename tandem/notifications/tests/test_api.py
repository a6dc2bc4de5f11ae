"""The notifications API: one's own list, marking read, and preferences."""

import json

from tandem.notifications.actions import notify_new_report
from tandem.notifications.models import Notification, Preference

API = "/api/v1/notifications"


def test_list_and_mark_read(world, client_as):
    notify_new_report(world.child, "Spring report")
    notify_new_report(world.sibling, "Spring report")
    client = client_as(world.guardian)
    listing = client.get(API).json()
    assert listing["unread"] == 2
    first = listing["notifications"][0]
    assert first["kind"] == "new_report" and "Spring report" in first["text"]
    response = client.post(
        f"{API}/read", json.dumps({"ids": [first["id"]]}), content_type="application/json"
    )
    assert response.json() == {"unread": 1}
    assert client.get(API, {"unread_only": True}).json()["unread"] == 1
    client.post(f"{API}/read", json.dumps({"all": True}), content_type="application/json")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_others_notifications_are_neither_listed_nor_marked(world, client_as):
    notify_new_report(world.child, "Report")
    theirs = Notification.objects.get()
    client = client_as(world.other_guardian)
    assert client.get(API).json() == {"unread": 0, "notifications": []}
    client.post(
        f"{API}/read", json.dumps({"ids": [str(theirs.id)]}), content_type="application/json"
    )
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_preferences_change_only_what_is_sent(world, client_as):
    client = client_as(world.guardian)
    assert client.get(f"{API}/preferences").json()["quiet_start"] == "21:00:00"
    response = client.put(
        f"{API}/preferences",
        json.dumps({"practice_days": [5, 6], "quiet_end": "08:15"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["practice_days"] == [5, 6]
    preference = Preference.objects.get()
    assert preference.practice_days == "5,6" and preference.new_messages is True
    bad = client.put(
        f"{API}/preferences", json.dumps({"practice_days": [9]}), content_type="application/json"
    )
    assert bad.status_code == 422
    unknown = client.put(
        f"{API}/preferences", json.dumps({"sms": True}), content_type="application/json"
    )
    assert unknown.status_code == 422


def test_a_time_with_a_time_zone_is_refused(world, client_as):
    """Quiet hours are the clinic's clock; a zone was a 500 on SQLite (found by fuzzing)."""
    client = client_as(world.guardian)
    for body in ({"quiet_start": "22:00:00+02:00"}, {"practice_time": "18:00Z"}):
        response = client.put(
            f"{API}/preferences", json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 422, body
    assert client.get(f"{API}/preferences").json()["quiet_start"] == "21:00:00"


def test_a_page_past_any_list_is_refused_not_a_crash(world, client_as):
    """An offset past the database's integers was a 500 on PostgreSQL (found by fuzzing)."""
    client = client_as(world.guardian)
    assert client.get(API, {"offset": 10**20}).status_code == 422
    assert client.get(API, {"offset": 1_000_000}).json()["notifications"] == []
