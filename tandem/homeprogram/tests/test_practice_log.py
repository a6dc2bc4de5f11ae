"""Guardians log practice in one or two taps, for their own children only."""

import datetime

import pytest
from django.urls import reverse

from tandem.core.testing import factories as f
from tandem.homeprogram.models import PracticeLog

from .helpers import log, make_activity, today

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`

HTMX = {"HTTP_HX_REQUEST": "true"}


def log_url(activity):
    return reverse("homeprogram:log_new", args=[activity.child_id, activity.id])


def test_one_tap_logs_done_today_and_returns_the_card(world, client_as):
    activity = make_activity(world.child, world.therapist)
    response = client_as(world.guardian).post(log_url(activity), {"outcome": "done"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="practice-' in body and "Logged today:" in body and "How did it go?" in body
    assert "1 of 3 this week" in body
    entry = PracticeLog.objects.get()
    assert (entry.outcome, entry.date, entry.logged_by) == ("done", today(), world.guardian)


def test_second_tap_says_how_it_went(world, client_as):
    activity = make_activity(world.child, world.therapist)
    entry = log(activity, world.guardian)
    url = reverse("homeprogram:log_update", args=[world.child.id, entry.id])
    response = client_as(world.guardian).post(url, {"how_it_went": "3"}, **HTMX)
    assert response.status_code == 200
    assert 'aria-pressed="true">It went well' in response.content.decode()
    entry.refresh_from_db()
    assert entry.how_it_went == 3 and entry.outcome == "done"


def test_not_today_asks_what_got_in_the_way(world, client_as):
    activity = make_activity(world.child, world.therapist)
    client = client_as(world.guardian)
    body = client.post(log_url(activity), {"outcome": "not_today"}, **HTMX).content.decode()
    assert "What got in the way?" in body and "Maya didn't want to" in body
    entry = PracticeLog.objects.get()
    url = reverse("homeprogram:log_update", args=[world.child.id, entry.id])
    client.post(url, {"barrier": "no_time"}, **HTMX)
    entry.refresh_from_db()
    assert entry.barrier == "no_time"
    client.post(url, {"barrier_other": "Grandma was visiting", "minutes": "", "note": ""}, **HTMX)
    entry.refresh_from_db()
    assert (entry.barrier, entry.barrier_other) == ("other", "Grandma was visiting")


def test_without_javascript_the_tap_returns_to_the_page(world, client_as):
    activity = make_activity(world.child, world.therapist)
    home = reverse("homeprogram:family_home")
    response = client_as(world.guardian).post(
        log_url(activity), {"outcome": "partly", "next": home}
    )
    assert response.status_code == 302 and response["Location"] == home
    off_site = client_as(world.guardian).post(
        log_url(activity), {"outcome": "done", "next": "https://evil.example/"}
    )
    assert off_site["Location"] == reverse("homeprogram:index", args=[world.child.id])


def test_bad_input_changes_nothing_and_says_why(world, client_as):
    activity = make_activity(world.child, world.therapist)
    client = client_as(world.guardian)
    refused = client.post(log_url(activity), {"outcome": "maybe"}, **HTMX)
    # 422: a refused entry is not taken for saved (the device's queue keeps it, offline.js)
    assert refused.status_code == 422
    assert "Choose done, partly or not today." in refused.content.decode()
    future = (today() + datetime.timedelta(days=2)).isoformat()
    body = client.post(log_url(activity), {"outcome": "done", "date": future}, **HTMX)
    assert body.status_code == 422
    assert "This day is still to come" in body.content.decode()
    assert not PracticeLog.objects.exists()


def test_minutes_out_of_range_are_refused(world, client_as):
    activity = make_activity(world.child, world.therapist)
    entry = log(activity, world.guardian)
    url = reverse("homeprogram:log_update", args=[world.child.id, entry.id])
    body = client_as(world.guardian).post(url, {"minutes": "900"}, **HTMX).content.decode()
    assert "less than or equal to 240" in body
    entry.refresh_from_db()
    assert entry.minutes is None


def test_undo_takes_the_log_back(world, client_as):
    activity = make_activity(world.child, world.therapist)
    entry = log(activity, world.guardian)
    url = reverse("homeprogram:log_undo", args=[world.child.id, entry.id])
    body = client_as(world.guardian).post(url, **HTMX).content.decode()
    assert "Removed." in body and "0 of 3 this week" in body
    assert not PracticeLog.objects.exists()
    assert PracticeLog.history.filter(id=entry.id, history_type="-").exists()


def test_staff_cannot_log_practice(world, client_as):
    activity = make_activity(world.child, world.therapist)
    for member in (world.therapist, world.admin):
        assert client_as(member).post(log_url(activity), {"outcome": "done"}).status_code == 404
    assert not PracticeLog.objects.exists()


def test_a_guardian_cannot_log_for_another_family(world, client_as):
    activity = make_activity(world.child, world.therapist)
    for outsider in (world.other_guardian, world.foreign_guardian):
        response = client_as(outsider).post(log_url(activity), {"outcome": "done"})
        assert response.status_code == 404
    assert not PracticeLog.objects.exists()


def test_a_second_guardian_cannot_change_the_first_ones_log(world, client_as):
    activity = make_activity(world.child, world.therapist)
    entry = log(activity, world.guardian)
    co_parent = f.GuardianLinkFactory(child=world.child).guardian
    for name in ("log_update", "log_undo"):
        url = reverse(f"homeprogram:{name}", args=[world.child.id, entry.id])
        assert client_as(co_parent).post(url, {"how_it_went": "1"}).status_code == 403
    entry.refresh_from_db()
    assert entry.how_it_went is None


def test_an_archived_activity_takes_no_new_logs(world, client_as):
    from tandem.homeprogram import actions

    activity = make_activity(world.child, world.therapist)
    actions.set_activity_status(activity, expected_version=1, status="archived")
    body = client_as(world.guardian).post(log_url(activity), {"outcome": "done"}, **HTMX)
    assert "no longer part of the program" in body.content.decode()
    assert not PracticeLog.objects.exists()
