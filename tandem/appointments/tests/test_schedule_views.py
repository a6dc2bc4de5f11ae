"""The schedule's day and week, per therapist and per room, swapped in place by htmx."""

import datetime
import html
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tandem.appointments.models import Appointment, Room
from tandem.appointments.reading import week_of
from tandem.audit.models import AccessLog
from tandem.children.models import Child
from tandem.conftest import World
from tandem.core.testing.types import ClientAs

from .helpers import clinic_time, clinic_today, in_days, make_appointment

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
URL = reverse("appointments:schedule")
# Measured: 6 (the session, the membership, the therapists, the rooms, the appointments
# with their sessions, children, therapists and rooms, the access log); room for the
# menu's notices. Above all, as many for 36 sessions as for 3.
BUDGET = 10
MaxQueries = Callable[[int], AbstractContextManager[Any]]


def day(child: Child, offset: int) -> datetime.date:
    """A date ``offset`` days from the clinic's today."""
    return clinic_today(child) + datetime.timedelta(days=offset)


def page(client: Client, **params: Any) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return str(response.content.decode())


def link(body: str, element_id: str) -> str:
    """The address of the link with this id."""
    found = re.search(rf'<a id="{element_id}"[^>]*\bhref="([^"]*)"', body)
    assert found, f"no link #{element_id}"
    return html.unescape(found.group(1))


def query(address: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(address).query).items()}


@pytest.fixture
def rooms(world: World) -> tuple[Room, Room]:
    return (
        Room.objects.create(organization=world.child.organization, name="Sensory gym"),
        Room.objects.create(organization=world.child.organization, name="Quiet room"),
    )


# --- Per room ------------------------------------------------------------------------


def test_the_clinic_schedule_shows_one_rooms_sessions(
    world: World, client_as: ClientAs, rooms: tuple[Room, Room]
) -> None:
    gym, quiet = rooms
    make_appointment(world.child, world.therapist, in_days(world.child, 0, 9), room=gym)
    make_appointment(
        world.other_child, world.unassigned_therapist, in_days(world.child, 0, 11), room=quiet
    )
    make_appointment(world.sibling, world.therapist, in_days(world.child, 0, 14))
    client = client_as(world.front_desk)
    everything = page(client, view="day")
    assert all(f"{name}</a>" in everything for name in ("Maya Okafor", "Noah Berg", "Eli Okafor"))
    assert 'id="room-filter"' in everything and "All rooms" in everything
    gym_only = page(client, view="day", room=gym.id)
    assert "Maya Okafor</a>" in gym_only
    assert "Noah Berg</a>" not in gym_only and "Eli Okafor</a>" not in gym_only
    assert f'<option value="{gym.id}" selected>' in gym_only


def test_the_room_and_therapist_filters_narrow_together(
    world: World, client_as: ClientAs, rooms: tuple[Room, Room]
) -> None:
    gym, _ = rooms
    make_appointment(world.child, world.therapist, in_days(world.child, 0, 9), room=gym)
    make_appointment(
        world.other_child, world.unassigned_therapist, in_days(world.child, 0, 11), room=gym
    )
    body = page(client_as(world.admin), view="day", room=gym.id, therapist=world.therapist.id)
    assert "Maya Okafor</a>" in body and "Noah Berg</a>" not in body


def test_each_session_names_its_room(
    world: World, client_as: ClientAs, rooms: tuple[Room, Room]
) -> None:
    gym, _ = rooms
    make_appointment(world.child, world.therapist, in_days(world.child, 0, 9), room=gym)
    make_appointment(world.sibling, world.therapist, in_days(world.child, 0, 11))
    for member in (world.therapist, world.admin):
        body = page(client_as(member), view="day")
        assert "Clinic · Sensory gym" in body
        assert body.count("Sensory gym") == (1 if member == world.therapist else 2)  # + option


def test_another_clinics_room_shows_the_whole_schedule(
    world: World, client_as: ClientAs, rooms: tuple[Room, Room]
) -> None:
    gym, _ = rooms
    theirs = Room.objects.create(organization=world.foreign_child.organization, name="Their gym")
    make_appointment(world.child, world.therapist, in_days(world.child, 0, 9), room=gym)
    make_appointment(
        world.foreign_child, world.foreign_therapist, in_days(world.child, 0, 9), room=theirs
    )
    client = client_as(world.admin)
    for asked in (theirs.id, "not-a-room", ""):
        body = page(client, view="day", room=asked)
        assert "Maya Okafor</a>" in body
        assert "Their gym" not in body and "Zara Lind" not in body
        assert " selected>" not in body
        assert "room=" not in link(body, "schedule-next")


def test_a_therapist_reads_their_own_sessions_without_a_room_filter(
    world: World, client_as: ClientAs, rooms: tuple[Room, Room]
) -> None:
    gym, quiet = rooms
    make_appointment(world.child, world.therapist, in_days(world.child, 0, 9), room=quiet)
    make_appointment(
        world.other_child, world.unassigned_therapist, in_days(world.child, 0, 11), room=gym
    )
    body = page(client_as(world.therapist), view="day", room=gym.id)
    assert 'id="room-filter"' not in body
    assert "Maya Okafor</a>" in body and "Noah Berg</a>" not in body


def test_a_clinic_without_rooms_offers_no_room_filter(world: World, client_as: ClientAs) -> None:
    assert 'id="room-filter"' not in page(client_as(world.admin))


# --- The day view --------------------------------------------------------------------


def test_the_day_view_opens_on_the_clinics_today(world: World, client_as: ClientAs) -> None:
    make_appointment(world.child, world.therapist, in_days(world.child, -1, 10))
    make_appointment(world.child, world.therapist, in_days(world.child, 0, 12))
    make_appointment(world.child, world.therapist, in_days(world.child, 1, 14))
    client = client_as(world.therapist)
    for params in ({"view": "day"}, {"view": "day", "date": "not-a-date"}):
        body = page(client, **params)
        assert "12:00–12:45" in body and "10:00" not in body and "14:00" not in body
        assert '<span class="pill">Today</span>' in body
        assert (
            query(link(body, "schedule-current"))["date"] == clinic_today(world.child).isoformat()
        )


def test_a_date_out_of_any_calendar_opens_today(world: World, client_as: ClientAs) -> None:
    client = client_as(world.therapist)
    today = clinic_today(world.child).isoformat()
    for params in ({"view": "day", "date": "9999-12-31"}, {"week": "0001-01-01"}):
        body = page(client, **params)
        assert query(link(body, "view-day"))["date"] == today  # the period shown holds today


def test_a_day_runs_from_the_clinics_midnight_to_midnight(
    world: World, client_as: ClientAs
) -> None:
    # 23:30 and 00:15 in the clinic are the same date in UTC (the clinic is behind it).
    late = make_appointment(
        world.child, world.therapist, clinic_time(world.child, day(world.child, 3), 23, 30)
    )
    early = make_appointment(
        world.child, world.therapist, clinic_time(world.child, day(world.child, 4), 0, 15)
    )
    assert (
        late.starts_at.astimezone(datetime.UTC).date()
        == early.starts_at.astimezone(datetime.UTC).date()
    )
    client = client_as(world.therapist)
    first = page(client, view="day", date=day(world.child, 3).isoformat())
    second = page(client, view="day", date=day(world.child, 4).isoformat())
    assert "23:30–00:15" in first and "00:15" not in first.replace("23:30–00:15", "")
    assert "00:15–01:00" in second and "23:30" not in second


def test_days_are_browsed_keeping_the_filters(
    world: World, client_as: ClientAs, rooms: tuple[Room, Room]
) -> None:
    gym, _ = rooms
    make_appointment(world.child, world.therapist, in_days(world.child, 4, 9), room=gym)
    client = client_as(world.admin)
    shown = day(world.child, 3)
    body = page(
        client, view="day", date=shown.isoformat(), therapist=world.therapist.id, room=gym.id
    )
    assert "Maya Okafor</a>" not in body
    wanted = {"view": "day", "therapist": str(world.therapist.id), "room": str(gym.id)}
    expected = {
        "schedule-previous": shown - datetime.timedelta(days=1),
        "schedule-next": shown + datetime.timedelta(days=1),
        "schedule-current": clinic_today(world.child),
    }
    for element_id, date in expected.items():
        assert query(link(body, element_id)) == wanted | {"date": date.isoformat()}
    following = client.get(link(body, "schedule-next")).content.decode()
    assert "Maya Okafor</a>" in following and "Sensory gym" in following
    assert query(link(body, "view-week")) == {
        "week": week_of(shown).isoformat(),
        "therapist": str(world.therapist.id),
        "room": str(gym.id),
    }


def test_the_week_view_links_each_day_keeping_the_filters(
    world: World, client_as: ClientAs, rooms: tuple[Room, Room]
) -> None:
    gym, _ = rooms
    monday = week_of(day(world.child, 14))
    client = client_as(world.admin)
    body = page(client, week=monday.isoformat(), room=gym.id)
    day_links = [html.unescape(a) for a in re.findall(r'<h2 id="day-\d"><a href="([^"]*)"', body)]
    assert [query(a) for a in day_links] == [
        {
            "view": "day",
            "date": (monday + datetime.timedelta(days=n)).isoformat(),
            "room": str(gym.id),
        }
        for n in range(7)
    ]
    assert query(link(body, "schedule-next")) == {
        "week": (monday + datetime.timedelta(days=7)).isoformat(),
        "room": str(gym.id),
    }
    assert query(link(body, "view-day"))["date"] == monday.isoformat()


def test_the_day_view_is_logged_as_the_week_is(world: World, client_as: ClientAs) -> None:
    make_appointment(world.child, world.therapist, in_days(world.child, 0, 9))
    make_appointment(world.sibling, world.therapist, in_days(world.child, 0, 11))
    page(client_as(world.therapist), view="day")
    logged = AccessLog.objects.get(route="appointments:schedule")
    assert AccessLog.objects.filter(pk=logged.pk).children_shown() == {
        world.child.id,
        world.sibling.id,
    }


# --- htmx ----------------------------------------------------------------------------


def test_htmx_swaps_only_the_calendar(world: World, client_as: ClientAs) -> None:
    make_appointment(world.child, world.therapist, in_days(world.child, 0, 9))
    client = client_as(world.admin)
    whole = client.get(URL, {"view": "day"})
    body = whole.content.decode()
    assert "<h1>" in body and 'id="calendar" hx-target="#calendar" hx-push-url="true"' in body
    # Without JavaScript the same links and form work: each link has its address.
    assert link(body, "schedule-next").startswith(URL)
    assert f'<form method="get" action="{URL}"' in body and "hx-swap-oob" not in body
    swapped = client.get(URL, {"view": "day"}, headers={"HX-Request": "true"})
    part = swapped.content.decode()
    assert "<h1>" not in part and "<html" not in part and 'id="calendar"' not in part
    assert "Maya Okafor</a>" in part and 'id="therapist-filter"' in part
    assert 'hx-swap-oob="innerHTML:#calendar-status"' in part
    assert "HX-Request" in swapped["Vary"] and "HX-Request" in whole["Vary"]


def test_going_back_to_an_address_htmx_no_longer_holds_gets_the_whole_page(
    world: World, client_as: ClientAs
) -> None:
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    body = client_as(world.admin).get(URL, {"view": "day"}, headers=restore).content.decode()
    assert "<h1>" in body and 'id="calendar"' in body


# --- Queries -------------------------------------------------------------------------


def _book(
    world: World, when: Callable[[int], datetime.datetime], numbers: range, rooms: tuple[Room, Room]
) -> None:
    """Sessions (the ``numbers``-th) spread over the children, the therapists and the rooms."""
    for i in numbers:
        child = (world.child, world.sibling, world.other_child)[i % 3]
        therapist = world.unassigned_therapist if child == world.other_child else world.therapist
        make_appointment(child, therapist, when(i), room=rooms[i % 2])


def _period(view: str, monday: datetime.date) -> dict[str, str]:
    """The schedule's parameters for the week of ``monday`` or that Monday alone."""
    if view == "week":
        return {"week": monday.isoformat()}
    return {"view": "day", "date": monday.isoformat()}


@pytest.mark.parametrize("view", ["week", "day"])
def test_the_schedule_reads_a_constant_number_of_queries(
    world: World,
    client_as: ClientAs,
    rooms: tuple[Room, Room],
    django_assert_max_num_queries: MaxQueries,
    view: str,
) -> None:
    monday = week_of(day(world.child, 7))
    params = _period(view, monday)

    def when(i: int) -> datetime.datetime:
        # The week: a session a day at first, then each day filling up; the day: its hours.
        offset = 0 if view == "day" else i % 7
        start = clinic_time(world.child, monday + datetime.timedelta(days=offset), 7)
        return start + datetime.timedelta(minutes=20 * (i if view == "day" else i // 7))

    client = client_as(world.admin)
    client.get(reverse("children:caseload"))  # the session's first-request work
    counts = []
    for total in (3, 36):
        _book(world, when, range(Appointment.objects.count(), total), rooms)
        for filters in ({}, {"room": rooms[0].id, "therapist": world.therapist.id}):
            with django_assert_max_num_queries(BUDGET) as queries:
                body = page(client, **params, **filters)
            counts.append(len(queries))
        assert body.count("Sensory gym") > total // 3
    assert len(set(counts)) == 1, counts
    print(f"\nschedule ({view}): {counts[0]} queries for 3 or 36 appointments")


@pytest.mark.parametrize("view", ["week", "day"])
def test_a_clinic_too_busy_to_list_asks_for_a_therapist_or_a_room(
    world: World,
    client_as: ClientAs,
    rooms: tuple[Room, Room],
    monkeypatch: pytest.MonkeyPatch,
    django_assert_max_num_queries: MaxQueries,
    view: str,
) -> None:
    """Above CLINIC_SCHEDULE_MAX sessions the whole clinic's week (or day) is not listed
    (a 300-therapist clinic books ~10,000 a week: 3.9 MB in 2 s); one therapist's or one
    room's still is, and so is a clinic under the limit. Read in the same one query."""
    from tandem.appointments import views

    monkeypatch.setattr(views, "CLINIC_SCHEDULE_MAX", 2)
    monday = week_of(day(world.child, 7))
    params = _period(view, monday)

    def when(i: int) -> datetime.datetime:
        start = clinic_time(world.child, monday, 7)
        return start + datetime.timedelta(minutes=60 * i)

    client = client_as(world.front_desk)
    _book(world, when, range(2), rooms)
    listed = page(client, **params)
    assert "schedule-too-many" not in listed
    assert world.child.display_name in listed and world.sibling.display_name in listed
    _book(world, when, range(2, 3), rooms)
    logged = AccessLog.objects.count()
    with django_assert_max_num_queries(BUDGET):
        busy = page(client, **params)
    assert "schedule-too-many" in busy and "More than 2 sessions" in busy
    assert world.child.display_name not in busy.split('id="schedule-too-many"', 1)[1]
    # Nobody's name was shown, so no child is in the trail for this page.
    new = AccessLog.objects.order_by("-id")[: AccessLog.objects.count() - logged]
    assert all(row.child_id is None and not row.child_ids for row in new)
    one = page(client, **params, therapist=world.therapist.id)
    assert "schedule-too-many" not in one and world.child.display_name in one
    room = page(client, **params, room=rooms[0].id)
    assert "schedule-too-many" not in room and world.child.display_name in room
