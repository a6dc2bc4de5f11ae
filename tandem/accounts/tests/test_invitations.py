"""Inviting people by email and accepting an invitation."""

from datetime import timedelta

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Invitation, Membership, Role, User
from tandem.conftest import World
from tandem.core.testing.factories import PASSWORD
from tandem.core.testing.text import found
from tandem.core.testing.types import ClientAs, Response

INVITE = reverse("accounts:invite")
CASELOAD = reverse("children:caseload")


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Invitation emails are enqueued when the transaction commits; in these tests the
    test's own transaction never commits, so run the callbacks at once."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def invite_therapist(client: Client, **changes: str) -> Response:
    data = {
        "email": "new.ot@example.org",
        "first_name": "Nia",
        "last_name": "Quillfeather-Ruiz",
        "role": Role.THERAPIST,
        "discipline": "ot",
        "licence": "licensed",
        "language": "en",
    }
    data.update(changes)
    return client.post(INVITE, data)


def link_from(message: EmailMessage) -> str:
    return found(r"/accounts/invitation/[^/\s]+/", message.body).group(0)


def test_admin_invites_a_therapist_and_an_email_goes_out(world: World, client_as: ClientAs) -> None:
    response = invite_therapist(client_as(world.admin))
    assert response.status_code == 302
    member = Membership.objects.get(user__email="new.ot@example.org")
    assert (member.organization, member.role, member.discipline) == (world.org, "therapist", "ot")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.ot@example.org"]


def test_the_token_is_stored_only_as_a_hash(world: World, client_as: ClientAs) -> None:
    invite_therapist(client_as(world.admin))
    raw = link_from(mail.outbox[0]).split("/")[-2]
    invitation = Invitation.objects.get()
    assert raw not in invitation.token_hash and len(invitation.token_hash) == 64


def test_an_assistant_needs_a_supervisor(world: World, client_as: ClientAs) -> None:
    response = invite_therapist(client_as(world.admin), licence="assistant")
    assert "An assistant needs a supervising therapist" in response.content.decode()
    assert not Membership.objects.filter(user__email="new.ot@example.org").exists()


def test_inviting_an_existing_member_is_refused_clearly(world: World, client_as: ClientAs) -> None:
    response = invite_therapist(client_as(world.admin), email=world.therapist.user.email)
    assert "already a member" in response.content.decode()


def test_invitee_sets_a_password_and_is_signed_in(
    world: World, client_as: ClientAs, client: Client
) -> None:
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
    assert Client().get(link).status_code == 404  # used once


def test_weak_or_mismatched_passwords_are_refused(
    world: World, client_as: ClientAs, client: Client
) -> None:
    invite_therapist(client_as(world.admin))
    link = link_from(mail.outbox[0])
    body = client.post(link, {"password1": "short", "password2": "short"}).content.decode()
    assert "too short" in body
    body = client.post(
        link, {"password1": "a-long-new-passphrase", "password2": "other-long-pass"}
    ).content.decode()
    assert "not the same" in body


def test_expired_or_revoked_invitations_are_not_found(
    world: World, client_as: ClientAs, client: Client
) -> None:
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


def test_admin_withdraws_an_invitation(world: World, client_as: ClientAs) -> None:
    admin = client_as(world.admin)
    invite_therapist(admin)
    invitation = Invitation.objects.get()
    admin.post(reverse("accounts:revoke_invitation", args=[invitation.id]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_a_made_up_token_is_not_found(client: Client, db: None) -> None:
    assert client.get("/accounts/invitation/made-up/").status_code == 404


def test_spanish_speaking_guardian_gets_the_invitation_in_spanish(
    world: World, client_as: ClientAs
) -> None:
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


# --- An invitation is never a way in ---------------------------------------------------


def unmistakable(user: User) -> None:
    """Give a person a surname no generated person can share, so "their name is not on the
    page" cannot fail because Faker gave someone in the other clinic the same one (it once
    did: a guardian and a foreign therapist were both called Boyd)."""
    user.last_name = "Quillfeather-Realname"
    user.save(update_fields=["last_name"])


def foreign_invite(client_as: ClientAs, world: World, **changes: str) -> str:
    """Lakeside's admin invites Riverside's therapist (who has an account) under a made-up
    name; returns the link from the email."""
    unmistakable(world.therapist.user)
    fields = {"email": world.therapist.user.email, "first_name": "Made", "last_name": "Up"}
    response = invite_therapist(client_as(world.foreign_admin), **(fields | changes))
    assert response.status_code == 302
    return link_from(mail.outbox[-1])


def test_an_invitation_never_changes_an_existing_accounts_password(
    world: World, client_as: ClientAs, client: Client
) -> None:
    link = foreign_invite(client_as, world)
    user = world.therapist.user
    before = type(user).objects.get(pk=user.pk).password
    page = client.get(link)
    assert page.status_code == 200
    assert "already have a Tandem account" in page.content.decode()
    assert "password1" not in page.content.decode()
    response = client.post(
        link, {"password1": "attacker-pass-123", "password2": "attacker-pass-123"}
    )
    assert response.status_code == 200
    assert type(user).objects.get(pk=user.pk).password == before
    assert client.get(CASELOAD).status_code == 302  # nobody was signed in
    assert "_auth_user_id" not in client.session
    assert Invitation.objects.get().accepted_at is None


def test_an_existing_account_joins_only_after_signing_in_with_its_second_factor(
    world: World, client_as: ClientAs
) -> None:
    secret = pyotp.random_base32()
    TOTP.activate(world.therapist.user, secret)
    link = foreign_invite(client_as, world)
    pending = Membership.objects.get(
        organization=world.foreign_admin.organization, user=world.therapist.user
    )
    assert not pending.is_active

    client = Client()
    sign_in_page = client.get(link).content.decode()
    assert f"{reverse('account_login')}?next=" in sign_in_page
    response = client.post(
        reverse("account_login") + f"?next={link}",
        {"login": world.therapist.user.email, "password": PASSWORD, "next": link},
    )
    assert response["Location"] == reverse("mfa_authenticate")  # the second factor first
    assert client.post(link).status_code == 200  # still not signed in: nothing joined
    pending.refresh_from_db()
    assert not pending.is_active

    response = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    assert response["Location"] == link
    assert "Accept the invitation" in client.get(link).content.decode()
    assert client.post(link).status_code == 302
    pending.refresh_from_db()
    assert pending.is_active
    assert pending.display_name == str(world.therapist.user)  # their own name from now on
    assert Invitation.objects.get().accepted_at is not None


def test_someone_else_signed_in_cannot_use_the_invitation(
    world: World, client_as: ClientAs
) -> None:
    link = foreign_invite(client_as, world)
    other = client_as(world.unassigned_therapist)
    assert other.get(link).status_code == 404
    assert other.post(link).status_code == 404
    assert not Membership.objects.get(
        organization=world.foreign_admin.organization, user=world.therapist.user
    ).is_active


def test_inviting_another_clinics_member_reveals_nothing_about_them(
    world: World, client_as: ClientAs
) -> None:
    foreign_invite(client_as, world)
    admin = client_as(world.foreign_admin)
    real = world.therapist.user
    people = admin.get(reverse("accounts:people")).content.decode()
    assert "Made Up" in people and "Invited" in people
    assert real.last_name not in people
    pending = Membership.objects.get(organization=world.foreign_admin.organization, user=real)
    person = admin.get(reverse("accounts:person", args=[pending.id])).content.decode()
    assert "Made Up" in person and real.last_name not in person
    # Ticking "active" does not make them a member without their say.
    admin.post(
        reverse("accounts:person", args=[pending.id]),
        {"role": "therapist", "discipline": "ot", "licence": "licensed", "is_active": "on"},
    )
    pending.refresh_from_db()
    assert not pending.is_active


def test_someone_new_goes_from_their_password_straight_to_the_authenticator(
    world: World, client_as: ClientAs
) -> None:
    invite_therapist(client_as(world.admin))
    link = link_from(mail.outbox[0])
    client = Client()
    response = client.post(
        link,
        {"password1": "a-long-new-passphrase", "password2": "a-long-new-passphrase"},
        follow=True,
    )
    # No "confirm your password" right after choosing it.
    assert response.request["PATH_INFO"] == reverse("mfa_activate_totp")
    assert response.status_code == 200


def test_a_staff_invitation_speaks_to_staff(world: World, client_as: ClientAs) -> None:
    invite_therapist(client_as(world.admin))
    body = mail.outbox[0].body
    assert "plan your care" not in body
    assert "join the team" in body and "authenticator app" in body


def test_the_people_page_says_invited_until_accepted(
    world: World, client_as: ClientAs, client: Client
) -> None:
    admin = client_as(world.admin)
    invite_therapist(admin)
    assert "Invited" in admin.get(reverse("accounts:people")).content.decode()
    link = link_from(mail.outbox[0])
    client.post(link, {"password1": "a-long-new-passphrase", "password2": "a-long-new-passphrase"})
    page = admin.get(reverse("accounts:people") + "?role=therapist").content.decode()
    assert "Nia Quillfeather-Ruiz" in page and "Invited" not in page


def test_linking_another_clinics_parent_as_a_guardian_shows_only_the_typed_name(
    world: World, client_as: ClientAs
) -> None:
    from tandem.api.tests.conftest import Api

    real = world.guardian.user
    unmistakable(real)
    admin = client_as(world.foreign_admin)
    response = Api(admin).post(
        f"/children/{world.foreign_child.id}/guardians",
        {"email": real.email, "first_name": "Typed", "last_name": "Name", "relationship": "mother"},
    )
    assert response.status_code == 201
    assert response.json()["guardian"]["name"] == "Typed Name"
    for page in (
        reverse("children:team", args=[world.foreign_child.id]),
        world.foreign_child.get_absolute_url(),
    ):
        body = admin.get(page).content.decode()
        assert "Typed Name" in body and real.last_name not in body
    pending = Membership.objects.get(organization=world.foreign_admin.organization, user=real)
    assert not pending.is_active
    assert type(real).objects.get(pk=real.pk).password == real.password  # untouched


def test_a_withdrawn_invitation_reveals_nobody_and_starts_nothing(
    world: World, client_as: ClientAs
) -> None:
    foreign_invite(client_as, world)
    admin = client_as(world.foreign_admin)
    real = world.therapist.user
    admin.post(reverse("accounts:revoke_invitation", args=[Invitation.objects.get().id]))
    waiting = Membership.objects.get(organization=world.foreign_admin.organization, user=real)
    assert not waiting.is_active
    pages = (
        reverse("accounts:people"),
        reverse("accounts:person", args=[waiting.id]),
        reverse("audit:person", args=[waiting.id]),
    )
    for page in pages:
        body = admin.get(page).content.decode()
        assert "Made Up" in body and real.last_name not in body
    response = admin.post(
        reverse("accounts:person", args=[waiting.id]),
        {"role": "therapist", "discipline": "ot", "licence": "licensed", "is_active": "on"},
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert not waiting.is_active and waiting.invited_name == "Made Up"


def test_someone_invited_by_two_clinics_shows_under_each_clinics_typed_name(
    world: World, client_as: ClientAs
) -> None:
    # Riverside types "Nia Quillfeather-Ruiz": a surname no generated person has (Faker once
    # gave someone of the other clinic "Ruiz").
    invite_therapist(client_as(world.admin))
    lakeside = client_as(world.foreign_admin)
    invite_therapist(lakeside, first_name="Nina", last_name="Lakeside")
    page = lakeside.get(reverse("accounts:people")).content.decode()
    assert "Nina Lakeside" in page and "Quillfeather" not in page
    link = link_from(mail.outbox[0])  # Riverside's link: they choose a password there
    Client().post(
        link, {"password1": "a-long-new-passphrase", "password2": "a-long-new-passphrase"}
    )
    riverside = Membership.objects.get(
        organization=world.admin.organization, user__email="new.ot@example.org"
    )
    assert riverside.invited_name == "" and riverside.display_name == "Nia Quillfeather-Ruiz"
    page = lakeside.get(reverse("accounts:people")).content.decode()
    assert "Nina Lakeside" in page and "Quillfeather" not in page  # not accepted at Lakeside yet
