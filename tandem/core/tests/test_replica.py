"""Reports and exports read from the replica; pages and writes use the primary
(tandem/core/dbrouters.py, docs/scaling.md).

The module adds a ``replica`` alias that mirrors the test database (as settings do with
``TANDEM_REPLICA_DATABASE_URL``; with it set, that alias is used). A replica is another
connection: it sees only committed rows, so the tests that read through it commit
(``transaction=True``); inside a transaction, reports read from the primary.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import Organization
from tandem.conftest import World
from tandem.core.dbrouters import REPLICA, reading_from_replica, report_database
from tandem.core.testing.scoping import QueryScopeChecker
from tandem.core.testing.types import ClientAs
from tandem.exports.tests.helpers import download_pdf
from tandem.plans.models import Goal
from tandem.progress.tests.helpers import make_goal, make_plan, record_sessions, weekly

BOTH = [DEFAULT_DB_ALIAS, REPLICA]
PERIOD = {"start": "2024-01-01", "end": "2024-06-30"}
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup: None) -> Iterator[None]:
    """A ``replica`` alias on the test database, unless settings already made one."""
    if REPLICA in connections.settings:
        yield
        return
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    connections.settings[REPLICA] = {
        **primary,
        # A reader: SQLite's BEGIN IMMEDIATE would take the (shared in-memory) database's
        # write lock for each test's transaction.
        "OPTIONS": {k: v for k, v in primary["OPTIONS"].items() if k != "transaction_mode"},
        "TEST": {**primary["TEST"], "MIRROR": "default"},
    }
    try:
        yield
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


class Queries:
    """The SQL each alias ran inside the block."""

    def __init__(self) -> None:
        self.by_alias: dict[str, list[str]] = {}

    def __enter__(self) -> "Queries":
        self._contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in BOTH}
        for context in self._contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        for alias, context in self._contexts.items():
            context.__exit__(*exc)
            self.by_alias[alias] = [query["sql"] for query in context.captured_queries]

    def on(self, alias: str, table: str = "", *, writes: bool = False) -> list[str]:
        return [
            sql
            for sql in self.by_alias[alias]
            if table in sql and (sql.lstrip().upper().startswith(WRITES) or not writes)
        ]


@pytest.fixture
def goal(world: World) -> Goal:
    goal = make_goal(make_plan(world.child, world.therapist), statement="Buttons her coat")
    record_sessions(
        world.therapist, world.child, weekly([20, 30, 40, 50, 60], goal, levels=[-2, -1, -1, 0, 0])
    )
    return goal


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_progress_report_reads_from_the_replica_and_other_pages_do_not(
    world: World, client_as: ClientAs, goal: Goal
) -> None:
    client = client_as(world.therapist)
    with Queries() as tab:
        page = client.get(reverse("progress:index", args=[world.child.id]))
    assert page.status_code == 200 and "Buttons her coat" in page.content.decode()
    assert tab.on(REPLICA) == [] and tab.on(DEFAULT_DB_ALIAS, '"plans_goal"')

    with Queries() as report:
        page = client.get(reverse("progress:report", args=[world.child.id]), PERIOD)
    assert page.status_code == 200 and "Buttons her coat" in page.content.decode()
    assert report.on(REPLICA, '"plans_goal"') and report.on(REPLICA, '"notes_sessionnote"')
    assert report.on(DEFAULT_DB_ALIAS, '"plans_goal"') == []
    # The child was found for the access check on the primary; the log is written there.
    assert report.on(DEFAULT_DB_ALIAS, '"children_child"')
    assert report.on(DEFAULT_DB_ALIAS, '"audit_accesslog"', writes=True)
    assert report.on(REPLICA, writes=True) == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_worker_prints_a_pdf_from_the_replica_and_stores_it_on_the_primary(
    world: World, client_as: ClientAs, goal: Goal
) -> None:
    with Queries() as made:
        pdf = download_pdf(
            client_as(world.therapist),
            reverse("progress:report_pdf", args=[world.child.id]),
            PERIOD,
        )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert made.on(REPLICA, '"plans_goal"') and made.on(REPLICA, '"notes_sessionnote"')
    assert made.on(REPLICA, writes=True) == []
    assert made.on(DEFAULT_DB_ALIAS, '"exports_export"', writes=True)
    assert made.on(DEFAULT_DB_ALIAS, '"plans_goal"') == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_charges_csv_streams_from_the_replica(world: World, client_as: ClientAs) -> None:
    client = client_as(world.billing)
    with Queries() as csv:
        response = client.get(reverse("billing:charges_csv", args=[world.child.id]))
        body = response.getvalue()
    assert response.status_code == 200 and body.startswith(b"service_date,code,")
    assert csv.on(REPLICA, '"billing_charge"')
    assert csv.on(DEFAULT_DB_ALIAS, '"billing_charge"') == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_writes_go_to_the_primary_even_for_a_row_read_from_the_replica(world: World) -> None:
    with Queries() as queries, reading_from_replica():
        clinic = Organization.objects.get(pk=world.org.pk)
        assert clinic._state.db == REPLICA
        clinic.name = "Riverside Kids"
        clinic.save()
    assert queries.on(REPLICA, '"accounts_organization"')
    assert queries.on(REPLICA, writes=True) == []
    assert queries.on(DEFAULT_DB_ALIAS, '"accounts_organization"', writes=True)
    with Queries() as later:
        clinic.refresh_from_db()  # outside the block: the primary, even for this row
    assert later.on(REPLICA) == [] and clinic.name == "Riverside Kids"


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_organization_check_watches_the_replica_too(
    world: World, queries_filter_by_organization: QueryScopeChecker
) -> None:
    """An unscoped read during a request fails the test on the replica as on the primary."""
    checker = queries_filter_by_organization
    checker.request_started()
    try:
        with reading_from_replica():
            assert Goal.objects.using(REPLICA).count() == 0  # every clinic's goals: unscoped
    finally:
        checker.request_finished()
    assert [v.split(":")[0] for v in checker.violations] == ["plans_goal"]
    checker.violations.clear()  # seen; the test itself must not fail for it


def test_inside_a_transaction_reports_read_from_the_primary(world: World) -> None:
    """A replica cannot see what an open transaction wrote (here: the test's own). The
    test may not use the replica: a query sent there would fail it."""
    assert connections[DEFAULT_DB_ALIAS].in_atomic_block
    assert report_database() == DEFAULT_DB_ALIAS
    with reading_from_replica():
        assert Organization.objects.filter(pk=world.org.pk).exists()


def test_the_replica_is_configured_from_its_url(monkeypatch: pytest.MonkeyPatch) -> None:
    from tandem.core.tests.test_s3_media import settings_under

    databases = settings_under(monkeypatch)["DATABASES"]
    assert set(databases) == {DEFAULT_DB_ALIAS}
    databases = settings_under(
        monkeypatch, TANDEM_REPLICA_DATABASE_URL="postgres://reader@replica.internal:5432/tandem"
    )["DATABASES"]
    replica = databases[REPLICA]
    assert (replica["HOST"], replica["NAME"], replica["USER"]) == (
        "replica.internal",
        "tandem",
        "reader",
    )
    assert replica["TEST"] == {"MIRROR": "default"}
