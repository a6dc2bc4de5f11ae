"""The side-by-side T-scores on the Progress tab (staff and family) and in both reports."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse

from tandem.core.testing.factories import clinic_today
from tandem.plans.gas import t_score
from tandem.progress.report_document import render_pdf_html
from tandem.progress.tests.helpers import record_sessions

from .helpers import plan_with_goals, rate_on

pytestmark = pytest.mark.django_db

STAFF_TITLE = "Therapist, family and child T-scores"
FAMILY_TITLE = "How the team, you and your child see it"


@pytest.fixture
def rated(world):
    """Three goals: the therapist scored two this month, the family all three (+1), the
    child one (too few for a score)."""
    today = clinic_today()
    a, b, c = plan_with_goals(world.child, world.therapist, count=3)
    first = today.replace(day=1)
    record_sessions(world.therapist, world.child, [(first, {a: (40.0, 1), b: (50.0, 0)})])
    for goal in (a, b, c):
        rate_on(world.guardian, goal, 1, first, comment="Zips it now!" if goal == a else "")
    rate_on(world.guardian, a, 2, first, rater="child")
    return [a, b, c]


def the_table(body: str, title: str) -> str:
    start = body.index(title)
    return body[start : body.index("</table>", start)]


def test_staff_progress_page_shows_three_scores_side_by_side(world, client_as, rated):
    body = client_as(world.therapist).get(reverse("progress:index", args=[world.child.id]))
    table = the_table(body.content.decode(), STAFF_TITLE)
    therapist = t_score([1, 0, -1])  # c unscored: its baseline −1
    assert f"<td>{therapist:.1f}</td>" in table
    assert "<td>63.7 " in table  # the family: +1, +1, +1
    assert "(3 of 3 rated)" in table
    assert "<td>— <span" in table and "(1 of 3 rated)" in table  # the child: too few
    assert "Tell the team how the goals are going" not in body.content.decode()
    # The family's words under the table, for the team.
    assert "What the family added" in body.content.decode()
    assert "“Zips it now!”" in body.content.decode()


def test_family_progress_page_shows_it_in_plain_words_with_links_to_rate(world, client_as, rated):
    body = client_as(world.guardian).get(reverse("progress:index", args=[world.child.id]))
    body = body.content.decode()
    table = the_table(body, FAMILY_TITLE)
    assert "<td>63.7 " in table
    rate = reverse("ratings:rate", args=[world.child.id])
    assert f'href="{rate}"' in body
    for goal in rated:
        assert f'href="{rate}#goal-{goal.id}"' in body


def test_without_ratings_no_table_but_the_family_is_asked(world, client_as):
    plan_with_goals(world.child, world.therapist, count=2)
    url = reverse("progress:index", args=[world.child.id])
    family = client_as(world.guardian).get(url).content.decode()
    assert FAMILY_TITLE not in family
    assert "Tell the team how the goals are going" in family
    staff = client_as(world.therapist).get(url).content.decode()
    assert STAFF_TITLE not in staff


@pytest.mark.parametrize(
    ("register", "title"), [("family", FAMILY_TITLE), ("clinical", STAFF_TITLE)]
)
def test_both_reports_show_the_table(world, client_as, rated, register, title):
    today = clinic_today()
    url = reverse("progress:report", args=[world.child.id])
    period = {"start": today - datetime.timedelta(days=60), "end": today, "register": register}
    body = client_as(world.therapist).get(url, period).content.decode()
    assert "<td>63.7 " in the_table(body, title)
    assert "Tell the team how" not in body  # no links to rate in a report


def test_the_pdf_report_shows_the_table(world, rated):
    today = clinic_today()
    request = RequestFactory().get("/")
    request.membership = world.therapist
    request.user = world.therapist.user
    params = {"start": today - datetime.timedelta(days=60), "end": today, "register": "clinical"}
    html, _name = render_pdf_html(request, world.child, params)
    assert "<td>63.7 " in the_table(html, STAFF_TITLE)


def test_the_progress_page_reads_the_ratings_in_one_query(
    world, client_as, django_assert_max_num_queries
):
    goals = plan_with_goals(world.child, world.therapist, count=3)
    goals += plan_with_goals(world.child, world.therapist, count=3, discipline="slp")
    url = reverse("progress:index", args=[world.child.id])
    client = client_as(world.therapist)
    client.get(url)
    rate_on(world.guardian, goals[0], 0, clinic_today())
    with django_assert_max_num_queries(BUDGET):
        client.get(url)
    for days in range(90):
        for goal in goals:
            day = clinic_today() - datetime.timedelta(days=days)
            rate_on(world.guardian, goal, days % 5 - 2, day)
            rate_on(world.guardian, goal, days % 3 - 1, day, rater="child")
    with django_assert_max_num_queries(BUDGET):
        body = client.get(url).content.decode()
    assert body.count(STAFF_TITLE) == 2


# The Progress tab's own budget (tandem/progress/tests/test_performance.py) and the
# ratings, read once for every plan on the page.
BUDGET = 11
