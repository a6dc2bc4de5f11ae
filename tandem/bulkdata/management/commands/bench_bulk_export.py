"""Time a system bulk export of a generated clinic and measure its memory (docs/fhir.md).

    manage.py generate_clinic --children 300 --therapists 20 --years 1 --seed 1
    manage.py bench_bulk_export --seed 1 [--tracemalloc] [--type Appointment]

Runs the worker's task in this process as the clinic's admin and prints one JSON line:
resources written, seconds, resources per second, the process's peak RSS
(``resource.getrusage``) and, with ``--tracemalloc``, the peak of Python's own
allocations during the export (slower: time it without). The files are deleted after.
"""

import json
import resource
import time
import tracemalloc
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.accounts.models import Membership, Organization, Role
from tandem.bulkdata import actions
from tandem.bulkdata.models import BulkExport
from tandem.bulkdata.tasks import run_bulk_export
from tandem.children.models import Child


class Command(BaseCommand):
    help = "Time a system $export of the bench clinic of a seed and report its memory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--tracemalloc", action="store_true")
        parser.add_argument("--type", default="", help="_type (comma list): default every type")

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DEBUG = False  # DEBUG keeps every query's SQL: not what production holds
        org = Organization.objects.filter(name=f"Bench clinic {options['seed']}").first()
        if org is None:
            raise CommandError("Generate the clinic first (manage.py generate_clinic).")
        admin = Membership.objects.filter(organization=org, role=Role.ADMIN).first()
        assert admin is not None
        job = BulkExport.objects.create(
            organization=org,
            requested_by=admin,
            level=BulkExport.Level.SYSTEM,
            types=[t for t in options["type"].split(",") if t],
            request_url="bench",
        )
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if options["tracemalloc"]:
            tracemalloc.start()
        started = time.perf_counter()
        result = run_bulk_export.call(str(job.pk))
        seconds = time.perf_counter() - started
        heap_peak = tracemalloc.get_traced_memory()[1] if options["tracemalloc"] else None
        tracemalloc.stop()
        job.refresh_from_db()
        written = sum(int(entry["count"]) for entry in job.output)
        report = {
            "result": result,
            "children": Child.objects.filter(organization=org).count(),
            "resources": written,
            "by_type": {entry["type"]: entry["count"] for entry in job.output},
            "bytes": sum(int(entry["size"]) for entry in job.output),
            "seconds": round(seconds, 2),
            "resources_per_s": round(written / seconds),
            "rss_before_mb": round(rss_before / 1024, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "python_heap_peak_mb": round(heap_peak / 2**20, 1) if heap_peak else None,
        }
        actions.cancel(job)  # deletes the files
        self.stdout.write(json.dumps(report))
