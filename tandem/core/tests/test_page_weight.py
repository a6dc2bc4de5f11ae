"""Page weight does not grow with the clinic (issue 16, item 5): the heaviest lists and the
family's home are measured in bytes at two data sizes, without any wall-clock."""

import datetime

from django.test import Client
from django.urls import reverse

from tandem.conftest import World
from tandem.core.testing import factories as f
from tandem.core.testing.factories import clinic_today
from tandem.core.testing.types import ClientAs
from tandem.progress.tests.helpers import make_goal, make_plan, record_sessions


def _bytes(client: Client, url: str) -> int:
    """The size of a page on a second visit (the first sets the session up)."""
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    return len(response.content)


def test_the_caseload_weighs_one_page_whatever_the_clinic_size(
    world: World, client_as: ClientAs
) -> None:
    """An admin's list of children: a page of 25, whether the clinic has 30 or 150."""
    for _ in range(27):  # with the world's own children, just over one page
        f.CareTeamMemberFactory(child__organization=world.org, therapist=world.therapist)
    admin, caseload = client_as(world.admin), reverse("children:caseload")
    small = _bytes(admin, caseload)
    for _ in range(120):
        f.CareTeamMemberFactory(child__organization=world.org, therapist=world.therapist)
    large = _bytes(admin, caseload)
    assert large <= 1.05 * small  # names differ in length; the rows do not multiply
    assert large < 20_000


def test_the_family_home_weighs_the_same_after_years_of_sessions(
    world: World, client_as: ClientAs
) -> None:
    """The family's home summarises each child; years of signed sessions add nothing."""
    start = clinic_today() - datetime.timedelta(days=3 * 365)
    plan = make_plan(
        world.child,
        world.therapist,
        start_date=start,
        review_date=clinic_today() + datetime.timedelta(days=90),
    )
    goals = [make_goal(plan, statement=f"Goal {i}", position=i) for i in range(3)]
    weeks = [start + datetime.timedelta(weeks=n) for n in range(150)]
    record_sessions(
        world.therapist, world.child, [(day, {g: (40.0, 0) for g in goals}) for day in weeks[:8]]
    )
    guardian, home = client_as(world.guardian), reverse("homeprogram:family_home")
    few = _bytes(guardian, home)
    record_sessions(
        world.therapist, world.child, [(day, {g: (40.0, 0) for g in goals}) for day in weeks[8:]]
    )
    many = _bytes(guardian, home)
    assert many <= 1.05 * few
    assert many < 40_000
