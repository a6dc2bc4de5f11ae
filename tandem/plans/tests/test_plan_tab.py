"""The Plan tab: who sees what, the family's plain-language view, and a bounded query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.children.models import GuardianLink
from tandem.plans import actions
from tandem.plans.tests.helpers import TODAY, goal_fields, make_plan

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`


def url(child):
    return reverse("plans:index", args=[child.id])


def test_empty_tab_offers_start_a_plan_to_editors(world, client_as):
    body = client_as(world.therapist).get(url(world.child)).content.decode()
    assert "No plan yet" in body
    assert reverse("plans:new", args=[world.child.id]) in body


def test_consulting_therapist_sees_plans_but_no_start_button(world, client_as):
    make_plan(world.child, world.therapist)
    response = client_as(world.consulting_therapist).get(url(world.child))
    assert response.status_code == 200
    assert "Goal 1: button three buttons." in response.content.decode()
    assert reverse("plans:new", args=[world.child.id]) not in response.content.decode()


def test_outsiders_get_404(world, client_as):
    make_plan(world.child, world.therapist)
    for outsider in (
        world.other_guardian,
        world.unassigned_therapist,
        world.foreign_admin,
        world.collaborator,
    ):
        assert client_as(outsider).get(url(world.child)).status_code == 404


def test_tab_shows_active_drafts_and_past_plans(world, client_as):
    make_plan(
        world.child,
        world.therapist,
        status="closed",
        start_date=TODAY.replace(year=TODAY.year - 1),
        review_date=TODAY - datetime.timedelta(days=30),
    )
    make_plan(world.child, world.therapist)
    make_plan(world.child, world.therapist, status="draft", discipline="slp")
    body = client_as(world.therapist).get(url(world.child)).content.decode()
    assert "Drafts" in body and "Past plans" in body
    assert "Speech-language pathology" in body


def test_overdue_review_is_highlighted(world, client_as):
    make_plan(
        world.child,
        world.therapist,
        start_date=TODAY - datetime.timedelta(days=200),
        review_date=TODAY - datetime.timedelta(days=1),
    )
    body = client_as(world.therapist).get(url(world.child)).content.decode()
    assert "Review overdue" in body


def test_guardian_reads_plain_language_with_childs_own_goal(world, client_as):
    plan = make_plan(world.child, world.therapist)
    actions.add_goal(
        plan,
        **goal_fields(
            statement="Maya will ride her bike 20 metres.",
            child_chosen=True,
            child_words="I want to ride my bike",
            family_priority=1,
        ),
    )
    body = client_as(world.guardian).get(url(world.child)).content.decode()
    assert "What we are working on" in body
    assert "Maya's own goal" in body
    assert "I want to ride my bike" in body
    assert "Your family's priority number 1" in body
    assert "Review and sign" in body
    assert "GAS T-score" not in body


def test_guardian_does_not_see_drafts(world, client_as):
    make_plan(world.child, world.therapist, status="draft")
    body = client_as(world.guardian).get(url(world.child)).content.decode()
    assert "Goal 1" not in body
    assert "There is no plan to show yet" in body


def test_guardian_without_legal_authority_gets_no_sign_button(world, client_as):
    make_plan(world.child, world.therapist)
    link = GuardianLink.objects.get(child=world.child, guardian=world.guardian)
    link.has_legal_authority = False
    link.save()
    body = client_as(world.guardian).get(url(world.child)).content.decode()
    assert "What we are working on" in body
    assert "Review and sign" not in body


def test_viewing_the_tab_is_in_the_access_log(world, client_as):
    from tandem.audit.models import AccessLog

    client_as(world.guardian).get(url(world.child))
    assert AccessLog.objects.filter(child=world.child, user=world.guardian.user).exists()


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["therapist", "guardian"])
def test_query_count_does_not_grow_with_goals(world, client_as, persona):
    plan = make_plan(world.child, world.therapist, goals=3)
    client = client_as(getattr(world, persona))
    client.get(url(world.child))  # the first request of a session also records its start
    few = _count(client, url(world.child))
    few_detail = _count(client, plan.get_absolute_url())
    for n in range(27):
        actions.add_goal(plan, **goal_fields(statement=f"Extra goal {n}"))
    many = _count(client, url(world.child))
    many_detail = _count(client, plan.get_absolute_url())
    print("plan tab queries:", few, "plan page queries:", few_detail)
    assert many == few
    assert many_detail == few_detail
    assert many <= 16 and many_detail <= 16
