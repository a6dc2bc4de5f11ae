"""A collaborator sees only what a consent shares, for that child, while it lasts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.audit.models import AccessLog
from tandem.audit.pages import PAGE_NAMES
from tandem.children.models import Child
from tandem.conftest import World
from tandem.consent.models import ConsentGrant
from tandem.consent.tests.helpers import clinic_today, share
from tandem.core.testing import factories as f
from tandem.homeprogram.models import Observation
from tandem.plans.models import Goal
from tandem.progress.tests.helpers import make_goal, make_plan, record_sessions

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`


def summary_url(child: Child) -> str:
    return reverse("collaborators:child", args=[child.id])


def notes_url(child: Child) -> str:
    return reverse("collaborators:notes", args=[child.id])


@pytest.fixture
def clinical(world: World) -> Goal:
    """An active plan with a goal and two signed sessions, and a draft plan, for Maya."""
    plan = make_plan(world.child, world.therapist)
    goal = make_goal(
        plan,
        statement="By the review date, Maya will zip her coat in 4 of 5 trials.",
        family_wording_en="Zips her coat on her own",
        gas_0="Zips 4 of 5 times",
    )
    make_goal(
        make_plan(world.child, world.therapist, status="draft", discipline="slp"),
        statement="A draft goal nobody agreed yet",
        family_wording_en="A draft goal nobody agreed yet",
    )
    record_sessions(
        world.therapist,
        world.child,
        [
            (datetime.date(2024, 2, 5), {goal: (40.0, -1)}),
            (datetime.date(2024, 2, 12), {goal: (60.0, 0)}),
        ],
    )
    return goal


def test_collaborator_sees_the_goals_and_progress_shared_with_them(world, client_as, clinical):
    response = client_as(world.consented_collaborator).get(summary_url(world.child))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Maya Okafor" in body and "Zips her coat on her own" in body
    assert "Zips 4 of 5 times" in body
    assert "A draft goal nobody agreed yet" not in body  # drafts are not shared
    assert "Eli Okafor" not in body  # nor her brother


def test_the_summary_does_not_open_the_session_notes(world, client_as, clinical):
    client = client_as(world.consented_collaborator)  # shares Maya's summary only
    assert client.get(notes_url(world.child)).status_code == 404
    body = client.get(summary_url(world.child)).content.decode()
    assert notes_url(world.child) not in body


def test_notes_are_shared_only_when_signed(world, client_as, clinical):
    grant = share(
        world.collaborator, world.child, world.guardian, can_read_notes=True, can_see_summary=False
    )
    record_sessions(
        world.therapist,
        world.child,
        [(datetime.date(2024, 3, 1), {clinical: (70.0, 1)})],
        status="draft",
    )
    client = client_as(world.collaborator)
    body = client.get(notes_url(world.child)).content.decode()
    assert body.count("Session on") == 2  # the two signed notes, not the draft
    assert client.get(summary_url(world.child)).status_code == 404  # not shared
    assert grant.expires_on.strftime("%Y") in body


@pytest.mark.parametrize(
    "page", ["children:detail", "plans:index", "progress:index", "notes:index", "children:team"]
)
def test_the_clinics_own_pages_stay_closed(world, client_as, page):
    client = client_as(world.consented_collaborator)
    assert client.get(reverse(page, args=[world.child.id])).status_code == 404


def test_other_children_stay_hidden(world, client_as):
    client = client_as(world.consented_collaborator)
    for child in (world.sibling, world.foreign_child):
        assert client.get(summary_url(child)).status_code == 404


@pytest.mark.parametrize(
    "persona", ["expired_collaborator", "revoked_collaborator", "collaborator"]
)
def test_expired_revoked_or_absent_consent_shows_nothing(world, client_as, persona):
    client = client_as(getattr(world, persona))
    assert client.get(summary_url(world.child)).status_code == 404
    assert client.get(notes_url(world.child)).status_code == 404


def test_consent_ends_after_its_last_day(world, client_as):
    grant = share(
        world.collaborator, world.child, world.guardian, expires_on=clinic_today(world.child)
    )
    client = client_as(world.collaborator)
    assert client.get(summary_url(world.child)).status_code == 200  # the last day counts
    grant.expires_on = clinic_today(world.child) - datetime.timedelta(days=1)
    grant.save()
    assert client.get(summary_url(world.child)).status_code == 404


def test_withdrawing_takes_effect_on_the_next_request(world, client_as):
    teacher = client_as(world.consented_collaborator)
    assert teacher.get(summary_url(world.child)).status_code == 200
    grant = ConsentGrant.objects.get(collaborator=world.consented_collaborator, child=world.child)
    client_as(world.guardian).post(reverse("consent:revoke", args=[world.child.id, grant.id]))
    assert teacher.get(summary_url(world.child)).status_code == 404
    assert "Maya Okafor" not in teacher.get("/").content.decode()


def test_archived_children_are_not_shown(world, client_as):
    world.child.archived_at = timezone.now()
    world.child.save()
    assert client_as(world.consented_collaborator).get(summary_url(world.child)).status_code == 404


def test_every_use_is_in_the_access_log(world, client_as):
    client_as(world.consented_collaborator).get(summary_url(world.child))
    row = AccessLog.objects.get(user=world.consented_collaborator.user)
    assert (row.child, row.route) == (world.child, "collaborators:child")
    trail = client_as(world.admin).get(reverse("audit:child", args=[world.child.id]))
    assert str(PAGE_NAMES["collaborators:child"]) in trail.content.decode()  # the page, named


def test_refused_requests_log_the_refusal_and_no_view(world, client_as):
    assert client_as(world.expired_collaborator).get(summary_url(world.child)).status_code == 404
    rows = AccessLog.objects.filter(user=world.expired_collaborator.user)
    assert [r.action for r in rows] == [AccessLog.Action.REFUSED]


def test_summary_query_count_is_bounded(world, client_as, django_assert_max_num_queries):
    for n in range(6):
        plan = make_plan(
            world.child,
            world.therapist,
            discipline=["ot", "pt", "slp"][n % 3],
            status="active" if n < 3 else "closed",
        )
        goals = [make_goal(plan) for _ in range(3)]
        record_sessions(
            world.therapist,
            world.child,
            [
                (
                    datetime.date(2024, 1, 8) + datetime.timedelta(days=7 * w),
                    dict.fromkeys(goals, (50.0, 0)),
                )
                for w in range(5)
            ],
        )
    client = client_as(world.consented_collaborator)
    client.get("/")  # the session's first request records the session itself
    with django_assert_max_num_queries(18):
        assert client.get(summary_url(world.child)).status_code == 200


def test_notes_query_count_is_bounded(world, client_as, clinical, django_assert_max_num_queries):
    share(world.collaborator, world.child, world.guardian, can_read_notes=True)
    record_sessions(
        world.therapist,
        world.child,
        [
            (datetime.date(2024, 3, 1) + datetime.timedelta(days=d), {clinical: (50.0, 0)})
            for d in range(25)
        ],
    )
    client = client_as(world.collaborator)
    client.get("/")  # the session's first request records the session itself
    with django_assert_max_num_queries(16):
        assert client.get(notes_url(world.child)).status_code == 200


def test_a_collaborator_of_another_clinic_sees_nothing(world, client_as):
    outsider = f.CollaboratorFactory(organization=world.foreign_org)
    assert client_as(outsider).get(summary_url(world.child)).status_code == 404


def test_collaborator_tells_the_team_what_they_saw_at_school(world, client_as, clinical):
    share(
        world.collaborator,
        world.child,
        world.guardian,
        can_see_summary=False,
        can_post_observations=True,
    )
    client = client_as(world.collaborator)
    url = reverse("collaborators:observe", args=[world.child.id])
    page = client.get(url).content.decode()
    assert "Zips her coat on her own" in page
    assert "A draft goal nobody agreed yet" not in page
    response = client.post(
        url,
        {
            "goal": clinical.id,
            "setting": "school",
            "independence": "some_help",
            "observed_on": clinic_today(world.child).isoformat(),
            "note": "Zipped it before break time",
        },
    )
    assert response.status_code == 302
    observation = Observation.objects.get(recorded_by=world.collaborator)
    assert (observation.goal, observation.setting, observation.recorder_role) == (
        clinical,
        "school",
        "collaborator",
    )
    assert client.get(summary_url(world.child)).status_code == 404  # observing only


def test_a_collaborator_sees_their_own_observations_not_the_familys(world, client_as, clinical):
    from tandem.homeprogram.actions import record_observation

    share(world.collaborator, world.child, world.guardian, can_post_observations=True)
    today = clinic_today(world.child)
    fields = {"observed_on": today, "independence": "some_help"}
    record_observation(
        world.guardian,
        world.child,
        clinical,
        setting="home",
        **fields,
        note="At breakfast with grandma",
    )
    record_observation(
        world.collaborator,
        world.child,
        clinical,
        setting="school",
        **fields,
        note="Before break time",
    )

    page = client_as(world.collaborator).get(
        reverse("collaborators:observe", args=[world.child.id])
    )

    body = page.content.decode()
    assert "Before break time" in body
    assert "At breakfast with grandma" not in body


def test_observing_needs_that_part_of_the_consent(world, client_as, clinical):
    url = reverse("collaborators:observe", args=[world.child.id])
    client = client_as(world.consented_collaborator)  # Maya: summary only
    assert client.get(url).status_code == 404
    assert client.post(url, {"goal": clinical.id}).status_code == 404
    assert not Observation.objects.filter(recorded_by=world.consented_collaborator).exists()


def test_a_bad_observation_gets_a_clear_message(world, client_as, clinical):
    share(world.collaborator, world.child, world.guardian, can_post_observations=True)
    url = reverse("collaborators:observe", args=[world.child.id])
    tomorrow = clinic_today(world.child) + datetime.timedelta(days=1)
    response = client_as(world.collaborator).post(
        url,
        {
            "goal": clinical.id,
            "setting": "school",
            "independence": "not_yet",
            "observed_on": tomorrow.isoformat(),
        },
    )
    assert response.status_code == 200 and "still to come" in response.content.decode()
    assert not Observation.objects.exists()
