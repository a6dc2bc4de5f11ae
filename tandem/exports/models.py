"""A document made for one person by the task worker (a PDF), kept for a short while.

Rendering a PDF takes from a few hundred milliseconds to seconds; in a web worker it held
a process (and its memory) for that long, and under load past gunicorn's timeout. The
page that asks for a PDF now stores an ``Export`` and enqueues it; the worker renders it
as the person who asked, in their language and register; the page polls and hands the
file over. An export belongs to the member who asked for it and nobody else.

A family's full record (tandem.records) is an export too: a ZIP, kept a week.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Membership, Organization
from tandem.children.models import Child
from tandem.core.models import TandemModel


class Export(TandemModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Being made")
        PRINTING = "printing", _("Being printed")  # claimed by a worker
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be made")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    # What to make: a registered kind ("progress.report") and the parameters it was asked
    # with, as the strings of the query string (validated by the page before storing).
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    content = models.BinaryField(null=True, editable=False)
    filename = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When a document kept longer than an hour is deleted (a family's full record: a
    # week); empty for the PDFs, which go after ``actions.KEEP``.
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["requested_by", "created_at"]),
            models.Index(fields=["created_at"]),
            models.Index(fields=["expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_status_display()})"
