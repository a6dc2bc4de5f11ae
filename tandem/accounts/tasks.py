"""Background work for accounts: invitation emails go out from the worker."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from .actions import has_account
from .models import STAFF_ROLES, Invitation


@task()
def send_invitation(invitation_id: str, raw_token: str) -> None:
    """Email an invitation link; the raw token exists only in this message."""
    invitation = Invitation.objects.select_related("organization", "membership__user").get(
        pk=invitation_id
    )
    link = f"{settings.SITE_URL}/accounts/invitation/{raw_token}/"
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
