"""A sealed record is sealed: the database refuses every change, and the hashes show any.

Each attempt goes through a raw SQL cursor, as a console or a script would; the
integrity check is read where people read it (the note's page).
"""

import contextlib
import copy
import datetime
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from tandem.audit.versions import versioned_models
from tandem.conftest import World
from tandem.notes import actions, cosigning, seal, triggers
from tandem.notes.models import Addendum, GoalData, NoteStatus, SessionNote
from tandem.notes.tests.helpers import TODAY, goals_for, make_note, note_fields, sample_data

POSTGRESQL = connection.vendor == "postgresql"
only_postgresql = pytest.mark.skipif(
    not POSTGRESQL, reason="PostgreSQL only: TRUNCATE, its purge setting"
)
REFUSED = r"locked|cannot be"


def url(name, note):
    return reverse(f"notes:{name}", args=[note.child_id, note.id])


def run(sql: str, *params: Any) -> int:
    """Run one statement as a raw SQL client would; return the rows it touched."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [p.hex if isinstance(p, uuid.UUID) else p for p in params])
        return cursor.rowcount


def refused(sql: str, *params: Any) -> None:
    with pytest.raises(DatabaseError, match=REFUSED):
        run(sql, *params)


@contextlib.contextmanager
def triggers_off() -> Iterator[None]:
    """What only a database superuser can do: change rows around the triggers.

    Undone with the test's transaction (DDL is transactional on both databases).
    """
    with connection.cursor() as cursor:
        if POSTGRESQL:
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER {name}")
    yield
    if POSTGRESQL:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")


def reads_intact(client: Client, note: SessionNote) -> bool:
    body = client.get(url("detail", note)).content.decode()
    assert "matches what was signed" in body
    return "Warning: the note no longer matches what was signed." not in body


@pytest.fixture
def signed(world: World) -> SessionNote:
    note = make_note(world.child, world.therapist, sign=True)
    actions.add_addendum(note, world.therapist, "Mum called: the coat has new buttons.")
    return note


# --- The database refuses every change to a sealed note -------------------------


def test_a_signed_note_cannot_go_back_to_draft(signed):
    refused("UPDATE notes_sessionnote SET status = 'draft' WHERE id = %s", signed.id)
    refused(
        "UPDATE notes_sessionnote SET status = 'draft', signed_at = NULL, signed_by_id = NULL "
        "WHERE id = %s",
        signed.id,
    )
    assert SessionNote.objects.get(pk=signed.pk).status == NoteStatus.SIGNED


def test_a_co_signature_cannot_be_forged(world, signed):
    cosign = (
        "UPDATE notes_sessionnote SET cosigned_by_id = %s, cosigned_at = %s, cosign_hash = 'f', "
        "status = 'signed', version = version + 1 WHERE id = %s"
    )
    now = datetime.datetime.now(datetime.UTC)
    # On a note that never needed one.
    refused(cosign, world.admin.id, now, signed.id)
    # On an assistant's note, by someone other than their supervisor.
    waiting = make_note(world.child, world.assistant, sign=True)
    refused(cosign, world.consulting_therapist.id, now, waiting.id)
    # Once co-signed, the co-signature never changes.
    cosigning.cosign_note(waiting, world.therapist)
    refused(
        "UPDATE notes_sessionnote SET cosigned_by_id = %s WHERE id = %s",
        world.admin.id,
        waiting.id,
    )
    refused("UPDATE notes_sessionnote SET status = 'awaiting_cosign' WHERE id = %s", waiting.id)
    assert SessionNote.objects.get(pk=signed.pk).cosigned_by_id is None
    assert SessionNote.objects.get(pk=waiting.pk).cosigned_by_id == world.therapist.id


def test_the_co_signature_itself_goes_through(world, client_as):
    waiting = make_note(world.child, world.assistant, sign=True)
    response = client_as(world.therapist).post(url("cosign", waiting), {"version": waiting.version})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == NoteStatus.SIGNED
    assert waiting.cosign_hash == seal.cosign_hash(waiting)
    assert reads_intact(client_as(world.therapist), waiting)


def test_a_signed_note_cannot_move_to_another_organization(world, signed):
    refused(
        "UPDATE notes_sessionnote SET organization_id = %s WHERE id = %s",
        world.foreign_org.id,
        signed.id,
    )
    assert SessionNote.objects.get(pk=signed.pk).organization_id == world.org.id


@pytest.mark.parametrize(
    "column, value",
    [
        ("objective", "Quietly changed"),
        ("author_id", None),  # filled in below
        ("signed_at", "2020-01-01 00:00:00"),
        ("content_hash", "0" * 64),
        ("hash_version", 1),
        ("version", 99),
        ("updated_at", "2020-01-01 00:00:00"),
        ("created_at", "2020-01-01 00:00:00"),
    ],
)
def test_no_column_of_a_signed_note_changes(world, signed, column, value):
    if column == "author_id":
        value = world.unassigned_therapist.id
    refused(f"UPDATE notes_sessionnote SET {column} = %s WHERE id = %s", value, signed.id)


def test_a_signed_note_cannot_be_deleted(signed):
    refused("DELETE FROM notes_addendum WHERE note_id = %s", signed.id)
    refused("DELETE FROM notes_goaldata WHERE note_id = %s", signed.id)
    refused("DELETE FROM notes_sessionnote WHERE id = %s", signed.id)
    assert SessionNote.objects.filter(pk=signed.pk).exists()


def test_goal_data_of_a_signed_note_is_locked(world, signed):
    refused("UPDATE notes_goaldata SET gas_level = 2 WHERE note_id = %s", signed.id)
    refused("DELETE FROM notes_goaldata WHERE note_id = %s", signed.id)
    entry = GoalData.objects.filter(note=signed).first()
    refused(
        "INSERT INTO notes_goaldata (id, created_at, updated_at, organization_id, child_id, "
        "note_id, goal_id, trials, comment) VALUES (%s, %s, %s, %s, %s, %s, %s, '[]', '')",
        uuid.uuid4(),
        entry.created_at,
        entry.created_at,
        world.org.id,
        world.child.id,
        signed.id,
        entry.goal_id,
    )
    assert GoalData.objects.filter(note=signed).count() == 1


def test_addenda_are_append_only(world, signed):
    refused("UPDATE notes_addendum SET text = 'Something else' WHERE note_id = %s", signed.id)
    refused("DELETE FROM notes_addendum WHERE note_id = %s", signed.id)
    actions.add_addendum(signed, world.therapist, "A second one is fine.")
    assert Addendum.objects.filter(note=signed).count() == 2


def test_history_is_append_only(signed):
    for table, column in (
        ("notes_historicalsessionnote", "id"),
        ("notes_historicalgoaldata", "note_id"),
    ):
        refused(f"UPDATE {table} SET history_change_reason = 'x' WHERE {column} = %s", signed.id)
        refused(f"DELETE FROM {table} WHERE {column} = %s", signed.id)
    refused(
        "UPDATE notes_historicalsessionnote SET status = 'draft' WHERE id = %s",
        signed.id,
    )
    # History of another versioned record (the child's) is guarded alike.
    refused("DELETE FROM children_historicalchild WHERE id = %s", signed.child_id)


def test_the_history_of_every_versioned_model_is_guarded(world):
    with connection.cursor() as cursor:
        if POSTGRESQL:
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
            )
        else:
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        installed = {(table, name) for table, name in cursor.fetchall()}
    for model in versioned_models():
        table = model.history.model._meta.db_table
        names = {name for t, name in installed if t == table}
        assert any(name.startswith(f"{table}_append_only") for name in names), table
        if POSTGRESQL:
            assert f"{table}_no_truncate" in names


@only_postgresql
@pytest.mark.parametrize(
    "table",
    [
        "notes_sessionnote",
        "notes_goaldata",
        "notes_addendum",
        "notes_historicalsessionnote",
        "notes_historicalgoaldata",
        "children_historicalchild",
        "audit_accesslog",
    ],
)
def test_postgresql_refuses_truncate(signed, table):
    run("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own inserts are checked first
    with pytest.raises(DatabaseError, match="cannot be truncated"):
        run(f"TRUNCATE {table} CASCADE")
    assert SessionNote.objects.filter(pk=signed.pk).exists()


@only_postgresql
def test_the_purge_setting_opens_nothing_but_a_test_databases_truncate(signed):
    run("SELECT set_config('tandem.allow_purge', 'on', false)")
    try:
        refused("DELETE FROM notes_sessionnote WHERE id = %s", signed.id)
        refused("UPDATE notes_historicalsessionnote SET status = 'draft' WHERE id = %s", signed.id)
    finally:
        run("SELECT set_config('tandem.allow_purge', 'off', false)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'tandem_forbid_truncate'")
        (source,) = cursor.fetchone()
    assert "current_database() LIKE 'test\\_%'" in source


def test_a_draft_still_changes_freely(world):
    draft = make_note(world.child, world.therapist)
    assert run("UPDATE notes_sessionnote SET objective = 'Edited' WHERE id = %s", draft.id) == 1
    assert run("DELETE FROM notes_goaldata WHERE note_id = %s", draft.id) == 1


# --- The integrity check shows any change to a sealed field ----------------------


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE notes_sessionnote SET objective = 'Quietly changed' WHERE id = %(note)s",
        "UPDATE notes_sessionnote SET status = 'awaiting_cosign' WHERE id = %(note)s",
        "UPDATE notes_sessionnote SET cosigned_by_id = %(other)s, cosigned_at = signed_at "
        "WHERE id = %(note)s",
        "UPDATE notes_sessionnote SET signed_by_id = %(other)s WHERE id = %(note)s",
        "UPDATE notes_sessionnote SET signed_at = created_at WHERE id = %(note)s",
        "UPDATE notes_sessionnote SET author_id = %(other)s WHERE id = %(note)s",
        "UPDATE notes_goaldata SET comment = 'x' WHERE note_id = %(note)s",
        "UPDATE notes_goaldata SET value = 1 WHERE note_id = %(note)s",
        "UPDATE notes_addendum SET text = 'Something else' WHERE note_id = %(note)s",
        "UPDATE notes_addendum SET author_id = %(other)s WHERE note_id = %(note)s",
    ],
)
def test_the_note_page_shows_a_change_made_around_the_triggers(world, client_as, signed, sql):
    client = client_as(world.therapist)
    assert reads_intact(client, signed)
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(sql, {"note": signed.id.hex, "other": world.admin.id.hex})
        assert cursor.rowcount >= 1
    assert not reads_intact(client, signed)


def _changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, uuid.UUID):
        return uuid.uuid4()
    if isinstance(value, datetime.datetime):
        return value + datetime.timedelta(seconds=1)
    if isinstance(value, datetime.date):
        return value - datetime.timedelta(days=1)
    if isinstance(value, datetime.time):
        return value.replace(minute=(value.minute + 1) % 60)
    if isinstance(value, list):
        return [*value, {"correct": True, "prompt": "verbal"}]
    if isinstance(value, dict):
        return {**value, "observer": "Someone else"}
    if value is None:
        return 1
    raise AssertionError(f"no change for {value!r}")


# Bookkeeping the product writes and no hash covers; the triggers lock it all the same.
UNHASHED = {"updated_at"}


def test_every_sealed_field_is_covered_by_a_hash(world):
    waiting = make_note(world.child, world.assistant, sign=True)
    note = cosigning.cosign_note(waiting, world.therapist)
    entries = list(GoalData.objects.filter(note=note))
    addenda = [actions.add_addendum(note, world.therapist, "Later news.")]
    assert actions.is_intact(note, entries, addenda)
    for field in SessionNote._meta.concrete_fields:
        if field.attname in UNHASHED:
            continue
        changed = copy.copy(note)
        setattr(changed, field.attname, _changed(getattr(note, field.attname)))
        assert not actions.is_intact(changed, entries, addenda), field.attname
    for field in GoalData._meta.concrete_fields:
        if field.attname in UNHASHED:
            continue
        changed = [copy.copy(e) for e in entries]
        setattr(changed[0], field.attname, _changed(getattr(entries[0], field.attname)))
        assert not actions.is_intact(note, changed, addenda), field.attname
    for field in Addendum._meta.concrete_fields:
        if field.attname in UNHASHED:
            continue
        changed = [copy.copy(addenda[0])]
        setattr(changed[0], field.attname, _changed(getattr(addenda[0], field.attname)))
        assert not actions.is_intact(note, entries, changed), field.attname


# --- Notes signed before hash version 2 -----------------------------------------


def _as_version_1(note: SessionNote) -> None:
    """Make the note what a note signed before version 2 looks like in the database."""
    entries = list(GoalData.objects.filter(note=note))
    v1 = seal.note_hash(note, entries, version=1, signed_status="")
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE notes_sessionnote SET hash_version = 1, content_hash = %s, cosign_hash = '' "
            "WHERE id = %s",
            [v1, note.id.hex],
        )
        cursor.execute(
            "UPDATE notes_addendum SET content_hash = '' WHERE note_id = %s", [note.id.hex]
        )


def test_a_note_signed_with_version_1_still_reads_as_intact(world, client_as):
    note = make_note(world.child, world.therapist, sign=True)
    _as_version_1(note)
    assert reads_intact(client_as(world.therapist), note)


def test_the_migration_reseals_intact_version_1_notes_and_leaves_others(world, client_as):
    migration = __import__("tandem.notes.migrations.0005_reseal_signed_notes", fromlist=["reseal"])
    reseal = migration.reseal
    intact = make_note(world.child, world.therapist, sign=True)
    actions.add_addendum(intact, world.therapist, "Added before version 2.")
    cosigned = cosigning.cosign_note(
        make_note(world.child, world.assistant, sign=True), world.therapist
    )
    tampered = make_note(world.sibling, world.therapist, sign=True)
    for note in (intact, cosigned, tampered):
        _as_version_1(note)
    with triggers_off():
        run("UPDATE notes_sessionnote SET objective = 'Changed' WHERE id = %s", tampered.id)
        reseal(django_apps, None)
    client = client_as(world.therapist)
    for note in (intact, cosigned):
        note.refresh_from_db()
        assert note.hash_version == migration.RESEALED_AS
        assert reads_intact(client, note)
    assert cosigned.cosign_hash == seal.cosign_hash(cosigned)
    assert Addendum.objects.get(note=intact).content_hash
    tampered.refresh_from_db()
    assert tampered.hash_version == 1
    assert not reads_intact(client, tampered)


def test_allow_purge_lets_only_the_apps_own_sqlite_connection_delete(world):
    """The demo reset and the tests' flush: on PostgreSQL row triggers still refuse."""
    note = make_note(world.child, world.therapist, sign=True)
    with triggers.allow_purge(connection):
        if POSTGRESQL:
            refused("DELETE FROM notes_sessionnote WHERE id = %s", note.id)
        else:
            run("DELETE FROM notes_addendum WHERE note_id = %s", note.id)
            run("DELETE FROM notes_goaldata WHERE note_id = %s", note.id)
            assert run("DELETE FROM notes_sessionnote WHERE id = %s", note.id) == 1
    refused("UPDATE notes_historicalsessionnote SET status = 'draft' WHERE id = %s", note.id)


def test_a_co_signature_written_in_sql_by_the_right_supervisor_shows_as_not_matching(
    world, client_as
):
    """The database lets the one legitimate change through; its hash tells it apart."""
    waiting = make_note(world.child, world.assistant, sign=True)
    assert (
        run(
            "UPDATE notes_sessionnote SET cosigned_by_id = %s, cosigned_at = %s, "
            "cosign_hash = %s, status = 'signed', version = version + 1 WHERE id = %s",
            world.therapist.id,
            datetime.datetime.now(datetime.UTC),
            "0" * 64,
            waiting.id,
        )
        == 1
    )
    assert not reads_intact(client_as(world.therapist), waiting)


# --- A note written as of a past moment (``at=``, as the demo writes its months) ----


def test_a_note_signed_as_of_a_past_moment_seals_that_moment(world, client_as):
    """The signing time is part of the seal: a note written, signed, co-signed and added to
    at given moments keeps those moments in its record and history, and still verifies."""
    day = TODAY - datetime.timedelta(days=30)
    at = datetime.datetime.combine(day, datetime.time(10, 30), tzinfo=datetime.UTC)
    cosigned, added = at + datetime.timedelta(days=1), at + datetime.timedelta(days=2)
    goals = goals_for(world.child, world.assistant)
    data = {goal.id: sample_data(goal) for goal in goals}
    note = actions.create_note(
        world.assistant, world.child, goals=goals, at=at, **note_fields(date=day)
    )
    note = actions.update_note(
        note, world.assistant, expected_version=note.version, goal_data=data, at=at
    )
    note = actions.sign_note(note, world.assistant, expected_version=note.version, at=at)
    cosigning.cosign_note(note, world.therapist, at=cosigned)
    actions.add_addendum(note, world.assistant, "Spoke to her teacher.", at=added)

    note = SessionNote.objects.get(pk=note.pk)
    assert (note.created_at, note.signed_at, note.cosigned_at) == (at, at, cosigned)
    versions = note.history.order_by("history_date").values_list("history_date", flat=True)
    assert list(versions) == [at, at, at, cosigned]
    entries = list(GoalData.objects.filter(note=note))
    assert {entry.created_at for entry in entries} == {at}
    addenda = list(Addendum.objects.filter(note=note))
    assert [addendum.created_at for addendum in addenda] == [added]
    assert actions.is_intact(note, entries, addenda)
    assert reads_intact(client_as(world.therapist), note)
    refused("UPDATE notes_sessionnote SET signed_at = %s WHERE id = %s", cosigned, note.id)
