"""The caseload CSV export (issue 12: "CSV imports round-trip"): an admin downloads the
clinic's caseload in the import template's columns; another clinic imports it and exports
the very same file; the clinic itself reads it back as "already there", creating nothing."""

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from tandem.accounts.models import Invitation, Membership
from tandem.audit.models import AccessLog
from tandem.children.models import Child, Diagnosis, GuardianLink, TeamRole
from tandem.conftest import World
from tandem.core.testing import factories as f
from tandem.core.testing.types import ClientAs
from tandem.imports.csvfile import COLUMNS
from tandem.imports.models import ChildIdentifier, ImportRun
from tandem.imports.records import own_system

from .helpers import upload

pytestmark = pytest.mark.django_db
URL = reverse("imports:caseload_csv")


def download(client: Any) -> bytes:
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="tandem-caseload-')
    return b"".join(response.streaming_content)


def table(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def check_and_import(client: Any, content: bytes, capture: Any) -> ImportRun:
    """Upload (the dry run), import, the worker run in-process; the run as it ended."""
    run_page = upload(client, content, name="caseload.csv")
    run = ImportRun.objects.get(pk=run_page.resolver_match.kwargs["import_run_id"])
    assert [row["outcome"] for row in run.report] == ["create"] * len(run.report), run.report
    with capture(execute=True):
        client.post(reverse("imports:run", args=[run.pk]))
    run.refresh_from_db()
    return run


def richer_caseload(world: World) -> None:
    """Maya gets an identifier of the previous system, a second guardian and diagnoses."""
    ChildIdentifier(
        organization=world.org, child=world.child, system="https://old.example/mrn", value="M-7"
    ).save()
    f.GuardianLinkFactory(child=world.child, relationship="father", is_primary_contact=False)
    for code, label in (("F84.0", "Autistic disorder"), ("F80.9", "Speech, unspecified")):
        Diagnosis.objects.create(organization=world.org, child=world.child, code=code, label=label)


def test_the_export_has_the_templates_columns_and_a_row_per_child(
    world: World, client_as: ClientAs
) -> None:
    richer_caseload(world)
    index = client_as(world.admin).get(reverse("imports:index")).content.decode()
    assert "Download the caseload as CSV" in index and URL in index
    content = download(client_as(world.admin))
    assert content.decode().splitlines()[0] == ",".join(COLUMNS)
    rows = table(content)
    assert [(r["last_name"], r["first_name"]) for r in rows] == [
        ("Berg", "Noah"),
        ("Okafor", "Eli"),
        ("Okafor", "Maya"),
    ]
    noah, eli, maya = rows
    assert (maya["identifier_system"], maya["identifier"]) == ("https://old.example/mrn", "M-7")
    assert (eli["identifier_system"], eli["identifier"]) == (
        own_system(world.org.pk),
        str(world.sibling.pk),
    )
    assert maya["date_of_birth"] == world.child.date_of_birth.isoformat()
    assert maya["diagnoses"] == "F80.9 Speech, unspecified; F84.0 Autistic disorder"
    assert maya["guardian_email"] == world.guardian.user.email
    assert maya["guardian_first_name"] == world.guardian.user.first_name
    assert maya["guardian2_relationship"] == "father"
    assert maya["lead_therapist_email"] == world.therapist.user.email
    # The assistant treats Maya; the consulting seat has no column.
    assert maya["therapist_emails"] == world.assistant.user.email
    assert noah["lead_therapist_email"] == world.unassigned_therapist.user.email
    assert "Zara" not in content.decode()  # another clinic's child
    logged = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert logged.route == "imports:caseload_csv" and logged.child_id is None
    assert set(logged.listed_ids) == {
        c.pk.hex for c in (world.child, world.sibling, world.other_child)
    }


def test_another_clinic_imports_it_and_exports_the_same_file(
    world: World, client_as: ClientAs, django_capture_on_commit_callbacks: Any
) -> None:
    richer_caseload(world)
    exported = download(client_as(world.admin))
    # Clinic B: its own admin; the same two therapists work there too (same emails).
    clinic = f.OrganizationFactory(name="Hillside Therapy")
    admin = f.AdminFactory(organization=clinic)
    for therapist in (world.therapist, world.assistant, world.unassigned_therapist):
        f.TherapistFactory(organization=clinic, user=therapist.user)
    client = client_as(admin)

    run = check_and_import(client, exported, django_capture_on_commit_callbacks)
    assert run.status == ImportRun.Status.DONE and run.done == 3
    maya = Child.objects.get(organization=clinic, first_name="Maya")
    assert maya.identifiers.get().value == "M-7"
    eli = Child.objects.get(organization=clinic, first_name="Eli")
    assert eli.identifiers.get().system == own_system(world.org.pk)  # A's id, kept by B
    assert maya.care_team.get(role=TeamRole.LEAD).therapist.user == world.therapist.user
    family = Membership.objects.get(organization=clinic, user=world.guardian.user)
    assert GuardianLink.objects.filter(guardian=family).count() == 2  # invited once

    assert download(client) == exported
    assert (
        Invitation.objects.filter(organization=clinic, email=world.guardian.user.email).count() == 1
    )


def test_importing_its_own_export_finds_every_child_already_there(
    world: World, client_as: ClientAs, django_capture_on_commit_callbacks: Any
) -> None:
    richer_caseload(world)
    client = client_as(world.admin)
    exported = download(client)
    children, links = Child.objects.count(), GuardianLink.objects.count()
    identifiers, invitations = ChildIdentifier.objects.count(), Invitation.objects.count()
    page = upload(client, exported, name="caseload.csv")
    run = ImportRun.objects.get(pk=page.resolver_match.kwargs["import_run_id"])
    assert [row["outcome"] for row in run.report] == ["unchanged"] * 3, run.report
    text = page.content.decode()
    assert "already there: 3" in text and text.count("Already there") == 3
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:run", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert (Child.objects.count(), GuardianLink.objects.count()) == (children, links)
    assert ChildIdentifier.objects.count() == identifiers  # the own ids are never stored
    assert Invitation.objects.count() == invitations
    assert world.sibling.history.count() == 1 and world.child.history.count() == 1


def test_an_own_id_no_child_has_is_refused(world: World, client_as: ClientAs) -> None:
    client = client_as(world.admin)
    rows = table(download(client))
    rows[0]["identifier"] = str(world.foreign_child.pk)  # not this clinic's child
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows[:1])
    page = upload(client, out.getvalue().encode(), name="caseload.csv").content.decode()
    assert "is a Tandem id of this clinic" in page


def test_cells_a_spreadsheet_would_run_are_defused(world: World, client_as: ClientAs) -> None:
    world.child.preferred_name = '=HYPERLINK("http://evil.example")'
    world.child.save()
    user = world.guardian.user
    user.last_name = "+1 Plus"
    user.save()
    maya = table(download(client_as(world.admin)))[2]
    assert maya["preferred_name"] == '\'=HYPERLINK("http://evil.example")'
    assert maya["guardian_last_name"] == "'+1 Plus"


def test_others_find_no_export(world: World, client_as: ClientAs) -> None:
    for member in world.members().values():
        if member in (world.admin, world.foreign_admin):
            continue
        assert client_as(member).get(URL).status_code == 404, member


@pytest.mark.parametrize("extra", [0, 15])
def test_the_export_keeps_to_a_query_budget(
    world: World, client_as: ClientAs, django_assert_max_num_queries: Any, extra: int
) -> None:
    for n in range(extra):
        child = f.ChildFactory(organization=world.org)
        ChildIdentifier(organization=world.org, child=child, system="urn:x", value=f"X{n}").save()
        f.GuardianLinkFactory(child=child)
        f.CareTeamMemberFactory(child=child, therapist=world.therapist)
        Diagnosis.objects.create(organization=world.org, child=child, code="F84.0", label="A")
    client = client_as(world.admin)
    download(client)  # warm the session
    with django_assert_max_num_queries(10):
        rows = table(download(client))
    assert len(rows) == 3 + extra
