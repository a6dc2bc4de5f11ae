"""Inviting people and accepting invitations."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import Invitation, Membership, Role, User


@transaction.atomic
def invite_person(
    by: Membership, *, email: str, role: str, **fields: Any
) -> tuple[Membership, Invitation]:
    """Add a person to the organization and email them a link to set their password.

    The membership exists at once (so an admin can put a new therapist on a care
    team straight away); the person can sign in after accepting the invitation.
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
    membership, _created = Membership.objects.get_or_create(
        organization_id=by.organization_id,
        user=user,
        defaults={"role": role, **fields},
    )
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


@transaction.atomic
def accept_invitation(invitation: Invitation, *, password: str) -> User:
    """Set the invited person's password and mark the invitation used."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    user = invitation.membership.user
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    return user


def revoke_invitation(invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])


__all__ = ["Role", "accept_invitation", "invite_person", "revoke_invitation"]
