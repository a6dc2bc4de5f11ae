"""The least-privilege database role of docs/postgres-app-role.sql, tried on PostgreSQL:
the application works as it, and it cannot truncate the access log, disable its
trigger, or change or delete its rows."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from tandem.audit.models import AccessLog
from tandem.conftest import World
from tandem.core.testing.types import ClientAs

SQL = Path(settings.BASE_DIR) / "docs" / "postgres-app-role.sql"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="roles and triggers are PostgreSQL's"
)


class _Undo(Exception):
    pass


def as_app(statement: str) -> str:
    """Run one statement as ``tandem_app`` (then undo it); return the error ("" if none)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL ROLE tandem_app")
            cursor.execute(statement)
            raise _Undo
    except _Undo:
        return ""
    except DatabaseError as exc:
        return str(exc)


@pytest.fixture
def app_role(db: None) -> None:
    """The test database (owned by the test's superuser, as `tandem` owns the real one)
    with the documented grants applied for a `tandem_app` role."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DO $$ BEGIN CREATE ROLE tandem_app NOLOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        cursor.execute(SQL.read_text())


def test_the_app_role_cannot_rewrite_the_access_log(
    app_role: None, world: World, client_as: ClientAs
) -> None:
    client_as(world.therapist).get(reverse("children:detail", args=[world.child.id]))
    assert AccessLog.objects.exists()
    assert "permission denied" in as_app("TRUNCATE audit_accesslog")
    assert "permission denied" in as_app("TRUNCATE audit_accesslog CASCADE")
    assert "must be owner" in as_app("ALTER TABLE audit_accesslog DISABLE TRIGGER ALL")
    assert "must be owner" in as_app("DROP TRIGGER audit_accesslog_lock ON audit_accesslog")
    assert "permission denied" in as_app("DELETE FROM audit_accesslog")
    assert "permission denied" in as_app("UPDATE audit_accesslog SET path = '/'")
    assert "must be owner" in as_app("ALTER TABLE notes_sessionnote DISABLE TRIGGER ALL")
    assert "permission denied" in as_app("TRUNCATE notes_sessionnote CASCADE")
    assert "permission denied" in as_app("CREATE TABLE sneaky (id int)")
    assert "permission denied" in as_app("SET session_replication_role = replica")
    assert "permission denied" in as_app("DELETE FROM children_historicalchild")
    assert "permission denied" in as_app(
        "UPDATE notes_historicalsessionnote SET history_user_id = NULL"
    )
    # What the application needs still works.
    assert as_app("SELECT count(*) FROM audit_accesslog") == ""
    assert as_app("DELETE FROM django_session") == ""
    assert as_app("UPDATE children_child SET school = school") == ""


def test_the_application_runs_as_the_app_role(
    app_role: None, world: World, client_as: ClientAs
) -> None:
    client = client_as(world.therapist)
    with connection.cursor() as cursor:
        cursor.execute("SET ROLE tandem_app")
    try:
        page = client.get(reverse("children:detail", args=[world.child.id]))
        assert page.status_code == 200
        sent = client.post(reverse("messaging:post", args=[world.child.id]), {"body": "Hello"})
        assert sent.status_code == 302
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert AccessLog.objects.filter(child=world.child, user=world.therapist.user).exists()
