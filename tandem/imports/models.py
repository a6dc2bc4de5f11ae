"""A clinic's caseload brought in: the external identifiers children carry, and each import.

``ChildIdentifier`` is a FHIR ``Patient.identifier`` (a system and a value, e.g. the
clinic's previous system's medical record number): an import finds a child it already
brought in by it, so running the same file again creates nothing new. ``ImportRun`` is
one uploaded file: its dry-run report, then the import the worker makes of it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Membership, Organization
from tandem.children.models import Child
from tandem.core.models import NoBulkWriteQuerySet, TandemModel


class ChildIdentifier(TandemModel):
    """An identifier another system gave the child (FHIR ``Patient.identifier``)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="identifiers")
    system = models.CharField(_("identifier system"), max_length=200)
    value = models.CharField(_("identifier"), max_length=100)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()
    objects = NoBulkWriteQuerySet.as_manager()

    class Meta:
        ordering = ["system", "value"]
        constraints = [
            # An identifier names one child of a clinic: an import finds the child by it.
            models.UniqueConstraint(
                fields=["organization", "system", "value"], name="one_child_per_identifier"
            ),
        ]
        indexes = [
            # The Patient resource lists a child's identifiers.
            models.Index(fields=["organization", "child"]),
        ]

    def __str__(self) -> str:
        return f"{self.system}|{self.value}"


class ImportRun(TandemModel):
    """One uploaded file (CSV or FHIR Bundle): checked at once, imported by the worker."""

    class Kind(models.TextChoices):
        CSV = "csv", _("CSV caseload")
        FHIR = "fhir", _("FHIR Bundle")

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked (dry run)")
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    started_by = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    filename = models.CharField(max_length=200, blank=True)
    encoding = models.CharField(max_length=30, blank=True)
    # The system of a CSV row's identifier when its identifier_system cell is empty.
    identifier_system = models.CharField(max_length=200, blank=True)
    # The decoded file, kept until the import is done (then emptied: clinical data does
    # not linger in an upload table).
    content = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    valid_only = models.BooleanField(default=False)
    # The dry run's (then the import's) answer per row: [{"row", "name", "outcome", "messages"}].
    report = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)  # file-level: header, encoding
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The import page lists a clinic's latest runs.
            models.Index(fields=["organization", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename} ({self.get_status_display()})"
