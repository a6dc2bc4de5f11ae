"""Input the records would refuse is the row's message, never a 500: values too long,
a write the records refuse, a broken CSV."""

import datetime
import io
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from tandem.children.models import Child
from tandem.conftest import World
from tandem.core import clock
from tandem.core.access import Conflict
from tandem.core.testing.types import ClientAs
from tandem.imports import actions
from tandem.imports.models import ChildIdentifier, ImportRun
from tandem.imports.tasks import run_import

from .helpers import csv_file, upload
from .test_fhir_import import bundle, patient, post

pytestmark = pytest.mark.django_db


def test_values_too_long_are_the_rows_messages(world: World, client_as: ClientAs) -> None:
    rows = [
        {"identifier": "A", "first_name": "N" * 101},
        {"identifier": "V" * 101},
        {"identifier": "C", "identifier_system": "https://x.example/" + "s" * 200},
        {"identifier": "D", "guardian_first_name": "G" * 101},
    ]
    response = upload(client_as(world.admin), csv_file(rows))
    assert response.status_code == 200
    page = response.content.decode()
    assert "first_name is too long: 100 characters at most." in page
    assert "identifier is too long: 100 characters at most." in page
    assert "identifier_system is too long: 200 characters at most." in page
    assert "guardian_first_name is too long: 100 characters at most." in page
    assert "refused: 4" in page


def test_a_name_too_long_in_a_bundle_is_refused(world: World, client_as: ClientAs) -> None:
    long_name = [{"use": "official", "family": "R" * 101, "given": ["Lucía"]}]
    status, outcome = post(client_as(world.admin), bundle(patient(name=long_name)))
    assert status == 422, outcome
    assert "last_name is too long" in outcome["issue"][0]["diagnostics"]
    assert not ChildIdentifier.objects.filter(organization=world.org).exists()


@pytest.mark.parametrize(
    ("error", "status"),
    [(ValidationError("Enter a valid date."), 422), (Conflict(3), 409)],
)
def test_a_write_the_records_refuse_is_an_outcome(
    world: World, client_as: ClientAs, monkeypatch: Any, error: Exception, status: int
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise error

    monkeypatch.setattr("tandem.imports.writing.children.create_child", refuse)
    answer, outcome = post(client_as(world.admin), bundle(patient()))
    assert answer == status, outcome
    assert outcome["issue"][0]["severity"] == "error"
    assert not ChildIdentifier.objects.filter(organization=world.org).exists()


def test_the_worker_fails_the_run_with_a_message(world: World, monkeypatch: Any) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ValidationError("Ensure this value has at most 100 characters.")

    monkeypatch.setattr("tandem.imports.writing.children.create_child", refuse)
    run = actions.check(world.admin, "csv", csv_file([{}]), filename="c.csv")
    actions.queue(run, valid_only=False)
    assert run_import.call(str(run.pk)) == "failed"
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert run.problems == ["Nothing was imported: Ensure this value has at most 100 characters."]
    assert not Child.objects.filter(organization=world.org, first_name="Lena").exists()


def test_a_broken_csv_is_a_file_problem(world: World, client_as: ClientAs) -> None:
    # An unclosed quote swallows the rest of a large file into one field.
    text = csv_file([{}]).decode() + 'X,"unclosed,' + "y" * 140_000 + "\n"
    response = upload(client_as(world.admin), text.encode())
    assert response.status_code == 200
    assert "The file cannot be read as CSV" in response.content.decode()


def test_a_file_never_imported_is_emptied_after_a_day(
    world: World, client_as: ClientAs, django_capture_on_commit_callbacks: Any
) -> None:
    kept = upload(client_as(world.admin), csv_file([{}])).resolver_match.kwargs["import_run_id"]
    with time_machine.travel(clock.now() + actions.KEEP_UNIMPORTED - datetime.timedelta(hours=1)):
        call_command("prune_imports", stdout=io.StringIO())
    assert ImportRun.objects.get(pk=kept).content != ""
    with time_machine.travel(clock.now() + actions.KEEP_UNIMPORTED + datetime.timedelta(hours=1)):
        out = io.StringIO()
        call_command("prune_imports", stdout=out)
        assert "Emptied 1 import(s)" in out.getvalue()
    run = ImportRun.objects.get(pk=kept)
    assert run.content == "" and run.status == ImportRun.Status.FAILED
    url = reverse("imports:run", args=[run.pk])
    admin = client_as(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url)  # signed in again: the session of a day ago has ended
    assert "Upload it again." in admin.get(url).content.decode()
    assert not ChildIdentifier.objects.filter(organization=world.org).exists()


def test_emails_with_capitals_are_recognised(
    world: World, client_as: ClientAs, django_capture_on_commit_callbacks: Any
) -> None:
    therapist = world.therapist.user
    therapist.email = "Sam.Therapist@Clinic.example"
    therapist.save(update_fields=["email"])
    guardian = world.guardian.user
    guardian.email = "Parent.Known@Example.com"
    guardian.save(update_fields=["email"])
    admin = client_as(world.admin)
    rows = [
        {"guardian_email": "sam.therapist@clinic.example"},
        {
            "identifier": "MRN-2",
            "first_name": "Tom",
            "guardian_email": "parent.known@example.com",
            "lead_therapist_email": "SAM.THERAPIST@clinic.example",
        },
    ]
    page = upload(admin, csv_file(rows)).content.decode()
    assert "sam.therapist@clinic.example is a member of staff, not a family." in page
    assert "No therapist of the clinic" not in page
    run = ImportRun.objects.get(organization=world.org)
    url = reverse("imports:run", args=[run.pk])
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url, {"valid_only": "on"})
    assert "Imported: 1 row." in admin.get(url).content.decode()
    tom = Child.objects.get(organization=world.org, first_name="Tom")
    assert tom.guardian_links.get().guardian == world.guardian  # linked, not invited again


def test_the_report_logs_the_clinics_children_it_shows(world: World, client_as: ClientAs) -> None:
    from tandem.audit.models import AccessLog

    maya = world.child
    rows = [
        {},
        {
            "identifier": "F",
            "first_name": maya.first_name,
            "last_name": maya.last_name,
            "date_of_birth": maya.date_of_birth.isoformat(),
        },
    ]
    admin = client_as(world.admin)
    response = upload(admin, csv_file(rows))
    assert "is already in the clinic under another identifier." in response.content.decode()
    [log] = AccessLog.objects.filter(route="imports:run")
    assert log.child == maya and log.action == "list" and log.user == world.admin.user
