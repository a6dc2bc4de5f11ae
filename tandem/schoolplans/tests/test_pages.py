"""The school-plans pages as each person uses them: the therapist enters an IEP and links
its goals to the clinic's, the family and the teacher read them in plain words, the dates
show on "Today / needs you"."""

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tandem.audit.models import AccessLog
from tandem.conftest import World, sign_in
from tandem.plans.tests.helpers import make_plan
from tandem.schoolplans.models import SchoolGoal, SchoolGoalLink, SchoolPlan
from tandem.schoolplans.tests.helpers import make_school_plan

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def _index(world: World) -> str:
    return reverse("schoolplans:index", args=[world.child.pk])


def _plan_data(**changes: str) -> dict[str, str]:
    data = {
        "kind": "iep",
        "provider": "Lincoln Elementary",
        "start_date": "2026-09-01",
        "review_due": "",
        "notes": "Speech 30 min weekly at school.",
        "idempotency_key": "school-plan-new-0001",
    }
    data.update(changes)
    return data


def test_therapist_adds_an_iep_once_even_when_the_form_is_sent_twice(
    world: World, client: Client
) -> None:
    sign_in(client, world.therapist)
    url = reverse("schoolplans:new", args=[world.child.pk])
    first = client.post(url, _plan_data())
    again = client.post(url, _plan_data())
    assert first.status_code == again.status_code == 302
    plan = SchoolPlan.objects.get(child=world.child)
    assert plan.kind == "iep" and plan.provider == "Lincoln Elementary"
    # Left empty, the next review is a year after an IEP's date (34 CFR 300.324(b)(1)(i)).
    assert plan.review_due == datetime.date(2027, 9, 1)
    assert plan.author == world.therapist
    page = client.get(_index(world)).content.decode()
    assert "Lincoln Elementary" in page and "Speech 30 min weekly" in page


def test_bad_dates_are_refused_with_a_message_and_nothing_saved(
    world: World, client: Client
) -> None:
    sign_in(client, world.therapist)
    url = reverse("schoolplans:new", args=[world.child.pk])
    answer = client.post(url, _plan_data(review_due="2026-08-01"))
    assert answer.status_code == 200
    assert "The next review must be after the plan&#x27;s date." in answer.content.decode()
    answer = client.post(url, _plan_data(start_date="2020-02-31", idempotency_key="k-000000002"))
    assert "Enter a valid date." in answer.content.decode()
    assert not SchoolPlan.objects.exists()


def test_goal_links_to_the_childs_clinic_goals_only(world: World, client: Client) -> None:
    clinic = make_plan(world.child, world.therapist).goals.get()
    others = make_plan(world.other_child, world.unassigned_therapist).goals.get()
    plan = make_school_plan(world.child, world.therapist, goals=0)
    sign_in(client, world.therapist)
    url = reverse("schoolplans:goal_new", args=[world.child.pk, plan.pk])
    form = client.get(url).content.decode()
    assert str(clinic.pk) in form and str(others.pk) not in form
    forged = {
        "statement": "Reads 20 sight words.",
        "area": "Reading",
        "clinic_goals": [str(others.pk)],
        "idempotency_key": "school-goal-0001",
    }
    answer = client.post(url, forged)
    assert answer.status_code == 200 and "Select a valid choice" in answer.content.decode()
    assert not SchoolGoal.objects.exists()
    good = dict(forged, clinic_goals=[str(clinic.pk)], idempotency_key="school-goal-0002")
    assert client.post(url, good).status_code == 302
    goal = SchoolGoal.objects.get()
    assert [link.goal_id for link in SchoolGoalLink.objects.filter(school_goal=goal)] == [clinic.pk]
    page = client.get(_index(world)).content.decode()
    assert "Reads 20 sight words." in page and clinic.statement in page  # staff: clinical words


def test_editing_a_goal_changes_its_links_and_keeps_history(world: World, client: Client) -> None:
    plan = make_plan(world.child, world.therapist, goals=2)
    first, second = plan.goals.order_by("position", "created_at")
    school_goal = make_school_plan(world.child, world.therapist).goals.get()
    sign_in(client, world.therapist)
    url = reverse("schoolplans:goal_edit", args=[world.child.pk, school_goal.pk])
    data = {
        "statement": "Reads 30 sight words.",
        "area": "Reading",
        "version": "1",
        "clinic_goals": [str(first.pk)],
    }
    assert client.post(url, data).status_code == 302
    data.update(version="2", clinic_goals=[str(second.pk)])
    assert client.post(url, data).status_code == 302
    links = SchoolGoalLink.objects.filter(school_goal=school_goal)
    assert [link.goal_id for link in links] == [second.pk]
    # The link to the first goal was made and removed: both are in the history.
    kinds = list(
        SchoolGoalLink.history.filter(goal_id=first.pk)
        .order_by("history_date")
        .values_list("history_type", flat=True)
    )
    assert kinds == ["+", "-"]
    school_goal.refresh_from_db()
    assert school_goal.version == 3 and school_goal.history.count() == 3


def test_a_stale_save_is_a_conflict_not_an_overwrite(world: World, client: Client) -> None:
    plan = make_school_plan(world.child, world.therapist)
    sign_in(client, world.therapist)
    url = reverse("schoolplans:edit", args=[world.child.pk, plan.pk])
    data = {
        "kind": "iep",
        "provider": "Lincoln Elementary",
        "start_date": "2026-09-01",
        "review_due": "2027-06-01",
        "notes": "",
        "version": "1",
    }
    assert client.post(url, dict(data, notes="first")).status_code == 302
    answer = client.post(url, dict(data, notes="second"))
    assert answer.status_code == 409
    assert "Someone else saved this" in answer.content.decode()
    plan.refresh_from_db()
    assert plan.notes == "first" and plan.version == 2


def test_family_and_teacher_read_the_plan_with_clinic_goals_in_family_words(
    world: World, client: Client
) -> None:
    clinic = make_plan(world.child, world.therapist).goals.get()
    clinic.family_wording_en = "Maya buttons her coat by herself."
    clinic.save()
    school_goal = make_school_plan(world.child, world.therapist).goals.get()
    SchoolGoalLink.objects.create(
        organization=world.org, child=world.child, school_goal=school_goal, goal=clinic
    )
    for reader in (world.guardian, world.consented_collaborator):
        sign_in(client, reader)
        page = client.get(_index(world))
        assert page.status_code == 200
        text = page.content.decode()
        assert "Maya buttons her coat by herself." in text
        assert clinic.statement[:30] not in text  # never the clinical SMART text
        assert "Add a school plan" not in text and "Edit goal" not in text
    for outsider in (world.other_guardian, world.revoked_collaborator, world.foreign_admin):
        sign_in(client, outsider)
        assert client.get(_index(world)).status_code == 404


def test_ending_a_plan_moves_it_to_earlier_plans(world: World, client: Client) -> None:
    plan = make_school_plan(world.child, world.therapist)
    sign_in(client, world.therapist)
    url = reverse("schoolplans:end", args=[world.child.pk, plan.pk])
    assert client.post(url, {"version": "1"}).status_code == 302
    plan.refresh_from_db()
    assert plan.ended_on is not None
    page = client.get(_index(world)).content.decode()
    assert "Earlier school plans" in page and "Add a goal" not in page
    assert client.post(url, {"version": "2"}).status_code == 302  # said once, nothing changes
    plan.refresh_from_db()
    assert plan.version == 2


def test_the_list_is_audited_and_costs_the_same_with_more_plans(
    world: World, client: Client, django_assert_max_num_queries: Any
) -> None:
    make_plan(world.child, world.therapist, goals=3)
    sign_in(client, world.therapist)
    client.get(_index(world))  # warm the session
    counts = []
    for _ in range(2):
        make_school_plan(world.child, world.therapist, goals=3)
        with django_assert_max_num_queries(14) as ctx:
            assert client.get(_index(world)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert AccessLog.objects.about(world.child).filter(route="schoolplans:index").exists()


def test_today_lists_the_transition_window_and_a_review_due(world: World, client: Client) -> None:
    from tandem.core.testing.factories import clinic_today

    today = clinic_today()
    world.child.date_of_birth = today - datetime.timedelta(days=2 * 365 + 120)  # ~2 y 4 m
    world.child.save()
    make_school_plan(
        world.child,
        world.therapist,
        kind="ifsp",
        start=today - datetime.timedelta(days=170),
        review_due=today + datetime.timedelta(days=10),
    )
    sign_in(client, world.therapist)
    page = client.get(reverse("today:home")).content.decode()
    assert "Part C transition window" in page and "IFSP six-month review" in page
    assert re.search(reverse("schoolplans:index", args=[world.child.pk]), page)
