"""The team tab: admins link guardians and therapists; others only read."""

from django.core import mail
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from tandem.accounts.models import Membership, Role
from tandem.children.models import CareTeamMember, GuardianLink, TeamRole
from tandem.conftest import World
from tandem.core.testing.types import ClientAs


def test_team_page_lists_family_and_care_team(world: World, client_as: ClientAs) -> None:
    body = (
        client_as(world.guardian)
        .get(reverse("children:team", args=[world.child.id]))
        .content.decode()
    )
    assert world.therapist.user.get_full_name() in body
    assert "Link a guardian" not in body  # guardians do not manage the team


def test_admin_adds_a_therapist_to_the_team(world: World, client_as: ClientAs) -> None:
    response = client_as(world.admin).post(
        reverse("children:care_add", args=[world.child.id]),
        {"therapist": world.unassigned_therapist.id, "role": TeamRole.TREATING},
    )
    assert response.status_code == 302
    assert CareTeamMember.objects.filter(
        child=world.child, therapist=world.unassigned_therapist
    ).exists()


def test_admin_cannot_add_another_clinics_therapist(world: World, client_as: ClientAs) -> None:
    client_as(world.admin).post(
        reverse("children:care_add", args=[world.child.id]),
        {"therapist": world.foreign_therapist.id, "role": TeamRole.TREATING},
    )
    assert not CareTeamMember.objects.filter(
        child=world.child, therapist=world.foreign_therapist
    ).exists()


def test_lead_therapist_cannot_change_the_team(world: World, client_as: ClientAs) -> None:
    response = client_as(world.therapist).post(
        reverse("children:care_add", args=[world.child.id]),
        {"therapist": world.unassigned_therapist.id, "role": TeamRole.LEAD},
    )
    assert response.status_code == 403


def test_admin_invites_a_new_guardian_who_gets_an_email(
    world: World,
    client_as: ClientAs,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(world.admin).post(
            reverse("children:guardian_add", args=[world.child.id]),
            {
                "email": "Dad@Example.org",
                "first_name": "Sam",
                "last_name": "Okafor",
                "relationship": "father",
                "has_legal_authority": "on",
                "household": "Dad's flat",
                "contact_method": "text",
            },
        )
    assert response.status_code == 302
    guardian = Membership.objects.get(user__email="dad@example.org")
    assert guardian.role == Role.GUARDIAN and guardian.organization == world.org
    link = GuardianLink.objects.get(child=world.child, guardian=guardian)
    assert link.household == "Dad's flat" and link.has_legal_authority
    assert len(mail.outbox) == 1 and "/accounts/invitation/" in mail.outbox[0].body


def test_linking_needs_a_guardian_or_an_email(world: World, client_as: ClientAs) -> None:
    client = client_as(world.admin)
    response = client.post(
        reverse("children:guardian_add", args=[world.child.id]),
        {"relationship": "father", "contact_method": "email"},
        follow=True,
    )
    assert "Choose an existing guardian" in response.content.decode()


def test_admin_unlinks_a_guardian_and_the_change_is_versioned(
    world: World, client_as: ClientAs
) -> None:
    link = world.child.guardian_links.get()
    client_as(world.admin).post(reverse("children:guardian_remove", args=[world.child.id, link.id]))
    assert not GuardianLink.objects.filter(pk=link.pk).exists()
    assert GuardianLink.history.filter(id=link.id, history_type="-").exists()


def test_seat_of_another_child_cannot_be_removed_through_this_child(
    world: World, client_as: ClientAs
) -> None:
    seat = world.other_child.care_team.get()
    response = client_as(world.admin).post(
        reverse("children:care_remove", args=[world.child.id, seat.id])
    )
    assert response.status_code == 404
    assert CareTeamMember.objects.filter(pk=seat.pk).exists()


def test_admin_changes_a_team_role(world: World, client_as: ClientAs) -> None:
    seat = world.child.care_team.get(therapist=world.consulting_therapist)
    client_as(world.admin).post(
        reverse("children:care_update", args=[world.child.id, seat.id]), {"role": TeamRole.TREATING}
    )
    seat.refresh_from_db()
    assert seat.role == TeamRole.TREATING
