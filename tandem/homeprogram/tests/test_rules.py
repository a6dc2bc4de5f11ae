"""The home program's access rules (rules.py) at their edges, on pages, the API and scopes.

The authorization matrices hold every route and operation to the product rules for the
usual personas; these add the front desk and billing (no clinical content: the home
program is not there for them) and the rules whose edges the matrices do not reach.
"""

import json
from collections.abc import Callable
from typing import Any, cast

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, reverse

from tandem.access import allows
from tandem.access.registry import registered
from tandem.accounts.models import Membership, Role
from tandem.conftest import World
from tandem.core.testing import factories as f
from tandem.homeprogram.models import HomeActivity, Observation, PracticeLog
from tandem.homeprogram.tests.api_urls import api
from tandem.homeprogram.urls import urlpatterns

from .helpers import goal_of, log, make_activity, observe

pytestmark = pytest.mark.urls("tandem.homeprogram.tests.api_urls")

ClientAs = Callable[[Membership], Client]
API = "/api/v1"
NEW_ROLES = [Role.FRONT_DESK, Role.BILLING]


def _new_role(world: World, role: str) -> Membership:
    """A member of Maya's clinic in one of the new roles."""
    return cast(Membership, f.MembershipFactory(organization=world.org, role=role))


def _send(client: Client, method: str, url: str, data: Any = None) -> HttpResponse:
    body = json.dumps({} if data is None else data, default=str)
    return cast(HttpResponse, client.generic(method, url, body, content_type="application/json"))


@pytest.fixture
def home(world: World) -> dict[str, Any]:
    """An activity linked to a goal, a practice log and an observation of Maya's."""
    goal = goal_of(world.child, world.therapist)
    activity = make_activity(world.child, world.therapist, goals=[goal])
    entry = log(activity, world.guardian)
    observe(world.child, goal, world.guardian)
    return {
        "child_id": world.child.id,
        "home_activity_id": activity.id,
        "log_id": entry.id,
        "goal_id": goal.id,
    }


def _pages(ids: dict[str, Any]) -> list[str]:
    routes = [p for p in urlpatterns if isinstance(p, URLPattern)]
    return [
        reverse(f"homeprogram:{p.name}", kwargs={k: ids[k] for k in p.pattern.regex.groupindex})
        for p in routes
    ]


def _operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return [(method.upper(), path) for path, item in schema["paths"].items() for method in item]


@pytest.mark.parametrize("role", NEW_ROLES)
def test_the_front_desk_and_billing_find_no_home_program_page(
    world: World, client_as: ClientAs, home: dict[str, Any], role: str
) -> None:
    client = client_as(_new_role(world, role))
    pages = _pages(home)
    assert len(pages) == 12  # the guardian's home among them
    for url in pages:
        for method in ("GET", "POST"):
            status = (client.get(url) if method == "GET" else client.post(url, {})).status_code
            assert status in (404, 405), f"{role} {method} {url} → {status}"
    # One representative read and write, by a method the page takes: not there (404).
    assert client.get(reverse("homeprogram:index", args=[world.child.id])).status_code == 404
    url = reverse("homeprogram:observation_new", args=[world.child.id])
    response = client.post(url, {"goal": home["goal_id"], "setting": "home"})
    assert response.status_code == 404
    assert not Observation.objects.exclude(recorded_by=world.guardian).exists()


@pytest.mark.parametrize("role", NEW_ROLES)
def test_the_front_desk_and_billing_find_no_home_program_operation(
    world: World, client_as: ClientAs, home: dict[str, Any], role: str
) -> None:
    client = client_as(_new_role(world, role))
    operations = _operations()
    assert len(operations) == 12
    for method, path in operations:
        url = path.format(**home)
        response = client.get(url) if method == "GET" else _send(client, method, url)
        status = response.status_code
        assert status == 404, f"{role} {method} {url} → {status}"
    # Well-formed writes too: refused before the input is read.
    children = f"{API}/children/{world.child.id}"
    practice = {"activity_id": home["home_activity_id"], "outcome": "done"}
    assert _send(client, "POST", f"{children}/practice-logs", practice).status_code == 404
    activity = {"title": "Pegs", "why": "Pinch.", "steps": "One.", "goal_ids": []}
    assert _send(client, "POST", f"{children}/home-activities", activity).status_code == 404
    assert HomeActivity.objects.count() == 1 and PracticeLog.objects.count() == 1


def test_a_consulting_therapist_reads_the_program_but_does_not_change_it(
    world: World, client_as: ClientAs, home: dict[str, Any]
) -> None:
    client = client_as(world.consulting_therapist)
    child = world.child.id
    assert client.get(reverse("homeprogram:index", args=[child])).status_code == 200
    assert client.get(reverse("homeprogram:adherence", args=[child])).status_code == 200
    new = reverse("homeprogram:activity_new", args=[child])
    assert client.get(new).status_code == 404
    assert client.post(new, {"title": "Pegs"}).status_code == 403
    observation = reverse("homeprogram:observation_new", args=[child])
    assert client.get(observation).status_code == 404
    assert client.post(observation, {"goal": home["goal_id"]}).status_code == 403
    assert client.get(f"{API}/children/{child}/adherence").status_code == 200
    payload = {"goal_id": home["goal_id"], "setting": "home", "independence": "not_yet"}
    assert _send(client, "POST", f"{API}/children/{child}/observations", payload).status_code == 403


def test_adherence_is_the_teams_not_the_familys(
    world: World, client_as: ClientAs, home: dict[str, Any]
) -> None:
    client = client_as(world.guardian)
    assert client.get(reverse("homeprogram:adherence", args=[world.child.id])).status_code == 404
    assert client.get(f"{API}/children/{world.child.id}/adherence").status_code == 404
    assert not allows(world.guardian, "homeprogram.adherence", child=world.child)


def test_only_the_guardian_who_logged_a_practice_changes_it(
    world: World, client_as: ClientAs, home: dict[str, Any]
) -> None:
    other_parent = cast(Membership, f.GuardianLinkFactory(child=world.child).guardian)
    client = client_as(other_parent)
    url = reverse("homeprogram:log_update", args=[world.child.id, home["log_id"]])
    assert client.post(url, {"how_it_went": "1"}).status_code == 403
    undo = reverse("homeprogram:log_undo", args=[world.child.id, home["log_id"]])
    assert client.post(undo).status_code == 403
    path = f"{API}/children/{world.child.id}/practice-logs/{home['log_id']}"
    assert _send(client, "PATCH", path, {"how_it_went": 1}).status_code == 403
    assert PracticeLog.objects.get().how_it_went is None
    assert _send(client_as(world.guardian), "PATCH", path, {"how_it_went": 3}).status_code == 200


def test_practice_is_logged_by_the_family_only(
    world: World, client_as: ClientAs, home: dict[str, Any]
) -> None:
    """Admins reach the API's practice-log input (the matrix's "guardian" rule) but a
    well-formed log is refused; therapists are refused before the input is read."""
    path = f"{API}/children/{world.child.id}/practice-logs"
    practice = {"activity_id": home["home_activity_id"], "outcome": "done"}
    admin = client_as(world.admin)
    assert _send(admin, "POST", path, {}).status_code == 422
    assert _send(admin, "POST", path, practice).status_code == 403
    assert _send(client_as(world.therapist), "POST", path, {}).status_code == 403
    page = reverse("homeprogram:log_new", args=[world.child.id, home["home_activity_id"]])
    assert admin.post(page, {"outcome": "done"}).status_code == 404
    assert PracticeLog.objects.count() == 1
    assert _send(client_as(world.guardian), "POST", path, practice).status_code == 201


def test_collaborators_observe_on_the_consent_pages_not_the_tab(
    world: World, client_as: ClientAs
) -> None:
    """Noah's family shares observations with the teacher: the rule lets them record
    one (the consent pages use it), but the Home program tab is not theirs."""
    teacher, noah = world.consented_collaborator, world.other_child
    assert allows(teacher, "homeprogram.observe", child=noah)
    assert not allows(teacher, "homeprogram.observe", child=world.child)  # summary only
    assert not allows(teacher, "homeprogram.view", child=noah)
    client = client_as(teacher)
    assert client.get(reverse("homeprogram:observation_new", args=[noah.id])).status_code == 404
    goal = goal_of(noah, world.unassigned_therapist)
    payload = {"goal_id": goal.id, "setting": "school", "independence": "some_help"}
    assert (
        _send(client, "POST", f"{API}/children/{noah.id}/observations", payload).status_code == 404
    )


def test_scopes_read_across_the_clinic(world: World) -> None:
    """``visible_to`` is every row the member reads across the clinic; ``for_child`` one child's."""
    maya = make_activity(world.child, world.therapist)
    noah = make_activity(world.other_child, world.admin)
    make_activity(world.foreign_child, world.foreign_therapist)
    visible = HomeActivity.objects.visible_to
    assert set(visible(world.admin)) == {maya, noah}
    assert set(visible(world.therapist)) == {maya}
    assert set(visible(world.guardian)) == {maya}
    assert set(visible(world.other_guardian)) == {noah}
    assert set(visible(world.admin).for_child(world.other_child)) == {noah}
    assert not visible(_new_role(world, Role.FRONT_DESK)).exists()
    assert not visible(world.consented_collaborator).exists()


def test_a_collaborator_reads_only_the_observations_they_recorded(world: World) -> None:
    noah = world.other_child
    goal = goal_of(noah, world.unassigned_therapist)
    family = observe(noah, goal, world.other_guardian)
    teacher = observe(noah, goal, world.consented_collaborator, setting="school")
    scope = Observation.objects.visible_to
    assert set(scope(world.consented_collaborator)) == {teacher}
    assert set(scope(world.other_guardian)) == {family, teacher}
    assert set(scope(world.admin).for_child(noah)) == {family, teacher}
    assert not scope(_new_role(world, Role.BILLING)).exists()


def test_every_home_program_action_has_its_rule() -> None:
    actions = {name for name in registered() if name.startswith("homeprogram.")}
    assert actions == {
        "homeprogram.view",
        "homeprogram.edit",
        "homeprogram.log_practice",
        "homeprogram.change_log",
        "homeprogram.observe",
        "homeprogram.adherence",
        "homeprogram.practice_input",
        "homeprogram.family_home",
    }
    for name in actions:
        roles = registered()[name].roles
        assert Role.FRONT_DESK not in roles and Role.BILLING not in roles, name
