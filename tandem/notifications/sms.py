"""Text messages behind a small interface: a backend has ``send(to, body)``.

``settings.SMS_BACKEND`` names the class: the console backend (the default, for
development: the message is written to the log and stdout), the memory backend (tests
read ``outbox``), or a clinic's provider (Twilio, Vonage, an email-to-SMS gateway …)
written as one small class with the same method. Nothing else in Tandem knows which.
"""

import logging
import sys
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, to: str, body: str) -> None: ...


class ConsoleBackend:
    """Development: the text is printed, nothing leaves the machine."""

    def send(self, to: str, body: str) -> None:
        logger.info("SMS to %s: %s", to, body)
        sys.stdout.write(f"SMS to {to}: {body}\n")


@dataclass
class Sent:
    to: str
    body: str


outbox: list[Sent] = []


class MemoryBackend:
    """Tests: every text is kept in ``outbox``."""

    def send(self, to: str, body: str) -> None:
        outbox.append(Sent(to, body))


def send_sms(to: str, body: str) -> None:
    backend: SmsBackend = import_string(
        getattr(settings, "SMS_BACKEND", "tandem.notifications.sms.ConsoleBackend")
    )()
    backend.send(to, body)
