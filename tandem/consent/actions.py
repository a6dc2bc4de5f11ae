"""Giving and withdrawing consent. Each change keeps a version, which the audit trail shows.

A consent goes to a collaborator membership of the organization. When the email
has none yet, the person is invited (``accounts.actions.invite_person``): they get
a link to set a password, then see what the consent shares.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.actions import invite_person
from tandem.accounts.models import Membership, Role
from tandem.children.models import Child
from tandem.core import clock, once

from .access import collaborator_in
from .models import MAX_DURATION, ConsentGrant

# Foreign keys the caller has already authorized (see children/actions.py).
AUTHORIZED_FKS = ["organization", "child", "collaborator", "granted_by", "revoked_by"]


def _problems(
    by: Membership, *, email: str, expires_on: datetime.date | None, scopes: dict[str, bool]
) -> tuple[dict[str, str], Membership | None]:
    today = clock.today_for_member(by)
    problems: dict[str, str] = {}
    if not any(scopes.values()):
        problems["scopes"] = _("Choose at least one thing to share.")
    if expires_on is None:
        problems["expires_on"] = _("Choose the last day they may see it.")
    elif expires_on <= today:
        problems["expires_on"] = _("Choose a day after today.")
    elif expires_on > today + MAX_DURATION:
        problems["expires_on"] = _(
            "Choose a day within one year. You can share again when it ends."
        )
    existing = collaborator_in(by, email) if email else None
    if existing is not None and (existing.role != Role.COLLABORATOR or not existing.is_active):
        # Staff and families already have their own access; say no more than that.
        problems["email"] = _(
            "This email address cannot be used for sharing. Please use another one, "
            "or ask the clinic."
        )
    return problems, existing


@transaction.atomic
def grant_consent(
    by: Membership,
    child: Child,
    *,
    email: str,
    role_title: str,
    expires_on: datetime.date | None,
    first_name: str = "",
    last_name: str = "",
    can_see_summary: bool = False,
    can_post_observations: bool = False,
    can_read_notes: bool = False,
    at: datetime.datetime | None = None,
) -> ConsentGrant:
    """Share parts of a child's record with a collaborator until ``expires_on``.

    The caller has checked that ``by`` may give consent for ``child``. A person without
    a sign-in yet is invited by email. An active consent the same person already holds
    for this child is withdrawn and replaced, so there is one at a time.
    """
    email = email.strip().lower()
    scopes = {
        "can_see_summary": can_see_summary,
        "can_post_observations": can_post_observations,
        "can_read_notes": can_read_notes,
    }
    problems, existing = _problems(by, email=email, expires_on=expires_on, scopes=scopes)
    if not role_title.strip():
        problems["role_title"] = _("Say who they are to your child, e.g. class teacher.")
    if not email:
        problems["email"] = _("Enter their email address.")
    if problems or expires_on is None:  # no last day is among the problems
        raise ValidationError(problems)

    if existing is None or not existing.user.has_usable_password():
        collaborator, _raw = invite_person(
            by,
            email=email,
            role=Role.COLLABORATOR,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            title=role_title.strip()[:100],
        )
    else:
        collaborator = existing
        from .tasks import send_consent_notice

        key = once.new_key()
        transaction.on_commit(lambda: send_consent_notice.enqueue(str(collaborator.pk), key))

    today = clock.today_for(child.organization)
    held = ConsentGrant.objects.select_for_update().filter(
        organization_id=child.organization_id, child=child, collaborator=collaborator
    )
    for earlier in held.active(today):
        _withdraw(earlier, by)

    grant = ConsentGrant(
        organization_id=child.organization_id,
        child=child,
        collaborator=collaborator,
        granted_by=by,
        role_title=role_title.strip(),
        expires_on=expires_on,
        **scopes,
    )
    grant.full_clean(exclude=AUTHORIZED_FKS, validate_unique=False, validate_constraints=False)
    grant.save(at=at)
    return grant


def _withdraw(grant: ConsentGrant, by: Membership) -> None:
    grant.revoked_at = timezone.now()
    grant.revoked_by = by
    grant.save()


@transaction.atomic
def withdraw_consent(by: Membership, grant: ConsentGrant) -> ConsentGrant:
    """End a consent now: the collaborator's next request no longer sees the child.

    Withdrawing one already withdrawn changes nothing (a double tap is harmless).
    """
    current = ConsentGrant.objects.select_for_update().get(
        pk=grant.pk, organization_id=grant.organization_id
    )
    if current.revoked_at is None:
        _withdraw(current, by)
    return current
