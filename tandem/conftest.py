"""Named personas every test can use, so each can ask "and the outsider?" in one line.

Riverside (``org``) is the clinic under test; Lakeside (``foreign_org``) is another
clinic whose data must never show up.
"""

import datetime
import os
from dataclasses import dataclass

import pytest
import time_machine
from django.test import Client
from django.utils import timezone, translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tandem.accounts.middleware import MFA_CONFIRMED
from tandem.accounts.models import Licence, Membership, Organization, Role
from tandem.children.models import Child, TeamRole
from tandem.consent.models import ConsentGrant
from tandem.core import clock
from tandem.core.testing import factories as f
from tandem.core.testing.scoping import QueryScopeChecker

# No test depends on wall-clock speed (speed lives in `make bench`): hypothesis's
# per-example deadline and its "input generation is slow" check are timings, and on a
# busy 2-core machine they failed tests whose outcomes were right.
hypothesis_settings.register_profile(
    "tandem", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("tandem")

# --- The suite at any hour -------------------------------------------------------
#
# TANDEM_TEST_INSTANT=2026-12-03T00:30:00Z runs the session with the clock travelled to
# that instant (and ticking on), so "today" tests are proven at the hours that used to
# break them (`make test-clock`). Started before test modules are imported, so even a
# module-level date is taken at the pinned instant; each test starts again at the instant
# (``pinned_instant``), so none drifts past the hour it is meant to prove.
_INSTANT: datetime.datetime | None = None
_TRAVEL: "time_machine.travel | None" = None


def pytest_configure(config: pytest.Config) -> None:
    global _INSTANT, _TRAVEL
    # Test databases are copied from a migrated one rather than migrated each time.
    from tandem.core.testing import schema_cache

    schema_cache.install()
    instant = os.environ.get("TANDEM_TEST_INSTANT")
    if instant and _TRAVEL is None:
        _INSTANT = datetime.datetime.fromisoformat(instant)
        if _INSTANT.tzinfo is None:
            raise pytest.UsageError("TANDEM_TEST_INSTANT needs a time zone, e.g. …T00:30:00Z")
        _TRAVEL = time_machine.travel(_INSTANT, tick=True)
        _TRAVEL.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    global _TRAVEL
    if _TRAVEL is not None:
        _TRAVEL.stop()
        _TRAVEL = None


@pytest.fixture(autouse=True)
def pinned_instant():  # type: ignore[no-untyped-def]
    """With TANDEM_TEST_INSTANT set, the test (and its fixtures) start at that instant.

    Afterwards no clinic's time zone and no person's language stays active (a request
    activates its clinic's zone and its reader's language), so each test starts on the
    same clock and in the same language whatever ran before it."""
    if _INSTANT is None:
        yield None
    else:
        with time_machine.travel(_INSTANT, tick=True):
            yield _INSTANT
    timezone.deactivate()
    translation.deactivate()


# --- The longest tests first ---------------------------------------------------------
#
# With several workers, a long test handed out last keeps one worker busy after the
# others are done. These modules (the slowest in `--durations`, longest first) are handed
# out first; every other test keeps its place.
LONGEST_FIRST = (
    "tandem/appointments/tests/test_encounter_migration.py",
    "tandem/demo/tests/test_demo_pages.py",
    "tandem/demo/tests/test_demo_clinic.py",
    "tandem/fhir/tests/test_demo_fhir.py",
    "tandem/plans/tests/test_goal_bank_migration.py",
    "tandem/accounts/tests/test_shared_cache.py",
    "tandem/core/tests/test_crash_safety.py",
    "tandem/access/tests/test_kernel.py",
    "tandem/security_tests/test_login_flood.py",
    "tandem/browser_tests/test_accessibility.py",
    "tandem/imports/tests/test_large_import.py",
    "tandem/plans/tests/test_signature_scheme.py",
    "tandem/browser_tests/test_clinical_loop.py",
    "tandem/browser_tests/test_product_look.py",
    "tandem/browser_tests/test_phone_layout.py",
    "tandem/browser_tests/test_group_journey.py",
    "tandem/security_tests/test_api_fuzz.py",
    "tandem/browser_tests/test_pdf_export.py",
    "tandem/browser_tests/test_progress_long_series.py",
    "tandem/browser_tests/test_intake_journey.py",
    "tandem/core/tests/test_two_workers.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {path: place for place, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


def pytest_report_header(config: pytest.Config) -> str | None:
    if _TRAVEL is not None:
        return f"clock travelled to {clock.now().isoformat()} (TANDEM_TEST_INSTANT)"
    return None


@dataclass
class World:
    """Two clinics and the people in them."""

    org: Organization
    admin: Membership
    therapist: Membership  # lead on ``child``
    consulting_therapist: Membership  # consulting (read-only) on ``child``
    unassigned_therapist: Membership  # same clinic, not on ``child``'s team
    assistant: Membership  # OT assistant supervised by ``therapist``, treating ``child``
    guardian: Membership  # parent of ``child`` and ``sibling``
    other_guardian: Membership  # parent of ``other_child`` (another family)
    collaborator: Membership  # no family has shared anything with them
    # Teacher: Maya's goals and progress only; everything of Noah's (his family shared it).
    consented_collaborator: Membership
    expired_collaborator: Membership  # shared every part of Maya's record; ended yesterday
    revoked_collaborator: Membership  # shared every part of Maya's record; her parent stopped it
    front_desk: Membership  # scheduling and intake for the whole clinic, no clinical content
    billing: Membership  # charges and payers for the whole clinic, minimum clinical content
    child: Child
    sibling: Child
    other_child: Child
    foreign_org: Organization
    foreign_admin: Membership
    foreign_therapist: Membership
    foreign_guardian: Membership
    foreign_child: Child

    def members(self) -> dict[str, Membership]:
        return {
            "admin": self.admin,
            "therapist": self.therapist,
            "consulting_therapist": self.consulting_therapist,
            "unassigned_therapist": self.unassigned_therapist,
            "assistant": self.assistant,
            "guardian": self.guardian,
            "other_guardian": self.other_guardian,
            "collaborator": self.collaborator,
            "consented_collaborator": self.consented_collaborator,
            "expired_collaborator": self.expired_collaborator,
            "revoked_collaborator": self.revoked_collaborator,
            "front_desk": self.front_desk,
            "billing": self.billing,
            "foreign_admin": self.foreign_admin,
            "foreign_therapist": self.foreign_therapist,
            "foreign_guardian": self.foreign_guardian,
        }


def build_world() -> World:
    org = f.OrganizationFactory(name="Riverside Pediatric Therapy")
    admin = f.AdminFactory(organization=org)
    therapist = f.TherapistFactory(organization=org, discipline="ot")
    consulting = f.TherapistFactory(organization=org, discipline="slp")
    unassigned = f.TherapistFactory(organization=org, discipline="pt")
    assistant = f.TherapistFactory(
        organization=org, discipline="ot", licence=Licence.ASSISTANT, supervisor=therapist
    )
    child = f.ChildFactory(organization=org, first_name="Maya", last_name="Okafor")
    sibling = f.ChildFactory(organization=org, first_name="Eli", last_name="Okafor")
    other_child = f.ChildFactory(organization=org, first_name="Noah", last_name="Berg")
    guardian_link = f.GuardianLinkFactory(child=child)
    guardian = guardian_link.guardian
    f.GuardianLinkFactory(child=sibling, guardian=guardian)
    other_guardian = f.GuardianLinkFactory(child=other_child).guardian
    f.CareTeamMemberFactory(child=child, therapist=therapist, role=TeamRole.LEAD)
    f.CareTeamMemberFactory(child=child, therapist=consulting, role=TeamRole.CONSULTING)
    f.CareTeamMemberFactory(child=child, therapist=assistant, role=TeamRole.TREATING)
    f.CareTeamMemberFactory(child=sibling, therapist=therapist, role=TeamRole.LEAD)
    f.CareTeamMemberFactory(child=other_child, therapist=unassigned, role=TeamRole.LEAD)
    collaborator = f.CollaboratorFactory(organization=org)
    consented, expired, revoked = _consents(org, guardian, other_guardian, child, other_child)
    front_desk = f.MembershipFactory(organization=org, role=Role.FRONT_DESK)
    billing = f.MembershipFactory(organization=org, role=Role.BILLING)

    foreign_org = f.OrganizationFactory(name="Lakeside Kids Therapy")
    foreign_admin = f.AdminFactory(organization=foreign_org)
    foreign_child = f.ChildFactory(organization=foreign_org, first_name="Zara", last_name="Lind")
    foreign_therapist = f.CareTeamMemberFactory(child=foreign_child).therapist
    foreign_guardian = f.GuardianLinkFactory(child=foreign_child).guardian
    return World(
        org=org,
        admin=admin,
        therapist=therapist,
        consulting_therapist=consulting,
        unassigned_therapist=unassigned,
        assistant=assistant,
        guardian=guardian,
        other_guardian=other_guardian,
        collaborator=collaborator,
        consented_collaborator=consented,
        expired_collaborator=expired,
        revoked_collaborator=revoked,
        front_desk=front_desk,
        billing=billing,
        child=child,
        sibling=sibling,
        other_child=other_child,
        foreign_org=foreign_org,
        foreign_admin=foreign_admin,
        foreign_therapist=foreign_therapist,
        foreign_guardian=foreign_guardian,
        foreign_child=foreign_child,
    )


def _consents(org, guardian, other_guardian, child, other_child):  # type: ignore[no-untyped-def]
    """Collaborators holding consents in scope, out of scope, expired and revoked."""
    today = clock.today_for(org)
    later = today + datetime.timedelta(days=90)
    everything = {"can_see_summary": True, "can_post_observations": True, "can_read_notes": True}

    def share(collaborator, parent, kid, **fields):  # type: ignore[no-untyped-def]
        ConsentGrant.objects.create(
            organization=org,
            child=kid,
            collaborator=collaborator,
            granted_by=parent,
            role_title=collaborator.title,
            **({"expires_on": later} | fields),
        )

    consented = f.CollaboratorFactory(organization=org, title="Class teacher")
    share(consented, guardian, child, can_see_summary=True)
    share(consented, other_guardian, other_child, **everything)
    expired = f.CollaboratorFactory(organization=org, title="Pediatrician")
    share(expired, guardian, child, expires_on=today - datetime.timedelta(days=1), **everything)
    revoked = f.CollaboratorFactory(organization=org, title="Swimming coach")
    share(revoked, guardian, child, revoked_at=timezone.now(), revoked_by=guardian, **everything)
    return consented, expired, revoked


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    return build_world()


@pytest.fixture(scope="session", autouse=True)
def media_in_tmp(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Files stored by tests (photos, attachments, handouts) land in a folder of the test
    session, not under var/; one folder for the session, so a world built once per
    module (``matrix_world``) still finds its files in every test."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The authorization matrices' world (tandem.core.testing.matrix), built once per test
    module inside a transaction that is rolled back after the module.

    Each test using it also asks for ``db``: its own atomic block nests as a savepoint and
    is rolled back after the test, so no case sees another's writes. Built at the pinned
    instant under ``make test-clock``, like a function-scoped fixture.
    """
    from django.db import connections, transaction

    from tandem.core.testing.matrix import build_matrix_world

    with django_db_blocker.unblock():
        outer = []
        for alias in connections:
            atomic = transaction.atomic(using=alias)
            # As Django's TestCase marks its own blocks: a durable block may nest in it.
            atomic._from_testcase = True  # type: ignore[attr-defined]
            atomic.__enter__()
            outer.append((alias, atomic))
        try:
            if _INSTANT is not None:
                with time_machine.travel(_INSTANT, tick=True):
                    world = build_matrix_world()
            else:
                world = build_matrix_world()
            timezone.deactivate()
            yield world
        finally:
            for alias, atomic in reversed(outer):
                transaction.set_rollback(True, using=alias)
                atomic.__exit__(None, None, None)


def sign_in(client: Client, membership: Membership) -> Client:
    """Sign a test client in as a member; staff count as having passed MFA."""
    client.force_login(membership.user)
    if membership.works_at_clinic:
        session = client.session
        session[MFA_CONFIRMED] = True
        session.save()
    return client


@pytest.fixture
def client_as(client):  # type: ignore[no-untyped-def]
    """Return a function that signs the test client in as a given member."""

    def _client_as(membership: Membership) -> Client:
        return sign_in(Client(), membership)

    return _client_as


# --- Every query on an organization's table filters by organization ---------------
#
# While a test-client request is being handled, every SELECT that reads a table with
# an organization foreign key (child data, history tables, memberships, invitations,
# resources…; found from the app registry) must filter by that table's organization_id,
# directly, through its alias, or as the row a filtered row points at. Prefetches and
# subqueries included: an access rule forgotten in one view cannot leak another clinic's
# rows. The rules, and the few reads that are no clinic's, are in ``core.testing.scoping``.


@pytest.fixture(autouse=True)
def queries_filter_by_organization():  # type: ignore[no-untyped-def]
    """Fail any test whose requests read an organization's rows without filtering by it."""
    with QueryScopeChecker().watching() as checker:
        yield checker
    assert not checker.violations, "Queries not filtered by organization:\n" + "\n".join(
        checker.violations
    )


@pytest.fixture(scope="session", autouse=True)
def _flush_sealed_tables_between_tests():  # type: ignore[no-untyped-def]
    """Let the test runner empty the tables that the database guards (signed notes, history).

    Tests that commit (browser tests, ``transactional_db``) end with a flush: a TRUNCATE on
    PostgreSQL, DELETEs on SQLite, both refused by the sealing triggers. Only that flush
    goes through ``allow_purge()`` (tandem.notes.triggers), in the test database only.
    """
    from django.db.backends.base.operations import BaseDatabaseOperations

    from tandem.notes.triggers import allow_purge

    flush = BaseDatabaseOperations.execute_sql_flush

    def flush_allowing_purge(self, sql_list):  # type: ignore[no-untyped-def]
        with allow_purge(self.connection):
            flush(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = flush_allowing_purge  # type: ignore[method-assign]
    yield
    BaseDatabaseOperations.execute_sql_flush = flush  # type: ignore[method-assign]
