"""The clinic's bulk exports page: every export of the clinic with its status, a progress
bar while the worker writes, its files, and cancel (admins only)."""

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from tandem.audit.models import AccessLog
from tandem.bulkdata.models import BulkExport
from tandem.bulkdata.tasks import run_bulk_export
from tandem.conftest import World, sign_in
from tandem.fhir.tests.data import records_of

from .helpers import job_id, kick_off, token_client

pytestmark = pytest.mark.django_db
PAGE = reverse("bulkdata:index")


def test_the_page_lists_the_clinics_exports_with_progress(world: World) -> None:
    for child in (world.child, world.other_child):
        records_of(child)
    therapist = token_client(world.therapist)
    waiting = job_id(kick_off(therapist, "Patient/$export"))
    BulkExport.objects.filter(pk=waiting).update(
        status="running",
        types_total=4,
        types_done=1,
        rows_done=50,
        rows_total=100,
        current_type="Goal",
    )
    done = job_id(kick_off(token_client(world.admin)))
    assert run_bulk_export.call(done) == "done"
    kick_off(token_client(world.foreign_admin))  # another clinic's: not listed

    client = sign_in(Client(), world.admin)
    page = client.get(PAGE)
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count('class="bulk-export"') == 2
    assert '<progress max="100" value="37"' in body and "Goal" in body
    assert 'hx-trigger="every 2s"' in body  # polls while one is running
    assert "Patient: 3" in body  # the finished one's files, with their counts
    partial = client.get(PAGE, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<h1>" not in partial.content.decode()
    assert sign_in(Client(), world.therapist).get(PAGE).status_code == 404


def test_an_admin_cancels_an_export_of_the_clinic(world: World) -> None:
    records_of(world.child)
    therapist = token_client(world.therapist)
    job = job_id(kick_off(therapist, "Patient/$export"))
    assert run_bulk_export.call(job) == "done"
    names = [e["name"] for e in BulkExport.objects.get(pk=job).output]
    assert all(default_storage.exists(n) for n in names)

    client = sign_in(Client(), world.admin)
    answer = client.post(reverse("bulkdata:cancel", args=[job]))
    assert answer.status_code == 302 and answer["Location"] == PAGE
    assert BulkExport.objects.get(pk=job).status == "cancelled"
    assert not any(default_storage.exists(n) for n in names)
    assert AccessLog.objects.filter(route="bulkdata:cancel").count() == 1
    assert therapist.get(f"/fhir/R4/$export-status/{job}").status_code == 404
    foreign: Any = sign_in(Client(), world.foreign_admin)
    assert foreign.post(reverse("bulkdata:cancel", args=[job])).status_code == 404
