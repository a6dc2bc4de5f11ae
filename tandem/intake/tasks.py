"""The family's emails about their referral, sent by the task worker in their language."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from tandem.core import once

from .links import status_url
from .models import Referral

KINDS = ("received", "info_requested", "waitlisted", "offered", "accepted", "declined")


@task()
def send_referral_email(organization_id: str, referral_id: str, kind: str, key: str = "") -> bool:
    """Email the family what changed, with their private status link, once per ``key``."""
    referral = (
        Referral.objects.filter(organization_id=organization_id, pk=referral_id)
        .select_related("organization")
        .first()
    )
    if referral is None or kind not in KINDS:
        return False
    if not once.claim(organization_id, "referral-email", key):
        return False  # a run before this one sent it (the task was requeued)
    with translation.override(referral.language or "en"):
        context = {
            "referral": referral,
            "kind": kind,
            "clinic": referral.organization.name,
            "link": status_url(organization_id, referral_id),
        }
        subject = render_to_string("intake/email/subject.txt", context).strip()
        body = render_to_string("intake/email/body.txt", context)
    send_mail(subject, body, None, [referral.contact_email])
    return True
