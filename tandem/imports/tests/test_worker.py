"""The worker's import: once only, as the admin who asked (still an admin), and against
the clinic as it is when it runs."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.children.models import Child
from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.imports import actions, tasks
from tandem.imports.models import ChildIdentifier, ImportRun
from tandem.imports.tasks import run_import

from .helpers import csv_file

pytestmark = pytest.mark.django_db


def queued(world: World, rows: list[dict[str, str]]) -> ImportRun:
    run = actions.check(world.admin, "csv", csv_file(rows), filename="c.csv")
    return actions.queue(run, valid_only=False)


def test_a_second_run_of_the_task_does_nothing(world: World) -> None:
    run = queued(world, [{}])
    assert run_import.call(str(run.pk)) == "done"
    assert run_import.call(str(run.pk)) == "gone"
    assert ChildIdentifier.objects.filter(organization=world.org).count() == 1


def test_an_admin_no_longer_admin_imports_nothing(world: World) -> None:
    run = queued(world, [{}])
    world.admin.role = Role.THERAPIST
    world.admin.save()
    assert run_import.call(str(run.pk)) == "failed"
    assert not Child.objects.filter(organization=world.org, first_name="Lena").exists()


def test_the_file_is_checked_again_when_the_worker_runs(world: World) -> None:
    run = queued(world, [{}, {"identifier": "MRN-2", "first_name": "Tom"}])
    # Meanwhile someone adds Tom by hand: his row is now a duplicate, so nothing is written.
    Child.objects.create(
        organization=world.org,
        first_name="Tom",
        last_name="Marsh",
        date_of_birth="2019-05-04",
        sex="M",
    )
    assert run_import.call(str(run.pk)) == "failed"
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and run.content == ""
    assert [row["outcome"] for row in run.report] == ["create", "refused"]
    assert not Child.objects.filter(organization=world.org, first_name="Lena").exists()


def test_a_run_is_imported_once_asked(world: World) -> None:
    run = actions.check(world.admin, "csv", csv_file([{}]), filename="c.csv")
    actions.queue(run, valid_only=False)
    with pytest.raises(actions.CannotImport):
        actions.queue(run, valid_only=False)


def test_the_page_sees_the_rows_written_while_the_import_is_still_open(
    world: World, client_as: ClientAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = queued(world, [{}, {"identifier": "MRN-2", "first_name": "Tom"}])
    page: list[str] = []
    real = tasks.write

    def writing(by: Any, planned: Any, progress: Callable[[int], None]) -> int:
        # The count leaves the worker's transaction at once: the database cache would
        # only publish it with the commit (here, a rolled-back savepoint: never).
        try:
            with transaction.atomic():
                progress(1)
                raise _Undo
        except _Undo:
            pass
        shown = client_as(world.admin).get(
            reverse("imports:run", args=[run.pk]), HTTP_HX_REQUEST="true"
        )
        page.append(shown.content.decode())
        return real(by, planned, progress)

    monkeypatch.setattr(tasks, "write", writing)
    assert run_import.call(str(run.pk)) == "done"
    [status] = page
    assert 'value="1"' in status and "1 / 2" in status


class _Undo(Exception):
    pass
