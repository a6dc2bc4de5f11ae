"""Progress as a family sees it: simple, labelled charts; no drafts; reports to download."""

import datetime
import re

import pytest
from django.urls import reverse

from tandem.assessments.tests.helpers import make_evaluation
from tandem.core.testing.factories import clinic_today
from tandem.exports.tests.helpers import download_pdf
from tandem.plans import signatures
from tandem.progress.services import report_periods

from .helpers import make_goal, make_plan, record_sessions, weekly

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def goal(world):
    goal = make_goal(make_plan(world.child, world.therapist))
    record_sessions(
        world.therapist, world.child, weekly([20, 30, 40, 50], goal, levels=[-2, -1, -1, 0])
    )
    return goal


def test_family_charts_name_their_lines_plainly(world, client_as, goal):
    body = (
        client_as(world.guardian)
        .get(reverse("progress:index", args=[world.child.id]))
        .content.decode()
    )
    assert "Goal: 80" in body and "Mastery 80" not in body
    assert "% of tries that worked" in body and "Percent of trials" not in body
    assert "direction lately" in body
    assert "Step reached" in body and "A step on the way" in body  # the table, in steps
    assert "GAS level" not in body and "T-score" not in body


def test_staff_charts_keep_the_clinical_labels(world, client_as, goal):
    body = (
        client_as(world.therapist)
        .get(reverse("progress:index", args=[world.child.id]))
        .content.decode()
    )
    assert "Mastery 80" in body and "Percent of trials" in body and "GAS level" in body


def test_families_do_not_see_draft_plans_in_progress(world, client_as, goal):
    draft = make_plan(world.child, world.therapist, status="draft", discipline="slp")
    make_goal(draft, statement="A goal still being written")
    body = (
        client_as(world.guardian)
        .get(reverse("progress:index", args=[world.child.id]))
        .content.decode()
    )
    assert "A goal still being written" not in body
    api = client_as(world.guardian).get(f"/api/v1/children/{world.child.id}/progress").json()
    assert [p["status"] for p in api["plans"]] == ["active"]
    staff = client_as(world.therapist).get(reverse("progress:index", args=[world.child.id]))
    assert "A goal still being written" in staff.content.decode()


def test_the_progress_tab_links_the_reports(world, client_as, goal):
    body = (
        client_as(world.guardian)
        .get(reverse("progress:index", args=[world.child.id]))
        .content.decode()
    )
    assert reverse("progress:reports", args=[world.child.id]) in body


# --- Reports to download -------------------------------------------------------------


def reports_url(child):
    return reverse("progress:reports", args=[child.id])


def test_guardian_lists_the_reports_of_the_current_and_earlier_plans(world, client_as):
    today = clinic_today()
    make_plan(
        world.child,
        world.therapist,
        status="closed",
        start_date=today - datetime.timedelta(days=400),
        review_date=today - datetime.timedelta(days=200),
    )
    make_plan(world.child, world.therapist, start_date=today - datetime.timedelta(days=60))
    make_plan(world.child, world.therapist, status="draft", discipline="pt")
    evaluation = make_evaluation(world.child, world.therapist)
    make_evaluation(world.child, world.therapist, status="draft", discipline="slp")
    response = client_as(world.guardian).get(reports_url(world.child))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Progress so far in the current plan" in body
    since = (today - datetime.timedelta(days=60)).isoformat()
    current = f"start={since}&amp;end={today.isoformat()}&amp;register=family"
    assert reverse("progress:report_pdf", args=[world.child.id]) + "?" + current in body
    assert "an earlier plan" in body
    assert reverse("assessments:evaluation_pdf", args=[world.child.id, evaluation.id]) in body
    assert "Speech-language pathology evaluation" not in body  # a draft is not shared
    assert "Physical therapy" not in body  # nor is a draft plan


def test_every_listed_report_opens_for_the_guardian(world, client_as):
    today = clinic_today()
    make_plan(world.child, world.therapist, start_date=today - datetime.timedelta(days=30))
    make_evaluation(world.child, world.therapist)
    client = client_as(world.guardian)
    body = client.get(reports_url(world.child)).content.decode()
    links = re.findall(r'href="(/children/[^"]+(?:report\.pdf|/pdf/)[^"]*)"', body)
    assert len(links) == 2
    for link in links:
        response = download_pdf(client, link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        assert response["Content-Type"] == "application/pdf"


def test_signed_plans_are_listed(world, client_as):
    plan = make_plan(world.child, world.therapist)
    signatures.sign_plan(
        plan,
        world.guardian,
        signatures.signing_name(world.guardian),
        expected_version=plan.version,
    )
    body = client_as(world.guardian).get(reports_url(world.child)).content.decode()
    assert (
        "Signed plans" in body and reverse("plans:detail", args=[world.child.id, plan.id]) in body
    )


def test_nothing_to_download_yet_is_said_kindly(world, client_as):
    body = client_as(world.guardian).get(reports_url(world.child)).content.decode()
    assert "There is no progress report yet" in body


def test_outsiders_find_no_reports(world, client_as):
    for outsider in (
        world.other_guardian,
        world.unassigned_therapist,
        world.foreign_guardian,
        world.collaborator,
    ):
        assert client_as(outsider).get(reports_url(world.child)).status_code == 404


def test_report_periods_end_today_and_skip_duplicates(world):
    today = datetime.date(2026, 6, 1)
    current = make_plan(
        world.child,
        world.therapist,
        start_date=datetime.date(2026, 3, 1),
        review_date=datetime.date(2026, 9, 1),
    )
    earlier = make_plan(
        world.child,
        world.therapist,
        status="closed",
        discipline="slp",
        start_date=datetime.date(2025, 9, 1),
        review_date=datetime.date(2026, 2, 28),
    )
    same = make_plan(
        world.child,
        world.therapist,
        status="closed",
        discipline="pt",
        start_date=datetime.date(2025, 9, 1),
        review_date=datetime.date(2026, 2, 28),
    )
    future = make_plan(
        world.child,
        world.therapist,
        discipline="play",
        start_date=datetime.date(2026, 7, 1),
        review_date=datetime.date(2026, 12, 1),
    )
    periods = report_periods([future, current, earlier, same], today)
    assert [(p.start, p.end, p.current) for p in periods] == [
        (datetime.date(2026, 3, 1), today, True),
        (datetime.date(2025, 9, 1), datetime.date(2026, 2, 28), False),
    ]


def test_reports_page_queries_are_bounded(world, client_as, django_assert_max_num_queries):
    today = clinic_today()
    for n in range(6):
        make_plan(
            world.child,
            world.therapist,
            status="closed",
            discipline=("ot", "slp", "pt")[n % 3],
            start_date=today - datetime.timedelta(days=400 + 30 * n),
            review_date=today - datetime.timedelta(days=200 + 30 * n),
        )
        make_evaluation(
            world.child, world.therapist, evaluated_on=today - datetime.timedelta(days=n)
        )
    client = client_as(world.guardian)
    client.get(reverse("homeprogram:family_home"))
    with django_assert_max_num_queries(15) as captured:
        assert client.get(reports_url(world.child)).status_code == 200
    print(f"\nreports page: {len(captured)} queries for 6 plans and 6 evaluations")
