"""Background work for consents: the notice to a collaborator who already signs in."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from tandem.accounts.models import Membership
from tandem.core import once


@task()
def send_consent_notice(collaborator_id: str, key: str = "") -> None:
    """Tell a collaborator that a family shared information with them, once per ``key``.

    The email names neither the child nor the family: it only asks them to sign in.
    """
    collaborator = (
        Membership.objects.select_related("user", "organization")
        .filter(pk=collaborator_id, is_active=True)
        .first()
    )
    if collaborator is None:
        return  # they left the clinic (or it was deleted) before the worker got here
    if not once.claim(collaborator.organization_id, "consent-notice", key):
        return  # a run before this one sent it (the task was requeued)
    with translation.override(collaborator.user.language or collaborator.organization.locale):
        context = {"organization": collaborator.organization, "link": f"{settings.SITE_URL}/"}
        subject = render_to_string("consent/email/notice_subject.txt", context).strip()
        body = render_to_string("consent/email/notice_body.txt", context)
    send_mail(subject, body, None, [collaborator.user.email])
