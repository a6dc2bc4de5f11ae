"""Background work: notification emails, and the periodic dispatch of due reminders."""

from django.utils import timezone
from django_tasks import task

from .delivery import deliver_email
from .dispatch import dispatch_due


@task()
def send_notification_email(notification_id: str) -> bool:
    """Email one notification if it is still wanted and outside the quiet hours."""
    return deliver_email(notification_id, timezone.now())


@task()
def dispatch_due_reminders() -> dict[str, int]:
    """Send the practice and check-in reminders that are due, and emails that waited."""
    result = dispatch_due(timezone.now())
    return {
        "practice_reminders": result.practice_reminders,
        "checkin_reminders": result.checkin_reminders,
        "emails_sent": result.emails_sent,
    }
