"""Bringing a caseload in from a CSV file, through the admin's pages: the dry run, row by
row, then the import on the worker; bad files refused with clear messages."""

import codecs
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from tandem.accounts.models import Invitation, Membership, Role
from tandem.children.models import CareTeamMember, Child, Diagnosis, GuardianLink
from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.imports.models import ChildIdentifier, ImportRun

from .helpers import csv_file, csv_text, upload

pytestmark = pytest.mark.django_db


def imported(world: World) -> int:
    return ChildIdentifier.objects.filter(organization=world.org).count()


def run_of(response: Any) -> ImportRun:
    return ImportRun.objects.get(pk=response.resolver_match.kwargs["import_run_id"])


def do_import(client: Any, run: ImportRun, capture: Any, **data: str) -> Any:
    """Ask for the import, let the worker run it (in-process), then read the run's page."""
    url = reverse("imports:run", args=[run.pk])
    with capture(execute=True):
        client.post(url, data)
    return client.get(url)


def test_admin_downloads_the_template(world: World, client_as: ClientAs) -> None:
    response = client_as(world.admin).get(reverse("imports:template"))
    assert response.status_code == 200
    header = response.content.decode().splitlines()[0]
    assert header.startswith("identifier,identifier_system,first_name,last_name")


def test_others_find_no_import_page(world: World, client_as: ClientAs) -> None:
    for member in (world.therapist, world.guardian, world.front_desk):
        assert client_as(member).get(reverse("imports:index")).status_code == 404


def test_dry_run_reports_each_row_and_writes_nothing(world: World, client_as: ClientAs) -> None:
    children = Child.objects.count()
    lead = world.therapist.user.email
    rows = [{}, {"identifier": "MRN-2", "first_name": "Tom", "lead_therapist_email": lead}]
    response = upload(client_as(world.admin), csv_file(rows))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Read as UTF-8." in page
    assert "To create: 2" in page
    assert "Lena Marsh" in page and "Tom Marsh" in page
    assert Child.objects.count() == children
    assert Invitation.objects.filter(email="rosa.marsh@example.com").count() == 0


def test_import_runs_on_the_worker_and_again_creates_nothing(
    world: World, client_as: ClientAs, django_capture_on_commit_callbacks: object
) -> None:
    admin = client_as(world.admin)
    rows = [
        {"lead_therapist_email": world.therapist.user.email},
        # Lena's brother: the same guardian, invited once.
        {"identifier": "MRN-2", "first_name": "Tom", "date_of_birth": "04/30/2021", "sex": "M"},
    ]
    run = run_of(upload(admin, csv_file(rows)))
    response = do_import(admin, run, django_capture_on_commit_callbacks)
    assert "Imported: 2 rows." in response.content.decode()
    lena = Child.objects.get(organization=world.org, first_name="Lena")
    assert lena.identifiers.get().value == "MRN-1"
    assert {d.code for d in Diagnosis.objects.filter(child=lena)} == {"F84.0", "F80.2"}
    assert CareTeamMember.objects.get(child=lena).therapist == world.therapist
    guardian = Membership.objects.get(organization=world.org, user__email="rosa.marsh@example.com")
    assert guardian.role == Role.GUARDIAN
    assert GuardianLink.objects.filter(guardian=guardian).count() == 2
    assert Invitation.objects.filter(email="rosa.marsh@example.com").count() == 1
    assert len(mail.outbox) == 1  # the family's invitation
    assert lena.history.count() == 1
    assert ImportRun.objects.filter(pk=run.pk).values_list("content", flat=True).get() == ""

    again = run_of(upload(admin, csv_file(rows)))
    assert [row["outcome"] for row in again.report] == ["unchanged", "unchanged"]
    do_import(admin, again, django_capture_on_commit_callbacks)
    assert imported(world) == 2
    assert Child.objects.filter(organization=world.org, first_name="Lena").count() == 1
    assert Invitation.objects.filter(email="rosa.marsh@example.com").count() == 1


def test_a_changed_row_updates_the_child_it_names(
    world: World, client_as: ClientAs, django_capture_on_commit_callbacks: object
) -> None:
    admin = client_as(world.admin)
    do_import(admin, run_of(upload(admin, csv_file([{}]))), django_capture_on_commit_callbacks)
    changed = {"preferred_name": "Lenny", "diagnoses": "F84.0; R62.50"}
    run = run_of(upload(admin, csv_file([changed])))
    assert run.report[0]["outcome"] == "update"
    do_import(admin, run, django_capture_on_commit_callbacks)
    lena = Child.objects.get(organization=world.org, first_name="Lena")
    assert lena.preferred_name == "Lenny" and lena.version == 2
    assert {d.code for d in Diagnosis.objects.filter(child=lena)} == {"F84.0", "F80.2", "R62.50"}


def test_wrong_header_names_missing_and_unknown_columns(world: World, client_as: ClientAs) -> None:
    content = b"mrn,first_name,last_name,dob,sex\nX1,Ana,Lopez,2019-01-01,F\n"
    page = upload(client_as(world.admin), content).content.decode()
    assert "Missing columns: identifier, date_of_birth." in page
    assert "Unknown columns: mrn, dob." in page
    assert "Import the valid rows only" not in page


def test_utf8_with_bom_is_read(world: World, client_as: ClientAs) -> None:
    content = codecs.BOM_UTF8 + csv_file([{"first_name": "Zoë"}])
    page = upload(client_as(world.admin), content, system="urn:x").content.decode()
    assert "Read as UTF-8 with BOM." in page
    assert "Zoë Marsh" in page and "To create: 1" in page


def test_latin1_is_detected_and_decoded(world: World, client_as: ClientAs) -> None:
    content = csv_file([{"first_name": "José", "last_name": "Muñoz"}], encoding="latin-1")
    page = upload(client_as(world.admin), content).content.decode()
    assert "Windows-1252 (Latin-1)" in page
    assert "José Muñoz" in page


def test_bad_rows_get_their_own_messages(world: World, client_as: ClientAs) -> None:
    # Maya Okafor is in the clinic, with no identifier: row 8 is her under another one.
    rows = [
        {"identifier": "A", "date_of_birth": "31/02/2020"},
        {"identifier": "B", "diagnoses": "F84"},
        {"identifier": "C", "first_name": "Ann", "diagnoses": "84.0X"},
        {"identifier": "D", "first_name": "Bea", "guardian_email": "not-an-email"},
        {"identifier": "D", "first_name": "Cy"},
        {"identifier": "E", "first_name": "Lena"},  # same name and birth date as row 3
        {
            "identifier": "F",
            "first_name": "Maya",
            "last_name": "Okafor",
            "date_of_birth": world.child.date_of_birth.isoformat(),
        },
        {"identifier": "G", "first_name": "Di", "lead_therapist_email": "nobody@example.org"},
    ]
    page = upload(client_as(world.admin), csv_file(rows)).content.decode()
    assert "“31/02/2020” is not a valid date of birth: write it as YYYY-MM-DD" in page
    assert "“84.0X” is not an ICD-10-CM code (e.g. F84.0)." in page
    assert "The guardian&#x27;s email “not-an-email” is not a valid address." in page
    assert "Row 5 has the same identifier: a child is imported once." in page
    assert "Row 3 is a child of the same name and date of birth." in page
    assert "is already in the clinic under another identifier." in page
    assert "No therapist of the clinic has the email nobody@example.org." in page
    assert "refused: 7" in page  # all but line 3 (F84, a category, is a code)


def test_refused_rows_stop_the_import_unless_only_valid_rows_are_asked(
    world: World, client_as: ClientAs, django_capture_on_commit_callbacks: object
) -> None:
    admin = client_as(world.admin)
    rows = [{}, {"identifier": "MRN-2", "first_name": "Bo", "date_of_birth": "2020-13-01"}]
    run = run_of(upload(admin, csv_file(rows)))
    url = reverse("imports:run", args=[run.pk])
    page = admin.post(url, follow=True).content.decode()
    assert "Nothing was imported: some rows are refused." in page
    assert imported(world) == 0
    do_import(admin, run, django_capture_on_commit_callbacks, valid_only="1")
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and run.done == 1
    assert imported(world) == 1


def test_a_staff_email_is_no_guardian(world: World, client_as: ClientAs) -> None:
    rows = [{"guardian_email": world.therapist.user.email}]
    page = upload(client_as(world.admin), csv_file(rows)).content.decode()
    assert f"{world.therapist.user.email} is a member of staff, not a family." in page


def test_progress_page_polls_while_importing(world: World, client_as: ClientAs) -> None:
    admin = client_as(world.admin)
    run = run_of(upload(admin, csv_file([{}])))
    admin.post(reverse("imports:run", args=[run.pk]))  # queued; the worker has not run
    page = admin.get(reverse("imports:run", args=[run.pk]), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in page.content.decode()
    assert "<progress" in page.content.decode()


def test_csv_text_helper_writes_the_header() -> None:
    assert csv_text([]).startswith("identifier,")


def test_the_report_speaks_the_admins_language(world: World, client_as: ClientAs) -> None:
    world.admin.user.language = "es"
    world.admin.user.save()
    page = upload(client_as(world.admin), csv_file([{"date_of_birth": "31/02/2020"}]))
    text = page.content.decode()
    assert "Importar" in text
    assert "“31/02/2020” no es una fecha de nacimiento válida" in text
