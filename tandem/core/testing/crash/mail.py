"""An email backend for the crash test: each message is a file in $TANDEM_CRASH_MAIL_DIR,
so the test counts what the worker sent, across worker processes and kills."""

import os
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class Outbox(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = Path(os.environ["TANDEM_CRASH_MAIL_DIR"])
        for message in email_messages:
            name = uuid.uuid4().hex
            # Written under another name and renamed: a kill never leaves half a message.
            draft = folder / f"{name}.tmp"
            draft.write_bytes(message.message().as_bytes())
            draft.rename(folder / f"{name}.eml")
        return len(email_messages)
