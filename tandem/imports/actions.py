"""An import's steps: check the file (the dry run, at once), queue it, write it (worker).

The dry run reads the file and the clinic in a fixed number of queries and stores its
report on an ``ImportRun``; nothing of the clinic's is written. Importing is asked for
the whole file (refused while any row is refused) or, explicitly, for its valid rows
only; the worker checks the file again against the clinic as it is then and writes it
in one transaction (``writing.write``).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_noop

from tandem.accounts.models import Membership
from tandem.core import clock

from . import csvfile, fhirbundle
from .checking import REFUSED, Planned, plan
from .models import ImportRun
from .records import ChildIn

# How long a checked file (patient data) waits to be imported before it is emptied.
KEEP_UNIMPORTED = datetime.timedelta(hours=24)
# Stored on the run in English (no one's language when pruning): the page translates it.
EXPIRED = gettext_noop("Not imported within a day: the file was deleted. Upload it again.")


class CannotImport(Exception):
    """The run is not waiting to be imported, or has refused rows and no "valid only"."""


@dataclass
class Checked:
    """A file read and checked: file-level problems, then each row's plan."""

    encoding: str
    problems: list[str]
    planned: list[Planned]

    @property
    def refused(self) -> int:
        return sum(1 for p in self.planned if p.outcome == REFUSED)


def read_file(by: Membership, kind: str, text: str, encoding: str, system: str) -> Checked:
    """Read the decoded file and plan each of its rows against the clinic."""
    rows: list[ChildIn]
    if kind == ImportRun.Kind.CSV:
        today = clock.today_for(by.organization)
        found = csvfile.read(text, encoding=encoding, default_system=system, today=today)
        problems, rows = found.problems, found.children
    else:
        bundle = fhirbundle.read(text, today=clock.today_for(by.organization))
        problems, rows = [str(issue) for issue in bundle.issues], bundle.children
    return Checked(encoding, problems, plan(by, rows) if not problems else [])


def check(by: Membership, kind: str, raw: bytes, *, filename: str, system: str = "") -> ImportRun:
    """The dry run of an uploaded file, stored for its report and the import to come."""
    text, encoding = csvfile.decode(raw)
    checked = read_file(by, kind, text, encoding, system)
    return ImportRun.objects.create(
        organization_id=by.organization_id,
        started_by=by,
        kind=kind,
        filename=filename[:200],
        encoding=encoding,
        # Kept only while it may still be imported (emptied when the import ends).
        content=text if not checked.problems else "",
        identifier_system=system[:200],
        problems=checked.problems,
        report=[p.as_report() for p in checked.planned],
        total=len(checked.planned),
        status=ImportRun.Status.CHECKED if not checked.problems else ImportRun.Status.FAILED,
    )


def refused_rows(run: ImportRun) -> int:
    return sum(1 for row in run.report if row["outcome"] == REFUSED)


def queue(run: ImportRun, *, valid_only: bool) -> ImportRun:
    """Ask the worker to import the run (on commit); refuse a run with refused rows unless
    the admin chose to import the valid rows only."""
    from .tasks import run_import

    with transaction.atomic():
        current = ImportRun.objects.select_for_update().get(
            pk=run.pk, organization_id=run.organization_id
        )
        if current.status != ImportRun.Status.CHECKED:
            raise CannotImport
        if refused_rows(current) and not valid_only:
            raise CannotImport
        current.status, current.valid_only = ImportRun.Status.QUEUED, valid_only
        current.save(update_fields=["status", "valid_only", "updated_at"])
        transaction.on_commit(lambda: run_import.enqueue(str(current.pk)))
    return current


def prune() -> int:
    """Empty the file of every run, of any clinic, checked more than a day ago and never
    imported (it is patient data); the run can no longer be imported. Return how many."""
    return ImportRun.objects.filter(
        status=ImportRun.Status.CHECKED, created_at__lt=clock.now() - KEEP_UNIMPORTED
    ).update(
        status=ImportRun.Status.FAILED,
        content="",
        problems=[EXPIRED],
        finished_at=clock.now(),
        updated_at=clock.now(),
    )
