"""A child with three years of notes opens within a fixed number of queries."""

import datetime
import math
import time
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.urls import reverse

from tandem.children.models import Child
from tandem.conftest import World
from tandem.core.testing.factories import clinic_today
from tandem.exports.models import Export
from tandem.exports.tasks import make_export
from tandem.exports.tests.helpers import poll_url
from tandem.plans.models import Goal
from tandem.progress.charts import MAX_DOTS
from tandem.progress.services import TABLE_ROWS

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

from .helpers import make_goal, make_plan, record_sessions

pytestmark = pytest.mark.django_db

SESSIONS = 150
# Measured after a first request has set the session up: the session, then the person
# with their memberships (one query, tandem.accounts.backends), then the child, the
# access-log write, plans, goals and goal data (the goal API: child, goal, log, data).
# The same for a new child and for one with years of notes. The page and the report
# also read the family's home practice per week (one query, drawn on each chart).
# A therapist's request reads the ids of the children they see once for its scoped
# queries (tandem.access.relation.ids_read_once): one query more, each cheaper to build.
PAGE_BUDGET = 10  # + the unread-notifications badge in the navigation
# + the child once more: the API's access check (``permits_api``) finds it, then the
# operation (until the kernel hands the checked child on to the operation).
GOAL_API_BUDGET = 7
CHILD_API_BUDGET = 9
# The clinical report also reads the child's diagnoses, appointments (attendance),
# standardized scores, the plans' authors and their NPIs: one query each.
# + the family's and the child's goal ratings (one query, the side-by-side T-scores).
REPORT_BUDGET = 15  # the worker's render, reading the export and the member too
# Asking for a PDF and collecting it: the page's own queries, nothing printed (collecting
# reads the export, then its bytes only once it is ready).
ASK_BUDGET = 9


@pytest.fixture
def three_years(world: World) -> list[Goal]:
    start = clinic_today() - datetime.timedelta(days=3 * 365)
    plan = make_plan(
        world.child,
        world.therapist,
        start_date=start,
        review_date=start + datetime.timedelta(days=3 * 365 + 90),
    )
    goals = [make_goal(plan, statement=f"Goal {i}", position=i) for i in range(4)]
    sessions = []
    for n in range(SESSIONS):
        day = start + datetime.timedelta(days=round(n * 3 * 365 / SESSIONS))
        wobble = 6 * math.sin(n / 3)
        sessions.append(
            (
                day,
                {
                    goals[0]: (min(100.0, 10 + n * 0.6 + wobble), min(2, -2 + n // 30)),
                    goals[1]: (50 + wobble, -1),
                    goals[2]: (max(0.0, 90 - n * 0.5 + wobble), -2 + (n % 3 == 0)),
                    goals[3]: (20 + n * 0.2, None if n % 2 else 0),
                },
            )
        )
    record_sessions(world.therapist, world.child, sessions)
    return goals


def _warm(client: Client, world: World) -> Client:
    """Open the child's profile once, so the session is set up before counting."""
    client.get(reverse("children:detail", args=[world.child.id]))
    return client


def _timed(
    client: Client, url: str, params: dict[str, Any] | None = None
) -> tuple["Response", float]:
    started = time.perf_counter()
    response = client.get(url, params)
    return response, time.perf_counter() - started


def test_progress_tab_for_three_years_of_notes(
    world, client_as, three_years, django_assert_max_num_queries
) -> None:
    client = _warm(client_as(world.therapist), world)
    with django_assert_max_num_queries(PAGE_BUDGET) as captured:
        response, elapsed = _timed(client, reverse("progress:index", args=[world.child.id]))
    assert response.status_code == 200
    assert response.content.decode().count('class="chart-narrow"') == 5
    print(f"\nprogress tab, {SESSIONS}x4: {len(captured)} queries, {elapsed * 1000:.0f} ms")


def test_goal_progress_api_for_three_years_of_notes(
    world, client_as, three_years, django_assert_max_num_queries
) -> None:
    client = _warm(client_as(world.guardian), world)
    url = f"/api/v1/children/{world.child.id}/goals/{three_years[0].id}/progress"
    with django_assert_max_num_queries(GOAL_API_BUDGET) as captured:
        response, elapsed = _timed(client, url)
    assert response.status_code == 200
    assert len(response.json()["series"]) == SESSIONS
    print(
        f"\ngoal progress API, {SESSIONS} sessions: "
        f"{len(captured)} queries, {elapsed * 1000:.0f} ms"
    )


def test_child_progress_api_for_three_years_of_notes(
    world, client_as, three_years, django_assert_max_num_queries
) -> None:
    client = _warm(client_as(world.therapist), world)
    with django_assert_max_num_queries(CHILD_API_BUDGET) as captured:
        response, elapsed = _timed(client, f"/api/v1/children/{world.child.id}/progress")
    assert response.status_code == 200
    assert len(response.json()["plans"][0]["t_scores"]) == SESSIONS
    print(f"\nchild progress API, {SESSIONS}x4: {len(captured)} queries, {elapsed * 1000:.0f} ms")


def test_clinical_pdf_for_three_years_of_notes(
    world, client_as, three_years, django_assert_max_num_queries
) -> None:
    """The page that asks for the PDF answers at once and the worker prints it (issue 16:
    a PDF never holds a web worker); each side has its query budget."""
    client = _warm(client_as(world.therapist), world)
    url = reverse("progress:report_pdf", args=[world.child.id])
    today = clinic_today()
    params = {
        "start": today - datetime.timedelta(days=3 * 365),
        "end": today,
        "register": "clinical",
    }
    with django_assert_max_num_queries(ASK_BUDGET):
        waiting, asked = _timed(client, url, params)
    assert waiting.status_code == 200 and "being made" in waiting.content.decode()
    export = Export.objects.get(child=world.child)
    assert export.status == Export.Status.PENDING  # nothing printed in the request
    started = time.perf_counter()
    with django_assert_max_num_queries(REPORT_BUDGET) as captured:
        assert make_export.call(str(export.pk)) == "ready"
    elapsed = time.perf_counter() - started
    with django_assert_max_num_queries(ASK_BUDGET):
        response = client.get(poll_url(waiting))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    size = len(response.content)
    print(
        f"\nclinical PDF, {SESSIONS}x4: asked in {asked * 1000:.0f} ms; the worker: "
        f"{len(captured)} queries, {size / 1024:.0f} KiB, {elapsed:.2f} s"
    )
    assert size < 2_000_000
    # No wall-clock limit here: a busy machine is not a failure (speed belongs in a benchmark).


def test_query_count_does_not_grow_with_data(world, client_as, three_years) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    goal = make_goal(make_plan(world.sibling, world.therapist))
    record_sessions(world.therapist, world.sibling, [(goal.plan.start_date, {goal: (10.0, -2)})])
    client = _warm(client_as(world.therapist), world)
    counts = []
    for child in (world.sibling, world.child):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("progress:index", args=[child.id])).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def _progress_page(client: Client, child: Child) -> tuple[str, int]:
    """The page and how many templates rendered it (includes count once per use)."""
    response = client.get(reverse("progress:index", args=[child.id]))
    assert response.status_code == 200
    return response.content.decode(), len(response.templates)


def test_the_progress_tab_costs_the_same_after_three_years(world, client_as, three_years) -> None:
    """Bytes and drawn elements are bounded (issue 16): past MAX_DOTS sessions a chart
    draws averages over spans of time, the table shows the latest TABLE_ROWS sessions
    and links the rest. A child with 80 weekly sessions (half as many) is the yardstick."""
    one_year = [
        (clinic_today() - datetime.timedelta(days=7 * (80 - n)), 40.0 + n / 2) for n in range(80)
    ]
    plan = make_plan(world.sibling, world.therapist)
    goals = [make_goal(plan, statement=f"Goal {i}", position=i) for i in range(4)]
    record_sessions(
        world.therapist,
        world.sibling,
        [(day, {goal: (value, 0) for goal in goals}) for day, value in one_year],
    )
    client = _warm(client_as(world.therapist), world)
    (long_page, long_templates), (year_page, year_templates) = (
        _progress_page(client, world.child),
        _progress_page(client, world.sibling),
    )
    assert long_templates == year_templates  # no template is rendered per reading
    assert len(long_page.encode()) <= 1.1 * len(year_page.encode())
    # Each chart is drawn twice, narrow for phones and wide for larger cards (issue 14:
    # readable at 375 px and full card width); the narrow one has half the dots and no
    # tooltips, about 4 kB a chart.
    assert len(long_page.encode()) < 95_000
    # 4 goal charts of at most MAX_DOTS dots, and the T-score chart (one dot per session
    # date, averaged past MAX_DOTS too).
    assert long_page.count("<circle cx") <= 2 * 5 * MAX_DOTS  # drawn narrow and wide
    assert long_page.count("</title></circle>") <= 5 * MAX_DOTS  # tooltips: the wide only
    assert long_page.count("average") >= 4  # the dots say they are averages
    assert long_page.count("<tr><td>") == (4 + 1) * TABLE_ROWS  # goals and the T-score
    sessions_link = reverse("progress:goal_sessions", args=[world.child.id, three_years[0].id])
    assert sessions_link in long_page
