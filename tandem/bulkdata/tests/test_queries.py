"""The worker's queries: a bounded number per batch of rows, whatever the clinic's size
(memory holds one batch: the rows are paged, never loaded whole)."""

import datetime
import math
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.assessments import actions as assessments
from tandem.bulkdata import export as writer
from tandem.bulkdata.models import BulkExport
from tandem.bulkdata.tasks import run_bulk_export
from tandem.conftest import World
from tandem.core.testing.factories import clinic_today
from tandem.fhir.registry import SPECS
from tandem.fhir.tests.data import lead_of, records_of
from tandem.plans.tests.helpers import make_plan

from .helpers import job_id, kick_off, token_client

pytestmark = pytest.mark.django_db

BATCH = 3
# Queries of a run besides its batches (claiming the job, the member, the children …),
# and per batch (the page, its count, what the mappers load for it, the progress).
FIXED, PER_BATCH = 20, 5


def more_records(child: Any, n: int) -> None:
    """n more plans of two goals and n more growth measurements (Observations)."""
    today = clinic_today()
    for k in range(n):
        make_plan(child, lead_of(child), goals=2)
        assessments.record_growth(
            child,
            measured_on=today - datetime.timedelta(days=400 + 30 * k),
            weight_kg=Decimal(17),
            height_cm=Decimal(100 + k),
        )


def run(world: World) -> tuple[int, int]:
    client = token_client(world.admin)
    kicked = kick_off(client)
    with CaptureQueriesContext(connection) as queries:
        assert run_bulk_export.call(job_id(kicked)) == "done"
    job = BulkExport.objects.get(pk=job_id(kicked))
    counts = {entry["type"]: entry["count"] for entry in job.output}
    batches = sum(max(1, math.ceil(counts.get(name, 0) / BATCH)) for name in SPECS)
    return len(queries), batches


def test_queries_per_batch_are_bounded_at_two_sizes(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "BATCH", BATCH)
    for child in (world.child, world.sibling, world.other_child):
        records_of(child)
    small, small_batches = run(world)
    for child in (world.child, world.sibling, world.other_child):
        more_records(child, 4)
    large, large_batches = run(world)
    assert large_batches > small_batches
    for queries, batches in ((small, small_batches), (large, large_batches)):
        assert queries <= FIXED + PER_BATCH * batches, (queries, batches)
    # Each batch more costs the same few queries.
    per_batch: Any = (large - small) / (large_batches - small_batches)
    assert per_batch <= PER_BATCH, per_batch
