"""Messages, files, hand-offs and check-ins for tests, made the way the actions make them."""

import datetime
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core.testing.factories import clinic_today
from tandem.messaging import actions
from tandem.messaging.models import CheckInSchedule, Message

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png(name: str = "drawing.png", size: tuple[int, int] = (4, 4)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name: str = "letter.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def sbar(**changes: str) -> dict[str, Any]:
    fields = {
        "situation": "Maya is starting school next month.",
        "background": "Fine-motor goals on track; handwriting still effortful.",
        "assessment": "Needs a pencil grip and seating advice for class.",
        "recommendation": "Please review seating before her next session.",
    }
    fields.update(changes)
    return fields


def make_thread(
    child: Child, guardian: Membership, therapist: Membership, *, with_file: bool = True
) -> Message:
    """A short conversation: the therapist writes, the family answers with a picture."""
    actions.post_message(therapist, child, "How did the buttons practice go this week?")
    return actions.post_message(
        guardian, child, "Much better! Here is a picture.", png() if with_file else None
    )


def make_schedule(child: Child, therapist: Membership, *, due_in_days: int = 0) -> CheckInSchedule:
    return actions.set_checkin_schedule(
        therapist,
        child,
        every=1,
        unit="months",
        next_due_on=clinic_today() + datetime.timedelta(days=due_in_days),
        is_active=True,
    )
