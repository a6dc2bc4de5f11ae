"""A FHIR Bulk Data export (``$export``): one kick-off, made by the task worker.

The worker writes one NDJSON file per resource type into the media storage (private:
served only by the status's download route, to the member who asked) and records the
manifest here. A job belongs to the member who asked for it; the clinic's admins see it
listed (status, progress, files) and may cancel it. Files and the job are deleted when
it expires (``EXPIRES_AFTER`` after it finished) or is cancelled.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Membership, Organization
from tandem.core.models import TandemModel


class BulkExport(TandemModel):
    class Level(models.TextChoices):
        SYSTEM = "system", _("The whole clinic")
        PATIENT = "patient", _("Every patient")
        GROUP = "group", _("A group")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Waiting for the worker")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Could not be made")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=10, choices=Level.choices)
    group = models.CharField(max_length=64, blank=True)  # the Group id a group export names
    # The kick-off's parameters: the types asked for (empty: every type of the level) and
    # ``_since``; the request as sent (the manifest repeats it).
    types = models.JSONField(default=list, blank=True)
    since = models.DateTimeField(null=True, blank=True)
    # ``_typeFilter``'s queries ("Observation?category=vital-signs", checked at the
    # kick-off), ``_elements`` as asked (comma lists) and ``patient``'s Patient ids.
    type_filters = models.JSONField(default=list, blank=True)
    elements = models.JSONField(default=list, blank=True)
    patients = models.JSONField(default=list, blank=True)
    request_url = models.CharField(max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    # Progress: types finished of the types to write, and the rows of the one being written.
    types_done = models.PositiveSmallIntegerField(default=0)
    types_total = models.PositiveSmallIntegerField(default=0)
    current_type = models.CharField(max_length=64, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    # The manifest: when the export's data was read, and the files written
    # ([{"type", "name" (storage name), "count", "size"}]); errors as OperationOutcomes.
    transaction_time = models.DateTimeField(null=True, blank=True)
    output = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    # The children whose records the files hold (hex ids, space-separated): the access
    # log names them on each download.
    child_ids = models.TextField(blank=True, default="")
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["requested_by", "status"]),
            models.Index(fields=["expires_at"]),
        ]

    def __str__(self) -> str:
        return f"$export {self.level} ({self.status})"

    @property
    def percent(self) -> int:
        """How far the worker is, 0–100."""
        if self.status == self.Status.DONE:
            return 100
        if not self.types_total:
            return 0
        part = self.rows_done / self.rows_total if self.rows_total else 0
        return min(99, int(100 * (self.types_done + part) / self.types_total))

    @property
    def files(self) -> list[dict[str, object]]:
        return list(self.output)
