"""Sending one notification's email, once, honouring preferences and quiet hours."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .access import preference_of
from .models import EmailState, Notification
from .quiet import local_time, quiet_until
from .reading import describe

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
RETRY_AFTER = datetime.timedelta(minutes=10)


def deliver_email(notification_id: str, now: datetime.datetime) -> bool:
    """Email a pending notification if it is due; return whether an email was sent.

    The row is locked while sending so that the worker and the dispatcher never send
    the same email twice. A notification already read in the app needs no email.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, email_state=EmailState.PENDING)
            .first()
        )
        if notification is None:
            return False
        if notification.email_due_at and notification.email_due_at > now:
            return False
        recipient = notification.recipient
        user = recipient.user
        preference = preference_of(recipient)
        if (
            notification.read_at is not None
            or not preference.by_email
            or not preference.wants(notification.kind)
            or not (recipient.is_active and user.is_active and user.email)
        ):
            notification.email_state = EmailState.SKIPPED
            notification.save(update_fields=["email_state", "updated_at"])
            return False
        # Quiet hours may have been changed since the notification was raised.
        until = quiet_until(
            preference.quiet_start,
            preference.quiet_end,
            local_time(now, notification.organization.timezone),
        )
        if until is not None:
            notification.email_due_at = until
            notification.save(update_fields=["email_due_at", "updated_at"])
            return False
        try:
            _send(notification)
        except Exception:
            logger.exception("Could not email notification %s", notification.pk)
            notification.email_attempts += 1
            failed = notification.email_attempts >= MAX_ATTEMPTS
            notification.email_state = EmailState.FAILED if failed else EmailState.PENDING
            notification.email_due_at = now + RETRY_AFTER
            notification.save(
                update_fields=["email_attempts", "email_state", "email_due_at", "updated_at"]
            )
            return False
        notification.email_state = EmailState.SENT
        notification.emailed_at = now
        notification.save(update_fields=["email_state", "emailed_at", "updated_at"])
        return True


def _send(notification: Notification) -> None:
    user = notification.recipient.user
    with translation.override(user.language or notification.organization.locale):
        words = describe(notification, for_email=True)
        context = {
            "words": words,
            "name": user.first_name,
            "organization": notification.organization,
            "link": settings.SITE_URL + (notification.url or reverse("notifications:index")),
            "preferences_link": settings.SITE_URL + reverse("notifications:preferences"),
        }
        subject = render_to_string("notifications/email/subject.txt", context).strip()
        body = render_to_string("notifications/email/body.txt", context)
    send_mail(subject, body, None, [user.email])
