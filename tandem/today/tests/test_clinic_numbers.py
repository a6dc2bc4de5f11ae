"""The admins' clinic numbers against a hand-built week (figures worked out by hand)."""

import datetime

import pytest
from django.urls import reverse

from tandem.appointments.models import Appointment
from tandem.appointments.tests.helpers import in_days, make_appointment
from tandem.conftest import World
from tandem.core import clock
from tandem.core.testing.types import ClientAs
from tandem.notes.models import NoteStatus, SessionNote

URL = reverse("today:clinic")
pytestmark = [pytest.mark.django_db, pytest.mark.clock]  # the clinic's today


def _draft(world: World, appointment: Appointment) -> SessionNote:
    day = clock.local_now(world.org, appointment.starts_at).date()
    return SessionNote.objects.create(
        organization=world.child.organization,
        child=appointment.child,
        author=world.therapist,
        encounter=appointment.encounter,
        date=day,
        start_time=datetime.time(10, 0),
        end_time=datetime.time(10, 45),
        status=NoteStatus.DRAFT,
    )


def build_month(world: World) -> None:
    maya, eli, t = world.child, world.sibling, world.therapist
    # Two days ago: Maya attended, 45 minutes; its note is still a draft (> 24 h, < 72 h).
    e1 = make_appointment(maya, t, in_days(maya, -2), status="attended")
    _draft(world, e1)
    # Three days ago: a 60-minute group with the consulting therapist as second therapist.
    group = make_appointment(
        maya,
        t,
        in_days(maya, -3),
        status="attended",
        duration_minutes=60,
        co_therapist=world.consulting_therapist,
        service_type="group",
    )
    Appointment.objects.create(
        organization=world.child.organization,
        encounter=group.encounter,
        child=eli,
        status="attended",
    )
    # Four days ago: Maya did not come; its draft is more than 72 hours old.
    missed = make_appointment(maya, t, in_days(maya, -4), status="missed")
    _draft(world, missed)
    # Five and six days ago: Eli cancelled, once late.
    make_appointment(eli, t, in_days(eli, -5), status="cancelled", late_cancel=True)
    make_appointment(eli, t, in_days(eli, -6), status="cancelled")
    # Outside the period: forty days ago, and later today.
    make_appointment(maya, t, in_days(maya, -40), status="attended")
    make_appointment(maya, t, in_days(maya, 0, hour=23, minute=50))
    # Another therapist's session.
    make_appointment(
        world.other_child, world.unassigned_therapist, in_days(maya, -1), status="missed"
    )


def test_the_numbers_match_the_hand_count(world: World, client_as: ClientAs) -> None:
    build_month(world)
    response = client_as(world.admin).get(URL)
    assert response.status_code == 200
    numbers = response.context["numbers"]
    rows = {r.therapist.id: r for r in numbers.rows}
    mine = rows[world.therapist.id]
    # 1 (Maya) + 2 (the group) + 1 (missed) + 2 (cancelled) appointments.
    assert (mine.appointments, mine.attended, mine.missed, mine.cancelled) == (6, 3, 1, 2)
    assert mine.late_cancelled == 1
    assert mine.no_show_rate == 25.0  # 1 missed ÷ (3 attended + 1 missed)
    assert mine.late_cancel_rate == 16.7  # 1 ÷ 6
    assert mine.minutes_held == 105 and mine.hours_held == 1.8  # 45 + 60 minutes
    assert (mine.unsigned_24h, mine.unsigned_72h) == (2, 1)
    second = rows[world.consulting_therapist.id]
    assert (second.appointments, second.attended, second.minutes_held) == (2, 2, 60)
    other = rows[world.unassigned_therapist.id]
    assert (other.appointments, other.missed, other.no_show_rate) == (1, 1, 100.0)
    total = numbers.total
    assert (total.appointments, total.attended, total.missed) == (7, 3, 2)
    assert total.minutes_held == 105
    body = response.content.decode()
    assert total.sessions_held == 2  # Maya's, and the group once
    assert 'data-value="2"' in body  # sessions held, a number for machines
    assert world.child.first_name not in body  # the numbers name no child


def test_the_period_is_chosen_and_bounded(world: World, client_as: ClientAs) -> None:
    build_month(world)
    client = client_as(world.admin)
    week = client.get(URL, {"days": 7}).context["numbers"]
    assert week.days == 7 and week.total.appointments == 7
    quarter = client.get(URL, {"days": 90}).context["numbers"]
    assert quarter.total.attended == 4  # forty days ago counts now
    assert client.get(URL, {"days": "lots"}).context["numbers"].days == 30
    assert client.get(URL, {"days": 5000}).context["numbers"].days == 30


def test_only_admins_see_the_numbers(world: World, client_as: ClientAs) -> None:
    for member in (world.therapist, world.front_desk, world.billing, world.guardian):
        assert client_as(member).get(URL).status_code == 404
    assert client_as(world.foreign_admin).get(URL).context["numbers"].total.appointments == 0


def test_the_page_is_a_fixed_number_of_queries(
    world: World, client_as: ClientAs, django_assert_max_num_queries
) -> None:
    build_month(world)
    client = client_as(world.admin)
    client.get(URL)
    with django_assert_max_num_queries(10):
        client.get(URL)


def test_a_childs_leaving_does_not_change_last_months_figures(
    world: World, client_as: ClientAs
) -> None:
    from tandem.children.actions import archive_child

    build_month(world)
    client = client_as(world.admin)
    before = client.get(URL).context["numbers"].total
    archive_child(world.sibling, expected_version=world.sibling.version)
    after = client.get(URL).context["numbers"].total
    assert (after.appointments, after.cancelled, after.late_cancelled) == (
        before.appointments,
        before.cancelled,
        before.late_cancelled,
    )


def test_someone_who_left_keeps_a_row_and_the_rows_add_up(
    world: World, client_as: ClientAs
) -> None:
    build_month(world)
    world.unassigned_therapist.is_active = False
    world.unassigned_therapist.save()
    numbers = client_as(world.admin).get(URL).context["numbers"]
    assert world.unassigned_therapist.id in {r.therapist.id for r in numbers.rows}
    leads = sum(r.missed for r in numbers.rows if r.therapist != world.consulting_therapist)
    assert leads == numbers.total.missed


def test_utilisation_is_hours_held_over_hours_available(world: World, client_as: ClientAs) -> None:
    """Any 7 days hold 5 weekdays: 5 × 10 hours = 3,000 minutes, less 2 hours away on the
    last weekday before today = 2,880; held 45 + 60 = 105 minutes → 3.6 %."""
    from tandem.appointments import availability

    build_month(world)
    availability.set_week(world.therapist, {d: "08:00-18:00" for d in range(5)})
    day = clock.today_for(world.org) - datetime.timedelta(days=1)
    while day.weekday() > 4:
        day -= datetime.timedelta(days=1)
    zone = clock.zone_for(world.org)
    availability.add_time_off(
        world.therapist,
        datetime.datetime.combine(day, datetime.time(10), tzinfo=zone),
        datetime.datetime.combine(day, datetime.time(12), tzinfo=zone),
        "Dentist",
    )
    numbers = client_as(world.admin).get(URL, {"days": 7}).context["numbers"]
    mine = next(r for r in numbers.rows if r.therapist == world.therapist)
    assert mine.available_minutes == 2880 and mine.minutes_held == 105
    assert mine.utilisation == 3.6
    other = next(r for r in numbers.rows if r.therapist == world.unassigned_therapist)
    assert other.utilisation is None  # no working hours set


def test_overlapping_time_off_counts_once(world: World, client_as: ClientAs) -> None:
    from tandem.appointments import availability

    availability.set_week(world.therapist, {d: "08:00-18:00" for d in range(5)})
    day = clock.today_for(world.org) - datetime.timedelta(days=1)
    while day.weekday() > 4:
        day -= datetime.timedelta(days=1)
    zone = clock.zone_for(world.org)
    for start, end in ((0, 23), (6, 20)):  # the whole working day, twice
        availability.add_time_off(
            world.therapist,
            datetime.datetime.combine(day, datetime.time(start), tzinfo=zone),
            datetime.datetime.combine(day, datetime.time(end), tzinfo=zone),
            "Leave",
        )
    numbers = client_as(world.admin).get(URL, {"days": 7}).context["numbers"]
    mine = next(r for r in numbers.rows if r.therapist == world.therapist)
    assert mine.available_minutes == 4 * 600  # five weekdays, one of them away
