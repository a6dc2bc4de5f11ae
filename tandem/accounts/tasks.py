"""Background work for accounts: invitation emails go out from the worker."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from .actions import has_account
from .models import STAFF_ROLES, Invitation


@task()
def send_invitation(invitation_id: str) -> bool:
    """Email an invitation link, once; return whether an email went out.

    The task carries only the invitation's id. The raw token is made here, its hash
    stored, and the token exists only in the email. The row stays locked until the
    email is handed to the mail server, so a failure (or a worker killed mid-way)
    leaves the invitation unsent and the task, run again, sends a fresh link; an
    invitation already sent, accepted, revoked or expired is left alone.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organization", "membership__user")
            .filter(pk=invitation_id, sent_at__isnull=True)
            .first()
        )
        if invitation is None or not invitation.is_usable():
            return False
        raw, invitation.token_hash = Invitation.new_token()
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["token_hash", "sent_at", "updated_at"])
        link = f"{settings.SITE_URL}/accounts/invitation/{raw}/"
        language = invitation.organization.locale
        if invitation.role == "guardian" and invitation.language:
            language = invitation.language
        with translation.override(language):
            context = {
                "invitation": invitation,
                "link": link,
                "staff": invitation.role in STAFF_ROLES,
                "has_account": has_account(invitation.membership.user),
            }
            subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
            body = render_to_string("accounts/email/invitation_body.txt", context)
        send_mail(subject, body, None, [invitation.email])
    return True
