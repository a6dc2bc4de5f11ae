"""Starting child mode locks the device to the child's pages; leaving needs the adult."""

from collections.abc import Callable

import pytest
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Membership
from tandem.audit.models import AccessLog
from tandem.childmode import lock
from tandem.children.models import Child
from tandem.conftest import World
from tandem.core.testing.factories import PASSWORD

HOME = reverse("childmode:home")
EXIT = reverse("childmode:exit")
ENTER = reverse("childmode:enter")


def enter(client: Client, child: Child) -> HttpResponseBase:
    return client.post(ENTER, {"child": str(child.id)})


@pytest.fixture
def in_child_mode(world: World, client_as: Callable[[Membership], Client]) -> Client:
    client = client_as(world.guardian)
    response = enter(client, world.child)
    assert response.status_code == 302 and response["Location"] == HOME
    return client


def test_guardian_starts_child_mode_and_sees_the_child_page(world, in_child_mode):
    response = in_child_mode.get(HOME)
    assert response.status_code == 200
    assert "Hi, Maya!" in response.content.decode()
    assert in_child_mode.session[lock.SESSION_KEY] == {
        "child": str(world.child.id),
        "adult": str(world.guardian.id),
    }


def test_treating_therapist_and_admin_may_start_child_mode(world, client_as):
    for adult in (world.therapist, world.assistant, world.admin):
        client = client_as(adult)
        assert enter(client, world.child)["Location"] == HOME
        assert client.get(HOME).status_code == 200


def test_consulting_therapist_may_not_start_child_mode(world, client_as):
    client = client_as(world.consulting_therapist)
    assert enter(client, world.child).status_code == 403
    assert lock.SESSION_KEY not in client.session


def test_outsiders_cannot_start_child_mode_for_a_child_they_do_not_see(world, client_as):
    for outsider in (
        world.other_guardian,
        world.unassigned_therapist,
        world.foreign_admin,
        world.foreign_guardian,
        world.collaborator,
    ):
        client = client_as(outsider)
        assert enter(client, world.child).status_code == 404, outsider
        assert lock.SESSION_KEY not in client.session


def test_an_empty_form_starts_nothing(world, client_as):
    """The authorization matrix posts empty forms: they must never lock its clients."""
    client = client_as(world.admin)
    response = client.post(ENTER, {})
    assert response.status_code == 302
    assert lock.SESSION_KEY not in client.session
    assert client.get(reverse("children:caseload")).status_code == 200


def test_every_other_page_leads_back_to_child_mode(world, in_child_mode):
    for url in (
        reverse("home"),
        reverse("homeprogram:family_home"),
        reverse("children:detail", args=[world.child.id]),
        reverse("children:detail", args=[world.sibling.id]),
        reverse("plans:index", args=[world.child.id]),
        reverse("accounts:preferences"),
        reverse("childmode:start", args=[world.child.id]),
    ):
        response = in_child_mode.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == HOME, url


def test_signing_out_and_switching_child_are_locked_too(world, in_child_mode):
    response = in_child_mode.post(reverse("account_logout"))
    assert response["Location"] == HOME
    assert in_child_mode.get(HOME).status_code == 200  # still signed in, still in child mode
    enter(in_child_mode, world.sibling)
    assert in_child_mode.session[lock.SESSION_KEY]["child"] == str(world.child.id)


def test_the_api_refuses_a_session_in_child_mode(world, in_child_mode):
    response = in_child_mode.get(f"/api/v1/children/{world.child.id}/plans")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Child mode is on")


def test_leaving_needs_the_adults_password(world, in_child_mode):
    page = in_child_mode.get(EXIT)
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.content.decode()

    wrong = in_child_mode.post(EXIT, {"password": "let-me-out"})
    assert wrong.status_code == 200
    assert "not the password" in wrong.content.decode()
    assert in_child_mode.get(reverse("home"))["Location"] == HOME

    right = in_child_mode.post(EXIT, {"password": PASSWORD})
    assert right.status_code == 302
    assert right["Location"] == reverse("childmode:start", args=[world.child.id])
    assert lock.SESSION_KEY not in in_child_mode.session
    assert in_child_mode.get(reverse("homeprogram:family_home")).status_code == 200


def test_an_empty_password_does_not_leave(world, in_child_mode):
    assert in_child_mode.post(EXIT, {}).status_code == 200
    assert lock.SESSION_KEY in in_child_mode.session


def test_wrong_passwords_are_limited(world, in_child_mode):
    for _ in range(lock.MAX_EXIT_FAILURES):
        assert in_child_mode.post(EXIT, {"password": "guess"}).status_code == 200
    refused = in_child_mode.post(EXIT, {"password": PASSWORD})
    assert refused.status_code == 429
    assert "Too many tries" in refused.content.decode()
    assert lock.SESSION_KEY in in_child_mode.session


def test_wrong_tries_expire_after_the_cooldown(world, in_child_mode):
    for _ in range(lock.MAX_EXIT_FAILURES):
        in_child_mode.post(EXIT, {"password": "guess"})
    session = in_child_mode.session
    session[lock.FAILURES_KEY] = ["2000-01-01T00:00:00+00:00"] * lock.MAX_EXIT_FAILURES
    session.save()
    assert in_child_mode.post(EXIT, {"password": PASSWORD}).status_code == 302


def test_entering_and_leaving_are_in_the_access_log(world, in_child_mode):
    in_child_mode.post(EXIT, {"password": PASSWORD})
    routes = list(
        AccessLog.objects.filter(child=world.child, user=world.guardian.user).values_list(
            "route", flat=True
        )
    )
    assert "childmode:enter" in routes and "childmode:exit" in routes


def test_child_pages_without_child_mode_lead_home(world, client_as):
    client = client_as(world.guardian)
    for url in (HOME, EXIT, reverse("childmode:picture")):
        assert client.get(url)["Location"] == reverse("home")
    assert client.post(reverse("childmode:choose"), {})["Location"] == reverse("home")


def test_losing_access_to_the_child_ends_the_session(world, in_child_mode):
    world.child.guardian_links.all().delete()
    response = in_child_mode.get(HOME)
    assert response["Location"] == reverse("account_login")
    assert lock.SESSION_KEY not in in_child_mode.session


def test_start_page_explains_and_offers_the_button(world, client_as):
    body = client_as(world.guardian).get(reverse("childmode:start", args=[world.child.id]))
    text = body.content.decode()
    assert "Start child mode for Maya" in text
    assert "you will need your password" in text
    consulting = client_as(world.consulting_therapist).get(
        reverse("childmode:start", args=[world.child.id])
    )
    assert "Start child mode" not in consulting.content.decode()
