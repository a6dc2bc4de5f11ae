"""The notification list, the badge in the navigation, opening one, and the settings page."""

import datetime

import pytest
from django.urls import reverse

from tandem.children.models import CareTeamMember
from tandem.messaging import actions as messaging
from tandem.notifications.actions import notify, notify_new_report
from tandem.notifications.models import Kind, Notification, Preference

INDEX = reverse("notifications:index")


def test_the_list_shows_the_members_own_notifications(world, client_as):
    messaging.post_message(world.therapist, world.child, "Hello")
    notify_new_report(world.sibling, "Spring report")
    body = client_as(world.guardian).get(INDEX).content.decode()
    assert "New message about Maya Okafor" in body
    assert "A new report for Eli Okafor" in body
    assert "Spring report" in body
    other = client_as(world.other_guardian).get(INDEX).content.decode()
    assert "Maya" not in other and "Nothing new" in other


def test_the_badge_counts_unread_notifications(world, client_as):
    for _ in range(2):
        notify_new_report(world.child, "Report")
    body = client_as(world.guardian).get(reverse("homeprogram:family_home")).content.decode()
    assert 'class="notification-badge"' in body and ">2<span" in body
    assert 'class="notification-badge"' not in (
        client_as(world.therapist).get(reverse("children:caseload")).content.decode()
    )


def _badge(client) -> str:
    body = client.get(reverse("homeprogram:family_home")).content.decode()
    if 'class="notification-badge"' not in body:
        return "none"
    start = body.index('class="notification-badge"')
    return body[body.index(">", start) + 1 : body.index("<span", start)]


def test_the_badge_is_kept_while_nothing_changes_and_recounted_when_something_does(
    world, client_as
):
    """The count lives in the session with the member's inbox stamp (issue 16): a page
    does not count notifications again until one is created or read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(world.guardian)
    notify_new_report(world.child, "Report")
    assert _badge(client) == "1"
    with CaptureQueriesContext(connection) as queries:
        assert _badge(client) == "1"
    assert not [q for q in queries if "notifications_notification" in q["sql"]]
    notify_new_report(world.child, "Another report")
    assert _badge(client) == "2"
    client.post(reverse("notifications:read_all"))
    assert _badge(client) == "none"
    messaging.post_message(world.therapist, world.child, "Hello")
    assert _badge(client) == "1"
    client.get(reverse("messaging:index", args=[world.child.id]))
    assert _badge(client) == "none"


def test_opening_a_notification_marks_it_read_and_goes_there(world, client_as):
    messaging.post_message(world.therapist, world.child, "Hello")
    notification = Notification.objects.get(recipient=world.guardian)
    response = client_as(world.guardian).post(
        reverse("notifications:open"), {"notification": notification.id}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:index", args=[world.child.id])
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_cannot_be_opened(world, client_as):
    notify_new_report(world.child, "Report")
    notification = Notification.objects.get()
    client = client_as(world.other_guardian)
    response = client.post(reverse("notifications:open"), {"notification": notification.id})
    assert response.status_code == 404
    bad = client.post(reverse("notifications:open"), {"notification": "not-a-uuid"})
    assert bad.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(world, client_as):
    notify_new_report(world.child, "Report")
    notify_new_report(world.sibling, "Report")
    client_as(world.guardian).post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_a_child_no_longer_seen_takes_its_notifications_with_it(world, client_as):
    notify([world.therapist], Kind.HANDOFF, child=world.child, actor_name="A colleague")
    client = client_as(world.therapist)
    assert "Hand-off about Maya" in client.get(INDEX).content.decode()
    CareTeamMember.objects.filter(child=world.child, therapist=world.therapist).delete()
    assert "Maya" not in client.get(INDEX).content.decode()


@pytest.mark.parametrize("count", [2, 40])
def test_list_query_count_is_bounded(world, client_as, django_assert_max_num_queries, count):
    for n in range(count):
        notify_new_report(world.child if n % 2 else world.sibling, f"Report {n}")
    client = client_as(world.guardian)
    client.get(INDEX)  # the first request records the device and keeps the badge
    # The session, the member with their clinic, the page's count and rows (the badge
    # is kept in the session).
    with django_assert_max_num_queries(4):
        response = client.get(INDEX)
    assert response.status_code == 200


def test_guardian_chooses_practice_days_time_and_quiet_hours(world, client_as):
    client = client_as(world.guardian)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Remind me to practise" in page and "Quiet hours" in page
    response = client.post(
        reverse("notifications:preferences"),
        {
            "practice_reminders": "on",
            "practice_days": ["0", "3"],
            "practice_time": "19:15",
            "new_messages": "on",
            "by_email": "on",
            "quiet_start": "20:30",
            "quiet_end": "08:00",
        },
    )
    assert response.status_code == 302
    preference = Preference.objects.get(member=world.guardian)
    assert preference.practice_days == "0,3"
    assert preference.practice_time == datetime.time(19, 15)
    assert not preference.new_reports and not preference.checkin_reminders
    assert preference.quiet_start == datetime.time(20, 30)


def test_reminders_need_a_day(world, client_as):
    data = {"practice_reminders": "on", "practice_time": "18:00"}
    data |= {"quiet_start": "21:00", "quiet_end": "07:30"}
    response = client_as(world.guardian).post(reverse("notifications:preferences"), data)
    assert response.status_code == 200
    assert "Choose at least one day" in response.content.decode()
    assert not Preference.objects.exists()


def test_staff_settings_have_no_practice_reminders(world, client_as):
    client = client_as(world.therapist)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Remind me to practise" not in page
    client.post(
        reverse("notifications:preferences"),
        {"quiet_start": "22:00", "quiet_end": "06:00", "by_email": "on"},
    )
    preference = Preference.objects.get(member=world.therapist)
    assert not preference.new_messages and preference.by_email
    assert preference.practice_reminders  # untouched default
