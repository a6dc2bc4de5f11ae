"""/children/{id}/guardians: who the family is; clinic admins link, change and unlink."""

import pytest
from django.core import mail
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from tandem.accounts.models import Invitation, Membership, Role
from tandem.api.tests.conftest import ApiAs
from tandem.audit.models import AccessLog
from tandem.children.models import Child, GuardianLink
from tandem.conftest import World
from tandem.core.testing import factories as f


def guardians(child: Child) -> str:
    return f"/children/{child.id}/guardians"


def link_of(world: World) -> GuardianLink:
    return GuardianLink.objects.get(child=world.child, guardian=world.guardian)


# --- Reading -------------------------------------------------------------------


def test_staff_see_the_guardians_with_their_contact_details(world: World, api_as: ApiAs) -> None:
    response = api_as(world.therapist).get(guardians(world.child))
    assert response.status_code == 200
    [link] = response.json()
    assert link["guardian"]["id"] == str(world.guardian.id)
    assert link["guardian"]["email"] == world.guardian.user.email
    assert (link["relationship"], link["has_legal_authority"]) == ("mother", True)


def test_guardians_see_their_childs_guardians_without_contact_details(
    world: World, api_as: ApiAs
) -> None:
    co_parent = f.GuardianLinkFactory(child=world.child, relationship="father").guardian
    body = api_as(world.guardian).get(guardians(world.child)).json()
    assert {g["guardian"]["id"] for g in body} == {str(world.guardian.id), str(co_parent.id)}
    assert {(g["guardian"]["email"], g["guardian"]["phone"]) for g in body} == {(None, None)}


@pytest.mark.parametrize(
    "persona", ["other_guardian", "unassigned_therapist", "collaborator", "foreign_admin"]
)
def test_outsiders_get_404(world: World, api_as: ApiAs, persona: str) -> None:
    assert api_as(getattr(world, persona)).get(guardians(world.child)).status_code == 404


def test_reading_the_family_is_logged(world: World, api_as: ApiAs) -> None:
    api_as(world.consulting_therapist).get(guardians(world.child))
    assert AccessLog.objects.filter(
        user=world.consulting_therapist.user, child=world.child
    ).exists()


# --- Linking -------------------------------------------------------------------


def test_admin_links_an_existing_guardian(world: World, api_as: ApiAs) -> None:
    data = {"guardian_id": str(world.guardian.id), "relationship": "grandparent"}
    response = api_as(world.admin).post(guardians(world.other_child), data)
    assert response.status_code == 201
    link = GuardianLink.objects.get(pk=response.json()["id"])
    assert (link.child, link.guardian, link.relationship) == (
        world.other_child,
        world.guardian,
        "grandparent",
    )
    assert link.history.get().history_user == world.admin.user


def test_admin_invites_a_new_guardian_by_email(
    world: World, api_as: ApiAs, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    data = {
        "email": "Dad@Example.org",
        "first_name": "Sam",
        "last_name": "Okafor",
        "relationship": "father",
        "contact_method": "text",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(world.admin).post(guardians(world.child), data)
    assert response.status_code == 201
    guardian = Membership.objects.get(pk=response.json()["guardian"]["id"])
    assert (guardian.role, guardian.organization_id) == (Role.GUARDIAN, world.child.organization_id)
    assert guardian.user.email == "dad@example.org"
    assert Invitation.objects.filter(membership=guardian).exists()
    assert len(mail.outbox) == 1


def test_an_email_already_a_guardian_here_is_linked_not_invited_again(
    world: World, api_as: ApiAs
) -> None:
    data = {"email": world.other_guardian.user.email.upper(), "relationship": "parent"}
    response = api_as(world.admin).post(guardians(world.child), data)
    assert response.json()["guardian"]["id"] == str(world.other_guardian.id)
    assert not Invitation.objects.exists()


def test_a_foreign_guardian_is_never_linked(world: World, api_as: ApiAs) -> None:
    data = {"guardian_id": str(world.foreign_guardian.id), "relationship": "mother"}
    response = api_as(world.admin).post(guardians(world.child), data)
    assert response.status_code == 422
    assert "guardian_id" in response.json()["detail"]
    assert not GuardianLink.objects.filter(
        guardian=world.foreign_guardian, child=world.child
    ).exists()


def test_an_invited_parent_from_another_clinic_is_linked_to_a_second_child(
    world: World, api_as: ApiAs
) -> None:
    """Before accepting, the waiting guardian may be linked to more of this clinic's
    children; once the invitation is withdrawn, to none."""
    api = api_as(world.admin)
    data = {"email": world.foreign_guardian.user.email, "first_name": "Typed", "last_name": "Name"}
    first = api.post(guardians(world.child), data | {"relationship": "mother"})
    assert first.status_code == 201
    waiting = Membership.objects.get(pk=first.json()["guardian"]["id"])
    assert not waiting.is_active
    second = api.post(guardians(world.other_child), data | {"relationship": "mother"})
    assert second.status_code == 201
    assert second.json()["guardian"] == first.json()["guardian"]
    assert second.json()["guardian"]["name"] == "Typed Name"
    GuardianLink.objects.filter(guardian=waiting, child=world.other_child).delete()
    Invitation.objects.filter(membership=waiting).update(revoked_at=timezone.now())
    third = api.post(guardians(world.other_child), data | {"relationship": "mother"})
    assert third.status_code == 422


def test_a_therapist_cannot_be_linked_as_a_guardian(world: World, api_as: ApiAs) -> None:
    by_id = {"guardian_id": str(world.therapist.id), "relationship": "mother"}
    by_email = {"email": world.therapist.user.email, "relationship": "mother"}
    for data in (by_id, by_email):
        assert api_as(world.admin).post(guardians(world.child), data).status_code == 422
    assert world.child.guardian_links.count() == 1


def test_linking_the_same_guardian_twice_is_422(world: World, api_as: ApiAs) -> None:
    data = {"guardian_id": str(world.guardian.id), "relationship": "mother"}
    response = api_as(world.admin).post(guardians(world.child), data)
    assert response.status_code == 422
    assert world.child.guardian_links.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"relationship": "mother"},
        {"guardian_id": "x", "relationship": "mother"},
        {"email": "not-an-email", "relationship": "mother"},
        {"email": "a@example.org", "relationship": "aunt"},
        {"email": "a@example.org", "guardian_id": None, "relationship": "mother", "role": "admin"},
    ],
)
def test_bad_input_is_422_and_links_and_invites_nobody(
    world: World, api_as: ApiAs, data: dict[str, object]
) -> None:
    response = api_as(world.admin).post(guardians(world.child), data)
    assert response.status_code == 422
    assert world.child.guardian_links.count() == 1
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("persona", ["therapist", "guardian", "consulting_therapist"])
def test_only_admins_link_guardians(world: World, api_as: ApiAs, persona: str) -> None:
    data = {"email": "new@example.org", "relationship": "father"}
    assert api_as(getattr(world, persona)).post(guardians(world.child), data).status_code == 403
    assert not Invitation.objects.exists()


def test_foreign_admin_gets_404(world: World, api_as: ApiAs) -> None:
    data = {"guardian_id": str(world.foreign_guardian.id), "relationship": "mother"}
    assert api_as(world.foreign_admin).post(guardians(world.child), data).status_code == 404


# --- Changing and unlinking ----------------------------------------------------


def test_admin_changes_what_a_guardian_is_to_the_child(world: World, api_as: ApiAs) -> None:
    url = f"{guardians(world.child)}/{link_of(world).id}"
    response = api_as(world.admin).patch(url, {"has_legal_authority": False, "household": "Mum's"})
    assert response.status_code == 200
    link = link_of(world)
    assert (link.has_legal_authority, link.household, link.relationship) == (
        False,
        "Mum's",
        "mother",
    )


def test_bad_change_is_422_and_changes_nothing(world: World, api_as: ApiAs) -> None:
    url = f"{guardians(world.child)}/{link_of(world).id}"
    for data in ({"relationship": "aunt"}, {"has_legal_authority": None}, {"child": "x"}):
        assert api_as(world.admin).patch(url, data).status_code == 422
    assert link_of(world).has_legal_authority is True


def test_admin_unlinks_a_guardian_whose_account_stays(world: World, api_as: ApiAs) -> None:
    url = f"{guardians(world.child)}/{link_of(world).id}"
    assert api_as(world.admin).delete(url).status_code == 204
    assert not world.child.guardian_links.exists()
    assert Membership.objects.filter(pk=world.guardian.pk, is_active=True).exists()


def test_a_link_of_another_child_is_404_through_this_child(world: World, api_as: ApiAs) -> None:
    other = GuardianLink.objects.get(child=world.other_child)
    url = f"{guardians(world.child)}/{other.id}"
    assert api_as(world.admin).patch(url, {"household": "x"}).status_code == 404
    assert api_as(world.admin).delete(url).status_code == 404
    assert GuardianLink.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("persona", ["therapist", "guardian"])
def test_only_admins_change_or_unlink(world: World, api_as: ApiAs, persona: str) -> None:
    url = f"{guardians(world.child)}/{link_of(world).id}"
    api = api_as(getattr(world, persona))
    assert api.patch(url, {"household": "x"}).status_code == 403
    assert api.delete(url).status_code == 403
    assert link_of(world).household == ""
