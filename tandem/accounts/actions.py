"""Inviting people and accepting invitations."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import Invitation, Membership, Role, User


@transaction.atomic
def invite_person(
    by: Membership, *, email: str, role: str, **fields: Any
) -> tuple[Membership, Invitation]:
    """Add a person to the organization and email them an invitation link.

    Someone new gets an account without a password and an active membership at once
    (so an admin can put a new therapist on a care team straight away); they choose
    their password from the link. Someone who already has a Tandem account (another
    clinic's member) is never changed: their membership here waits, inactive, until
    they sign in as themselves (second factor included) and accept. The inviting
    clinic sees only what it typed (``people`` shows an invited member by the
    invitation's name).

    The link's token is made by the worker when it sends the email
    (``tasks.send_invitation``): only the invitation's id goes into the task queue.
    """
    from .tasks import send_invitation

    email = email.strip().lower()
    first_name = fields.pop("first_name", "")
    last_name = fields.pop("last_name", "")
    language = fields.pop("language", "") or by.organization.locale
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, first_name=first_name, last_name=last_name, language=language)
        user.set_unusable_password()
        user.save()
    membership, created = Membership.objects.get_or_create(
        organization_id=by.organization_id,
        user=user,
        defaults={"role": role, **fields, **pending(user, first_name, last_name, email)},
    )
    if not created and membership.invited_name:
        # Invited again before accepting: the clinic knows them by what it typed now.
        membership.invited_name = typed_name(first_name, last_name, email)
        membership.save(update_fields=["invited_name", "updated_at"])
    # A placeholder: the hash of a token nobody keeps, replaced when the email goes out.
    _unused, digest = Invitation.new_token()
    invitation = Invitation.objects.create(
        organization_id=by.organization_id,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=membership.role,
        language=language,
        token_hash=digest,
        invited_by=by.user,
        membership=membership,
    )
    transaction.on_commit(lambda: send_invitation.enqueue(str(invitation.pk)))
    return membership, invitation


def pending(user: User, first_name: str, last_name: str, email: str) -> dict[str, Any]:
    """Until the person accepts, the clinic knows them by the name it typed (never their
    own, nor another clinic's typing). A new membership of someone who already has an
    account waits for them; anyone else's starts at once."""
    invited_name = typed_name(first_name, last_name, email)
    return {"is_active": not has_account(user), "invited_name": invited_name}


def typed_name(first_name: str, last_name: str, email: str) -> str:
    return f"{first_name} {last_name}".strip() or email


def has_account(user: User) -> bool:
    """Whether the person can already sign in (then an invitation never touches them)."""
    return user.has_usable_password()


class InvitationUsed(Exception):
    """The invitation was used or withdrawn meanwhile, or its person has a password."""


@transaction.atomic
def accept_invitation(invitation: Invitation, *, password: str) -> User:
    """Set a new person's first password and mark the invitation used.

    Never overwrites a password: someone with an account joins with
    ``join_by_invitation`` after signing in.
    """
    invitation = Invitation.objects.select_for_update().get(
        pk=invitation.pk, organization_id=invitation.organization_id
    )
    user = User.objects.select_for_update().get(pk=invitation.membership.user_id)
    if not invitation.is_usable() or has_account(user):
        raise InvitationUsed
    user.set_password(password)
    user.save(update_fields=["password"])
    _start(invitation.membership)
    _mark_accepted(invitation)
    return user


@transaction.atomic
def join_by_invitation(invitation: Invitation, user: User) -> Membership:
    """The signed-in person the invitation was for accepts it: their membership starts."""
    invitation = Invitation.objects.select_for_update().get(
        pk=invitation.pk, organization_id=invitation.organization_id
    )
    membership = invitation.membership
    if not invitation.is_usable() or membership.user_id != user.pk:
        raise InvitationUsed
    _start(membership)
    _mark_accepted(invitation)
    return membership


def _start(membership: Membership) -> None:
    """The person accepted: the membership is active and shows their own name."""
    if not membership.is_active or membership.invited_name:
        membership.is_active = True
        membership.invited_name = ""
        membership.save(update_fields=["is_active", "invited_name", "updated_at"])


def _mark_accepted(invitation: Invitation) -> None:
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])


@transaction.atomic
def revoke_invitation(invitation: Invitation) -> None:
    """Withdraw an invitation. A membership still waiting for it (nobody accepted) ends
    with it: it stays, inactive and known only by the typed name, so that the clinic
    never learns who the person is nor makes them a member without their say (kept,
    not deleted, because history may point at it)."""
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    membership = Membership.objects.select_for_update().get(
        pk=invitation.membership_id, organization_id=invitation.organization_id
    )
    still_open = Invitation.objects.filter(
        organization_id=invitation.organization_id,
        membership=membership,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).exists()
    if membership.invited_name and membership.is_active and not still_open:
        membership.is_active = False
        membership.save(update_fields=["is_active", "updated_at"])


__all__ = [
    "Role",
    "accept_invitation",
    "has_account",
    "invite_person",
    "join_by_invitation",
    "revoke_invitation",
]
