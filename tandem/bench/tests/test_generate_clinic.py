"""``manage.py generate_clinic`` bulk inserts a clinic the product reads like its own.

A tiny clinic (5 children, 2 therapists, 1 year): every row carries the organization,
versioned records have their creation in the history, signed notes verify as intact,
the pages and the API work for a generated therapist and guardian within their query
budgets, and the same seed gives the same data.
"""

import datetime
import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import models, transaction
from django.db.models import Model
from django.test import Client
from django.urls import path, reverse
from pytest_django import DjangoAssertNumQueries

from tandem.accounts.models import Membership, Organization, Role
from tandem.appointments.models import Appointment, Encounter
from tandem.audit.versions import VersionedModel
from tandem.bench import views as bench_views
from tandem.bench.generate import digest
from tandem.bench.rows import Table
from tandem.children.models import CareTeamMember, Child, GuardianLink
from tandem.conftest import sign_in
from tandem.core import clock
from tandem.notes.actions import is_intact
from tandem.notes.models import GoalData, NoteStatus, SessionNote
from tandem.plans.models import Goal, Plan
from tandem.urls import urlpatterns as project_urls

pytestmark = pytest.mark.django_db

SIZE = {"children": 5, "therapists": 2, "years": 1, "seed": 7}
MODELS: tuple[type[Model], ...]
MODELS = (Membership, Child, GuardianLink, CareTeamMember, Plan, Goal, SessionNote, GoalData)
VERSIONED: tuple[VersionedModel, ...]
VERSIONED = (
    Child,
    GuardianLink,
    CareTeamMember,
    Plan,
    Goal,
    SessionNote,
    GoalData,
    Encounter,
    Appointment,
)
CASELOAD_BUDGET = 18  # as tandem/children/tests/test_caseload.py
PROGRESS_BUDGET = 15  # as tandem/progress/tests/test_performance.py


def generate(**options: object) -> tuple[Organization, StringIO]:
    out = StringIO()
    call_command("generate_clinic", **{**SIZE, **options}, stdout=out)
    return Organization.objects.get(name=f"Bench clinic {options.get('seed', SIZE['seed'])}"), out


@pytest.fixture
def clinic() -> Organization:
    org, out = generate()
    assert "children 5/5" in out.getvalue()  # progress is printed
    return org


def member(org: Organization, role: str) -> Membership:
    found = (
        Membership.objects.filter(organization=org, role=role)
        .select_related("user")
        .order_by("user__email")
        .first()
    )
    assert found is not None, role
    return found


def test_every_row_belongs_to_the_new_organization_with_its_history(clinic: Organization) -> None:
    for model in MODELS:
        assert model._default_manager.filter(organization=clinic).exists(), model
        assert not model._default_manager.exclude(organization=clinic).exists(), model
    assert Membership.objects.filter(organization=clinic, role=Role.GUARDIAN).count() == 5
    for versioned in VERSIONED:
        rows = versioned.objects.filter(organization=clinic).count()
        created = versioned.history.filter(organization_id=clinic.id, history_type="+").count()
        assert created == rows, versioned
    assert SessionNote.objects.filter(organization=clinic).count() >= 5 * 20  # every other week


def test_signed_notes_verify_intact_and_the_note_page_says_so(
    clinic: Organization, client: Client
) -> None:
    notes = list(SessionNote.objects.filter(organization=clinic))
    assert all(n.status == NoteStatus.SIGNED and n.signed_at for n in notes)
    entries: dict[uuid.UUID, list[GoalData]] = {}
    for entry in GoalData.objects.filter(organization=clinic):
        entries.setdefault(entry.note_id, []).append(entry)
    assert all(is_intact(n, entries.get(n.id, [])) for n in notes)
    assert all(entries.get(n.id) for n in notes)
    note = notes[0]
    author = Membership.objects.select_related("user").get(pk=note.author_id)
    page = sign_in(client, author).get(reverse("notes:detail", args=[note.child_id, note.id]))
    assert page.status_code == 200
    assert "The note matches what was signed." in page.content.decode()
    assert "no longer matches" not in page.content.decode()


def test_pages_and_api_work_for_a_generated_therapist_within_budget(
    clinic: Organization, client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    therapist = member(clinic, Role.THERAPIST)
    child = Child.objects.filter(
        organization=clinic, care_team__therapist=therapist, care_team__role="lead"
    ).first()
    assert child is not None
    sign_in(client, therapist)
    client.get(reverse("children:detail", args=[child.id]))  # the session is set up
    with django_assert_max_num_queries(CASELOAD_BUDGET):
        page = client.get(reverse("children:caseload"))
    assert page.status_code == 200 and child.last_name in page.content.decode()
    with django_assert_max_num_queries(PROGRESS_BUDGET):
        page = client.get(reverse("progress:index", args=[child.id]))
    assert page.status_code == 200
    assert client.get(reverse("appointments:schedule")).status_code == 200
    listed = client.get("/api/v1/children")
    assert listed.status_code == 200
    assert str(child.id) in {row["id"] for row in listed.json()["items"]}


def test_pages_and_api_work_for_a_generated_guardian(clinic: Organization, client: Client) -> None:
    guardian = member(clinic, Role.GUARDIAN)
    child = Child.objects.get(organization=clinic, guardian_links__guardian=guardian)
    sign_in(client, guardian)
    home = client.get(reverse("homeprogram:family_home"))
    assert home.status_code == 200 and child.last_name in home.content.decode()
    assert client.get(reverse("progress:index", args=[child.id])).status_code == 200
    listed = client.get("/api/v1/children")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["items"]] == [str(child.id)]


def test_the_same_seed_gives_the_same_clinic() -> None:
    end = datetime.date(2026, 6, 30)
    with transaction.atomic():
        first = digest(generate(end=end)[0])
        transaction.set_rollback(True)
    assert not Organization.objects.exists()
    org, _out = generate(end=end)
    assert digest(org) == first
    assert digest(generate(end=end, seed=8)[0]) != first


def test_a_seed_already_used_is_refused(clinic: Organization) -> None:
    with pytest.raises(CommandError, match="exists already"):
        generate()


def test_data_ends_on_the_clinics_today_and_two_appointments_are_ahead(
    clinic: Organization,
) -> None:
    today = clock.today_for(clinic)
    last = SessionNote.objects.filter(organization=clinic).order_by("-date").first()
    assert last is not None
    assert today - datetime.timedelta(days=14) <= last.date < today
    ahead = Appointment.objects.filter(organization=clinic, status="scheduled")
    assert ahead.count() == 2 * 5
    # Every note hangs off its child's attended session with its author.
    notes = SessionNote.objects.filter(organization=clinic)
    assert (
        notes.count()
        == notes.filter(
            encounter__participants__child=models.F("child"),
            encounter__participants__status="attended",
            encounter__therapist=models.F("author"),
        ).count()
    )


# The floor endpoint of `make bench` is routed only with TANDEM_BENCH=1; here it is
# routed by this module's URL map, in front of the project's.
urlpatterns = [path("bench/floor", bench_views.floor, name="bench_floor"), *project_urls]


@pytest.mark.urls(__name__)
def test_the_floor_endpoint_answers_members_only(
    clinic: Organization, client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    assert client.get("/bench/floor").status_code == 302  # to sign-in
    sign_in(client, member(clinic, Role.THERAPIST))
    client.get("/bench/floor")
    with django_assert_max_num_queries(10):
        answer = client.get("/bench/floor")
    assert answer.status_code == 200 and answer.json() == {"organization": clinic.name}


def test_the_floor_endpoint_is_not_routed_without_tandem_bench(
    clinic: Organization, client: Client
) -> None:
    sign_in(client, member(clinic, Role.THERAPIST))
    assert client.get("/bench/floor").status_code == 404


def test_a_table_writes_every_column_of_its_model_and_of_its_history() -> None:
    table = Table(GoalData, history=True)
    assert table.names == [f.attname for f in GoalData._meta.concrete_fields]
    history = GoalData.history.model._meta.concrete_fields
    assert table.history_names == [f.attname for f in history if f.attname != "history_id"]
    with pytest.raises(ValueError, match="created_at"):
        table.record(id=uuid.uuid4())  # a default that is not constant must be given
    when = datetime.datetime(2026, 1, 5, 15, tzinfo=datetime.UTC)
    record = table.record(id=uuid.uuid4(), created_at=when, updated_at=when)
    assert record["trials"] == [] and record["comment"] == "" and record["value"] is None
