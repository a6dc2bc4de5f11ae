"""'Today' is the clinic's date, seen from the user's side, at pinned instants.

Each test stops the clock (time-machine) at a moment when the clinic's date and UTC's
differ: in winter Chicago is UTC-6 (19:30 there is 01:30 UTC tomorrow), Honolulu UTC-10
(no daylight saving), New York UTC-5. Reminders and quiet hours are checked across
Chicago's daylight-saving changes (8 March and 1 November 2026).
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.api.tests.conftest import bearer, make_token
from tandem.appointments.tests.helpers import make_appointment
from tandem.conftest import World
from tandem.core import clock
from tandem.core.testing.types import ClientAs
from tandem.messaging import actions as messaging
from tandem.messaging.models import CheckInSchedule
from tandem.notes.models import NoteStatus, SessionNote
from tandem.notes.tests.helpers import editor_data, make_note
from tandem.notifications import dispatch
from tandem.notifications.actions import save_preferences
from tandem.notifications.dispatch import dispatch_due
from tandem.notifications.models import EmailState, Kind, Notification
from tandem.plans.tests.helpers import make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

UTC = datetime.UTC
CHICAGO = ZoneInfo("America/Chicago")
HONOLULU = ZoneInfo("Pacific/Honolulu")
NEW_YORK = ZoneInfo("America/New_York")
FUTURE = "A session in the future cannot be signed."


def day(month: int, number: int) -> datetime.date:
    return datetime.date(2026, month, number)


def at(
    zone: datetime.tzinfo, month: int, number: int, hour: int, minute: int = 0
) -> datetime.datetime:
    return datetime.datetime(2026, month, number, hour, minute, tzinfo=zone)


def move_clinic(world: World, zone: ZoneInfo) -> None:
    clinic = world.child.organization  # the world's clinic (``world.org``), typed
    clinic.timezone = zone.key
    clinic.save()


def sign_url(note: SessionNote) -> str:
    return reverse("notes:sign", args=[note.child_id, note.id])


# --- The clock itself ------------------------------------------------------------------


def test_the_clinics_today_is_not_utcs() -> None:
    with time_machine.travel(at(CHICAGO, 12, 3, 19, 30), tick=False):
        assert clock.now() == at(UTC, 12, 4, 1, 30)
        assert clock.today_for("America/Chicago") == day(12, 3)
        assert clock.today_for("Pacific/Honolulu") == day(12, 3)
        assert clock.today_for("Europe/Berlin") == day(12, 4)
        with timezone.override("UTC"):  # no clinic active (a task): UTC, hence today_for
            assert clock.today() == day(12, 4)
        with timezone.override("America/Chicago"):  # what a request of a Chicago member sets
            assert clock.today() == day(12, 3)


# --- A therapist in Chicago at 19:30 -------------------------------------------------


def test_a_therapist_in_chicago_at_half_past_seven_signs_todays_note(
    world: World, client_as: ClientAs
) -> None:
    with time_machine.travel(at(CHICAGO, 12, 3, 19, 30)):
        client = client_as(world.therapist)
        page = client.get(reverse("notes:new", args=[world.child.id])).content.decode()
        assert 'value="2026-12-03"' in page  # a new note is dated the clinic's today

        note = make_note(world.child, world.therapist, date=day(12, 3))
        response = client.post(sign_url(note), editor_data(note))
        assert response.status_code == 302
        note.refresh_from_db()
        assert note.status == NoteStatus.SIGNED

        # 4 December is UTC's today but tomorrow in Chicago: not signable yet.
        tomorrow = make_note(world.child, world.therapist, date=day(12, 4))
        response = client.post(sign_url(tomorrow), editor_data(tomorrow))
        assert response.status_code == 200
        assert FUTURE in response.content.decode()
        assert SessionNote.objects.get(pk=tomorrow.pk).status == NoteStatus.DRAFT


def test_over_an_api_token_the_clinics_date_decides_too(world: World, client: Client) -> None:
    headers = bearer(make_token(world.therapist))
    with time_machine.travel(at(CHICAGO, 12, 3, 19, 30)):
        tomorrow = make_note(world.child, world.therapist, date=day(12, 4))
        path = f"/api/v1/children/{world.child.id}/notes/{tomorrow.id}/sign"
        response = client.post(
            path, {"version": tomorrow.version}, content_type="application/json", headers=headers
        )
        assert response.status_code == 422
        assert FUTURE in response.content.decode()

        today = make_note(world.child, world.therapist, date=day(12, 3))
        path = f"/api/v1/children/{world.child.id}/notes/{today.id}/sign"
        response = client.post(
            path, {"version": today.version}, content_type="application/json", headers=headers
        )
        assert response.status_code == 200
        assert response.json()["status"] == NoteStatus.SIGNED

        # A check-in due on 4 December is not due yet in Chicago, whatever UTC says.
        schedule_due_on(world, day(12, 4))
        due = client.get(f"/api/v1/children/{world.child.id}/check-ins/due", headers=headers)
        assert due.json() == {"due": False, "due_on": None}


# --- A family in Honolulu ---------------------------------------------------------------


def schedule_due_on(world: World, due: datetime.date) -> CheckInSchedule:
    return messaging.set_checkin_schedule(
        world.therapist, world.child, every=1, unit="months", next_due_on=due, is_active=True
    )


def checkin_shown(client: Client, world: World) -> bool:
    page = client.get(reverse("messaging:index", args=[world.child.id])).content.decode()
    return "Time for a short check-in" in page


def test_a_family_in_honolulu_sees_todays_check_in_in_the_evening(
    world: World, client_as: ClientAs
) -> None:
    move_clinic(world, HONOLULU)
    # 20:00 on 3 December in Honolulu is 06:00 on 4 December in UTC (and in Chicago, 00:00).
    with time_machine.travel(at(HONOLULU, 12, 3, 20)):
        family = client_as(world.guardian)
        schedule = schedule_due_on(world, day(12, 3))
        assert checkin_shown(family, world)
        api = family.get(f"/api/v1/children/{world.child.id}/check-ins/due").json()
        assert api == {"due": True, "due_on": "2026-12-03"}

        messaging.set_checkin_schedule(
            world.therapist, world.child, expected_version=schedule.version, next_due_on=day(12, 4)
        )
        assert not checkin_shown(family, world)  # due tomorrow in Honolulu
        api = family.get(f"/api/v1/children/{world.child.id}/check-ins/due").json()
        assert api == {"due": False, "due_on": None}


def test_a_family_in_honolulu_reads_today_and_tomorrow_on_their_clock(
    world: World, client_as: ClientAs
) -> None:
    move_clinic(world, HONOLULU)
    with time_machine.travel(at(HONOLULU, 12, 3, 20)):
        make_appointment(world.child, world.therapist, at(HONOLULU, 12, 3, 21))
        make_appointment(world.sibling, world.therapist, at(HONOLULU, 12, 4, 9))
        body = client_as(world.guardian).get(reverse("appointments:family")).content.decode()
    # 21:00 tonight is "Today" (UTC says 7:00 tomorrow); 9:00 tomorrow is "Tomorrow".
    assert body.count("<strong>Today</strong>") == 1
    assert body.count("<strong>Tomorrow</strong>") == 1
    assert body.index("<strong>Today</strong>") < body.index("<strong>Tomorrow</strong>")
    assert "9 p.m." in body and "9 a.m." in body  # clinic time, not UTC
    assert "Pacific/Honolulu" in body


# --- A clinic in New York, late in the evening ----------------------------------------


def test_a_new_york_clinic_at_half_past_eleven_is_still_on_today(
    world: World, client_as: ClientAs
) -> None:
    move_clinic(world, NEW_YORK)
    # 23:30 on 3 December in New York is 04:30 on 4 December in UTC.
    with time_machine.travel(at(NEW_YORK, 12, 3, 23, 30)):
        make_plan(
            world.child, world.therapist, start_date=day(6, 1), review_date=day(12, 3)
        )  # due for review today: not overdue yet
        plans = client_as(world.therapist).get(reverse("plans:index", args=[world.child.id]))
        assert "Review overdue" not in plans.content.decode()

        schedule_due_on(world, day(12, 2))  # yesterday's check-in: still due (overdue)
        assert checkin_shown(client_as(world.guardian), world)

        make_appointment(world.child, world.therapist, at(NEW_YORK, 12, 4, 0, 15))
        body = client_as(world.guardian).get(reverse("appointments:family")).content.decode()
        assert "<strong>Tomorrow</strong>" in body and "<strong>Today</strong>" not in body

    with time_machine.travel(at(NEW_YORK, 12, 4, 0, 30)):
        plans = client_as(world.therapist).get(reverse("plans:index", args=[world.child.id]))
        assert "Review overdue" in plans.content.decode()  # one minute past midnight, and on


# --- Reminders and quiet hours when the clocks change (Chicago) --------------------------


def test_a_check_in_reminder_on_the_spring_forward_night_waits_until_half_past_seven(
    world: World,
) -> None:
    with time_machine.travel(at(CHICAGO, 3, 1, 12)):
        schedule_due_on(world, day(3, 8))
    # 23:30 on 7 March in Chicago is already 8 March in UTC: not due yet.
    assert dispatch_due(at(CHICAGO, 3, 7, 23, 30)).checkin_reminders == 0
    raised = at(CHICAGO, 3, 8, 0, 30)  # CST (UTC-6); at 02:00 the clocks go to 03:00 CDT
    assert dispatch_due(raised).checkin_reminders == 1
    waiting = Notification.objects.get(kind=Kind.CHECKIN_DUE, recipient=world.guardian)
    assert waiting.email_state == EmailState.PENDING
    # Quiet until 07:30 on the clinic's clock, which is now UTC-5: 12:30 UTC, not 13:30.
    assert waiting.email_due_at == at(UTC, 3, 8, 12, 30)
    dispatch_due(at(UTC, 3, 8, 12, 25))
    assert mail.outbox == []
    assert dispatch_due(at(UTC, 3, 8, 12, 35)).emails_sent == 1
    assert dispatch_due(at(CHICAGO, 3, 8, 9)).checkin_reminders == 0  # once only


def test_a_check_in_reminder_on_the_fall_back_night_waits_until_half_past_seven(
    world: World,
) -> None:
    with time_machine.travel(at(CHICAGO, 10, 25, 12)):
        schedule_due_on(world, day(11, 1))
    assert dispatch_due(at(CHICAGO, 10, 31, 23, 30)).checkin_reminders == 0
    assert dispatch_due(at(CHICAGO, 11, 1, 0, 30)).checkin_reminders == 1  # CDT (UTC-5)
    waiting = Notification.objects.get(kind=Kind.CHECKIN_DUE, recipient=world.guardian)
    # At 02:00 CDT the clocks go back to 01:00 CST (UTC-6): 07:30 is 13:30 UTC.
    assert waiting.email_due_at == at(UTC, 11, 1, 13, 30)
    dispatch_due(at(UTC, 11, 1, 12, 35))  # 06:35 on the clinic's clock: still quiet
    assert mail.outbox == []
    assert dispatch_due(at(UTC, 11, 1, 13, 35)).emails_sent == 1


@pytest.fixture
def practising(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    """The guardian's child practises at home; reminders on Sundays at 18:00."""
    monkeypatch.setattr(dispatch, "children_with_home_practice", lambda now: [world.child.id])
    save_preferences(world.guardian, practice_days="6", practice_time=datetime.time(18))
    return world


@pytest.mark.parametrize(
    ("sunday", "utc_hour"),
    [(day(3, 8), 23), (day(11, 1), 0)],  # 18:00 CDT is 23:00 UTC; 18:00 CST is 00:00 UTC
    ids=["spring-forward", "fall-back"],
)
def test_the_practice_reminder_comes_at_six_on_the_clinics_clock_on_a_dst_sunday(
    practising: World, sunday: datetime.date, utc_hour: int
) -> None:
    six = datetime.datetime.combine(sunday, datetime.time(18), tzinfo=CHICAGO)
    assert six.astimezone(UTC).hour == utc_hour
    with time_machine.travel(six - datetime.timedelta(minutes=5), tick=False):
        assert dispatch_due().practice_reminders == 0
    with time_machine.travel(six + datetime.timedelta(minutes=5), tick=False):
        assert dispatch_due().practice_reminders == 1
    with time_machine.travel(six + datetime.timedelta(minutes=10), tick=False):
        assert dispatch_due().practice_reminders == 0  # once a day
    assert len(mail.outbox) == 1  # 18:05 is before the quiet hours
