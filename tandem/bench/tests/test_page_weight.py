"""Issue 16, item 5: the heaviest pages are held to budgets on response **bytes** and
rendered template **nodes** at two data sizes — no wall clock. A page whose work grows
per reading, per past appointment or per child beyond its page fails here before a
benchmark would notice (tandem/bench/weight.py counts the nodes)."""

import datetime

import pytest
from django.urls import reverse

from tandem.appointments.tests.helpers import in_days, make_appointment
from tandem.bench.weight import Weight, page_weight
from tandem.conftest import World
from tandem.core.testing import factories as f
from tandem.core.testing.factories import clinic_today
from tandem.progress import fragments
from tandem.progress.tests.helpers import make_goal, make_plan, record_sessions

pytestmark = pytest.mark.django_db


def _same_work(small: Weight, large: Weight, *, slack: float = 1.05) -> None:
    print(f"\nsmall {small}, large {large}")
    assert large.nodes <= slack * small.nodes, (small, large)
    assert large.bytes <= slack * small.bytes, (small, large)


def _sessions(world: World, count: int, *, start: datetime.date, goals: list) -> None:
    days = [start + datetime.timedelta(weeks=n) for n in range(count)]
    record_sessions(
        world.therapist,
        world.child,
        [(day, {g: (30.0 + (n % 40), (n % 5) - 2) for g in goals}) for n, day in enumerate(days)],
    )


@pytest.fixture
def goals(world: World) -> list:
    start = clinic_today() - datetime.timedelta(days=3 * 365)
    plan = make_plan(
        world.child,
        world.therapist,
        start_date=start,
        review_date=clinic_today() + datetime.timedelta(days=90),
    )
    return [make_goal(plan, statement=f"Goal {i}", position=i) for i in range(4)]


def test_the_progress_tab_weighs_the_same_after_three_years(world, client_as, goals) -> None:
    """60 weekly sessions (past the dots a chart draws) or 190 (three years): the same
    nodes and about the same bytes; a second
    visit renders a fraction of the nodes (the drawn parts are kept: progress/fragments.py)."""
    start = goals[0].plan.start_date
    client = client_as(world.therapist)
    url = reverse("progress:index", args=[world.child.id])
    client.get(url)  # the session is set up
    _sessions(world, 60, start=start, goals=goals)
    fragments.clear()
    small = page_weight(client, url)
    record_sessions(
        world.therapist,
        world.child,
        [
            (start + datetime.timedelta(weeks=60, days=n * 4), {g: (50.0, 0) for g in goals})
            for n in range(130)
        ],
    )
    fragments.clear()
    large = page_weight(client, url)
    again = page_weight(client, url)
    _same_work(small, large, slack=1.1)
    assert large.nodes < 2_000 and large.bytes < 110_000  # measured: 1,565 and 94.5 k
    assert again.nodes < large.nodes / 3 and again.bytes == large.bytes


def test_the_caseload_weighs_one_page_whatever_the_clinic_size(world, client_as) -> None:
    for _ in range(27):  # with the world's own children, just over one page
        f.CareTeamMemberFactory(child__organization=world.org, therapist=world.therapist)
    admin, url = client_as(world.admin), reverse("children:caseload")
    admin.get(url)
    small = page_weight(admin, url)
    for _ in range(120):
        f.CareTeamMemberFactory(child__organization=world.org, therapist=world.therapist)
    large = page_weight(admin, url)
    _same_work(small, large)
    assert large.nodes < 600 and large.bytes < 20_000  # measured: 429 and 12.8 k


def test_the_family_home_weighs_the_same_after_years_of_sessions(world, client_as, goals) -> None:
    start = goals[0].plan.start_date
    guardian, url = client_as(world.guardian), reverse("homeprogram:family_home")
    guardian.get(url)
    _sessions(world, 8, start=start, goals=goals[:3])
    small = page_weight(guardian, url)
    record_sessions(
        world.therapist,
        world.child,
        [
            (start + datetime.timedelta(weeks=8, days=n * 6), {g: (40.0, 0) for g in goals[:3]})
            for n in range(140)
        ],
    )
    large = page_weight(guardian, url)
    _same_work(small, large)
    assert large.nodes < 400 and large.bytes < 25_000  # measured: 210 and 12.4 k


def test_the_week_schedule_weighs_one_week_whatever_the_history(world, client_as) -> None:
    """Two years of past sessions add nothing to this week's schedule."""
    therapist, url = client_as(world.therapist), reverse("appointments:schedule")
    for day in range(1, 4):
        make_appointment(world.child, world.therapist, in_days(world.child, day, hour=9))
    therapist.get(url)
    small = page_weight(therapist, url)
    for week in range(2, 100):
        make_appointment(
            world.child, world.therapist, in_days(world.child, -7 * week, hour=9), status="attended"
        )
    large = page_weight(therapist, url)
    _same_work(small, large)
    assert large.nodes < 400 and large.bytes < 20_000  # measured: 226 and 9.1 k
