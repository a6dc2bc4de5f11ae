"""A 1,000-row caseload: the dry run reads the clinic in a fixed number of queries, and
the worker writes it in a bounded number of queries per row."""

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from tandem.children.models import Child
from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.imports.models import ImportRun

from .helpers import csv_file, upload

pytestmark = pytest.mark.django_db
ROWS = 1000
DRY_RUN_QUERIES = 25  # whatever the number of rows
# Child, history, identifier, diagnoses, invitation, guardian link, care-team seat.
QUERIES_PER_ROW = 30
BATCH = 100  # writing.BATCH: the worker reports its progress every 100 rows


def test_a_thousand_rows_import_within_a_query_budget(
    world: World,
    client_as: ClientAs,
    django_assert_max_num_queries: object,
    django_capture_on_commit_callbacks: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    therapist = world.therapist.user.email
    rows = [
        {
            "identifier": f"MRN-{n:04}",
            "first_name": f"Kid{n}",
            "guardian_email": f"family{n // 2}@example.com",  # siblings share a guardian
            "lead_therapist_email": therapist,
        }
        for n in range(ROWS)
    ]
    admin = client_as(world.admin)
    with django_assert_max_num_queries(DRY_RUN_QUERIES):  # type: ignore[operator]
        response = upload(admin, csv_file(rows))
    run = ImportRun.objects.get(organization=world.org)
    assert run.total == ROWS and "To create: 1000" in response.content.decode()
    url = reverse("imports:run", args=[run.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        admin.post(url)
    queries = [0]
    at_progress: list[int] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries[0] += 1
        return execute(sql, params, many, context)

    class Progress:
        def set(self, key: str, value: int, timeout: int) -> None:
            at_progress.append(queries[0])

        def delete(self, key: str) -> None:
            pass

    monkeypatch.setattr("tandem.imports.tasks.caches", {"progress": Progress()})
    with connection.execute_wrapper(count):
        callbacks[0]()  # the worker's task, in-process (the invitations' emails wait)
    batches = [b - a for a, b in zip([0, *at_progress], at_progress, strict=False)]
    assert len(batches) == ROWS // BATCH + 1
    assert max(batches) <= BATCH * QUERIES_PER_ROW, batches
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and run.done == ROWS
    kids = Child.objects.filter(organization=world.org, first_name__startswith="Kid")
    assert kids.count() == ROWS
