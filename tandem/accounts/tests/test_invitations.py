"""Inviting people by email and accepting an invitation."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Invitation, Membership, Role

INVITE = reverse("accounts:invite")


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    """Invitation emails are enqueued when the transaction commits; in these tests the
    test's own transaction never commits, so run the callbacks at once."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def invite_therapist(client, **changes):
    data = {
        "email": "new.ot@example.org",
        "first_name": "Nia",
        "last_name": "Ruiz",
        "role": Role.THERAPIST,
        "discipline": "ot",
        "licence": "licensed",
        "language": "en",
    }
    data.update(changes)
    return client.post(INVITE, data)


def link_from(message) -> str:
    return re.search(r"/accounts/invitation/[^/\s]+/", message.body).group(0)


def test_admin_invites_a_therapist_and_an_email_goes_out(world, client_as):
    response = invite_therapist(client_as(world.admin))
    assert response.status_code == 302
    member = Membership.objects.get(user__email="new.ot@example.org")
    assert (member.organization, member.role, member.discipline) == (world.org, "therapist", "ot")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.ot@example.org"]


def test_the_token_is_stored_only_as_a_hash(world, client_as):
    invite_therapist(client_as(world.admin))
    raw = link_from(mail.outbox[0]).split("/")[-2]
    invitation = Invitation.objects.get()
    assert raw not in invitation.token_hash and len(invitation.token_hash) == 64


def test_an_assistant_needs_a_supervisor(world, client_as):
    response = invite_therapist(client_as(world.admin), licence="assistant")
    assert "An assistant needs a supervising therapist" in response.content.decode()
    assert not Membership.objects.filter(user__email="new.ot@example.org").exists()


def test_inviting_an_existing_member_is_refused_clearly(world, client_as):
    response = invite_therapist(client_as(world.admin), email=world.therapist.user.email)
    assert "already a member" in response.content.decode()


def test_invitee_sets_a_password_and_is_signed_in(world, client_as, client):
    invite_therapist(client_as(world.admin))
    link = link_from(mail.outbox[0])
    assert client.get(link).status_code == 200
    response = client.post(
        link, {"password1": "a-long-new-passphrase", "password2": "a-long-new-passphrase"}
    )
    assert response.status_code == 302
    member = Membership.objects.get(user__email="new.ot@example.org")
    assert member.user.check_password("a-long-new-passphrase")
    assert Invitation.objects.get().accepted_at is not None
    assert client.get(link).status_code == 404  # used once


def test_weak_or_mismatched_passwords_are_refused(world, client_as, client):
    invite_therapist(client_as(world.admin))
    link = link_from(mail.outbox[0])
    body = client.post(link, {"password1": "short", "password2": "short"}).content.decode()
    assert "too short" in body
    body = client.post(
        link, {"password1": "a-long-new-passphrase", "password2": "other-long-pass"}
    ).content.decode()
    assert "not the same" in body


def test_expired_or_revoked_invitations_are_not_found(world, client_as, client):
    invite_therapist(client_as(world.admin))
    link = link_from(mail.outbox[0])
    invitation = Invitation.objects.get()
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    assert client.get(link).status_code == 404
    invitation.expires_at = timezone.now() + timedelta(days=1)
    invitation.revoked_at = timezone.now()
    invitation.save()
    assert client.get(link).status_code == 404


def test_admin_withdraws_an_invitation(world, client_as):
    admin = client_as(world.admin)
    invite_therapist(admin)
    invitation = Invitation.objects.get()
    admin.post(reverse("accounts:revoke_invitation", args=[invitation.id]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_a_made_up_token_is_not_found(client, db):
    assert client.get("/accounts/invitation/made-up/").status_code == 404


def test_spanish_speaking_guardian_gets_the_invitation_in_spanish(world, client_as):
    client_as(world.admin).post(
        INVITE,
        {
            "email": "mama@example.org",
            "first_name": "Lucía",
            "last_name": "Gómez",
            "role": Role.GUARDIAN,
            "language": "es",
        },
    )
    assert "Tandem" in mail.outbox[0].subject
    assert "invitad" in mail.outbox[0].subject.lower() or "invitad" in mail.outbox[0].body.lower()
