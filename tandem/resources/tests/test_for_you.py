"""Families see what was shared with them and what fits their child's age and plan."""

import pytest
from django.test import Client
from django.urls import reverse

from tandem.audit.models import AccessLog
from tandem.conftest import World
from tandem.core.testing.text import without_tokens
from tandem.progress.tests.helpers import make_goal, make_plan
from tandem.resources import actions
from tandem.resources.models import Resource

from .helpers import make_resource

INDEX = reverse("resources:index")


@pytest.fixture
def plan_domains(world: World) -> None:
    """Maya (five years old) works on fine motor and communication; a draft adds feeding."""
    plan = make_plan(world.child, world.therapist)
    make_goal(plan, domain="fine_motor")
    make_goal(plan, domain="communication")
    make_goal(plan, domain="play", status="met")
    draft = make_plan(world.child, world.therapist, status="draft", discipline="slp")
    make_goal(draft, domain="feeding")


def titles(client: Client, url: str = INDEX) -> set[str]:
    body = client.get(url).content.decode()
    return {r.title for r in Resource.objects.all() if r.title in body}


def test_for_you_has_matches_by_age_plan_and_language(world, client_as, plan_domains):
    by = world.therapist
    make_resource(by, title="Fits: fine motor, any age", domains=["fine_motor"])
    make_resource(
        by,
        title="Fits: talking, 4 to 6",
        domains=["communication"],
        min_age_months=48,
        max_age_months=72,
    )
    make_resource(by, title="Too young: babies", domains=["fine_motor"], max_age_months=24)
    make_resource(by, title="Not in her plan", domains=["gross_motor"])
    make_resource(by, title="Met goal's domain", domains=["play"])
    make_resource(by, title="Draft plan's domain", domains=["feeding"])
    make_resource(by, title="In Spanish", domains=["fine_motor"], language="es")
    make_resource(by, title="No domain", domains=[])
    assert titles(client_as(world.guardian)) == {
        "Fits: fine motor, any age",
        "Fits: talking, 4 to 6",
    }


def test_a_spanish_speaking_family_gets_spanish_suggestions(world, client_as, plan_domains):
    make_resource(world.therapist, title="Para casa", domains=["fine_motor"], language="es")
    make_resource(world.therapist, title="For home", domains=["fine_motor"], language="en")
    world.guardian.user.language = "es"
    world.guardian.user.save()
    assert titles(client_as(world.guardian)) == {"Para casa"}


def test_shared_resources_show_whatever_their_language_and_tags(world, client_as):
    resource = make_resource(world.therapist, title="Shared leaflet", domains=[], language="es")
    actions.share_resource(world.therapist, world.child, resource, note="Try it at bath time")
    body = client_as(world.guardian).get(INDEX).content.decode()
    assert "Shared leaflet" in body
    assert "For Maya" in body and "Try it at bath time" in body
    assert "shared by your team" in body


def test_another_familys_resources_stay_theirs(world, client_as, plan_domains):
    resource = make_resource(world.therapist, title="Only for Noah", domains=["gross_motor"])
    actions.share_resource(world.unassigned_therapist, world.other_child, resource)
    client = client_as(world.guardian)
    assert "Only for Noah" not in client.get(INDEX).content.decode()
    assert client.get(f"{reverse('resources:detail')}?id={resource.id}").status_code == 404
    assert client.get(f"{reverse('resources:file')}?id={resource.id}").status_code == 404
    other = client_as(world.other_guardian)
    assert other.get(f"{reverse('resources:detail')}?id={resource.id}").status_code == 200


def test_a_family_opens_a_resource_for_them(world, client_as, plan_domains):
    resource = make_resource(world.therapist, title="Buttons", body="Start with big buttons.")
    page = client_as(world.guardian).get(f"{reverse('resources:detail')}?id={resource.id}")
    assert page.status_code == 200
    body = without_tokens(page.content)
    assert "Start with big buttons." in body
    assert "Share with a family" not in body and "Edit" not in body


def test_for_you_is_logged_as_a_list_of_the_children(world, client_as):
    client_as(world.guardian).get(INDEX)
    logged = AccessLog.objects.filter(user=world.guardian.user, action="list")
    assert logged.children_shown() == {world.child.id, world.sibling.id}


def test_the_childs_page_shows_shared_and_suggested(world, client_as, plan_domains):
    shared = make_resource(world.therapist, title="Shared one", domains=[])
    actions.share_resource(world.therapist, world.child, shared)
    make_resource(world.therapist, title="Suggested one", domains=["communication"])
    make_resource(world.therapist, title="Spanish one", domains=["communication"], language="es")
    url = reverse("resources:child", args=[world.child.id])
    assert titles(client_as(world.guardian), url) == {"Shared one", "Suggested one"}
    # Staff see suggestions in every language, and the sharing form.
    staff = client_as(world.therapist).get(url).content.decode()
    assert "Spanish one" in staff and "Share with the family" in staff
    consulting = client_as(world.consulting_therapist).get(url).content.decode()
    assert "Share with the family" not in consulting
    assert client_as(world.other_guardian).get(url).status_code == 404


def test_for_you_query_count_does_not_grow(
    world, client_as, plan_domains, django_assert_max_num_queries
):
    client = client_as(world.guardian)
    make_resource(world.therapist, title="One")
    client.get(INDEX)
    with django_assert_max_num_queries(16) as few:
        assert client.get(INDEX).status_code == 200
    for n in range(12):
        resource = make_resource(
            world.therapist, title=f"R{n}", domains=["fine_motor", "communication"]
        )
        actions.share_resource(world.therapist, world.child if n % 2 else world.sibling, resource)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(INDEX).status_code == 200
