"""Background work for accounts: invitation emails go out from the worker."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from .actions import has_account
from .models import CLINIC_ROLES, Invitation


@task()
def send_invitation(invitation_id: str) -> bool:
    """Email an invitation link, once; return whether an email went out.

    The task carries only the invitation's id. The raw token is made here, its hash
    stored, and the token exists only in the email. No database lock is held while the
    mail server is talked to (on SQLite that would block every other write): a first
    short transaction claims the invitation (``sending_at``, a lease other runs respect
    until ``TASK_STALE_AFTER``), the email goes out, and a second short transaction
    stores the token's hash and ``sent_at``. A failure clears the lease, so the task,
    run again, sends a fresh link; an invitation already sent, accepted, revoked or
    expired is left alone.
    """
    now = timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organization", "membership__user")
            .filter(pk=invitation_id, sent_at__isnull=True)
            .filter(Q(sending_at__isnull=True) | Q(sending_at__lt=now - settings.TASK_STALE_AFTER))
            .first()
        )
        if invitation is None or not invitation.is_usable():
            return False
        invitation.sending_at = now
        invitation.save(update_fields=["sending_at", "updated_at"])
    raw, digest = Invitation.new_token()
    try:
        _send(invitation, raw)
    except BaseException:
        Invitation.objects.filter(pk=invitation.pk, sending_at=now).update(sending_at=None)
        raise
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk, sending_at=now).update(
            token_hash=digest, sent_at=timezone.now(), sending_at=None, updated_at=timezone.now()
        )
    return True


def _send(invitation: Invitation, raw: str) -> None:
    link = f"{settings.SITE_URL}/accounts/invitation/{raw}/"
    language = invitation.organization.locale
    if invitation.role == "guardian" and invitation.language:
        language = invitation.language
    with translation.override(language):
        context = {
            "invitation": invitation,
            "link": link,
            "staff": invitation.role in CLINIC_ROLES,
            "has_account": has_account(invitation.membership.user),
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
