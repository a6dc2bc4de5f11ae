"""An authorization running out raises a task on "Today / needs you": for the child's lead
and treating therapists, at 80 % used or in its last 30 days, with a link to write the
progress report a renewal request needs; and the count on the admins' clinic numbers."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.billing.models import Authorization
from tandem.billing.reading import AuthorizationUse
from tandem.billing.tests.helpers_insurance import (
    days,
    insured,
    make_authorization,
    make_payer,
    make_policy,
    signed_session,
    today_of,
)
from tandem.children.models import TeamRole
from tandem.conftest import World
from tandem.core.testing import factories as f
from tandem.core.testing.types import ClientAs

URL = reverse("today:home")
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def task(body: str) -> str:
    """The renewals section of the page, as text ("" when there is none)."""
    found = re.search(r'aria-labelledby="renewals-h">(.*?)</section>', body, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip() if found else ""


def test_a_nearly_used_authorization_asks_the_lead_for_a_renewal(
    world: World, client_as: ClientAs
) -> None:
    authorization = insured(world, allowed=10)
    for _ in range(8):
        signed_session(world.child, world.therapist)
    body = client_as(world.therapist).get(URL).content.decode()
    said = task(body)
    assert (
        "Authorization AUTH-1 for Maya Okafor: 8 of 10 visits used — write a progress report "
        "and ask for a renewal" in said
    )
    report = reverse("progress:report", args=[world.child.id])
    start = authorization.starts_on.isoformat()
    assert f'href="{report}?start={start}&amp;register=clinical"' in body
    assert reverse("billing:authorizations", args=[world.child.id]) in body
    # The treating assistant's too; not a consulting seat's, nor another therapist's.
    assert "AUTH-1" in task(client_as(world.assistant).get(URL).content.decode())
    for other in (world.consulting_therapist, world.unassigned_therapist, world.admin):
        assert task(client_as(other).get(URL).content.decode()) == ""


def test_79_percent_used_is_not_yet_a_task_80_is(world: World) -> None:
    today = today_of(world.child)
    authorization = Authorization(allowed=100, ends_on=today + days(90))
    assert not AuthorizationUse(authorization, 79, today).at_risk
    assert AuthorizationUse(authorization, 80, today).nearly_used
    assert AuthorizationUse(authorization, 80, today).at_risk
    few = Authorization(allowed=5, ends_on=today + days(90))
    assert [AuthorizationUse(few, n, today).at_risk for n in (3, 4, 5, 6)] == [
        False,
        True,
        True,
        True,
    ]


def test_the_task_comes_30_days_before_the_end_and_goes_once_it_ended(
    world: World, client_as: ClientAs
) -> None:
    """The clock moves on; nothing else changes."""
    insured(world, allowed=50, ends_on=today_of(world.child) + days(45))
    now = timezone.now()

    def said_on(later: int) -> str:
        with time_machine.travel(now + datetime.timedelta(days=later), tick=False):
            return task(client_as(world.therapist).get(URL).content.decode())

    assert said_on(14) == ""  # 31 days left
    assert "Authorization AUTH-1 for Maya Okafor: ends on " in said_on(15)  # 30 days left
    assert "visits used" not in said_on(15)
    assert "AUTH-1" in said_on(45)  # its last day
    assert said_on(46) == ""  # ended


def test_31_days_left_is_not_yet_a_task_30_is(world: World) -> None:
    today = today_of(world.child)
    uses = [
        AuthorizationUse(Authorization(allowed=10, ends_on=today + days(n)), 0, today)
        for n in (31, 30, 0, -1)
    ]
    assert [u.ending_soon for u in uses] == [False, True, True, False]
    assert [u.at_risk for u in uses] == [False, True, True, False]


def test_queries_do_not_grow_with_the_children_at_risk(world: World, client_as: ClientAs) -> None:
    client = client_as(world.therapist)
    soon = today_of(world.child) + days(10)
    insured(world, ends_on=soon)
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        assert "AUTH-1" in task(client.get(URL).content.decode())
    payer = make_payer(world.admin, name="Sunrise Medicaid", payer_id="SUN01")
    for n in range(4):
        child = f.ChildFactory(organization=world.org, first_name=f"Kid{n}", last_name="Lopez")
        f.CareTeamMemberFactory(child=child, therapist=world.therapist, role=TeamRole.LEAD)
        policy = make_policy(world.admin, child, payer)
        make_authorization(world.admin, child, policy, number=f"K-{n}", ends_on=soon)
    client.get(URL)
    with CaptureQueriesContext(connection) as five:
        said = task(client.get(URL).content.decode())
    assert all(f"K-{n}" in said for n in range(4))
    assert len(five) == len(one), [q["sql"] for q in five.captured_queries]


def test_the_clinic_numbers_count_the_authorizations_at_risk(
    world: World, client_as: ClientAs
) -> None:
    insured(world, ends_on=today_of(world.child) + days(20))
    insured(world, world.foreign_child, ends_on=today_of(world.foreign_child) + days(20))
    body = client_as(world.admin).get(reverse("today:clinic")).content.decode()
    assert re.search(r"Authorizations at risk</p><p class=\"stat-value\" data-value=\"1\">", body)
